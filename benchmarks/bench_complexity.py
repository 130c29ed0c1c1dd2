"""Benchmark: chainatlas.complexity against py-ecomplexity (Growth Lab), in the same run.

Workloads
---------
1. ``world-trade-sitc``: 226 countries × 785 SITC products (one period, uncleaned — the peer has no
   cleaning), every measure (RCA … COG).
2. Synthetic panel: 250 locations × 5,000 products × 10 years (about 60 % of pairs non-zero,
   nested structure so ECI is well defined).

Both libraries get the same long DataFrame. chainatlas runs with ``convention="py-ecomplexity"``
(population sd, proximity diagonal 1) so that every number is comparable; the agreement check is
ECI correlation = 1.0 and max |ΔECI| < 1e-6 (PCI, density, COI, COG are reported too).

py-ecomplexity 0.5.3 runs under pandas 3 as installed (no shim needed). Its log-supermodularity
check (a random-sample diagnostic we do not compute) is turned off. Its cost is dominated by a
dense non-symmetric eigen-decomposition of the 5,000 × 5,000 product matrix (≈ 4.5 min per year
on 2 cores), so by default the peer runs only the first ``--peer-years`` year(s) of the synthetic
panel and its 10-year time is extrapolated linearly (years are independent); ``--full`` runs all
ten (≈ 45 min). Each (workload, library) runs in a fresh subprocess, warmed up on a 20-location
slice (thread pools, BLAS buffers, lazy imports); peak memory is the peak RSS growth over the RSS
after the data are in memory (``ru_maxrss`` − current RSS before the timed run).

Wall time is the best of 5 runs for world-trade-sitc (both libraries) and a single run for the
panel.

Run: ``.venv/bin/python benchmarks/bench_complexity.py [--peer-years N | --full]``.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

N_LOC, N_PROD, N_YEARS = 250, 5000, 10


def synthetic_panel(seed: int = 0) -> pd.DataFrame:
    """250 × 5,000 × 10 long panel: exports likelier where location capability ≥ product need."""
    rng = np.random.default_rng(seed)
    cap = rng.uniform(0, 1, N_LOC)
    need = rng.uniform(0, 1, N_PROD)
    size_l = rng.lognormal(3, 1.5, N_LOC)
    size_p = rng.lognormal(0, 1.0, N_PROD)
    frames = []
    for year in range(N_YEARS):
        drift = cap + rng.normal(0, 0.02, N_LOC)
        prob = 1 / (1 + np.exp(-8 * (drift[:, None] - need[None, :] + 0.25)))
        present = rng.random((N_LOC, N_PROD)) < prob
        val = size_l[:, None] * size_p[None, :] * rng.lognormal(0, 1, (N_LOC, N_PROD))
        li, pi = np.nonzero(present)
        frames.append(
            pd.DataFrame(
                {
                    "year": 2000 + year,
                    "loc": np.char.add("L", li.astype(str)),
                    "prod": np.char.add("P", pi.astype(str)),
                    "val": np.round(val[li, pi], 2),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def world_trade() -> pd.DataFrame:
    from chainatlas.datasets import load

    ex = load("world-trade-sitc", progress=False).exports
    return pd.DataFrame(
        {"year": 2000, "loc": ex["location"], "prod": ex["product"], "val": ex["value"]}
    )


def _rss_now() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _child(workload: str, lib: str, years: int, out: str) -> None:
    data = world_trade() if workload == "world" else synthetic_panel()
    if years and workload == "synthetic":
        data = data[data["year"] < 2000 + years].reset_index(drop=True)
    import gc

    if lib == "peer":
        import warnings

        from ecomplexity import ecomplexity

        warnings.simplefilter("ignore")
    else:
        from chainatlas.complexity import complexity
    # warm-up on a tiny input (thread pools, BLAS buffers, lazy imports) for both libraries
    tiny = data[data["loc"].isin(data["loc"].drop_duplicates().iloc[:20])]
    tiny = tiny[tiny["year"] == tiny["year"].iloc[0]]
    if lib == "peer":
        ecomplexity(
            tiny,
            {"time": "year", "loc": "loc", "prod": "prod", "val": "val"},
            check_logsupermodularity=False,
            verbose=False,
        )
    else:
        complexity(tiny, location="loc", product="prod", value="val", time="year")
    del tiny
    gc.collect()
    base = _rss_now()
    repeats = 5 if workload == "world" else 1  # best of 5 on the small workload (timeit-style)
    walls = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        if lib == "peer":
            res = ecomplexity(
                data,
                {"time": "year", "loc": "loc", "prod": "prod", "val": "val"},
                check_logsupermodularity=False,
                verbose=False,
            )
        else:
            panel = complexity(
                data,
                location="loc",
                product="prod",
                value="val",
                time="year",
                convention="py-ecomplexity",
            )
        walls.append(time.perf_counter() - t0)
    wall = min(walls)
    if lib == "peer":
        keep = res.groupby(["year", "loc"])["eci"].first()
        pci = res.groupby(["year", "prod"])["pci"].first()
        coi = res.groupby(["year", "loc"])["coi"].first()
        cell = res.set_index(["year", "loc", "prod"])[["density", "cog"]]
    else:
        keep = panel.eci
        pci = panel.pci
        coi = panel.stacked("coi")
        dens = panel.stacked("density").stack()
        cogs = panel.stacked("cog").stack()
        cell = pd.DataFrame({"density": dens, "cog": cogs})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base
    keep.index.names = ["year", "loc"]
    pci.index.names = ["year", "prod"]
    coi.index.names = ["year", "loc"]
    cell.index.names = ["year", "loc", "prod"]
    with open(out, "wb") as fh:
        pickle.dump(
            {"wall": wall, "peak_mb": peak, "eci": keep, "pci": pci, "coi": coi, "cell": cell}, fh
        )


def _run(workload: str, lib: str, years: int = 0) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as tmp:
        path = tmp.name
    env = dict(os.environ)
    cmd = [sys.executable, __file__, "--child", workload, lib, str(years), path]
    subprocess.run(cmd, check=True, env=env)
    with open(path, "rb") as fh:
        out = pickle.load(fh)
    Path(path).unlink()
    return out


def _agree(a: dict, b: dict) -> dict[str, float]:
    e = pd.concat([a["eci"], b["eci"]], axis=1, join="inner").dropna()
    p = pd.concat([a["pci"], b["pci"]], axis=1, join="inner").dropna()
    c = pd.concat([a["coi"], b["coi"]], axis=1, join="inner").dropna()
    cells = a["cell"].join(b["cell"].add_suffix("_b"), how="inner")
    return {
        "n_eci": len(e),
        "eci_corr": float(np.corrcoef(e.iloc[:, 0], e.iloc[:, 1])[0, 1]),
        "eci_maxabs": float((e.iloc[:, 0] - e.iloc[:, 1]).abs().max()),
        "pci_maxabs": float((p.iloc[:, 0] - p.iloc[:, 1]).abs().max()),
        "coi_maxabs": float((c.iloc[:, 0] - c.iloc[:, 1]).abs().max()),
        "density_maxabs": float((cells["density"] - cells["density_b"]).abs().max()),
        "cog_maxabs": float((cells["cog"] - cells["cog_b"]).abs().max()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--peer-years", type=int, default=1, help="synthetic years the peer runs")
    ap.add_argument("--full", action="store_true", help="peer runs all 10 synthetic years")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        workload, lib, years, out = args.child
        _child(workload, lib, int(years), out)
        return
    os.environ.setdefault(
        "CHAINATLAS_DATA_MIRROR", str(Path(__file__).resolve().parents[2] / "shared" / "data")
    )
    report: dict[str, dict] = {}
    print("workload 1: world-trade-sitc, 226 × 785, one period", flush=True)
    ours = _run("world", "ours")
    peer = _run("world", "peer")
    report["world-trade-sitc"] = {
        "chainatlas_s": ours["wall"],
        "peer_s": peer["wall"],
        "speedup": peer["wall"] / ours["wall"],
        "chainatlas_peak_mb": ours["peak_mb"],
        "peer_peak_mb": peer["peak_mb"],
        **_agree(ours, peer),
    }
    py = N_YEARS if args.full else max(1, min(args.peer_years, N_YEARS))
    print(
        f"workload 2: synthetic {N_LOC} × {N_PROD} × {N_YEARS} (peer on {py} year(s))", flush=True
    )
    ours = _run("synthetic", "ours")
    peer = _run("synthetic", "peer", py)
    peer_10 = peer["wall"] * N_YEARS / py
    report["synthetic-panel"] = {
        "chainatlas_s": ours["wall"],
        "peer_s_measured": peer["wall"],
        "peer_years_run": py,
        "peer_s_10_years": peer_10,
        "peer_10_years_extrapolated": py < N_YEARS,
        "speedup": peer_10 / ours["wall"],
        "chainatlas_peak_mb": ours["peak_mb"],
        "peer_peak_mb": peer["peak_mb"],
        **_agree(ours, peer),
    }
    for name, r in report.items():
        ok = r["eci_corr"] > 1 - 1e-12 and r["eci_maxabs"] < 1e-6
        print(f"\n== {name} ==  agreement: {'OK' if ok else 'FAILED'}")
        for k, v in r.items():
            print(f"  {k:28s} {v:.6g}" if isinstance(v, float) else f"  {k:28s} {v}")
    print("\n" + json.dumps(report, indent=1, default=float))


if __name__ == "__main__":
    main()
