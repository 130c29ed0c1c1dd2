"""Atlas report sections for input–output tables (投入产出报告章节).

Each ``*_payload`` function calls the labelled API of :mod:`chainatlas.io` and returns the dict a
section shows (DataFrames and scalars); the CLI (``chainatlas io ...``) emits the same dicts as
JSON/CSV, so scripts see the numbers a reader sees. Nothing here computes a metric.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.io import (
    TYPOLOGY,
    ExtractionKind,
    IOTable,
    extraction_loss,
    extraction_ranking,
    hypothetical_extraction,
    import_dependence,
    key_sectors,
    linkages,
    multiplier_table,
    positions,
    servitisation,
)
from chainatlas.pipelines.blocks import (
    figure_block,
    metrics_block,
    section,
    table_block,
    text_block,
)
from chainatlas.pipelines.china_series import (
    load_china_series,
    structure_payload,
    structure_section,
)
from chainatlas.pipelines.china_series import (
    sector_names as _names,
)
from chainatlas.validation import validate_params

__all__ = [
    "ORDER",
    "applies",
    "sections",
    "glance_payload",
    "balance_payload",
    "linkages_payload",
    "multipliers_payload",
    "extraction_payload",
    "upstreamness_payload",
    "imports_payload",
    "servitisation_payload",
    "structure_payload",
    "load_china_series",
]

ORDER = 10
#: tables larger than this show the top rows only
FULL_TABLE_MAX = 60
TOP_N = 30

SRC_MB = "Miller & Blair (2009), Input–Output Analysis, 2nd ed."


# ---------------------------------------------------------------------- helpers
#: per-table column labels (the shared label of ``direct_share`` would say "import" everywhere)
IMPORT_LABELS: dict[str, str] = {
    "direct_share": "直接进口份额 direct import share",
    "total_share": "完全进口份额 total import share",
}
SERVITISATION_LABELS: dict[str, str] = {
    "direct_share": "直接服务投入份额 direct service-input share",
    "total_share": "完全服务投入份额 total service-input share",
}


def _labelled(block: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """A table block with its own column labels (shown instead of the shared ones)."""
    block["labels"] = dict(labels)
    return block


def _with_names(table: IOTable, df: pd.DataFrame) -> pd.DataFrame:
    names = _names(table)
    if names is None:
        return df
    return pd.concat([names.reindex(df.index), df], axis=1)


def _top(df: pd.DataFrame, n_rows: int) -> pd.DataFrame:
    return df if n_rows <= FULL_TABLE_MAX else df.head(TOP_N)


def _base(table: IOTable, spec: str) -> dict[str, Any]:
    return {"spec": spec, "n": table.n, "layout": table.layout, "unit": table.unit}


# ---------------------------------------------------------------------- payloads
def balance_payload(table: IOTable, spec: str = "") -> dict[str, Any]:
    """Row/column balance of every sector (``IOTable.balance``) and the largest gaps."""
    b = table.balance()
    allowed = table.balance_atol + table.balance_rtol * b["x"].abs()
    over = (b["row_gap"].abs() > allowed) | (b["col_gap"].abs() > allowed)
    return {
        **_base(table, spec),
        "within_tolerance": not bool(over.any()),
        "sectors_outside_tolerance": [str(s) for s in b.index[over.to_numpy()][:20]],
        "max_row_gap": float(b["row_gap"].abs().max()),
        "max_col_gap": float(b["col_gap"].abs().max()),
        "max_row_rgap": float(b["row_rgap"].abs().max()),
        "max_col_rgap": float(b["col_rgap"].abs().max()),
        "tolerance": {"rtol": table.balance_rtol, "atol": table.balance_atol},
        "balance": _with_names(table, b),
    }


def glance_payload(table: IOTable, spec: str = "") -> dict[str, Any]:
    """Size and totals of the table: total output, value added, final demand, imports."""
    out: dict[str, Any] = {
        **_base(table, spec),
        "total_output": float(table.x.sum()),
        "total_value_added": float(table.v.sum()),
        "total_final_demand": float(table.f.sum()),
        "total_intermediate": float(table.Z.to_numpy().sum()),
        "final_demand_categories": [str(c) for c in table.Y.columns[:12]],
    }
    if table.imports is not None:
        out["total_imports"] = float(table.imports.sum())
    if table.Zm is not None:
        out["total_imports"] = float(table.Zm.to_numpy().sum()) + (
            float(table.Ym.to_numpy().sum()) if table.Ym is not None else 0.0
        )
    if isinstance(table.labels, pd.MultiIndex):
        out["regions"] = int(table.labels.get_level_values(0).nunique())
    return out


def linkages_payload(table: IOTable, spec: str = "") -> dict[str, Any]:
    """Rasmussen–Hirschman linkages, key-sector typology and type counts."""
    ks = key_sectors(table)
    lk = linkages(table)
    frame = lk.join(ks[["type", "type_zh", "type_en"]])
    counts = ks["type"].value_counts().reindex(list(TYPOLOGY), fill_value=0)
    return {
        **_base(table, spec),
        "formula": "backward = 1ᵀL, forward = G·1 (total); 1ᵀA, B·1 (direct); _norm = / mean",
        "source": SRC_MB + " §12.2; Rasmussen (1956); Hirschman (1958)",
        "type_counts": {k: int(v) for k, v in counts.items()},
        "linkages": _with_names(table, frame),
    }


def multipliers_payload(table: IOTable, spec: str = "") -> dict[str, Any]:
    """Output and value-added multipliers of every sector."""
    return {
        **_base(table, spec),
        "formula": "output = 1ᵀL; value_added = v_cᵀL with v_c = v/x; type-I = / v_c",
        "source": SRC_MB + " ch. 6",
        "multipliers": _with_names(table, multiplier_table(table)),
    }


@validate_params
def extraction_payload(
    table: IOTable,
    spec: str = "",
    sectors: list[str] | None = None,
    kind: ExtractionKind = "complete",
) -> dict[str, Any]:
    """Hypothetical extraction: ranking of all single sectors, or one group's loss."""
    base = {
        **_base(table, spec),
        "kind": kind,
        "formula": _EXTRACTION_FORMULA[kind],
        "source": SRC_MB + " §12.2.1; Miller & Lahr (2001); Dietzenbacher & Lahr (2013)",
        "total_output": float(table.x.sum()),
    }
    if sectors:
        summary = extraction_loss(table, sectors, kind=kind)
        detail = hypothetical_extraction(table, sectors, kind=kind)
        return {
            **base,
            "sectors": list(sectors),
            **{k: float(v) for k, v in summary.items()},
            "by_sector": _with_names(table, detail),
        }
    return {**base, "ranking": _with_names(table, extraction_ranking(table, kind=kind))}


