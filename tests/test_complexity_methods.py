"""Fitness, reflections and kNN density: R economiccomplexity's published output, slow references.

R values below are from the package's published ``economiccomplexity_output`` (data object of
pachadotdev/economiccomplexity at commit 423d5b4, built by ``dev/economiccomplexity_output.R`` as
``complexity_measures(balassa_index(world_trade_avg_1998_to_2000))``: fitness, 20 iterations,
extremality 1). Our Mcp of the same data equals its ``balassa_index`` exactly; over all 226
countries and 785 products the largest difference is 1.8e-15 (countries) and 3.6e-15 (products).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.complexity import complexity
from chainatlas.complexity.methods import (
    ConvergenceError,
    eci_methods,
    fitness,
    knn_density,
    reflections,
)
from chainatlas.datasets import load
from chainatlas.kernels import complexity as K

#: economiccomplexity_output$complexity_measures (R, fitness method, published)
R_FITNESS_COUNTRY = {
    "chn": 2.3356426149235348,
    "usa": 3.105877107929314,
    "deu": 3.8128956828333953,  # the maximum
    "jpn": 2.901985984058036,
    "afg": 0.7860565509250252,
    "sgs": 0.01379170498177232,
}
R_FITNESS_PRODUCT = {
    "7764": 2.176252720085619,
    "0011": 0.7538882679143514,
    "7284": 1.4676955795175477,
    "2320": 0.505508345576319,
    "7433": 25.58091935781155,  # the maximum
}


@pytest.fixture(scope="module")
def sitc():
    return load("world-trade-sitc", progress=False).exports


def _slow_fitness(M: np.ndarray, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """R's fitness_method_ written with explicit loops (src/code.cpp)."""
    c, p = M.shape
    kx = [1.0] * c
    ky = [1.0] * p
    for _ in range(1, iterations):
        nx = [sum(M[i, j] * ky[j] for j in range(p)) for i in range(c)]
        mx = sum(nx) / c
        nx = [v / mx for v in nx]
        ny = [1.0 / sum(M[i, j] / kx[i] for i in range(c)) for j in range(p)]
        my = sum(ny) / p
        ny = [v / my for v in ny]
        kx, ky = nx, ny
    return np.array(kx), np.array(ky)


def test_fitness_matches_r_published_output(sitc):
    out = fitness(sitc)
    assert out.iterations == 20 and len(out.fitness) == 226 and len(out.complexity) == 785
    for code, ref in R_FITNESS_COUNTRY.items():
        assert out.fitness[code] == pytest.approx(ref, rel=1e-12), code
    for code, ref in R_FITNESS_PRODUCT.items():
        assert out.complexity[code] == pytest.approx(ref, rel=1e-12), code
    assert out.fitness.idxmax() == "deu" and out.complexity.idxmax() == "7433"
    assert out.fitness.mean() == pytest.approx(1.0, rel=1e-12)
    # R's 20 iterations are not a fixed point: the last step still moves by 2.7 % (reported)
    assert out.change == pytest.approx(0.02714, rel=1e-3)


def test_fitness_kernel_equals_slow_reference_on_hs4_2017():
    hs4 = load("world-trade-hs4-2017", progress=False).exports
    res = complexity(hs4)
    M = res.mcp.to_numpy()[:40]
    M = M[:, M.sum(axis=0) > 0][:, :120]
    M = M[M.sum(axis=1) > 0]
    fast = K.fitness(M, iterations=12)
    kx, ky = _slow_fitness(M, 12)
    np.testing.assert_allclose(fast.fitness, kx, rtol=1e-12)
    np.testing.assert_allclose(fast.complexity, ky, rtol=1e-12)


def test_fitness_non_convergence_is_reported(sitc):
    with pytest.raises(ConvergenceError, match=r"did not converge within 20 iterations.*tol"):
        fitness(sitc, tol=1e-8)
    ok = fitness(sitc, iterations=200, tol=1e-8)
    assert ok.change < 1e-8 and ok.fitness.idxmax() == "deu"


def test_fitness_bad_options(sitc):
    from chainatlas.errors import InputError

    with pytest.raises(InputError, match="iterations must be an integer"):
        fitness(sitc, iterations=1)
    with pytest.raises(InputError, match="extremality must be > 0"):
        fitness(sitc, extremality=0)


