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
    ProductSpace,
    TradeComplexity,
    opportunities,
    product_space,
    region_complexity,
    trade_complexity,
)
from chainatlas.complexity.cleaning import DEFAULT_THRESHOLDS
from chainatlas.report.blocks import figure_block, metrics_block, section, table_block, text_block

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
TRADE_SPEC = "world-trade-sitc"
PROVINCES_SPEC = "china-provincial-io-2007:output"
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
    "product": "产品 product (SITC)",
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
    if spec.split(":")[0] == TRADE_SPEC and np.isfinite(w):
        bn = w / 1e9
        pct = 100 * w / ACTUAL_WORLD_EXPORTS_USD
        out.append(
            {
                "id": "coverage",
                "zh": f"覆盖范围：{TRADE_SPEC} 只覆盖世界贸易的一部分。数据中的世界出口合计约"
                f"{w / 1e8:,.0f}亿美元（2000年不变价，1998–2000年平均），而1999年实际世界货物出口约5.6万亿美元，"
                f"覆盖率约{pct:.1f}%，且各国覆盖不均（如加拿大出口额高于美国）。出口额与"
                "份额只能在本数据内部比较，不代表实际贸易规模；ECI、PCI只取决于各经济体的出口"
                "结构（RCA≥1的产品组合），受覆盖不足的影响较小但并非不受影响。",
                "en": f"Coverage: {TRADE_SPEC} covers only part of world trade. Its world total is "
                f"USD {bn:,.1f} bn (constant 2000 prices, 1998–2000 average) against ≈ USD 5.6 tn of actual 1999 world "
                f"merchandise exports (≈ {pct:.1f} %), and coverage differs by country (Canada "
                "exports more than the USA here). Export values and shares are comparable only "
                "within this dataset, not as actual trade; ECI and PCI depend only on export "
                "structure (which products have RCA ≥ 1), so they are less affected, though not immune.",
            }
        )
    if spec.split(":")[0] == TRADE_SPEC and np.isfinite(w) and default_cleaning:
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
        long = r.rca.stack().rename("value").reset_index()  # same cleaned data: rows = rca > 0
        long = long[long["value"] > 0]
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


def opportunities_payload(
    tc: TradeComplexity,
    spec: str,
    economy: str,
    *,
    by: Literal["density", "cog"] = "density",
    top: int = 25,
) -> dict[str, Any]:
    """Opportunity products of `economy` (Mcp = 0), ranked by density and by COG."""
    r = tc.result
    table = opportunities(r, economy, by=by, n=top, names=tc.names)
    code = next(c for c in r.eci.index if str(c).lower() == economy.lower())
    return {
        "dataset": spec,
        "economy": code,
        "eci": float(r.eci[code]),
        "eci_rank": int(r.eci_ranking.loc[code, "rank"]),
        "coi": float(r.coi[code]),
        "ranked_by": by,
        "cleaning": _cleaning_info(tc),
        "caveats": caveats(tc, spec),
        "opportunities": table,
    }


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


