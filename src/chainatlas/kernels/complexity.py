"""Economic-complexity kernels (经济复杂度计算内核): RCA, Mcp, ECI/PCI, proximity, density, COG.

All functions take and return numpy arrays (``M`` may also be a ``scipy.sparse`` matrix where
noted). Shapes: ``X``, ``R`` and ``M`` are (c, p) — c locations × p products; ``phi`` is (p, p).

Notation follows Hidalgo & Hausmann (2009) and the Atlas of Economic Complexity (Hausmann et al.
2014): ``k_c,0`` diversity, ``k_p,0`` ubiquity, ECI/PCI the standardised second eigenvectors of
``M̃^C = D⁻¹ M U⁻¹ Mᵀ`` and ``M̃^P = U⁻¹ Mᵀ D⁻¹ M``, with ``D = diag(diversity)`` and
``U = diag(ubiquity)``.

The eigenvector is never taken from a dense general (non-symmetric) eigen-decomposition of a
product × product matrix: ``M̃^C`` is similar to the symmetric ``S = D^-½ M U⁻¹ Mᵀ D^-½`` (and
``M̃^P`` to ``U^-½ Mᵀ D⁻¹ M U^-½``), which share the non-zero eigenvalues; we decompose the
symmetric matrix on the *smaller* side with ``scipy.linalg.eigh`` (or ``scipy.sparse.linalg.eigsh``
when that side is large) and map the eigenvector across with one sparse product.

References
----------
Balassa, B. (1965), Trade liberalisation and "revealed" comparative advantage, The Manchester
School 33(2): 99–123.
Hidalgo, C. A., Klinger, B., Barabási, A.-L. and Hausmann, R. (2007), The product space conditions
the development of nations, Science 317: 482–487.
Hidalgo, C. A. and Hausmann, R. (2009), The building blocks of economic complexity, PNAS 106(26):
10570–10575.
Hausmann, R., Hidalgo, C. A. et al. (2014), The Atlas of Economic Complexity, MIT Press.
Growth Lab, py-ecomplexity / Stata ``ecomplexity`` (conventions for standardisation, COI, COG).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from chainatlas.errors import DegenerateError

Array = NDArray[np.float64]

__all__ = [
    "EigenResult",
    "rca",
    "rpop",
    "presence",
    "diversity",
    "ubiquity",
    "eci_pci",
    "proximity",
    "density",
    "coi",
    "cog",
    "density_cog",
    "maximum_spanning_tree",
    "FitnessResult",
    "fitness",
    "reflections",
    "knn_density",
]

#: above this size of the smaller side, ECI uses ``eigsh`` (Lanczos) instead of dense ``eigh``
DENSE_EIGH_LIMIT = 3000


class EigenResult(NamedTuple):
    """ECI/PCI with the raw eigenvectors used by COI and COG.

    Attributes
    ----------
    eci : ndarray (c,)
        Standardised ECI: ``(k_c − mean k_c) / std k_c`` (population std, ddof = 0).
    pci : ndarray (p,)
        PCI standardised with ECI's mean and std: ``(k_p − mean k_c) / std k_c`` (Atlas / Stata
        convention; keeps ECI equal to the mean PCI of a location's products up to scale).
    kc : ndarray (c,)
        Raw location eigenvector ``D⁻¹ M k_p`` (sign fixed).
    kp : ndarray (p,)
        Raw product eigenvector, unit Euclidean norm (sign fixed so ECI correlates positively with
        diversity).
    eigenvalue : float
        The second-largest eigenvalue of ``M̃^C`` (and ``M̃^P``).
    """

    eci: Array
    pci: Array
    kc: Array
    kp: Array
    eigenvalue: float


def _dense(M: Array | sp.spmatrix | sp.sparray) -> Array:
    return M.toarray() if sp.issparse(M) else np.asarray(M)


def rca(X: Array) -> Array:
    """Balassa's revealed comparative advantage, ``RCA_cp = (X_cp / X_c) / (X_p / X)``.

    Parameters
    ----------
    X : ndarray, shape (c, p)
        Non-negative values (exports, output); every row and column total must be > 0.

    Returns
    -------
    ndarray, shape (c, p)
        Unit-free.

    Raises
    ------
    DegenerateError
        If a row or column total is zero (RCA undefined).

    Examples
    --------
    >>> rca(np.array([[1.0, 1.0], [0.0, 2.0]]))
    array([[2.        , 0.66666667],
           [0.        , 1.33333333]])
    """
    X = np.asarray(X, dtype=np.float64)
    rows = X.sum(axis=1)
    cols = X.sum(axis=0)
    if np.any(rows <= 0) or np.any(cols <= 0):
        raise DegenerateError(
            "RCA is undefined for a location or product with a zero total",
            received={"zero rows": int((rows <= 0).sum()), "zero columns": int((cols <= 0).sum())},
            fix="drop empty locations and products first",
        )
    total = rows.sum()
    return (X / rows[:, None]) * (total / cols)[None, :]


def rpop(X: Array, population: Array) -> Array:
    """Population-based RCA, ``RPOP_cp = (X_cp / pop_c) / (X_p / Σ pop)``.

    Parameters
    ----------
    X : ndarray, shape (c, p)
    population : ndarray, shape (c,), all > 0

    Examples
    --------
    >>> rpop(np.array([[1.0, 3.0], [1.0, 1.0]]), np.array([1.0, 3.0]))
    array([[2.        , 3.        ],
           [0.66666667, 0.33333333]])
    """
    X = np.asarray(X, dtype=np.float64)
    pop = np.asarray(population, dtype=np.float64)
    cols = X.sum(axis=0)
    if np.any(cols <= 0) or np.any(pop <= 0):
        raise DegenerateError(
            "RPOP is undefined for a product with zero total or a location with population ≤ 0",
            fix="drop empty products and locations without population",
        )
    return (X / pop[:, None]) * (pop.sum() / cols)[None, :]


def presence(R: Array, threshold: float = 1.0) -> Array:
    """Mcp = 1 where ``R ≥ threshold`` else 0 (float array; NaN counts as 0).

    Examples
    --------
    >>> presence(np.array([[1.0, 0.5]]))
    array([[1., 0.]])
    """
    R = np.asarray(R)
    with np.errstate(invalid="ignore"):
        return (R >= threshold).astype(np.float64)


def diversity(M: Array | sp.spmatrix) -> Array:
    """Diversity ``k_c,0 = Σ_p M_cp``, shape (c,)."""
    return np.asarray(M.sum(axis=1), dtype=np.float64).ravel()


def ubiquity(M: Array | sp.spmatrix) -> Array:
    """Ubiquity ``k_p,0 = Σ_c M_cp``, shape (p,)."""
    return np.asarray(M.sum(axis=0), dtype=np.float64).ravel()


def _check_eci_input(M: Array | sp.spmatrix, d: Array, u: Array) -> None:
    c, p = M.shape
    if c < 2:
        raise DegenerateError(
            "ECI is undefined for a single location (its standard deviation is zero)",
            received={"locations": c, "products": p},
            fix="pass at least two locations",
        )
    if p < 2:
        raise DegenerateError(
            "ECI is undefined for a single product", received={"products": p}, fix="pass more"
        )
    if np.any(d == 0) or np.any(u == 0):
        raise DegenerateError(
            "ECI is undefined with a location of zero diversity or a product of zero ubiquity",
            received={"zero diversity": int((d == 0).sum()), "zero ubiquity": int((u == 0).sum())},
            fix="drop them first (the labelled layer does so with zeros='drop')",
        )
    if np.all(u == c):
        raise DegenerateError(
            "ECI is undefined when every product is ubiquitous (Mcp is all ones): all locations "
            "look alike",
            received={"locations": c, "products": p},
            fix="check the RCA threshold or the data",
        )
    graph = sp.bmat([[None, sp.csr_matrix(M)], [sp.csr_matrix(M).T, None]], format="csr")
    n_comp, labels = csgraph.connected_components(graph, directed=False)
    if n_comp > 1:
        sizes = np.bincount(labels[:c], minlength=n_comp)
        raise DegenerateError(
            "ECI is undefined for a disconnected location–product (bipartite) graph: the leading "
            "eigenvalue 1 is repeated and the eigenvector only separates the components",
            received={"components": int(n_comp), "locations per component": sizes.tolist()},
            fix="analyse each connected group of locations separately, or lower the RCA threshold",
        )


def eci_pci(M: Array | sp.spmatrix, *, tol: float = 1e-10) -> EigenResult:
    """ECI and PCI by the eigenvector method (Hidalgo & Hausmann 2009; Atlas 2014).

    Parameters
    ----------
    M : ndarray or sparse matrix, shape (c, p)
        Binary Mcp; every location has diversity > 0 and every product ubiquity > 0.
    tol : float
        Gap below which the second eigenvalue is treated as equal to the first (degenerate).

    Returns
    -------
    EigenResult
        ``eci`` (c,), ``pci`` (p,), raw ``kc``, ``kp`` and the eigenvalue; see
        :class:`EigenResult` for the standardisation (matches py-ecomplexity and Stata).

    Raises
    ------
    DegenerateError
        A single location or product, zero diversity/ubiquity, every product ubiquitous, a
        disconnected bipartite graph, or a repeated second eigenvalue, for which ECI is undefined.

    Notes
    -----
    The symmetric matrix on the smaller side is decomposed (``eigh``, or ``eigsh`` above
    :data:`DENSE_EIGH_LIMIT`), never a dense non-symmetric product × product matrix.

    Examples
    --------
    >>> M = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0.]])
    >>> np.round(eci_pci(M).eci, 4) + 0.0
    array([ 1.2247,  0.    , -1.2247])
    """
    Ms = sp.csr_matrix(M, dtype=np.float64) if sp.issparse(M) else None
    Md = None if Ms is not None else np.asarray(M, dtype=np.float64)
    Mx = Ms if Ms is not None else Md
    d = diversity(Mx)
    u = ubiquity(Mx)
    _check_eci_input(Mx, d, u)
    c, p = Mx.shape
    # B = D^-1/2 M U^-1/2; S = B Bᵀ (c × c) or Bᵀ B (p × p), whichever side is smaller
    rd, ru = 1.0 / np.sqrt(d), 1.0 / np.sqrt(u)
    if Ms is not None:
        B = (sp.diags(rd) @ Ms @ sp.diags(ru)).tocsr()
    else:
        B = Md * rd[:, None] * ru[None, :]
    A = B if c <= p else B.T
    n = A.shape[0]
    if n <= DENSE_EIGH_LIMIT:
        S = A @ A.T
        S = S.toarray() if sp.issparse(S) else S
        # numpy's LAPACK, not scipy's: numpy and scipy ship separate OpenBLAS thread pools, and
        # switching between them right after numpy's matrix products costs ~0.1 s per call
        vals, vecs = np.linalg.eigh(S)
        lam1, lam2 = vals[-1], vals[-2]
        w = vecs[:, -2]
    else:
        op = spla.LinearOperator((n, n), matvec=lambda x: A @ (A.T @ x), dtype=np.float64)
        vals, vecs = spla.eigsh(op, k=2, which="LA", tol=1e-12)
        order = np.argsort(vals)
        lam1, lam2 = vals[order[1]], vals[order[0]]
        w = vecs[:, order[0]]
    if lam1 - lam2 < tol:
        raise DegenerateError(
            "ECI is undefined: the second eigenvalue equals the first (disconnected or "
            "block-structured Mcp)",
            received={"eigenvalues": [float(lam1), float(lam2)]},
            fix="analyse connected groups separately",
        )
    if c <= p:
        kc0 = w / np.sqrt(d)
        kp = np.asarray(Mx.T @ kc0).ravel() / u
    else:
        kp = w / np.sqrt(u)
    kp = kp / np.linalg.norm(kp)
    kc = np.asarray(Mx @ kp).ravel() / d
    sd = kc.std()
    if not np.isfinite(sd) or sd <= 1e-12 * max(1.0, float(np.abs(kc).max())):
        raise DegenerateError(
            "ECI is undefined: the eigenvector is constant across locations",
            received={"eigenvalue": float(lam2)},
            fix="check that locations differ in the products they export",
        )
    dc = d - d.mean()
    sign = 1.0 if float(dc @ (kc - kc.mean())) >= 0 else -1.0
    kc = sign * kc
    kp = sign * kp
    mean = kc.mean()
    return EigenResult((kc - mean) / sd, (kp - mean) / sd, kc, kp, float(lam2))


def proximity(M: Array | sp.spmatrix, *, diagonal: float = 0.0) -> Array:
    """Product proximity ``φ_pk = min{P(M_p | M_k), P(M_k | M_p)} = Σ_c M_cp M_ck / max(u_p, u_k)``.

    Hidalgo et al. (2007): the minimum of the two conditional probabilities of co-export.

    Parameters
    ----------
    M : ndarray or sparse, shape (c, p), binary; products with zero ubiquity get proximity 0.
    diagonal : float
        Value put on the diagonal: 0 (Stata ``genproximity`` and the Atlas: a product is not its
        own neighbour, default) or 1 (py-ecomplexity, the conditional probability itself).

    Returns
    -------
    ndarray, shape (p, p)
        Symmetric, in [0, 1].

    Examples
    --------
    >>> proximity(np.array([[1, 1.], [1, 0.]]))
    array([[0. , 0.5],
           [0.5, 0. ]])
    """
    u = ubiquity(M)
    if sp.issparse(M):
        Ms = sp.csr_matrix(M, dtype=np.float32)
        co = (Ms.T @ Ms).toarray().astype(np.float64)
    else:
        # co-occurrence counts are small integers: exact in float32, whose GEMM is twice as fast
        M32 = np.asarray(M, dtype=np.float32)
        co = (M32.T @ M32).astype(np.float64)
    inv = np.divide(1.0, u, out=np.zeros_like(u), where=u > 0)
    # divide by max(u_p, u_k): multiply row-wise and column-wise, keep the smaller factor
    np.multiply(co, np.minimum(inv[:, None], inv[None, :]), out=co)
    co[:, u == 0] = 0.0
    co[u == 0, :] = 0.0
    np.fill_diagonal(co, diagonal)
    return co


def density(M: Array | sp.spmatrix, phi: Array) -> Array:
    """Density ``ω_cp = Σ_k M_ck φ_kp / Σ_k φ_kp`` (Hidalgo et al. 2007), shape (c, p).

    Products whose proximities are all zero get density 0.

    Examples
    --------
    >>> density(np.array([[1, 0.]]), np.array([[0, .5], [.5, 0]]))
    array([[0., 1.]])
    """
    colsum = phi.sum(axis=0)
    inv = np.divide(1.0, colsum, out=np.zeros_like(colsum), where=colsum > 0)
    out = np.asarray(M @ phi)
    out *= inv[None, :]
    return out


def coi(dens: Array, M: Array | sp.spmatrix, kp: Array) -> Array:
    """Raw complexity outlook index ``COI_c = Σ_p ω_cp (1 − M_cp) PCI_p``, shape (c,).

    `kp` is the raw (unstandardised, sign-fixed) product eigenvector, as in Stata/py-ecomplexity;
    the labelled layer standardises COI with its own mean and standard deviation.
    """
    Md = _dense(M)
    return ((dens * (1.0 - Md)) @ kp).ravel()


def cog(M: Array | sp.spmatrix, phi: Array, kp: Array) -> Array:
    """Raw complexity outlook gain, shape (c, p).

    ``COG_cp = (1 − M_cp) Σ_k (1 − M_ck) φ_kp PCI_k / Σ_j φ_kj`` (Hausmann et al. 2014), with
    `kp` the raw product eigenvector (the labelled layer divides by ECI's std, as Stata does).
    """
    Md = _dense(M)
    rowsum = phi.sum(axis=1)
    w = np.divide(kp, rowsum, out=np.zeros_like(kp, dtype=np.float64), where=rowsum > 0)
    notM = 1.0 - Md
    return notM * (notM @ (phi * w[:, None]))


def density_cog(M: Array | sp.spmatrix, phi: Array, kp: Array) -> tuple[Array, Array]:
    """Density and raw COG together, with one matrix product ``[M; M ∘ w] φ`` (φ symmetric).

    Uses ``Σ_k (1 − M_ck) φ_kp w_k = (wᵀφ)_p − ((M ∘ w) φ)_cp`` with ``w_k = kp_k / Σ_j φ_kj``;
    equal to :func:`density` and :func:`cog` (which are the literal formulas).

    Returns
    -------
    (density, cog) : ndarrays, shape (c, p)
    """
    Md = _dense(M).astype(np.float64, copy=False)
    c = Md.shape[0]
    rowsum = phi.sum(axis=1)
    inv = np.divide(1.0, rowsum, out=np.zeros_like(rowsum), where=rowsum > 0)
    w = kp * inv
    Y = np.vstack([Md, Md * w[None, :]]) @ phi
    dens = Y[:c]
    dens *= inv[None, :]
    cg = (w @ phi)[None, :] - Y[c:]
    cg *= 1.0 - Md
    return dens, cg


def maximum_spanning_tree(phi: Array) -> tuple[NDArray[np.intp], NDArray[np.intp], Array]:
    """Maximum spanning tree (forest) of a proximity matrix.

    Parameters
    ----------
    phi : ndarray, shape (p, p), symmetric, non-negative; zero means no edge.

    Returns
    -------
    (i, j, weight)
        Edge endpoints (``i < j``) and proximities of the p − (#components) tree edges.

    Examples
    --------
    >>> phi = np.array([[1, .9, .1], [.9, 1, .5], [.1, .5, 1]])
    >>> i, j, w = maximum_spanning_tree(phi)
    >>> sorted(zip(i.tolist(), j.tolist(), w.tolist()))
    [(0, 1, 0.9), (1, 2, 0.5)]
    """
    W = np.triu(np.asarray(phi, dtype=np.float64), k=1)
    mask = W > 0
    # a strictly decreasing positive transform turns the minimum tree into the maximum tree
    D = np.zeros_like(W)
    D[mask] = 2.0 - W[mask]
    T = csgraph.minimum_spanning_tree(sp.csr_matrix(D)).tocoo()
    i = np.minimum(T.row, T.col)
    j = np.maximum(T.row, T.col)
    i, j = i.astype(np.intp), j.astype(np.intp)
    return i, j, W[i, j]


class FitnessResult(NamedTuple):
    """Fitness and product complexity by the Tacchella et al. (2012) map.

    Attributes
    ----------
    fitness : ndarray (c,)
        Country fitness, normalised to mean 1 at every step (R economiccomplexity convention).
    complexity : ndarray (p,)
        Product complexity, normalised to mean 1.
    iterations : int
        Number of iterates computed, counting the all-ones start (R's ``iterations``).
    change : float
        Largest relative change of fitness or complexity over the last step (the convergence
        measure reported to the user; fitness of nested matrices converges slowly).
    """

    fitness: Array
    complexity: Array
    iterations: int
    change: float


def fitness(
    M: Array | sp.spmatrix, *, iterations: int = 20, extremality: float = 1.0
) -> FitnessResult:
    """Fitness–complexity (Tacchella et al. 2012) exactly as R economiccomplexity 2.0 computes it.

    Starting from ``F⁰ = 1``, ``Q⁰ = 1``, for ``j = 1 … iterations − 1`` (both updates use the
    previous iterates, as ``fitness_method_`` in the package's ``src/code.cpp`` does)::

        F^j = M Q^(j−1),                         F^j ← F^j / mean(F^j)
        Q^j = 1 / (Mᵀ (1/F^(j−1))^γ)^(1/γ),     Q^j ← Q^j / mean(Q^j)

    with ``γ`` = `extremality`; the result is the last column (``iterations − 1``).

    Parameters
    ----------
    M : ndarray or sparse, shape (c, p)
        Binary Mcp; every row and column must have at least one 1.
    iterations : int
        Number of iterates including the start (R's default 20; must be ≥ 2).
    extremality : float
        γ > 0 (R's default 1).

    Returns
    -------
    FitnessResult

    Raises
    ------
    DegenerateError
        Empty rows or columns (fitness is undefined there).

    Examples
    --------
    >>> r = fitness(np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0.]]), iterations=4)
    >>> np.round(r.fitness, 4)
    array([2.0233, 0.7442, 0.2326])
    """
    Mx = sp.csr_matrix(M, dtype=np.float64) if sp.issparse(M) else np.asarray(M, dtype=np.float64)
    d, u = diversity(Mx), ubiquity(Mx)
    if np.any(d == 0) or np.any(u == 0):
        raise DegenerateError(
            "fitness is undefined with an empty location row or product column",
            received={"zero rows": int((d == 0).sum()), "zero columns": int((u == 0).sum())},
            fix="drop locations without exports and products without exporters first",
        )
    kx = np.ones(Mx.shape[0])
    ky = np.ones(Mx.shape[1])
    change = np.inf
    for _ in range(1, iterations):
        nkx = np.asarray(Mx @ ky).ravel()
        nkx /= nkx.mean()
        nky = 1.0 / np.asarray(Mx.T @ (1.0 / kx) ** extremality).ravel() ** (1.0 / extremality)
        nky /= nky.mean()
        change = float(max(np.max(np.abs(nkx / kx - 1.0)), np.max(np.abs(nky / ky - 1.0))))
        kx, ky = nkx, nky
    return FitnessResult(kx, ky, int(iterations), change)


def reflections(M: Array | sp.spmatrix, *, iterations: int = 20) -> tuple[Array, Array]:
    """Method of reflections (Hidalgo & Hausmann 2009) exactly as R economiccomplexity 2.0.

    ``k_c,0 = Σ_p M_cp``, ``k_p,0 = Σ_c M_cp``; for ``j = 1 … iterations − 1``:
    ``k_c,j = (M k_p,j−1) / k_c,0`` and ``k_p,j = (Mᵀ k_c,j−1) / k_p,0``. The country index is the
    standardised column ``iterations − 2`` and the product index column ``iterations − 1``
    (both standardised with the sample standard deviation, ddof = 1, as armadillo's
    ``stddev``), matching the package's ``reflections_method_``.

    Parameters
    ----------
    M : ndarray or sparse, shape (c, p)
        Binary Mcp without empty rows or columns.
    iterations : int
        Even number ≥ 4 (R's default 20).

    Returns
    -------
    (eci, pci) : ndarrays (c,), (p,)

    Raises
    ------
    DegenerateError
        Empty rows or columns, or an iterate that is constant (its sd is zero).
    """
    Mx = sp.csr_matrix(M, dtype=np.float64) if sp.issparse(M) else np.asarray(M, dtype=np.float64)
    kc0, kp0 = diversity(Mx), ubiquity(Mx)
    if np.any(kc0 == 0) or np.any(kp0 == 0):
        raise DegenerateError(
            "reflections are undefined with an empty location row or product column",
            fix="drop locations without exports and products without exporters first",
        )
    kc, kp = kc0.copy(), kp0.copy()
    cols_c, cols_p = [kc], [kp]
    for _ in range(1, iterations):
        kc, kp = np.asarray(Mx @ kp).ravel() / kc0, np.asarray(Mx.T @ kc).ravel() / kp0
        cols_c.append(kc)
        cols_p.append(kp)
    x, y = cols_c[iterations - 2], cols_p[iterations - 1]
    sx, sy = x.std(ddof=1), y.std(ddof=1)
    if not (sx > 0 and sy > 0):
        raise DegenerateError(
            "reflections are undefined: the iterate is constant across locations or products",
            fix="check that locations differ in the products they export",
        )
    return (x - x.mean()) / sx, (y - y.mean()) / sy


def knn_density(M: Array | sp.spmatrix, phi: Array, k: int) -> Array:
    """Density over each product's ``k`` nearest neighbours in the product space, shape (c, p).

    ``ω^k_cp = Σ_{j ∈ N_k(p)} M_cj φ_jp / Σ_{j ∈ N_k(p)} φ_jp``, with ``N_k(p)`` the `k` products
    of highest proximity to p (ties broken by product order; p itself excluded). With ``k`` equal
    to the number of other products it is :func:`density` with a zero diagonal (the ``knn``
    option of Stata ``ecomplexity``/py-ecomplexity).

    Examples
    --------
    >>> phi = np.array([[0, .9, .1], [.9, 0, .5], [.1, .5, 0]])
    >>> knn_density(np.array([[1, 0, 0.]]), phi, 1)
    array([[0., 1., 0.]])
    """
    p = phi.shape[0]
    if not 1 <= k < p:
        raise DegenerateError(
            "k must be between 1 and the number of products − 1", received=k, fix="e.g. k=25"
        )
    P = np.array(phi, dtype=np.float64)
    np.fill_diagonal(P, -np.inf)
    # the k largest in each column (neighbours of product p), stable order
    idx = np.argsort(-P, axis=0, kind="stable")[:k]
    W = np.zeros_like(P)
    cols = np.broadcast_to(np.arange(p), idx.shape)
    W[idx, cols] = np.asarray(phi)[idx, cols]
    return density(M, W)
