"""Atlas report sections for multi-region tables (多区域表报告章节): value added in trade,
foreign dependence, chokepoints and a supply-shock example.

Formatting only: numbers come from :mod:`chainatlas.pipelines.chains` and
:mod:`chainatlas.resilience` (the same dicts the CLI prints).
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

__all__ = ["ORDER", "applies", "sections", "FOCUS_ECONOMY"]

ORDER = 30
FOCUS_ECONOMY = "CHN"
TOP = 20
SRC = "HIY (2001); Koopman, Wang & Wei (2014); Miller & Blair (2009) §12"


def applies(obj: Any, spec: str) -> bool:
    """True for multi-region IO tables whose final demand is split by destination economy."""
    from chainatlas.io.table import IOTable

    return (
        isinstance(obj, IOTable)
        and isinstance(obj.labels, pd.MultiIndex)
        and isinstance(obj.Y.columns, pd.MultiIndex)
    )


def _named(table: Any, df: pd.DataFrame) -> pd.DataFrame:
    meta = table.sectors
    if "name_en" in df.columns:
        return df
    if meta is None or "name_en" not in meta.columns or not isinstance(df.index, pd.MultiIndex):
        return df
    cols = [c for c in ("name_zh", "name_en") if c in meta.columns]
    return pd.concat([meta.reindex(df.index)[cols], df], axis=1)


def _sector_named(table: Any, df: pd.DataFrame, economy: str) -> pd.DataFrame:
    meta = table.sectors
    if meta is None or "name_en" not in meta.columns:
        return df
    cols = [c for c in ("name_zh", "name_en") if c in meta.columns]
    names = meta.xs(economy, level=0)[cols] if isinstance(meta.index, pd.MultiIndex) else None
    return df if names is None else pd.concat([names.reindex(df.index), df], axis=1)


def sections(obj: Any, spec: str, step: Callable[[str], None]) -> list[dict[str, Any]]:
    """Value added in exports, dependence, chokepoints and a Ghosh shock example for CHN."""
    import plotly.graph_objects as go

    from chainatlas.pipelines.chains import chokepoints_summary, dependence_summary
    from chainatlas.resilience import parse_scenario, run_scenario

    table = obj
    eco = (
        FOCUS_ECONOMY
        if FOCUS_ECONOMY in set(table.labels.get_level_values(0))
        else str(table.labels[0][0])
    )
    unit = table.unit
    src = f"{spec}; {SRC}"  # the dataset name first: the report footer lists its licence
    out = []

    step("value added in exports and dependence")
    dep = dependence_summary(table, eco, top=TOP)
    va = dep["value_added_in_exports"].sort_values("exports", ascending=False)
    f = dep["focus"]
    fig = go.Figure()
    top_va = va.head(25)
    fig.add_bar(x=top_va.index.astype(str), y=top_va["gvc_backward"], name="backward 后向 (FVA/E)")
    fig.add_bar(x=top_va.index.astype(str), y=top_va["gvc_forward"], name="forward 前向 (DVX/E)")
    fig.update_layout(barmode="stack", height=380, yaxis_title="share of gross exports")
    out.append(
        section(
            "chains-value-added",
            zh="出口增加值与全球价值链参与度",
            en="Value added in exports and GVC participation",
            blocks=[
                metrics_block(
                    [
                        ("总出口", f"{eco} gross exports", f["exports"], unit),
                        ("国外增加值占比", "foreign VA share (FVA/E)", f["fva_share"], ""),
                        ("前向参与度", "forward participation (DVX/E)", f["gvc_forward"], ""),
                        ("恒等式残差", "identity gap E − DVA − FVA", f["gap"], unit),
                    ]
                ),
                text_block(
                    zh="DVA = Σ_{i∈s} v_i L_ij E_j，FVA = Σ_{i∉s} v_i L_ij E_j，E = DVA + FVA；"
                    "后向参与度 = FVA/E，前向参与度 = DVX/E（本国增加值体现在他国出口中，HIY 的 VS1）。",
                    en="DVA = Σ_{i∈s} v_i L_ij E_j, FVA = Σ_{i∉s} v_i L_ij E_j, E = DVA + FVA; "
                    "backward participation = FVA/E, forward = DVX/E (own value added in other "
                    "economies' exports, HIY's VS1).",
                ),
                figure_block(
                    fig,
                    zh="前25大出口经济体的参与度",
                    en="GVC participation, top 25 exporters",
                    source=src,
                ),
                table_block(
                    va[
                        [
                            "exports",
                            "DVA",
                            "FVA",
                            "DVX",
                            "fva_share",
                            "gvc_forward",
                            "gvc_participation",
                        ]
                    ],
                    zh="各经济体出口增加值分解",
                    en="Value added in gross exports by economy",
                    unit=unit,
                    digits=4,
                    source=src,
                ),
            ],
        )
    )
    out.append(
        section(
            "chains-dependence",
            zh=f"{eco} 对国外供应的依赖",
            en=f"{eco}'s dependence on foreign suppliers",
            blocks=[
                text_block(
                    zh="直接依赖 = A w / Σw，完全依赖 = (L − I) w / Σw，w 为该经济体的最终产出。",
                    en="direct = A w / Σw, total = (L − I) w / Σw, with w the focus economy's "
                    "final output; total_share = share of all its total requirements.",
                ),
                table_block(
                    _named(table, dep["dependence"]),
                    zh="前20位国外供应部门（完全需求）",
                    en="Top 20 foreign suppliers by total requirements",
                    unit=unit,
                    source=src,
                ),
                table_block(
                    _sector_named(table, dep["origin_concentration"], eco),
                    zh="各部门完全中间需求的来源集中度（HHI）",
                    en="Origin concentration (HHI across economies) of each sector's total "
                    "intermediate requirements",
                    source=src,
                ),
            ],
        )
    )

    step("chokepoint ranking")
    ck = chokepoints_summary(table, eco, top=TOP)
    cdf = ck["chokepoints"]
    sc = go.Figure(
        go.Scatter(
            x=cdf["supply_share"],
            y=cdf["reach_share"],
            mode="markers+text",
            text=[" / ".join(map(str, i)) for i in cdf.index],
            textposition="top center",
            marker={
                "size": 10 + 40 * cdf["foreign_hhi"],
                "color": cdf["score"],
                "colorscale": "Reds",
                "showscale": True,
            },
        )
    )
    sc.update_layout(height=420, xaxis_title="supply share 供应份额", yaxis_title="reach 下游影响")
    out.append(
        section(
            "chains-chokepoints",
            zh=f"{eco} 的卡脖子环节",
            en=f"Chokepoints for {eco}",
            blocks=[
                text_block(
                    zh="得分 = 五个归一化分项的加权几何平均：供应份额、境外供给集中度（不含本国的世界产出HHI）、"
                    "本国进口来源集中度HHI、抽取后本国产出损失、缺乏国内替代（1 − 本国占世界产出份额）。"
                    "非贸易部门（公共管理、教育、卫生、房地产等）不参与排名。其他地区（RoW）为40个经济体"
                    "以外所有经济体的合计，无法归属于单一经济体：单列并标注，不排名次。"
                    "world_hhi（含本国产出的旧指标）仅供对比。",
                    en=ck["formula"]
                    + ". "
                    + ck["rest_of_world_note"].split("其他地区")[0]
                    + ck["non_tradables_note"].split("非贸易")[0]
                    + ck["world_hhi_note"].split("world_hhi 含")[0],
                ),
                figure_block(
                    sc,
                    zh="卡脖子得分分项",
                    en="Chokepoint components (size: foreign-only HHI)",
                    source=src,
                ),
                table_block(
                    _named(table, cdf),
                    zh="卡脖子排名（分项并列）",
                    en="Chokepoint ranking with its components",
                    unit=unit,
                    source=src,
                ),
            ],
        )
    )

    step("shock example")
    first = cdf.index[cdf["rank"].notna().to_numpy()][0]
    scen = parse_scenario(
        {
            "model": "ghosh",
            "name": f"{first[0]} {first[1]} primary inputs -50 %",
            "input_changes": [
                {"economy": str(first[0]), "sector": str(first[1]), "change_pct": -50}
            ],
        }
    )
    res = run_scenario(table, scen)
    be = res.by_economy.drop(index="total").sort_values("change").head(15)
    out.append(
        section(
            "chains-shock",
            zh="冲击示例：头号卡脖子供应部门减产50%（高希模型）",
            en=f"Shock example: primary inputs of {first[0]} {first[1]} fall 50 % (Ghosh)",
            blocks=[
                metrics_block(
                    [
                        ("世界总产出变化", "world output change", res.totals["change"], unit),
                        ("变化率 %", "change %", res.totals["change_pct"], "%"),
                    ]
                ),
                text_block(
                    zh="模型假设：" + "；".join(res.assumptions),
                    en="Assumptions: " + " ".join(res.assumptions),
                ),
                table_block(
                    be,
                    zh="受影响最大的经济体",
                    en="Most affected economies",
                    unit=unit,
                    source=f"{spec}; Ghosh (1958); Miller & Blair (2009) §12.1",
                ),
                text_block(
                    zh="动态冲击（ARIO）：chainatlas shock run examples/scenarios/jpn-electrical-30pct-90d.yaml",
                    en="Dynamic disruption (ARIO): chainatlas shock run "
                    "examples/scenarios/jpn-electrical-30pct-90d.yaml",
                ),
            ],
        )
    )
    if eco == "CHN" and {"USA", "NLD", "JPN"} <= set(map(str, table.labels.get_level_values(0))):
        step("export control: USA+NLD+JPN stop selling c14 to CHN")
        from chainatlas.pipelines.shock import export_control_costs, export_control_section

        ec = parse_scenario(EXPORT_CONTROL_EXAMPLE)
        out.append(export_control_section(export_control_costs(table, ec, spec)))
    return out


#: the report's export-control example (examples/scenarios/usa-nld-jpn-semiconductors-chn.yaml)
EXPORT_CONTROL_EXAMPLE = {
    "model": "export_control",
    "name": "USA+NLD+JPN stop selling electrical and optical equipment incl. semiconductors (c14) "
    "to CHN for 90 days",
    "target": "CHN",
    "coalition": ["USA", "NLD", "JPN"],
    "sectors": ["c14"],
    "cut_pct": 100.0,
    "substitution": "none",
    "start_day": 5,
    "duration_days": 90,
    "simulate_days": 180,
    "parameters": {"negative_final_demand": "clip"},
}
