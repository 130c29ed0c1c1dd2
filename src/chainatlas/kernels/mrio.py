"""Multi-region input–output kernels (多区域投入产出内核): value added in trade, dependence, chokepoints.

Pure numpy/scipy: arrays in, arrays out. Shapes: ``n`` economy-sectors, ``R`` economies. A region
of each economy-sector is given as an integer array ``region`` (n,) with values in ``0..R-1``.

References
----------
Hummels, D., Ishii, J. and Yi, K.-M. (2001), The nature and growth of vertical specialization in
world trade, *Journal of International Economics* 54: 75–96 (VS, VS1).
Koopman, R., Wang, Z. and Wei, S.-J. (2014), Tracing value-added and double counting in gross
exports, *American Economic Review* 104(2): 459–494.
Daudin, G., Rifflart, C. and Schweisguth, D. (2011), Who produces for whom in the world economy?,
*Canadian Journal of Economics* 44(4): 1403–1437 (VS1 as forward participation).
Miller, R. E. and Blair, P. D. (2009), *Input–Output Analysis*, 2nd ed., §12.2 (extraction).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from chainatlas.kernels.io import LU, extraction_losses_single

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]

__all__ = [
    "region_indicator",
    "gross_exports",
    "value_added_in_exports",
    "requirements_of_final_output",
    "origin_hhi",
    "world_supply_concentration",
    "supply_extraction_losses",
    "chokepoint_score",
]


def region_indicator(region: IntArray, n_regions: int) -> Array:
    """Indicator matrix S (R × n): S[r, j] = 1 when economy-sector j belongs to economy r.

    Examples
    --------
    >>> region_indicator(np.array([0, 0, 1]), 2)
    array([[1., 1., 0.],
           [0., 0., 1.]])
    """
    S = np.zeros((n_regions, region.size))
    S[region, np.arange(region.size)] = 1.0
    return S


def gross_exports(Z: Array, Y: Array, region: IntArray, y_region: IntArray) -> tuple[Array, Array]:
    """Gross exports of every economy-sector: sales to all other economies.

    E_j = Σ_{k: r(k) ≠ r(j)} Z_jk + Σ_{c: r(c) ≠ r(j)} Y_jc.

    Parameters
    ----------
    Z : ndarray, shape (n, n)
        Intermediate transactions (multi-region).
    Y : ndarray, shape (n, k)
        Final demand by (destination economy, category) column.
    region : ndarray of int, shape (n,)
        Economy of each row/column of Z.
    y_region : ndarray of int, shape (k,)
        Destination economy of each column of Y.

    Returns
    -------
    E : ndarray, shape (n,)
        Gross exports, in the table's unit.
    E_final : ndarray, shape (n,)
        The part of E that is final goods (Y columns of other economies).

    Examples
    --------
    >>> Z = np.array([[1.0, 2.0], [3.0, 4.0]]); Y = np.array([[5.0, 6.0], [7.0, 8.0]])
    >>> gross_exports(Z, Y, np.array([0, 1]), np.array([0, 1]))
    (array([ 8., 10.]), array([6., 7.]))
    """
    foreign_z = region[:, None] != region[None, :]
    foreign_y = region[:, None] != y_region[None, :]
    e_final = (Y * foreign_y).sum(axis=1)
    return (Z * foreign_z).sum(axis=1) + e_final, e_final


def value_added_in_exports(
    A: Array, v: Array, E: Array, region: IntArray, n_regions: int, *, lu: LU
) -> dict[str, Array]:
    """Domestic and foreign value added in gross exports (HIY 2001; KWW 2014 value-added shares).

    With value-added coefficients v (value added per unit of output) and the global Leontief
    inverse L = (I − A)⁻¹, the value-added share matrix VB = v̂L has unit column sums (vᵀL = 1ᵀ
    when v = 1ᵀ(I − A), i.e. the columns balance). For an economy-sector j of economy s = r(j):

    * DVA_j = Σ_{i∈s} v_i L_ij E_j — domestic value added in j's exports;
    * FVA_j = Σ_{i∉s} v_i L_ij E_j — foreign value added (HIY's vertical specialisation, VS);
    * DVA_j + FVA_j = E_j exactly (no double-counted terms in this split);
    * DVX_i = v_i Σ_{j∉r(i)} L_ij E_j — value added of i embodied in *other* economies' gross
      exports (HIY's VS1, Daudin et al. 2011; OECD TiVA EXGR_DVAFXSH): the "indirect value-added
      exports" used for forward GVC participation.

    Computed with 2R LU solves (no inverse): W = S v̂ L by transposed solves, and L·E_{¬s}.

    Parameters
    ----------
    A : ndarray, shape (n, n)
    v : ndarray, shape (n,)
        Value-added coefficients (value added / gross output).
    E : ndarray, shape (n,)
        Gross exports.
    region : ndarray of int, shape (n,)
    n_regions : int
    lu : LU factors of (I − A)

    Returns
    -------
    dict of ndarray
        ``"DVA"``, ``"FVA"``, ``"DVX"`` (each (n,), table units) and ``"W"`` (R × n): the value
        added of each economy per unit of final output of each economy-sector.

    Examples
    --------
    >>> from chainatlas.kernels.io import leontief_lu
    >>> A = np.array([[0.1, 0.2], [0.3, 0.1]]); v = 1 - A.sum(0)
    >>> out = value_added_in_exports(A, v, np.array([10.0, 0.0]), np.array([0, 1]), 2,
    ...                              lu=leontief_lu(A))
    >>> bool(np.isclose(out["DVA"][0] + out["FVA"][0], 10.0))
    True
    """
    S = region_indicator(region, n_regions)
    W = sla.lu_solve(lu, (S * v[None, :]).T, trans=1, check_finite=False).T  # (R, n) = S v̂ L
    own = W[region, np.arange(region.size)]
    dva = own * E
    fva = (W.sum(axis=0) - own) * E
    # L E_{¬s}: column s holds exports of economy-sectors outside s.
    E_not = E[:, None] * (1.0 - S.T)  # (n, R)
    LE = sla.lu_solve(lu, E_not, check_finite=False)  # (n, R)
    dvx = v * LE[np.arange(region.size), region]
    return {"DVA": dva, "FVA": fva, "DVX": dvx, "W": W}


def requirements_of_final_output(A: Array, w: Array, *, lu: LU) -> tuple[Array, Array]:
    """Direct and total output requirements of a final-output vector w (M&B §2.3).

    Returns ``A w`` (first-round inputs) and ``(L − I) w`` (all rounds: total intermediate
    requirements), both (n,) in the unit of w.

    Examples
    --------
    >>> from chainatlas.kernels.io import leontief_lu
    >>> A = np.array([[0.15, 0.25], [0.2, 0.05]])
    >>> d, t = requirements_of_final_output(A, np.array([350.0, 1700.0]), lu=leontief_lu(A))
    >>> np.round(t, 3).tolist()
    [650.0, 300.0]
    """
    x = sla.lu_solve(lu, w, check_finite=False)
    return A @ w, x - w


def origin_hhi(M: Array, region: IntArray, n_regions: int) -> tuple[Array, Array]:
    """Origin concentration of each column's requirements: HHI across origin economies.

    Parameters
    ----------
    M : ndarray, shape (n, m)
        Requirements (rows: origin economy-sectors; columns: using sectors), non-negative.
    region : ndarray of int, shape (n,)
        Economy of each row.

    Returns
    -------
    hhi : ndarray, shape (m,)
        Σ_r s_r² with s_r the share of origin economy r in the column total (NaN for a zero column).
    shares : ndarray, shape (R, m)
        The origin shares.

    Examples
    --------
    >>> h, s = origin_hhi(np.array([[1.0], [1.0], [2.0]]), np.array([0, 0, 1]), 2)
    >>> h.tolist()
    [0.5]
    """
    S = region_indicator(region, n_regions)
    by_origin = S @ M
    tot = by_origin.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = by_origin / tot[None, :]
    return (shares**2).sum(axis=0), shares


def world_supply_concentration(
    x: Array,
    region: IntArray,
    sector: IntArray,
    n_regions: int,
    n_sectors: int,
    *,
    aggregate: NDArray[np.bool_] | None = None,
) -> tuple[Array, Array]:
    """Concentration of world output of each sector across economies: HHI and top-1 share.

    Returns two (n_sectors,) arrays: HHI = Σ_r (x_{r,p} / Σ_r x_{r,p})² and max_r share (NaN when
    world output of the sector is 0).

    `aggregate` (bool, shape (n_regions,)) marks regions that are aggregates of many economies
    (a "rest of the world"). Their output stays in the denominator Σ_r x_{r,p} but their own
    squared share is left out of the HHI and they cannot be the top-1 producer: the HHI is then a
    lower bound, exact when the aggregate's output is spread over many small producers.

    Examples
    --------
    >>> world_supply_concentration(np.array([3.0, 1.0, 1.0, 1.0]), np.array([0, 0, 1, 1]),
    ...                            np.array([0, 1, 0, 1]), 2, 2)
    (array([0.625, 0.5  ]), array([0.75, 0.5 ]))
    >>> world_supply_concentration(np.array([3.0, 1.0, 1.0, 1.0]), np.array([0, 0, 1, 1]),
    ...                            np.array([0, 1, 0, 1]), 2, 2, aggregate=np.array([True, False]))
    (array([0.0625, 0.25  ]), array([0.25, 0.5 ]))
    """
    X = np.zeros((n_regions, n_sectors))
    np.add.at(X, (region, sector), x)
    tot = X.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        sh = X / tot[None, :]
    if aggregate is not None:
        sh = np.where(np.asarray(aggregate, dtype=bool)[:, None], 0.0, sh)
    return (sh**2).sum(axis=0), sh.max(axis=0)


def supply_extraction_losses(G: Array, v: Array, weights: Array) -> Array:
    """Weighted output lost when each supplier j alone is extracted from the Ghosh model.

    In the supply-driven model xᵀ = vᵀG (G = (I − B)⁻¹), removing j's row and column of B
    ("forward" hypothetical extraction, Dietzenbacher & Lahr 2013) leaves x̄_Rᵀ = v_Rᵀ(I − B_RR)⁻¹.
    Since x = Gᵀv, this is the demand-side extraction applied to Gᵀ, computed for all j at once with
    the rank-one Schur-complement update (I − B_RR)⁻¹ = G_RR − G_Rj G_jR / G_jj, O(n²) in total.

    Returns wᵀx − wᵀx̄^(j) for each j, shape (n,).

    Examples
    --------
    >>> B = np.array([[0.0, 0.5], [0.0, 0.0]]); G = np.linalg.inv(np.eye(2) - B)
    >>> supply_extraction_losses(G, np.array([10.0, 10.0]), np.array([0.0, 1.0])).tolist()
    [5.0, 15.0]
    """
    return extraction_losses_single(np.ascontiguousarray(G.T), v, weights)


def chokepoint_score(components: Array, weights: Array) -> tuple[Array, Array]:
    """Weighted geometric mean of max-normalised components.

    score_j = Π_k (c_kj / max_i c_ki)^{w_k}, with Σ_k w_k = 1, so score ∈ [0, 1]; a candidate
    scores high only when it is high on every component. A component whose maximum is 0 is
    normalised to 0 for all. NaN components (unknown) count as 0, so such a candidate scores 0;
    callers document this (e.g. :func:`chainatlas.chains.semiconductor.chokepoint_inputs`).

    Parameters
    ----------
    components : ndarray, shape (K, m)
        Non-negative components (rows) of m candidates.
    weights : ndarray, shape (K,)
        Non-negative weights summing to 1.

    Returns
    -------
    score : ndarray, shape (m,)
    normalised : ndarray, shape (K, m)

    Examples
    --------
    >>> s, _ = chokepoint_score(np.array([[1.0, 0.5], [0.2, 0.4]]), np.array([0.5, 0.5]))
    >>> np.round(s, 4).tolist()
    [0.7071, 0.7071]
    """
    c = np.clip(np.nan_to_num(components, nan=0.0), 0.0, None)
    mx = c.max(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        norm = np.where(mx > 0, c / np.where(mx > 0, mx, 1.0), 0.0)
        logs = np.where(norm > 0, np.log(np.where(norm > 0, norm, 1.0)), -np.inf)
        wl = np.where(weights[:, None] > 0, weights[:, None] * logs, 0.0)
    score = np.exp(wl.sum(axis=0))
    return score, norm


def foreign_concentration(
    X: Array, focus: int, *, aggregate: NDArray[np.bool_] | None = None
) -> tuple[Array, Array, Array, Array]:
    """Concentration of a sector's supply among economies other than the focus economy.

    Parameters
    ----------
    X : ndarray, shape (n_regions, n_sectors)
        Amount of each sector supplied by each economy (world output, or the focus economy's
        imports by origin — then the focus row is 0 or ignored).
    focus : int
        Row of the focus economy; it is left out of numerator and denominator.
    aggregate : bool ndarray, shape (n_regions,), optional
        Rows that are aggregates of many economies (rest of the world).

    Returns
    -------
    hhi : (n_sectors,)
        Σ_{r≠focus, r not aggregate} s_rp² with s_rp = X_rp / Σ_{r≠focus} X_rp: the aggregate stays
        in the denominator but its own squared share is omitted (a lower bound, exact when the
        aggregate is spread over many small suppliers). NaN where the foreign total is 0.
    hhi_aggregate_as_one : (n_sectors,)
        The same with the aggregate counted as one supplier (an upper bound).
    top1 : (n_sectors,)
        Largest share of a single (non-aggregate) foreign economy.
    aggregate_share : (n_sectors,)
        Share of the aggregate rows in the foreign total.

    Examples
    --------
    >>> X = np.array([[6.0, 1.0], [3.0, 1.0], [1.0, 2.0]])
    >>> h, h1, top, rest = foreign_concentration(X, 0, aggregate=np.array([False, False, True]))
    >>> np.round(h, 4).tolist(), np.round(h1, 4).tolist(), np.round(rest, 4).tolist()
    ([0.5625, 0.1111], [0.625, 0.5556], [0.25, 0.6667])
    """
    keep = np.ones(X.shape[0], dtype=bool)
    keep[focus] = False
    F = X[keep]
    agg = np.zeros(X.shape[0], dtype=bool) if aggregate is None else np.asarray(aggregate, bool)
    agg = agg[keep]
    tot = F.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        sh = F / tot[None, :]
    named = np.where(agg[:, None], 0.0, sh)
    hhi = (named**2).sum(axis=0)
    hhi_one = (sh**2).sum(axis=0)
    rest = np.where(agg[:, None], sh, 0.0).sum(axis=0)
    bad = ~(tot > 0)
    return (
        np.where(bad, np.nan, hhi),
        np.where(bad, np.nan, hhi_one),
        np.where(bad, np.nan, named.max(axis=0, initial=0.0)),
        np.where(bad, np.nan, rest),
    )