_EXTRACTION_FORMULA = {
    "complete": "loss = 1ᵀx − 1ᵀx̄, x̄_R = (I − A_RR)⁻¹ f_R, x̄_S = 0, f = x − Z·1 (complete)",
    "backward": "loss = 1ᵀ(x − x̄), x̄ = (I − Ā)⁻¹ f with A_RS = 0 (backward)",
    "forward": "loss = 1ᵀ(x − x̄), x̄ᵀ = vᵀ(I − B̄)⁻¹ with B_SR = 0 (forward, Ghosh)",
    "total": "loss = backward loss + forward loss (total linkage)",
    "joint": "loss = 1ᵀx − 1ᵀx̄, x̄_R = (I − A_RR)⁻¹ f_R, x̄_S = (I − A_SS)⁻¹ f_S (joint)",
}


def upstreamness_payload(table: IOTable, spec: str = "") -> dict[str, Any]:
    """Upstreamness and downstreamness, sorted by upstreamness (most upstream first)."""
    pos = positions(table).sort_values("rank_upstream")
    return {
        **_base(table, spec),
        "formula": "U = (I − Δ)⁻¹1, Δ_ij = Z_ij/(x_i − X_i + M_i − N_i); D = 1ᵀ(I − Ã)⁻¹, "
        + (
            "Ã = diag(x/(x − N)) Z x̂⁻¹ (net-inventory correction)"
            if pos.attrs.get("downstreamness_correction") == "net-inventories"
            else "Ã = total-use coefficients"
        ),
        "source": "Antràs, Chor, Fally & Hillberry (2012); Miller & Temurshoev (2017); "
        "Antràs & Chor (2018)",
        "note": pos.attrs.get("note", ""),
        "positions": _with_names(table, pos),
    }


