"""Analysis functions against slow, obviously correct reference implementations on random tables.

The references use explicit loops, explicit deletion of rows/columns and ``np.linalg.inv``; the
library uses LU solves, Schur complements and the Ghosh-from-L identity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chainatlas.io as cio
from chainatlas.io.table import IOTable
from chainatlas.provenance import Provenance

SEEDS = [0, 1, 2, 3, 4]


def random_table(seed: int, n: int | None = None, *, open_economy: bool = False) -> IOTable:
    """A random productive, exactly balanced competitive table (optionally with trade)."""
    rng = np.random.default_rng(seed)
    n = n or int(rng.integers(4, 12))
    Z = rng.uniform(0, 100, (n, n)) * (rng.uniform(size=(n, n)) < 0.7)
    labels = pd.Index([f"s{i:02d}" for i in range(n)], name="sector")
    x = np.maximum(Z.sum(axis=0), Z.sum(axis=1)) / rng.uniform(0.4, 0.8, n) + 1.0
    if open_economy:
        exports = rng.uniform(0, 0.15, n) * x  # keeps consumption > 0 (x − Z·1 ≥ 0.2x)
        imports = rng.uniform(0, 0.3, n) * x
        inventories = rng.uniform(-0.02, 0.02, n) * x
    else:
        exports = imports = inventories = np.zeros(n)
    cons = x - Z.sum(axis=1) - exports - inventories + imports
    assert (cons > 0).all()
    Y = pd.DataFrame(
        {"consumption": cons, "changes in inventories": inventories, "exports": exports},
        index=labels,
    )
    V = pd.DataFrame([x - Z.sum(axis=0)], index=["va"], columns=labels)
    return IOTable(
        Z=pd.DataFrame(Z, index=labels, columns=labels),
        Y=Y,
        V=V,
        x=pd.Series(x, index=labels),
        unit="USD",
        layout="competitive",
        provenance=Provenance(f"random seed {seed}"),
        imports=pd.Series(imports, index=labels) if open_economy else None,
    )


def random_noncompetitive(seed: int) -> IOTable:
    rng = np.random.default_rng(seed + 100)
    n = int(rng.integers(4, 10))
    labels = pd.Index([f"s{i}" for i in range(n)])
    Z = rng.uniform(0, 50, (n, n))
    Zm = rng.uniform(0, 20, (n, n)) * (rng.uniform(size=(n, n)) < 0.6)
    x = np.maximum(Z.sum(axis=1), (Z + Zm).sum(axis=0)) / rng.uniform(0.4, 0.8, n)
    Y = pd.DataFrame({"final": x - Z.sum(axis=1)}, index=labels)
    Ym = pd.DataFrame({"final": rng.uniform(0, 30, n)}, index=labels)
    V = pd.DataFrame([x - (Z + Zm).sum(axis=0)], index=["va"], columns=labels)
    return IOTable(
        Z=pd.DataFrame(Z, index=labels, columns=labels),
        Y=Y,
        V=V,
        x=pd.Series(x, index=labels),
        unit="USD",
        layout="non-competitive",
        provenance=Provenance("random"),
        Zm=pd.DataFrame(Zm, index=labels, columns=labels),
        Ym=Ym,
    )


# ---------------------------------------------------------------- slow references
def ref_leontief(t: IOTable) -> np.ndarray:
    Z = t.Z.to_numpy()
    x = t.x.to_numpy()
    n = len(x)
    A = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            A[i, j] = Z[i, j] / x[j]
    return np.linalg.inv(np.eye(n) - A)


def ref_ghosh(t: IOTable) -> np.ndarray:
    Z = t.Z.to_numpy()
    x = t.x.to_numpy()
    n = len(x)
    B = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            B[i, j] = Z[i, j] / x[i]
    return np.linalg.inv(np.eye(n) - B)


def ref_extraction_loss(t: IOTable, group: list[int]) -> float:
    """Delete the group's rows and columns from A and f, invert what is left."""
    Z = t.Z.to_numpy()
    x = t.x.to_numpy()
    f = x - Z.sum(axis=1)  # final demand that reproduces x
    n = len(x)
    keep = [i for i in range(n) if i not in group]
    A = Z / x[np.newaxis, :]
    A_rr = np.array([[A[i, j] for j in keep] for i in keep])
    xbar = np.linalg.inv(np.eye(len(keep)) - A_rr) @ np.array([f[i] for i in keep])
    return float(x.sum() - xbar.sum())