def product_space_figure(space: ProductSpace | dict[str, Any], *, title: str = "") -> Any:
    """A plotly figure of the product space; nodes coloured by ``rca`` when present."""
    import plotly.graph_objects as go

    nodes = space.nodes if isinstance(space, ProductSpace) else space["nodes"]
    edges = space.edges if isinstance(space, ProductSpace) else space["edges"]
    pos = nodes[["x", "y"]]
    xs = np.full(len(edges) * 3, np.nan)
    ys = np.full(len(edges) * 3, np.nan)
    xs[0::3] = pos["x"].reindex(edges["source"]).to_numpy()
    xs[1::3] = pos["x"].reindex(edges["target"]).to_numpy()
    ys[0::3] = pos["y"].reindex(edges["source"]).to_numpy()
    ys[1::3] = pos["y"].reindex(edges["target"]).to_numpy()
    fig = go.Figure()
    fig.add_trace(
        go.Scattergl(
            x=xs,
            y=ys,
            mode="lines",
            line={"width": 0.5, "color": "rgba(120,120,120,0.5)"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    names = nodes["name"].fillna("") if "name" in nodes else pd.Series("", index=nodes.index)
    text = [f"{p} {n}" for p, n in zip(nodes.index.astype(str), names, strict=True)]
    marker: dict[str, Any] = {"size": 6}
    if "rca" in nodes:
        rca = nodes["rca"].to_numpy(dtype=float)
        marker.update(
            color=np.log10(np.clip(rca, 1e-3, 1e3)),
            colorscale="RdBu_r",
            cmin=-2,
            cmax=2,
            colorbar={"title": "log₁₀ RCA"},
            line={"width": [1.2 if v >= 1 else 0 for v in rca], "color": "black"},
        )
        text = [f"{t}<br>RCA {v:.2f}" for t, v in zip(text, rca, strict=True)]
    fig.add_trace(
        go.Scattergl(
            x=pos["x"],
            y=pos["y"],
            mode="markers",
            marker=marker,
            text=text,
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.update_layout(
        title=title,
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=650,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        plot_bgcolor="white",
    )
    return fig


def applies(obj: Any, spec: str) -> bool:
    """The complexity section joins reports of China's national IO tables (``china-io:*``)."""
    return spec.startswith("china-io:")


def sections(obj: Any, spec: str, step: Callable[[str], None]) -> list[dict[str, Any]]:
    """One section: ECI ranking, product space (China's RCA), opportunities, provincial ECI."""
    from chainatlas.datasets import load

    step("complexity: world-trade-sitc (cleaned)")
    tc = load_trade(TRADE_SPEC)
    eci = eci_payload(tc, TRADE_SPEC)
    opp_d = opportunities_payload(tc, TRADE_SPEC, FOCUS, by="density", top=20)
    opp_c = opportunities_payload(tc, TRADE_SPEC, FOCUS, by="cog", top=20)
    step("complexity: product space")
    ps = product_space_payload(tc, TRADE_SPEC, FOCUS)
    step("complexity: provinces")
    prov = provinces_payload(load(PROVINCES_SPEC, progress=False), PROVINCES_SPEC)
    rk = eci["ranking"].head(30).copy()
    rk.index = rk.index.astype(str).str.upper()  # ISO3 codes (the data spell them in lower case)
    rk = _display(rk, "经济体 economy (ISO3)")
    excl = eci["cleaning"]["excluded"]
    n_ex = excl["kind"].value_counts()
    excl_loc = sorted(str(c).upper() for c in excl.loc[excl["kind"] == "location", "label"])
    trade_src = f"{TRADE_SPEC}; concordance"
    notes = caveats(tc, TRADE_SPEC)
    blocks = [
        {
            **metrics_block(
                [
                    ("中国经济复杂度指数", "ECI of China", opp_d["eci"], ""),
                    ("中国排名", "China's rank", opp_d["eci_rank"], f"of {eci['locations']}"),
                    ("复杂度前景指数", "COI of China", opp_d["coi"], ""),
                    ("剔除的经济体", "Locations excluded", int(n_ex.get("location", 0)), ""),
                    ("剔除的产品", "Products excluded", int(n_ex.get("product", 0)), ""),
                ]
            ),
            "source": TRADE_SPEC,
        },
        *(
            {**text_block(zh="⚠ " + c["zh"], en="⚠ " + c["en"]), "source": TRADE_SPEC}
            for c in notes
        ),
        {
            **text_block(
                zh="数据：world-trade-sitc（1998–2000年平均出口，SITC第2版四位数，美元）。按地图集"
                "（Atlas）方法先清洗：出口额低于数据中世界出口0.02%的经济体、世界贸易额低于0.0002%的"
                "产品被剔除；否则南乔治亚岛（SGS）、赫德岛（HMD）、西撒哈拉（ESH）等小领地会排在前列。"
                f"被剔除的{len(excl_loc)}个经济体：{', '.join(excl_loc)}。经济体以ISO3代码表示"
                "（数据与concordance数据集均无国家名称）。ECI以特征向量法计算并标准化，PCI与COG按"
                "ECI的均值和标准差标准化（Stata惯例）。",
                en="Data: world-trade-sitc (exports averaged over 1998–2000, SITC Rev.2 "
                "four-digit, USD). Cleaned as the Atlas does first: locations exporting under 0.02% "
                "of the data's world exports and products under 0.0002% of world trade are "
                "excluded; without this, tiny territories (SGS, HMD, ESH) top the ranking. The "
                f"{len(excl_loc)} economies excluded: {', '.join(excl_loc)}. Economies are shown "
                "as ISO3 codes (neither the data nor the concordance dataset holds country names). "
                "ECI by the eigenvector method, standardised; PCI and COG use ECI's mean and "
                "standard deviation (Stata convention).",
            ),
            "source": TRADE_SPEC,
        },
        table_block(
            rk,
            zh="经济复杂度排名（前30；微型经济体见上方提示）",
            en="Economic Complexity Index ranking (top 30; see the caveat on micro-economies)",
            digits=3,
            source=f"{TRADE_SPEC}; {SRC}",
        ),
        figure_block(
            product_space_figure(ps, title="Product space 产品空间 — China's RCA"),
            zh="产品空间（最大生成树+强连接），按中国的显示性比较优势着色",
            en="Product space (maximum spanning tree + strongest links), coloured by China's RCA",
            source=f"{trade_src}; Hidalgo et al. (2007) Science",
        ),
        table_block(
            _display(opp_d["opportunities"], "产品 product (SITC)"),
            zh="中国的多样化机会（尚未具备比较优势，按密度排序）",
            en="China's opportunity products (RCA < 1), ranked by density",
            digits=3,
            source=trade_src,
        ),
        table_block(
            _display(opp_c["opportunities"], "产品 product (SITC)"),
            zh="中国的多样化机会（按复杂度前景增益COG排序）",
            en="China's opportunity products, ranked by complexity outlook gain (COG)",
            digits=3,
            source=trade_src,
        ),
        table_block(
            _display(prov["ranking"], "代码 code"),
            zh="省级经济复杂度（2007年，按总产出计算RCA，农业、采矿与制造业01–21部门）",
            en="Provincial ECI (2007; RCA on gross output, goods sectors 01–21)",
            digits=3,
            source="china-provincial-io-2007",
        ),
    ]
    return [
        section(
            "complexity",
            zh="经济复杂度与多样化机会",
            en="Economic complexity and diversification opportunities",
            blocks=blocks,
            datasets=[TRADE_SPEC, "concordance", PROVINCES_SPEC],
            note_zh="ECI衡量产业体系的“高度”；密度高的产品是最容易进入的新赛道。",
            note_en="ECI measures how advanced an economy's productive structure is; products with "
            "high density are the nearest new tracks (新赛道).",
        )
    ]
