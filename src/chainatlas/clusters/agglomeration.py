"""Agglomeration measures (集聚度量): LQ, Krugman specialisation, Hoover/Gini localisation, HHI.

Labelled wrappers around :mod:`chainatlas.kernels.clusters`: each validates the
:class:`~chainatlas.clusters.regional.RegionIndustry` (zero totals raise unless
``zero_totals="drop"``) and returns a labelled pandas object. When regions or industries are
dropped, ``result.attrs["dropped"]`` lists them.

Examples
--------
>>> import pandas as pd
>>> from chainatlas.clusters.regional import RegionIndustry
>>> from chainatlas.provenance import Provenance
>>> v = pd.DataFrame([[2.0, 2.0], [0.0, 4.0]], index=["A", "B"], columns=["x", "y"])
>>> ri = RegionIndustry(v, measure="jobs", unit="persons", provenance=Provenance("demo"))
>>> location_quotient(ri).round(3).values.tolist()
[[2.0, 0.667], [0.0, 1.333]]
"""

from __future__ import annotations

import pandas as pd

from chainatlas.clusters.regional import RegionIndustry, ZeroTotalsPolicy
from chainatlas.kernels import clusters as k
from chainatlas.validation import validate_params

__all__ = [
    "location_quotient",
    "krugman_specialisation",
    "hoover_localisation",
    "gini_localisation",
    "hhi_concentration",
    "agglomeration_summary",
]


def _prep(ri: RegionIndustry, zero_totals: ZeroTotalsPolicy) -> RegionIndustry:
    return ri.checked(zero_totals)


def _attach(obj: pd.DataFrame | pd.Series, ri: RegionIndustry) -> pd.DataFrame | pd.Series:
    if ri.dropped:
        obj.attrs["dropped"] = {k_: list(v) for k_, v in ri.dropped}
    return obj


@validate_params
def location_quotient(
    ri: RegionIndustry, *, zero_totals: ZeroTotalsPolicy = "raise"
) -> pd.DataFrame:
    """Location quotient LQ_ri = (e_ri / e_r) / (e_i / e).

    Parameters
    ----------
    ri : RegionIndustry, shape (r, i)
    zero_totals : {"raise", "drop"}
        Regions/industries with zero total make the LQ 0/0; raise (default) or drop them.

    Returns
    -------
    DataFrame, shape (r, i), unit-free; 1 = the national (comparison-set) share.

    Raises
    ------
    ZeroTotalsError
        When any region or industry total is zero and ``zero_totals="raise"``.

    Notes
    -----
    Standard regional-science definition, used by the US Cluster Mapping Project (Delgado,
    Porter & Stern 2014) and the European Cluster Observatory; the comparison set is the
    regions of `ri`.
    """
    ri = _prep(ri, zero_totals)
    lq = k.location_quotient(ri.values.to_numpy(dtype=float))
    return _attach(pd.DataFrame(lq, index=ri.values.index, columns=ri.values.columns), ri)


@validate_params
def krugman_specialisation(
    ri: RegionIndustry, *, zero_totals: ZeroTotalsPolicy = "raise"
) -> pd.Series:
    """Krugman specialisation index per region, K_r = Σ_i |e_ri/e_r − e_i/e| (Krugman 1991).

    Returns
    -------
    Series, shape (r,), in [0, 2): 0 = the region's structure equals the comparison set's.

    Raises
    ------
    ZeroTotalsError
        As :func:`location_quotient`.
    """
    ri = _prep(ri, zero_totals)
    out = k.krugman_specialisation(ri.values.to_numpy(dtype=float))
    return _attach(pd.Series(out, index=ri.values.index, name="krugman"), ri)


@validate_params
def hoover_localisation(
    ri: RegionIndustry, *, zero_totals: ZeroTotalsPolicy = "raise"
) -> pd.Series:
    """Hoover localisation coefficient per industry, H_i = ½ Σ_r |e_ri/e_i − e_r/e| (Hoover 1936).

    Returns
    -------
    Series, shape (i,), in [0, 1): 0 = spread like total activity.

    Raises
    ------
    ZeroTotalsError
        As :func:`location_quotient`.
    """
    ri = _prep(ri, zero_totals)
    out = k.hoover_localisation(ri.values.to_numpy(dtype=float))
    return _attach(pd.Series(out, index=ri.values.columns, name="hoover"), ri)


@validate_params
def gini_localisation(ri: RegionIndustry, *, zero_totals: ZeroTotalsPolicy = "raise") -> pd.Series:
    """Locational Gini coefficient per industry (Krugman 1991), in [0, 1).

    Returns
    -------
    Series, shape (i,).

    Raises
    ------
    ZeroTotalsError
        As :func:`location_quotient`.
    """
    ri = _prep(ri, zero_totals)
    out = k.gini_localisation(ri.values.to_numpy(dtype=float))
    return _attach(pd.Series(out, index=ri.values.columns, name="gini"), ri)


@validate_params
def hhi_concentration(ri: RegionIndustry, *, zero_totals: ZeroTotalsPolicy = "raise") -> pd.Series:
    """Herfindahl–Hirschman index of regional shares per industry, Σ_r (e_ri/e_i)², in (0, 1].

    Raises
    ------
    ZeroTotalsError
        As :func:`location_quotient`.
    """
    ri = _prep(ri, zero_totals)
    out = k.hhi_concentration(ri.values.to_numpy(dtype=float))
    return _attach(pd.Series(out, index=ri.values.columns, name="hhi"), ri)


@validate_params
def agglomeration_summary(
    ri: RegionIndustry, *, zero_totals: ZeroTotalsPolicy = "raise"
) -> dict[str, pd.DataFrame]:
    """Per-industry (Hoover, Gini, HHI, total) and per-region (Krugman, total) tables.

    Returns
    -------
    dict
        ``{"industries": DataFrame (i, 4), "regions": DataFrame (r, 2)}``.
    """
    ri = _prep(ri, zero_totals)
    ind = pd.concat(
        [
            ri.industry_totals,
            hoover_localisation(ri),
            gini_localisation(ri),
            hhi_concentration(ri),
        ],
        axis=1,
    )
    reg = pd.concat([ri.region_totals, krugman_specialisation(ri)], axis=1)
    return {"industries": ind, "regions": reg}
