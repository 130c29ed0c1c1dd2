"""Atlas report sections on ecosystems (生态群落章节): WIOD production blocs and their evolution;
chain-KG communities and chain leaders; Apple supplier geography.

Formatting only: numbers come from :mod:`chainatlas.ecosystems` (the same dicts the CLI prints
with ``chainatlas ecosystems ... --format json``).
"""

from __future__ import annotations

import functools
import re
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

__all__ = [
    "ORDER",
    "applies",
    "sections",
    "events_frame",
    "evolution_payload",
    "wiod_payload",
    "communities_payload",
    "leaders_payload",
    "chain_kg_payload",
    "apple_payload",
]

ORDER = 60
MAX_MEMBERS = 40
SRC_GREENE = "Greene, Doyle & Cunningham (2010); Leiden: Traag, Waltman & van Eck (2019)"


def applies(obj: Any, spec: str) -> bool:
    """WIOD tables (bloc evolution) and China national tables (chain KG and Apple geography)."""
    return spec.startswith("wiod-2013:") or spec.startswith("china-io:")


def _members_text(members: list[Any], limit: int = MAX_MEMBERS) -> str:
    shown = "; ".join(map(str, members[:limit]))
    return shown + (f"; … (+{len(members) - limit})" if len(members) > limit else "")


def events_frame(events: pd.DataFrame, *, limit: int = MAX_MEMBERS) -> pd.DataFrame:
    """Events with lists written as text (members capped at `limit`), for tables and CSV."""
    out = events.copy()
    out["dynamic"] = out["dynamic"].map(lambda d: ", ".join(f"D{x}" for x in d))
    out["communities"] = out["communities"].map(lambda c: ", ".join(map(str, c)))
    if "members" in out.columns:
        out["members"] = out["members"].map(lambda m: _members_text(m, limit))
    out.index.name = "event_no"
    return out


def evolution_payload(evo: Any, source: str) -> dict[str, Any]:
    """Events, event counts and the timeline of an :class:`~chainatlas.ecosystems.evolution.Evolution`."""
    return {
        "source": source,
        "params": {
            "theta": evo.theta,
            "death_after": evo.death_after,
            "size_tolerance": evo.size_tolerance,
        },
        "event_counts": evo.event_counts(),
        "events": events_frame(evo.events),
        "timeline": evo.timeline,
    }


def _country_summary(members: list[str]) -> str:
    counts = pd.Series([m.split(" / ")[0] for m in members]).value_counts()
    return ", ".join(f"{c} {n}" for c, n in counts.head(12).items())


def wiod_payload(blocs: Any) -> dict[str, Any]:
    """WIOD bloc evolution: events by year, multi-country blocs per year, merge/split details."""
    evo = blocs.evolution
    ev = evo.events.copy()
    ev["countries (sectors)"] = ev["members"].map(_country_summary)
    mask = ev["event"].isin(["merge", "split", "birth", "death"]) & (ev["time"] != evo.times[0])
    major = events_frame(ev.loc[mask].drop(columns=["members"]).reset_index(drop=True))
    b = blocs.blocs
    multi = b.loc[b["n_countries"] > 1]
    grid = (
        multi.pivot_table(index="bloc", columns="year", values="size", aggfunc="first")
        .fillna(0)
        .astype(int)
    )
    grid = grid.loc[grid.gt(0).sum(axis=1).sort_values(ascending=False).index]
    grid.index.name = "bloc"
    grid.columns = [str(c) for c in grid.columns]
    first, last = evo.times[0], evo.times[-1]
    return {
        "source": "wiod-2013:1995…2011",
        "params": blocs.params,
        "event_counts": evo.event_counts(),
        "blocs": grid,
        "major_events": major,
        "summary": {
            "communities_first": int((b["year"] == first).sum()),
            "communities_last": int((b["year"] == last).sum()),
            "multi_country_first": int(((b["year"] == first) & (b["n_countries"] > 1)).sum()),
            "multi_country_last": int(((b["year"] == last) & (b["n_countries"] > 1)).sum()),
            "merges": int((evo.events["event"] == "merge").sum()),
            "splits": int((evo.events["event"] == "split").sum()),
        },
    }


