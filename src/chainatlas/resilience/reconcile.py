"""One reconciled cost table for an export control (断供成本对照表).

Four models answer "what would the cut cost" differently; :func:`reconciled_costs` runs all four
on the same scenario and reports, per model, the loss of gross output, of value added (GDP) and
— where employment data exist — of jobs, for the target economy and the world, absolute and as a
share of GDP, with each model's assumptions. Losses are positive numbers.

Units: table unit (WIOD: USD million); static models per year, ARIO cumulative over the simulated
days; jobs in person-years (annual employment per unit of output × output lost).

Which figure to cite (:data:`GUIDANCE`):

* the **upper bound** — the extraction bound (no substitution at all);
* the **short-run dynamic** figure — ARIO, for a cut of the given duration with inventories;
* the **long-run static** figure — Leontief, if the cut lasts a year and nothing else adapts;
* Ghosh — the forward (cost-push) channel, not a quantity forecast.

China's jobs: ``china_employment`` (china-io; Wang, Jia & Wang 2021) mapped to the WIOD 35
sectors by the concordance ``resilience/data/china_employment_wiod.csv`` (every division once;
WIOD c35 private households has no counterpart and gets no jobs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.chains._labels import mr_labels
from chainatlas.errors import InputError, check_option
from chainatlas.io.table import IOTable
from chainatlas.resilience.dynamic import ProgressCallback, kernel_params, prepare_ario
from chainatlas.resilience.export_control import (
    MODEL_ASSUMPTIONS,
    ario_cut,
    build_cut,
    cut_summary,
    ghosh_cut,
    leontief_cut,
)
from chainatlas.resilience.scenarios import ExportControlScenario
from chainatlas.validation import validate_params

__all__ = [
    "ReconciledCosts",
    "reconciled_costs",
    "employment_concordance",
    "jobs_per_output",
    "GUIDANCE",
    "MODEL_LABELS",
]

MODEL_LABELS = {
    "extraction": ("Hypothetical-extraction bound", "假设抽取上界"),
    "ghosh": ("Ghosh supply push", "Ghosh 供给推动"),
    "leontief": ("Leontief (long-run static)", "Leontief（长期静态）"),
    "ario": ("ARIO (short-run dynamic)", "ARIO（短期动态）"),
}

GUIDANCE: list[dict[str, str]] = [
    {
        "question": "What is the most it could cost? (worst case, no substitute at all)",
        "question_zh": "最坏情况下的损失上限？（完全无替代）",
        "cite": "extraction",
    },
    {
        "question": "What does a cut of this duration cost in the months it lasts, with "
        "inventories and rerouted orders?",
        "question_zh": "在断供持续期内（含库存缓冲与订单转移）的短期损失？",
        "cite": "ario",
    },
    {
        "question": "What does a cut lasting a year cost if production cannot adapt?",
        "question_zh": "断供持续一年、生产无法调整时的长期静态损失？",
        "cite": "leontief",
    },
    {
        "question": "How far do the missing inputs push down the supply chain (cost push)?",
        "question_zh": "缺失投入沿供应链向下游的推动效应（成本推动）？",
        "cite": "ghosh",
    },
]


def employment_concordance() -> pd.DataFrame:
    """The china_employment → WIOD 35-sector concordance shipped with the package."""
    path = resources.files("chainatlas.resilience").joinpath("data/china_employment_wiod.csv")
    with path.open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False).set_index("code")


def jobs_per_output(
    table: IOTable, employment: pd.DataFrame, year: int, *, economy: str = "CHN"
) -> pd.Series:
    """Persons employed per unit of output for one economy's WIOD sectors (0 elsewhere).

    Parameters
    ----------
    table : IOTable
        WIOD table (35 sectors ``c1``…``c35``).
    employment : DataFrame
        ``china_employment()``: index sector codes, columns years, 10,000 persons.
    year : int
        Year of the table.
    economy : str
        Economy the employment belongs to (default CHN).

    Returns
    -------
    Series, index = table labels, persons per table unit of annual output.

    Raises
    ------
    InputError
        The year is not in the employment data, or the concordance misses a leaf code.
    """
    if year not in employment.columns:
        raise InputError(
            f"no employment data for {year}",
            received=year,
            fix=f"years available: {min(employment.columns)}–{max(employment.columns)}",
        )
    conc = employment_concordance()
    leaves = [c for c in employment.index if c in conc.index]
    missing = sorted(set(employment.index) - set(conc.index) - {"TOT"} - {c[0] for c in conc.index})
    if missing:
        raise InputError(
            "employment codes without a WIOD sector in the concordance",
            received=missing[:10],
            fix="add them to resilience/data/china_employment_wiod.csv",
        )
    persons = employment.loc[leaves, year].astype(float) * 1e4
    by_wiod = persons.groupby(conc.loc[leaves, "wiod"]).sum()
    lab = mr_labels(table)
    x = table.x.to_numpy(dtype=float)
    mine = lab.economies[lab.region].astype(str) == economy
    sec = lab.sectors[lab.sector].astype(str)
    jobs = np.where(mine, by_wiod.reindex(sec).fillna(0.0).to_numpy(), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        coef = np.where(mine & (x > 0), jobs / np.where(x > 0, x, 1.0), 0.0)
    out = pd.Series(coef, index=table.labels, name="persons_per_unit_output")
    out.attrs["total_persons"] = float(persons.sum())
    return out


@dataclass(frozen=True, eq=False)
class ReconciledCosts:
    """The reconciled table and what it rests on.

    ``table``: one row per model (index: model key), columns ``model`` (English),
    ``model_zh``, ``period``, ``output_loss_focus``, ``output_loss_world``, ``va_loss_focus``,
    ``va_loss_world``, ``va_loss_focus_pct_gdp``, ``va_loss_world_pct_gdp``, ``jobs_loss_focus``
    (person-years; NaN without employment data) and ``assumptions``.
    """

    scenario: ExportControlScenario
    focus: str
    year: int | None
    unit: str
    table: pd.DataFrame
    gdp_focus: float
    gdp_world: float
    cut: pd.DataFrame
    guidance: list[dict[str, str]] = field(default_factory=lambda: list(GUIDANCE))
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready payload."""
        sc = self.scenario
        return {
            "name": sc.name,
            "model": "export_control",
            "focus": self.focus,
            "coalition": list(sc.coalition),
            "sectors": list(sc.sectors),
            "cut_pct": sc.cut_pct,
            "substitution": sc.substitution,
            "duration_days": sc.duration_days,
            "year": self.year,
            "unit": self.unit,
            "gdp_focus": self.gdp_focus,
            "gdp_world": self.gdp_world,
            "costs": self.table,
            "cut": self.cut,
            "guidance": self.guidance,
            **self.details,
        }


