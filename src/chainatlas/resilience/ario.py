"""Dynamic disruption with BoARIO's ARIO model (动态冲击：BoARIO 适应性区域投入产出模型).

An adapter only: the model is BoARIO's (Juhel 2023; ARIO after Hallegatte 2008, 2014 and Guan et
al. 2020). We convert the table to a pymrio ``IOSystem``
(:func:`chainatlas.io.pymrio_convert.to_pymrio`), build an ``ARIOPsiModel``, add one
``EventArbitraryProd`` per event (a share of production capacity lost from ``start_day`` for
``duration_days``, then recovering linearly over ``recovery_days``) and step the simulation day by
day with a progress bar.

Assumptions (also printed with every result):

* daily flows are the annual table divided by 365 (``iotable_year_to_temporal_unit_factor``);
* production follows orders, bounded by capacity (overproduction up to ``alpha_max`` with
  characteristic time ``alpha_tau``) and by input inventories (``main_inv_dur`` days of inputs,
  restored with characteristic time ``inventory_restoration_tau``; production is constrained when
  stocks fall below ``psi`` of the target);
* suppliers of the same sector in different economies are substitutable in proportion to the
  initial trade shares (BoARIO's "alt" order rule, Guan et al. 2020);
* final demand is fixed; prices do not adjust.
"""

from __future__ import annotations

import logging
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.errors import ChainAtlasError, ScenarioError, check_option
from chainatlas.io.table import IOTable
from chainatlas.provenance import Provenance
from chainatlas.resilience.dynamic import ProgressCallback, prepare_ario, result_from_production
from chainatlas.resilience.scenarios import ARIOScenario
from chainatlas.resilience.shocks import target_mask
from chainatlas.validation import validate_params

__all__ = ["ARIOResult", "run_ario", "prepare_for_boario", "ARIO_ASSUMPTIONS", "NEGATIVE_LOSS_NOTE"]

NEGATIVE_LOSS_NOTE = (
    "A negative loss is a gain: that economy produced more than its baseline, because in ARIO "
    "orders shift to other suppliers of the same sector (substitution) and stocks are rebuilt "
    "(rebalancing). 负损失即增产：订单转向同部门的其他供应方（替代）及库存重建。"
)

ARIO_ASSUMPTIONS = [
    "BoARIO ARIOPsiModel (Hallegatte 2014; Guan et al. 2020; Juhel 2023): daily steps, the "
    "annual table divided by 365.",
    "Production follows orders within capacity; overproduction up to alpha_max, adjusting with "
    "characteristic time alpha_tau.",
    "Input inventories of main_inv_dur days, restored with characteristic time "
    "inventory_restoration_tau; production is constrained when a stock falls below psi × target.",
    "Suppliers of one sector in different economies substitute in proportion to initial trade "
    "shares ('alt' order rule); final demand fixed; prices do not adjust.",
    "Events: a share of production capacity lost from start_day for duration_days, then linear "
    "recovery over recovery_days (BoARIO EventArbitraryProd).",
]


class ARIOError(ChainAtlasError):
    """BoARIO failed to build or run the model."""


