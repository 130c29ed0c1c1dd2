"""Atlas report sections on economic complexity (经济复杂度报告章节).

Each ``*_payload`` function calls the labelled API of :mod:`chainatlas.complexity` and returns the
dict a section shows; ``chainatlas complexity ...`` emits the same dicts as JSON/CSV. Nothing here
computes a metric (the product-space drawing only places the precomputed layout).

The section is added to reports of China's national tables (``china-io:*``), with focus economy
China (``chn``): the ECI ranking of world-trade-sitc (cleaned as the Atlas does), the product space
coloured by China's RCA, China's opportunity products and the provincial ECI of 2007.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.complexity import (
    ComplexityResult,
    opportunities,
    product_space,
)
from chainatlas.complexity.cleaning import DEFAULT_THRESHOLDS
from chainatlas.pipelines.blocks import (
    figure_block,
    finding_block,
    metrics_block,
    note_block,
    section,
    table_block,
    text_block,
)
from chainatlas.pipelines.complexity import (
    GROWTH_LAB_ECI_2017,
    TradeComplexity,
    region_complexity,
    trade_complexity,
)
from chainatlas.pipelines.sections.complexity_figures import (
    feasibility_figure,
    product_space_figure,
    strategy_figure,
)
from chainatlas.validation import validate_params

__all__ = [
    "ORDER",
    "applies",
    "sections",
    "load_trade",
    "eci_payload",
    "pci_payload",
    "opportunities_payload",
    "provinces_payload",
    "product_space_payload",
    "product_space_figure",
    "caveats",
]

ORDER = 50
FOCUS = "chn"
#: default trade data of the atlas (height): 2017 HS4; world-trade-sitc (1998–2000) stays for history
TRADE_SPEC = "world-trade-hs4-2017"
SITC_SPEC = "world-trade-sitc"
TRADE_YEAR = 2017
PROVINCES_SPEC = "china-provincial-io:2017"
SRC = (
    "Hidalgo & Hausmann (2009) PNAS; Hausmann et al. (2014) The Atlas of Economic Complexity; "
    "conventions of Stata ecomplexity"
)


def load_trade(
    spec: str = TRADE_SPEC,
    *,
    clean: bool = True,
    progress: Callable[[str], None] | None = None,
) -> TradeComplexity:
    """Load a trade dataset and compute its complexity (cleaned unless ``clean=False``)."""
    from chainatlas.datasets import load

    return trade_complexity(load(spec, progress=False), clean=clean, progress=progress)


#: actual world merchandise exports, 1999 (WTO, ≈ USD 5.6 tn), for the coverage caveat
ACTUAL_WORLD_EXPORTS_USD = 5.6e12

#: bilingual column headers of the report's tables (presentation only; JSON keeps code names)
_HEADERS = {
    "product": "产品 product",
    "distance": "距离 distance",
    "name_zh_c": "经济体 economy",
    "eci_eigenvector": "ECI",
    "eci_controlled": "控制人均GDP后的ECI ECI*",
    "approach_zh": "战略定位",
    "approach_en": "strategic approach",
    "name": "名称 name",
    "rca": "RCA",
    "density": "密度 density",
    "cog": "COG",
    "pci": "PCI",
    "rank_density": "密度排名 rank by density",
    "rank_cog": "COG排名 rank by COG",
    "rank": "排名 rank",
    "name_zh": "省份 province",
    "name_en": "英文名 name",
    "eci": "ECI",
    "diversity": "多样性 diversity (RCA≥1产品数 products)",
    "coi": "COI",
    "eci_2017": "ECI 2017",
    "eci_2012": "ECI 2012",
    "height_2017": "高度 height 2017",
    "height_2012": "高度 height 2012",
}


def _display(frame: pd.DataFrame, index: str) -> pd.DataFrame:
    out = frame.rename(columns=_HEADERS)
    out.index.name = index
    return out


def caveats(tc: TradeComplexity, spec: str) -> list[dict[str, str]]:
    """Bilingual caveats on a trade dataset's coverage and on small economies (zh/en dicts).

    Shown in the report and emitted as ``caveats`` in the CLI's JSON.
    """
    out: list[dict[str, str]] = []
    w = tc.world_total
    default_cleaning = tc.cleaning is not None and (
        tc.cleaning.thresholds.get("min_location_share") == DEFAULT_THRESHOLDS["min_location_share"]
    )
    if spec.split(":")[0] == TRADE_SPEC:
        out.append(
            {
                "id": "levels",
                "zh": "出口额水平：本数据各国出口合计约为官方货物出口的1.1–1.3倍（中国2.95万亿美元，"
                "海关统计2.26万亿美元），只用份额、RCA与复杂度，不用绝对水平；份额与RCA不受影响。",
                "en": "Levels: country totals in this dataset run 1.1–1.3× official goods exports "
                "(China USD 2.95 tn vs 2.26 tn reported); use shares, RCA and complexity, not "
                "levels — shares and RCA are unaffected.",
            }
        )
    if spec.split(":")[0] == SITC_SPEC and np.isfinite(w):
        bn = w / 1e9
        pct = 100 * w / ACTUAL_WORLD_EXPORTS_USD
        out.append(
            {
                "id": "coverage",
                "zh": f"覆盖范围：{SITC_SPEC} 只覆盖世界贸易的一部分。数据中的世界出口合计约"
                f"{w / 1e8:,.0f}亿美元（2000年不变价，1998–2000年平均），而1999年实际世界货物出口约5.6万亿美元，"
                f"覆盖率约{pct:.1f}%，且各国覆盖不均（如加拿大出口额高于美国）。出口额与"
                "份额只能在本数据内部比较，不代表实际贸易规模；ECI、PCI只取决于各经济体的出口"
                "结构（RCA≥1的产品组合），受覆盖不足的影响较小但并非不受影响。",
                "en": f"Coverage: {SITC_SPEC} covers only part of world trade. Its world total is "
                f"USD {bn:,.1f} bn (constant 2000 prices, 1998–2000 average) against ≈ USD 5.6 tn of actual 1999 world "
                f"merchandise exports (≈ {pct:.1f} %), and coverage differs by country (Canada "
                "exports more than the USA here). Export values and shares are comparable only "
                "within this dataset, not as actual trade; ECI and PCI depend only on export "
                "structure (which products have RCA ≥ 1), so they are less affected, though not immune.",
            }
        )
    if spec.split(":")[0] == SITC_SPEC and np.isfinite(w) and default_cleaning:
        # figures below were measured on world-trade-sitc with the default cleaning
        out.append(
            {
                "id": "small-economies",
                "zh": "小经济体：地图集只对人口≥100万的经济体排名，本数据没有人口，故未按人口剔除；"
                "FLK（福克兰群岛，第13位）、AND、DMA、MLT、BRB等微型经济体留在前30名内，"
                "解读时请谨慎。我们没有改用其他默认门槛：覆盖不均使出口份额不能区分微型经济体与"
                "小国——要剔除MLT须剔除186个经济体中的70个（含埃塞俄比亚、肯尼亚）；按RCA≥1的"
                "产品数（多样性）剔除FLK（79种）会先剔除47个经济体，主要是出口集中于大宗商品的经济体"
                "（安哥拉13种、科威特26种、挪威、沙特阿拉伯），会扭曲排名底部。",
                "en": "Small economies: the Atlas ranks only economies with population ≥ 1 "
                "million; this dataset has no population, so none is excluded on it, and "
                "micro-economies such as FLK (Falkland Islands, #13), AND, DMA, MLT and BRB stay "
                "in the top 30 — read their ranks with caution. We kept the default rule: with "
                "uneven coverage, export shares cannot separate micro-economies from small "
                "countries (a share cut removing MLT removes 70 of 186 economies, incl. Ethiopia "
                "and Kenya), and a cut on the number of products with RCA ≥ 1 (diversity) that "
                "removes FLK (79) removes 47 economies, mostly commodity exporters "
                "(Angola 13, Kuwait 26, Norway, Saudi Arabia), distorting the bottom of the ranking.",
            }
        )
    return out


def _cleaning_info(tc: TradeComplexity) -> dict[str, Any]:
    return {
        "cleaned": tc.cleaning is not None,
        "thresholds": tc.cleaning.thresholds if tc.cleaning is not None else None,
        "excluded": tc.excluded,
    }


@validate_params
def eci_payload(
    tc: TradeComplexity,
    spec: str,
    *,
    top: int | None = None,
    method: Literal["eigenvector", "fitness", "reflections"] = "eigenvector",
) -> dict[str, Any]:
    """Ranking of locations by `method`; value columns are named after the method.

    ``eigenvector``: ``eci_eigenvector`` (Atlas ECI) with diversity and COI; ``fitness``:
    ``fitness`` (Tacchella et al. 2012, as R economiccomplexity) with ``fitness_last_change``;
    ``reflections``: ``eci_reflections`` (R economiccomplexity). Names in English and Chinese.
    """
    from chainatlas.complexity.methods import fitness, reflections
    from chainatlas.geo import country_labels

    r = tc.result
    extra: dict[str, Any] = {}
    if method == "eigenvector":
        ranking = r.eci_ranking.rename(columns={"eci": "eci_eigenvector"})
    else:
        wide = r.rca.rename_axis(index="location", columns="product").reset_index()
        long = wide.melt(id_vars="location", var_name="product", value_name="value")
        long = long[long["value"] > 0]  # the same cleaned data: RCA > 0 ⇔ exports > 0
        if method == "fitness":
            fo = fitness(long, location="location", product="product", value="value")
            ranking = fo.ranking
            extra = {"iterations": fo.iterations, "fitness_last_change": fo.change}
        else:
            e, _ = reflections(long)
            ranking = e.sort_values(ascending=False).to_frame()
            ranking.insert(0, "rank", np.arange(1, len(ranking) + 1))
    ranking = ranking.copy()
    ranking.insert(1, "name_en", country_labels(ranking.index, "en"))
    ranking.insert(2, "name_zh", country_labels(ranking.index, "zh"))
    ranking = ranking if top is None else ranking.head(top)
    return {
        "dataset": spec,
        "unit": tc.unit,
        "method": method,
        "measure": {
            "eigenvector": "ECI (经济复杂度指数), eigenvector method, standardised",
            "fitness": "economic fitness (Tacchella et al. 2012; R economiccomplexity), mean 1",
            "reflections": "ECI by the method of reflections (R economiccomplexity), standardised",
        }[method],
        **extra,
        "convention": r.options["convention"],
        "locations": int(len(r.eci)),
        "products": int(len(r.pci)),
        "cleaning": _cleaning_info(tc),
        "caveats": caveats(tc, spec),
        "validation_excluded": r.excluded,
        "provenance": r.provenance.to_dict(),
        "ranking": ranking,
    }


def pci_payload(tc: TradeComplexity, spec: str, *, top: int | None = None) -> dict[str, Any]:
    """PCI ranking of products with names from ``concordance``."""
    r = tc.result
    rk = r.pci_ranking.copy()
    rk.insert(1, "name", tc.names.reindex(rk.index.astype(str)).to_numpy())
    return {
        "dataset": spec,
        "measure": "PCI (产品复杂度指数), standardised with ECI's mean and sd",
        "cleaning": _cleaning_info(tc),
        "caveats": caveats(tc, spec),
        "provenance": r.provenance.to_dict(),
        "ranking": rk if top is None else rk.head(top),
    }


@validate_params
def opportunities_payload(
    tc: TradeComplexity,
    spec: str,
    economy: str,
    *,
    by: Literal["density", "cog"] = "density",
    top: int = 25,
    pci_floor: Literal["eci"] | None = "eci",
) -> dict[str, Any]:
    """Opportunity products of `economy` (Mcp = 0, PCI ≥ its ECI by default), ranked by `by`."""
    r = tc.result
    table = opportunities(r, economy, by=by, n=top, names=tc.names, pci_floor=pci_floor)
    code = next(c for c in r.eci.index if str(c).lower() == economy.lower())
    return {
        "dataset": spec,
        "economy": code,
        "eci": float(r.eci[code]),
        "eci_rank": int(r.eci_ranking.loc[code, "rank"]),
        "coi": float(r.coi[code]),
        "ranked_by": by,
        "pci_floor": table.attrs.get("pci_floor"),
        "pci_floor_rule": table.attrs.get("pci_floor_rule"),
        "cleaning": _cleaning_info(tc),
        "caveats": caveats(tc, spec),
        "opportunities": table,
    }


@validate_params
def provinces_payload(
    obj: Any,
    spec: str,
    *,
    industries: Literal["goods", "all"] = "goods",
) -> dict[str, Any]:
    """Province-level ECI (RCA on gross output) with Chinese and English names."""
    res: ComplexityResult = region_complexity(obj, industries=industries)
    rk = res.eci_ranking.copy()
    meta = getattr(obj, "regions", None)
    if meta is not None:
        for col in ("name_en", "name_zh"):
            if col in meta.columns:
                rk.insert(1, col, meta[col].reindex(rk.index).to_numpy())
    rk.index.name = "province"
    ind = res.pci_ranking.copy()
    imeta = getattr(obj, "industries", None)
    if imeta is not None:
        for col in ("name_en", "name_zh"):
            if col in imeta.columns:
                ind.insert(1, col, imeta[col].reindex(ind.index).to_numpy())
    ind.index.name = "sector"
    return {
        "dataset": spec,
        "measure": f"provincial ECI, RCA on {getattr(obj, 'measure', 'values')}",
        "industries": industries,
        "unit": getattr(obj, "unit", ""),
        "provenance": res.provenance.to_dict(),
        "excluded": res.excluded,
        "ranking": rk,
        "sectors": ind,
    }


def product_space_payload(tc: TradeComplexity, spec: str, economy: str = FOCUS) -> dict[str, Any]:
    """Product space (tree + strong links) as node and edge tables, with `economy`'s RCA."""
    ps = product_space(tc.result)
    nodes = ps.nodes.copy()
    code = next((c for c in tc.result.eci.index if str(c).lower() == economy.lower()), None)
    if code is not None:
        nodes["rca"] = tc.result.rca.loc[code].reindex(nodes.index).to_numpy()
    nodes.insert(0, "name", tc.names.reindex(nodes.index.astype(str)).to_numpy())
    return {
        "dataset": spec,
        "economy": code,
        "min_proximity": ps.min_proximity,
        "caveats": caveats(tc, spec),
        "nodes": nodes,
        "edges": ps.edges,
    }


