"""Vectorised ARIO kernel (适应性区域投入产出模型，向量化): BoARIO's ``ARIOPsiModel``, batched.

Arrays in, arrays out (no pandas, no I/O). The equations and their order within a day are those
of BoARIO 0.7 (Juhel 2023; Hallegatte 2008, 2014; Guan et al. 2020), ``ARIOPsiModel`` with the
"alt" order rule and arbitrary production-capacity events; names follow BoARIO's parameters
(``alpha_max``, ``alpha_tau``, ``main_inv_dur``, ``psi``, ``inventory_restoration_tau``).

Notation: n = R·S industries, sector s(i) of industry i, X0 = x/365, Z0 = Z/365 (daily), A = Z x̂⁻¹,
tech[s, j] = Σ_{i∈s} A_ij (input s per unit of j's output), τ_inv = main_inv_dur days of stock.
One step t (a day):

1. capacity loss δ(t) (from the events, see :func:`boario_event_schedule`);
2. overproduction (t > 1): scarcity σ_i = (D_i − p_i)/D_i, α ← α + (α_max − α) σ /τ_α + (1 − α)
   [σ = 0]/τ_α, α ≥ 1;
3. capacity c = X0 (1 − δ) α; optimal production o = min(D, c); inventory constraint
   C[s, j] = o_j tech[s, j] ψ τ_inv; production p_j = o_j · min(1, min_s stock[s, j] / C[s, j])
   over inputs s that count (Z_C[s, j] > 1e-5 X0_j, BoARIO's ``threshold_not_input``);
4. distribution (proportional rationing): ρ_i = p_i / D_i; stock += Σ_{i∈s} ρ_i O_ij − p_j tech[s, j]
   (skipped when BoARIO's ``np.allclose`` finds the two terms equal, as BoARIO does);
   final demand not met = Σ (1 − ρ_i) Y_i,·;
5. orders: goal G[s, j] = o_j tech[s, j] τ_inv; gap = max(G − stock, 0)/τ_restore (zero when
   ``allclose(stock, G)``) + p_j tech[s, j]; with π_i = c_i / X0_i, orders
   O_ij = gap[s(i), j] · Z0_ij π_i / Σ_{i'∈s(i)} Z0_i'j π_i'; new demand D_i = Σ_j O_ij + Σ_c Y_ic.

The orders matrix is never formed: with H[s, j] = gap[s, j] / Σ_{i∈s} Z0_ij π_i, O_ij =
Z0_ij π_i H[s(i), j], so D, the restocking term and the denominators are three batched
matrix–vector products with Z0 arranged as (S, R, n) — O(n²) flops and O(S·n) memory per scenario
and step, for k scenarios at once (leading axis).

Bilateral cuts (export controls): for one buyer region b, a scenario may replace the order weights
Z0_ij (j in b) by Z0_ij + Δ_ij while a cut is active; the denominator uses Z0 + Δ_den (Δ_den = Δ
when the cut is redistributed to other suppliers, 0 when it is not — undeliverable orders are
simply not filled), and b's final demand for each industry changes by Δy_i.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ARIOParams",
    "ARIOArrays",
    "BilateralCut",
    "prepare_arrays",
    "boario_event_schedule",
    "simulate",
    "TECHNOLOGY_THRESHOLD",
    "EVENT_ARBITRARY_PRECISION",
]

Array = NDArray[np.float64]

#: BoARIO: an input counts for the inventory constraint if Z_C[s, j] > this × X0_j.
TECHNOLOGY_THRESHOLD = 1e-5
#: BoARIO rounds recovering arbitrary events to this many decimals.
EVENT_ARBITRARY_PRECISION = 6


@dataclass(frozen=True)
class ARIOParams:
    """ARIO parameters, BoARIO's names and defaults (days)."""

    alpha_base: float = 1.0
    alpha_max: float = 1.25
    alpha_tau: int = 365
    main_inv_dur: int = 90
    psi: float = 0.8
    inventory_restoration_tau: int = 60
    year_to_day: int = 365


