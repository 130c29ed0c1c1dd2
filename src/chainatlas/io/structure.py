"""Structural change across years (产业结构变迁) on a common sector basis.

Given tables of several years with identical sector labels (for China: each NBS table put on the
common ~42-sector basis by :func:`chainatlas.io.aggregate.china_common_basis`),
:func:`structural_change` computes per year and sector:

* output multipliers 1ᵀL, normalised total backward (1ᵀL) and forward (G·1) linkages and the
  key-sector type (:mod:`chainatlas.io.linkages`);
* upstreamness (Antràs et al. 2012, :mod:`chainatlas.io.positions`);
* output shares x_i / 1ᵀx;
* import dependence (total share) for the years given a non-competitive table;

and a summary per year against the previous year:

* **output-structure change**, the norm of absolute values (NAV; Michaely 1962), ½ Σ_i |s_i,t −
  s_i,t−1| with s the output shares (0 = no change, 1 = complete reallocation);
* **coefficient change index** (CCI), Σ_ij |A_ij,t − A_ij,t−1| / Σ_ij A_ij,t−1: the total absolute
  change of technical coefficients relative to their previous total (cf. Carter 1970, M&B §7.4);
* the multiplier change index Σ_j |m_j,t − m_j,t−1| / Σ_j m_j,t−1;
* the number of key sectors and the output-weighted mean upstreamness.

Tables are in current prices of their years; shares, coefficients and multipliers are unit-free
so they compare across years without deflation (coefficients still move with relative prices).

Which China tables: the competitive-import tables of every year (2002-122, 2005-42, 2007-135,
2010-41, 2012-139, 2015-42, 2017-149, 2018-153, 2020-153; see :data:`CHINA_COMPETITIVE`) so that
A includes imported inputs in every year; import dependence comes from the non-competitive
42-sector tables of 2017, 2018 and 2020 (:data:`CHINA_NONCOMPETITIVE`).

Examples
--------
>>> from chainatlas.io.table import IOTable
>>> kw = dict(V=[[650, 1400]], sectors=["S1", "S2"], final_demand=["f"], value_added=["v"],
...           unit="USD", source="example")
>>> t1 = IOTable.from_arrays(Z=[[150, 500], [200, 100]], Y=[[350], [1700]], **kw)
>>> t2 = IOTable.from_arrays(Z=[[100, 500], [250, 100]], Y=[[400], [1650]], **kw)
>>> sc = structural_change({2017: t1, 2020: t2})
>>> round(float(sc.summary.loc[2020, "coefficient_change"]), 4)
0.1538
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, LabelError
from chainatlas.io.imports import import_dependence
from chainatlas.io.linkages import key_sectors
from chainatlas.io.multipliers import output_multipliers
from chainatlas.io.positions import upstreamness
from chainatlas.io.table import IOTable

__all__ = [
    "CHINA_COMPETITIVE",
    "CHINA_NONCOMPETITIVE",
    "StructuralChange",
    "structural_change",
]

#: year -> competitive-import China table used for the structural series
CHINA_COMPETITIVE: dict[int, str] = {
    2002: "china-io:2002-122",
    2005: "china-io:2005-42",
    2007: "china-io:2007-135",
    2010: "china-io:2010-41",
    2012: "china-io:2012-139",
    2015: "china-io:2015-42",
    2017: "china-io:2017-149",
    2018: "china-io:2018-153",
    2020: "china-io:2020-153",
}

#: year -> non-competitive China table (for import dependence)
CHINA_NONCOMPETITIVE: dict[int, str] = {
    2017: "china-io:2017-42",
    2018: "china-io:2018-42",
    2020: "china-io:2020-42",
}


@dataclass(frozen=True, eq=False)
class StructuralChange:
    """Per-year IO indicators on a common sector basis, and what changed.

    Every frame is indexed by sector (rows) × year (columns) unless stated; all are unit-free.

    Attributes
    ----------
    years : tuple of int
    output_multipliers, backward, forward, upstreamness, output_share : DataFrame
        Output multipliers 1ᵀL; normalised total backward and forward linkages; upstreamness;
        output shares.
    key_type : DataFrame
        Key-sector type per year (``key``, ``backward-oriented``, ``forward-oriented``, ``weak``).
    import_share : DataFrame
        Total import share of intermediate inputs, for the years with a non-competitive table
        (may have no columns).
    summary : DataFrame, index = year
        ``n_key``, ``mean_multiplier``, ``mean_upstreamness`` (output-weighted),
        ``output_change_nav``, ``coefficient_change``, ``multiplier_change`` (NaN for the first
        year).
    changes : DataFrame, index = sector
        First and last year's multiplier, backward-linkage rank (1 = strongest) and its change
        (positive = moved up), key type first and last, upstreamness change and output-share
        change (last − first).
    """

    years: tuple[int, ...]
    output_multipliers: pd.DataFrame
    backward: pd.DataFrame
    forward: pd.DataFrame
    key_type: pd.DataFrame
    upstreamness: pd.DataFrame
    output_share: pd.DataFrame
    import_share: pd.DataFrame
    summary: pd.DataFrame
    changes: pd.DataFrame


def _rel_abs_change(new: np.ndarray, old: np.ndarray) -> float:
    return float(np.abs(new - old).sum() / np.abs(old).sum())


def structural_change(
    tables: Mapping[int, IOTable],
    *,
    noncompetitive: Mapping[int, IOTable] | None = None,
) -> StructuralChange:
    """Compare IO structure across years (module docs give every formula).

    Parameters
    ----------
    tables : mapping year -> IOTable
        At least two tables with the same sector labels (any order; results follow the latest
        table's order), e.g. the China tables on the common basis.
    noncompetitive : mapping year -> IOTable, optional
        Non-competitive tables with the same labels, for import dependence.

    Returns
    -------
    StructuralChange

    Raises
    ------
    InputError
        Fewer than two tables.
    LabelError
        Tables whose sector labels differ.
    """
    if len(tables) < 2:
        raise InputError(
            "structural change needs tables of at least two years",
            received=sorted(tables),
            fix="pass a mapping of two or more years to tables",
        )
    years = tuple(sorted(tables))
    labels = tables[years[-1]].labels
    for y in years:
        other = tables[y].labels
        if other.has_duplicates or len(other) != len(labels) or set(other) != set(labels):
            raise LabelError(
                f"sector labels of {y} differ from {years[-1]}",
                received=f"only in {y}: {other.difference(labels).tolist()[:5]}; only in "
                f"{years[-1]}: {labels.difference(other).tolist()[:5]}",
                fix="put every table on the same basis first (china_common_basis / aggregate)",
            )
    mult, bl, fl, kt, up, share = {}, {}, {}, {}, {}, {}
    rows = []
    prev_a: np.ndarray | None = None
    for i, y in enumerate(years):
        t = tables[y]
        perm = t.labels.get_indexer(labels)
        mult[y] = output_multipliers(t).reindex(labels)
        ks = key_sectors(t).reindex(labels)
        bl[y], fl[y], kt[y] = ks["backward"], ks["forward"], ks["type"]
        up[y] = upstreamness(t).reindex(labels)
        x = t.x.reindex(labels).to_numpy(dtype=float)
        share[y] = pd.Series(x / x.sum(), index=labels)
        a = t.A.to_numpy()[np.ix_(perm, perm)]
        row = {
            "year": y,
            "n_key": int((ks["type"] == "key").sum()),
            "mean_multiplier": float(mult[y].mean()),
            "mean_upstreamness": float(np.average(up[y].to_numpy(), weights=x)),
            "output_change_nav": np.nan,
            "coefficient_change": np.nan,
            "multiplier_change": np.nan,
        }
        if prev_a is not None:
            py = years[i - 1]
            row["output_change_nav"] = 0.5 * float(np.abs(share[y] - share[py]).sum())
            row["coefficient_change"] = _rel_abs_change(a, prev_a)
            row["multiplier_change"] = _rel_abs_change(mult[y].to_numpy(), mult[py].to_numpy())
        rows.append(row)
        prev_a = a
    imp = {}
    for y, t in sorted((noncompetitive or {}).items()):
        if len(t.labels) != len(labels) or set(t.labels) != set(labels):
            raise LabelError(
                f"labels of the non-competitive {y} table differ from the series",
                received=t.labels.difference(labels).tolist()[:5],
                fix="put every table on the same basis first",
            )
        imp[y] = import_dependence(t)["total_share"].reindex(labels)
    frame = lambda d: pd.DataFrame(d, index=labels)  # noqa: E731
    M, BL, FL, KT = frame(mult), frame(bl), frame(fl), frame(kt)
    UP, SH = frame(up), frame(share)
    IMP = frame(imp) if imp else pd.DataFrame(index=labels)
    first, last = years[0], years[-1]
    rank_first = BL[first].rank(ascending=False, method="first").astype(int)
    rank_last = BL[last].rank(ascending=False, method="first").astype(int)
    changes = pd.DataFrame(
        {
            f"multiplier_{first}": M[first],
            f"multiplier_{last}": M[last],
            f"backward_rank_{first}": rank_first,
            f"backward_rank_{last}": rank_last,
            "rank_change": rank_first - rank_last,
            f"type_{first}": KT[first],
            f"type_{last}": KT[last],
            "upstreamness_change": UP[last] - UP[first],
            "output_share_change": SH[last] - SH[first],
        }
    )
    return StructuralChange(
        years=years,
        output_multipliers=M,
        backward=BL,
        forward=FL,
        key_type=KT,
        upstreamness=UP,
        output_share=SH,
        import_share=IMP,
        summary=pd.DataFrame(rows).set_index("year"),
        changes=changes,
    )
