"""Benchmark: chain-gap analysis of 31 provinces × 8 chains plus every province's Leontief inverse.

Issue 16 §6: the gap analysis of all provinces and chains, plus each province's Leontief
inverse, must take under 10 s together. Same run, same machine:

(a) chainatlas — :func:`chainatlas.chains.gaps.chain_gaps` (all provinces, all chains, one
    vectorised call), :func:`chain_completeness`, :func:`partner_provinces` of every province,
    and for every province's 2017 table (``china-provincial-io:2017-PROVINCE``) the Leontief
    inverse L = (I − A)⁻¹ of the table and the local one (I − (1 − m̂)A)⁻¹, m = the inflow and
    import shares of use (supply from outside the province treated as non-local);
(b) peer — a plain pandas row-by-row implementation of the same status rules
    (:func:`chainatlas.chains._gaps_reference.reference_gaps`: every province × link filters the
    firm table and sums output afresh), checked to give the same statuses, firm counts and LQs.

Data loading (firms + KG join, provincial output and flows, 31 IO tables) is timed apart.
Run:  ./run bench chaingaps
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def load_all() -> dict[str, Any]:
    from chainatlas.datasets import load
    from chainatlas.pipelines.chain_gaps import gap_inputs

    inp = gap_inputs(2017)
    tables = {p: load(f"china-provincial-io:2017-{p}", progress=False) for p in inp["output"].index}
    return {**inp, "tables": tables}


def leontief_all(tables: dict[str, Any], dependence: pd.DataFrame) -> dict[str, np.ndarray]:
    """L and the local L of every province's table."""
    out = {}
    for p, t in tables.items():
        A = t.A.to_numpy()
        n = A.shape[0]
        dep = dependence.loc[p]
        m = (dep["inflow"] + dep["import"]).reindex(t.A.index).to_numpy()
        eye = np.eye(n)
        out[p] = np.linalg.inv(eye - A)
        out[p + "-local"] = np.linalg.inv(eye - (1.0 - m)[:, None] * A)
    return out


def chainatlas_run(inp: dict[str, Any]) -> dict[str, Any]:
    from chainatlas.chains.gaps import (
        chain_completeness,
        chain_gaps,
        link_weights,
        partner_provinces,
        structure_relatedness,
    )

    g = chain_gaps(firms=inp["firms"], output=inp["output"], dependence=inp["dependence"])
    score = chain_completeness(g, link_weights(inp["L"]))
    rel = structure_relatedness(inp["output"])
    partners = partner_provinces(g, rel)  # every province's candidates
    L = leontief_all(inp["tables"], inp["dependence"])
    return {"gaps": g, "score": score, "partners": partners, "L": L}


def main() -> None:
    from chainatlas.chains._gaps_reference import reference_gaps

    inp, t_load = timed(load_all)
    res, t_fast = timed(lambda: chainatlas_run(inp))
    ref, t_ref = timed(lambda: reference_gaps(firms=inp["firms"], output=inp["output"]))
    g = res["gaps"]
    same = (
        (g["status"].to_numpy() == ref["status"].to_numpy()).all()
        and (g["n_firms"].to_numpy() == ref["n_firms"].to_numpy()).all()
        and np.allclose(g["lq"].to_numpy(), ref["lq"].to_numpy(), rtol=1e-12)
    )
    # gap analysis alone, for the like-for-like ratio with the reference
    from chainatlas.chains.gaps import chain_gaps

    _, t_gaps = timed(lambda: chain_gaps(firms=inp["firms"], output=inp["output"]))
    n_prov, n_chain = g["province"].nunique(), g["chain"].nunique()
    print(f"provinces × chains × links: {n_prov} × {n_chain} → {len(g)} rows")
    print(f"data loading (firms + KG, provincial output/flows, 31 IO tables): {t_load:.2f} s")
    print(f"chainatlas: gaps + completeness + partners (31) + 31 × 2 Leontief inverses: "
          f"{t_fast:.3f} s  (target < 10 s: {'OK' if t_fast < 10 else 'MISSED'})")  # fmt: skip
    print(f"chainatlas gap analysis alone: {t_gaps:.3f} s")
    print(f"pandas row-by-row reference (same rules): {t_ref:.2f} s")
    print(f"ratio reference / chainatlas gap analysis: {t_ref / t_gaps:.0f}×; same results: {same}")
    if not same:
        raise SystemExit("the vectorised and the reference results differ")


if __name__ == "__main__":
    main()
