"""Bilingual text of the export-control cost table (断供成本对照表): headline, labels, notes.

Shared by the CLI (``chainatlas shock run``) and the report section, so both say the same.
Prose lives here (pipeline layer), never in ``chainatlas.resilience``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from chainatlas.resilience.reconcile import ReconciledCosts

__all__ = [
    "MODEL_ASSUMPTIONS_ZH",
    "SECTOR_LABELS",
    "headline",
    "equal_by_construction",
    "sector_label",
    "notes",
    "assumption_lines",
    "data_label",
    "scenario_line",
    "gain_or_loss",
]

MODEL_ASSUMPTIONS_ZH: dict[str, str] = {
    "leontief": "Leontief 混合模型（Miller & Blair §13.1）：目标经济体各行业的产出受其最稀缺的被断供产品"
    "限制；投入系数固定，同一产品的不同来源可互相替代；年度值，长期静态。",
    "ghosh": "Ghosh 供给推动模型（Ghosh 1958）：缺失的流量从分配系数中扣除，下游买方按固定比例减少；"
    "年度值；只能读作向下游的（成本）推动效应的上限一侧（Oosterhaven 1988），不是数量预测。",
    "extraction": "假设抽取上界：全部被断供流量从目标经济体的供给中抽除，完全无替代，产出受缺失产品限制"
    "（Leontief 混合模型）；年度值；上限。",
    "ario": "ARIO 适应性区域投入产出模型（Hallegatte 2014；BoARIO 的 ARIOPsiModel 方程）：按日模拟，"
    "90 天库存，订单按替代规则在产能（alpha_max）内转移，短缺时配给；库存按产品计，库存下降后向所有"
    "剩余供应商增加订单（ARIO 的 “alt” 规则），因此即使替代假设为 none 也会出现动态替代；"
    "模拟期内累计值，短期动态。",
}

SECTOR_LABELS: dict[str, tuple[str, str]] = {
    "c14": (
        "电气和光学设备（含半导体）",
        "electrical and optical equipment (incl. semiconductors)",
    ),
}

SUBSTITUTION_ZH = {
    "none": "无替代（none）",
    "own_sector": "本国同部门替代（own_sector）",
    "other_foreign": "其他外国供应商替代（other_foreign）",
}

WIOD_SECTOR_NOTE = {
    "zh": "注意：WIOD 只有 35 个部门，c14 为全部电气和光学设备（计算机、电气机械、通信设备及电子元件、"
    "仪器仪表），无法单独识别半导体或光刻设备；结果是整个 c14 部门被断供，远大于仅芯片断供。",
    "en": "Caution: WIOD's 35 sectors cannot isolate semiconductors or lithography tools — c14 is "
    "all electrical and optical equipment (computers, electrical machinery, communication "
    "equipment incl. electronic components, instruments); the figures cut the whole of c14, far "
    "more than chips alone.",
}

ARIO_NOTE = {
    "zh": "为何 ARIO 在替代假设为“无”时仍可能只有很小损失甚至增益：ARIO 中目标经济体的库存（90 天）"
    "先缓冲断供，库存下降后订单转向其余供应商（同一产品的其他来源，在产能上限内），短期内这些库存与订单"
    "转移起到了替代作用；静态模型（Leontief、抽取上界）则不允许任何调整。",
    "en": "Why ARIO can show a small loss or even a gain with substitution 'none': in ARIO the "
    "target's inventories (90 days) absorb the cut first, and as stocks fall its orders are "
    "rerouted to the remaining suppliers of the product (within their capacity); in the short "
    "run these inventories and rerouted orders act as substitution, which the static models "
    "(Leontief, extraction bound) do not allow.",
}

EQUAL_NOTE = {
    "zh": "Leontief 与假设抽取上界在无替代时按构造相同（抽取上界即不含替代的 Leontief 混合模型），"
    "故合并为一行。",
    "en": "Leontief = extraction bound by construction when nothing is replaced (the bound is the "
    "Leontief mixed model without substitution), so they share one row.",
}

DATASET_NAMES = {"wiod-2013": "WIOD 2013 release"}

_SHORT = {  # (zh, en)
    "extraction": ("假设抽取上界", "extraction bound"),
    "ghosh": ("Ghosh", "Ghosh"),
    "leontief": ("Leontief", "Leontief"),
    "ario": ("ARIO", "ARIO"),
}


def sector_label(code: str) -> tuple[str, str]:
    """(zh, en) label of a sector code for scenario descriptions (code itself when unknown).

    Parameters
    ----------
    code : str
        Sector code, e.g. ``c14``.

    Returns
    -------
    tuple of str
        ``("c14 电气和光学设备（含半导体）", "c14 electrical and optical equipment (incl.
        semiconductors)")`` for c14, ``(code, code)`` otherwise.
    """
    zh, en = SECTOR_LABELS.get(code, ("", ""))
    return (f"{code} {zh}".strip(), f"{code} {en}".strip())


def data_label(res: ReconciledCosts) -> dict[str, str]:
    """Year and release of the table, e.g. "2011 structure, illustrative — WIOD 2013 release".

    Parameters
    ----------
    res : ReconciledCosts
        Result of :func:`chainatlas.pipelines.shock.export_control_costs`.

    Returns
    -------
    dict
        ``{"zh", "en"}``.
    """
    spec = str(res.details.get("spec", ""))
    name = DATASET_NAMES.get(spec.split(":")[0], spec or "table")
    yr = res.year if res.year is not None else "?"
    return {
        "zh": f"{yr} 年结构，仅作示意 — {name}",
        "en": f"{yr} structure, illustrative — {name}",
    }


def equal_by_construction(res: ReconciledCosts) -> bool:
    """True when Leontief and the extraction bound coincide (nothing replaced).

    Parameters
    ----------
    res : ReconciledCosts
        Reconciled costs.

    Returns
    -------
    bool
        Nothing of the cut is replaced and the two rows agree to 1e-9 (relative).
    """
    t = res.table
    if float(res.details.get("replaced_share", 0.0)) > 0.0:
        return False
    cols = [c for c in t.columns if c.endswith(("focus", "world", "gdp"))]
    a = t.loc["leontief", cols].astype(float).fillna(0.0)
    b = t.loc["extraction", cols].astype(float).fillna(0.0)
    return bool(((a - b).abs() <= 1e-9 * b.abs().clip(lower=1.0)).all())


def _money(v: float) -> str:
    return f"US${abs(v):,.0f} M" if abs(v) >= 1 else f"US${abs(v):,.2f} M"


def _amount(v: float, pct: float) -> tuple[str, str]:
    """(en, zh) of a focus GDP change: a loss when positive, a gain when negative."""
    share = f"{abs(pct):.4f} % of GDP" if abs(pct) < 0.01 else f"{abs(pct):.2f} % of GDP"
    share_zh = share.replace("of GDP", "GDP")
    if v < 0:
        return f"gain of {_money(v)} ({share})", f"增益 {_money(v)}（占 {share_zh}）"
    return f"loss of {_money(v)} ({share})", f"损失 {_money(v)}（占 {share_zh}）"


def headline(res: ReconciledCosts) -> dict[str, str]:
    """The headline line: range across models, the recommended figure, data year and unit.

    Parameters
    ----------
    res : ReconciledCosts
        Reconciled costs (GDP = value added of the focus economy).

    Returns
    -------
    dict
        ``{"zh", "en"}``, one sentence each.
    """
    t = res.table
    va, pct = t["va_loss_focus"].astype(float), t["va_loss_focus_pct_gdp"].astype(float)
    lo, hi = va.idxmin(), va.idxmax()
    names = _SHORT
    f, days = res.focus, res.scenario.simulate_days
    ar_en, ar_zh = _amount(va["ario"], pct["ario"])
    ub_en, ub_zh = _amount(va["extraction"], pct["extraction"])
    lo_en, lo_zh = _amount(va[lo], pct[lo])
    hi_en, hi_zh = _amount(va[hi], pct[hi])
    d = data_label(res)
    out_en, out_zh = _ario_output_gain(res)
    unit = f"{res.unit}, prices of {res.year}" if res.year else res.unit
    unit_zh = f"{res.unit}（{res.year} 年价格）" if res.year else res.unit
    en = (
        f"Headline — {f} GDP (value added): the four models range from a {lo_en} "
        f"({names[lo][1]}) to a {hi_en} ({names[hi][1]}). Recommended — short-run (≤ 1 year) "
        f"loss, 'what does this {res.scenario.duration_days}-day cut cost while it lasts?': "
        f"ARIO {ar_en}, cumulative over {days} days{out_en}; long-run structural upper bound "
        f"(no substitute, per year): {ub_en}. {d['en']}; unit {unit}."
    )
    zh = (
        f"要点 — {f} GDP（增加值）：四种模型结果从{lo_zh}（{names[lo][0]}）到{hi_zh}（{names[hi][0]}）。"
        f"推荐引用 — 短期（≤ 1 年）损失，即“这次 {res.scenario.duration_days} 天断供在持续期内损失多少”："
        f"ARIO {ar_zh}，{days} 天累计{out_zh}；长期结构性上限（完全无替代，每年）：{ub_zh}。"
        f"{d['zh']}；单位 {unit_zh}。"
    )
    return {"zh": zh, "en": en}


def _ario_output_gain(res: ReconciledCosts) -> tuple[str, str]:
    """(en, zh) clause when ARIO raises the focus economy's gross output (rerouted orders)."""
    dx = float(res.table.loc["ario", "output_loss_focus"])
    if dx >= 0:
        return "", ""
    return (
        f" (its gross output rises by {_money(dx)}: rerouted orders, see the ARIO note)",
        f"（其总产出反而增加 {_money(dx)}：订单转移，见 ARIO 说明）",
    )


