"""一图N清单 for reports: chain diagrams, the chain-gap matrix and the lists, as report sections.

Figures are plotly figures built here (the pipelines layer); prose is here too. The numbers come
from :func:`chainatlas.pipelines.chain_gaps.province_chain_gaps`.

* :func:`chain_diagram` — one chain: links left → right by stage (上游 → 中游 → 下游), coloured
  by status, listed-firm counts on the nodes, arrows along the template's upstream links;
* :func:`gap_matrix_figure` — chains × links heat map of one province;
* :func:`province_chain_sections` — the report sections the province report embeds;
* :func:`chain_gaps_context` — a whole context (``kind = "chain-gaps"``) for one province.
"""

from __future__ import annotations

import inspect
from typing import Any

import pandas as pd

from chainatlas.chains.templates import STAGES, ChainTemplate, resolve_chains
from chainatlas.pipelines.chain_gaps import (
    SOURCE_FIRMS,
    SOURCE_IO,
    STATUS_COLOUR,
    YEAR,
    _blocks,
    province_chain_gaps,
)

__all__ = ["chain_diagram", "gap_matrix_figure", "province_chain_sections", "chain_gaps_context"]

_STATUS_CODE = {"缺链": 0, "短链": 1, "强链": 2}
_STATUS_LABEL = {"强链": "强链 strong", "短链": "短链 weak", "缺链": "缺链 missing"}


def _table(df: pd.DataFrame, **kw: Any) -> dict[str, Any]:
    """table_block, passing ``year`` only where the blocks module takes it."""
    tb = _blocks().table_block
    if "year" not in inspect.signature(tb).parameters:
        kw.pop("year", None)
    return tb(df, **kw)


def _section(sid: str, *, question: str = "breadth", **kw: Any) -> dict[str, Any]:
    s = _blocks().section(sid, **kw)
    s["question"] = question
    return s


def _positions(t: ChainTemplate) -> dict[str, tuple[float, float]]:
    """x = stage index, y = evenly spread within the stage (top to bottom)."""
    pos = {}
    for x, stage in enumerate(STAGES):
        ids = [ln.id for ln in t.links if ln.stage == stage]
        for i, lid in enumerate(ids):
            pos[lid] = (float(x), (len(ids) - 1) / 2 - i)
    return pos


def chain_diagram(t: ChainTemplate, g: pd.DataFrame, *, province_zh: str = "") -> Any:
    """Plotly figure of one chain in one province (``g``: its rows of ``chain_gaps``)."""
    import plotly.graph_objects as go

    pos = _positions(t)
    rows = g.set_index("link")
    fig = go.Figure()
    arrows = []
    for ln in t.links:  # arrows upstream → link (one layout update: add_annotation is slow)
        for up, basis in ln.upstream.items():
            (x0, y0), (x1, y1) = pos[up], pos[ln.id]
            dx, dy = (0.12, 0.0) if x0 != x1 else (0.0, 0.16 if y0 > y1 else -0.16)
            arrows.append(
                {"x": x1 - dx, "y": y1 + dy, "ax": x0 + dx, "ay": y0 - dy, "xref": "x",
                 "yref": "y", "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 2,
                 "arrowwidth": 1.2, "arrowcolor": "#555" if basis == "kg" else "#aaa"}
            )  # fmt: skip
    for status, colour in STATUS_COLOUR.items():
        ids = [ln.id for ln in t.links if rows.loc[ln.id, "status"] == status]
        r = rows.loc[ids] if ids else rows.iloc[:0]
        fig.add_trace(
            go.Scatter(
                x=[pos[i][0] for i in ids],
                y=[pos[i][1] for i in ids],
                mode="markers+text",
                name=_STATUS_LABEL[status],
                marker={"size": 34, "color": colour, "line": {"width": 1, "color": "#333"}},
                text=[f"{n}<br>{k}家" for n, k in zip(r["name_zh"], r["n_firms"], strict=True)],
                textposition="bottom center",
                customdata=list(
                    zip(r["name_en"], r["lq"], r["supply_inflow"], r["reason"], strict=True)
                ),  # fmt: skip
                hovertemplate="%{text}<br>%{customdata[0]}<br>LQ %{customdata[1]:.2f}, "
                "inflow share %{customdata[2]:.0%}<br>%{customdata[3]}<extra></extra>",
            )
        )
    fig.update_layout(
        title=f"{province_zh} · {t.name_zh} {t.name_en} (2017)",
        xaxis={
            "tickvals": [0, 1, 2],
            "ticktext": ["上游 upstream", "中游 midstream", "下游 downstream"],
            "range": [-0.5, 2.5],
        },  # fmt: skip
        yaxis={
            "visible": False,
            "range": [min(y for _, y in pos.values()) - 0.7, max(y for _, y in pos.values()) + 0.4],
        },  # fmt: skip
        height=140 + 70 * max(sum(ln.stage == s for ln in t.links) for s in STAGES),
        margin={"l": 20, "r": 20, "t": 50, "b": 30},
        legend={"orientation": "h"},
        annotations=arrows,
    )
    return fig


