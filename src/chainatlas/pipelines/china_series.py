"""China's tables 2002–2020 on one basis (中国投入产出序列): loading and structural change.

:func:`load_china_series` loads every registered China table and puts it on the common 39-sector
basis; :func:`structure_payload` and :func:`structure_section` give the structural-change numbers
and the atlas section built from them (used by ``chainatlas io structure`` and the report).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.io import IOTable
from chainatlas.pipelines.blocks import (
    figure_block,
    section,
    table_block,
    text_block,
)

__all__ = ["load_china_series", "structure_payload", "structure_section", "sector_names"]

SRC_MB = "Miller & Blair (2009), Input–Output Analysis, 2nd ed."


def sector_names(table: IOTable) -> pd.DataFrame | None:
    """Chinese and English sector names of a table.

    Parameters
    ----------
    table : IOTable
        A table whose ``sectors`` metadata may hold ``name_zh`` / ``name_en``.

    Returns
    -------
    DataFrame or None
        ``name_zh``/``name_en`` by sector label, or None when the table has no names.
    """
    meta = table.sectors
    if meta is None:
        return None
    cols = [c for c in ("name_zh", "name_en") if c in meta.columns]
    if not cols:
        return None
    return meta.reindex(table.labels)[cols]


def load_china_series(
    step: Callable[[str], None] | None = None,
) -> tuple[dict[int, IOTable], dict[int, IOTable]]:
    """Load every China table and put it on the common basis (``china_common_basis``).

    Parameters
    ----------
    step : callable, optional
        Called with a message before each table is loaded.

    Returns
    -------
    tuple of dict
        ``(competitive tables by year, non-competitive tables by year)``
        (:data:`chainatlas.io.CHINA_COMPETITIVE`, :data:`chainatlas.io.CHINA_NONCOMPETITIVE`).
    """
    from chainatlas.datasets import load
    from chainatlas.io.aggregate import china_common_basis
    from chainatlas.io.structure import CHINA_COMPETITIVE, CHINA_NONCOMPETITIVE

    step = step or (lambda _m: None)
    comp, nonc = {}, {}
    for year, spec in CHINA_COMPETITIVE.items():
        step(f"structural change: {spec}")
        comp[year] = china_common_basis(load(spec, progress=False))
    for year, spec in CHINA_NONCOMPETITIVE.items():
        step(f"structural change: {spec}")
        nonc[year] = china_common_basis(load(spec, progress=False))
    return comp, nonc


def structure_payload(
    comp: dict[int, IOTable], nonc: dict[int, IOTable] | None = None
) -> dict[str, Any]:
    """Structural change across years (:func:`chainatlas.io.structural_change`).

    Parameters
    ----------
    comp : dict of int to IOTable
        Competitive tables on the common basis, by year.
    nonc : dict of int to IOTable, optional
        Non-competitive tables on the same basis (import shares).

    Returns
    -------
    dict
        Years, summary (NAV, CCI), changes in rank and type, and the yearly tables.
    """
    from chainatlas.io import structural_change

    sc = structural_change(comp, noncompetitive=nonc)
    first = comp[sc.years[0]]
    names = sector_names(first)

    def named(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        df.columns = [str(c) for c in df.columns]
        return df if names is None else pd.concat([names.reindex(df.index), df], axis=1)

    f, last = sc.years[0], sc.years[-1]
    ch = sc.changes
    became = ch.index[(ch[f"type_{f}"] != "key") & (ch[f"type_{last}"] == "key")].tolist()
    lost = ch.index[(ch[f"type_{f}"] == "key") & (ch[f"type_{last}"] != "key")].tolist()
    return {
        "years": list(sc.years),
        "n": first.n,
        "became_key": [str(c) for c in became],
        "lost_key": [str(c) for c in lost],
        "formula": "NAV = ½Σ|s_t − s_t−1|; CCI = Σ|A_t − A_t−1| / ΣA_t−1",
        "source": "Michaely (1962); Carter (1970); " + SRC_MB,
        "summary": sc.summary,
        "changes": named(sc.changes.sort_values("rank_change", ascending=False)),
        "output_multipliers": named(sc.output_multipliers),
        "backward": named(sc.backward),
        "forward": named(sc.forward),
        "key_type": named(sc.key_type),
        "upstreamness": named(sc.upstreamness),
        "output_share": named(sc.output_share),
        "import_share": named(sc.import_share),
    }


def structure_section(step: Callable[[str], None]) -> dict[str, Any]:
    """The atlas section on China's structural change 2002–2020.

    Parameters
    ----------
    step : callable
        Progress messages.

    Returns
    -------
    dict
        One report section.
    """
    comp, nonc = load_china_series(step)
    step("structural change: computing")
    p = structure_payload(comp, nonc)
    summary = p["summary"]
    fig = structure_figure(p)
    names = sector_names(comp[p["years"][-1]])

    def label(codes: list[str], col: str) -> str:
        if not codes:
            return "—"
        if names is None:
            return ", ".join(codes)
        return ", ".join(f"{c} {names.loc[c, col]}" for c in codes)

    y0, y1 = p["years"][0], p["years"][-1]
    basis_text = text_block(
        zh="口径说明：各年均用竞争型进口表（含进口的完全需求），并汇总到共同的 39 部门口径，故本节 2020 年乘数"
        "与前文非竞争型表（仅国内投入）的乘数不同。2017 年起为新一轮投入产出调查基准，序列在 2015–2017 "
        "之间存在口径断点，解读变化时请注意。",
        en="Basis: every year uses the competitive-import table (requirements include imported "
        "inputs), aggregated to the common 39-sector basis, so the 2020 multipliers here differ "
        "from the non-competitive (domestic-only) multipliers above. 2017 starts a new benchmark "
        "survey: read changes across 2015–2017 as partly a break in the series.",
    )
    change_text = text_block(
        zh=f"{y0}–{y1} 年：成为关键部门的有 {label(p['became_key'], 'name_zh')}；"
        f"不再是关键部门的有 {label(p['lost_key'], 'name_zh')}。"
        f"平均产出乘数由 {summary['mean_multiplier'].iloc[0]:.3f} 变为 "
        f"{summary['mean_multiplier'].iloc[-1]:.3f}。",
        en=f"{y0}–{y1}: became key sectors: {label(p['became_key'], 'name_en')}; no longer "
        f"key: {label(p['lost_key'], 'name_en')}. The mean output multiplier moved from "
        f"{summary['mean_multiplier'].iloc[0]:.3f} to {summary['mean_multiplier'].iloc[-1]:.3f}.",
    )
    from chainatlas.io.structure import CHINA_COMPETITIVE, CHINA_NONCOMPETITIVE

    return section(
        "io-structure",
        zh="产业结构变迁（2002–2020）",
        en="Structural change across years (2002–2020)",
        datasets=[*CHINA_COMPETITIVE.values(), *CHINA_NONCOMPETITIVE.values()],
        blocks=[
            basis_text,
            change_text,
            table_block(
                summary,
                zh="逐年结构变化指标",
                en="Structural indicators by year (change vs previous table)",
                digits=4,
                source=p["source"],
            ),
            figure_block(fig, zh="产出乘数的变化", en="Output multipliers by year"),
            table_block(
                p["changes"],
                zh=f"{p['years'][0]}–{p['years'][-1]} 的部门变化（按后向关联排名上升排序）",
                en=f"Changes {p['years'][0]}–{p['years'][-1]} (by rise in backward-linkage rank)",
                digits=4,
            ),
            table_block(
                p["key_type"], zh="关键部门类型逐年", en="Key-sector type by year", digits=None
            ),
            table_block(p["upstreamness"], zh="上游度逐年", en="Upstreamness by year", digits=4),
            table_block(
                p["import_share"],
                zh="完全进口份额（非竞争型表）",
                en="Total import share (non-competitive tables)",
                digits=4,
            ),
        ],
        note_zh=f"各年竞争型表归并到共同的约 {p['n']} 部门口径（china_common_basis）；"
        "进口依赖度来自 2017、2018、2020 年非竞争型 42 部门表。现价，系数不作平减。",
        note_en=f"Each year's competitive-import table on the common ~{p['n']}-sector basis "
        "(china_common_basis); import dependence from the non-competitive 42-sector tables "
        "of 2017, 2018 and 2020. Current prices, coefficients not deflated.",
    )


def structure_figure(p: dict[str, Any]) -> Any:
    """Line chart of the structural-change summary (plotly figure).

    Parameters
    ----------
    p : dict
        A :func:`structure_payload` result.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    m = p["output_multipliers"]
    years = [str(y) for y in p["years"]]
    fig = go.Figure()
    summary = p["summary"]
    fig.add_trace(
        go.Scatter(
            x=years,
            y=summary["mean_multiplier"].round(4).tolist(),
            mode="lines+markers",
            name="平均产出乘数 mean output multiplier",
            line={"width": 4, "color": "#14324f"},
        )
    )
    label = m["name_zh"] if "name_zh" in m.columns else pd.Series(m.index, index=m.index)
    for lab in m.index:
        fig.add_trace(
            go.Scatter(
                x=years,
                y=np.round(m.loc[lab, years].to_numpy(dtype=float), 4).tolist(),
                mode="lines",
                name=f"{lab} {label.loc[lab]}",
                line={"width": 1},
                opacity=0.45,
                visible="legendonly",
            )
        )
    fig.update_layout(
        height=440,
        yaxis_title="产出乘数 output multiplier (1ᵀL)",
        margin={"l": 60, "r": 20, "t": 20, "b": 40},
    )
    return fig