# ---------------------------------------------------------------- tests
@pytest.mark.parametrize("seed", SEEDS)
def test_linkages_match_reference(seed: int) -> None:
    t = random_table(seed)
    L, G = ref_leontief(t), ref_ghosh(t)
    n = t.n
    bl = [sum(L[i, j] for i in range(n)) for j in range(n)]
    fl = [sum(G[i, j] for j in range(n)) for i in range(n)]
    lk = cio.linkages(t)
    np.testing.assert_allclose(lk["backward_total"], bl, rtol=1e-10)
    np.testing.assert_allclose(lk["forward_total"], fl, rtol=1e-10)
    np.testing.assert_allclose(lk["backward_total_norm"], np.array(bl) / np.mean(bl), rtol=1e-10)
    np.testing.assert_allclose(lk["forward_total_norm"], np.array(fl) / np.mean(fl), rtol=1e-10)
    A = t.Z.to_numpy() / t.x.to_numpy()[np.newaxis, :]
    np.testing.assert_allclose(lk["backward_direct"], A.sum(axis=0), rtol=1e-12)
    ks = cio.key_sectors(t)
    for j, lab in enumerate(t.labels):
        b, f = bl[j] / np.mean(bl), fl[j] / np.mean(fl)
        want = (
            "key"
            if b > 1 and f > 1
            else "backward-oriented"
            if b > 1
            else "forward-oriented"
            if f > 1
            else "weak"
        )
        assert ks.loc[lab, "type"] == want
    np.testing.assert_allclose(cio.output_multipliers(t), bl, rtol=1e-10)
    np.testing.assert_allclose(t.G.to_numpy(), G, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_single_extraction_ranking_matches_reference(seed: int) -> None:
    t = random_table(seed, open_economy=True)
    ranking = cio.extraction_ranking(t)
    for j, lab in enumerate(t.labels):
        assert ranking.loc[lab, "loss"] == pytest.approx(ref_extraction_loss(t, [j]), rel=1e-9)
    assert ranking["loss"].is_monotonic_decreasing
    assert ranking["rank"].tolist() == list(range(1, t.n + 1))


@pytest.mark.parametrize("seed", SEEDS)
def test_group_extraction_matches_reference(seed: int) -> None:
    t = random_table(seed, n=9, open_economy=True)
    rng = np.random.default_rng(seed)
    group = sorted(rng.choice(t.n, size=3, replace=False).tolist())
    labels = [t.labels[i] for i in group]
    got = cio.extraction_loss(t, labels)
    assert got["loss"] == pytest.approx(ref_extraction_loss(t, group), rel=1e-9)
    detail = cio.hypothetical_extraction(t, labels)
    assert detail.loc[labels, "x_extracted"].eq(0).all()
    assert detail["extracted"].sum() == 3


def ref_upstreamness_series(t: IOTable, stages: int = 2000) -> np.ndarray:
    """ACFH (2012) eq. 1 by stages: U_i = Σ_k k·(A^{k−1}F)_i / x_i (closed economy)."""
    Z = t.Z.to_numpy()
    x = t.x.to_numpy()
    A = Z / x[np.newaxis, :]
    F = x - Z.sum(axis=1)
    total = np.zeros_like(x)
    weighted = np.zeros_like(x)
    term = F.copy()
    for k in range(1, stages + 1):
        total += term
        weighted += k * term
        term = A @ term
    np.testing.assert_allclose(total, x, rtol=1e-9)  # the stages add up to gross output
    return weighted / x


@pytest.mark.parametrize("seed", SEEDS)
def test_upstreamness_matches_stage_series(seed: int) -> None:
    t = random_table(seed)
    np.testing.assert_allclose(
        cio.upstreamness(t).to_numpy(), ref_upstreamness_series(t), rtol=1e-8
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_open_economy_upstreamness_matches_reference(seed: int) -> None:
    t = random_table(seed, open_economy=True)
    Z = t.Z.to_numpy()
    x = t.x.to_numpy()
    X = t.Y["exports"].to_numpy()
    N = t.Y["changes in inventories"].to_numpy()
    M = t.imports.to_numpy()
    n = t.n
    D = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            D[i, j] = Z[i, j] / (x[i] - X[i] + M[i] - N[i])
    want = np.linalg.inv(np.eye(n) - D) @ np.ones(n)
    np.testing.assert_allclose(cio.upstreamness(t).to_numpy(), want, rtol=1e-10)
    # without the adjustment: Ghosh row sums
    np.testing.assert_allclose(
        cio.upstreamness(t, open_economy=False).to_numpy(), ref_ghosh(t).sum(axis=1), rtol=1e-10
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_import_dependence_matches_reference(seed: int) -> None:
    t = random_noncompetitive(seed)
    Z, Zm, x = t.Z.to_numpy(), t.Zm.to_numpy(), t.x.to_numpy()
    n = t.n
    L = np.linalg.inv(np.eye(n) - Z / x)
    Am = Zm / x
    got = cio.import_dependence(t)
    for j, lab in enumerate(t.labels):
        direct = sum(Zm[i, j] for i in range(n)) / sum(Z[i, j] + Zm[i, j] for i in range(n))
        imported = sum(Am[i, k] * L[k, j] for i in range(n) for k in range(n))
        inter = sum((Z[i, k] / x[k] + Am[i, k]) * L[k, j] for i in range(n) for k in range(n))
        assert got.loc[lab, "direct_share"] == pytest.approx(direct, rel=1e-12)
        assert got.loc[lab, "total_imported"] == pytest.approx(imported, rel=1e-10)
        assert got.loc[lab, "total_intermediate"] == pytest.approx(inter, rel=1e-10)
        assert got.loc[lab, "total_share"] == pytest.approx(imported / inter, rel=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_servitisation_matches_reference(seed: int) -> None:
    t = random_noncompetitive(seed)
    n = t.n
    groups = ["manufacturing" if i % 2 == 0 else "services" for i in range(n)]
    cls = pd.Series(groups, index=t.labels)
    Zt = t.Z.to_numpy() + t.Zm.to_numpy()
    x = t.x.to_numpy()
    L = np.linalg.inv(np.eye(n) - t.Z.to_numpy() / x)
    AL = (Zt / x) @ L
    vc = t.v.to_numpy() / x
    got = cio.servitisation(t, classification=cls)
    assert list(got.index) == [t.labels[i] for i in range(0, n, 2)]
    S = [i for i in range(n) if groups[i] == "services"]
    for j in range(0, n, 2):
        lab = t.labels[j]
        assert got.loc[lab, "direct_share"] == pytest.approx(
            sum(Zt[i, j] for i in S) / sum(Zt[i, j] for i in range(n)), rel=1e-12
        )
        assert got.loc[lab, "total_share"] == pytest.approx(
            sum(AL[i, j] for i in S) / sum(AL[i, j] for i in range(n)), rel=1e-10
        )
        assert got.loc[lab, "va_share"] == pytest.approx(
            sum(vc[i] * L[i, j] for i in S) / sum(vc[i] * L[i, j] for i in range(n)), rel=1e-10
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_multipliers_match_reference(seed: int) -> None:
    t = random_noncompetitive(seed)
    L = np.linalg.inv(np.eye(t.n) - t.Z.to_numpy() / t.x.to_numpy())
    vc = t.v.to_numpy() / t.x.to_numpy()
    mt = cio.multiplier_table(t)
    np.testing.assert_allclose(mt["output"], L.sum(axis=0), rtol=1e-10)
    np.testing.assert_allclose(mt["value_added"], vc @ L, rtol=1e-10)
    np.testing.assert_allclose(mt["value_added_type_I"], (vc @ L) / vc, rtol=1e-10)
    # open economy: value added leaks to imports, so the VA multiplier is below 1
    assert (mt["value_added"] < 1).all()
    # downstreamness uses total-use coefficients (Z + Zm)
    Lt = np.linalg.inv(np.eye(t.n) - (t.Z.to_numpy() + t.Zm.to_numpy()) / t.x.to_numpy())
    np.testing.assert_allclose(cio.downstreamness(t), Lt.sum(axis=0), rtol=1e-10)


def test_structural_change_indices_by_hand() -> None:
    t1, t2 = random_table(1, n=6), random_table(2, n=6)
    sc = cio.structural_change({2010: t1, 2020: t2})
    s1 = t1.x.to_numpy() / t1.x.sum()
    s2 = t2.x.to_numpy() / t2.x.sum()
    nav = 0.5 * sum(abs(a - b) for a, b in zip(s2, s1, strict=True))
    assert sc.summary.loc[2020, "output_change_nav"] == pytest.approx(nav, rel=1e-12)
    A1, A2 = t1.A.to_numpy(), t2.A.to_numpy()
    cci = sum(abs(A2[i, j] - A1[i, j]) for i in range(6) for j in range(6)) / A1.sum()
    assert sc.summary.loc[2020, "coefficient_change"] == pytest.approx(cci, rel=1e-12)
    assert np.isnan(sc.summary.loc[2010, "coefficient_change"])
    L1 = ref_leontief(t1)
    np.testing.assert_allclose(sc.output_multipliers[2010], L1.sum(axis=0), rtol=1e-10)
    r1 = pd.Series(L1.sum(axis=0), index=t1.labels).rank(ascending=False, method="first")
    assert sc.changes["backward_rank_2010"].tolist() == r1.astype(int).tolist()


def test_multi_region_upstreamness_nets_out_every_regions_inventories() -> None:
    rng = np.random.default_rng(7)
    labels = pd.MultiIndex.from_product([["R1", "R2"], ["c1", "c2", "c3"]])
    n = len(labels)
    Z = rng.uniform(0, 50, (n, n))
    x = np.maximum(Z.sum(axis=0), Z.sum(axis=1)) / 0.6
    inv = rng.uniform(-5, 5, (n, 2))
    cols = pd.MultiIndex.from_tuples(
        [("R1", "CONS_h"), ("R1", "INVEN"), ("R2", "CONS_h"), ("R2", "INVEN")]
    )
    cons = x - Z.sum(axis=1) - inv.sum(axis=1)
    Y = pd.DataFrame(np.column_stack([cons / 2, inv[:, 0], cons / 2, inv[:, 1]]), labels, cols)
    t = IOTable(
        Z=pd.DataFrame(Z, labels, labels),
        Y=Y,
        V=pd.DataFrame([x - Z.sum(axis=0)], index=["VA"], columns=labels),
        x=pd.Series(x, labels),
        unit="USD",
        layout="multi-region",
        provenance=Provenance("random MRIO"),
    )
    N = inv.sum(axis=1)
    D = np.array([[Z[i, j] / (x[i] - N[i]) for j in range(n)] for i in range(n)])
    want = np.linalg.inv(np.eye(n) - D) @ np.ones(n)
    got = cio.upstreamness(t)
    assert got.index.equals(labels)
    np.testing.assert_allclose(got.to_numpy(), want, rtol=1e-10)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 8), size=st.integers(1, 3))
def test_extraction_property(seed: int, n: int, size: int) -> None:
    """Any productive table and any group: the Schur-complement result equals explicit deletion."""
    t = random_table(seed, n=n, open_economy=seed % 2 == 0)
    group = list(range(min(size, n)))
    got = cio.extraction_loss(t, [t.labels[i] for i in group])["loss"]
    assert got == pytest.approx(ref_extraction_loss(t, group), rel=1e-8, abs=1e-8)
    ranking = cio.extraction_ranking(t)
    assert ranking.loc[t.labels[0], "loss"] == pytest.approx(
        ref_extraction_loss(t, [0]), rel=1e-8, abs=1e-8
    )
