"""Fast ARIO runs on an IOTable (快速动态冲击): the vectorised kernel behind ``engine: kernel``.

:func:`run_ario_kernel` runs an :class:`~chainatlas.resilience.scenarios.ARIOScenario` with
:mod:`chainatlas.kernels.ario`, which reproduces BoARIO's ``ARIOPsiModel`` (tested to 1e-8), and
returns the same :class:`~chainatlas.resilience.ario.ARIOResult` as the BoARIO adapter.

Day convention (both engines). Day 0 is the first simulated day, at the pre-event steady state;
days run 0 … simulate_days − 1. An event with ``start_day`` s lowers capacity from day s (BoARIO
is given ``occurrence = s − 1``, because it applies a new event's capacity loss one step after
the step it marks the event as happening). BoARIO's bookkeeping then keeps the full loss for
``duration_days`` + 2 days (its recovery starts one step after the duration and at full value)
before the linear recovery over ``recovery_days``; the kernel follows it exactly
(:func:`chainatlas.kernels.ario.boario_event_schedule`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.chains._labels import mr_labels
from chainatlas.errors import ScenarioError
from chainatlas.io.table import IOTable
from chainatlas.kernels import ario as K
from chainatlas.progress import Progress
from chainatlas.resilience.scenarios import ARIOParameters, ARIOScenario

__all__ = [
    "ProgressCallback",
    "PreparedARIO",
    "prepare_ario",
    "event_schedule",
    "run_ario_kernel",
    "result_from_production",
    "kernel_params",
]

#: progress(message, fraction in [0, 1] or None) — the shared :data:`chainatlas.progress.Progress`
ProgressCallback = Progress


@dataclass(frozen=True, eq=False)
class PreparedARIO:
    """A table made BoARIO-ready (non-negative Y, exact row balance) and its kernel arrays."""

    table: IOTable
    arrays: K.ARIOArrays
    va_coef: np.ndarray  # (n,) value added per unit of output, table order

    @property
    def labels(self) -> pd.MultiIndex:
        return self.table.labels  # type: ignore[return-value]


def kernel_params(p: ARIOParameters) -> K.ARIOParams:
    """Kernel parameters from a scenario's ARIO parameters (BoARIO's names)."""
    return K.ARIOParams(
        alpha_max=p.alpha_max,
        alpha_tau=p.alpha_tau,
        main_inv_dur=p.main_inv_dur,
        psi=float(p.psi if p.psi is not None else 0.8),
        inventory_restoration_tau=p.inventory_restoration_tau,
    )


def prepare_ario(table: IOTable, params: ARIOParameters | None = None) -> PreparedARIO:
    """Prepare `table` once for many kernel runs (see :func:`~chainatlas.resilience.ario.prepare_for_boario`).

    Raises
    ------
    ARIOError
        Negative final demand with ``negative_final_demand: raise``.
    FinalDemandBreakdownError
        Not a multi-region table with final demand by destination.
    """
    from chainatlas.resilience.ario import prepare_for_boario

    p = params or ARIOParameters()
    t = prepare_for_boario(table, negative_final_demand=p.negative_final_demand)
    lab = mr_labels(t)
    arr = K.prepare_arrays(
        t.Z.to_numpy(dtype=float),
        t.Y.to_numpy(dtype=float),
        t.x.to_numpy(dtype=float),
        lab.region,
        lab.sector,
        lab.y_region,
        params=kernel_params(p),
    )
    x = t.x.to_numpy(dtype=float)
    va = x - t.Z.to_numpy(dtype=float).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        coef = np.where(x > 0, va / np.where(x > 0, x, 1.0), 0.0)
    return PreparedARIO(table=t, arrays=arr, va_coef=coef)


def event_schedule(prep: PreparedARIO, scenario: ARIOScenario) -> np.ndarray:
    """Capacity loss (days, n) of the scenario's events, BoARIO's bookkeeping, day convention above.

    Raises
    ------
    UnknownCodeError
        Unknown economy or sector in an event.
    ScenarioError
        Two events on the same economy-sector.
    """
    from chainatlas.resilience.shocks import target_mask

    n = prep.table.n
    imp, occ, dur, rec = [], [], [], []
    owner = np.zeros(n, dtype=bool)
    for ev in scenario.events:
        m = target_mask(prep.table, ev)
        if (owner & m).any():
            raise ScenarioError(
                "two events hit the same economy-sector",
                received=[str(lab) for lab in prep.labels[owner & m]][:5],
                fix="merge them into one event",
            )
        owner |= m
        imp.append(np.where(m, ev.capacity_loss_pct / 100.0, 0.0))
        occ.append(ev.start_day - 1)
        dur.append(ev.duration_days)
        rec.append(ev.recovery_days)
    if not imp:
        return np.zeros((scenario.simulate_days, n))
    return K.boario_event_schedule(
        np.array(imp), np.array(occ), np.array(dur), np.array(rec), scenario.simulate_days
    )


def _day_progress(progress: ProgressCallback | None, label: str) -> Callable[[int, int], None]:
    def tick(day: int, days: int) -> None:
        if progress is not None and (day == days or day % max(1, days // 50) == 0):
            progress(f"{label} day {day}/{days}", day / days)

    return tick


def run_ario_kernel(
    table: IOTable | PreparedARIO,
    scenario: ARIOScenario,
    *,
    progress: ProgressCallback | None = None,
) -> Any:
    """Run an ARIO scenario with the vectorised kernel (BoARIO's model, same result type).

    Parameters
    ----------
    table : IOTable or PreparedARIO
        Multi-region table (or one prepared with :func:`prepare_ario` for repeated runs).
    scenario : ARIOScenario
    progress : callable(message, fraction), optional

    Returns
    -------
    ARIOResult
        As :func:`chainatlas.resilience.ario.run_ario`; ``details`` adds ``va_loss_by_economy``.

    Raises
    ------
    UnknownCodeError, ScenarioError, ARIOError
    """
    t0 = time.perf_counter()
    prep = table if isinstance(table, PreparedARIO) else prepare_ario(table, scenario.parameters)
    delta = event_schedule(prep, scenario)
    out = K.simulate(
        prep.arrays,
        delta,
        params=kernel_params(scenario.parameters),
        progress=_day_progress(progress, "ARIO"),
    )
    return result_from_production(
        prep,
        out["production"][0],
        name=scenario.name,
        parameters=scenario.parameters.model_dump()
        | {"simulate_days": scenario.simulate_days, "engine": "kernel"},
        events=[ev.model_dump() for ev in scenario.events],
        step=f"ARIO kernel run (BoARIO ARIOPsiModel equations): {scenario.name}",
        seconds=time.perf_counter() - t0,
        unmet=out["final_demand_not_met"][0],
    )


def result_from_production(
    prep: PreparedARIO,
    production: np.ndarray,
    *,
    name: str,
    parameters: dict[str, Any],
    events: list[dict[str, Any]],
    step: str,
    seconds: float,
    unmet: np.ndarray | None = None,
    assumptions: tuple[str, ...] | None = None,
) -> Any:
    """ARIOResult from a (days, n) daily production array in table order."""
    from chainatlas.resilience.ario import ARIO_ASSUMPTIONS, ARIOResult

    labels = prep.labels
    days = production.shape[0]
    X0 = prep.table.x.to_numpy(dtype=float) / 365.0
    prod = pd.DataFrame(production, columns=labels, index=pd.RangeIndex(days, name="day"))
    by_region = prod.T.groupby(level=0, sort=False).sum().T
    base = pd.Series(X0, index=labels).groupby(level=0, sort=False).sum()
    loss = -(by_region - base)
    annual = prep.table.x.groupby(level=0, sort=False).sum()
    lost = X0[None, :] - production
    va_lost = pd.Series((lost * prep.va_coef[None, :]).sum(axis=0), index=labels)
    lbe = pd.DataFrame(
        {
            "loss": loss.sum(axis=0),
            "loss_pct_of_annual": 100.0 * loss.sum(axis=0) / annual.reindex(loss.columns),
            "max_daily_loss_pct": 100.0 * loss.max(axis=0) / base,
            "va_loss": va_lost.groupby(level=0, sort=False).sum(),
        }
    ).sort_values("loss", ascending=False)
    lbe.index.name = "economy"
    lbs = pd.Series(lost.sum(axis=0), index=labels).sort_values(ascending=False).to_frame("loss")
    details: dict[str, Any] = {"va_loss_by_sector": va_lost, "production": prod}
    if unmet is not None:
        details["final_demand_not_met"] = unmet
    return ARIOResult(
        name=name,
        unit=prep.table.unit,
        daily_production=by_region,
        baseline=base,
        daily_loss=loss,
        loss_by_economy=lbe,
        loss_by_sector=lbs,
        parameters=parameters,
        events=events,
        assumptions=assumptions or tuple(ARIO_ASSUMPTIONS),
        provenance=prep.table.provenance.with_step(step),
        seconds=seconds,
        details=details,
    )