def strategy_payload(tc: TradeComplexity, gdp_per_capita: pd.Series) -> dict[str, Any]:
    """Every economy on the Growth Lab's strategic-approach plane, with names."""
    from chainatlas.complexity.strategy import SOURCE, strategic_view
    from chainatlas.geo import country_labels

    sv = strategic_view(tc.result, gdp_per_capita)
    t = sv.table.copy()
    t.insert(0, "name_en", country_labels(t.index, "en"))
    t.insert(0, "name_zh", country_labels(t.index, "zh"))
    return {
        "table": t,  # sorted by approach, then ECI descending (strategic_view)
        "fit": {"slope": sv.slope, "intercept": sv.intercept, "r2": sv.r2},
        "excluded": sv.excluded,
        "frontier": sv.frontier,
        "frontier_rule": sv.frontier_rule,
        "source": SOURCE,
    }


def _names_index(frame: pd.DataFrame) -> pd.DataFrame:
    from chainatlas.geo import country_labels

    out = frame.copy()
    out.insert(0, "英文名 name", country_labels(out.index, "en"))
    out.index = pd.Index(country_labels(out.index, "zh"), name="经济体 economy")
    return out


def provincial_height_payload(
    tc: TradeComplexity, trade: Any, years: tuple[int, ...] = (2017, 2012)
) -> dict[str, Any]:
    """Provincial ECI and height (output-weighted world PCI of specialisations), by year.

    World PCIs (HS4, 2017) reach the 42 IO sectors through HS→ISIC (``concordance:hs_isic4``) and
    ISIC→IO (``chainatlas/data/isic4_china42.csv``); both years use the 2017 world PCIs.
    """
    from chainatlas.complexity.regional import hs4_sector_weights, provincial_height, sector_pci
    from chainatlas.datasets import load

    weights = hs4_sector_weights(load("concordance:hs_isic4", progress=False))
    wx = trade.exports.groupby("product")["value"].sum()
    sp, cov = sector_pci(tc.result.pci, wx, weights)
    cols: dict[str, pd.Series] = {}
    names = pd.DataFrame()
    for y in years:
        ri = load(f"china-provincial-io:{y}", progress=False)
        res = region_complexity(ri)
        goods = list(res.pci.index)
        h = provincial_height(ri.values[goods], sp["pci"])
        cols[f"eci_{y}"] = res.eci
        cols[f"height_{y}"] = h["height"]
        names = ri.regions[["name_zh", "name_en"]] if names.empty else names
    table = pd.DataFrame(cols)
    table = names.reindex(table.index).join(table)
    table = table.sort_values(f"height_{years[0]}", ascending=False)
    table.index.name = "province"
    return {
        "table": table,
        "sector_pci": sp,
        "coverage": cov,
        "datasets": [f"china-provincial-io:{y}" for y in years] + ["concordance", TRADE_SPEC],
    }


