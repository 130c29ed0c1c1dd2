"""Dependence of a focus economy's production on foreign suppliers (对外依赖：直接与完全需求).

Let w be the focus economy s's final output: w_j = f_j (final demand for the products of j, every
destination) for j ∈ s and 0 elsewhere, with f = x − A x so that x = L f exactly. Then

* direct requirements d = A w (first-round inputs bought to make s's final output);
* total requirements t = (L − I) w (inputs of all rounds, through the whole chain, M&B §2.3).

Per unit of s's final output: d / 1ᵀw and t / 1ᵀw. For a foreign economy-sector i, t_i ≥ d_i.
The share of s's total requirements supplied by i is t_i / 1ᵀt (domestic and foreign suppliers in
the denominator).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.linalg as sla

from chainatlas.chains._labels import (
    MRLabels,
    balance_vectors,
    mr_labels,
    resolve_economy,
    rest_of_world_mask,
    sector_names,
)
from chainatlas.io.table import IOTable
from chainatlas.kernels import mrio

__all__ = ["foreign_dependence", "origin_concentration"]


def _final_output(table: IOTable, lab: MRLabels, economy: str) -> tuple[np.ndarray, np.ndarray]:
    mask = lab.region == lab.economies.get_loc(economy)
    f, _ = balance_vectors(table)
    return np.where(mask, f, 0.0), mask


def foreign_dependence(table: IOTable, economy: str) -> pd.DataFrame:
    """Direct (A) and total (L) requirements of a focus economy from each foreign economy-sector.

    Parameters
    ----------
    table : IOTable
        Multi-region table.
    economy : str
        Focus economy code, e.g. ``"CHN"``.

    Returns
    -------
    DataFrame, index (economy, sector) of foreign economy-sectors, sorted by ``total`` descending
        ``direct`` and ``total``: output of the supplier per unit of the focus economy's final
        output (unit-free); ``indirect`` = total − direct; ``direct_value``, ``total_value`` in
        the table's unit; ``total_share``: share of all the focus economy's total intermediate
        requirements (domestic + foreign) supplied by this economy-sector; ``rest_of_world``
        (bool) marks rest-of-world aggregates (WIOD ``RoW``: many economies, not one supplier);
        ``name_en`` and ``name_zh`` (first) give sector names when the table has them.

    Raises
    ------
    UnknownCodeError
        Unknown economy (close codes suggested).
    FinalDemandBreakdownError
        If the table is not multi-region.
    """
    lab = mr_labels(table)
    economy = resolve_economy(lab, economy)
    w, mask = _final_output(table, lab, economy)
    d, t = mrio.requirements_of_final_output(table.A.to_numpy(), w, lu=table.lu)
    tot_w = w.sum()
    tot_t = t.sum()
    df = pd.DataFrame(
        {
            "direct": d / tot_w,
            "total": t / tot_w,
            "indirect": (t - d) / tot_w,
            "direct_value": d,
            "total_value": t,
            "total_share": t / tot_t if tot_t > 0 else np.nan,
            "rest_of_world": rest_of_world_mask(lab.economies)[lab.region],
        },
        index=table.labels,
    )
    df = df[~mask]
    df = pd.concat([sector_names(table, df.index), df], axis=1)
    return df.sort_values("total", ascending=False)


def origin_concentration(table: IOTable, economy: str) -> pd.DataFrame:
    """Origin HHI of each focus-economy sector's total intermediate requirements.

    For sector j of the focus economy, its total intermediate requirements are the column
    (L − I)_{:,j} (output of every economy-sector needed per unit of j's final output). Summed by
    origin economy they give shares s_rj; HHI_j = Σ_r s_rj² over all origin economies (the focus
    economy included).

    Parameters
    ----------
    table : IOTable
        Multi-region table.
    economy : str
        Focus economy code.

    Returns
    -------
    DataFrame, index = focus-economy sectors
        ``hhi`` (unit-free, 1/R … 1), ``domestic_share``, ``foreign_share``,
        ``top_foreign_origin`` and ``top_foreign_share``, and ``total_requirements`` (column sum
        of L − I, output per unit of final output).

    Raises
    ------
    UnknownCodeError, FinalDemandBreakdownError
    """
    lab = mr_labels(table)
    economy = resolve_economy(lab, economy)
    r = lab.economies.get_loc(economy)
    cols = np.flatnonzero(lab.region == r)
    rhs = np.zeros((table.n, cols.size))
    rhs[cols, np.arange(cols.size)] = 1.0
    Lc = sla.lu_solve(table.lu, rhs, check_finite=False) - rhs  # (L − I)[:, cols]
    hhi, shares = mrio.origin_hhi(Lc, lab.region, lab.n_regions)
    foreign = shares.copy()
    foreign[r, :] = -1.0
    top = foreign.argmax(axis=0)
    df = pd.DataFrame(
        {
            "hhi": hhi,
            "domestic_share": shares[r],
            "foreign_share": 1.0 - shares[r],
            "top_foreign_origin": np.where(np.isfinite(hhi), lab.economies[top].astype(str), None),
            "top_foreign_share": shares[top, np.arange(cols.size)],
            "total_requirements": Lc.sum(axis=0),
        },
        index=pd.Index(table.labels[cols].get_level_values(1), name="sector"),
    )
    return df
