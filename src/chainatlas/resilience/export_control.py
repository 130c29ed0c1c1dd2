"""Export-control scenarios (断供情景): a coalition stops selling sectors to a target economy.

A scenario (:class:`~chainatlas.resilience.scenarios.ExportControlScenario`) says: economies
X ∈ coalition stop selling sectors S to economy F, by p % (``cut_pct``). The cut removes the
bilateral flows Z[(X,S), (F,·)] and Y[(X,S), F]. Substitution (``substitution``):

* ``none`` — nothing replaces the cut;
* ``own_sector`` — F's own sector S replaces it, within spare capacity (alpha_max − 1) × x_{F,S};
* ``other_foreign`` — other foreign suppliers of S (not in the coalition, not F) replace it in
  proportion to their current sales to F, each within its spare capacity (alpha_max − 1) × x
  (no second round: capacity left unused by one supplier is not passed on).

What is still missing after substitution, U, feeds four models:

* **Leontief** (demand side, what F's production needs and no longer gets): F's industry j can
  produce only the share of its output its scarcest cut product allows, φ_j = max_S U_Sj / use_Sj
  (use_Sj = j's use of product S from every origin: origins of one product are substitutes, inputs
  of different products are not). These outputs are fixed exogenously and the rest of the world
  follows by the mixed exogenous/endogenous Leontief model (M&B §13.1):
  (I − A_OO) Δx_O = A_OJ Δx_J + Δf_O, where Δf_O moves the coalition's lost final and replaced
  sales to the substitutes. Annual, comparative statics.
* **Ghosh** (supply push): the cut flows leave the coalition's allocation coefficients
  (B_ij − cut_ij/x_i), the replaced flows join the substitutes' rows, xᵀ = vᵀ(I − B')⁻¹.
* **Extraction bound**: the Leontief mixed model with the whole cut missing (substitution
  ignored): every product the coalition stops is extracted from the target's supply and its
  industries produce only what the rest allows — the upper bound.
* **ARIO** (dynamic, daily): the vectorised ARIO kernel with the cut applied to F's orders and
  final demand for ``duration_days`` from ``start_day``; substitution then works through ARIO's
  order rule and capacity limits (see :func:`ario_cut`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.chains._labels import MRLabels, mr_labels, resolve_economy, resolve_sector
from chainatlas.errors import ScenarioError
from chainatlas.io.table import IOTable
from chainatlas.resilience.scenarios import ExportControlScenario

__all__ = [
    "ExportCut",
    "build_cut",
    "leontief_cut",
    "ghosh_cut",
    "ario_cut",
    "cut_summary",
    "MODEL_ASSUMPTIONS",
]

MODEL_ASSUMPTIONS: dict[str, str] = {
    "leontief": "Leontief mixed model (M&B §13.1): the target's industries produce what their "
    "scarcest cut product allows; fixed coefficients, origins of one product are substitutes; "
    "annual, long-run static.",
    "ghosh": "Ghosh supply push (Ghosh 1958): missing flows removed from the allocation "
    "coefficients, downstream buyers cut in fixed proportions; annual; read as an upper-side "
    "forward effect (Oosterhaven 1988).",
    "extraction": "Hypothetical-extraction bound: the whole cut extracted from the target's "
    "supply, no substitution, output limited by the missing product (Leontief mixed model); "
    "annual; upper bound.",
    "ario": "ARIO (Hallegatte 2014; BoARIO's ARIOPsiModel equations): daily, 90-day inventories, "
    "orders rerouted by the substitution rule within capacity (alpha_max), rationing; stocks "
    "are per product, so depleted stocks raise orders to every remaining supplier (ARIO's 'alt' "
    "rule) even with substitution none; cumulative over the simulated days; short-run dynamic.",
}


@dataclass(frozen=True, eq=False)
class ExportCut:
    """The cut flows of a scenario, before and after substitution (annual, table unit).

    ``cut_Z`` / ``repl_Z`` / ``miss_Z``: (n, S) flows into the target's industry of sector s (cut,
    replaced by a substitute row, still missing); ``cut_y`` / ``repl_y`` / ``miss_y``: (n,) into
    the target's final demand. ``rows``: bool (n,) the coalition's cut industries.
    """

    scenario: ExportControlScenario
    table: IOTable
    target: str
    coalition: tuple[str, ...]
    sectors: tuple[str, ...]
    rows: np.ndarray
    cols: np.ndarray  # (S,) table index of the target's industry of each sector
    cut_Z: np.ndarray
    cut_y: np.ndarray
    repl_Z: np.ndarray
    repl_y: np.ndarray

    @property
    def miss_Z(self) -> np.ndarray:
        return np.where(self.rows[:, None], self.cut_Z, 0.0) - np.where(
            self.rows[:, None], self._repl_share[:, None] * self.cut_Z, 0.0
        )

    @property
    def _repl_share(self) -> np.ndarray:
        """Share of each cut row's flows that is replaced (by product)."""
        lab = mr_labels(self.table)
        out = np.zeros(self.table.n)
        for s in self.sectors:
            sec = lab.sector == lab.sectors.get_loc(s)
            cut = self.cut_Z[sec].sum() + self.cut_y[sec].sum()
            rep = self.repl_Z[sec].sum() + self.repl_y[sec].sum()
            if cut > 0:
                out[sec & self.rows] = rep / cut
        return out

    @property
    def miss_y(self) -> np.ndarray:
        return self.cut_y * (1.0 - self._repl_share)

    @property
    def total_cut(self) -> float:
        return float(self.cut_Z.sum() + self.cut_y.sum())

    @property
    def total_replaced(self) -> float:
        return float(self.repl_Z.sum() + self.repl_y.sum())


