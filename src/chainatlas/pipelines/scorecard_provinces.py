"""Inputs of the provincial scorecard (省级评分输入): 31 provinces, 2012 or 2017.

* IO structure — ``china-provincial-io:YEAR-<province>`` (competitive tables: the intermediate
  block includes inflows from other provinces and imports from abroad);
* flows — :func:`chainatlas.datasets.loaders.china_provincial_io.province_flows` (IM, IF, EX,
  OF);
* innovation — ``cn-province-innovation``: R&D intensity (``v4_ztr_qd_RD``, %), valid invention
  patents (``v4_cg_zlsyx_fm``, 件) per 亿元 of value added (the mirror has no provincial
  population, so not per capita), high-tech industry main-business revenue (``v4_cy_scjy_zyyw``,
  亿元; no 2017 value in the source: the nearest year, earlier on ties, is used and stated)
  over the province's manufacturing gross output;
* chain completeness (2017 only, the chain templates' scheme) — the mean over the chain
  templates of :func:`chainatlas.chains.gaps.chain_completeness`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from chainatlas.errors import InputError
from chainatlas.scorecard import Unavailable, panel_from_tables

__all__ = ["province_inputs", "innovation_frame", "YEARS"]

Progress = Callable[[str, float | None], None]
YEARS = (2012, 2017)
RD = "v4_ztr_qd_RD"
PATENTS = "v4_cg_zlsyx_fm"
HITECH_REVENUE = "v4_cy_scjy_zyyw"


def _nearest(panel: pd.DataFrame, variable: str, year: int) -> tuple[pd.Series, int | None]:
    s = panel[panel["variable"] == variable]
    years = sorted(set(s["year"].astype(int)))
    if not years:
        return pd.Series(dtype=float), None
    best = min(years, key=lambda y: (abs(y - year), y))
    one = s[s["year"] == best]
    if "table" in one.columns and variable == PATENTS:
        one = one[one["table"] == "RDPatentValid"]
    return one.set_index("province")["value"].astype(float), best


def innovation_frame(year: int) -> tuple[pd.DataFrame, dict[str, int | None]]:
    """Province (short Chinese name) × {rd_intensity, patents_valid, hitech_revenue}, and the
    year each comes from."""
    from chainatlas.datasets import load

    inn = load("cn-province-innovation", progress=False)
    inn = inn[inn["province"] != "全国"]
    cols, years = {}, {}
    for name, var in (
        ("rd_intensity", RD),
        ("patents_valid", PATENTS),
        ("hitech_revenue", HITECH_REVENUE),
    ):
        s, y = _nearest(inn, var, year)
        cols[name] = s
        years[name] = y
    return pd.DataFrame(cols), years


def _chain_completeness(year: int) -> Any:
    if year != 2017:
        return Unavailable("chain templates use the NBS 2017 42-sector scheme (2017 only)")
    from chainatlas.chains.gaps import chain_completeness, chain_gaps, link_weights
    from chainatlas.pipelines.chain_gaps import gap_inputs

    gi = gap_inputs(year)
    gaps = chain_gaps(firms=gi["firms"], output=gi["output"], dependence=gi["dependence"])
    from chainatlas.geo import provinces

    score = chain_completeness(gaps, link_weights(gi["L"]))
    short = provinces().set_index("io_code")["short_zh"]
    out = score.mean(axis=1)
    out.index = [short.get(c, c) for c in out.index]
    return out


def province_inputs(key: str, progress: Progress) -> tuple[dict[str, Any], list[str], list[dict]]:
    """Inputs for the provinces specification (``provinces-v1.yaml``)."""
    from chainatlas.datasets import load
    from chainatlas.datasets.loaders.china_provincial_io import province_flows
    from chainatlas.geo import provinces
    from chainatlas.pipelines.scorecard_units import name_groups, trade_frame
    from chainatlas.scorecard.panel import china42_groups

    if not key.isdigit() or int(key) not in YEARS:
        raise InputError(
            f"provincial scorecards exist for {YEARS}, got {key!r}",
            received=key,
            fix="e.g. chainatlas scorecard china-provincial-io:2017 (2002/2007 lack the "
            "inflow/import split)",
        )
    year = int(key)
    prov = provinces()
    tables, flows = {}, {}
    for k, short in enumerate(prov["short_zh"]):
        progress(f"loading china-provincial-io:{year}-{short}", 0.05 + 0.3 * k / len(prov))
        tables[short] = load(f"china-provincial-io:{year}-{short}", progress=False)
        f = province_flows(year, short)
        flows[short] = pd.DataFrame(
            {"IM": f["imports"], "IF": f["inflows"], "EX": f["exports"], "OF": f["outflows"]}
        )
    first = next(iter(tables.values()))
    groups = name_groups(first)
    notes = []
    if year == 2017:
        codes = [str(c) for c in first.labels]
        extra = china42_groups(codes)
        groups.update({g: extra[g] for g in ("high-tech", "strategic-emerging", "digital+partial")})
    else:
        notes.append(
            {"zh": "2012 年部门方案无高技术和战略性新兴产业对照表：这两个指标不计。",
             "en": "The 2012 sector scheme has no high-tech or strategic-emerging mapping: "
                   "those indicators are left out."}
        )  # fmt: skip
    panel = panel_from_tables(tables, groups)
    local = _local_manufacturing_supply(year, list(tables), groups["manufacturing"])
    progress("innovation indicators", 0.4)
    inn, inn_years = innovation_frame(year)
    inn = inn.reindex(list(tables))
    va_yi = pd.Series(panel.v.sum(axis=1) / 1e4, index=list(tables))  # 万元 → 亿元
    manuf = panel.mask("manufacturing")
    mx_yi = pd.Series(panel.x[:, manuf].sum(axis=1) / 1e4, index=list(tables))
    innovation = pd.DataFrame(
        {
            "rd_intensity": inn["rd_intensity"],
            "patents_per_va": inn["patents_valid"] / va_yi,
            "hitech_revenue_share": inn["hitech_revenue"] / mx_yi,
        }
    )
    progress("chain completeness", 0.45)
    chains = _chain_completeness(year)
    inputs: dict[str, Any] = {
        "panel": panel,
        "units": list(tables),
        "year": year,
        "trade": trade_frame(tables, flows).assign(local_manufacturing_supply=local),
        "innovation": innovation,
        "chain_completeness": chains,
        "year_of": {
            "rd_intensity": inn_years["rd_intensity"],
            "patents_per_va": inn_years["patents_valid"],
            "hitech_revenue_share": inn_years["hitech_revenue"],
        },
        "aliases": _aliases(prov),
    }
    if year != 2017:
        why = "no high-tech / strategic-emerging mapping for the 2012 sector scheme"
        inputs["unavailable_indicators"] = {
            "hightech_va_share": why,
            "strategic_emerging_va_share": why,
        }
    notes += [
        {"zh": "省级表为竞争型：中间投入含省外流入和国外进口；进口依赖按比例假设计算。",
         "en": "Provincial tables are competitive: intermediate inputs include inflows from "
               "other provinces and imports; import dependence uses the proportionality "
               "assumption."},
        {"zh": "镜像数据中没有分省人口：发明专利按每亿元增加值计，而非人均。",
         "en": "The mirror has no provincial population: invention patents are per 100 "
               "million yuan of value added, not per capita."},
        {"zh": f"高技术产业营业收入取 {inn_years['hitech_revenue']} 年（源数据无 {year} 年）。"
               if inn_years["hitech_revenue"] != year else "",
         "en": f"High-tech industry revenue is for {inn_years['hitech_revenue']} (the source has "
               f"no {year} value)." if inn_years["hitech_revenue"] != year else ""},
        {"zh": "镜像数据中没有排放数据：绿色化只用能源产品投入强度衡量。",
         "en": "The data mirror has no emissions data: 绿色化 uses energy-product input "
               "intensity only."},
    ]  # fmt: skip
    notes = [n for n in notes if n["en"]]
    datasets = [f"china-provincial-io:{year}", "cn-province-innovation"]
    if year == 2017:
        datasets += ["cn-listed-companies", "china-industry-chain-kg", "china-io:2017-42"]
    return inputs, datasets, notes


def _local_manufacturing_supply(year: int, units: list[str], manuf: Any) -> pd.Series:
    """Local share of the use of manufacturing products, per province (total-use basis):
    Σ_manuf local_share × use / Σ_manuf use, from :func:`chainatlas.regions.supply_shares`."""
    from chainatlas.datasets.loaders.china_provincial_io import province_flows
    from chainatlas.regions import supply_shares

    out = {}
    for u in units:
        ss = supply_shares(province_flows(year, u))
        m = pd.Series(manuf, index=ss.index)
        use = ss["use"].where(m, 0.0)
        out[u] = float((ss["local_share"] * use).sum() / use.sum())
    return pd.Series(out)


def _aliases(prov: pd.DataFrame) -> dict[str, str]:
    out = {}
    for _, r in prov.iterrows():
        for a in (r["io_code"], r["name_zh"], r["name_en"], r["gb2260"]):
            out[str(a).casefold()] = r["short_zh"]
    return out