def imports_payload(table: IOTable, spec: str = "") -> dict[str, Any]:
    """Direct and total import dependence (non-competitive tables), most dependent first."""
    dep = import_dependence(table).sort_values("total_share", ascending=False)
    return {
        **_base(table, spec),
        "formula": "direct = 1ᵀZm/(1ᵀZ + 1ᵀZm); total = 1ᵀA_mL / 1ᵀ(A + A_m)L",
        "source": "Hummels, Ishii & Yi (2001); " + SRC_MB + " §6.3",
        "imports": _with_names(table, dep),
    }


def servitisation_payload(
    table: IOTable, spec: str = "", classification: pd.Series | None = None
) -> dict[str, Any]:
    """Service share of manufacturing sectors' inputs, highest total share first."""
    sv = servitisation(table, classification=classification).sort_values(
        "total_share", ascending=False
    )
    return {
        **_base(table, spec),
        "formula": "direct = Σ_{i∈S} Z̃_ij / Σ_i Z̃_ij; total = Σ_{i∈S}(ÃL)_ij / Σ_i(ÃL)_ij",
        "source": "Lodefalk (2017); Miroudot & Cadestin (2017)",
        "servitisation": _with_names(table, sv),
    }


def applies(obj: Any, spec: str) -> bool:
    """Sections apply to any :class:`IOTable`."""
    return isinstance(obj, IOTable)


def _quadrant_figure(frame: pd.DataFrame, table: IOTable) -> Any:
    import plotly.graph_objects as go

    colours = {
        "key": "#c0392b",
        "backward-oriented": "#2471a3",
        "forward-oriented": "#27ae60",
        "weak": "#95a5a6",
    }
    names = _names(table)
    fig = go.Figure()
    big = table.n > 200
    for typ, (zh, en) in TYPOLOGY.items():
        sub = frame[frame["type"] == typ]
        if sub.empty:
            continue
        labels = [" / ".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in sub.index]
        if names is not None:
            nm = names.reindex(sub.index)
            labels = [
                f"{lab} {z} {e}"
                for lab, z, e in zip(labels, nm.iloc[:, 0], nm.iloc[:, -1], strict=True)
            ]
        # small tables: print each point's sector code so the chart reads in print/PDF too
        codes = [" / ".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in sub.index]
        fig.add_trace(
            (go.Scattergl if big else go.Scatter)(
                x=sub["backward_total_norm"].round(4).tolist(),
                y=sub["forward_total_norm"].round(4).tolist(),
                mode="markers" if table.n > 60 else "markers+text",
                name=f"{zh} {en}",
                text=None if table.n > 60 else codes,
                textposition="top center",
                textfont={"size": 9, "color": "#444"},
                customdata=labels,
                hovertemplate="%{customdata}<br>BL %{x:.3f} · FL %{y:.3f}<extra></extra>",
                marker={"color": colours[typ], "size": 6 if big else 10},
            )
        )
    fig.add_hline(y=1, line_dash="dot", line_color="#555")
    fig.add_vline(x=1, line_dash="dot", line_color="#555")
    corners = [
        (0.99, 0.99, "right", "top", "关键部门 key sectors"),
        (0.99, 0.01, "right", "bottom", "后向关联型 backward-oriented"),
        (0.01, 0.99, "left", "top", "前向关联型 forward-oriented"),
        (0.01, 0.01, "left", "bottom", "弱关联 weak"),
    ]
    for xr, yr, xa, ya, text in corners:
        fig.add_annotation(
            x=xr,
            y=yr,
            xref="paper",
            yref="paper",
            xanchor=xa,
            yanchor=ya,
            text=text,
            showarrow=False,
            font={"size": 12, "color": "#333"},
        )
    fig.update_layout(
        xaxis_title="标准化后向关联 normalised backward linkage (1ᵀL)",
        yaxis_title="标准化前向关联 normalised forward linkage (G·1)",
        height=520,
        margin={"l": 60, "r": 20, "t": 20, "b": 60},
        legend={"orientation": "h", "y": -0.18},
    )
    return fig


#: what Y sums to, by layout (non-competitive Y is final use of domestic products only)
_FINAL_USE_LABEL = {
    "non-competitive": ("国内产品最终使用", "final use of domestic products"),
    "competitive": ("最终使用（含进口产品）", "final use (incl. imported products)"),
    "multi-region": ("最终使用", "final use"),
}


