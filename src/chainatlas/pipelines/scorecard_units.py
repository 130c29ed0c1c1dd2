"""Unit sets of the scorecard beyond WIOD: China's years and the provinces (inputs only).

Each function returns ``(inputs, datasets, notes)`` for :func:`chainatlas.pipelines.scorecard.
run_scorecard`; formulas are in :mod:`chainatlas.scorecard.indicators`.

Sector groups of NBS tables are found by **Chinese sector name** (stable across the 2002–2020
schemes, whose codes shift), see :data:`NAME_GROUPS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.errors import InputError
from chainatlas.io.table import IOTable
from chainatlas.scorecard import Unavailable, panel_from_tables

__all__ = ["NAME_GROUPS", "name_groups", "trade_frame", "china_years", "provinces"]

Progress = Callable[[str, float | None], None]

#: NBS sector names of each group (digital = the two sectors wholly in the digital-economy core,
#: a lower bound of the official scope; energy = coal, crude oil and gas, refined petroleum and
#: coke, electricity and heat, gas supply)
NAME_GROUPS: dict[str, tuple[str, ...]] = {
    "digital": ("通信设备、计算机和其他电子设备", "信息传输、软件和信息技术服务"),
    "energy": (
        "煤炭采选产品",
        "石油和天然气开采产品",
        "石油、炼焦产品和核燃料加工品",
        "电力、热力的生产和供应",
        "燃气生产和供应",
    ),
}


def name_groups(table: IOTable) -> dict[str, np.ndarray]:
    """Sector masks of an NBS table: digital and energy by name, manufacturing and services by
    :func:`chainatlas.io.classify_sectors`.

    Raises
    ------
    InputError
        A group whose names are not all found (another classification).
    """
    from chainatlas.io import classify_sectors

    if table.sectors is None or "name_zh" not in table.sectors:
        raise InputError(
            "the table has no Chinese sector names to find the sector groups by",
            fix="use an NBS table (china-io, china-provincial-io)",
        )
    names = table.sectors["name_zh"].astype(str).str.strip().reindex(table.labels)
    out: dict[str, np.ndarray] = {}
    for g, members in NAME_GROUPS.items():
        found = names.isin(members).to_numpy()
        if found.sum() != len(members):
            missing = sorted(set(members) - set(names))
            raise InputError(
                f"sector group {g!r}: names not found in the table",
                received=missing,
                fix="the table uses another sector scheme; pass the groups explicitly",
            )
        out[g] = found
    cls = classify_sectors(table).reindex(table.labels)
    out["manufacturing"] = (cls == "manufacturing").to_numpy()
    out["services"] = (cls == "services").to_numpy()
    return out


def trade_frame(
    tables: Mapping[str, IOTable], flows: Mapping[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """Per unit: ``IM`` imports from abroad, ``IF`` inflows from other provinces (0 for a
    nation), ``use`` total use of products (intermediate + final, all origins) and
    ``intermediate_import_share`` (imported share of intermediate inputs).

    For non-competitive tables the intermediate share is ΣZm / Σ(Z + Zm); for competitive tables
    the proportionality assumption is used: each product's imports are spread over its uses in
    proportion (s_i = IM_i / use_i), giving Σ_i s_i Σ_j Z_ij / ΣZ (Hummels, Ishii & Yi 2001).
    """
    rows = {}
    for unit, t in tables.items():
        z = t.Z.to_numpy(dtype=float)
        x = t.x.to_numpy(dtype=float)
        if t.Zm is not None:
            zm = t.Zm.to_numpy(dtype=float)
            ym = t.Ym.to_numpy(dtype=float).sum() if t.Ym is not None else 0.0
            im = zm.sum() + ym
            use = z.sum() + zm.sum() + t.Y.to_numpy().sum() + ym
            inter = zm.sum() / (z.sum() + zm.sum())
            inflow = 0.0
        else:
            fl = flows[unit] if flows is not None else None
            imp = (
                fl["IM"].to_numpy(dtype=float)
                if fl is not None
                else (
                    t.imports.to_numpy(dtype=float) if t.imports is not None else np.zeros_like(x)
                )
            )
            inf = fl["IF"].to_numpy(dtype=float) if fl is not None else np.zeros_like(x)
            ex = (
                fl["EX"].to_numpy(dtype=float) + fl["OF"].to_numpy(dtype=float)
                if fl is not None
                else None
            )
            if ex is None:
                exports = [c for c in t.Y.columns if "export" in str(c).lower()]
                ex = t.Y[exports].to_numpy(dtype=float).sum(axis=1)
            total_use = np.abs(x + imp + inf - ex)
            s = np.divide(imp, total_use, out=np.zeros_like(x), where=total_use > 0)
            im, inflow, use = imp.sum(), inf.sum(), total_use.sum()
            inter = float((s * z.sum(axis=1)).sum() / z.sum())
        rows[unit] = {"IM": im, "IF": inflow, "use": use, "intermediate_import_share": inter}
    return pd.DataFrame(rows).T


def china_years(key: str, progress: Progress) -> tuple[dict[str, Any], list[str], list[dict]]:
    """China's national tables 2002–2020 on the common 39-sector basis, one unit per year.

    The competitive-import tables of :data:`chainatlas.io.CHINA_COMPETITIVE` (2002 … 2020) are
    used for every year so that the basis is one; current prices, not deflated.
    """
    from chainatlas.datasets import load
    from chainatlas.io import CHINA_COMPETITIVE
    from chainatlas.io.aggregate import china_common_basis

    if key not in ("series", ""):
        raise InputError(
            f"China's scorecard over time is one series, got {key!r}",
            received=key,
            fix="use china-io:series (for one year among economies use wiod-2013:2011)",
        )
    tables: dict[str, IOTable] = {}
    for k, (year, spec) in enumerate(CHINA_COMPETITIVE.items()):
        progress(f"loading {spec}", 0.05 + 0.4 * k / len(CHINA_COMPETITIVE))
        tables[str(year)] = china_common_basis(load(spec, progress=False))
    first = next(iter(tables.values()))
    panel = panel_from_tables(tables, name_groups(first))
    inputs = {
        "panel": panel,
        "units": list(tables),
        "year": "year of the unit (2002–2020)",
        "trade": trade_frame(tables),
    }
    notes = [
        {"zh": "单位是年份：各年与 2002–2020 的区间比较（趋势），不是经济体排名。",
         "en": "Units are years: each year is placed within 2002–2020 (a trend), not a league "
               "table of economies."},
        {"zh": "各年均用竞争型进口表并归并到共同的 39 部门口径；现价，未平减；2017 年起为新调查基准。",
         "en": "Competitive-import tables on the common 39-sector basis for every year; current "
               "prices, not deflated; 2017 starts a new benchmark survey."},
        {"zh": "镜像数据中没有排放数据：绿色化只用能源产品投入强度衡量。",
         "en": "The data mirror has no emissions data: 绿色化 uses energy-product input "
               "intensity only."},
    ]  # fmt: skip
    return inputs, [str(s) for s in CHINA_COMPETITIVE.values()], notes


def provinces(key: str, progress: Progress) -> tuple[dict[str, Any], list[str], list[dict]]:
    """The 31 provinces of ``china-provincial-io:YEAR`` (2012 or 2017) with innovation data."""
    from chainatlas.pipelines.scorecard_provinces import province_inputs

    return province_inputs(key, progress)


def unavailable(reason: str) -> Unavailable:
    """An input the pipeline could not provide."""
    return Unavailable(reason)
