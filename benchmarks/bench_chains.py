"""Benchmark: chokepoint ranking over all 1,435 WIOD 2011 candidates for one focus economy.

Two ways, same run, same machine:

(a) chainatlas: ``chokepoint_ranking`` — G formed once from L, then every candidate's forward
    (Ghosh) extraction by the rank-one Schur-complement update, O(n²) in total;
(b) naive: per candidate j, solve the reduced system vᵀ_R (I − B_RR)⁻¹ (an O(n³) LU of a
    1,434² matrix) — timed on a sample of candidates and extrapolated to all 1,435.

Prints wall time, peak memory (tracemalloc) and the speed ratio, and checks that (a) and (b)
agree on the sample. Run:  CHAINATLAS_DATA_MIRROR=../shared/data python benchmarks/bench_chains.py
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--economy", default="CHN")
    ap.add_argument("--sample", type=int, default=12, help="candidates for the naive method")
    args = ap.parse_args()

    from chainatlas.chains import chokepoint_ranking
    from chainatlas.datasets import load

    table = load("wiod-2013:2011", progress=False)
    n = table.n
    Z = table.Z.to_numpy()
    x = table.x.to_numpy()

    # (a) Schur-complement update (fresh table: nothing cached, L and G formed inside)
    fresh = load("wiod-2013:2011", progress=False)
    tracemalloc.start()
    t0 = time.perf_counter()
    ranking = chokepoint_ranking(fresh, args.economy)
    t_fast = time.perf_counter() - t0
    _, peak_fast = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # (b) naive re-solve per candidate on a sample
    rng = np.random.default_rng(0)
    sample = rng.choice(n, size=args.sample, replace=False)
    xs = np.where(x > 0, x, 1.0)
    B = Z / xs[:, None]
    v = x - Z.sum(axis=0)
    focus = np.asarray(table.labels.get_level_values(0)) == args.economy
    tracemalloc.start()
    t0 = time.perf_counter()
    naive = {}
    for j in sample:
        R = np.flatnonzero(np.arange(n) != j)
        xr = np.linalg.solve((np.eye(n - 1) - B[np.ix_(R, R)]).T, v[R])
        xbar = np.zeros(n)
        xbar[R] = xr
        naive[j] = x[focus].sum() - xbar[focus].sum()
    t_naive_sample = time.perf_counter() - t0
    _, peak_naive = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    t_naive = t_naive_sample / len(sample) * n

    # agreement on the sample (foreign candidates only are in the ranking)
    worst = 0.0
    for j, want in naive.items():
        lab = table.labels[j]
        if lab in ranking.index:
            got = ranking.loc[lab, "output_lost"]
            # both are differences of totals of ~2e7, so compare against the focus output
            worst = max(worst, abs(got - want) / x[focus].sum())

    print(f"WIOD 2011, n = {n}, focus economy {args.economy}, {len(ranking)} foreign candidates")
    print(
        f"(a) Schur update, all {n} extractions : {t_fast:8.3f} s, peak {peak_fast / 1e6:7.1f} MB"
    )
    print(
        f"(b) naive re-solve, {len(sample)} sampled   : {t_naive_sample:8.3f} s "
        f"({t_naive_sample / len(sample):.3f} s each), peak {peak_naive / 1e6:7.1f} MB"
    )
    print(f"(b) extrapolated to {n} candidates : {t_naive:8.1f} s")
    print(f"speed-up (b)/(a): {t_naive / t_fast:,.0f}x   (goal >= 50x)")
    print(f"max |difference| on the sample, relative to focus output: {worst:.2e}")


if __name__ == "__main__":
    main()
