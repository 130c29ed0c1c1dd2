"""Cluster kernels against slow, obviously correct reference implementations."""

from __future__ import annotations

import numpy as np
import pytest

from chainatlas.kernels import clusters as k

RNG = np.random.default_rng(7)


def _random(r: int = 13, i: int = 9) -> np.ndarray:
    E = RNG.gamma(0.7, 10.0, size=(r, i))
    E[RNG.random((r, i)) < 0.2] = 0.0
    E[:, 0] += 1.0  # keep totals positive
    E[0, :] += 1.0
    return E


def _lq_slow(E: np.ndarray) -> np.ndarray:
    r, i = E.shape
    out = np.zeros_like(E)
    e = E.sum()
    for a in range(r):
        for b in range(i):
            out[a, b] = (E[a, b] / E[a, :].sum()) / (E[:, b].sum() / e)
    return out


def test_lq_matches_slow_reference() -> None:
    E = _random()
    np.testing.assert_allclose(k.location_quotient(E), _lq_slow(E), rtol=1e-12)


def test_lq_weighted_mean_is_one() -> None:
    # Σ_r (e_r/e) LQ_ri = 1 for every industry (definition identity)
    E = _random()
    w = E.sum(axis=1) / E.sum()
    np.testing.assert_allclose(w @ k.location_quotient(E), 1.0, rtol=1e-12)


def test_krugman_hoover_hhi_slow() -> None:
    E = _random()
    r, i = E.shape
    e = E.sum()
    kr = [sum(abs(E[a, b] / E[a].sum() - E[:, b].sum() / e) for b in range(i)) for a in range(r)]
    ho = [
        0.5 * sum(abs(E[a, b] / E[:, b].sum() - E[a].sum() / e) for a in range(r)) for b in range(i)
    ]
    hh = [sum((E[a, b] / E[:, b].sum()) ** 2 for a in range(r)) for b in range(i)]
    np.testing.assert_allclose(k.krugman_specialisation(E), kr, rtol=1e-12)
    np.testing.assert_allclose(k.hoover_localisation(E), ho, rtol=1e-12)
    np.testing.assert_allclose(k.hhi_concentration(E), hh, rtol=1e-12)


def _gini_slow(E: np.ndarray, b: int) -> float:
    lq = _lq_slow(E)[:, b]
    order = sorted(range(E.shape[0]), key=lambda a: (lq[a], a))
    x_prev = y_prev = 0.0
    area = 0.0
    for a in order:
        x = x_prev + E[a].sum() / E.sum()
        y = y_prev + E[a, b] / E[:, b].sum()
        area += (x - x_prev) * (y + y_prev) / 2.0  # trapezoid under the Lorenz curve
        x_prev, y_prev = x, y
    return 1.0 - 2.0 * area


def test_gini_matches_lorenz_trapezoids() -> None:
    E = _random()
    g = k.gini_localisation(E)
    np.testing.assert_allclose(g, [_gini_slow(E, b) for b in range(E.shape[1])], atol=1e-12)
    assert (g >= -1e-12).all() and (g < 1).all()


def test_gini_extremes() -> None:
    # proportional industry: 0; industry in one small region: close to 1 − that region's size
    prop = np.outer([1.0, 3.0, 6.0], [2.0, 1.0])
    assert np.abs(k.gini_localisation(prop)).max() < 1e-12
    E = np.array([[10.0, 0.0, 5.0], [30.0, 0.0, 15.0], [60.0, 1.0, 30.0]])
    size = E.sum(axis=1) / E.sum()
    assert k.gini_localisation(E)[1] == pytest.approx(1.0 - size[2])


def test_percentile_flags_slow() -> None:
    E = _random(40, 6)
    lq = k.location_quotient(E)
    strong, top, t75, t90 = k.percentile_flags(lq, E, min_size=2.0)
    for b in range(E.shape[1]):
        col = np.sort(lq[:, b])
        n = len(col)
        # linear interpolation percentile (numpy default, "type 7")
        pos = 0.75 * (n - 1)
        lo = int(np.floor(pos))
        p75 = col[lo] + (pos - lo) * (col[min(lo + 1, n - 1)] - col[lo])
        assert t75[b] == pytest.approx(p75)
        for a in range(E.shape[0]):
            want = lq[a, b] >= p75 and lq[a, b] >= 1.0 and E[a, b] >= 2.0
            assert strong[a, b] == want
            assert top[a, b] == (lq[a, b] >= t90[b] and lq[a, b] >= 1.0 and E[a, b] >= 2.0)
    assert (top <= strong).all()


def test_stars_slow() -> None:
    E = _random(30, 5)
    size, spec, focus, stars = k.cluster_stars(E)
    lq = _lq_slow(E)
    for b in range(E.shape[1]):
        s_i = E[:, b] / E[:, b].sum()
        s_r = E[:, b] / E.sum(axis=1)
        for a in range(E.shape[0]):
            pos = E[a, b] > 0
            assert size[a, b] == (pos and s_i[a] >= np.percentile(s_i, 90))
            assert spec[a, b] == (pos and lq[a, b] >= 2.0)
            assert focus[a, b] == (pos and s_r[a] >= np.percentile(s_r, 90))
    assert (stars == size.astype(int) + spec + focus).all()


def test_io_relatedness_slow() -> None:
    n = 7
    Z = RNG.gamma(0.5, 3.0, size=(n, n))
    Z[RNG.random((n, n)) < 0.3] = 0.0
    x = Z.sum(axis=1) + RNG.gamma(2.0, 5.0, size=n)
    R = k.io_relatedness(Z, x)
    for i in range(n):
        for j in range(n):
            if i == j:
                assert R[i, j] == 0.0
                continue
            in_ij = Z[j, i] / Z[:, i].sum()
            in_ji = Z[i, j] / Z[:, j].sum()
            out_ij = Z[i, j] / x[i]
            out_ji = Z[j, i] / x[j]
            assert R[i, j] == pytest.approx(max(in_ij, in_ji, out_ij, out_ji))


def test_colocation_is_pearson_of_lq() -> None:
    E = _random(25, 6)
    C = k.colocation_correlation(E)
    ref = np.corrcoef(_lq_slow(E).T)
    np.fill_diagonal(ref, 0.0)
    np.testing.assert_allclose(C, ref, atol=1e-12)


def test_within_between_and_ranks() -> None:
    R = np.array([[0, 3, 1], [3, 0, 2], [1, 2, 0]], dtype=float)
    P = k.percentile_rank_offdiag(R)
    # off-diagonal values 3, 1, 3, 2, 1, 2: ties share the average rank
    assert P[0, 1] == pytest.approx(5.5 / 6) and P[0, 2] == pytest.approx(1.5 / 6)
    w, b = k.within_between(R, np.array([0, 0, 1]))
    assert (w, b) == (3.0, 1.5)