def _slow_reflections(M: np.ndarray, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    c, p = M.shape
    kc0 = M.sum(axis=1)
    kp0 = M.sum(axis=0)
    kc, kp = [kc0], [kp0]
    for _ in range(1, iterations):
        a = np.array([sum(M[i, j] * kp[-1][j] for j in range(p)) / kc0[i] for i in range(c)])
        b = np.array([sum(M[i, j] * kc[-1][i] for i in range(c)) / kp0[j] for j in range(p)])
        kc.append(a)
        kp.append(b)
    x, y = kc[iterations - 2], kp[iterations - 1]
    return (x - x.mean()) / x.std(ddof=1), (y - y.mean()) / y.std(ddof=1)


def test_reflections_equal_slow_reference(sitc):
    eci, pci = reflections(sitc)
    res = complexity(sitc)
    M = res.mcp.loc[:, res.mcp.sum() > 0]
    sub = M.iloc[:30]
    sub = sub.loc[sub.sum(axis=1) > 0, sub.sum(axis=0) > 0]
    fx, fy = K.reflections(sub.to_numpy(), iterations=8)
    sx, sy = _slow_reflections(sub.to_numpy(), 8)
    np.testing.assert_allclose(fx, sx, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fy, sy, rtol=1e-10, atol=1e-12)
    assert len(eci) == 226 and eci.std(ddof=1) == pytest.approx(1.0)
    with pytest.raises(Exception, match="even integer"):
        reflections(sitc, iterations=7)


def test_eci_methods_names_each_column(sitc):
    df = sitc[sitc["location"].isin(["chn", "usa", "deu", "jpn", "bra", "ind", "nga", "vnm"])]
    out = eci_methods(df)
    assert list(out.columns) == ["eci_eigenvector", "fitness", "eci_reflections"]
    with pytest.raises(Exception, match="unknown complexity method"):
        eci_methods(df, methods=("pagerank",))


def test_knn_density_reduces_to_density_and_matches_loop(sitc):
    res = complexity(sitc)
    phi = res.proximity
    full = knn_density(res.mcp, phi, k=len(phi) - 1)
    np.testing.assert_allclose(full.to_numpy(), res.density.to_numpy(), rtol=1e-10, atol=1e-14)
    k = 10
    got = knn_density(res.mcp, phi, k=k)
    P = phi.to_numpy()
    M = res.mcp.to_numpy()
    for p in (0, 17, 400):
        col = P[:, p].copy()
        col[p] = -np.inf
        nb = np.argsort(-col, kind="stable")[:k]
        ref = (M[:, nb] * P[nb, p]).sum(axis=1) / P[nb, p].sum()
        np.testing.assert_allclose(got.iloc[:, p].to_numpy(), ref, rtol=1e-12)
    assert isinstance(got, pd.DataFrame) and got.shape == res.mcp.shape


def test_cli_eci_method_names_values_after_method():
    import json

    from typer.testing import CliRunner

    from chainatlas.cli import app

    run = CliRunner().invoke(
        app, ["complexity", "eci", "world-trade-sitc", "--method", "fitness", "--format", "json"]
    )
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert data["method"] == "fitness" and data["iterations"] == 20
    assert data["fitness_last_change"] > 0  # R's 20 iterations, change reported
    first = data["ranking"][0]
    assert "fitness" in first and "eci" not in first and first["name_zh"]


#: world_complexity_measures_2017 published by economiccomplexity at commit 4c0d595 (the package's
#: own output for world_trade_2017, computed by the method of reflections, 20 iterations)
R_REFLECTIONS_2017_ECI = {
    "jpn": 2.273337058016582,
    "che": 2.1963087212649777,
    "deu": 1.9712097685210483,
    "chn": 1.1394140820458285,
    "usa": 1.4621967099450812,
    "bvt": 1.9131396071983227,
    "afg": -1.1967698837368397,
}
R_REFLECTIONS_2017_PCI = {
    "2812": 2.676365239921329,
    "8457": 2.2513639600290047,
    "8542": 1.0593174592481045,
    "1203": -2.10157360432216,
    "2709": -2.9049984278068335,
}


def test_reflections_match_r_published_2017_output():
    """All 224 reporters, no cleaning, as the package computed it (max difference 4.8e-10)."""
    hs4 = load("world-trade-hs4-2017", progress=False).exports
    eci, pci = reflections(hs4)
    assert len(eci) == 224 and len(pci) == 1222
    for code, ref in R_REFLECTIONS_2017_ECI.items():
        assert eci[code] == pytest.approx(ref, abs=1e-8), code
    for code, ref in R_REFLECTIONS_2017_PCI.items():
        assert pci[code] == pytest.approx(ref, abs=1e-8), code