def _table_year(spec: str) -> int | None:
    """The data year in a spec such as ``china-io:2020-42`` or ``wiod-2013:2011``."""
    import re

    m = re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", spec.partition(":")[2])
    return int(m.group(1)) if m else None


def _rgap(value: float) -> str:
    """A relative gap for a card: "—" when undefined (a zero-output sector: 0 / 0 or gap / 0)."""
    return f"{value:.2e}" if np.isfinite(value) else "—"


def _glance_section(table: IOTable, spec: str) -> list[dict[str, Any]]:
    g = glance_payload(table, spec)
    b = balance_payload(table, spec)
    unit = table.unit
    # headline totals in a readable unit (presentation only: 10,000 yuan → trillion yuan)
    scale, big_unit = (1e8, "万亿元 trillion yuan") if unit.startswith("10,000 yuan") else (1, unit)
    fd_zh, fd_en = _FINAL_USE_LABEL[table.layout]
    items = [
        ("部门数", "sectors", g["n"], ""),
        ("总产出", "total output", g["total_output"] / scale, big_unit),
        ("增加值", "value added", g["total_value_added"] / scale, big_unit),
        (fd_zh, fd_en, g["total_final_demand"] / scale, big_unit),
        ("中间使用", "intermediate use", g["total_intermediate"] / scale, big_unit),
    ]
    if table.layout == "non-competitive" and table.Ym is not None:
        total_fu = g["total_final_demand"] + float(table.Ym.to_numpy().sum())
        items.append(("最终使用合计（含进口）", "total final use (incl. imports)", total_fu / scale,
                      big_unit))  # fmt: skip
    if "total_imports" in g:
        items.append(("进口", "imports", g["total_imports"] / scale, big_unit))
    if "regions" in g:
        items.append(("经济体", "economies", g["regions"], ""))
    checks = [
        ("行平衡最大差额", "max row gap", b["max_row_gap"], unit),
        ("列平衡最大差额", "max column gap", b["max_col_gap"], unit),
        ("行最大相对差额", "max relative row gap", _rgap(b["max_row_rgap"]), ""),
        ("列最大相对差额", "max relative column gap", _rgap(b["max_col_rgap"]), ""),
    ]
    layout_zh = {
        "competitive": "竞争型进口表（进口为一列）",
        "non-competitive": "非竞争型进口表（国内与进口分块）",
        "multi-region": "多区域表",
    }[table.layout]
    bal = b["balance"]
    worst = bal.reindex(
        (bal["row_gap"].abs() + bal["col_gap"].abs()).sort_values(ascending=False).index
    )
    blocks = [metrics_block(checks)]
    if not (np.isfinite(b["max_row_rgap"]) and np.isfinite(b["max_col_rgap"])):
        blocks.append(
            text_block(
                zh="“—”：有部门总产出为 0，其相对差额（差额 / 总产出）无定义；请看绝对差额。",
                en="“—”: some sectors have zero gross output, so their relative gap (gap / x) is "
                "undefined; see the absolute gaps.",
            )
        )
    blocks += [
        text_block(
            zh=f"表式：{layout_zh}。平衡检验：每个部门的行合计（中间使用+最终使用−进口+其他）与列合计"
            f"（中间投入+增加值）均与总产出比较；容差为 {table.balance_atol:g} + "
            f"{table.balance_rtol:g}×总产出。",
            en=f"Layout: {table.layout}. Balance check: each sector's row total (intermediate + "
            f"final use − imports + other) and column total (intermediate inputs + value added) "
            f"against gross output; tolerance {table.balance_atol:g} + {table.balance_rtol:g} × x.",
        ),
        table_block(
            worst.drop(columns=["row_rgap", "col_rgap"]).head(10),
            zh="行列平衡：差额最大的 10 个部门（完整表见 chainatlas io balance）",
            en="Row and column balance: the 10 largest gaps (full table: chainatlas io balance)",
            unit=unit,
            digits=4,
        ),
    ]
    glance = section(
        "io-glance",
        zh="投入产出表概览",
        en="The table at a glance",
        blocks=[
            {**metrics_block(items), "source": spec, "year": _table_year(spec)},
            text_block(
                zh=f"表式：{layout_zh}。行列平衡检验见文末附录。",
                en=f"Layout: {table.layout}. The row and column balance checks are in the annex.",
            ),
        ],
        note_zh=f"数据：{spec}",
        note_en=f"Data: {spec}; unit {unit}",
    )
    glance["question"] = "breadth"
    balance = section(
        "io-balance",
        zh="附录：行列平衡检验",
        en="Annex: row and column balance",
        blocks=blocks,
        note_zh=f"数据：{spec}",
        note_en=f"Data: {spec}; unit {unit}",
    )
    balance["question"] = "annex"
    return [glance, balance]


