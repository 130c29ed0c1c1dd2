"""The digital-economy core by province over time (数字经济核心产业的省际格局与雁阵演变).

:func:`digital_core` gives one year's province picture of the NBS digital-economy core (full
members of the 2021 classification; in the provincial 42-sector tables 2017 sec20 + sec31,
2012 sec20 + sec32, 2007/2002 sec19 + sec29, as :mod:`chainatlas.clusters.digital` maps them):

* ``output_share`` — digital-core share of the province's gross output;
* ``va_share`` — digital-core share of the province's value added (when the table carries
  value added in ``extra``);
* ``lq`` — location quotient of the core on gross output (core vs the rest of the economy);
* ``size_share`` — the province's share of the national digital core's output;
* ``strong``/``top10`` — CMP strength flags of the core (the CMP rules, gross output in place of
  employment, no establishments);
* ``type`` — the flying-geese class (:func:`chainatlas.clusters.geese.flying_geese`).

:func:`digital_over_time` stacks years; :func:`geese_transitions` reads who moved up
(后发雁 → 跟随雁 → 头雁), who fell back and how each province's share of the national core moved.

Examples
--------
>>> import pandas as pd
>>> panel = pd.DataFrame({"year": [2012, 2017, 2012, 2017], "region": ["A", "A", "B", "B"],
...     "type": ["follower", "lead", "lead", "lead"], "size_share": [0.2, 0.3, 0.8, 0.7]})
>>> geese_transitions(panel)["move"].to_dict()
{'B': 'same', 'A': 'up'}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.clusters.digital import Include, classify_sectors, digital_clusters
from chainatlas.clusters.geese import GEESE_LABELS, flying_geese
from chainatlas.clusters.regional import RegionIndustry
from chainatlas.errors import InputError, LabelError
from chainatlas.validation import validate_params

__all__ = ["digital_core", "digital_over_time", "geese_transitions", "RANK"]

#: order of the flying-geese classes (higher = further ahead)
RANK: dict[str, int] = {"latecomer": 0, "follower": 1, "lead": 2}


def _digital_va(ri: RegionIndustry, include: Include) -> pd.Series | None:
    if "value added" not in ri.extra:
        return None
    names = None
    if ri.industries is not None and "name_zh" in ri.industries:
        names = ri.industries["name_zh"].tolist()
    c = classify_sectors(list(ri.values.columns), ri.classification, names=names)
    keep = c["membership"].eq("full") | (c["membership"].eq("partial") & (include != "full"))
    va = ri.extra["value added"]
    return va.loc[:, keep.to_numpy()].sum(axis=1) / va.sum(axis=1)


@validate_params
def digital_core(ri: RegionIndustry, *, include: Include = "full", **geese: float) -> pd.DataFrame:
    """One year's digital core by province (see module docs).

    Parameters
    ----------
    ri : RegionIndustry
        Provinces × sectors gross output with a mapped classification (e.g.
        ``china-provincial-io:2017``); value added in ``ri.extra`` adds ``va_share``.
    include : {"full", "full+partial"}
        Full members only (lower bound, default) or partial members too (upper bound).
    **geese
        Rule parameters of :func:`~chainatlas.clusters.geese.flying_geese`.

    Returns
    -------
    DataFrame indexed by region
        ``digital`` (core output, the unit of `ri`), ``total``, ``output_share``, ``va_share``
        (NaN without value added), ``lq``, ``size_share``, ``strong``, ``top10``, ``type``,
        ``type_zh``, ``rank``. ``attrs``: ``share_total`` (national core share of output).

    Raises
    ------
    VintageMismatchError, UnknownCodeError, ZeroTotalsError
        As :func:`~chainatlas.clusters.digital.digital_clusters`.
    """
    d = digital_clusters(ri, include=include)
    s = d["summary"]
    g = flying_geese(s["size_share"], s["lq"], s["digital_share"], **geese)
    out = pd.DataFrame(
        {
            "digital": s["digital"],
            "total": s["total"],
            "output_share": s["digital_share"],
            "va_share": np.nan,
            "lq": s["lq"],
            "size_share": s["size_share"],
            "strong": s["strong"].astype(bool),
            "top10": s["top10"].astype(bool),
        }
    )
    va = _digital_va(ri, include)
    if va is not None:
        out["va_share"] = va.reindex(out.index)
    out = out.join(g[["type", "type_zh", "rank"]])
    out.attrs = {"share_total": d["share_total"], "include": include}
    return out.sort_values("rank", kind="stable")


@validate_params
def digital_over_time(
    tables: Mapping[int, RegionIndustry], *, include: Include = "full", **geese: float
) -> pd.DataFrame:
    """:func:`digital_core` for several years, stacked long (``year``, ``region``, …).

    Raises
    ------
    InputError
        No tables given.
    """
    if not tables:
        raise InputError(
            "no years given", fix="pass {2007: ri07, 2012: ri12, 2017: ri17} (RegionIndustry)"
        )
    frames = []
    for year in sorted(tables):
        f = digital_core(tables[year], include=include, **geese).reset_index()
        f.insert(0, "year", int(year))
        frames.append(f)
    out = pd.concat(frames, ignore_index=True)
    out.attrs = {
        "share_total": {y: float(d) for y, d in _share_totals(tables, include).items()},
        "include": include,
    }
    return out


def _share_totals(tables: Mapping[int, RegionIndustry], include: Include) -> dict[int, Any]:
    return {y: digital_clusters(t, include=include)["share_total"] for y, t in tables.items()}


def geese_transitions(panel: pd.DataFrame, *, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Flying-geese moves between two years of :func:`digital_over_time`.

    Parameters
    ----------
    panel : DataFrame
        Long ``year``, ``region``, ``type``, ``size_share`` (and optionally ``lq``).
    years : (int, int), optional
        From and to; default the first and last year in `panel`.

    Returns
    -------
    DataFrame indexed by region
        ``type_from``, ``type_to``, ``move`` (``up``/``down``/``same``/``new`` for a region
        absent in the first year, e.g. Tibet before 2012), ``size_share_from``,
        ``size_share_to``, ``share_change`` (percentage points of the national core), and
        ``type_<year>`` for every year in `panel`. Sorted by the later share.

    Raises
    ------
    LabelError
        Missing columns or years not in `panel`.
    """
    need = {"year", "region", "type", "size_share"}
    if not need <= set(panel.columns):
        raise LabelError(
            "panel lacks columns",
            received=sorted(need - set(panel.columns)),
            fix="pass digital_over_time(...)",
        )
    have = sorted(set(panel["year"]))
    y0, y1 = years or (have[0], have[-1])
    if y0 not in have or y1 not in have:
        raise LabelError(
            "years not in the panel", received=(y0, y1), fix=f"years available: {have}"
        )
    wide_t = panel.pivot(index="region", columns="year", values="type")
    wide_s = panel.pivot(index="region", columns="year", values="size_share")
    out = pd.DataFrame(
        {
            "type_from": wide_t[y0],
            "type_to": wide_t[y1],
            "size_share_from": wide_s[y0],
            "size_share_to": wide_s[y1],
        }
    )
    r0 = out["type_from"].map(RANK)
    r1 = out["type_to"].map(RANK)
    out["move"] = np.select([r0.isna(), r1 > r0, r1 < r0], ["new", "up", "down"], default="same")
    out["share_change"] = (out["size_share_to"] - out["size_share_from"]) * 100
    for y in have:
        out[f"type_{y}"] = wide_t[y].map(lambda t: GEESE_LABELS[t][0] if isinstance(t, str) else "")
    out = out[out["type_to"].notna()]
    return out.sort_values("size_share_to", ascending=False, kind="stable")