@dataclass(frozen=True, eq=False)
class ARIOArrays:
    """Arrays derived once from a table (shared by every scenario of a batch).

    Internally industries are in *kernel order* q = s·R + r (sector-major); ``perm[q]`` is the
    caller's index of kernel position q. ``Z0s[s, r, q']`` = Z0[(r, s), q'] (daily, columns in
    kernel order) and ``Z0sT`` its (S, n, R) transpose, both contiguous.
    """

    n_regions: int
    n_sectors: int
    perm: NDArray[np.intp]  # (n,) kernel position → caller index
    X0: Array  # (n,) kernel order
    Z0s: Array  # (S, R, n)
    Z0sT: Array  # (S, n, R)
    tech: Array  # (S, n)
    threshold: NDArray[np.bool_]  # (S, n)
    yfin: Array  # (n,) daily final demand of each industry
    Yd: Array  # (n, R) daily final demand by destination region

    @property
    def n(self) -> int:
        return int(self.X0.size)

    def kernel_index(self, caller: NDArray[np.intp]) -> NDArray[np.intp]:
        """Kernel positions of caller indices."""
        inv = np.empty_like(self.perm)
        inv[self.perm] = np.arange(self.perm.size)
        return inv[caller]


@dataclass(frozen=True, eq=False)
class BilateralCut:
    """Order-weight changes for buyer region `buyer`, per scenario of a batch (caller order).

    ``delta``, ``delta_den``: (k, n, S) changes of Z0[:, buyer's sector s] (daily units), rows in
    the caller's industry order, column s = the buyer's industry of sector s; ``dy``: (k, n)
    change of the buyer's daily final demand for each industry; ``active``: (k, T) bool, days
    whose deliveries follow the changed weights.
    """

    buyer: int
    delta: Array
    delta_den: Array
    dy: Array
    active: NDArray[np.bool_]


def prepare_arrays(
    Z: Array,
    Y: Array,
    x: Array,
    region: NDArray[np.intp],
    sector: NDArray[np.intp],
    y_region: NDArray[np.intp],
    *,
    params: ARIOParams | None = None,
) -> ARIOArrays:
    """Daily arrays for :func:`simulate` from an annual table (Z, Y, x) in any industry order.

    Parameters
    ----------
    Z : (n, n), Y : (n, m), x : (n,)
        Annual flows; x = Z·1 + Y·1 is expected (BoARIO's steady state).
    region, sector : (n,) int
        Region and sector index of each industry; every (region, sector) pair must occur once.
    y_region : (m,) int
        Destination region of each final-demand column.

    Returns
    -------
    ARIOArrays

    Raises
    ------
    ValueError
        When the (region, sector) pairs do not form a full grid.
    """
    p = params or ARIOParams()
    R, S = int(region.max()) + 1, int(sector.max()) + 1
    n = len(x)
    order = np.full((S, R), -1, dtype=np.intp)
    order[sector, region] = np.arange(n)
    if n != R * S or (order < 0).any():
        raise ValueError("every (region, sector) pair must occur exactly once")
    perm = order.reshape(-1)
    f = 1.0 / p.year_to_day
    Zk, xk, Yk = Z[np.ix_(perm, perm)], x[perm], Y[perm]
    with np.errstate(divide="ignore", invalid="ignore"):
        recix = np.where(xk != 0, 1.0 / xk, 0.0)
    A = Zk * recix[None, :]
    tech = A.reshape(S, R, n).sum(axis=1)
    ZC = Zk.reshape(S, R, n).sum(axis=1)
    X0 = xk * f
    Yd = np.zeros((n, R))
    np.add.at(Yd.T, y_region, (Yk * f).T)
    Z0s = np.ascontiguousarray((Zk * f).reshape(S, R, n))
    return ARIOArrays(
        n_regions=R,
        n_sectors=S,
        perm=perm,
        X0=X0,
        Z0s=Z0s,
        Z0sT=np.ascontiguousarray(Z0s.transpose(0, 2, 1)),
        tech=tech,
        threshold=ZC > X0[None, :] * TECHNOLOGY_THRESHOLD,
        yfin=(Yk * f).sum(axis=1),
        Yd=Yd,
    )


