"""Cluster strength (集群强度): US Cluster Mapping flags and European Cluster Observatory stars.

* :func:`cmp_strength` — the US Cluster Mapping Project's percentile rules on the LQ within
  the comparison set, as the CMP's processing code applies them (``rules="cmp"``): LQ against
  the traded total; *strong* = LQ at or above the 75th percentile of the regions where the
  industry is present and LQ ≥ 1; *top 10 %* = at or above the 90th percentile and LQ ≥ 1;
  both only above the bottom quartile of size and of establishments (Delgado, Porter & Stern
  2014, *Research Policy* 43(10); clustermapping/cmp ``data/processing``). The earlier
  chainatlas variant stays as ``rules="chainatlas"``.
* :func:`cluster_stars` — the European Cluster Observatory / European Cluster Panorama stars
  (Ketels & Protsiv 2013, 2016): size (top 10 % of regions by share of the category), spe-
  cialisation (LQ ≥ 2) and focus (top 10 % of regions by share of the region's total).

Every threshold is an argument whose default is the published value.

Examples
--------
>>> import pandas as pd
>>> from chainatlas.clusters.regional import RegionIndustry
>>> from chainatlas.provenance import Provenance
>>> v = pd.DataFrame({"x": [10.0, 1.0, 1.0, 1.0], "y": [1.0, 1.0, 1.0, 10.0]},
...                  index=list("ABCD"))
>>> ri = RegionIndustry(v, measure="jobs", unit="persons", provenance=Provenance("demo"))
>>> cmp_strength(ri).query("strong")[["region", "industry"]].values.tolist()
[['A', 'x'], ['D', 'y']]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.clusters.regional import RegionIndustry, ZeroTotalsPolicy
from chainatlas.errors import InputError, check_option
from chainatlas.kernels import clusters as k
from chainatlas.validation import validate_params

__all__ = ["cmp_strength", "cluster_stars", "strength_table"]


def _long(ri: RegionIndustry, cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """Long frame (region, industry, *cols) from (r, i) arrays, built without Python loops.

    ``region`` and ``industry`` are categoricals (cheap at county scale: 3M cells)."""
    r, i = ri.values.shape
    data: dict[str, object] = {
        "region": pd.Categorical.from_codes(np.repeat(np.arange(r), i), ri.values.index),
        "industry": pd.Categorical.from_codes(np.tile(np.arange(i), r), ri.values.columns),
    }
    for name, arr in cols.items():
        a = np.asarray(arr)
        data[name] = np.tile(a, r) if a.ndim == 1 else a.ravel()
    return pd.DataFrame(data, copy=False)  # one block per column: no consolidation copy


def _pct(name: str, value: float) -> None:
    if not 0.0 <= value <= 100.0:
        raise InputError(
            f"{name} must be a percentile in [0, 100]", received=value, fix="e.g. 75 or 90"
        )


def _floor(name: str, value: float) -> None:
    if not (np.isfinite(value) and value >= 0.0):
        raise InputError(
            f"{name} must be a finite number ≥ 0", received=value, fix="e.g. 0 (no floor) or 1"
        )


Rules = Literal["cmp", "chainatlas"]

#: how each rule set is stated in results (attrs["rules"])
RULES_TEXT: dict[str, str] = {
    "cmp": "US Cluster Mapping Project rules as its processing code applies them "
    "(clustermapping/cmp, data/processing/cluster_calcs_*.js): LQ against the traded total "
    "(local industries against the local total; the total when no traded set is given); "
    "percentiles over regions where the industry is present; strong = LQ ≥ p75 and LQ ≥ 1, "
    "top 10 % = LQ ≥ p90 and LQ ≥ 1, both only above the bottom quartile of size and of "
    "establishments",
    "chainatlas": "chainatlas' earlier variant: LQ against the total, percentiles over all "
    "regions, size floors min_size and min_share only",
}


def _traded_lq(E: np.ndarray, traded: np.ndarray) -> np.ndarray:
    """LQ with traded industries against the traded total and the rest against their total."""
    lq = np.zeros_like(E)
    for mask in (traded, ~traded):
        if mask.any():
            with np.errstate(divide="ignore", invalid="ignore"):
                lq[:, mask] = k.location_quotient(E[:, mask])
    # a region with no traded (or no local) activity: 0/0, which the CMP sets to 0 (safeSet)
    return np.where(np.isfinite(lq), lq, 0.0)


def _traded_mask(ri: RegionIndustry, traded: Sequence[str] | None) -> np.ndarray:
    cols = ri.values.columns
    if traded is None:
        return np.ones(len(cols), dtype=bool)
    unknown = sorted(set(map(str, traded)) - set(map(str, cols)))
    if unknown:
        raise InputError(
            "traded names industries not in the table",
            received=unknown[:10],
            fix="give traded industries by their column labels",
        )
    return np.asarray(cols.astype(str).isin([str(t) for t in traded]))


def _establishments(ri: RegionIndustry, est: RegionIndustry | None) -> np.ndarray | None:
    if est is None:
        return None
    if not (
        est.values.index.equals(ri.values.index) and est.values.columns.equals(ri.values.columns)
    ):
        raise InputError(
            "establishments are not indexed like the size table",
            received=est.values.shape,
            fix="give establishments for the same regions and industries, same order",
        )
    return est.values.to_numpy(dtype=float)


@validate_params
def cmp_strength(
    ri: RegionIndustry,
    *,
    rules: Rules = "cmp",
    traded: Sequence[str] | None = None,
    establishments: RegionIndustry | None = None,
    strong_pct: float = 75.0,
    top_pct: float = 90.0,
    min_lq: float = 1.0,
    size_pct: float = 25.0,
    min_size: float = 0.0,
    min_share: float = 0.0,
    zero_totals: ZeroTotalsPolicy = "raise",
) -> pd.DataFrame:
    """US Cluster Mapping strength flags for every region × industry cell.

    Parameters
    ----------
    ri : RegionIndustry, shape (r, i)
        The comparison set (e.g. all provinces, all states). The CMP uses employment; for
        Chinese provinces gross output takes its place (the tables hold no employment).
    rules : {"cmp", "chainatlas"}
        ``"cmp"`` (default): the CMP's own rules (see :data:`RULES_TEXT` and
        :func:`chainatlas.kernels.clusters.cmp_flags`). ``"chainatlas"``: the earlier variant
        (LQ against the total, percentiles over all regions, floors `min_size`/`min_share`).
    traded : list of str, optional
        Traded industries (``"cmp"`` rules): their LQ uses the traded total, the others the
        local total. Default: none given, the LQ uses the total (stated in ``attrs``).
    establishments : RegionIndustry, optional
        Establishment counts for the CMP's second size floor (``"cmp"`` rules); without them
        only the size floor applies (stated in ``attrs``).
    strong_pct, top_pct : float
        Percentiles of the LQ across regions, per industry (CMP: 75 and 90).
    min_lq : float
        LQ floor for both flags (CMP: 1).
    size_pct : float
        Percentile of the size floors (CMP: 25, the bottom quartile; ``"cmp"`` rules).
    min_size : float
        Extra size floor in `ri.unit` (default 0 = none).
    min_share : float
        Extra floor on the region's share of the industry total e_ri/e_i (default 0).
    zero_totals : {"raise", "drop"}
        Zero-total regions/industries: raise (default) or drop (listed in
        ``result.attrs["dropped"]``).

    Returns
    -------
    DataFrame, long form, r × i rows
        ``region``, ``industry``, ``value``, ``lq``, ``share`` (e_ri/e_i), ``lq_p75``,
        ``lq_p90`` (the industry's thresholds), ``strong``, ``top10`` (bool); with ``"cmp"``
        rules also ``size_floor``, ``est_floor``, ``qualifying``, ``significant``.
        ``attrs["rules"]`` states the rules applied.

    Raises
    ------
    ZeroTotalsError
        Zero totals with ``zero_totals="raise"``.
    InputError
        Percentiles outside [0, 100], negative floors, unknown rules or traded industries.
    """
    check_option("rules", rules, Rules)
    for name, pct in (("strong_pct", strong_pct), ("top_pct", top_pct), ("size_pct", size_pct)):
        _pct(name, pct)
    for name, value in (("min_lq", min_lq), ("min_size", min_size), ("min_share", min_share)):
        _floor(name, value)
    ri = ri.checked(zero_totals)
    E = ri.values.to_numpy(dtype=float)
    share = E / E.sum(axis=0, keepdims=True)
    extra = (min_size <= E) & (min_share <= share)
    if rules == "chainatlas":
        lq = k.location_quotient(E)
        strong, top, t_s, t_t = k.percentile_flags(
            lq,
            E,
            strong_pct=strong_pct,
            top_pct=top_pct,
            min_lq=min_lq,
            min_size=min_size,
            min_share=min_share,
        )
        cols = {
            "value": E,
            "lq": lq,
            "share": share,
            "lq_p75": t_s,
            "lq_p90": t_t,
            "strong": strong,
            "top10": top,
        }
        note = RULES_TEXT["chainatlas"]
    else:
        lq = _traded_lq(E, _traded_mask(ri, traded))
        f = k.cmp_flags(
            lq,
            E,
            _establishments(ri, establishments),
            strong_pct=strong_pct,
            top_pct=top_pct,
            min_lq=min_lq,
            size_pct=size_pct,
        )
        cols = {
            "value": E,
            "lq": lq,
            "share": share,
            "lq_p75": f["lq_p75"],
            "lq_p90": f["lq_p90"],
            "strong": f["strong"] & extra,
            "top10": f["top"] & extra,
            "size_floor": f["size_floor"],
            "est_floor": f["est_floor"],
            "qualifying": f["qualifying"] & extra,
            "significant": f["significant"] & extra,
        }
        note = (
            RULES_TEXT["cmp"]
            + ("; LQ against the total (no traded set given)" if traded is None else "")
            + ("; no establishments given: size floor only" if establishments is None else "")
        )
    out = _long(ri, cols)
    out.attrs["rules"] = note
    if ri.dropped:
        out.attrs["dropped"] = {a: list(b) for a, b in ri.dropped}
    return out


@validate_params
def cluster_stars(
    ri: RegionIndustry,
    *,
    size_pct: float = 90.0,
    min_lq: float = 2.0,
    focus_pct: float = 90.0,
    min_size: float = 0.0,
    zero_totals: ZeroTotalsPolicy = "raise",
) -> pd.DataFrame:
    """European Cluster Observatory stars (0–3) for every region × industry cell.

    Parameters
    ----------
    size_pct : float
        Size star: share of the category's total at or above this percentile of regions
        (published: top 10 % → 90).
    min_lq : float
        Specialisation star: LQ ≥ `min_lq` (published: 2).
    focus_pct : float
        Focus star: share of the region's total at or above this percentile (top 10 % → 90).
    min_size : float
        Cells below this size get no star (the Observatory counted only regions with at least
        1,000 employees in the category; default 0 = none, as units differ).
    zero_totals : {"raise", "drop"}
        As :func:`cmp_strength`.

    Returns
    -------
    DataFrame, long form
        ``region``, ``industry``, ``value``, ``lq``, ``size_share`` (e_ri/e_i),
        ``focus_share`` (e_ri/e_r), ``size_star``, ``specialisation_star``, ``focus_star``,
        ``stars``.

    Raises
    ------
    ZeroTotalsError, InputError
        As :func:`cmp_strength`.
    """
    _pct("size_pct", size_pct)
    _pct("focus_pct", focus_pct)
    _floor("min_lq", min_lq)
    _floor("min_size", min_size)
    ri = ri.checked(zero_totals)
    E = ri.values.to_numpy(dtype=float)
    size, spec, focus, stars = k.cluster_stars(
        E, size_pct=size_pct, min_lq=min_lq, focus_pct=focus_pct, min_size=min_size
    )
    out = _long(
        ri,
        {
            "value": E,
            "lq": k.location_quotient(E),
            "size_share": E / E.sum(axis=0, keepdims=True),
            "focus_share": E / E.sum(axis=1, keepdims=True),
            "size_star": size,
            "specialisation_star": spec,
            "focus_star": focus,
            "stars": stars,
        },
    )
    if ri.dropped:
        out.attrs["dropped"] = {a: list(b) for a, b in ri.dropped}
    return out


@validate_params
def strength_table(ri: RegionIndustry, *, zero_totals: ZeroTotalsPolicy = "raise") -> pd.DataFrame:
    """CMP flags and European stars side by side, one row per cell, published defaults.

    Returns
    -------
    DataFrame, long form
        Columns of :func:`cmp_strength` plus ``size_star``, ``specialisation_star``,
        ``focus_star``, ``stars``, sorted by region then descending LQ.
    """
    a = cmp_strength(ri, zero_totals=zero_totals)
    b = cluster_stars(ri, zero_totals=zero_totals)
    cols = ["size_star", "specialisation_star", "focus_star", "stars"]
    out = pd.concat([a, b[cols]], axis=1)
    out = out.sort_values(["region", "lq"], ascending=[True, False], kind="stable")
    out.attrs = a.attrs
    return out.reset_index(drop=True)