def applies(obj: Any, spec: str) -> bool:
    """The complexity section joins reports of China's national IO tables (``china-io:*``)."""
    return spec.startswith("china-io:")


def _heading_metrics(
    tc: TradeComplexity, opp: dict[str, Any], sv: dict[str, Any]
) -> dict[str, Any]:
    excl = tc.excluded
    n_ex = excl["kind"].value_counts()
    y = TRADE_YEAR
    chn = sv["table"].loc[FOCUS] if FOCUS in sv["table"].index else None
    items = [
        (f"中国经济复杂度指数（{y}年）", f"ECI of China ({y})", opp["eci"], "index (standardised)"),
        (f"中国排名（{y}年）", f"China's rank ({y})", opp["eci_rank"], f"of {len(tc.result.eci)}"),
        (f"复杂度前景指数（{y}年）", f"COI of China ({y})", opp["coi"], "index (standardised)"),
        (
            f"剔除的经济体（{y}年）",
            f"Economies excluded ({y})",
            int(n_ex.get("location", 0)),
            "economies",
        ),
        (
            f"剔除的产品（{y}年）",
            f"Products excluded ({y})",
            int(n_ex.get("product", 0)),
            "HS4 products",
        ),
    ]
    if chn is not None:
        items.append(
            (
                f"战略定位（{y}年）",
                f"Strategic approach ({y})",
                f"{chn['approach_zh']} {chn['approach_en']}",
                "Growth Lab approach",
            )
        )
    return {**metrics_block(items), "source": TRADE_SPEC, "year": y}


