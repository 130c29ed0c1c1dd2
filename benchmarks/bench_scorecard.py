"""Benchmark: the scorecard of the 40 WIOD economies with a 1,000-draw Monte Carlo (issue 15 §5).

Same run, same machine:

(a) chainatlas — :func:`chainatlas.scorecard.compute_scorecard` on the 40 × 15 indicator table of
    ``wiod-2013:2011``: missing-data treatment, direction, normalisation, weighted aggregation
    within and across pillars, and the Monte Carlo over Dirichlet weights × normalisation ×
    aggregation (1,000 draws, vectorised kernels);
(b) peer — a plain pandas implementation of the same Handbook steps: each draw normalises the
    table with pandas column operations and aggregates each pillar with ``DataFrame`` arithmetic,
    then ranks with ``Series.rank`` (the same draws, so the ranks must agree exactly);
(c) end to end — ``run_scorecard("wiod-2013:2011")``: loading, the Leontief inverse, every
    indicator (incl. batched chokepoints), composite and Monte Carlo;
(d) the main job — ``build_context("china-io:2020-42")`` with the briefing, and the briefing alone.

Run:  ./run bench scorecard
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

N_DRAWS = 1000


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def pandas_reference(raw: pd.DataFrame, spec: Any, n_draws: int, seed: int) -> np.ndarray:
    """Overall ranks per draw, plain pandas (same random draws as the kernel)."""
    from chainatlas.kernels import composite as kc

    pillars = ["breadth", "height", "toughness"]
    data = raw[spec.ids].astype(float)
    data = data.fillna(data.mean())  # the benchmark table uses impute-mean (no NaN left)
    for i in spec.indicators:
        if i.direction == "lower":
            data[i.id] = -data[i.id]
    groups = np.array([pillars.index(i.pillar) for i in spec.indicators])
    nominal = np.array([spec.indicator_weights()[i] for i in spec.ids])
    pw = np.array([spec.pillar_weights[p] for p in pillars])
    keys = [(n, a) for n in kc.NORMALISATIONS for a in kc.AGGREGATIONS]
    rng = np.random.default_rng(seed)
    choice = rng.integers(0, len(keys), size=n_draws)
    W = kc.dirichlet_weights(rng, nominal, groups, n_draws, 5.0)
    P = kc.dirichlet_weights(rng, pw, np.zeros(3, dtype=int), n_draws, 5.0)
    out = np.empty((n_draws, len(data)), dtype=int)
    for d in range(n_draws):
        norm, agg = keys[choice[d]]
        pos = agg == "geometric"
        if norm == "min-max":
            u = (data - data.min()) / (data.max() - data.min())
            y = 1 + 99 * u if pos else 100 * u
        elif norm == "z-score":
            z = (data - data.mean()) / data.std(ddof=1)
            y = 100 + 10 * z if pos else z
        else:
            y = 100 * data.rank(method="average") / len(data)
        w = pd.Series(W[d], index=spec.ids)
        scores = {}
        for g, p in enumerate(pillars):
            cols = [i for k, i in enumerate(spec.ids) if groups[k] == g]
            wg = w[cols] / w[cols].sum()
            scores[p] = (
                np.exp((np.log(y[cols]) * wg).sum(axis=1)) if pos else (y[cols] * wg).sum(axis=1)
            )
        s = pd.DataFrame(scores)
        overall = np.exp((np.log(s) * P[d]).sum(axis=1)) if pos else (s * P[d]).sum(axis=1)
        out[d] = overall.rank(ascending=False, method="min").astype(int).to_numpy()
    return out


def main() -> None:
    from chainatlas.kernels import composite as kc
    from chainatlas.pipelines.scorecard import run_scorecard
    from chainatlas.scorecard import compute_scorecard, load_spec

    run, t_e2e = timed(lambda: run_scorecard("wiod-2013:2011", n_draws=N_DRAWS))
    spec = load_spec("economies")
    raw = run.scorecard.raw.reindex(columns=spec.ids)
    for _ in range(2):  # warm
        compute_scorecard(raw, spec, missing="impute-mean", n_draws=N_DRAWS)
    sc, t_ours = timed(lambda: compute_scorecard(raw, spec, missing="impute-mean", n_draws=N_DRAWS))
    ref, t_ref = timed(lambda: pandas_reference(raw, spec, N_DRAWS, 20260101))
    # same draws → identical overall ranks (the kernel's Monte Carlo, recomputed here)
    X = raw.fillna(raw.mean()).to_numpy() * np.array(
        [-1.0 if i.direction == "lower" else 1.0 for i in spec.indicators]
    )
    Ys = {(n, a): kc.normalise(X, n, positive=a == "geometric")
          for n in kc.NORMALISATIONS for a in kc.AGGREGATIONS}  # fmt: skip
    groups = np.array([("breadth", "height", "toughness").index(i.pillar) for i in spec.indicators])
    nominal = np.array([spec.indicator_weights()[i] for i in spec.ids])
    ranks, _ = kc.monte_carlo(Ys, nominal, groups, 3, np.full(3, 1 / 3), n_draws=N_DRAWS,
                              concentration=5.0, seed=20260101)  # fmt: skip
    agree = bool((ranks[:, :, 3] == ref).all())
    print(f"composite + {N_DRAWS}-draw Monte Carlo, 40 economies × {len(spec.ids)} indicators")
    print(f"  chainatlas  {t_ours * 1000:8.1f} ms")
    print(
        f"  pandas ref  {t_ref * 1000:8.1f} ms   ({t_ref / t_ours:.0f}× slower; ranks agree: {agree})"
    )
    print(f"end to end run_scorecard('wiod-2013:2011'): {t_e2e:.2f} s (target < 5 s)")
    from chainatlas.datasets import load
    from chainatlas.pipelines.briefing import build_briefing

    table = load("china-io:2020-42", progress=False)
    _, t_brief = timed(lambda: build_briefing(table, "china-io:2020-42", []))
    print(f"briefing of china-io:2020-42 (indicator cache warm): {t_brief:.2f} s")
    try:
        from chainatlas.pipelines.atlas import build_context
    except ImportError:
        from chainatlas.pipelines.atlas import build_context
    _, t_job = timed(lambda: build_context("china-io:2020-42"))
    print(
        f"main job build_context('china-io:2020-42') with briefing: {t_job:.1f} s (target < 20 s)"
    )
    print(sc.scores[["overall", "overall_rank", "overall_rank_p05", "overall_rank_p95"]].head(3))


if __name__ == "__main__":
    main()