def _linkage_sections(table: IOTable, spec: str) -> list[dict[str, Any]]:
    p = linkages_payload(table, spec)
    frame = p["linkages"]
    counts = p["type_counts"]
    typ_rows = pd.DataFrame(
        {
            "类型 type": [f"{TYPOLOGY[k][0]} {TYPOLOGY[k][1]}" for k in TYPOLOGY],
            "部门数 sectors": [counts[k] for k in TYPOLOGY],
        }
    ).set_index("类型 type")
    show_cols = [c for c in ("name_zh", "name_en") if c in frame.columns] + [
        "backward_total_norm",
        "forward_total_norm",
        "type_zh",
        "type_en",
    ]
    key_tbl = frame[frame["type"] == "key"].sort_values("backward_total_norm", ascending=False)
    quadrant = section(
        "io-key-sectors",
        zh="关键部门象限图",
        en="Key sectors: the linkage quadrant",
        blocks=[
            figure_block(
                _quadrant_figure(frame, table),
                zh="标准化后向关联与前向关联",
                en="Normalised backward vs forward linkages",
                source=p["source"],
            ),
            table_block(typ_rows, zh="部门类型统计", en="Typology counts", digits=None),
            table_block(
                _top(key_tbl[show_cols], len(key_tbl)),
                zh="关键部门（后向与前向关联均高于平均）",
                en="Key sectors (backward and forward linkages above average)",
                digits=4,
            ),
            table_block(
                _top(frame[show_cols], table.n),
                zh="部门类型表",
                en="Typology of all sectors"
                if table.n <= FULL_TABLE_MAX
                else "Typology (first rows)",
                digits=4,
            ),
        ],
        note_zh="后向关联 = 列昂惕夫逆矩阵列和 1ᵀL；前向关联 = 戈什逆矩阵行和 G·1；均除以部门平均值。",
        note_en="Backward = column sums of L; forward = row sums of G; both divided by their mean "
        "(Rasmussen–Hirschman).",
    )
    cols_b = [c for c in ("name_zh", "name_en") if c in frame.columns]
    top_b = frame.sort_values("backward_total_norm", ascending=False).head(15)[
        cols_b
        + ["backward_total", "backward_total_norm", "backward_direct", "backward_direct_norm"]
    ]
    top_f = frame.sort_values("forward_total_norm", ascending=False).head(15)[
        cols_b + ["forward_total", "forward_total_norm", "forward_direct", "forward_direct_norm"]
    ]
    mult = multipliers_payload(table, spec)["multipliers"].sort_values("output", ascending=False)
    top = section(
        "io-linkages",
        zh="后向与前向关联排名",
        en="Top backward and forward linkages",
        blocks=[
            table_block(top_b, zh="后向关联前 15 位", en="Top 15 backward linkages", digits=4),
            table_block(top_f, zh="前向关联前 15 位", en="Top 15 forward linkages", digits=4),
            table_block(
                _top(mult, table.n),
                zh="产出乘数与增加值乘数",
                en="Output and value-added multipliers",
                digits=4,
                source=SRC_MB + " ch. 6",
            ),
        ],
    )
    return [quadrant, top]


def _upstream_section(table: IOTable, spec: str) -> dict[str, Any]:
    p = upstreamness_payload(table, spec)
    return section(
        "io-upstreamness",
        zh="上游度排名",
        en="Upstreamness ranking",
        blocks=[
            table_block(
                _top(p["positions"], table.n),
                zh="上游度（距最终需求的平均生产阶段数）与下游度",
                en="Upstreamness (average stages to final use) and downstreamness",
                digits=4,
                source=p["source"],
            )
        ],
        note_zh="上游度 U=(I−Δ)⁻¹1，按出口、进口和存货变动调整（Antràs 等 2012）。",
        note_en="U = (I − Δ)⁻¹1 with the open-economy adjustment for exports, imports and "
        "inventories (Antràs et al. 2012).",
    )