def gap_matrix_figure(g: pd.DataFrame, *, province_zh: str = "") -> Any:
    """Chains × links heat map (status colour; link names as text) of one province."""
    import plotly.graph_objects as go

    chains = list(dict.fromkeys(g["chain_zh"]))
    width = int(g.groupby("chain")["link"].size().max())
    z, text = [], []
    for c in chains:
        r = g.loc[g["chain_zh"] == c].sort_values("order")
        codes = [_STATUS_CODE[s] for s in r["status"]]
        names = [f"{n}<br>{k}家" for n, k in zip(r["name_zh"], r["n_firms"], strict=True)]
        z.append(codes + [None] * (width - len(codes)))
        text.append(names + [""] * (width - len(names)))
    scale = [[0, STATUS_COLOUR["缺链"]], [0.33, STATUS_COLOUR["缺链"]],
             [0.34, STATUS_COLOUR["短链"]], [0.66, STATUS_COLOUR["短链"]],
             [0.67, STATUS_COLOUR["强链"]], [1, STATUS_COLOUR["强链"]]]  # fmt: skip
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"环节{i + 1}" for i in range(width)],
            y=chains,
            text=text,
            texttemplate="%{text}",
            colorscale=scale,
            zmin=0,
            zmax=2,
            xgap=2,
            ygap=2,
            showscale=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )  # fmt: skip
    )
    fig.update_layout(
        title=f"{province_zh} 缺链矩阵 chain-gap matrix 2017",
        yaxis={"autorange": "reversed"},
        height=120 + 60 * len(chains),
        margin={"l": 110, "r": 20, "t": 50, "b": 30},
    )
    return fig


def _method_text(p: dict[str, Any]) -> dict[str, Any]:
    th = p["thresholds"]
    zh = (
        f"状态规则：强链 = 上市企业 ≥ {th['strong_firms']} 家，且部门区位商 LQ ≥ {th['strong_lq']:g} "
        f"或全国产出份额 ≥ {th['strong_share']:.0%} 或企业区位商 ≥ {th['strong_lq']:g}；缺链 = 无上市企业且 "
        f"LQ < {th['present_lq']:g}；其余为短链。ST、*ST 与退市企业不计入（单列）。LQ 与供给来源来自 2017 年"
        "省级投入产出表（42 部门），同一部门的多个环节数值相同（“同部门环节数” > 1 时数据过粗，只能靠企业数区分）。"
        "上市企业仅为企业总体的一部分：无上市企业不等于无产业。"
    )
    en = (
        f"Status rules: strong = at least {th['strong_firms']} listed firms and sector LQ ≥ "
        f"{th['strong_lq']:g}, or national output share ≥ {th['strong_share']:.0%}, or firm LQ ≥ "
        f"{th['strong_lq']:g}; missing = no listed firm and LQ < {th['present_lq']:g}; otherwise "
        "weak. ST, *ST and delisted firms are excluded (counted apart). LQ and supply shares come "
        "from the 2017 provincial IO tables (42 sectors): links sharing one sector show the same "
        "values — where 'links in sector' > 1 the data are too coarse and only firm counts tell "
        "the links apart. Listed firms are a small part of all firms: no listed firm does not "
        "mean no industry."
    )
    return _blocks().text_block(zh=zh, en=en)


