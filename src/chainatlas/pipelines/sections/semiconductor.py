"""Report sections for the semiconductor chain (半导体产业链报告章节): the chain diagram,
chokepoints, chain leaders and a country-stop scenario. Every section notes the CC BY-NC 4.0
non-commercial licence of the data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chainatlas.pipelines.blocks import figure_block, section, table_block, text_block

__all__ = ["ORDER", "applies", "sections", "SCENARIO_COUNTRY", "SCENARIO_COALITION"]

ORDER = 31
#: the report's scenario: a coalition of provider countries stops supplying (export controls)
SCENARIO_COALITION: tuple[str, ...] = ("USA", "NLD", "JPN")
SCENARIO_COUNTRY = "+".join(SCENARIO_COALITION)
SRC = (
    "eto-semiconductor: CSET ETO Advanced Semiconductor Supply Chain dataset "
    "(CC BY-NC 4.0, non-commercial)"
)


def applies(obj: Any, spec: str) -> bool:
    """True for the eto-semiconductor container."""
    from chainatlas.chains.semiconductor import SemiconductorChain

    return isinstance(obj, SemiconductorChain)


def _licence(note: str) -> dict[str, Any]:
    return text_block(zh=f"数据许可：{note}", en=f"Data licence: {note}")


def _sankey(chain: Any, scores: dict[str, float]) -> Any:
    import plotly.graph_objects as go
    from plotly.colors import sample_colorscale

    from chainatlas.chains.semiconductor import chain_graph

    g = chain_graph(chain)
    ids = g.vs["name"]
    top = max(scores.values()) if scores else 1.0
    colors = [
        "#9ecae1"
        if g.vs[i]["kind"] == "stage"
        else sample_colorscale("Reds", [0.15 + 0.85 * scores.get(v, 0.0) / (top or 1.0)])[0]
        for i, v in enumerate(ids)
    ]
    src = [e.source for e in g.es]
    dst = [e.target for e in g.es]
    edge_kind = g.es["kind"]
    link_color = {
        "goes_into": "rgba(120,120,120,0.35)",
        "is_type_of": "rgba(49,130,189,0.35)",
        "part_of": "rgba(160,160,60,0.25)",
    }
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": g.vs["label"],
                "color": colors,
                "pad": 8,
                "thickness": 12,
                "customdata": [f"{v} · {k}" for v, k in zip(ids, g.vs["kind"], strict=True)],
                "hovertemplate": "%{label}<br>%{customdata}<extra></extra>",
            },
            link={
                "source": src,
                "target": dst,
                "value": [1] * len(src),
                "color": [link_color[k] for k in edge_kind],
                "customdata": edge_kind,
                "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}<extra></extra>",
            },
        )
    )
    fig.update_layout(
        height=900,
        font_size=10,
        title="goes_into (grey) · is_type_of (blue) · part_of stage (olive); "
        "node colour = chokepoint score",
    )
    return fig


def sections(obj: Any, spec: str, step: Callable[[str], None]) -> list[dict[str, Any]]:
    """Chain diagram, chokepoints, chain leaders and a scenario for the semiconductor chain."""
    import plotly.graph_objects as go

    from chainatlas.chains.semiconductor import chokepoint_inputs
    from chainatlas.pipelines.chains import semiconductor_summary

    step("semiconductor chain")
    pay = semiconductor_summary(obj, country=list(SCENARIO_COALITION), top=25)
    note = pay["licence"]
    ck = pay["chokepoints"]
    # node colours: every input's chokepoint score (the table shows the top 25)
    scores = chokepoint_inputs(obj)["score"].to_dict()
    lead = pay["leaders"]
    bar = go.Figure(
        go.Bar(
            x=lead["leader_score"].head(15)[::-1],
            y=lead.index[:15][::-1],
            orientation="h",
            text=lead["country"].head(15)[::-1],
        )
    )
    bar.update_layout(height=450, xaxis_title="share-weighted downstream reach 份额加权下游覆盖")
    sc = pay["scenario"]
    return [
        section(
            "semi-chain",
            zh="半导体产业链图谱",
            en="The semiconductor value chain",
            blocks=[
                _licence(note),
                text_block(
                    zh="节点为投入品与环节；goes_into 表示“用于”，is_type_of 表示“属于某类”，中断沿两类边向下游传导。",
                    en="Nodes are inputs and stages; goes_into = 'is used in', is_type_of = 'is "
                    "a kind of'; a disruption propagates downstream along both.",
                ),
                figure_block(
                    _sankey(obj, scores), zh="产业链桑基图", en="Chain diagram (Sankey)", source=SRC
                ),
            ],
        ),
        section(
            "semi-chokepoints",
            zh="卡脖子投入品",
            en="Chokepoint inputs",
            blocks=[
                _licence(note),
                text_block(
                    zh="得分 = 企业HHI、国家HHI、下游覆盖数三者归一化后的几何平均；份额依据见 firm_basis / country_basis。",
                    en="score = geometric mean of max-normalised firm HHI, country HHI and "
                    "downstream reach; the share basis is shown in firm_basis / country_basis.",
                ),
                text_block(
                    zh="n_providers 为数据列出的全部供应方，n_significant 不含数据标注为“可忽略”"
                    "（negligible）的供应方，其份额记为0。故“晶体生长炉”有2个供应方但最大企业份额为1："
                    "德国占100%（PVA TePla），中国的JSG被标注为可忽略。份额依据 firm_basis："
                    "given＝数据给出企业份额；country split＝国家份额在该国非可忽略企业间平均分配；"
                    "equal＝无份额时在非可忽略企业间平均分配。",
                    en="n_providers counts every provider the source lists; n_significant leaves "
                    "out those it marks negligible, whose share is 0. So 'Crystal growing "
                    "furnaces' has 2 providers but a top-firm share of 1: Germany supplies 100 % "
                    "(PVA TePla) and China's JSG is marked negligible. Share basis firm_basis: "
                    "given = firm shares from the source; country split = each country's share "
                    "split equally among its non-negligible firms; equal = no shares given, equal "
                    "split among non-negligible firms.",
                ),
                table_block(
                    ck, zh="卡脖子投入品排名", en="Chokepoint ranking of inputs", source=SRC
                ),
            ],
        ),
        section(
            "semi-leaders",
            zh="链主企业",
            en="Chain leaders",
            blocks=[
                _licence(note),
                figure_block(bar, zh="链主得分前15", en="Top 15 chain leaders", source=SRC),
                table_block(
                    lead,
                    zh="链主排名（份额加权下游覆盖）",
                    en="Chain leaders: share-weighted downstream reach",
                    source=SRC,
                ),
            ],
        ),
        section(
            "semi-scenario",
            zh=f"情景：{sc['country_zh']}（{sc['country']}）的供应商停止供货",
            en=f"Scenario: providers of {sc['country']} stop supplying (a coalition)",
            blocks=[
                _licence(note),
                text_block(
                    zh=f"国家/地区联盟 {sc['country_zh']} 的全部供应商停止供货；投入品失去的供应份额 = "
                    "联盟各国家/地区份额之和。投入品名称中英文并列（中文名为 chainatlas 译名）。",
                    en=f"Every provider in the coalition {sc['country']} stops supplying; an "
                    "input's supply lost = the sum of the coalition's country shares. Input "
                    "names in English and Chinese (Chinese names are chainatlas translations).",
                ),
                table_block(
                    sc["lost"],
                    zh=f"失去≥{sc['threshold']:.0%}供应的投入品",
                    en=f"Inputs losing ≥ {sc['threshold']:.0%} of supply",
                    source=SRC,
                ),
                table_block(
                    sc["affected_inputs"],
                    zh="受影响的下游投入品",
                    en="Downstream inputs affected",
                    source=SRC,
                ),
                table_block(
                    sc["affected_stages"], zh="受影响的环节", en="Stages affected", source=SRC
                ),
            ],
        ),
    ]