def _row(dx: np.ndarray, va: np.ndarray, jobs: np.ndarray | None, focus: np.ndarray) -> dict:
    loss = -dx
    return {
        "output_loss_focus": float(loss[focus].sum()),
        "output_loss_world": float(loss.sum()),
        "va_loss_focus": float((loss * va)[focus].sum()),
        "va_loss_world": float((loss * va).sum()),
        "jobs_loss_focus": float((loss * jobs)[focus].sum()) if jobs is not None else np.nan,
    }


@validate_params
def reconciled_costs(
    table: IOTable,
    scenario: ExportControlScenario,
    *,
    year: int | None = None,
    jobs: pd.Series | None = None,
    engine: Literal["kernel"] = "kernel",
    progress: ProgressCallback | None = None,
) -> ReconciledCosts:
    """Run an export control through the four models and reconcile their costs.

    Parameters
    ----------
    table : IOTable
        Multi-region table (e.g. wiod-2013:2011).
    scenario : ExportControlScenario
    year : int, optional
        Year of the table (shown with every figure).
    jobs : Series, optional
        Persons per unit of output by table label (:func:`jobs_per_output`); jobs are shown for
        the focus economy when given.
    engine : {"kernel"}
        ARIO engine; bilateral cuts need the vectorised kernel (BoARIO has no such event).
    progress : callable(message, fraction), optional

    Returns
    -------
    ReconciledCosts

    Raises
    ------
    UnknownCodeError, ScenarioError
        See :func:`chainatlas.resilience.export_control.build_cut`.
    """
    from chainatlas.kernels import ario as K
    from chainatlas.resilience.dynamic import result_from_production

    check_option("engine", engine, ("kernel",))
    if progress is not None:
        progress("export control: static models", 0.0)
    cut = build_cut(table, scenario)
    lab = mr_labels(table)
    focus = lab.economies[lab.region].astype(str) == cut.target
    x = table.x.to_numpy(dtype=float)
    va = np.where(x > 0, (x - table.Z.to_numpy().sum(axis=0)) / np.where(x > 0, x, 1.0), 0.0)
    jc = None if jobs is None else jobs.reindex(table.labels).fillna(0.0).to_numpy()
    rows = {
        "extraction": _row(leontief_cut(cut, substitution=False), va, jc, focus),
        "ghosh": _row(ghosh_cut(cut), va, jc, focus),
        "leontief": _row(leontief_cut(cut), va, jc, focus),
    }
    prep = prepare_ario(table, scenario.parameters)
    bc = ario_cut(build_cut(prep.table, scenario), prep)

    def tick(day: int, days: int) -> None:
        if progress is not None and (day == days or day % max(1, days // 50) == 0):
            progress(f"ARIO day {day}/{days}", day / days)

    out = K.simulate(
        prep.arrays,
        np.zeros((scenario.simulate_days, table.n)),
        params=kernel_params(scenario.parameters),
        cut=bc,
        progress=tick,
    )
    prod = out["production"][0]
    lost_day = prep.table.x.to_numpy(dtype=float)[None, :] / 365.0 - prod
    total_lost = lost_day.sum(axis=0)
    rows["ario"] = _row(-total_lost, prep.va_coef, jc, focus)
    gdp = (x - table.Z.to_numpy().sum(axis=0)) * (x > 0)
    gdp_f, gdp_w = float(gdp[focus].sum()), float(gdp.sum())
    df = pd.DataFrame.from_dict(rows, orient="index")
    df.insert(0, "model", [MODEL_LABELS[k][0] for k in df.index])
    df.insert(1, "model_zh", [MODEL_LABELS[k][1] for k in df.index])
    df.insert(
        2,
        "period",
        [
            f"cumulative, {scenario.simulate_days} days" if k == "ario" else "per year"
            for k in df.index
        ],
    )
    df["va_loss_focus_pct_gdp"] = 100.0 * df["va_loss_focus"] / gdp_f
    df["va_loss_world_pct_gdp"] = 100.0 * df["va_loss_world"] / gdp_w
    df["assumptions"] = [MODEL_ASSUMPTIONS[k] for k in df.index]
    df.index.name = "key"
    ario_res = result_from_production(
        prep,
        prod,
        name=scenario.name,
        parameters=scenario.parameters.model_dump() | {"simulate_days": scenario.simulate_days},
        events=[],
        step=f"export control {scenario.name}: ARIO kernel",
        seconds=0.0,
    )
    details = {
        "ario_daily_loss_focus": ario_res.daily_loss[cut.target],
        "replaced_share": cut.total_replaced / cut.total_cut if cut.total_cut else 0.0,
        "total_cut": cut.total_cut,
    }
    return ReconciledCosts(
        scenario=scenario,
        focus=cut.target,
        year=year,
        unit=table.unit,
        table=df,
        gdp_focus=gdp_f,
        gdp_world=gdp_w,
        cut=cut_summary(cut),
        details=details,
    )