def _eci_finding(opp: dict[str, Any], n: int) -> dict[str, Any]:
    """China's ECI rank with the Growth Lab's published rank as benchmark."""
    y, gl = TRADE_YEAR, GROWTH_LAB_ECI_2017
    return finding_block(
        zh=f"{y}年中国ECI为{opp['eci']:.2f}，在{n}个经济体中排第{opp['eci_rank']}；增长实验室公布的{y}年排名"
        f"（HS92）中中国排第{gl['chn_rank']}/{gl['economies']}。两者的秩相关系数为"
        f"{gl['spearman_with_chainatlas']:.2f}；差别主要来自本数据未做镜像清洗（转口、CIF/FOB）。",
        en=f"China's ECI in {y}: {opp['eci']:.2f}, rank {opp['eci_rank']} of {n}; the Growth "
        f"Lab's published {y} ranking (HS92) puts China {gl['chn_rank']} of {gl['economies']}. "
        f"Rank correlation between the two: {gl['spearman_with_chainatlas']:.2f}; the gap comes "
        "mainly from the lack of mirror cleaning (re-exports, CIF/FOB) in this extract.",
        value=opp["eci_rank"],
        unit=f"rank of {n}",
        year=y,
        source=f"{TRADE_SPEC}; chainatlas.pipelines.complexity.trade_complexity",
        benchmark={
            "label": "Growth Lab (HS92)",
            "value": gl["chn_rank"],
            "unit": f"rank of {gl['economies']}",
            "year": y,
            "source": gl["source"],
        },
    )