def _imports_section(table: IOTable, spec: str) -> dict[str, Any]:
    if table.layout != "non-competitive" or table.Zm is None:
        blocks = [
            text_block(
                zh="本表为竞争型进口表（或多区域表），中间投入未区分国内与进口来源，无法计算部门进口依赖度。"
                "请使用非竞争型表，例如 china-io:2020-42。",
                en="This table does not split intermediate inputs by origin (competitive imports "
                "or multi-region), so sector import dependence is not defined here. Use a "
                "non-competitive table such as china-io:2020-42.",
            )
        ]
    else:
        p = imports_payload(table, spec)
        blocks = [
            _labelled(
                table_block(
                    _top(p["imports"], table.n),
                    zh="进口依赖度（按完全进口份额排序）",
                    en="Import dependence (by total import share)",
                    unit=f"imported_inputs: {table.unit}; other columns unit-free",
                    digits=4,
                    source=p["source"],
                ),
                IMPORT_LABELS,
            )
        ]
    return section(
        "io-imports",
        zh="进口依赖度",
        en="Import dependence",
        blocks=blocks,
        note_zh="直接 = 进口中间投入/全部中间投入；完全 = 1ᵀA_mL / 1ᵀ(A+A_m)L。",
        note_en="Direct = imported / all intermediate inputs; total = 1ᵀA_mL / 1ᵀ(A + A_m)L.",
    )


def _extraction_section(table: IOTable, spec: str) -> dict[str, Any]:
    p = extraction_payload(table, spec)
    rank = p["ranking"]
    return section(
        "io-extraction",
        zh="假设抽取法排名",
        en="Hypothetical-extraction ranking",
        blocks=[
            table_block(
                rank.head(TOP_N) if table.n > FULL_TABLE_MAX else rank,
                zh="抽取单个部门后的总产出损失",
                en="Total output lost when each sector is extracted",
                unit=f"loss, own_output, linkage_loss: {table.unit}; loss_share of total output",
                digits=4,
                source=p["source"],
            )
        ],
        note_zh="完全抽取：删除部门的行和列及其最终需求，损失包括该部门自身产出。",
        note_en="Complete extraction: the sector's row, column and final demand are removed; the "
        "loss includes its own output; linkage_loss is the loss in the other sectors.",
    )


def _servitisation_section(table: IOTable, spec: str) -> dict[str, Any]:
    from chainatlas.errors import SchemaError

    try:
        p = servitisation_payload(table, spec)
    except SchemaError as err:
        return section(
            "io-servitisation",
            zh="制造业服务化",
            en="Servitisation of manufacturing",
            blocks=[
                text_block(
                    zh="无法按部门名称识别制造业与服务业；请在 Python 中传入 classification 参数。",
                    en=f"Sectors could not be classified from their names ({err.problem}); "
                    "pass classification= to chainatlas.io.servitisation.",
                )
            ],
        )
    return section(
        "io-servitisation",
        zh="制造业服务化",
        en="Servitisation of manufacturing",
        blocks=[
            _labelled(
                table_block(
                    _top(p["servitisation"], table.n),
                    zh="制造业中间投入中的服务份额",
                    en="Service share of manufacturing sectors' inputs",
                    unit=f"service_inputs: {table.unit}; shares unit-free",
                    digits=4,
                    source=p["source"],
                ),
                SERVITISATION_LABELS,
            )
        ],
    )


def sections(obj: IOTable, spec: str, step: Callable[[str], None]) -> list[dict[str, Any]]:
    """The IO sections of the atlas report, in order (progress via ``step``)."""
    table = obj
    out: list[dict[str, Any]] = []
    step("IO: table at a glance")
    out.extend(_glance_section(table, spec))
    step("IO: linkages and key sectors")
    out.extend(_linkage_sections(table, spec))
    step("IO: upstreamness")
    out.append(_upstream_section(table, spec))
    step("IO: import dependence")
    out.append(_imports_section(table, spec))
    step("IO: hypothetical extraction")
    out.append(_extraction_section(table, spec))
    step("IO: servitisation")
    out.append(_servitisation_section(table, spec))
    if spec.startswith("china-io"):
        out.append(structure_section(step))
    return out