@dataclass(frozen=True, eq=False)
class ARIOResult:
    """Result of a BoARIO run.

    Attributes
    ----------
    daily_production : DataFrame, shape (days, economies)
        Realised production per day by economy, table unit per day.
    baseline : Series, shape (economies,)
        Steady-state daily production by economy (table unit per day).
    daily_loss : DataFrame, shape (days, economies)
        baseline − production (positive = loss), table unit per day.
    loss_by_economy : DataFrame
        ``loss`` (cumulative over the run, table unit), ``loss_pct_of_annual`` (percent of the
        economy's annual gross output), ``max_daily_loss_pct`` (percent of daily baseline).
    loss_by_sector : DataFrame
        Cumulative loss by economy-sector (table unit), largest first.
    """

    name: str
    unit: str
    daily_production: pd.DataFrame
    baseline: pd.Series
    daily_loss: pd.DataFrame
    loss_by_economy: pd.DataFrame
    loss_by_sector: pd.DataFrame
    parameters: dict[str, Any]
    events: list[dict[str, Any]]
    assumptions: tuple[str, ...]
    provenance: Provenance
    seconds: float
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def model(self) -> str:
        return "ario"

    @property
    def totals(self) -> dict[str, float]:
        loss = float(self.loss_by_economy["loss"].sum())
        annual = float(self.baseline.sum()) * 365.0
        return {"loss": loss, "loss_pct_of_annual": 100.0 * loss / annual if annual else np.nan}

    @cached_property
    def world_daily_loss(self) -> pd.Series:
        """World production loss per day (sum over economies), table unit per day; index = day."""
        return self.daily_loss.sum(axis=1).rename("loss")

    @cached_property
    def daily_summary(self) -> dict[str, Any]:
        """Summary of the world daily loss series.

        ``first_days`` (loss on days 1–7, table unit per day), ``peak_day``, ``peak_loss`` and
        ``peak_loss_pct`` (percent of world daily baseline production), ``last_day_loss``,
        ``days_with_loss`` (days with loss > 0) and ``cumulative`` (table unit).
        """
        w = self.world_daily_loss
        base = float(self.baseline.sum())
        peak = int(w.idxmax()) if len(w) else 0
        return {
            "first_days": {int(d): float(v) for d, v in w.head(7).items()},
            "peak_day": peak,
            "peak_loss": float(w.max()) if len(w) else 0.0,
            "peak_loss_pct": 100.0 * float(w.max()) / base if len(w) and base else np.nan,
            "last_day_loss": float(w.iloc[-1]) if len(w) else 0.0,
            "days_with_loss": int((w > 0).sum()),
            "cumulative": float(w.sum()),
        }

    def to_dict(self, *, top: int | None = None) -> dict[str, Any]:
        """JSON-ready dict: daily loss by economy (economies with any loss), totals, parameters."""
        hit = self.loss_by_economy.index[self.loss_by_economy["loss"].abs() > 0]
        return {
            "name": self.name,
            "model": "ario",
            "unit": self.unit,
            "assumptions": list(self.assumptions),
            "parameters": self.parameters,
            "events": self.events,
            "totals": self.totals,
            "by_economy": self.loss_by_economy,
            "by_sector": self.loss_by_sector.head(top) if top else self.loss_by_sector,
            "daily_loss": self.daily_loss[list(hit)].reset_index(),
            "daily_summary": self.daily_summary,
            "notes": [NEGATIVE_LOSS_NOTE],
            "seconds": self.seconds,
            "provenance": self.provenance.to_dict(),
        }


def _import_boario() -> tuple[Any, Any, Any, Any]:
    """Import BoARIO's pieces (progressbar2, which BoARIO imports, is a pinned dependency)."""
    from boario import event as bevent
    from boario import logger as blogger
    from boario.extended_models import ARIOPsiModel
    from boario.simulation import Simulation

    return bevent, blogger, ARIOPsiModel, Simulation


@validate_params
def prepare_for_boario(
    table: IOTable, *, negative_final_demand: Literal["raise", "clip"] = "raise"
) -> IOTable:
    """Make a table BoARIO can run: non-negative final demand and exact row balance.

    * Negative final demand (e.g. inventory draw-downs): BoARIO cannot run with it. With
      ``negative_final_demand="clip"`` the cells are set to 0 and x rises by the same amount;
      with ``"raise"`` (default) an :class:`ARIOError` is raised.
    * BoARIO's steady state is x = Z·1 + Y·1. Published tables rounded to whole units miss this
      by a rounding gap (within the table's balance tolerance); x is set to the row totals so
      that a run with no event stays exactly at its steady state.

    Each adjustment is booked in an extra value-added row (``"clipped final demand"``,
    ``"row-balance residual"``) so columns still balance, and recorded in the provenance.

    Raises
    ------
    ARIOError
        Negative final demand with ``negative_final_demand="raise"``.
    """
    check_option("negative_final_demand", negative_final_demand, ("raise", "clip"))
    Y = table.Y
    neg = Y.where(Y < 0, 0.0)
    n_neg = int((neg < 0).to_numpy().sum())
    if n_neg and negative_final_demand == "raise":
        raise ARIOError(
            "BoARIO cannot run with negative final demand (e.g. inventory changes)",
            received=f"{n_neg} negative cells in Y",
            fix="set parameters.negative_final_demand: clip in the scenario (negative cells "
            "become 0 and x rises by the same amount; recorded in the provenance)",
        )
    Yc = Y.clip(lower=0.0)
    x_new = table.Z.sum(axis=1) + Yc.sum(axis=1)
    V = table.V.copy()
    steps = []
    if n_neg:
        add = -neg.sum(axis=1)
        V.loc["clipped final demand"] = add.to_numpy()
        steps.append(
            f"negative final demand clipped to 0 for BoARIO: {n_neg} cells, "
            f"{float(add.sum()):.6g} {table.unit} added to x"
        )
    else:
        add = 0.0 * x_new
    resid = x_new - (table.x + add)
    if float(resid.abs().max()) > 0:
        V.loc["row-balance residual"] = resid.to_numpy()
        steps.append(
            f"x set to row totals Z·1 + Y·1 for BoARIO (max |gap| {float(resid.abs().max()):.6g} "
            f"{table.unit})"
        )
    if not steps:
        return table
    return table.replace(step="; ".join(steps), Y=Yc, x=x_new.rename(table.x.name), V=V)