def boario_event_schedule(
    impacts: Array, occurrence: NDArray[np.intp], duration: NDArray[np.intp],
    recovery: NDArray[np.intp], days: int,
) -> Array:  # fmt: skip
    """Capacity loss δ(t) in force on each step, as BoARIO's event bookkeeping produces it.

    BoARIO marks an event happening on step ``occurrence``, starts its linear recovery on step
    ``occurrence + duration`` (value rounded to 6 decimals) and applies the events' maximum to the
    model one step late (the total is refreshed before the events are). So δ(t) = v for
    t ∈ [o + 1, o + d + 2] and v (1 − m/τ) for t = o + d + 2 + m, m < τ.

    Parameters
    ----------
    impacts : (E, n)
        Share of capacity lost per event and industry.
    occurrence, duration, recovery : (E,) int
        BoARIO's ``occurrence`` (step), ``duration`` and ``recovery_tau``.
    days : int
        Steps to simulate.

    Returns
    -------
    ndarray (days, n)

    Examples
    --------
    >>> d = boario_event_schedule(np.array([[0.5]]), np.array([2]), np.array([3]), np.array([2]), 10)
    >>> d[:, 0].tolist()
    [0.0, 0.0, 0.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.0]
    """
    E, n = impacts.shape
    stored = np.zeros((days + 1, n))  # stored[t] = arbitrary delta computed at step t
    for e in range(E):
        o, d, tau, v = int(occurrence[e]), int(duration[e]), int(recovery[e]), impacts[e]
        for t in range(max(o, 0), days):
            if t <= o + d + 1:
                val = v
            else:
                val = np.round(v * (1 - (t - 1 - (o + d)) / tau), EVENT_ARBITRARY_PRECISION)
                if not val.any():
                    break
            stored[t] = np.maximum(stored[t], val)
    out = np.zeros((days, n))
    out[1:] = stored[: days - 1]
    return out


def _close(d: Array, b: Array) -> NDArray[np.bool_]:
    """``np.allclose(b + d, b)`` per scenario k of (S, k, n) arrays, for b ≥ 0 finite:
    all |d| ≤ 1e-8 + 1e-5 b (numpy's rtol and atol)."""
    lhs = np.abs(d)
    lhs -= 1e-5 * b
    return np.asarray(lhs.max(axis=(0, 2)) <= 1e-8)


@dataclass
class _State:
    """Per-scenario state; vectors (k, n) and matrices (S, k, n), kernel order."""

    prod: Array
    alpha: Array
    stock: Array
    H: Array  # orders factor: O_ij = Z0_ij π_i H[s(i), j]
    pi: Array  # capacity ratio π used in the current orders
    demand: Array


def _weighted_rows(arr: ARIOArrays, w: Array) -> Array:
    """Σ_{i∈s} w_i Z0_ij for all s, j: w (k, n) → (S, k, n)."""
    k = w.shape[0]
    return np.matmul(w.reshape(k, arr.n_sectors, arr.n_regions).transpose(1, 0, 2), arr.Z0s)


def _row_dot(arr: ARIOArrays, H: Array) -> Array:
    """Σ_j Z0_ij H[s(i), j] for all i: H (S, k, n) → (k, n)."""
    out = np.matmul(H, arr.Z0sT)  # (S, k, R)
    return out.transpose(1, 0, 2).reshape(H.shape[1], arr.n)


