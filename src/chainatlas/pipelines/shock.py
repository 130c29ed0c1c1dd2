"""Shock pipeline (冲击情景): export-control cost table with GDP and jobs, and its report section.

:func:`export_control_costs` loads the table and (for China) ``china_employment``, runs the
four models (:func:`chainatlas.resilience.reconcile.reconciled_costs`) and returns the result;
:func:`export_control_section` turns it into a report section (one table, the guidance, the
cut flows). The CLI (``chainatlas shock run SCENARIO``) and the report share both.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from chainatlas.io.table import IOTable
from chainatlas.resilience.dynamic import ProgressCallback
from chainatlas.resilience.reconcile import MODEL_LABELS, ReconciledCosts, reconciled_costs
from chainatlas.resilience.scenarios import ExportControlScenario

__all__ = [
    "export_control_costs",
    "export_control_section",
    "cost_table_view",
    "GUIDANCE_TEXT",
    "table_year",
]

SOURCE = "Leontief mixed model (M&B §13.1); Ghosh (1958); ARIO (Hallegatte 2014; BoARIO)"

GUIDANCE_TEXT = {
    "en": "Which figure to cite: the extraction bound for 'at most' (no substitute at all); ARIO "
    "for what a cut of this duration costs while it lasts (inventories, rerouted orders); "
    "Leontief for a cut lasting a year with production unable to adapt; Ghosh only for the "
    "forward (cost-push) channel, not as a quantity forecast. Static figures are per year, ARIO "
    "cumulative over the simulated days; all in the table's prices of its year.",
    "zh": "引用建议：问“最多损失多少”（完全无替代）用假设抽取上界；问断供持续期内的实际损失（含库存缓冲、订单转移）"
    "用 ARIO 短期动态结果；问断供持续一年且生产无法调整的损失用 Leontief 长期静态结果；Ghosh 仅说明沿供应链"
    "向下游的成本推动，不作数量预测。静态结果为年度值，ARIO 为模拟期内累计值，均按表格年份现价计。",
}


def table_year(spec: str) -> int | None:
    """The year of a dataset spec such as ``wiod-2013:2011`` (None when it has none)."""
    m = re.search(r":(\d{4})\b", spec)
    return int(m.group(1)) if m else None


def _jobs(table: IOTable, focus: str, year: int | None) -> tuple[pd.Series | None, str]:
    """China's persons per unit of output, or None with the reason."""
    if focus != "CHN" or year is None:
        return None, f"jobs: employment data exist for China only (focus {focus})"
    from chainatlas.datasets.loaders.china_io import china_employment
    from chainatlas.resilience.reconcile import jobs_per_output

    emp = china_employment(progress=False)
    if year not in emp.columns:
        return None, f"jobs: china_employment covers {min(emp.columns)}–{max(emp.columns)}"
    jobs = jobs_per_output(table, emp, year)
    return jobs, (
        f"jobs: china_employment {year} (china-io; Wang, Jia & Wang 2021), "
        f"{jobs.attrs['total_persons'] / 1e6:,.1f} million persons, mapped to WIOD sectors by "
        "resilience/data/china_employment_wiod.csv"
    )


def _jobs_note_zh(jobs: pd.Series | None, focus: str, year: int | None) -> str:
    if jobs is None:
        return f"就业：仅有中国的就业数据（本情景目标 {focus}，年份 {year}）"
    return (
        f"就业：china_employment {year} 年（china-io；Wang, Jia & Wang 2021），共 "
        f"{jobs.attrs['total_persons'] / 1e4:,.0f} 万人，按 resilience/data/china_employment_wiod.csv "
        "映射到 WIOD 部门"
    )


def export_control_costs(
    table: IOTable,
    scenario: ExportControlScenario,
    spec: str,
    *,
    progress: ProgressCallback | None = None,
) -> ReconciledCosts:
    """Reconciled costs of an export control, with China's jobs when the target is CHN.

    Raises
    ------
    UnknownCodeError, ScenarioError
        See :func:`chainatlas.resilience.export_control.build_cut`.
    """
    year = table_year(spec)
    focus = str(scenario.target).upper()
    jobs, note = _jobs(table, focus, year)
    res = reconciled_costs(table, scenario, year=year, jobs=jobs, progress=progress)
    res.details["jobs_note"] = note
    res.details["jobs_note_zh"] = _jobs_note_zh(jobs, focus, year)
    res.details["spec"] = spec
    return res


LEONTIEF_EQ = (
    "Leontief = extraction bound (no substitution)",
    "Leontief = 假设抽取上界（无替代）",
)


def _row_labels(keys: list[str]) -> list[str]:
    labels = {**MODEL_LABELS, "leontief=extraction": LEONTIEF_EQ}
    return [" ".join(labels.get(k, (k, ""))).strip() for k in keys]


