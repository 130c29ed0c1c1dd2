"""Validation against the Stata ``ecomplexity`` outputs (py-ecomplexity fixtures, HS92 sample).

Fixtures: ``reference/ecomplexity`` (see its PROVENANCE.md). Stata's export_val is float32-rounded,
so the input is Stata's own ``export_val`` column; options: RCA threshold 1, discrete, symmetric.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.complexity import complexity
from chainatlas.kernels import complexity as K


@pytest.fixture(scope="module")
def stata(reference_dir):
    return pd.read_csv(reference_dir / "ecomplexity" / "stata_ground_truth.csv")


@pytest.fixture(scope="module")
def panel(stata):
    data = stata[["year", "origin", "hs92", "export_val"]]
    return complexity(data, location="origin", product="hs92", value="export_val", time="year")


def _by(stata, year, col, level):
    g = stata[stata.year == year]
    return g.groupby(level)[col].first()


@pytest.mark.parametrize("year", [1995, 1996])
def test_eci_pci_match_stata(stata, panel, year):
    res = panel[year]
    ref_eci = _by(stata, year, "eci", "origin")
    ref_pci = _by(stata, year, "pci", "hs92")
    np.testing.assert_allclose(res.eci.reindex(ref_eci.index), ref_eci, rtol=1e-5)
    np.testing.assert_allclose(res.pci.reindex(ref_pci.index), ref_pci, rtol=1e-5)
    np.testing.assert_array_equal(
        res.diversity.reindex(ref_eci.index), _by(stata, year, "diversity", "origin")
    )
    np.testing.assert_array_equal(
        res.ubiquity.reindex(ref_pci.index), _by(stata, year, "ubiquity", "hs92")
    )


@pytest.mark.parametrize("year", [1995, 1996])
def test_rca_density_coi_cog_match_stata(stata, panel, year):
    res = panel[year]
    g = stata[stata.year == year].set_index(["origin", "hs92"])
    for ours, col, rtol in (
        (res.rca, "rca", 1e-6),
        (res.mcp, "M", 0),
        (res.density, "density", 1e-4),
    ):
        ref = g[col].unstack().reindex(index=ours.index, columns=ours.columns)
        np.testing.assert_allclose(ours.to_numpy(), ref.to_numpy(), rtol=rtol, err_msg=col)
    ref_cog = g["cog"].unstack().reindex(index=res.cog.index, columns=res.cog.columns)
    np.testing.assert_allclose(res.cog.to_numpy(), ref_cog.to_numpy(), rtol=1e-4, atol=1e-12)
    ref_coi = _by(stata, year, "coi", "origin")
    np.testing.assert_allclose(res.coi.reindex(ref_coi.index), ref_coi, rtol=1e-4)


@pytest.mark.parametrize("block,year", [(0, 1995), (1, 1996)])
def test_proximity_matches_stata(reference_dir, panel, block, year):
    prox = pd.read_csv(reference_dir / "ecomplexity" / "stata_proximity_discrete_sym.csv")
    assert len(prox) == 1800
    part = prox.iloc[block * 900 : (block + 1) * 900]
    ref = part.pivot(index="hs92_1", columns="hs92_2", values="proximity")
    ours = panel[year].proximity
    ref = ref.reindex(index=ours.index, columns=ours.columns)
    np.testing.assert_allclose(ours.to_numpy(), ref.to_numpy(), rtol=1e-10, atol=1e-12)


def test_stata_sd_convention_differs_from_population_sd(stata, reference_dir):
    """The documented deviation: py-ecomplexity's ECI = Stata ECI × √(cp/(cp−1))."""
    data = stata[stata.year == 1995][["origin", "hs92", "export_val"]]
    a = complexity(data, location="origin", product="hs92", value="export_val")
    b = complexity(
        data, location="origin", product="hs92", value="export_val", convention="py-ecomplexity"
    )
    np.testing.assert_allclose(b.eci.to_numpy(), a.eci.to_numpy() * np.sqrt(300 / 299), rtol=1e-12)


def _slow_eci(M):
    """Obviously-correct reference: the textbook non-symmetric M̃^C eigenvector (dense eig)."""
    d, u = M.sum(1), M.sum(0)
    Mcc = (M / d[:, None]) @ (M / u[None, :]).T
    vals, vecs = np.linalg.eig(Mcc)
    kc = np.real(vecs[:, np.argsort(np.real(vals))[-2]])
    kc = kc * np.sign(np.corrcoef(d, kc)[0, 1])
    return (kc - kc.mean()) / kc.std()


@pytest.mark.parametrize("seed", range(5))
def test_symmetric_eigen_matches_textbook_eig(seed):
    rng = np.random.default_rng(seed)
    c, p = rng.integers(5, 40), rng.integers(5, 60)
    X = rng.lognormal(size=(c, p)) * (rng.random((c, p)) < 0.7)
    X[:, 0] += 1.0  # every location exports something
    X[0, :] += 1.0
    M = K.presence(K.rca(X))
    res = K.eci_pci(M)
    np.testing.assert_allclose(res.eci, _slow_eci(M), atol=1e-8)
    # the product side of a tall matrix (c > p) takes the other branch
    res_t = K.eci_pci(M.T.copy())
    assert res_t.eci.shape == (p,)


def test_sparse_input_gives_same_eci():
    import scipy.sparse as sp

    rng = np.random.default_rng(3)
    X = rng.lognormal(size=(30, 80)) * (rng.random((30, 80)) < 0.5) + 1e-3
    M = K.presence(K.rca(X))
    np.testing.assert_allclose(K.eci_pci(sp.csr_matrix(M)).eci, K.eci_pci(M).eci, atol=1e-10)


def test_slow_proximity_density_cog():
    rng = np.random.default_rng(7)
    X = rng.lognormal(size=(12, 15)) + 0.01
    M = K.presence(K.rca(X))
    c, p = M.shape
    u = M.sum(0)
    phi = np.zeros((p, p))
    for i in range(p):
        for j in range(p):
            if i != j:
                co = sum(M[k, i] * M[k, j] for k in range(c))
                phi[i, j] = min(co / u[i], co / u[j])
    np.testing.assert_allclose(K.proximity(M), phi, atol=1e-15)
    dens = np.array(
        [
            [sum(M[k, j] * phi[j, q] for j in range(p)) / phi[:, q].sum() for q in range(p)]
            for k in range(c)
        ]
    )
    np.testing.assert_allclose(K.density(M, phi), dens, atol=1e-12)
    kp = K.eci_pci(M).kp
    cog = np.array(
        [
            [
                (1 - M[k, q])
                * sum((1 - M[k, j]) * phi[j, q] / phi[j].sum() * kp[j] for j in range(p))
                for q in range(p)
            ]
            for k in range(c)
        ]
    )
    np.testing.assert_allclose(K.cog(M, phi, kp), cog, atol=1e-12)


def test_lanczos_branch_matches_dense(monkeypatch):
    """Above DENSE_EIGH_LIMIT the kernel uses eigsh on a LinearOperator: same ECI."""
    rng = np.random.default_rng(9)
    X = rng.lognormal(size=(40, 90)) * (rng.random((40, 90)) < 0.6) + 1e-3
    M = K.presence(K.rca(X))
    dense = K.eci_pci(M)
    monkeypatch.setattr(K, "DENSE_EIGH_LIMIT", 10)
    lanczos = K.eci_pci(M)
    np.testing.assert_allclose(lanczos.eci, dense.eci, atol=1e-8)
    np.testing.assert_allclose(lanczos.pci, dense.pci, atol=1e-8)