def _codes(
    lab: MRLabels, sc: ExportControlScenario
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    target = resolve_economy(lab, sc.target)
    coalition = tuple(resolve_economy(lab, c) for c in sc.coalition)
    if target in coalition:
        raise ScenarioError(
            f"the target economy {target} is inside its own coalition",
            received=list(coalition),
            fix="remove the target from the coalition",
        )
    return target, coalition, tuple(resolve_sector(lab, s) for s in sc.sectors)


def _substitute(
    table: IOTable, lab: MRLabels, sc: ExportControlScenario, cut_Z: np.ndarray,
    cut_y: np.ndarray, target: str, coalition: tuple[str, ...], sectors: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Replacement flows (n, S), (n,) by the substitution rule, capped at spare capacity."""
    repl_Z = np.zeros_like(cut_Z)
    repl_y = np.zeros_like(cut_y)
    if sc.substitution == "none":
        return repl_Z, repl_y
    x = table.x.to_numpy(dtype=float)
    spare = (sc.parameters.alpha_max - 1.0) * x
    f = lab.economies.get_loc(target)
    eco = lab.economies[lab.region].astype(str)
    buy = lab.region == f
    sold = table.Z.to_numpy()[:, buy].sum(axis=1) + table.Y.to_numpy()[:, lab.y_region == f].sum(
        axis=1
    )
    for s in sectors:
        sec = lab.sector == lab.sectors.get_loc(s)
        need_cols = cut_Z[sec].sum(axis=0)
        need_y = float(cut_y[sec].sum())
        need = float(need_cols.sum()) + need_y
        if need <= 0:
            continue
        if sc.substitution == "own_sector":
            subs = sec & buy
            give = np.minimum(need, spare) * subs
        else:
            subs = sec & ~buy & ~np.isin(eco, coalition)
            w = np.where(subs, np.clip(sold, 0.0, None), 0.0)
            if w.sum() <= 0:
                raise ScenarioError(
                    f"no other foreign supplier of {s} sells to {target}",
                    fix="use substitution: own_sector or none",
                )
            give = np.minimum(need * w / w.sum(), spare * subs)
        frac = give / need  # share of the need each substitute row covers
        repl_Z += frac[:, None] * need_cols[None, :]
        repl_y += frac * need_y
    return repl_Z, repl_y


def build_cut(table: IOTable, scenario: ExportControlScenario) -> ExportCut:
    """Resolve a scenario on a table: the cut flows and their replacement.

    Raises
    ------
    UnknownCodeError
        An unknown economy (coalition or target) or sector, with close codes suggested.
    ScenarioError
        The target inside its coalition; a cut sector the coalition sells none of to the target
        (the loss would be zero for want of flows, not for want of effect); no substitute.
    """
    lab = mr_labels(table)
    target, coalition, sectors = _codes(lab, scenario)
    f = lab.economies.get_loc(target)
    eco = lab.economies[lab.region].astype(str)
    rows = np.isin(eco, coalition) & np.isin(lab.sectors[lab.sector].astype(str), sectors)
    cols = np.array([table.labels.get_loc((target, s)) for s in lab.sectors])
    p = scenario.cut_pct / 100.0
    Z = table.Z.to_numpy(dtype=float)
    cut_Z = np.where(rows[:, None], p * Z[:, cols], 0.0)
    cut_y = np.where(rows, p * table.Y.to_numpy()[:, lab.y_region == f].sum(axis=1), 0.0)
    cut_y = np.clip(cut_y, 0.0, None)
    for s in sectors:
        sec = lab.sector == lab.sectors.get_loc(s)
        if cut_Z[sec].sum() + cut_y[sec].sum() <= 0:
            raise ScenarioError(
                f"the coalition {'+'.join(coalition)} sells no {s} to {target} in this table: "
                "the cut would cost nothing for want of flows",
                received={"sector": s, "coalition": list(coalition), "target": target},
                fix="check the sector code (e.g. c14 electrical and optical equipment in WIOD) "
                "and the coalition",
            )
    repl_Z, repl_y = _substitute(table, lab, scenario, cut_Z, cut_y, target, coalition, sectors)
    return ExportCut(
        scenario=scenario, table=table, target=target, coalition=coalition, sectors=sectors,
        rows=rows, cols=cols, cut_Z=cut_Z, cut_y=cut_y, repl_Z=repl_Z, repl_y=repl_y,
    )  # fmt: skip


def leontief_cut(cut: ExportCut, *, substitution: bool = True) -> np.ndarray:
    """Output change Δx (n,) of the Leontief mixed model (module docs), table unit per year.

    ``substitution=False`` treats the whole cut as missing (the extraction bound).
    """
    t = cut.table
    lab = mr_labels(t)
    x = t.x.to_numpy(dtype=float)
    Z = t.Z.to_numpy(dtype=float)
    A = t.A.to_numpy()
    miss = cut.miss_Z if substitution else cut.cut_Z
    phi = np.zeros(t.n)
    for s in cut.sectors:
        sec = lab.sector == lab.sectors.get_loc(s)
        use = Z[np.ix_(sec, cut.cols)].sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(use > 0, miss[sec].sum(axis=0) / np.where(use > 0, use, 1.0), 0.0)
        phi[cut.cols] = np.maximum(phi[cut.cols], np.clip(share, 0.0, 1.0))
    J = phi > 0
    dxJ = -phi[J] * x[J]
    # the coalition loses every cut sale; A_OJ Δx_J already removes φ_j Z_ij of them
    lost_beyond = np.clip(cut.cut_Z - phi[cut.cols][None, :] * Z[:, cut.cols], 0.0, None)
    df = -cut.cut_y - np.where(cut.rows, lost_beyond.sum(axis=1), 0.0)
    if substitution:
        df = df + cut.repl_Z.sum(axis=1) + cut.repl_y  # substitutes sell more
    rest = ~J
    rhs = A[np.ix_(rest, J)] @ dxJ + df[rest]
    dx = np.zeros(t.n)
    dx[J] = dxJ
    dx[rest] = np.linalg.solve(np.eye(int(rest.sum())) - A[np.ix_(rest, rest)], rhs)
    return dx


def ghosh_cut(cut: ExportCut) -> np.ndarray:
    """Output change Δx (n,) of the supply-driven model: the cut flows leave the coalition's
    allocation coefficients, the replaced flows join the substitutes'."""
    t = cut.table
    x = t.x.to_numpy(dtype=float)
    xs = np.where(x > 0, x, 1.0)
    Z = t.Z.to_numpy(dtype=float).copy()
    Z[:, cut.cols] += cut.repl_Z - cut.cut_Z
    B = Z / xs[:, None]
    v = x - t.Z.to_numpy(dtype=float).sum(axis=0)
    x_new = np.linalg.solve((np.eye(t.n) - B).T, v)
    return x_new - x


def ario_cut(cut: ExportCut, prep: Any) -> Any:
    """Kernel :class:`~chainatlas.kernels.ario.BilateralCut` for the scenario (one scenario).

    The target's orders to the cut rows lose ``cut_pct`` of their weight while the cut is in
    force; ``own_sector`` gives that weight to the target's own sector, ``other_foreign`` to the
    other foreign suppliers in proportion to their sales to the target (ARIO's capacity limits
    and rationing then decide what is delivered); with ``none`` the orders are not placed
    elsewhere and the missing inputs run the inventories down. Final demand is treated alike.
    """
    from chainatlas.kernels.ario import BilateralCut

    sc = cut.scenario
    lab = mr_labels(prep.table)
    n = prep.table.n
    day = 1.0 / 365.0
    delta = -cut.cut_Z * day
    dy = -cut.cut_y * day
    if sc.substitution != "none":
        # ARIO enforces capacity itself: spread the whole cut with the static allocation shares
        share = np.zeros(n)
        for s in cut.sectors:
            sec = lab.sector == lab.sectors.get_loc(s)
            got = cut.repl_Z[sec].sum(axis=1) + cut.repl_y[sec]
            if got.sum() > 0:
                share[sec] = got / got.sum()
        for s in cut.sectors:
            sec = lab.sector == lab.sectors.get_loc(s)
            need_cols = cut.cut_Z[sec].sum(axis=0) * day
            need_y = cut.cut_y[sec].sum() * day
            w = np.where(sec, share, 0.0)
            delta = delta + w[:, None] * need_cols[None, :]
            dy = dy + w * need_y
    active = np.zeros((1, sc.simulate_days), dtype=bool)
    active[0, sc.start_day : sc.start_day + sc.duration_days] = True
    den = delta if sc.substitution != "none" else np.zeros_like(delta)
    return BilateralCut(
        buyer=int(lab.economies.get_loc(cut.target)),
        delta=delta[None],
        delta_den=den[None],
        dy=dy[None],
        active=active,
    )


def cut_summary(cut: ExportCut) -> pd.DataFrame:
    """Cut, replaced and missing flows by coalition economy and sector (table unit per year)."""
    idx = cut.table.labels[cut.rows]
    share = cut._repl_share[cut.rows]
    tot = cut.cut_Z[cut.rows].sum(axis=1) + cut.cut_y[cut.rows]
    df = pd.DataFrame(
        {
            "cut_intermediate": cut.cut_Z[cut.rows].sum(axis=1),
            "cut_final": cut.cut_y[cut.rows],
            "replaced": tot * share,
            "missing": tot * (1 - share),
        },
        index=idx,
    )
    return df