def _data_text(tc: TradeComplexity) -> dict[str, Any]:
    """The data and cleaning paragraph, with the excluded economies by Chinese name."""
    from chainatlas.geo import country_labels

    y = TRADE_YEAR
    th = tc.cleaning.thresholds if tc.cleaning is not None else {}
    excl = tc.excluded
    names = sorted(country_labels(excl.loc[excl["kind"] == "location", "label"], "zh"))
    pop, cut_l, cut_p = (
        th.get("min_population", 0) or 0,
        th.get("location_cutoff", 0),
        th.get("product_cutoff", 0),
    )
    return {
        **text_block(
            zh=f"数据：{TRADE_SPEC}（{y}年各国HS四位数产品出口，美元现价；GDP与人口为世界银行{y}年数据）。"
            f"按增长实验室（Growth Lab）的排名规则清洗：人口不少于{pop / 1e6:g}百万、"
            f"出口不少于{cut_l / 1e8:,.0f}亿美元的经济体，世界贸易额不少于{cut_p / 1e4:,.0f}万美元的产品，"
            f"剔除未分类商品（HS 9999）。被剔除的{len(names)}个经济体：{'、'.join(names)}。"
            "ECI以特征向量法计算并标准化（Stata惯例）。1998–2000年SITC数据（world-trade-sitc）仍可用于历史比较。",
            en=f"Data: {TRADE_SPEC} (exports by HS four-digit product in {y}, current USD; World "
            f"Bank GDP and population {y}). Cleaned with the Growth Lab's ranking rules: economies "
            f"with population ≥ {pop / 1e6:g} million and exports ≥ USD {cut_l / 1e9:g} bn, "
            f"products with world trade ≥ USD {cut_p / 1e6:g} m, unspecified goods (HS 9999) left "
            f"out; {len(names)} economies excluded. ECI by the eigenvector method, standardised "
            "(Stata convention). The 1998–2000 SITC data (world-trade-sitc) remain for history.",
        ),
        "source": TRADE_SPEC,
        "year": y,
    }


