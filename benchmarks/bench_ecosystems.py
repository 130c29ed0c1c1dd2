"""Benchmark: firm-network ingest → Leiden → Greene tracking, against cdlib (Louvain + LifeCycle).

Synthetic firm network with planted communities (mean size 100, 20 % of ties across
communities), ``--degree`` ties per firm per snapshot with lognormal values (σ = 0.5), and
churn between snapshots: each
snapshot moves ``--churn`` of the firms to another community, merges 1 % of the communities
pairwise and splits 1 % in two. Records (supplier, customer, value, date) are written to Parquet
(one file per snapshot, not timed); every stage runs in a fresh subprocess whose resident memory
is sampled every 20 ms, so each stage reports its wall time and peak RSS.

* chainatlas: DuckDB ingest (``snapshot_records``), Leiden per snapshot (``communities``),
  Greene tracking (``track_communities``, θ = 0.3).
* cdlib (same run, same records, ``--peer-firms`` firms): pandas ingest (read Parquet + groupby),
  NetworkX graph per snapshot, ``cdlib.algorithms.louvain``, ``TemporalClustering`` and
  ``LifeCycle.compute_events("greene", threshold 0.3)``.

Run::

    .venv/bin/python benchmarks/bench_ecosystems.py                 # 10^6 firms + 10^5 vs cdlib
    .venv/bin/python benchmarks/bench_ecosystems.py --firms 200000  # smaller large run
    .venv/bin/python benchmarks/bench_ecosystems.py --skip-large    # only the cdlib comparison
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

PAGE = os.sysconf("SC_PAGE_SIZE")


class RssSampler:
    """Peak resident set size of this process, sampled in a background thread."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * PAGE

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(self.interval)

    def __enter__(self) -> RssSampler:
        self.peak = self.rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


def stage(name: str, fn: Any, results: dict[str, Any]) -> Any:
    with RssSampler() as s:
        t = time.perf_counter()
        out = fn()
        wall = time.perf_counter() - t
    results[name] = {"seconds": round(wall, 3), "peak_rss_gib": round(s.peak / 2**30, 3)}
    print(f"  {name:<22} {wall:9.2f} s   peak RSS {s.peak / 2**30:6.2f} GiB", flush=True)
    return out


# ---------------------------------------------------------------------------------------------
# synthetic data