class _Cut:
    """An optional bilateral cut in kernel order, kept sparse: only the rows it changes."""

    def __init__(self, arr: ARIOArrays, cut: BilateralCut | None) -> None:
        self.cut = cut
        self.arr = arr
        if cut is None:
            return
        S, R = arr.n_sectors, arr.n_regions
        self.cols = np.arange(S) * R + cut.buyer  # kernel positions of the buyer's industries
        d, dd, dy = cut.delta[:, arr.perm], cut.delta_den[:, arr.perm], cut.dy[:, arr.perm]
        touched = (d != 0).any(axis=(0, 2)) | (dd != 0).any(axis=(0, 2)) | (dy != 0).any(axis=0)
        self.rows = np.flatnonzero(touched)  # kernel positions of the changed rows
        self.row_sector = self.rows // R
        self.delta, self.delta_den, self.dy = d[:, self.rows], dd[:, self.rows], dy[:, self.rows]

    def weights(self, t: int) -> tuple[Array, Array, Array] | None:
        """(Δ, Δ_den, Δy) on the changed rows, in force for deliveries on day t (None: no cut)."""
        if self.cut is None:
            return None
        t = min(t, self.cut.active.shape[1] - 1)
        act = self.cut.active[:, t]
        if not act.any():
            return None
        if act.all():
            return self.delta, self.delta_den, self.dy
        a = act.astype(float)[:, None, None]
        return a * self.delta, a * self.delta_den, a[:, :, 0] * self.dy

    def final_demand(self, t: int) -> tuple[Array, Array | None]:
        """(yfin (k or 1, n), Δy on the changed rows or None) in force on day t."""
        w = self.weights(t)
        if w is None:
            return self.arr.yfin[None], None
        yf = np.broadcast_to(self.arr.yfin, (w[2].shape[0], self.arr.n)).copy()
        yf[:, self.rows] += w[2]
        return yf, w[2]

    def by_sector(self, w: Array, d: Array) -> Array:
        """Σ_{i∈s} w_i d_is' over the changed rows: w (k, n), d (k, m, S) → (S, k, S)."""
        k, S = w.shape[0], self.arr.n_sectors
        out = np.zeros((k, S, S))
        np.add.at(out, (slice(None), self.row_sector), w[:, self.rows, None] * d)
        return out.transpose(1, 0, 2)


