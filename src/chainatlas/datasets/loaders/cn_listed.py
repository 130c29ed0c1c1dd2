"""Loader for ``cn-listed-companies``: Chinese A-share listed companies (to March 2026).

Specs
-----
* ``cn-listed-companies:firms`` — listed firms (status ``L``) by province × the data vendor's
  industry, a :class:`~chainatlas.clusters.regional.RegionIndustry` (classification
  ``"tushare-industry"``).
* ``cn-listed-companies:shenwan`` — listed firms by province × Shenwan-2021 level-1 industry,
  joined with ``china-industry-chain-kg`` through the stock code (``ts_code``). Firms without a
  KG match are counted and reported (``provenance.extra["unmatched"]``).
* ``cn-listed-companies:table`` — the firm table itself (DataFrame, see :func:`listed_firms`).

Provinces are resolved with :func:`chainatlas.geo.to_province_code`; the vendor lists 深圳
apart from 广东 and abbreviates 内蒙古 as 内蒙 — both are mapped to their province.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from chainatlas.datasets.registry import data_path, dataset_provenance
from chainatlas.provenance import Provenance

DATASET = "cn-listed-companies"
FILE = "stock_basic.csv"


@functools.cache
def _raw(progress: bool = True) -> pd.DataFrame:
    path = data_path(DATASET, FILE, progress=progress)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def listed_firms(*, progress: bool = True, include_delisted: bool = False) -> pd.DataFrame:
    """Firm table: ts_code, symbol, name, area (as published), province (io_code), industry
    (vendor), list_date, status. Only listed firms (status L) unless `include_delisted`."""
    from chainatlas.geo import to_province_code

    d = _raw(progress)
    if not include_delisted:
        d = d[d["status"] == "L"]
    lookup = {a: to_province_code(a) for a in d["area"].unique() if a}
    return pd.DataFrame(
        {
            "ts_code": d["ts_code"],
            "symbol": d["symbol"],
            "name": d["name"],
            "area": d["area"],
            "province": d["area"].map(lookup),
            "industry": d["industry"].replace("", pd.NA),
            "list_date": d["list_date"],
            "status": d["status"],
        }
    ).reset_index(drop=True)


def join_shenwan(*, progress: bool = True) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Join listed firms with the chain KG's company → Shenwan industry through ``ts_code``.

    Returns
    -------
    firms : DataFrame
        :func:`listed_firms` columns plus ``sw_code``, ``sw_name`` (level 3), ``sw_l1_code``,
        ``sw_l1_name``; NaN where unmatched.
    stats : dict
        ``listed``, ``matched``, ``unmatched`` (listed firms absent from the KG),
        ``kg_not_listed`` (KG companies not among current listed firms).
    """
    from chainatlas.datasets.loaders import chain_kg

    firms = listed_firms(progress=progress)
    ci = chain_kg.company_industry(progress=progress)
    ind = chain_kg.industries(progress=progress).set_index("code")["name"]
    j = firms.merge(
        ci[["ts_code", "industry_code", "industry_name"]], on="ts_code", how="left"
    ).rename(columns={"industry_code": "sw_code", "industry_name": "sw_name"})
    j["sw_l1_code"] = j["sw_code"].str[:2] + "0000"
    j["sw_l1_name"] = j["sw_l1_code"].map(ind)
    matched = int(j["sw_code"].notna().sum())
    stats = {
        "listed": len(firms),
        "matched": matched,
        "unmatched": len(firms) - matched,
        "kg_not_listed": int((~ci["ts_code"].isin(firms["ts_code"])).sum()),
    }
    return j, stats


def _prov(step: str, extra: tuple[tuple[str, str], ...] = ()) -> Provenance:
    return dataset_provenance(DATASET, (FILE,), steps=(step,), extra=extra)


def SPECS() -> list[str]:
    """Valid keys: firms, shenwan, table."""
    return ["firms", "shenwan", "table"]


def load(key: str, *, progress: bool = True) -> object:
    """Load listed firms by province × industry (RegionIndustry) or the firm table."""
    from chainatlas.clusters.regional import RegionIndustry
    from chainatlas.geo import provinces

    if key == "table":
        return listed_firms(progress=progress)
    if key == "firms":
        f = listed_firms(progress=progress).dropna(subset=["province", "industry"])
        ind_col, classification = "industry", "tushare-industry"
        prov = _prov("listed firms (status L) by province × vendor industry")
    else:
        f, stats = join_shenwan(progress=progress)
        f = f.dropna(subset=["province", "sw_l1_name"])
        ind_col, classification = "sw_l1_name", "shenwan-2021-l1"
        prov = _prov(
            f"joined with china-industry-chain-kg via ts_code: {stats['matched']} of "
            f"{stats['listed']} listed firms matched, {stats['unmatched']} unmatched",
            extra=tuple((k, str(v)) for k, v in stats.items()),
        )
    counts = f.groupby(["province", ind_col]).size().rename("value").reset_index()
    ri = RegionIndustry.from_long(
        counts,
        region="province",
        industry=ind_col,
        measure="listed firms",
        unit="firms",
        source=DATASET,
        classification=classification,
    )
    order = [c for c in provinces().index if c in ri.values.index]
    vals = ri.values.loc[order]
    return RegionIndustry(
        values=vals,
        measure="listed firms",
        unit="firms",
        provenance=prov,
        classification=classification,
        regions=provinces().loc[order],
    )