def _strategy_note(sv: dict[str, Any]) -> dict[str, Any]:
    from chainatlas.complexity.strategy import APPROACHES
    from chainatlas.geo import country_labels

    t = sv["table"]
    front = sv["frontier"]
    counts = t["approach"].value_counts()
    n = {k: int(counts.get(k, 0)) for k in APPROACHES}
    zh_front = "、".join(country_labels(front, "zh"))
    en_front = ", ".join(country_labels(front, "en"))
    return note_block(
        kind="method",
        zh=(
            "规则依据增长实验室《经济复杂性地图集》国家页“推荐战略”（policyRecommendation）："
            f"技术前沿为地图集固定名单上的经济体（本数据中{n['frontier']}个：{zh_front}），"
            "不按象限判定；其余经济体以 COI 与控制收入后的 ECI（ECI*）的 0 为界："
            f"COI ≥ 0 且 ECI* ≥ 0 为轻触式（{n['light_touch']}个），COI ≥ 0 且 ECI* < 0 为"
            f"精简型产业政策（{n['parsimonious']}个），COI < 0 为战略押注（{n['strategic_bets']}个）。"
            "与地图集的差异：ECI* 只控制了人均GDP（对数，OLS 残差），未控制自然资源租金；"
            "数据为 HS4 2017年，地图集名单取自其当前国家页。"
            f"{_china_zh(t)}"
        ),
        en=(
            "Rule from the Growth Lab's Atlas of Economic Complexity country pages ('Recommended "
            "strategic approach', policyRecommendation): the technological frontier is the Atlas's "
            f"fixed list of frontier economies ({n['frontier']} in these data: {en_front}), not a "
            "quadrant; every other economy is split at 0 on COI and on ECI controlled for income "
            f"(ECI*): COI ≥ 0 and ECI* ≥ 0 light touch ({n['light_touch']}), COI ≥ 0 and ECI* < 0 "
            f"parsimonious industrial policy ({n['parsimonious']}), COI < 0 strategic bets "
            f"({n['strategic_bets']}). Deviation from the Atlas: ECI* controls for ln GDP per "
            "capita only (OLS residual), not for natural-resource rents; the data are HS4 2017, "
            "while the frontier list is the one on the Atlas's current country pages."
            f"{_china_en(t)}"
        ),
    )


