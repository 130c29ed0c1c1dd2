"""Benchmark: clusters at county scale and cluster definitions on BEA detail 2017.

Workloads, same run, same machine:

1. Synthetic 3,000 regions × 1,000 industries (a county-level scale, ~70 % non-zero cells):
   (a) chainatlas — ``location_quotient``, ``cmp_strength`` (CMP flags) and ``cluster_stars``
       (European stars) on a :class:`RegionIndustry`, vectorised numpy;
   (b) peer — the same measures written as analysts usually do in pandas on the long table
       (groupby transforms for totals and shares, groupby quantile for percentile thresholds).
   Results are checked to agree exactly (flags and stars) / to 1e-12 (LQ).
2. Clustering the 402-industry BEA relatedness matrix: hierarchical (scipy) and Leiden
   (leidenalg, fixed resolution) as chainatlas runs them; peer: cdlib's Leiden on the same graph
   when cdlib is installed (``pip install .[bench]``).

Prints wall time, peak traced memory (tracemalloc; numpy buffers included) and ratios.
Run:  CHAINATLAS_DATA_MIRROR=../shared/data python benchmarks/bench_clusters.py
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run `fn`; return (result, seconds, peak MB)."""
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, dt, peak / 1e6


def synthetic(r: int, i: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    E = rng.gamma(0.6, 50.0, size=(r, i)) * (rng.random((r, i)) < 0.7)
    E[:, 0] += 1.0
    E[0, :] += 1.0
    return pd.DataFrame(
        E,
        index=pd.Index([f"c{j:04d}" for j in range(r)], name="region"),
        columns=pd.Index([f"n{j:04d}" for j in range(i)], name="industry"),
    )


def ours(values: pd.DataFrame) -> dict[str, Any]:
    from chainatlas.clusters import RegionIndustry, cluster_stars, cmp_strength, location_quotient
    from chainatlas.provenance import Provenance

    ri = RegionIndustry(values, measure="employment", unit="persons", provenance=Provenance("syn"))
    return {
        "lq": location_quotient(ri),
        "flags": cmp_strength(ri),
        "stars": cluster_stars(ri),
    }


def peer(values: pd.DataFrame) -> pd.DataFrame:
    long = values.stack().rename("e").reset_index()
    e = long["e"].sum()
    long["e_r"] = long.groupby("region")["e"].transform("sum")
    long["e_i"] = long.groupby("industry")["e"].transform("sum")
    long["lq"] = (long["e"] / long["e_r"]) / (long["e_i"] / e)
    long["share_i"] = long["e"] / long["e_i"]
    long["share_r"] = long["e"] / long["e_r"]
    q = long.groupby("industry")["lq"].quantile([0.75, 0.90]).unstack()
    long = long.join(q, on="industry")
    long["strong"] = (long["lq"] >= long[0.75]) & (long["lq"] >= 1.0)
    long["top10"] = (long["lq"] >= long[0.90]) & (long["lq"] >= 1.0)
    s90 = long.groupby("industry")["share_i"].quantile(0.9).rename("s90")
    f90 = long.groupby("industry")["share_r"].quantile(0.9).rename("f90")
    long = long.join(s90, on="industry").join(f90, on="industry")
    pos = long["e"] > 0
    long["stars"] = (
        (pos & (long["share_i"] >= long["s90"])).astype(int)
        + (pos & (long["lq"] >= 2.0)).astype(int)
        + (pos & (long["share_r"] >= long["f90"])).astype(int)
    )
    return long


def bench_synthetic(r: int, i: int) -> None:
    values = synthetic(r, i)
    print(f"\n1. synthetic {r:,} regions × {i:,} industries ({values.size:,} cells)")
    ours(values.iloc[:20, :20])  # warm-up: imports
    peer(values.iloc[:20, :20])
    a, ta, ma = measure(lambda: ours(values))
    b, tb, mb = measure(lambda: peer(values))
    flags = a["flags"].set_index(["region", "industry"])
    b = b.set_index(["region", "industry"]).reindex(flags.index)
    assert np.allclose(flags["lq"], b["lq"], rtol=1e-12)
    assert (flags["strong"].to_numpy() == b["strong"].to_numpy()).all()
    assert (flags["top10"].to_numpy() == b["top10"].to_numpy()).all()
    assert (a["stars"]["stars"].to_numpy() == b["stars"].to_numpy()).all()
    print(f"   chainatlas (LQ + CMP flags + stars): {ta:7.2f} s, peak {ma:8.1f} MB")
    print(f"   pandas long-form peer              : {tb:7.2f} s, peak {mb:8.1f} MB")
    print(f"   speed-up {tb / ta:5.1f}×, memory ratio {ma / mb:4.2f} (ours / peer); results agree")
    from chainatlas.kernels import clusters as k

    E = values.to_numpy()
    _, tk, mk = measure(lambda: (k.location_quotient(E), k.cluster_stars(E)))
    print(f"   kernels alone (LQ + stars)         : {tk:7.2f} s, peak {mk:8.1f} MB")


def bench_clustering() -> None:
    from chainatlas.clusters.definitions import (
        define_clusters,
        industry_flows,
        io_relatedness,
    )
    from chainatlas.datasets import load

    sut = load("bea-io:2017-detail", progress=False)
    R, t_r, m_r = measure(
        lambda: io_relatedness(
            industry_flows(sut.use, sut.make).clip(lower=0.0), sut.make.sum(axis=1)
        )
    )
    print(f"\n2. BEA detail 2017: {len(R)} industries")
    small = R.iloc[:20, :20]  # warm-up: scipy, igraph and leidenalg imports
    define_clusters(small, method="hierarchical", n_clusters=3)
    define_clusters(small, method="leiden", n_clusters=3, resolution=1.0)
    print(f"   flows + relatedness                : {t_r:7.3f} s, peak {m_r:8.1f} MB")
    _, t_h, m_h = measure(lambda: define_clusters(R, method="hierarchical", n_clusters=51))
    print(f"   hierarchical (scipy, k = 51)       : {t_h:7.3f} s, peak {m_h:8.1f} MB")
    lab, t_l, m_l = measure(lambda: define_clusters(R, method="leiden", resolution=5.0))
    print(
        f"   Leiden (γ = 5, kNN graph)          : {t_l:7.3f} s, peak {m_l:8.1f} MB, "
        f"{lab.nunique()} clusters"
    )
    _, t_s, m_s = measure(lambda: define_clusters(R, method="leiden", n_clusters=51))
    print(f"   Leiden with γ search for k = 51    : {t_s:7.3f} s, peak {m_s:8.1f} MB")
    try:
        import igraph as ig
        from cdlib import algorithms
    except ImportError:
        print("   peer: cdlib not installed (pip install .[bench]); skipped")
        return
    a = R.to_numpy()
    iu = np.triu_indices(len(a), 1)
    keep = a[iu] > 0
    g = ig.Graph(n=len(a), edges=np.column_stack([iu[0][keep], iu[1][keep]]).tolist())
    g.es["weight"] = a[iu][keep].tolist()
    g.vs["name"] = list(range(len(a)))
    _, t_c, m_c = measure(lambda: algorithms.leiden(g, weights="weight"))
    _, t_o, m_o = measure(lambda: define_clusters(R, method="leiden", resolution=1.0))
    print(f"   cdlib Leiden (modularity, full graph): {t_c:7.3f} s, peak {m_c:8.1f} MB")
    print(f"   chainatlas Leiden (γ = 1)          : {t_o:7.3f} s, peak {m_o:8.1f} MB")
    print(f"   speed-up {t_c / t_o:5.1f}× vs cdlib")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--regions", type=int, default=3000)
    ap.add_argument("--industries", type=int, default=1000)
    args = ap.parse_args()
    bench_synthetic(args.regions, args.industries)
    bench_clustering()


if __name__ == "__main__":
    main()
