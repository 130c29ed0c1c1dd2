"""Input–output kernels (投入产出计算内核), in Miller & Blair (2009) notation.

All functions take and return numpy arrays. Shapes: ``Z`` and ``A`` are (n, n), ``x`` and ``f``
are (n,). Units are those of the inputs (e.g. 10,000 yuan); coefficients are unit-free.

References
----------
Miller, R. E. and Blair, P. D. (2009), *Input–Output Analysis: Foundations and Extensions*,
2nd ed., Cambridge University Press (cited as M&B with equation numbers).
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from chainatlas.errors import (
    DegenerateError,
    IllConditionedWarning,
    InputError,
    NonFiniteError,
    NonProductiveError,
    NotCoefficientsError,
    SingularMatrixError,
)
from chainatlas.validation import validate_params

Array = NDArray[np.float64]
LU = tuple[Array, NDArray[np.int32]]

__all__ = [
    "technical_coefficients",
    "allocation_coefficients",
    "leontief_lu",
    "check_coefficients",
    "condition_number",
    "COND_WARN",
    "leontief_inverse",
    "ghosh_inverse_from_leontief",
    "ghosh_inverse",
    "output_multipliers",
    "input_multipliers",
    "solve_output",
    "spectral_radius",
    "check_productive",
    "extraction_reduced_output",
    "extraction_losses_single",
    "backward_extraction_losses_single",
    "forward_extraction_losses_single",
    "ghosh_row_sums",
    "rasmussen_index",
    "upstreamness",
    "downstreamness",
]


def technical_coefficients(Z: Array, x: Array) -> Array:
    """A = Z x̂⁻¹ (M&B eq. 2.4): input of i per unit of output of j.

    Parameters
    ----------
    Z : ndarray, shape (n, n)
        Intermediate transactions.
    x : ndarray, shape (n,)
        Gross output, all > 0 (checked by the caller).

    Examples
    --------
    >>> Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    >>> technical_coefficients(Z, np.array([1000.0, 2000.0]))
    array([[0.15, 0.25],
           [0.2 , 0.05]])
    """
    return Z / x[np.newaxis, :]


def allocation_coefficients(Z: Array, x: Array) -> Array:
    """B = x̂⁻¹ Z (M&B eq. 12.7): share of i's output sold to j.

    Examples
    --------
    >>> Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    >>> allocation_coefficients(Z, np.array([1000.0, 2000.0]))
    array([[0.15, 0.5 ],
           [0.1 , 0.05]])
    """
    return Z / x[:, np.newaxis]


#: condition number of (I − A) above which a warning is given (about 8 of 16 digits lost)
COND_WARN = 1e8


def check_coefficients(A: Array) -> None:
    """Raise unless `A` is a coefficient matrix: finite, non-negative, every column sum < 1.

    Raises
    ------
    NotCoefficientsError
        Negative entries or a column sum ≥ 1 (the message names the first positions).
    NonFiniteError
        NaN or infinite entries.
    """
    if not np.isfinite(A).all():
        bad = np.argwhere(~np.isfinite(A))[:5].tolist()
        raise NonFiniteError(
            "A has NaN or infinite entries", received=f"positions {bad}", fix="clean the input"
        )
    neg = A < 0
    if neg.any():
        where = np.argwhere(neg)[:5].tolist()
        raise NotCoefficientsError(
            f"A has {int(neg.sum())} negative entries, so it is not a coefficient matrix",
            received=f"positions (row, column) {where}",
            fix="pass Z and x to IOTable (which states its negative-flow policy), or pass "
            "check='productive' if negative coefficients are intended",
        )
    colsums = A.sum(axis=0)
    over = np.flatnonzero(colsums >= 1.0)
    if over.size:
        raise NotCoefficientsError(
            f"{over.size} columns of A sum to 1 or more (inputs cost at least the output)",
            received=f"columns {over[:5].tolist()} with sums {np.round(colsums[over[:5]], 6).tolist()}",
            fix="check units and gross output, or pass check='productive' when negative value "
            "added is intended (the spectral radius is then checked instead)",
        )


@validate_params
def leontief_lu(
    A: Array, *, check: Literal["coefficients", "productive", "none"] = "coefficients"
) -> LU:
    """LU factorisation of (I − A), reused for every solve with the same A.

    Parameters
    ----------
    A : ndarray, shape (n, n)
        Technical coefficients.
    check : {"coefficients", "productive", "none"}, default "coefficients"
        What is checked before factorising: that `A` is a coefficient matrix (non-negative,
        column sums < 1, which implies ρ(A) < 1); only that it is productive (ρ(A) < 1, M&B
        §2.3), for tables whose documented policy allows negative coefficients; or nothing (the
        caller has checked). After factorising, the 1-norm condition number of (I − A) is
        estimated (LAPACK ``gecon``, O(n²)) and an :class:`IllConditionedWarning` is given
        above :data:`COND_WARN`, even when ρ(A) < 1.

    Raises
    ------
    NotCoefficientsError
        ``check="coefficients"`` and `A` has negative entries or a column sum ≥ 1.
    NonProductiveError
        ``check="productive"`` and ρ(A) ≥ 1.
    SingularMatrixError
        If (I − A) is exactly singular (a zero pivot).

    Examples
    --------
    >>> leontief_lu(np.array([[0.5, -0.1], [0.2, 0.3]]))
    Traceback (most recent call last):
    ...
    chainatlas.errors.NotCoefficientsError: A has 1 negative entries, so it is not a coefficient matrix; received: 'positions (row, column) [[0, 1]]'; fix: pass Z and x to IOTable (which states its negative-flow policy), or pass check='productive' if negative coefficients are intended
    """
    if check not in ("coefficients", "productive", "none"):
        raise InputError(
            f"unknown check {check!r} for leontief_lu()",
            received=check,
            fix="use one of 'coefficients', 'productive', 'none'",
        )
    if check == "coefficients":
        check_coefficients(A)
    elif check == "productive":
        check_productive(A)
    n = A.shape[0]
    M = np.eye(n, order="F")  # Fortran order: LAPACK factors it in place, no copy
    M -= A
    anorm = float(np.abs(M).sum(axis=0).max()) if n else 0.0
    lu, piv = sla.lu_factor(M, check_finite=False, overwrite_a=True)
    diag = np.abs(np.diag(lu))
    scale = max(float(lu.max()), -float(lu.min()), 1.0)  # max |entry| without a temporary
    if diag.size and float(diag.min()) <= scale * np.finfo(float).eps * n:
        raise SingularMatrixError(
            "(I − A) is singular",
            received=f"smallest LU pivot {float(diag.min()):.3e} at position {int(diag.argmin())}",
            fix="check for a sector whose inputs equal its whole output (column sum of A = 1) "
            "or a closed loop of sectors with no value added",
        )
    if n:
        _warn_condition(lu, anorm)
    return lu, piv


def condition_number(lu: Array, anorm: float) -> float:
    """Estimated 1-norm condition number of a matrix from its LU factor (LAPACK ``gecon``)."""
    (gecon,) = sla.get_lapack_funcs(("gecon",), (lu,))
    rcond, info = gecon(lu, anorm, norm="1")
    return float("inf") if rcond == 0 or info != 0 else 1.0 / float(rcond)


def _warn_condition(lu: Array, anorm: float) -> None:
    cond = condition_number(lu, anorm)
    if cond > COND_WARN:
        warnings.warn(
            f"(I − A) is ill-conditioned: estimated condition number {cond:.3e} (1-norm); "
            f"results may have lost about {int(np.log10(cond))} of 16 significant digits even "
            "though A is productive. Check for near-closed loops of sectors with almost no value "
            "added or imports",
            IllConditionedWarning,
            stacklevel=3,
        )


def leontief_inverse(A: Array, *, lu: LU | None = None) -> Array:
    """L = (I − A)⁻¹ (M&B eq. 2.10), by LU solve against the identity.

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.2, 0.05]])
    >>> np.round(leontief_inverse(A), 6)
    array([[1.254125, 0.330033],
           [0.264026, 1.122112]])
    """
    lu = lu if lu is not None else leontief_lu(A)
    eye = np.eye(A.shape[0], order="F")  # Fortran order: solved in place (overwrite_b)
    return sla.lu_solve(lu, eye, check_finite=False, overwrite_b=True)


def ghosh_inverse_from_leontief(L: Array, x: Array) -> Array:
    """G = x̂⁻¹ L x̂ (M&B eq. 12.10), which equals (I − B)⁻¹ without a second inversion.

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.2, 0.05]])
    >>> x = np.array([1000.0, 2000.0])
    >>> G = ghosh_inverse_from_leontief(leontief_inverse(A), x)
    >>> B = allocation_coefficients(A * x, x)
    >>> bool(np.allclose(G, np.linalg.inv(np.eye(2) - B)))
    True
    """
    G = L * x[np.newaxis, :]
    G /= x[:, np.newaxis]
    return G


def ghosh_inverse(B: Array) -> Array:
    """G = (I − B)⁻¹ from B directly (use when x is not at hand)."""
    return leontief_inverse(B)


def output_multipliers(A: Array, *, lu: LU | None = None) -> Array:
    """Simple output multipliers m = 1ᵀ L (M&B eq. 6.6), without forming L.

    Solves (I − A)ᵀ m = 1 with one LU factorisation.

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.2, 0.05]])
    >>> np.round(output_multipliers(A), 6)
    array([1.518152, 1.452145])
    """
    return input_multipliers(A, np.ones(A.shape[0]), lu=lu)


def input_multipliers(A: Array, coefficients: Array, *, lu: LU | None = None) -> Array:
    """Multipliers cᵀ L for a coefficient row c (value added, employment, imports per unit output).

    Solves (I − A)ᵀ m = c (M&B §6.3); ``coefficients`` may be (n,) or (k, n) for k rows.
    """
    lu = lu if lu is not None else leontief_lu(A)
    c = np.asarray(coefficients, dtype=float)
    if c.ndim == 1:
        return sla.lu_solve(lu, c, trans=1, check_finite=False)
    return sla.lu_solve(lu, c.T, trans=1, check_finite=False).T


def solve_output(A: Array, f: Array, *, lu: LU | None = None) -> Array:
    """x = L f (M&B eq. 2.11) by LU solve; ``f`` may be (n,) or (n, k)."""
    lu = lu if lu is not None else leontief_lu(A)
    return sla.lu_solve(lu, f, check_finite=False)


def spectral_radius(A: Array) -> float:
    """Spectral radius ρ(A) (largest |eigenvalue|).

    For a non-negative A the max column sum bounds ρ(A) from above, so the eigen-solve runs only
    when that bound is ≥ 1.
    """
    if A.size == 0:
        return 0.0
    if (A >= 0).all():
        bound = min(float(A.sum(axis=0).max()), float(A.sum(axis=1).max()))
        if bound < 1.0:
            return float(np.abs(np.linalg.eigvals(A)).max()) if A.shape[0] <= 400 else bound
    n = A.shape[0]
    if n <= 400:
        return float(np.abs(np.linalg.eigvals(A)).max())
    from scipy.sparse.linalg import eigs

    vals = eigs(A, k=1, which="LM", return_eigenvectors=False, maxiter=n * 20)
    return float(np.abs(vals).max())


def check_productive(A: Array) -> None:
    """Raise unless A is productive (ρ(A) < 1), M&B §2.3 (Hawkins–Simon).

    Cheap when every column sum of a non-negative A is below 1 (the usual case).

    Raises
    ------
    NonProductiveError
        If ρ(A) ≥ 1.
    """
    if A.size and (A >= 0).all() and float(A.sum(axis=0).max()) < 1.0:
        return
    rho = spectral_radius(A)
    if rho >= 1.0:
        colsums = A.sum(axis=0)
        worst = int(np.argmax(colsums))
        raise NonProductiveError(
            f"(I − A) is not productive: spectral radius of A is {rho:.6f} ≥ 1",
            received=f"largest column sum of A is {colsums[worst]:.6f} at position {worst}",
            fix="check units and gross output: inputs must cost less than the output they make",
        )


def extraction_reduced_output(L: Array, f: Array, extracted: NDArray[np.intp]) -> Array:
    """Output of the remaining sectors after complete hypothetical extraction (M&B §12.2.1).

    Removes rows and columns ``extracted`` (the set S) from A and their final demand, and returns
    x̄_R = (I − A_RR)⁻¹ f_R for the remaining set R, using the block-inverse (Schur complement)
    identity (I − A_RR)⁻¹ = L_RR − L_RS L_SS⁻¹ L_SR, at O(n·|S| + |S|³) cost given L.

    Parameters
    ----------
    L : ndarray, shape (n, n)
        Leontief inverse of the full table.
    f : ndarray, shape (n,)
        Final demand.
    extracted : ndarray of int
        Indices of the extracted sectors S.

    Returns
    -------
    ndarray, shape (n,)
        x̄ with zeros at the extracted positions.

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.2, 0.05]])
    >>> L = leontief_inverse(A)
    >>> np.round(extraction_reduced_output(L, np.array([350.0, 1700.0]), np.array([0])), 4)
    array([   0.    , 1789.4737])
    """
    n = L.shape[0]
    S = np.asarray(extracted, dtype=np.intp)
    mask = np.ones(n, dtype=bool)
    mask[S] = False
    R = np.flatnonzero(mask)
    f_R = f[R]
    L_SR_f = L[np.ix_(S, R)] @ f_R
    try:
        corr = np.linalg.solve(L[np.ix_(S, S)], L_SR_f)
    except np.linalg.LinAlgError as err:
        raise SingularMatrixError(
            "L_SS is singular in the extraction update", received=S.tolist()
        ) from err
    out = np.zeros(n)
    out[R] = L[np.ix_(R, R)] @ f_R - L[np.ix_(R, S)] @ corr
    return out


def extraction_losses_single(L: Array, f: Array, weights: Array | None = None) -> Array:
    """Loss of (weighted) total output when each sector j alone is extracted, for all j at once.

    For S = {j}: 1ᵀx̄ = wᵀ L f − w_j (L f)_j − (wᵀL_{:,j} − w_j L_jj)(L_{j,:} f − L_jj f_j)/L_jj
    − ... ; computed in O(n²) with no per-sector solve (M&B §12.2.1, rank-one Schur update).

    Parameters
    ----------
    L : ndarray, shape (n, n)
    f : ndarray, shape (n,)
    weights : ndarray, shape (n,), optional
        Weights w on output (default ones: total output). Use an indicator to count only one
        region's output in a multi-region table.

    Returns
    -------
    ndarray, shape (n,)
        wᵀx − wᵀx̄^(j) for each j: the output lost, including sector j's own output.

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.2, 0.05]])
    >>> L = leontief_inverse(A)
    >>> np.round(extraction_losses_single(L, np.array([350.0, 1700.0])), 4)
    array([1210.5263, 2588.2353])
    """
    n = L.shape[0]
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    x = L @ f
    d = np.diag(L).copy()
    # wᵀ x̄ over R = wᵀ(L_RR f_R) − (wᵀ L_Rj)(L_jR f_R)/L_jj, with R = all but j.
    # wᵀ L f_R  = wᵀx − (wᵀL)_j f_j ;   remove row j: subtract w_j (L f_R)_j
    wL = w @ L  # (n,)
    Lf = x  # (n,)
    # L_{R,R} f_R summed with w_R:  wᵀ L f − wL_j f_j − w_j (Lf_j − L_jj f_j)
    term1 = w @ x - wL * f - w * (Lf - d * f)
    # (wᵀ L_{R,j}) = wL_j − w_j L_jj ;  (L_{j,R} f_R) = Lf_j − L_jj f_j
    term2 = (wL - w * d) * (Lf - d * f) / d
    reduced = term1 - term2
    return w @ x - reduced


# ---------------------------------------------------------------------- linkages and positions
def backward_extraction_losses_single(L: Array, A: Array, x: Array) -> Array:
    """Output loss when each sector j alone stops buying inputs from the other sectors
    (backward extraction: A_{R,j} = 0; Dietzenbacher & van der Linden 1997), for all j at once.

    With u = A_{:,j} less its diagonal entry, (I − A + u e_jᵀ)⁻¹ f = x − L u x_j / (1 + (L u)_j)
    (Sherman–Morrison), so the loss 1ᵀ(x − x̄) is (1ᵀL u) x_j / (1 + (L u)_j): one matrix product
    L·A_off for all sectors, no per-sector solve.

    Parameters
    ----------
    L : ndarray, shape (n, n)
        Leontief inverse.
    A : ndarray, shape (n, n)
        Technical coefficients.
    x : ndarray, shape (n,)
        Gross output (= L f).

    Returns
    -------
    ndarray, shape (n,)
        Total output lost, in the unit of x.
    """
    off = A.copy()
    np.fill_diagonal(off, 0.0)
    LU_ = L @ off
    return LU_.sum(axis=0) * x / (1.0 + np.diag(LU_))


def forward_extraction_losses_single(G: Array, B: Array, x: Array) -> Array:
    """Output loss when each sector j alone stops selling inputs to the other sectors, in the
    supply-driven (Ghosh) model (forward extraction: B_{j,R} = 0; Dietzenbacher & van der Linden
    1997), for all j at once.

    With w = B_{j,:} less its diagonal entry, x̄ᵀ = vᵀ(I − B + e_j wᵀ)⁻¹ = xᵀ − x_j wᵀG / (1 + (wᵀG)_j),
    so the loss is x_j (wᵀG 1) / (1 + (wᵀG)_j).

    Parameters
    ----------
    G : ndarray, shape (n, n)
        Ghosh inverse (I − B)⁻¹.
    B : ndarray, shape (n, n)
        Allocation coefficients.
    x : ndarray, shape (n,)
        Gross output (xᵀ = vᵀG).

    Returns
    -------
    ndarray, shape (n,)
        Total output lost, in the unit of x.
    """
    off = B.copy()
    np.fill_diagonal(off, 0.0)
    WG = off @ G
    return x * WG.sum(axis=1) / (1.0 + np.diag(WG))


def ghosh_row_sums(A: Array, x: Array, *, lu: LU | None = None) -> Array:
    """Row sums of the Ghosh inverse, G·1 = x̂⁻¹ L x (M&B eq. 12.10), without forming L or G.

    Solves (I − A) y = x once; the result is y / x. This is the total forward linkage of
    M&B §12.2 and the closed-economy upstreamness of Antràs et al. (2012).

    Parameters
    ----------
    A : ndarray, shape (n, n)
        Technical coefficients.
    x : ndarray, shape (n,)
        Gross output, all > 0.

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.2, 0.05]])
    >>> np.round(ghosh_row_sums(A, np.array([1000.0, 2000.0])), 6)
    array([1.914191, 1.254125])
    """
    lu = lu if lu is not None else leontief_lu(A)
    return sla.lu_solve(lu, x, check_finite=False) / x


def rasmussen_index(values: Array) -> Array:
    """Normalise linkages by their mean (Rasmussen 1956; M&B eq. 12.3): n·u / Σu.

    Examples
    --------
    >>> rasmussen_index(np.array([1.0, 3.0]))
    array([0.5, 1.5])
    """
    mean = float(values.mean())
    if not np.isfinite(mean) or mean == 0.0:
        raise DegenerateError("linkages have a zero or non-finite mean", received=mean)
    return values / mean


def upstreamness(
    Z: Array,
    x: Array,
    *,
    exports: Array | None = None,
    imports: Array | None = None,
    inventories: Array | None = None,
) -> Array:
    """Upstreamness U = (I − Δ)⁻¹ 1 of Antràs, Chor, Fally & Hillberry (2012), by one LU solve.

    Δ_ij = Z_ij / (x_i − X_i + M_i − N_i): the share of the economy's absorption of product i
    used as an input by industry j. With no exports X, imports M or inventory changes N this is
    B = x̂⁻¹Z and U = G·1 (Miller & Temurshoev 2017). U ≥ 1; U = 1 for a product that goes only to
    final use.

    Parameters
    ----------
    Z : ndarray, shape (n, n)
        Intermediate use of each product (domestic plus imported in an open economy).
    x : ndarray, shape (n,)
        Gross output.
    exports, imports, inventories : ndarray, shape (n,), optional
        Exports X, imports M and changes in inventories N of each product (zeros when omitted).

    Raises
    ------
    DegenerateError
        If a product's absorption x − X + M − N is ≤ 0 while it is used as an input.
    NonProductiveError
        If ρ(Δ) ≥ 1.

    Examples
    --------
    >>> Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    >>> np.round(upstreamness(Z, np.array([1000.0, 2000.0])), 6)
    array([1.914191, 1.254125])
    """
    n = x.shape[0]
    absorption = x.astype(float).copy()
    if exports is not None:
        absorption -= exports
    if imports is not None:
        absorption += imports
    if inventories is not None:
        absorption -= inventories
    used = Z.sum(axis=1) != 0
    bad = (absorption <= 0) & used
    if bad.any():
        where = np.flatnonzero(bad)
        raise DegenerateError(
            "upstreamness undefined: absorption x − X + M − N is ≤ 0 for a product used as input",
            received=f"positions {where[:10].tolist()}, absorption {absorption[where[:5]].tolist()}",
            fix="check exports, imports and inventory columns, or use open_economy=False",
        )
    safe = np.where(absorption > 0, absorption, 1.0)
    delta = Z / safe[:, np.newaxis]
    if n and float(np.abs(delta).sum(axis=1).max()) >= 1.0:
        rho = spectral_radius(delta)
        if rho >= 1.0:
            raise NonProductiveError(
                f"upstreamness undefined: spectral radius of Δ is {rho:.6f} ≥ 1",
                received=f"largest row sum of Δ {float(delta.sum(axis=1).max()):.6f}",
                fix="check exports, imports and inventories against gross output",
            )
    M = np.eye(n) - delta
    lu = sla.lu_factor(M, check_finite=False, overwrite_a=True)
    return sla.lu_solve(lu, np.ones(n), check_finite=False)


def downstreamness(Z: Array, x: Array, *, inventories: Array | None = None) -> Array:
    """Downstreamness D = 1ᵀ(I − Ã)⁻¹ with the net-inventory correction of Antràs & Chor (2018).

    Ã = diag(x / (x − N)) Z x̂⁻¹: each product's sales are scaled up by x_i / (x_i − N_i), as if
    output net of inventory changes N went to current users only (the correction upstreamness
    uses, Antràs, Chor, Fally & Hillberry 2012). With N = 0 this is A and D = 1ᵀL, the output
    multipliers (Miller & Temurshoev 2017's input downstreamness). Zero-output columns of Ã are 0
    (their D is 1; callers mark them NaN).

    Parameters
    ----------
    Z : ndarray, shape (n, n)
        Intermediate use.
    x : ndarray, shape (n,)
        Gross output (≥ 0).
    inventories : ndarray, shape (n,), optional
        Changes in inventories N of each product (zeros when omitted).

    Raises
    ------
    DegenerateError
        If x − N ≤ 0 for a product with output and intermediate sales.
    NonProductiveError
        If ρ(Ã) ≥ 1.

    Examples
    --------
    >>> Z = np.array([[150.0, 500.0], [200.0, 100.0]]); x = np.array([1000.0, 2000.0])
    >>> np.round(downstreamness(Z, x), 6)
    array([1.518152, 1.452145])
    >>> np.round(downstreamness(Z, x, inventories=np.array([100.0, 0.0])), 6)
    array([1.562264, 1.509434])
    """
    x = np.asarray(x, dtype=float)
    factor = np.ones_like(x)
    if inventories is not None:
        net = x - inventories
        used = (Z.sum(axis=1) != 0) & (x > 0)
        bad = (net <= 0) & used
        if bad.any():
            where = np.flatnonzero(bad)
            raise DegenerateError(
                "downstreamness undefined: output net of inventory changes x − N is ≤ 0 for a "
                "product sold as an input",
                received=f"positions {where[:10].tolist()}, x − N {net[where[:5]].tolist()}",
                fix="check the inventory column, or use the plain variant (no correction)",
            )
        factor = np.where((x > 0) & (net > 0), x / np.where(net > 0, net, 1.0), 1.0)
    xs = np.where(x > 0, x, 1.0)
    at = factor[:, None] * Z / xs[None, :]
    at[:, x == 0] = 0.0
    check_productive(at)
    return output_multipliers(at)
