"""Static shock models on an IO table (静态冲击模型): Leontief, Ghosh, hypothetical extraction.

* Demand-driven (Leontief, M&B §2.5): Δx = L Δf. Assumes fixed technical coefficients A (no
  substitution, constant returns, no capacity limits, prices fixed).
* Supply-driven (Ghosh 1958; M&B §12.1): Δxᵀ = Δvᵀ G with G = (I − B)⁻¹, computed without G as
  Δx = x̂ (I − A)⁻ᵀ x̂⁻¹ Δv. Assumes fixed allocation coefficients B: buyers absorb whatever is
  supplied in fixed proportions, which is implausible as a physical model (Oosterhaven 1988);
  read it as a price model of cost push (Dietzenbacher 1997).
* Hypothetical extraction (M&B §12.2.1): remove the rows and columns of the extracted set S from
  A and their final demand; the remaining output is (I − A_RR)⁻¹ f_R, computed from L by the
  block-inverse (Schur complement) update.

Final demand and primary inputs are taken from the balances implied by A, f = x − A x and
v = x − 1ᵀ(A x̂) (= x − Z·1 and x − 1ᵀZ outside zero-output sectors), so that x = L f and
xᵀ = vᵀ G hold exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg as sla

from chainatlas.chains._labels import (
    MRLabels,
    balance_vectors,
    check_top,
    mr_labels,
    resolve_economy,
    resolve_sector,
)
from chainatlas.errors import ScenarioError
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as kio
from chainatlas.provenance import Provenance
from chainatlas.resilience.scenarios import (
    Change,
    ExtractionScenario,
    GhoshScenario,
    LeontiefScenario,
    Target,
)

__all__ = [
    "ShockResult",
    "leontief_shock",
    "ghosh_shock",
    "extraction_shock",
    "run_scenario",
    "target_mask",
    "ASSUMPTIONS",
]

ASSUMPTIONS: dict[str, list[str]] = {
    "leontief": [
        "Demand-driven Leontief model Δx = L Δf (Miller & Blair 2009, §2.5).",
        "Fixed technical coefficients A: no input substitution, constant returns to scale.",
        "No capacity constraints and fixed prices; effects are immediate (comparative statics).",
    ],
    "ghosh": [
        "Supply-driven Ghosh model Δxᵀ = Δvᵀ G (Ghosh 1958; Miller & Blair 2009, §12.1).",
        "Fixed allocation coefficients B: every buyer takes a fixed share of each supplier's output, "
        "even when inputs are missing — implausible as a quantity model (Oosterhaven 1988).",
        "Best read as a price (cost-push) model (Dietzenbacher 1997); treat quantities as an upper "
        "bound of forward effects.",
    ],
    "extraction": [
        "Complete hypothetical extraction (Miller & Blair 2009, §12.2.1): the extracted "
        "sectors' rows, columns and final demand are removed from the Leontief model.",
        "Fixed technical coefficients; the loss measures backward linkages (demand for inputs "
        "that the extracted sectors no longer buy), plus their own output.",
    ],
}


@dataclass(frozen=True, eq=False)
class ShockResult:
    """Result of a shock: output change by sector and by economy, with the model's assumptions.

    Attributes
    ----------
    by_sector : DataFrame, index = table labels
        ``x_before``, ``x_after``, ``change`` (table unit) and ``change_pct`` (percent).
    by_economy : DataFrame
        The same, summed per economy, with a last row ``total`` (only ``total`` for a
        single-region table).
    totals : dict
        World totals: before, after, change, change_pct.
    """

    name: str
    model: str
    unit: str
    by_sector: pd.DataFrame
    by_economy: pd.DataFrame
    totals: dict[str, float]
    assumptions: tuple[str, ...]
    provenance: Provenance
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, *, top: int | None = None) -> dict[str, Any]:
        """JSON-ready dict (sectors sorted by absolute change, optionally the `top` ones)."""
        check_top(top)
        bs = self.by_sector.reindex(
            self.by_sector["change"].abs().sort_values(ascending=False).index
        )
        return {
            "name": self.name,
            "model": self.model,
            "unit": self.unit,
            "assumptions": list(self.assumptions),
            "totals": self.totals,
            "by_economy": self.by_economy,
            "by_sector": bs.head(top) if top is not None else bs,
            "provenance": self.provenance.to_dict(),
            **self.details,
        }


def _labels(table: IOTable) -> MRLabels | None:
    return mr_labels(table) if isinstance(table.labels, pd.MultiIndex) else None


def target_mask(table: IOTable, target: Target) -> np.ndarray:
    """Boolean mask (n,) of the economy-sectors a target names.

    Raises
    ------
    UnknownCodeError
        Unknown economy or sector (close codes suggested).
    """
    lab = _labels(table)
    if lab is None:
        from chainatlas.errors import UnknownCodeError, suggest

        names = [str(s) for s in table.labels]
        if target.economy is not None:
            raise ScenarioError(
                "this table has one region: give a sector only",
                received=target.economy,
                fix="drop the economy key",
            )
        if target.sector not in names:
            raise UnknownCodeError(
                f"unknown sector code {target.sector!r}",
                received=target.sector,
                fix=suggest(str(target.sector), names),
            )
        return np.asarray(table.labels == target.sector)
    mask = np.ones(table.n, dtype=bool)
    if target.economy is not None:
        e = resolve_economy(lab, target.economy)
        mask &= lab.region == lab.economies.get_loc(e)
    if target.sector is not None:
        s = resolve_sector(lab, target.sector)
        mask &= lab.sector == lab.sectors.get_loc(s)
    return mask


def _describe(ch: Change) -> str:
    return "/".join(str(p) for p in (ch.economy, ch.sector) if p is not None) or "all"


def _delta(table: IOTable, base: np.ndarray, changes: list[Change]) -> np.ndarray:
    """Absolute changes of `base` (n,) from the scenario's changes.

    Raises
    ------
    ScenarioError
        If two changes hit the same economy-sector (they would compound silently), or a
        negative ``amount`` exceeds the positive value it cuts.
    """
    delta = np.zeros(table.n)
    owner = np.full(table.n, -1)
    for i, ch in enumerate(changes):
        m = target_mask(table, ch)
        clash = m & (owner >= 0)
        if clash.any():
            first = int(np.argmax(clash))
            raise ScenarioError(
                f"changes {int(owner[first]) + 1} ({_describe(changes[int(owner[first])])}) and "
                f"{i + 1} ({_describe(ch)}) overlap on {int(clash.sum())} economy-sector(s)",
                received=f"first overlap at {table.labels[first]!r}",
                fix="give each economy-sector at most one change (combine them into one "
                "percentage, or target disjoint sectors)",
            )
        owner[m] = i
        if ch.change_pct is not None:
            delta[m] += base[m] * ch.change_pct / 100.0
        else:
            amount = float(ch.amount or 0.0)
            tot = base[m].sum()
            if amount < 0 and -amount > max(tot, 0.0):
                raise ScenarioError(
                    f"change {i + 1} ({_describe(ch)}) cuts more than its current value",
                    received=f"amount {amount:g} against a total of {tot:g} ({table.unit})",
                    fix="use change_pct (≥ −100) or a smaller amount",
                )
            wts = base[m] / tot if tot > 0 else np.full(m.sum(), 1.0 / m.sum())
            delta[m] += amount * wts
    return delta


def _result(
    table: IOTable, name: str, model: str, x0: np.ndarray, x1: np.ndarray, details: dict[str, Any]
) -> ShockResult:
    bs = pd.DataFrame({"x_before": x0, "x_after": x1, "change": x1 - x0}, index=table.labels)
    with np.errstate(divide="ignore", invalid="ignore"):
        bs["change_pct"] = np.where(x0 > 0, 100.0 * (x1 - x0) / np.where(x0 > 0, x0, 1.0), np.nan)
    if isinstance(table.labels, pd.MultiIndex):
        be = bs[["x_before", "x_after", "change"]].groupby(level=0, sort=False).sum()
        be.index.name = "economy"
        be.loc["total"] = be.sum()
    else:
        be = bs[["x_before", "x_after", "change"]].sum().to_frame("total").T
    be["change_pct"] = 100.0 * be["change"] / be["x_before"]
    tb, ta = float(x0.sum()), float(x1.sum())
    totals = {
        "x_before": tb,
        "x_after": ta,
        "change": ta - tb,
        "change_pct": 100.0 * (ta - tb) / tb if tb else float("nan"),
    }
    return ShockResult(
        name=name,
        model=model,
        unit=table.unit,
        by_sector=bs,
        by_economy=be,
        totals=totals,
        assumptions=tuple(ASSUMPTIONS[model]),
        provenance=table.provenance.with_step(f"shock: {model} — {name}"),
        details=details,
    )


def leontief_shock(table: IOTable, scenario: LeontiefScenario) -> ShockResult:
    """Demand-driven shock Δx = L Δf (M&B eq. 2.11), by LU solve.

    ``change_pct`` scales the target's final demand f = x − A x; ``amount`` (table unit) is split
    across the target's economy-sectors in proportion to f.

    Returns
    -------
    ShockResult
        Output before (x) and after (x + Δx) by economy-sector and economy, in the table unit.

    Raises
    ------
    UnknownCodeError
        Unknown economy or sector code.
    """
    x = table.x.to_numpy(dtype=float)
    f, _ = balance_vectors(table)
    df = _delta(table, f, scenario.demand_changes)
    dx = kio.solve_output(table.A.to_numpy(), df, lu=table.lu)
    return _result(
        table, scenario.name, "leontief", x, x + dx, {"final_demand_change": float(df.sum())}
    )


def ghosh_shock(table: IOTable, scenario: GhoshScenario) -> ShockResult:
    """Supply-driven shock Δxᵀ = Δvᵀ G (M&B eq. 12.9), as Δx = x̂ (I − A)⁻ᵀ x̂⁻¹ Δv (no G formed).

    ``change_pct`` scales the target's primary inputs v = x − 1ᵀ(A x̂) (≥ −100 %); ``amount`` is split
    in proportion to v.

    Returns
    -------
    ShockResult

    Raises
    ------
    UnknownCodeError
        Unknown economy or sector code.
    """
    x = table.x.to_numpy(dtype=float)
    _, v = balance_vectors(table)
    dv = _delta(table, v, scenario.input_changes)
    xs = table.x_safe
    dx = xs * sla.lu_solve(table.lu, dv / xs, trans=1, check_finite=False)
    return _result(
        table, scenario.name, "ghosh", x, x + dx, {"primary_input_change": float(dv.sum())}
    )


def extraction_shock(table: IOTable, scenario: ExtractionScenario) -> ShockResult:
    """Complete hypothetical extraction of a group S (economies, economy-sectors or both).

    x̄_R = (I − A_RR)⁻¹ f_R = (L_RR − L_RS L_SS⁻¹ L_SR) f_R (M&B §12.2.1), extracted sectors set
    to 0.

    Returns
    -------
    ShockResult
        ``details["extracted"]`` lists the extracted labels; ``details["loss_outside"]`` is the
        output lost outside the extracted group.

    Raises
    ------
    UnknownCodeError
        Unknown economy or sector code.
    """
    mask = np.zeros(table.n, dtype=bool)
    for tg in scenario.extract:
        mask |= target_mask(table, tg)
    S = np.flatnonzero(mask)
    x = table.x.to_numpy(dtype=float)
    f, _ = balance_vectors(table)
    xbar = kio.extraction_reduced_output(table.L.to_numpy(), f, S)
    res = _result(
        table,
        scenario.name,
        "extraction",
        x,
        xbar,
        {
            "extracted": [
                " / ".join(map(str, lab)) if isinstance(lab, tuple) else str(lab)
                for lab in table.labels[S]
            ],
            "loss_outside": float((x - xbar)[~mask].sum()),
        },
    )
    return res


def run_scenario(table: IOTable, scenario: Any, *, progress: Any = None, **options: Any) -> Any:
    """Run any validated scenario on a table.

    ARIO scenarios run on the vectorised kernel (``engine: kernel``, default) or BoARIO
    (``engine: boario``); export controls give a
    :class:`~chainatlas.resilience.reconcile.ReconciledCosts` (`options`: ``year``, ``jobs``).
    `progress` is an optional callback ``progress(message, fraction)``.

    Returns
    -------
    ShockResult, ARIOResult or ReconciledCosts
    """
    from chainatlas.resilience.scenarios import ARIOScenario, ExportControlScenario

    if progress is True or progress is False:  # legacy flag: no callback
        progress = None
    if isinstance(scenario, LeontiefScenario):
        return leontief_shock(table, scenario)
    if isinstance(scenario, GhoshScenario):
        return ghosh_shock(table, scenario)
    if isinstance(scenario, ExtractionScenario):
        return extraction_shock(table, scenario)
    if isinstance(scenario, ExportControlScenario):
        from chainatlas.resilience.reconcile import reconciled_costs

        return reconciled_costs(table, scenario, progress=progress, **options)
    if isinstance(scenario, ARIOScenario) and scenario.engine == "kernel":
        from chainatlas.resilience.dynamic import run_ario_kernel

        return run_ario_kernel(table, scenario, progress=progress)
    from chainatlas.resilience.ario import run_ario

    return run_ario(table, scenario, progress=progress)