def _matrix_section(p: dict[str, Any]) -> dict[str, Any]:
    b = _blocks()
    src = f"{SOURCE_FIRMS}; {SOURCE_IO}"
    return _section(
        "chain-gap-matrix",
        zh=f"产业链缺链矩阵（{p['province_zh']}，8 条重点产业链）",
        en="Chain-gap matrix (8 strategic chains)",
        datasets=p["datasets"],
        blocks=[
            b.figure_block(
                gap_matrix_figure(p["gaps"], province_zh=p["province_zh"]),
                zh="缺链矩阵",
                en="Chain-gap matrix",
                source=src,
            ),  # fmt: skip
            _table(
                p["completeness"],
                zh="产业链完整度（按全国列昂惕夫逆矩阵的环节需求加权；强链 1、短链 0.5、缺链 0）",
                en="Chain completeness (links weighted by their requirement in the chain's product, "
                "national Leontief inverse 2017; strong 1, weak 0.5, missing 0)",
                unit="share (0–1); rank among 31 provinces",
                source="china-io:2017-42; " + src,
                index=False,
                digits=3,
                year=p["year"],
            ),
            _method_text(p),
        ],
    )


def _chain_blocks(t: ChainTemplate, p: dict[str, Any]) -> list[dict[str, Any]]:
    b = _blocks()
    g = p["gaps"].loc[p["gaps"]["chain"] == t.id]
    shown = p["links"].loc[p["links"]["产业链 chain"] == t.name_zh].drop(columns=["产业链 chain"])
    return [
        b.figure_block(
            chain_diagram(t, g, province_zh=p["province_zh"]),
            zh=f"{t.name_zh}产业链图（节点颜色=状态，数字=上市企业数；深色箭头=知识图谱支持的上下游关系）",
            en=f"{t.name_en} chain map (colour = status, numbers = listed firms; dark arrows = "
            "upstream links the KG supports)",
            source=f"{SOURCE_FIRMS}; {SOURCE_IO}",
        ),
        _table(
            shown,
            zh=f"{t.name_zh}：各环节",
            en=f"{t.name_en}: links",
            index=False,
            digits=3,
            unit="firms: count; LQ: ratio; shares: 0–1",
            source=SOURCE_IO,
            year=p["year"],
        ),  # fmt: skip
    ]