def communities_payload(
    net: Any, membership: pd.Series, summary: pd.DataFrame, source: str
) -> dict[str, Any]:
    """Community summary (size, top hub, dependence) and the node → community table."""
    return {
        "source": source,
        "network": {"nodes": net.n_nodes, "edges": net.n_edges, "notes": list(net.notes)},
        "steps": list(net.provenance.steps),
        "communities": summary,
        "membership": membership.rename_axis("node").to_frame(),
    }


def leaders_payload(leaders: pd.DataFrame, source: str, method: str) -> dict[str, Any]:
    """Chain-leader ranking."""
    out = leaders.copy()
    out.insert(0, "rank", range(1, len(out) + 1))
    return {"source": source, "method": method, "leaders": out}


def chain_kg_payload(eco: Any) -> dict[str, Any]:
    """Chain-KG communities, industry and company leaders (company graph derived)."""
    summ = eco.community_summary.copy()
    summ["hubs"] = summ["hubs"].map(lambda h: "、".join(h))
    return {
        "source": "china-industry-chain-kg",
        "industry_network": {"nodes": eco.industry_net.n_nodes, "edges": eco.industry_net.n_edges},
        "company_network": {
            "nodes": eco.company_net.n_nodes,
            "edges": eco.company_net.n_edges,
            "derived": True,
        },
        "notes": list(eco.notes),
        "communities": summ,
        "industry_leaders": eco.industry_leaders,
        "company_leaders": eco.company_leaders,
    }


def apple_payload(geo: Any) -> dict[str, Any]:
    """Apple supplier-facility concentration by country per year, churn and merge decisions."""
    churn = geo.churn.copy()
    churn["entered"] = churn["entered"].map(lambda m: _members_text(m, 15))
    churn["exited"] = churn["exited"].map(lambda m: _members_text(m, 15))
    merges = geo.merges.copy()
    merges["variants"] = merges["variants"].map(lambda v: " | ".join(v))
    merges["years"] = merges["years"].map(lambda y: ", ".join(map(str, y)))
    return {
        "source": "apple-suppliers",
        "concentration": geo.concentration,
        "churn": churn,
        "merges": merges,
        "n_published_names": int(geo.suppliers.facilities["supplier_name"].nunique()),
        "n_suppliers": int(geo.suppliers.keyed["supplier_key"].nunique()),
    }


@functools.lru_cache(maxsize=2)
def _wiod_cached(years: tuple[int, ...]) -> Any:
    from chainatlas.pipelines.ecosystems import wiod_blocs

    return wiod_blocs(years)