def _iosystem(table: IOTable) -> Any:
    import pymrio

    from chainatlas.io.pymrio_convert import to_pymrio

    io = to_pymrio(table)
    if getattr(io, "A", None) is None:
        io.A = pymrio.calc_A(io.Z, io.x)
    return io


def run_ario(
    table: IOTable, scenario: ARIOScenario, *, progress: ProgressCallback | None = None
) -> ARIOResult:
    """Run an ARIO scenario with BoARIO (the reference engine) and report daily losses.

    Day convention: see :mod:`chainatlas.resilience.dynamic` (day 0 = steady state; an event's
    loss shows from its ``start_day``; BoARIO is given ``occurrence = start_day − 1``).

    Parameters
    ----------
    table : IOTable
        Multi-region table with the same sectors in every economy (e.g. wiod-2013:2011).
    scenario : ARIOScenario
        Events and parameters (see :mod:`chainatlas.resilience.scenarios`).
    progress : callable(message, fraction), optional
        Called while building the model and after simulated days (presentation draws a bar).

    Returns
    -------
    ARIOResult

    Raises
    ------
    UnknownCodeError
        Unknown economy or sector in an event.
    ScenarioError
        Two events on the same economy-sector.
    ARIOError
        BoARIO could not build the model or the simulation crashed.
    """
    bevent, blogger, ARIOPsiModel, Simulation = _import_boario()
    t0 = time.perf_counter()
    labels = table.labels
    impact = pd.Series(0.0, index=labels)
    events = []
    for ev in scenario.events:
        m = target_mask(table, ev)
        if (impact[m] > 0).any():
            raise ScenarioError(
                "two events hit the same economy-sector",
                received=[str(lab) for lab in labels[m & (impact > 0).to_numpy()]][:5],
                fix="merge them into one event (BoARIO keeps only the largest loss)",
            )
        impact[m] = ev.capacity_loss_pct / 100.0
        events.append((ev, labels[m]))
    p = scenario.parameters
    if progress is not None:
        progress("BoARIO: building the model", None)
    prep = prepare_ario(table, p)
    table = prep.table
    io = _iosystem(table)
    with tempfile.TemporaryDirectory(prefix="chainatlas-boario-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        blogger.setLevel(logging.WARNING)
        try:
            model = ARIOPsiModel(
                io,
                order_type=p.order_type,
                alpha_max=p.alpha_max,
                alpha_tau=p.alpha_tau,
                rebuild_tau=p.rebuild_tau,
                main_inv_dur=p.main_inv_dur,
                monetary_factor=p.monetary_factor,
                psi_param=float(p.psi if p.psi is not None else 0.8),
                inventory_restoration_tau=p.inventory_restoration_tau,
            )
            sim = Simulation(
                model, n_temporal_units_to_sim=scenario.simulate_days, boario_output_dir=tmp
            )
            for ev, labs in events:
                sim.add_event(
                    bevent.from_series(
                        pd.Series(ev.capacity_loss_pct / 100.0, index=labs),
                        event_type="arbitrary",
                        occurrence=ev.start_day - 1,  # shows from start_day (one-step lag)
                        duration=ev.duration_days,
                        recovery_tau=ev.recovery_days,
                        name=f"{ev.economy}/{ev.sector or 'all'}",
                    )
                )
            _loop(sim, scenario.simulate_days, progress)
        except (ValueError, RuntimeError, KeyError) as err:
            raise ARIOError(
                "BoARIO failed",
                received=f"{type(err).__name__}: {err}",
                fix="check the table (same sectors in every economy, non-negative final demand)",
            ) from err
        finally:
            for h in list(blogger.handlers):
                if isinstance(h, logging.FileHandler) and str(tmp) in str(h.baseFilename):
                    blogger.removeHandler(h)
                    h.close()
        prod = sim.production_realised.iloc[: scenario.simulate_days]
    if sim.has_crashed:
        raise ARIOError(
            "the BoARIO economy crashed", fix="use a smaller shock or longer inventories"
        )
    production = prod.reindex(columns=table.labels).to_numpy(dtype=float)
    return result_from_production(
        prep,
        production,
        name=scenario.name,
        parameters=p.model_dump() | {"simulate_days": scenario.simulate_days, "engine": "boario"},
        events=[ev.model_dump() for ev in scenario.events],
        step=f"BoARIO ARIOPsiModel run: {scenario.name}",
        seconds=time.perf_counter() - t0,
    )


def _loop(sim: Any, days: int, progress: ProgressCallback | None) -> None:
    """Step the simulation, reporting progress through the callback."""
    for day in range(1, days + 1):
        if sim.next_step() == 1:
            sim.has_crashed = True
            break
        if progress is not None and (day == days or day % max(1, days // 50) == 0):
            progress(f"BoARIO day {day}/{days}", day / days)