def notes(res: ReconciledCosts) -> list[dict[str, str]]:
    """Bilingual notes for the table: equal rows, ARIO, sector caution, jobs caveat.

    Parameters
    ----------
    res : ReconciledCosts
        Reconciled costs.

    Returns
    -------
    list of dict
        ``{"zh", "en"}`` per note, in display order.
    """
    out: list[dict[str, str]] = []
    if equal_by_construction(res):
        out.append(EQUAL_NOTE)
    out.append(ARIO_NOTE)
    if any(s in SECTOR_LABELS for s in res.scenario.sectors):
        out.append(WIOD_SECTOR_NOTE)
    if res.table["jobs_loss_focus"].notna().any():
        out.append(_jobs_caveat(res))
    return out


def _jobs_caveat(res: ReconciledCosts) -> dict[str, str]:
    yr = res.year if res.year is not None else "?"
    return {
        "zh": f"就业损失（万人年 / 百万人年）为静态估算：假定劳动系数固定（{yr} 年，china_employment "
        "按对照表映射到 WIOD 部门），即产出每减少一单位就减少固定人数，未考虑减少工时、库存或转岗。",
        "en": f"Job losses (万人年 / million person-years) are static: they assume fixed labour "
        f"coefficients ({yr}, china_employment mapped to WIOD sectors) — persons per unit of "
        "output times output lost, with no short-time work, hoarding or redeployment.",
    }