def _china_zh(t: pd.DataFrame) -> str:
    if FOCUS not in t.index:
        return ""
    r = t.loc[FOCUS]
    alt = "轻触式" if r["coi"] >= 0 and r["eci_controlled"] >= 0 else "非前沿类型"
    top = "进入" if r["eci"] >= t["eci"].quantile(0.9) else "未进入"
    return (
        f"中国在地图集名单上，故为技术前沿；若只看数据（ECI {r['eci']:.2f}，{top}前10%；"
        f"ECI* {r['eci_controlled']:+.2f}，COI {r['coi']:+.2f}），则为{alt}。"
    )


def _china_en(t: pd.DataFrame) -> str:
    if FOCUS not in t.index:
        return ""
    r = t.loc[FOCUS]
    alt = "light touch" if r["coi"] >= 0 and r["eci_controlled"] >= 0 else "not frontier"
    top = "inside" if r["eci"] >= t["eci"].quantile(0.9) else "outside"
    return (
        f" China is on the Atlas's list, hence frontier; on these data alone (ECI "
        f"{r['eci']:.2f}, {top} the top decile; ECI* {r['eci_controlled']:+.2f}, COI "
        f"{r['coi']:+.2f}) it would be {alt}."
    )


def _strategy_blocks(sv: dict[str, Any]) -> list[dict[str, Any]]:
    y = TRADE_YEAR
    cols = ["name_zh", "name_en", "eci", "eci_controlled", "coi", "approach_zh", "approach_en"]
    strat = sv["table"][cols].set_index("name_zh").rename_axis("经济体 economy")
    n = len(strat)
    return [
        {
            **figure_block(
                strategy_figure(sv),
                zh=f"战略定位（{y}年）：按人均GDP控制后的ECI与复杂度前景指数COI，颜色为增长实验室的四种战略",
                en=f"Strategic approach ({y}): ECI controlled for GDP per capita against COI; colours "
                "are the Growth Lab's four approaches (frontier = the Atlas's list)",
                source=f"{TRADE_SPEC}; {sv['source']}",
            ),
            "year": y,
        },
        {**_strategy_note(sv), "source": f"{TRADE_SPEC}; {sv['source']}"},
        {
            **table_block(
                _display(strat, "经济体 economy"),
                zh=f"战略定位表（{y}年，全部{n}个经济体，按战略类型、再按ECI从高到低排序）",
                en=f"Strategic approach by economy ({y}, all {n} economies, by approach, then ECI "
                "descending)",
                digits=3,
                source=f"{TRADE_SPEC}; {sv['source']}",
            ),
            "year": y,
        },
    ]


def _new_track_blocks(
    tc: TradeComplexity, opp_c: dict[str, Any], opp_d: dict[str, Any]
) -> list[dict[str, Any]]:
    y = TRADE_YEAR
    floor_zh = f"PCI不低于中国ECI（{opp_c['eci']:.2f}）"
    floor_en = f"PCI ≥ China's ECI ({opp_c['eci']:.2f})"
    src = f"{TRADE_SPEC}; concordance"
    fig = figure_block(
        feasibility_figure(tc, FOCUS),
        zh=f"中国的可行性（密度）与吸引力（PCI）（{y}年）；彩色为新赛道（{floor_zh}），颜色为COG",
        en=f"China's feasibility (density) vs attractiveness (PCI), {y}; coloured: new tracks "
        f"({floor_en}), colour = COG",
        source=src,
    )
    by_cog = table_block(
        _display(opp_c["opportunities"], "产品 product (HS4)"),
        zh=f"中国的新赛道（{y}年）：尚无比较优势、{floor_zh}的产品，按复杂度前景增益COG排序",
        en=f"China's new tracks ({y}): products without RCA ≥ 1 and {floor_en}, ranked by COG",
        digits=3,
        source=src,
    )
    by_density = table_block(
        _display(opp_d["opportunities"], "产品 product (HS4)"),
        zh=f"中国的新赛道（{y}年）：{floor_zh}，按密度（可行性）排序",
        en=f"China's new tracks ({y}): {floor_en}, ranked by density (feasibility)",
        digits=3,
        source=src,
    )
    return [{**b, "year": y} for b in (fig, by_cog, by_density)]