def _lists_section(p: dict[str, Any]) -> dict[str, Any]:
    part = p["partners"]
    weak_or_missing = p["gaps"].loc[p["gaps"]["status"] != "强链", ["chain", "link"]]
    part = part.merge(weak_or_missing, on=["chain", "link"]).loc[lambda d: d["rank"] == 1]
    part = part[["chain_zh", "name_zh", "basis", "partner_zh", "lq", "n_firms", "status",
                 "coarse", "relatedness"]]  # fmt: skip
    leaders = p["leaders"].loc[p["leaders"]["rank"] <= 2]
    leaders = leaders[["chain_zh", "rank_label", "name", "ts_code", "kg_industry", "n_links"]]
    firms = (
        p["firms"]
        .groupby(["chain_zh", "name_zh"], sort=False)["name"]
        .agg(lambda s: "、".join(s.head(12)) + ("…" if len(s) > 12 else ""))
    )
    g = p["gaps"]
    coarse = (
        g.loc[g["coarse"]]
        .groupby(["chain_zh", "io_sector"], sort=False)["name_zh"]
        .agg("、".join)
        .rename("共用该部门的环节 links sharing the sector")
        .to_frame()
    )
    lists = [
        ("缺链清单", "Missing links", p["missing"], "firms: count; LQ: ratio"),
        ("短链清单", "Weak links", p["weak"], "firms: count; LQ: ratio"),
        ("依赖省外调入的环节（调入占使用 ≥ 阈值）", "Inflow-dependent links",
         p["inflow_dependent"], "shares of use (0–1)"),
        ("候选合作省份（短链与缺链；按 LQ 与企业数各取第一；相关度 = 产业结构余弦相似度，不含距离）",
         "Candidate partner provinces (weak and missing links; top by LQ and by firms; "
         "relatedness = cosine similarity of output structures, distance-free)", part,
         "LQ: ratio; relatedness: 0–1"),
        ("各环节上市企业", "Listed firms per link", firms.rename("企业 firms").to_frame(), ""),
        ("数据过粗：共用一个 IO 部门的环节（其 LQ、份额与供给来源相同，只能靠企业数区分）",
         "Too coarse: links sharing one IO sector (same LQ, share and sourcing; only firm "
         "counts tell them apart)", coarse, ""),
        ("链主候选（集成环节企业，按关联环节数；并列以 = 标出）",
         "Chain-leader candidates (integrator links; by linked links; ties marked =)", leaders,
         "links: count"),
        ("全国链主候选（各链第一档，可作招商与合作对象）",
         "Chain-leader candidates nationwide (top tier of each chain: partners or investors)",
         p["national_leaders"][["chain_zh", "rank_label", "name", "province", "kg_industry",
                                "n_links"]], "links: count"),
    ]  # fmt: skip
    blocks = [
        _table(
            df,
            zh=zh,
            en=en,
            unit=unit,
            index=isinstance(df.index, pd.MultiIndex),
            digits=3,
            source=SOURCE_FIRMS,
            year=p["year"],
        )  # fmt: skip
        for zh, en, df, unit in lists
    ]
    blocks[-1]["rows"] = blocks[-1]["rows"][:60]
    note = p["leaders"].attrs.get("note")
    if note:
        blocks.append(_blocks().text_block(
            zh="数据中没有企业规模：关联环节数相同的企业并列（可用 --attributes 提供营业收入等属性重新排序）。",
            en="The data hold no firm size: firms with equal linked links are tied (pass "
            "--attributes with e.g. revenue to re-rank).",
        ))  # fmt: skip
    return _section("chain-lists", zh=f"补链清单（{p['province_zh']}）", en="Chain-gap lists",
                    datasets=p["datasets"], blocks=blocks)  # fmt: skip


def province_chain_sections(
    province: str, year: int = YEAR, *, chains: Any = None, **options: Any
) -> list[dict[str, Any]]:
    """Report sections of one province's chain gaps: the chain-gap matrix with completeness, one
    chain map per chain, and the lists (missing, weak, inflow-dependent links, partner
    provinces, firms per link, chain leaders).

    Parameters
    ----------
    province : str
        Any spelling (四川, Sichuan, SIC, 51).
    year : int
        2017.
    chains : optional
        Chain names (default: all templates).
    **options
        Passed to :func:`~chainatlas.pipelines.chain_gaps.province_chain_gaps` (thresholds,
        include_flagged, top_partners, attributes).
    """
    p = province_chain_gaps(province, chains=chains, year=year, **options)
    maps = [blk for t in resolve_chains(chains) for blk in _chain_blocks(t, p)]
    return [
        _matrix_section(p),
        _section(
            "chain-maps",
            zh=f"产业链图（{p['province_zh']}）",
            en="Chain maps",
            datasets=p["datasets"],
            blocks=maps,
        ),  # fmt: skip
        _lists_section(p),
    ]


def chain_gaps_context(province: str, year: int = YEAR, **options: Any) -> dict[str, Any]:
    """A report context (``kind = "chain-gaps"``) with :func:`province_chain_sections`."""
    from chainatlas.pipelines.chain_gaps import DATASETS, _name, province_code

    code = province_code(province)
    return {
        "kind": "chain-gaps",
        "title": {
            "zh": f"{_name(code)}重点产业链补链分析（一图N清单）",
            "en": f"Chain gaps of {code}: one map, N lists",
        },  # fmt: skip
        "subtitle": f"{year} 年省级投入产出表与上市公司 · {year} provincial IO tables and listed firms",
        "params": {"province": code, "year": year, **{k: str(v) for k, v in options.items()}},
        "datasets": DATASETS,
        "briefing": None,
        "sections": province_chain_sections(code, year, **options),
        "provenance": {"source": DATASETS},
    }
