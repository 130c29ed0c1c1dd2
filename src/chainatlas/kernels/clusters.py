"""Cluster kernels (产业集群计算内核): agglomeration, strength flags, stars and relatedness.

Pure numpy: arrays in, arrays out; no pandas, no I/O. ``E`` is a region × industry matrix
(r, i) of a non-negative size measure (employment, output, firms...). Every function is vectorised
over cells; the caller (:mod:`chainatlas.clusters`) validates input (no NaN, no negatives, positive
row and column totals) before calling.

Notation: e_ri = E[r, i]; e_r = Σ_i e_ri (region total); e_i = Σ_r e_ri (industry total);
e = Σ e_ri.

References
----------
Krugman, P. (1991), *Geography and Trade*, MIT Press (specialisation index, locational Gini).
Hoover, E. M. (1936), "The measurement of industrial localization", *Rev. Econ. Stat.* 18(4).
Delgado, M., Porter, M. E. and Stern, S. (2014), "Clusters, convergence, and economic
performance", *Research Policy* 43(10); (2016) "Defining clusters of related industries",
*J. Econ. Geogr.* 16(1): 1–38 (strength flags, IO relatedness).
Ketels, C. and Protsiv, S. (2013/2016), European Cluster Observatory / European Cluster Panorama
star methodology (size, specialisation, focus).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

__all__ = [
    "location_quotient",
    "krugman_specialisation",
    "hoover_localisation",
    "gini_localisation",
    "hhi_concentration",
    "percentile_flags",
    "cmp_flags",
    "cluster_stars",
    "io_relatedness",
    "colocation_correlation",
    "percentile_rank_offdiag",
    "within_between",
]


def location_quotient(E: Array) -> Array:
    """LQ_ri = (e_ri / e_r) / (e_i / e), shape (r, i).

    Examples
    --------
    >>> location_quotient(np.array([[2.0, 2.0], [0.0, 4.0]])).round(3).tolist()
    [[2.0, 0.667], [0.0, 1.333]]
    """
    e_r = E.sum(axis=1, keepdims=True)
    e_i = E.sum(axis=0, keepdims=True)
    return E * E.sum() / (e_r * e_i)


def krugman_specialisation(E: Array) -> Array:
    """Krugman specialisation index K_r = Σ_i |e_ri/e_r − e_i/e|, shape (r,), in [0, 2).

    Examples
    --------
    >>> krugman_specialisation(np.array([[1.0, 0.0], [0.0, 1.0]])).tolist()
    [1.0, 1.0]
    """
    s_ri = E / E.sum(axis=1, keepdims=True)
    s_i = E.sum(axis=0) / E.sum()
    return np.abs(s_ri - s_i[np.newaxis, :]).sum(axis=1)


def hoover_localisation(E: Array) -> Array:
    """Hoover localisation coefficient H_i = ½ Σ_r |e_ri/e_i − e_r/e|, shape (i,), in [0, 1).

    Examples
    --------
    >>> hoover_localisation(np.array([[3.0, 1.0], [1.0, 3.0]])).tolist()
    [0.25, 0.25]
    """
    a = E / E.sum(axis=0, keepdims=True)
    b = E.sum(axis=1) / E.sum()
    return 0.5 * np.abs(a - b[:, np.newaxis]).sum(axis=0)


def gini_localisation(E: Array) -> Array:
    """Locational Gini coefficient per industry (Krugman 1991), shape (i,), in [0, 1).

    Regions are sorted by ascending LQ within each industry; X is the cumulative share of total
    size (e_r/e) and Y the cumulative share of the industry (e_ri/e_i). G_i = 1 − Σ_k (X_k −
    X_{k−1})(Y_k + Y_{k−1}) — twice the area between the Lorenz curve and the diagonal.

    Examples
    --------
    >>> round(float(gini_localisation(np.array([[1.0, 1.0], [1.0, 1.0]]))[0]), 12)
    0.0
    """
    lq = location_quotient(E)
    order = np.argsort(lq, axis=0, kind="stable")  # (r, i)
    size = E.sum(axis=1) / E.sum()  # (r,)
    share = E / E.sum(axis=0, keepdims=True)  # (r, i)
    dx = size[order]  # (r, i)
    dy = np.take_along_axis(share, order, axis=0)
    y = np.cumsum(dy, axis=0)
    y_prev = y - dy
    return 1.0 - (dx * (y + y_prev)).sum(axis=0)


def hhi_concentration(E: Array) -> Array:
    """Herfindahl–Hirschman index of regional shares per industry, Σ_r (e_ri/e_i)², shape (i,).

    Examples
    --------
    >>> hhi_concentration(np.array([[1.0, 1.0], [0.0, 1.0]])).tolist()
    [1.0, 0.5]
    """
    s = E / E.sum(axis=0, keepdims=True)
    return (s * s).sum(axis=0)


def percentile_flags(
    LQ: Array,
    E: Array,
    *,
    strong_pct: float = 75.0,
    top_pct: float = 90.0,
    min_lq: float = 1.0,
    min_size: float = 0.0,
    min_share: float = 0.0,
) -> tuple[BoolArray, BoolArray, Array, Array]:
    """CMP percentile strength flags per cell (Delgado, Porter & Stern 2014).

    Within each industry (column), the thresholds are the `strong_pct` and `top_pct`
    percentiles of LQ across the comparison set of regions (numpy's linear interpolation).
    A cell is *strong* when LQ ≥ the strong threshold, LQ ≥ `min_lq`, e_ri ≥ `min_size` and
    e_ri/e_i ≥ `min_share`; *top* likewise with the top threshold.

    Returns
    -------
    strong, top : bool ndarray, shape (r, i)
    strong_threshold, top_threshold : ndarray, shape (i,)

    Examples
    --------
    >>> LQ = np.array([[0.5], [1.0], [1.5], [2.0]])
    >>> s, t, ts, tt = percentile_flags(LQ, LQ)
    >>> s.ravel().tolist(), t.ravel().tolist(), float(ts[0])
    ([False, False, False, True], [False, False, False, True], 1.625)
    """
    thr = np.percentile(LQ, [strong_pct, top_pct], axis=0)
    share = E / E.sum(axis=0, keepdims=True)
    base = (LQ >= min_lq) & (min_size <= E) & (min_share <= share)
    strong = base & (LQ >= thr[0][np.newaxis, :])
    top = base & (LQ >= thr[1][np.newaxis, :])
    return strong, top, thr[0], thr[1]


def _present_percentile(values: Array, present: BoolArray, q: float | list[float]) -> Array:
    """Per-column percentile over the cells where `present` (NaN for an empty column)."""
    masked = np.where(present, values, np.nan)
    out = np.full((len(np.atleast_1d(q)), values.shape[1]), np.nan)
    cols = present.any(axis=0)
    if cols.any():
        out[:, cols] = np.nanpercentile(masked[:, cols], np.atleast_1d(q), axis=0)
    return out


def cmp_flags(
    LQ: Array,
    E: Array,
    N: Array | None = None,
    *,
    strong_pct: float = 75.0,
    top_pct: float = 90.0,
    min_lq: float = 1.0,
    size_pct: float = 25.0,
) -> dict[str, Array]:
    """The US Cluster Mapping Project's flags, as its processing code applies them.

    Per industry (column), over the regions where the industry is present (E > 0), as in
    ``clustermapping/cmp`` ``data/processing/cluster_calcs_reducer.js``: thresholds are the
    25th, 50th, `strong_pct` and `top_pct` percentiles of LQ (d3.quantile = numpy's linear
    rule) and the `size_pct` percentile ("bottom quartile") of size E and, when given, of
    establishments N. Then

    * qualifying = LQ > p25(LQ) and E > p25(E) [and N > p25(N)];
    * significant = LQ > p50(LQ) and the same size floors;
    * strong = LQ ≥ p_strong(LQ), LQ ≥ `min_lq` and the size floors;
    * top = LQ ≥ p_top(LQ), LQ ≥ `min_lq` and the size floors.

    Returns
    -------
    dict of arrays: ``qualifying``, ``significant``, ``strong``, ``top`` (bool, (r, i));
    ``lq_p75``, ``lq_p90``, ``size_floor``, ``est_floor`` ((i,); ``est_floor`` NaN without N).

    Examples
    --------
    >>> LQ = np.array([[0.5], [1.0], [1.5], [2.0]])
    >>> E = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> f = cmp_flags(LQ, E)
    >>> f["strong"].ravel().tolist(), float(f["size_floor"][0])
    ([False, False, False, True], 1.75)
    """
    present = E > 0
    p = _present_percentile(LQ, present, [25.0, 50.0, strong_pct, top_pct])
    size_floor = _present_percentile(E, present, size_pct)[0]
    size_ok = present & (E > size_floor[np.newaxis, :])
    est_floor = np.full(E.shape[1], np.nan)
    if N is not None:
        est_floor = _present_percentile(N, present, size_pct)[0]
        size_ok &= N > est_floor[np.newaxis, :]
    with np.errstate(invalid="ignore"):
        return {
            "qualifying": size_ok & (LQ > p[0][np.newaxis, :]),
            "significant": size_ok & (LQ > p[1][np.newaxis, :]),
            "strong": size_ok & (LQ >= p[2][np.newaxis, :]) & (LQ >= min_lq),
            "top": size_ok & (LQ >= p[3][np.newaxis, :]) & (LQ >= min_lq),
            "lq_p75": p[2],
            "lq_p90": p[3],
            "size_floor": size_floor,
            "est_floor": est_floor,
        }


def cluster_stars(
    E: Array,
    *,
    size_pct: float = 90.0,
    min_lq: float = 2.0,
    focus_pct: float = 90.0,
    min_size: float = 0.0,
) -> tuple[BoolArray, BoolArray, BoolArray, NDArray[np.int8]]:
    """European Cluster Observatory stars (Ketels & Protsiv), per cell.

    * size star: the region's share of the industry's total (e_ri/e_i) is in the top
      (100 − `size_pct`) % of regions for that industry (≥ the `size_pct` percentile);
    * specialisation star: LQ ≥ `min_lq` (published default 2);
    * focus star: the industry's share of the region's total (e_ri/e_r) is in the top
      (100 − `focus_pct`) % of regions for that industry.

    Cells with e_ri < `min_size` get no star.

    Returns
    -------
    size, specialisation, focus : bool ndarray, shape (r, i)
    stars : int8 ndarray, shape (r, i), 0–3

    Examples
    --------
    >>> E = np.array([[10.0, 0.0], [1.0, 1.0], [1.0, 1.0]])
    >>> size, spec, focus, stars = cluster_stars(E)
    >>> stars.tolist()
    [[2, 0], [0, 3], [0, 3]]
    """
    share_i = E / E.sum(axis=0, keepdims=True)
    share_r = E / E.sum(axis=1, keepdims=True)
    lq = location_quotient(E)
    ok = (min_size <= E) & (E > 0)
    size = ok & (share_i >= np.percentile(share_i, size_pct, axis=0)[np.newaxis, :])
    spec = ok & (lq >= min_lq)
    focus = ok & (share_r >= np.percentile(share_r, focus_pct, axis=0)[np.newaxis, :])
    stars = size.astype(np.int8) + spec.astype(np.int8) + focus.astype(np.int8)
    return size, spec, focus, stars


def io_relatedness(Z: Array, x: Array) -> Array:
    """Input–output relatedness IO_ij = max(in_ij, in_ji, out_ij, out_ji) (DPS 2016, §3.2).

    in_ij = Z[j, i] / Σ_k Z[k, i] is the share of i's intermediate inputs bought from j;
    out_ij = Z[i, j] / x_i is the share of i's output sold to j. The diagonal is set to 0.
    Industries with no inputs (or no output) contribute zero shares.

    Parameters
    ----------
    Z : ndarray, shape (n, n)
        Industry-by-industry intermediate flows, Z[j, i] = sales of j to i.
    x : ndarray, shape (n,)
        Total output (the denominator of output shares).

    Returns
    -------
    ndarray, shape (n, n), symmetric, in [0, 1]

    Examples
    --------
    >>> Z = np.array([[0.0, 5.0], [1.0, 0.0]])
    >>> io_relatedness(Z, np.array([10.0, 10.0])).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    col = Z.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        inp = np.where(col[np.newaxis, :] > 0, Z / col[np.newaxis, :], 0.0).T  # inp[i, j]
        out = np.where(x[:, np.newaxis] > 0, Z / x[:, np.newaxis], 0.0)  # out[i, j]
    R = np.maximum(np.maximum(inp, inp.T), np.maximum(out, out.T))
    np.fill_diagonal(R, 0.0)
    return R


def colocation_correlation(E: Array) -> Array:
    """Co-location: Pearson correlation across regions of industries' LQs, shape (i, i).

    Columns with zero variance get correlation 0 with every other column; the diagonal is 0.

    Examples
    --------
    >>> E = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 1.0], [3.0, 6.0, 1.0]])
    >>> float(colocation_correlation(E)[0, 1]) > 0.99
    True
    """
    lq = location_quotient(E)
    d = lq - lq.mean(axis=0, keepdims=True)
    norm = np.sqrt((d * d).sum(axis=0))
    safe = np.where(norm > 0, norm, 1.0)
    C = (d.T @ d) / np.outer(safe, safe)
    C[norm == 0, :] = 0.0
    C[:, norm == 0] = 0.0
    np.fill_diagonal(C, 0.0)
    return C


def percentile_rank_offdiag(R: Array) -> Array:
    """Percentile rank (0–1] of each off-diagonal entry among all off-diagonal entries.

    Ties get their average rank. The diagonal is 0. Used to put relatedness measures on one
    scale before averaging them (DPS 2016 combine measures by percentile).

    Examples
    --------
    >>> percentile_rank_offdiag(np.array([[0.0, 1.0], [3.0, 0.0]])).tolist()
    [[0.0, 0.5], [1.0, 0.0]]
    """
    from scipy.stats import rankdata

    n = R.shape[0]
    mask = ~np.eye(n, dtype=bool)
    vals = R[mask]
    out = np.zeros_like(R, dtype=float)
    out[mask] = rankdata(vals, method="average") / vals.size
    return out


def within_between(R: Array, labels: NDArray[np.int64]) -> tuple[float, float]:
    """Mean off-diagonal relatedness within clusters and between clusters.

    Examples
    --------
    >>> R = np.array([[0, 1, 0.1], [1, 0, 0.1], [0.1, 0.1, 0]], dtype=float)
    >>> within_between(R, np.array([0, 0, 1]))
    (1.0, 0.1)
    """
    same = labels[:, np.newaxis] == labels[np.newaxis, :]
    off = ~np.eye(R.shape[0], dtype=bool)
    w = same & off
    b = ~same
    within = float(R[w].mean()) if w.any() else float("nan")
    between = float(R[b].mean()) if b.any() else float("nan")
    return within, between