def _orders(
    arr: ARIOArrays, st: _State, opt: Array, cap: Array, cut: _Cut, t: int, p: ARIOParams
) -> None:
    """Step 5: orders for day t + 1 (stored as H and π) and the new total demand."""
    inv = float(p.main_inv_dur if p.main_inv_dur > 1 else 2)
    goal = (opt[None] * arr.tech[:, None, :]) * inv
    d = goal - st.stock
    same = _close(d, goal)  # BoARIO: np.allclose(stock, goal) → no restocking gap
    np.clip(d, 0.0, None, out=d)
    d *= 1.0 / p.inventory_restoration_tau
    if same.any():
        d[:, same, :] = 0.0
    d += st.prod[None] * arr.tech[:, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        pi = np.where(arr.X0 != 0, cap / arr.X0, 1.0)
    den = _weighted_rows(arr, pi)
    w = cut.weights(t + 1)
    if w is not None:
        den[:, :, cut.cols] += cut.by_sector(pi, w[1])
    H = np.divide(d, den, out=np.zeros_like(d), where=den != 0)
    E = _row_dot(arr, H)
    if w is not None:
        Hb = H[cut.row_sector][:, :, cut.cols].transpose(1, 0, 2)  # (k, m, S)
        E[:, cut.rows] += (w[0] * Hb).sum(axis=2)
    st.H, st.pi = H, pi
    yfin, _ = cut.final_demand(t + 1)
    st.demand = pi * E + yfin


def _distribute(arr: ARIOArrays, st: _State, cut: _Cut, t: int) -> Array:
    """Step 4: restock from delivered orders; returns final demand not met (k, R, S)."""
    rho = np.divide(st.prod, st.demand, out=np.zeros_like(st.prod), where=st.demand != 0)
    wp = rho * st.pi
    add = _weighted_rows(arr, wp)
    add *= st.H
    w = cut.weights(t)  # orders placed yesterday with the weights in force today
    if w is not None:
        add[:, :, cut.cols] += st.H[:, :, cut.cols] * cut.by_sector(wp, w[0])
    use = st.prod[None] * arr.tech[:, None, :]
    add -= use  # add − use: the change of inventories
    same = _close(add, use)  # BoARIO skips the update when np.allclose(add, use)
    if same.all():
        pass
    elif same.any():
        st.stock[:, ~same] += add[:, ~same]
    else:
        st.stock += add
    _, dy = cut.final_demand(t)
    k, S, R = rho.shape[0], arr.n_sectors, arr.n_regions
    un = (1.0 - rho)[:, :, None] * arr.Yd[None]  # (k, n, R_dest)
    if dy is not None:
        un[:, cut.rows, cut.cut.buyer] += (1.0 - rho)[:, cut.rows] * dy  # type: ignore[union-attr]
    return un.reshape(k, S, R, R).sum(axis=2).transpose(0, 2, 1)  # (k, R_dest, S)


def simulate(
    arr: ARIOArrays,
    delta: Array,
    *,
    params: ARIOParams | None = None,
    cut: BilateralCut | None = None,
    record_stocks: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Array]:
    """Run k ARIO scenarios for T days at once.

    Parameters
    ----------
    arr : ARIOArrays
        From :func:`prepare_arrays`.
    delta : (k, T, n) or (T, n)
        Capacity loss in force each day, caller order (e.g. from :func:`boario_event_schedule`).
    params : ARIOParams
    cut : BilateralCut, optional
        Bilateral order-weight changes (export controls).
    record_stocks : bool
        Also return inventories (k, T, S, n) at the start of each day (BoARIO's record).
    progress : callable(day, days), optional
        Called after every simulated day.

    Returns
    -------
    dict
        ``production`` and ``capacity`` (k, T, n) in the caller's order,
        ``final_demand_not_met`` (k, T, R, S) by destination region and sector (BoARIO's
        record) and, if asked, ``stocks`` (k, T, S, n).

    Raises
    ------
    FloatingPointError
        If a negative or NaN inventory appears (BoARIO's crash condition).
    """
    p = params or ARIOParams()
    d3 = (delta[None] if delta.ndim == 2 else delta)[:, :, arr.perm]
    if cut is not None and cut.delta.shape[0] > d3.shape[0]:
        d3 = np.broadcast_to(d3, (cut.delta.shape[0], *d3.shape[1:]))
    k, T, n = d3.shape
    S = arr.n_sectors
    inv = float(p.main_inv_dur if p.main_inv_dur > 1 else 2)
    X0 = arr.X0
    cutter = _Cut(arr, cut)
    yfin0, _ = cutter.final_demand(0)
    st = _State(
        prod=np.broadcast_to(X0, (k, n)).copy(),
        alpha=np.full((k, n), p.alpha_base),
        stock=np.broadcast_to((X0[None, :] * arr.tech * inv)[:, None, :], (S, k, n)).copy(),
        H=np.ones((S, k, n)),
        pi=np.ones((k, n)),
        demand=np.zeros((k, n)),
    )
    st.demand = _row_dot(arr, st.H) + yfin0  # Σ_j Z0_ij + final demand (BoARIO's start)
    prod = np.empty((k, T, n))
    capa = np.empty((k, T, n))
    unmet = np.empty((k, T, arr.n_regions, S))
    stocks = np.empty((k, T, S, n)) if record_stocks else None
    tau_a = 1.0 / p.alpha_tau
    tech_c = (arr.tech * p.psi * inv)[:, None, :]  # constraint per unit of optimal production
    binds = (arr.threshold & (arr.tech != 0))[:, None, :]
    for t in range(T):
        if stocks is not None:
            stocks[:, t][:, :, arr.perm] = st.stock.transpose(1, 0, 2)
        if t > 1:
            with np.errstate(divide="ignore", invalid="ignore"):
                sc = np.where(st.demand != 0, (st.demand - st.prod) / st.demand, 0.0)
            sc = np.nan_to_num(sc, nan=0.0)
            st.alpha = st.alpha + (
                (p.alpha_max - st.alpha) * sc * tau_a
                + (p.alpha_base - st.alpha) * (sc == 0) * tau_a
            )
            st.alpha[st.alpha < 1.0] = 1.0
        cap = X0 * (1 - d3[:, t]) * st.alpha
        opt = np.fmin(st.demand, cap)
        C = opt[None] * tech_c
        ratio = np.divide(st.stock, C, out=np.ones_like(C), where=binds & (C != 0))
        st.prod = opt * np.minimum(ratio.min(axis=0), 1.0)
        prod[:, t][:, arr.perm] = st.prod
        capa[:, t][:, arr.perm] = cap
        unmet[:, t] = _distribute(arr, st, cutter, t)
        if (st.stock < 0).any() or np.isnan(st.stock).any():
            raise FloatingPointError(f"negative or NaN inventories on day {t}")
        _orders(arr, st, opt, cap, cutter, t, p)
        if progress is not None:
            progress(t + 1, T)
    out = {"production": prod, "capacity": capa, "final_demand_not_met": unmet}
    if stocks is not None:
        out["stocks"] = stocks
    return out
