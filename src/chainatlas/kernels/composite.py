"""Composite-indicator kernels (综合指数内核): normalisation, weighted aggregation, Monte Carlo ranks.

Arrays in, arrays out (no pandas). Conventions follow the OECD/JRC *Handbook on Constructing
Composite Indicators* (2008), steps 5–7, and COINr's defaults:

* ``X`` is units × indicators, already oriented so that **higher is better** (the caller flips
  "lower is better" indicators by negating them); ``NaN`` marks a missing value;
* normalisation per indicator (column), over the observed units only:

  - ``"min-max"``: ``100 (x − min) / (max − min)`` on [0, 100]; with ``positive=True`` (used before
    a geometric mean, which needs strictly positive values) ``1 + 99 (x − min) / (max − min)`` on
    [1, 100];
  - ``"z-score"``: ``(x − mean) / sd`` (sample sd, ``ddof=1``, as COINr's ``n_zscore``); with
    ``positive=True`` ``100 + 10 z`` (a value ≤ 0 is an error, not clipped);
  - ``"rank"``: the average rank among observed units (1 = lowest) scaled to ``100 · r / n``,
    on (0, 100] — positive by construction;

* aggregation within a group (pillar) with weights ``w`` over the **observed** members of the
  group (weights renormalised per unit: the skip-and-reweight rule):

  - ``"arithmetic"``: ``Σ w_i y_i / Σ w_i``;
  - ``"geometric"``: ``exp(Σ w_i ln y_i / Σ w_i)``.

A constant indicator (max = min, or sd = 0) cannot be normalised and raises ``ValueError``; the
labelled layer turns every kernel error into a :class:`chainatlas.errors.ChainAtlasError`.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "NORMALISATIONS",
    "AGGREGATIONS",
    "normalise",
    "aggregate_groups",
    "ranks_desc",
    "dirichlet_weights",
    "monte_carlo",
    "combine",
]

Array = np.ndarray

NORMALISATIONS = ("min-max", "z-score", "rank")
AGGREGATIONS = ("arithmetic", "geometric")


def _column_ranks(X: Array) -> Array:
    """Average ranks (1 = lowest) of each column over its finite entries; NaN stays NaN."""
    out = np.full(X.shape, np.nan)
    for j in range(X.shape[1]):
        col = X[:, j]
        ok = np.isfinite(col)
        vals = col[ok]
        order = np.argsort(vals, kind="stable")
        r = np.empty(vals.size)
        r[order] = np.arange(1, vals.size + 1, dtype=float)
        # average ties
        uniq, inv = np.unique(vals, return_inverse=True)
        if uniq.size < vals.size:
            sums = np.bincount(inv, weights=r)
            counts = np.bincount(inv)
            r = (sums / counts)[inv]
        out[ok, j] = r
    return out


def normalise(X: Array, method: str, *, positive: bool = False) -> Array:
    """Normalise every column of `X` (units × indicators, higher is better, NaN = missing).

    Parameters
    ----------
    X : ndarray, shape (n_units, n_indicators)
    method : {"min-max", "z-score", "rank"}
    positive : bool
        Map to a strictly positive scale (for a geometric mean): min-max on [1, 100], z-score as
        ``100 + 10 z``; ranks are positive anyway.

    Returns
    -------
    ndarray, same shape; NaN where `X` is NaN.

    Raises
    ------
    ValueError
        Unknown method, a column with fewer than 2 observed values or no spread, or (z-score,
        positive) a value ≤ 0.

    Examples
    --------
    >>> normalise(np.array([[1.0], [2.0], [3.0]]), "min-max").ravel().tolist()
    [0.0, 50.0, 100.0]
    >>> normalise(np.array([[1.0], [2.0], [3.0]]), "z-score").ravel().tolist()
    [-1.0, 0.0, 1.0]
    >>> normalise(np.array([[1.0], [2.0], [2.0], [4.0]]), "rank").ravel().tolist()
    [25.0, 62.5, 62.5, 100.0]
    """
    X = np.asarray(X, dtype=float)
    obs = np.isfinite(X)
    n_obs = obs.sum(axis=0)
    if (n_obs < 2).any():
        raise ValueError(f"columns with fewer than 2 observed values: {np.flatnonzero(n_obs < 2)}")
    if method == "min-max":
        lo = np.nanmin(X, axis=0)
        hi = np.nanmax(X, axis=0)
        span = hi - lo
        if (span <= 0).any():
            raise ValueError(f"constant columns: {np.flatnonzero(span <= 0)}")
        u = (X - lo) / span
        return 1.0 + 99.0 * u if positive else 100.0 * u
    if method == "z-score":
        mu = np.nanmean(X, axis=0)
        sd = np.nanstd(X, axis=0, ddof=1)
        if (sd <= 0).any():
            raise ValueError(f"constant columns: {np.flatnonzero(sd <= 0)}")
        z = (X - mu) / sd
        if not positive:
            return z
        y = 100.0 + 10.0 * z
        if (y[obs] <= 0).any():
            raise ValueError("z-score below −10: 100 + 10 z is not positive")
        return y
    if method == "rank":
        r = _column_ranks(X)
        if (np.nanmax(r, axis=0) == np.nanmin(r, axis=0)).any():
            raise ValueError("constant columns (all ranks tied)")
        return 100.0 * r / n_obs
    raise ValueError(f"unknown normalisation {method!r}")


def aggregate_groups(Y: Array, W: Array, groups: Array, n_groups: int, method: str) -> Array:
    """Weighted mean of each group's columns, for many weight vectors at once.

    Parameters
    ----------
    Y : ndarray, shape (n_units, n_ind)
        Normalised values (NaN = missing: skipped, the group's other weights renormalised).
    W : ndarray, shape (n_draws, n_ind) or (n_ind,)
        Non-negative weights of the indicators (only their ratios within a group matter).
    groups : ndarray of int, shape (n_ind,)
        Group (pillar) of each indicator, 0 … n_groups − 1.
    n_groups : int
    method : {"arithmetic", "geometric"}

    Returns
    -------
    ndarray, shape (n_draws, n_units, n_groups) (or (n_units, n_groups) for 1-D `W`); NaN
    where a unit has no observed indicator in a group.

    Examples
    --------
    >>> Y = np.array([[10.0, 40.0], [20.0, np.nan]])
    >>> aggregate_groups(Y, np.array([0.5, 0.5]), np.array([0, 0]), 1, "arithmetic").tolist()
    [[25.0], [20.0]]
    >>> aggregate_groups(Y, np.array([0.5, 0.5]), np.array([0, 0]), 1, "geometric").round(9).tolist()
    [[20.0], [20.0]]
    """
    single = W.ndim == 1
    W2 = np.atleast_2d(np.asarray(W, dtype=float))
    obs = np.isfinite(Y)
    if method == "arithmetic":
        vals = np.where(obs, Y, 0.0)
    elif method == "geometric":
        if (Y[obs] <= 0).any():
            raise ValueError("geometric aggregation needs strictly positive normalised values")
        vals = np.where(obs, np.log(np.where(obs, Y, 1.0)), 0.0)
    else:
        raise ValueError(f"unknown aggregation {method!r}")
    G = np.zeros((groups.size, n_groups))
    G[np.arange(groups.size), groups] = 1.0
    # (draws, ind, groups): weight of indicator i in group g
    WG = W2[:, :, None] * G[None, :, :]
    num = np.einsum("ui,dig->dug", vals, WG, optimize=True)
    den = np.einsum("ui,dig->dug", obs.astype(float), WG, optimize=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / den
    out[den <= 0] = np.nan
    if method == "geometric":
        out = np.exp(out)
    return out[0] if single else out


def ranks_desc(S: Array) -> Array:
    """Competition ranks along the last-but-one axis: 1 = highest score; ties share the best rank.

    Parameters
    ----------
    S : ndarray, shape (..., n_units)
        Scores; NaN ranks last.

    Examples
    --------
    >>> ranks_desc(np.array([3.0, 1.0, 3.0, 2.0])).tolist()
    [1, 4, 1, 3]
    """
    S = np.where(np.isfinite(S), S, -np.inf)
    # rank = 1 + number of units with a strictly higher score
    return 1 + (S[..., None, :] > S[..., :, None]).sum(axis=-1)


def dirichlet_weights(
    rng: np.random.Generator, nominal: Array, groups: Array, n_draws: int, concentration: float
) -> Array:
    """Draw indicator weights per group from Dirichlet(concentration · k_g · w_nominal).

    Within each group g of k_g indicators, the draw has mean ``w_nominal`` (renormalised within
    the group) and Σα = concentration · k_g, so the spread shrinks as `concentration` grows
    (concentration 1 with equal weights is the flat Dirichlet on the simplex).

    Returns
    -------
    ndarray, shape (n_draws, n_ind); each group's weights sum to 1 in every draw.
    """
    out = np.empty((n_draws, groups.size))
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        w = nominal[idx] / nominal[idx].sum()
        if idx.size == 1:
            out[:, idx] = 1.0
            continue
        alpha = np.maximum(concentration * idx.size * w, 1e-6)
        out[:, idx] = rng.dirichlet(alpha, size=n_draws)
    return out


def monte_carlo(
    Ys: dict[tuple[str, str], Array],
    nominal: Array,
    groups: Array,
    n_groups: int,
    group_weights: Array,
    *,
    n_draws: int,
    concentration: float,
    seed: int,
) -> tuple[Array, Array]:
    """Uncertainty analysis: ranks of every unit under random weights and method choices.

    Each draw picks one (normalisation, aggregation) pair uniformly from the keys of `Ys`,
    indicator weights from :func:`dirichlet_weights` and group weights from Dirichlet around
    `group_weights`; group scores and the overall score (same aggregation over the groups) are
    computed and ranked (1 = best).

    Parameters
    ----------
    Ys : dict
        ``(normalisation, aggregation) -> Y``: the normalised matrix (units × indicators) each
        choice uses (positive scale for geometric).
    nominal : ndarray, shape (n_ind,)
        Nominal indicator weights.
    groups : ndarray of int, shape (n_ind,)
    n_groups : int
    group_weights : ndarray, shape (n_groups,)
    n_draws, concentration, seed
        Monte Carlo settings (seeded: the same call gives the same ranks).

    Returns
    -------
    ranks : ndarray of int, shape (n_draws, n_units, n_groups + 1)
        Ranks of each group score and (last) of the overall score.
    choice : ndarray of int, shape (n_draws,)
        Index into ``list(Ys)`` of the choice used by each draw.
    """
    rng = np.random.default_rng(seed)
    keys = list(Ys)
    n_units = next(iter(Ys.values())).shape[0]
    choice = rng.integers(0, len(keys), size=n_draws)
    W = dirichlet_weights(rng, nominal, groups, n_draws, concentration)
    P = dirichlet_weights(rng, group_weights, np.zeros(n_groups, dtype=int), n_draws, concentration)
    ranks = np.empty((n_draws, n_units, n_groups + 1), dtype=np.int64)
    for c, (_, agg) in enumerate(keys):
        sel = np.flatnonzero(choice == c)
        if sel.size == 0:
            continue
        pillars = aggregate_groups(Ys[keys[c]], W[sel], groups, n_groups, agg)
        overall = _combine(pillars, P[sel], agg)
        ranks[sel, :, :n_groups] = ranks_desc(np.moveaxis(pillars, 2, 1)).transpose(0, 2, 1)
        ranks[sel, :, n_groups] = ranks_desc(overall)
    return ranks, choice


def _combine(pillars: Array, P: Array, method: str) -> Array:
    """Overall score per draw and unit: weighted mean of the group scores (draws × units)."""
    if method == "arithmetic":
        return np.einsum("dug,dg->du", pillars, P)
    return np.exp(np.einsum("dug,dg->du", np.log(pillars), P))


def combine(pillars: Array, weights: Array, method: str) -> Array:
    """Overall score of each unit from its group scores (units × groups) and group weights.

    Examples
    --------
    >>> combine(np.array([[10.0, 40.0]]), np.array([0.5, 0.5]), "geometric").round(9).tolist()
    [20.0]
    """
    return _combine(pillars[None], np.asarray(weights, dtype=float)[None], method)[0]