def _wiod_sections(obj: Any, spec: str, step: Callable[[str], None]) -> list[dict[str, Any]]:
    from chainatlas.pipelines.ecosystems import WIOD_YEARS, sankey_figure

    step("ecosystems: WIOD communities 1995–2011")
    blocs = _wiod_cached(tuple(WIOD_YEARS))
    p = wiod_payload(blocs)
    s = p["summary"]
    fig = sankey_figure(blocs.evolution, max_communities=14, min_size=20)
    return [
        section(
            "ecosystems-wiod",
            datasets=["wiod-2013:1995…2011"],
            zh="生态群落：区域生产集团的形成与演化（WIOD 1995–2011）",
            en="Ecosystems: regional production blocs and their evolution (WIOD 1995–2011)",
            note_zh="每年的国家-部门中间品流量网络（差异过滤骨干，α=0.05）用 Leiden 模块度划分群落，"
            "再按 Greene 等（2010）以 Jaccard 阈值 θ=0.3 跨年匹配。集团成员：其一半以上部门在该群落中的经济体。",
            note_en="Each year's country-sector network of intermediate flows (disparity-filter "
            "backbone, α = 0.05) is split into Leiden modularity communities, matched across "
            "years after Greene et al. (2010) with Jaccard threshold θ = 0.3. A bloc's members "
            "are the economies with at least half of their sectors in the community.",
            blocks=[
                metrics_block(
                    [
                        ("1995年群落数", "communities 1995", s["communities_first"], ""),
                        ("2011年群落数", "communities 2011", s["communities_last"], ""),
                        (
                            "1995年多经济体集团",
                            "multi-economy blocs 1995",
                            s["multi_country_first"],
                            "",
                        ),
                        (
                            "2011年多经济体集团",
                            "multi-economy blocs 2011",
                            s["multi_country_last"],
                            "",
                        ),
                        ("合并事件", "merge events", s["merges"], ""),
                        ("分裂事件", "split events", s["splits"], ""),
                    ]
                ),
                table_block(
                    p["event_counts"],
                    zh="各年演化事件数",
                    en="Evolution events per year",
                    digits=0,
                    source=SRC_GREENE,
                ),
                table_block(
                    p["blocs"],
                    zh="多经济体生产集团（各年群落规模，部门数）",
                    en="Multi-economy production blocs (community size in sectors, by year)",
                    digits=0,
                ),
                figure_block(
                    fig,
                    zh="群落冲积图（部门在相邻年份群落间的流动）",
                    en="Alluvial diagram: sectors moving between communities in consecutive years",
                    source=SRC_GREENE,
                ),
                table_block(
                    p["major_events"],
                    zh="诞生、消亡、合并与分裂事件",
                    en="Births, deaths, merges and splits",
                    digits=3,
                ),
            ],
        )
    ]


