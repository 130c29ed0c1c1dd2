"""Benchmark: score and aggregate 1,000,000 synthetic SME assessments (MIIT 2024 and EU DMA).

Run: ``python benchmarks/bench_sme.py [--n 1000000]``. Prints wall time, throughput and peak memory
(tracemalloc, numpy allocations included) for each stage, and the ratio against a peer measured in
the same run: there is no public SME-maturity scoring package, so the peer is the straightforward
pandas implementation (a row-wise ``DataFrame.apply`` over a 20,000-firm sample, extrapolated).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.sme.aggregate import maturity_summary
from chainatlas.sme.answers import encode_answers
from chainatlas.sme.schema import load_framework
from chainatlas.sme.scoring import score_assessments
from chainatlas.sme.synthetic import synthetic_answers, synthetic_encoded


def measure(fn: Callable[[], Any], *, memory: bool = True) -> tuple[Any, float, float]:
    """Wall time of one plain run; then, if asked, peak traced memory (MiB) of a second run.

    tracemalloc slows Python-level allocation a lot, so time and memory are measured separately.
    """
    t = time.perf_counter()
    out = fn()
    wall = time.perf_counter() - t
    peak = float("nan")
    if memory:
        del out
        tracemalloc.start()
        out = fn()
        _, peak_b = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peak = peak_b / 2**20
    return out, wall, peak


def peer_rowwise(df: pd.DataFrame, fw: Any) -> pd.Series:
    """Row-wise pandas scoring (the obvious implementation) — totals only."""
    trend = {"worse": 0.0, "flat": 0.5, "better": 1.0}
    params = fw.param_values()
    items = fw.scored_items
    dim_of = {i: d for i, (d, _s) in fw.item_place.items()}
    dmax = {d.id: d.points for d in fw.scored_dimensions}

    def one(row: pd.Series) -> float:
        dims = dict.fromkeys(dmax, 0.0)
        for it in items:
            a = row[it.id]
            if it.type == "numeric_band":
                p = [b.points for b in it.bands if b.min <= float(a)][-1]
            elif it.type == "single_choice":
                o = next(o for o in it.options if o.id == a)
                p = o.points * (params[o.param] if o.param else 1.0)
            elif it.type == "multi_select":
                sel = set(str(a).split(";"))
                p = sum(o.points for o in it.options if o.id in sel)
            elif it.type == "trend":
                p = it.points * trend[a]
            else:
                p = it.points * float(a) / 5
            dims[dim_of[it.id]] += p
        if fw.total == "sum":
            return sum(dims.values())
        return float(np.mean([dims[d] / dmax[d] for d in dmax]) * 100)

    return df.apply(one, axis=1)


def main() -> None:  # noqa: D103
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--peer-sample", type=int, default=20_000)
    args = ap.parse_args()
    n = args.n
    print(f"chainatlas SME benchmark: {n:,} synthetic assessments")
    for name in ("miit-2024", "eu-dma"):
        fw = load_framework(name)
        enc = synthetic_encoded(fw, n, seed=1)
        scores, wall, peak = measure(lambda fw=fw, enc=enc: score_assessments(enc, fw))
        print(
            f"  {fw.id:26s} score      {wall:7.2f} s  {n / wall / 1e6:6.2f} M firms/s  peak {peak:8.1f} MiB"
        )
        summ, wall_a, peak_a = measure(
            lambda scores=scores: [
                maturity_summary(scores, by=b, k=5)
                for b in ("province", "region", "division", "size")
            ]
        )
        print(
            f"  {'':26s} aggregate  {wall_a:7.2f} s  (4 groupings)           peak {peak_a:8.1f} MiB"
        )
        # parsing + validation from the CSV layout, on a sample
        m = min(n, 200_000)
        table = synthetic_answers(fw, m, seed=2).astype(str)
        _, wall_e, peak_e = measure(lambda fw=fw, table=table: encode_answers(table, fw))
        print(
            f"  {'':26s} validate   {wall_e:7.2f} s  for {m:,} text rows ({m / wall_e / 1e3:.0f} k rows/s)  peak {peak_e:8.1f} MiB"
        )
        # peer: row-wise pandas on a sample, same totals
        k = min(n, args.peer_sample)
        sample = table.iloc[:k]
        ref, wall_p, _ = measure(
            lambda sample=sample, fw=fw: peer_rowwise(sample, fw), memory=False
        )
        ours = score_assessments(encode_answers(sample, fw), fw).total
        assert np.allclose(ref.to_numpy(), ours, atol=1e-9), "peer and chainatlas disagree"
        per_firm_peer = wall_p / k
        per_firm_ours = wall / n + wall_e / m  # validate text + score
        print(f"  {'':26s} peer row-wise pandas (text → total): {per_firm_peer * 1e6:.1f} µs/firm; ours (validate + score): "
              f"{per_firm_ours * 1e6:.2f} µs/firm → {per_firm_peer / per_firm_ours:,.0f}× faster; totals agree to 1e-9")  # fmt: skip
        del scores, enc, summ


if __name__ == "__main__":
    main()
    import resource

    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