def cost_table_view(res: ReconciledCosts) -> pd.DataFrame:
    """The reconciled table with bilingual column names (what the CLI and the report show).

    Leontief and the extraction bound share one row when they are equal by construction (no
    substitution); a gain of the focus economy is shown as "gain 增益 X", not as a negative loss;
    jobs in 万人年 (10,000 person-years) and million person-years.

    Parameters
    ----------
    res : ReconciledCosts
        Result of :func:`export_control_costs`.

    Returns
    -------
    DataFrame
        One row per model (index: model key).
    """
    from chainatlas.pipelines.shock_text import equal_by_construction, gain_or_loss

    t = res.table
    if equal_by_construction(res):
        t = t.drop(index="leontief").rename(index={"extraction": "leontief=extraction"})
    keys = [str(k) for k in t.index]
    unit, f, yr = res.unit, res.focus, res.year

    def focus(col: str, scale: float = 1.0) -> list[Any]:
        return [gain_or_loss(v / scale) for v in t[col].to_numpy(dtype=float)]

    return pd.DataFrame(
        {
            "model 模型": _row_labels(keys),
            "period 时期": t["period"].to_numpy(),
            f"output loss {f} 产出损失 ({unit})": focus("output_loss_focus"),
            f"output loss world 世界产出损失 ({unit})": t["output_loss_world"].to_numpy(),
            f"GDP loss {f} 增加值损失 ({unit})": focus("va_loss_focus"),
            f"GDP loss {f} (% of GDP {yr})": focus("va_loss_focus_pct_gdp"),
            f"GDP loss world 世界增加值损失 ({unit})": t["va_loss_world"].to_numpy(),
            f"GDP loss world (% of GDP {yr})": t["va_loss_world_pct_gdp"].to_numpy(),
            f"jobs {f} 就业损失 (万人年)": focus("jobs_loss_focus", 1e4),
            f"jobs {f} (million person-years 百万人年)": focus("jobs_loss_focus", 1e6),
        },
        index=pd.Index(keys, name="key"),
    )


def export_control_section(res: ReconciledCosts) -> dict[str, Any]:
    """A report section: headline, the reconciled table, notes, guidance, assumptions, cut flows.

    Parameters
    ----------
    res : ReconciledCosts
        Result of :func:`export_control_costs`.

    Returns
    -------
    dict
        Section ``shock-export-control``.
    """
    from chainatlas.pipelines.blocks import (
        finding_block,
        note_block,
        section,
        table_block,
        text_block,
    )
    from chainatlas.pipelines.shock_text import (
        assumption_lines,
        headline,
        notes,
        scenario_line,
        sector_label,
    )

    sc = res.scenario
    spec = str(res.details.get("spec", ""))
    src = f"{spec}; {SOURCE}"
    coal = "+".join(sc.coalition)
    head, scen, lines = headline(res), scenario_line(res), assumption_lines(res)
    return section(
        "shock-export-control",
        zh=f"断供情景：{coal} 停止向 {res.focus} 出售 "
        + "、".join(sector_label(s)[0] for s in sc.sectors),
        en=f"Export control: {coal} stop selling "
        + ", ".join(sector_label(s)[1] for s in sc.sectors)
        + f" to {res.focus}",
        datasets=[spec] if spec else [],
        blocks=[
            finding_block(
                zh=head["zh"],
                en=head["en"],
                value=float(res.table.loc["ario", "va_loss_focus"]),
                unit=res.unit,
                year=res.year,
                source=src,
            ),
            text_block(zh=scen["zh"], en=scen["en"]),
            table_block(
                cost_table_view(res),
                zh="四种模型的断供成本对照（产出、增加值/GDP、就业）",
                en="One reconciled cost table: output, value added (GDP) and jobs by model",
                unit=res.unit,
                digits=6,
                source=src,
                year=res.year,
            ),
            *[note_block(zh=n["zh"], en=n["en"]) for n in notes(res)],
            text_block(zh=GUIDANCE_TEXT["zh"], en=GUIDANCE_TEXT["en"]),
            text_block(
                zh="各模型假设：" + "；".join(x["zh"] for x in lines),
                en="Assumptions — " + "; ".join(x["en"] for x in lines),
            ),
            table_block(
                res.cut,
                zh="被切断的流量（按联盟经济体与部门，每年）",
                en="Cut flows by coalition economy and sector (per year)",
                unit=res.unit,
                source=src,
                year=res.year,
            ),
            note_block(
                zh=str(res.details.get("jobs_note_zh", "")),
                en=str(res.details.get("jobs_note", "")),
                kind="data",
            ),
        ],
    )