def _china_sections(step: Callable[[str], None]) -> list[dict[str, Any]]:
    from chainatlas.pipelines.ecosystems import apple_geography, chain_kg_ecosystem

    def _chain_leaders() -> Any:
        from chainatlas.pipelines.chain_gaps import national_chain_leaders

        cols = ["chain_zh", "rank_label", "name", "ts_code", "province", "kg_industry", "n_links"]
        return national_chain_leaders().groupby("chain_zh", sort=False).head(6)[cols]

    step("ecosystems: industry-chain communities and chain leaders")
    kg = chain_kg_payload(chain_kg_ecosystem())
    step("ecosystems: Apple supplier geography")
    ap = apple_payload(apple_geography())
    conc = ap["concentration"]
    return [
        section(
            "ecosystems-chain-kg",
            datasets=["china-industry-chain-kg", "cn-listed-companies"],
            zh="生态群落：产业链群落与链主（A股产业链知识图谱）",
            en="Ecosystems: industry-chain communities and chain leaders (A-share chain KG)",
            note_zh="行业图：上游行业→下游行业（申万2021三级行业，权重为链接次数）。下游依赖中心性：反向图上的 "
            "PageRank（从客户按采购份额走向供应商），它衡量网络中心性，不是政策意义上的链主（焦炭、磷化工居前）。"
            "链主：8 条重点产业链集成环节的上市企业，按其在知识图谱中关联的本链环节数排序（并列以 = 标出，"
            "剔除 ST/*ST/退市；见 chainatlas chains gaps）。",
            note_en="Industry graph: upstream → downstream Shenwan-2021 level-3 industries "
            "(weight = link count). Downstream-dependence centrality: PageRank on the reversed "
            "graph (a walk from customers to suppliers by purchase share) — network centrality, "
            "not chain leaders in the policy sense (coke and phosphate come first). Chain "
            "leaders: listed firms of the integrator links of the 8 strategic chains, by the "
            "chain links their industry draws on in the KG (ties marked =; ST/*ST/delisted "
            "excluded; see chainatlas chains gaps).",
            blocks=[
                metrics_block(
                    [
                        ("行业节点", "industries", kg["industry_network"]["nodes"], ""),
                        ("行业链接", "industry links", kg["industry_network"]["edges"], ""),
                        (
                            "上市公司（推导图）",
                            "listed companies (derived graph)",
                            kg["company_network"]["nodes"],
                            "",
                        ),
                        ("群落数", "communities", len(kg["communities"]), ""),
                    ]
                ),
                table_block(
                    kg["communities"],
                    zh="产业链群落：规模、头部枢纽及依赖度",
                    en="Industry-chain communities: size, top hubs, dependence on the top hub",
                    digits=3,
                ),
                table_block(
                    kg["industry_leaders"].head(15),
                    zh="下游依赖中心性最高的行业（反向 PageRank；非链主）",
                    en="Industries by downstream-dependence centrality (reverse PageRank; not "
                    "chain leaders)",
                    digits=4,
                ),
                table_block(
                    _chain_leaders(),
                    zh="链主候选：8 条重点产业链集成环节第一档企业（并列以 = 标出）",
                    en="Chain-leader candidates: top tier of the integrator links of the 8 "
                    "strategic chains (ties marked =)",
                    index=False,
                    source="cn-listed-companies × china-industry-chain-kg (chain templates)",
                ),
                text_block(
                    zh="处理说明：" + "；".join(_note_zh(n) for n in kg["notes"]),
                    en="Notes: " + "; ".join(kg["notes"]),
                ),
            ],
        ),
        section(
            "ecosystems-apple",
            datasets=["apple-suppliers"],
            zh="生态群落：苹果供应商设施的地理分布（2012–2022）",
            en="Ecosystems: geography of Apple's supplier facilities (2012–2022)",
            note_zh="HHI = Σ 各国设施份额²（0–1）。供应商名称经确定性规则归一化后比较进入与退出；2019年无名单，"
            "2020年与2018年比较。",
            note_en="HHI = Σ country share of facilities² (0–1). Entries and exits compare "
            "normalised supplier names between consecutive published lists (no 2019 list: 2020 is "
            "compared with 2018).",
            blocks=[
                metrics_block(
                    [
                        ("发布名称数", "published names", ap["n_published_names"], ""),
                        ("归一化后供应商", "suppliers after normalisation", ap["n_suppliers"], ""),
                        (
                            "2022年中国大陆设施份额",
                            "mainland China share of facilities 2022",
                            float(conc["china_share"].iloc[-1]),
                            "",
                        ),
                        ("2022年国家HHI", "country HHI 2022", float(conc["hhi"].iloc[-1]), ""),
                    ]
                ),
                table_block(
                    conc,
                    zh="各年设施国别集中度",
                    en="Facility concentration by country per year",
                    digits=4,
                ),
                table_block(
                    ap["churn"].drop(columns=["entered", "exited"]),
                    zh="供应商进入与退出",
                    en="Supplier entries and exits",
                    digits=0,
                ),
            ],
        ),
    ]


_NOTE_ZH = [
    (r"dropped (\d+) self-loop\(s\)", r"删除自环 \1 条"),
    (r"dropped (\d+) self-loop record\(s\)", r"删除自环记录 \1 条"),
    (r"dropped (\d+) zero-(?:weight|value) edge\(s\)", r"删除零权重边 \1 条"),
    (
        r"aggregated (\d+) duplicate \(source, target\) row\(s\) by summing their weights",
        r"合并重复的（来源，目标）记录 \1 行（权重相加）",
    ),
    (
        r"dropped (\d+) row\(s\) whose (.+) not in the industry table",
        r"删除 \1 行（\2 不在行业表中）",
    ),
    (r"dropped (\d+) record\(s\) dated outside the periods", r"删除期外记录 \1 条"),
]


def _note_zh(note: str) -> str:
    """Chinese rendering of a processing note (presentation only; unknown notes kept as is)."""
    for pattern, repl in _NOTE_ZH:
        out, n = re.subn(pattern, repl, note)
        if n:
            return out.replace("industry names are", "行业名称").replace(
                "industry codes are", "行业代码"
            )
    return note


def sections(obj: Any, spec: str, step: Callable[[str], None]) -> list[dict[str, Any]]:
    """Ecosystem sections for WIOD (bloc evolution) or China national (chain KG, Apple) reports."""
    if spec.startswith("wiod-2013:"):
        return _wiod_sections(obj, spec, step)
    return _china_sections(step)