def assumption_lines(res: ReconciledCosts) -> list[dict[str, str]]:
    """Each model's assumptions in both languages (one dict per model, table order).

    Parameters
    ----------
    res : ReconciledCosts
        Reconciled costs.

    Returns
    -------
    list of dict
        ``{"key", "zh", "en"}``.
    """
    return [
        {"key": str(k), "zh": MODEL_ASSUMPTIONS_ZH[k], "en": str(a)}
        for k, a in res.table["assumptions"].items()
        if k in MODEL_ASSUMPTIONS_ZH
    ]


def scenario_line(res: ReconciledCosts) -> dict[str, str]:
    """The scenario in one line: coalition, sectors (labelled), cut, substitution, duration.

    Parameters
    ----------
    res : ReconciledCosts
        Reconciled costs.

    Returns
    -------
    dict
        ``{"zh", "en"}``.
    """
    sc = res.scenario
    coal = "+".join(sc.coalition)
    zh_s = "、".join(sector_label(s)[0] for s in sc.sectors)
    en_s = ", ".join(sector_label(s)[1] for s in sc.sectors)
    cut = float(res.details.get("total_cut", math.nan))
    rep = 100 * float(res.details.get("replaced_share", 0.0))
    return {
        "zh": f"{coal} 停止向 {res.focus} 出售 {zh_s}：断供比例 {sc.cut_pct:g}%，替代假设："
        f"{SUBSTITUTION_ZH.get(sc.substitution, sc.substitution)}，持续 {sc.duration_days} 天"
        f"（第 {sc.start_day} 天起）；被切断流量每年 {cut:,.0f} {res.unit}，其中 {rep:.1f}% 被替代。"
        "国家/地区按 WIOD 代码；TWN 为中国台湾。",
        "en": f"{coal} stop selling {en_s} to {res.focus}: cut {sc.cut_pct:g} %, substitution: "
        f"{sc.substitution}, {sc.duration_days} days from day {sc.start_day}; cut flows "
        f"{cut:,.0f} {res.unit} per year, {rep:.1f} % replaced.",
    }


def gain_or_loss(v: Any) -> Any:
    """A focus-economy cell: the loss as a number, a gain as the text "gain 增益 X".

    Parameters
    ----------
    v : float
        Loss (positive) or gain (negative).

    Returns
    -------
    float or str
    """
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    if f < 0 and not pd.isna(f):
        a = abs(f)
        txt = f"{a:,.0f}" if a >= 100 else f"{a:.2f}" if a >= 1 else f"{a:.3g}"
        return f"gain 增益 {txt}"
    return f