def generate(
    folder: Path, firms: int, degree: int, snapshots: int, churn: float, seed: int
) -> None:
    """Write one Parquet file of records per snapshot into `folder`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    k = max(firms // 100, 1)
    comm = rng.integers(0, k, firms)
    for s in range(snapshots):
        if s:
            moved = rng.random(firms) < churn
            comm[moved] = rng.choice(np.unique(comm), moved.sum())
            labels = np.unique(comm)
            rng.shuffle(labels)
            n_ev = max(len(labels) // 100, 1)
            merge_a, merge_b = labels[:n_ev], labels[n_ev : 2 * n_ev]
            remap = np.arange(comm.max() + 1)
            remap[merge_b] = merge_a
            comm = remap[comm]
            # split: half of each chosen community's members get a new label
            chosen = np.zeros(comm.max() + 1, dtype=bool)
            chosen[labels[2 * n_ev : 3 * n_ev]] = True
            half = chosen[comm] & (rng.random(firms) < 0.5)
            comm[half] = comm[half] + comm.max() + 1
        order = np.argsort(comm, kind="stable")
        sorted_c = comm[order]
        uniq, start, size = np.unique(sorted_c, return_index=True, return_counts=True)
        pos = np.searchsorted(uniq, comm)
        src = np.repeat(np.arange(firms), degree)
        intra = rng.random(src.size) < 0.8
        p = pos[src]
        tgt = np.where(
            intra,
            order[start[p] + (rng.random(src.size) * size[p]).astype(np.int64)],
            rng.integers(0, firms, src.size),
        )
        ok = src != tgt
        src, tgt = src[ok], tgt[ok]
        value = np.round(rng.lognormal(3.0, 0.5, src.size), 2)
        day = rng.integers(0, 365, src.size)
        date = (np.datetime64(f"{2020 + s}-01-01") + day.astype("timedelta64[D]")).astype(
            "datetime64[D]"
        )
        table = pa.table({"supplier": src, "customer": tgt, "value": value, "date": date})
        pq.write_table(table, folder / f"snapshot_{s}.parquet")


# ---------------------------------------------------------------------------------------------
# pipelines (each in its own process)


def run_ours(folder: str, snapshots: int, threads: int, leiden_opts: dict, out: Any) -> None:
    from chainatlas.ecosystems.communities import communities
    from chainatlas.ecosystems.evolution import track_communities
    from chainatlas.ecosystems.records import make_periods, snapshot_records

    res: dict[str, Any] = {}
    periods = make_periods("2020-01-01", f"{2020 + snapshots}-01-01", freq="year")
    snap = stage(
        "ingest (DuckDB)",
        lambda: snapshot_records(
            f"{folder}/*.parquet",
            periods=periods,
            id_type="integer",
            threads=threads,
            memory_limit="8GB",
        ),
        res,
    )
    res["records"] = int(snap.edges["n_records"].sum())
    res["edges"] = int(len(snap.edges))
    memberships = {}

    def leiden() -> None:
        for p in snap.labels:
            memberships[p] = communities(snap.network(p), seed=42, **leiden_opts)

    stage("Leiden (5 snapshots)" if snapshots == 5 else "Leiden", leiden, res)
    evo = stage("tracking (Greene)", lambda: track_communities(memberships, theta=0.3), res)
    res["communities_last"] = int(memberships[snap.labels[-1]].nunique())
    res["events"] = evo.event_counts().sum().to_dict()
    out.put(res)


def run_cdlib(folder: str, snapshots: int, out: Any) -> None:
    import glob

    import networkx as nx
    import pandas as pd
    from cdlib import LifeCycle, TemporalClustering, algorithms

    res: dict[str, Any] = {}

    def ingest() -> dict[int, pd.DataFrame]:
        frames = [pd.read_parquet(f) for f in sorted(glob.glob(f"{folder}/*.parquet"))]
        rec = pd.concat(frames, ignore_index=True)
        rec["period"] = pd.to_datetime(rec["date"]).dt.year
        agg = rec.groupby(["period", "supplier", "customer"], as_index=False)["value"].sum()
        return {int(p): g for p, g in agg.groupby("period")}

    snaps = stage("ingest (pandas)", ingest, res)
    tc = TemporalClustering()

    def louvain() -> None:
        for t, (_, g) in enumerate(sorted(snaps.items())):
            G = nx.from_pandas_edgelist(g, "supplier", "customer", edge_attr="value")
            coms = algorithms.louvain(G, weight="value", randomize=False)
            tc.add_clustering(coms, t)

    stage("Louvain (cdlib)", louvain, res)

    def events() -> Any:
        lc = LifeCycle(tc)
        lc.compute_events("greene", matching_params={"threshold": 0.3})
        return lc

    stage("tracking (LifeCycle)", events, res)
    out.put(res)


def in_process(target: Any, *args: Any) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(*args, q))
    p.start()
    res = q.get()
    p.join()
    return res


def total(res: dict[str, Any]) -> float:
    return sum(v["seconds"] for v in res.values() if isinstance(v, dict) and "seconds" in v)


def peak(res: dict[str, Any]) -> float:
    return max(v["peak_rss_gib"] for v in res.values() if isinstance(v, dict) and "seconds" in v)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--firms", type=int, default=1_000_000)
    ap.add_argument("--degree", type=int, default=10, help="ties per firm per snapshot")
    ap.add_argument("--snapshots", type=int, default=5)
    ap.add_argument("--churn", type=float, default=0.05)
    ap.add_argument("--peer-firms", type=int, default=100_000)
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    ap.add_argument("--quality", default="modularity", help="chainatlas: modularity or cpm")
    ap.add_argument("--resolution", type=float, default=1.0, help="chainatlas: γ or CPM density")
    ap.add_argument("--unweighted", action="store_true", help="chainatlas: ignore values")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--skip-peer", action="store_true")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = ap.parse_args()

    leiden_opts = {
        "quality": args.quality,
        "resolution": args.resolution,
        "weighted": not args.unweighted,
    }
    report: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "args": {k: str(v) for k, v in vars(args).items()},
    }
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        if not args.skip_peer:
            small = Path(tmp) / "small"
            small.mkdir()
            print(
                f"generating {args.peer_firms:,} firms × {args.degree} ties × {args.snapshots} snapshots"
            )
            generate(small, args.peer_firms, args.degree, args.snapshots, args.churn, seed=1)
            print(f"chainatlas at {args.peer_firms:,} firms")
            ours = in_process(run_ours, str(small), args.snapshots, args.threads, leiden_opts)
            print(f"cdlib at {args.peer_firms:,} firms")
            peer = in_process(run_cdlib, str(small), args.snapshots)
            ratio = total(peer) / total(ours)
            print(
                f"full pipeline: chainatlas {total(ours):.2f} s vs cdlib {total(peer):.2f} s "
                f"-> {ratio:.1f}x faster; peak RSS {peak(ours):.2f} vs {peak(peer):.2f} GiB"
            )
            report["peer"] = {"chainatlas": ours, "cdlib": peer, "speedup": round(ratio, 2)}
        if not args.skip_large:
            large = Path(tmp) / "large"
            large.mkdir()
            print(
                f"generating {args.firms:,} firms × {args.degree} ties × {args.snapshots} snapshots"
            )
            t = time.perf_counter()
            generate(large, args.firms, args.degree, args.snapshots, args.churn, seed=2)
            print(f"  (generation {time.perf_counter() - t:.1f} s, not counted)")
            print(f"chainatlas at {args.firms:,} firms")
            big = in_process(run_ours, str(large), args.snapshots, args.threads, leiden_opts)
            print(
                f"large run: {big['records']:,} records -> {big['edges']:,} edges; "
                f"total {total(big):.1f} s; peak RSS {peak(big):.2f} GiB"
            )
            report["large"] = big
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