def _province_block(prov: dict[str, Any]) -> dict[str, Any]:
    cov = 100 * prov["coverage"]["share_mapped"]
    table = prov["table"].set_index("name_zh").rename_axis("省份 province")
    block = table_block(
        _display(table, "省份 province"),
        zh="省级经济复杂度与“高度”（2017年、2012年）：ECI按总产出RCA计算（农业、采矿与制造业01–22部门）；"
        "高度=各省具有比较优势（RCA≥1）部门的世界PCI按产出加权平均（2017年HS四位PCI经HS→ISIC→42部门映射，"
        f"映射覆盖世界出口的{cov:.1f}%）",
        en="Provincial ECI and height (2017, 2012): ECI from RCA on gross output (goods sectors "
        "01–22); height = output-weighted world PCI of the sectors a province specialises in "
        "(RCA ≥ 1), with 2017 HS4 PCIs mapped HS→ISIC→42 IO sectors (mapping covers "
        f"{cov:.1f}% of world exports)",
        digits=3,
        source="; ".join(prov["datasets"]),
    )
    return {**block, "year": 2017}


def sections(obj: Any, spec: str, step: Callable[[str], None]) -> list[dict[str, Any]]:
    """Height (高度): ECI 2017 ranking, strategic view, new tracks, product space, provinces."""
    from chainatlas.datasets import load

    step(f"complexity: {TRADE_SPEC} (Atlas cleaning)")
    trade = load(TRADE_SPEC, progress=False)
    tc = trade_complexity(trade)
    y = TRADE_YEAR
    eci = eci_payload(tc, TRADE_SPEC)
    opp_c = opportunities_payload(tc, TRADE_SPEC, FOCUS, by="cog", top=20)
    opp_d = opportunities_payload(tc, TRADE_SPEC, FOCUS, by="density", top=20)
    sv = strategy_payload(tc, trade.gdp_per_capita)
    step("complexity: product space")
    ps = product_space_payload(tc, TRADE_SPEC, FOCUS)
    step("complexity: provinces (ECI and height, 2017 and 2012)")
    prov = provincial_height_payload(tc, trade)
    rk = eci["ranking"].head(30).drop(columns=["name_en", "name_zh"])
    blocks = [
        _heading_metrics(tc, opp_c, sv),
        _eci_finding(opp_c, len(tc.result.eci)),
        *(
            {**text_block(zh="⚠ " + c["zh"], en="⚠ " + c["en"]), "source": TRADE_SPEC}
            for c in caveats(tc, TRADE_SPEC)
        ),
        _data_text(tc),
        {
            **table_block(
                _display(_names_index(rk), "经济体 economy"),
                zh=f"经济复杂度排名（{y}年，前30）",
                en=f"Economic Complexity Index ranking ({y}, top 30)",
                digits=3,
                source=f"{TRADE_SPEC}; {SRC}",
            ),
            "year": y,
        },
        *_strategy_blocks(sv),
        *_new_track_blocks(tc, opp_c, opp_d),
        {
            **figure_block(
                product_space_figure(ps, title=f"Product space 产品空间 — China's RCA, {y}"),
                zh=f"产品空间（最大生成树+强连接），按中国的显示性比较优势着色（{y}年）",
                en=f"Product space (maximum spanning tree + strongest links), coloured by China's "
                f"RCA ({y})",
                source=f"{TRADE_SPEC}; concordance; Hidalgo et al. (2007) Science",
            ),
            "year": y,
        },
        _province_block(prov),
    ]
    return [
        section(
            "complexity",
            zh="经济复杂度与新赛道（高度）",
            en="Economic complexity and new tracks (height)",
            blocks=blocks,
            datasets=[
                TRADE_SPEC,
                "concordance",
                "china-provincial-io:2017",
                "china-provincial-io:2012",
            ],
            note_zh="ECI衡量产业体系的“高度”；新赛道只列复杂度高于中国现有水平的产品。",
            note_en="ECI measures how advanced an economy's productive structure is; new tracks "
            "list only products more complex than China's current level.",
        )
    ]
