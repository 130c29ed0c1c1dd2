"""Analysis on the real tables: China's NBS tables and WIOD 2011 against pymrio."""

from __future__ import annotations

import time

import numpy as np
import pytest

import chainatlas.io as cio
from chainatlas.datasets import load
from chainatlas.io.table import IOTable
from chainatlas.pipelines.sections.io import load_china_series

COMPETITIVE = list(cio.CHINA_COMPETITIVE.values())
NONCOMPETITIVE = list(cio.CHINA_NONCOMPETITIVE.values())


@pytest.fixture(scope="module")
def china(mirror) -> dict[str, IOTable]:
    return {s: load(s, progress=False) for s in COMPETITIVE + NONCOMPETITIVE}


@pytest.fixture(scope="module")
def wiod(mirror) -> IOTable:
    return load("wiod-2013:2011", progress=False)


def _max_rel(ours: np.ndarray, theirs: np.ndarray) -> float:
    """Largest elementwise relative error over non-zero entries (zeros must match exactly)."""
    nz = theirs != 0
    assert (ours[~nz] == 0).all()
    return float((np.abs(ours[nz] - theirs[nz]) / np.abs(theirs[nz])).max())


# ---------------------------------------------------------------- WIOD vs pymrio
def test_wiod_agrees_with_pymrio(wiod: IOTable) -> None:
    from pymrio.tools import iomath

    Z, x = wiod.Z.to_numpy(), wiod.x.to_numpy()
    assert wiod.n == 1435
    A = iomath.calc_A(Z, x)
    L = iomath.calc_L(A)
    assert _max_rel(wiod.A.to_numpy(), A) < 1e-10
    assert _max_rel(wiod.L.to_numpy(), L) < 1e-10
    assert _max_rel(cio.output_multipliers(wiod).to_numpy(), L.sum(axis=0)) < 1e-10
    # pymrio's G = (I − B)⁻¹ with B = x̂⁻¹Z: the Miller & Blair definition
    G = iomath.calc_G(iomath.calc_B(Z, x))
    assert _max_rel(wiod.G.to_numpy(), G) < 1e-10
    assert _max_rel(cio.forward_linkages(wiod, normalise=False).to_numpy(), G.sum(axis=1)) < 1e-10
    # documented difference: pymrio's shortcut calc_G(B, L, x) zeroes the rows of zero-output
    # sectors (diagonal included) where (I − B)⁻¹ has 1 on the diagonal
    zero = x == 0
    assert zero.sum() >= 1
    G_short = iomath.calc_G(None, L=L, x=x)
    assert (np.diag(G_short)[zero] == 0).all() and (np.diag(wiod.G.to_numpy())[zero] == 1).all()
    assert _max_rel(wiod.G.to_numpy()[~zero], G_short[~zero]) < 1e-10


def test_wiod_analysis_shapes_and_world_identities(wiod: IOTable) -> None:
    # the world is closed: every unit of final demand ends up as value added, v_cᵀL = 1ᵀ
    va = cio.value_added_multipliers(wiod).to_numpy()
    pos = wiod.x.to_numpy() > 0
    np.testing.assert_allclose(va[pos], 1.0, atol=2e-3)  # VA derived from rounded flows
    u = cio.upstreamness(wiod)
    assert u.index.equals(wiod.labels) and (u.dropna() >= 1 - 1e-12).all()
    assert u.isna().sum() == (~pos).sum()  # zero-output sectors have no position
    groups = cio.classify_sectors(wiod)
    assert (groups.xs("c2", level=1) == "mining").all()
    assert (groups.xs("c20", level=1) == "services").all()
    ranking = cio.extraction_ranking(wiod)
    assert len(ranking) == 1435 and ranking["loss_share"].iloc[0] < 1


# ---------------------------------------------------------------- China
@pytest.mark.parametrize("spec", COMPETITIVE)
def test_china_competitive_value_added_multipliers_are_one(china, spec: str) -> None:
    # competitive tables: 1ᵀA + v_c = 1 column by column, so v_cᵀL = 1ᵀ (within balance)
    va = cio.value_added_multipliers(china[spec])
    np.testing.assert_allclose(va.to_numpy(), 1.0, atol=1e-8)


@pytest.mark.parametrize("spec", NONCOMPETITIVE)
def test_china_noncompetitive_value_added_plus_imports_is_one(china, spec: str) -> None:
    # non-competitive: 1ᵀA + 1ᵀA_m + v_c = 1, so v_cᵀL + 1ᵀA_mL = 1ᵀ: each unit of final demand
    # is domestic value added or imported inputs
    t = china[spec]
    va = cio.value_added_multipliers(t).to_numpy()
    imp = cio.import_dependence(t)
    np.testing.assert_allclose(va + imp["total_imported"].to_numpy(), 1.0, atol=1e-8)
    assert ((imp["direct_share"] > 0) & (imp["direct_share"] < 1)).all()
    # total import share ≥ ... the direct share is not bounded by it, but both are shares
    assert ((imp["total_share"] > 0) & (imp["total_share"] < 1)).all()


def test_china_2020_classification_and_rankings(china) -> None:
    t = china["china-io:2020-42"]
    groups = cio.classify_sectors(t)
    want = (
        ["primary"]
        + ["mining"] * 4
        + ["manufacturing"] * 18
        + ["utilities"] * 3
        + ["construction"]
        + ["services"] * 15
    )
    assert groups.tolist() == want
    assert groups.index.tolist() == [f"{i:02d}" for i in range(1, 43)]
    pos = cio.positions(t)
    assert (pos["upstreamness"] >= 1).all() and (pos["downstreamness"] >= 1).all()
    # mining (02–05) is upstream, public administration (42) sells almost only to final use
    assert set(pos.nsmallest(5, "rank_upstream").index) & {"02", "03", "04", "05"}
    assert pos.loc["42", "upstreamness"] < 1.2
    # construction (27), the largest sector, loses the most output when extracted
    assert cio.extraction_ranking(t).index[0] == "27"
    sv = cio.servitisation(t)
    assert len(sv) == 18 and ((sv["total_share"] > 0) & (sv["total_share"] < 1)).all()


def test_china_imports_require_noncompetitive(china) -> None:
    with pytest.raises(cio.LayoutError, match="non-competitive"):
        cio.import_dependence(china["china-io:2020-153"])


def test_structural_change_all_tables_fast(mirror) -> None:
    start = time.perf_counter()
    comp, nonc = load_china_series()
    sc = cio.structural_change(comp, noncompetitive=nonc)
    elapsed = time.perf_counter() - start
    assert elapsed < 20  # a few seconds on one core; generous for CI
    assert sc.years == (2002, 2005, 2007, 2010, 2012, 2015, 2017, 2018, 2020)
    assert sc.output_multipliers.shape == (39, 9)
    assert list(sc.import_share.columns) == [2017, 2018, 2020]
    np.testing.assert_allclose(sc.output_share.sum(), 1.0)
    s = sc.summary
    assert s["output_change_nav"].iloc[1:].between(0, 1).all()
    assert (s["coefficient_change"].iloc[1:] > 0).all()
    assert sc.key_type.isin(list(cio.TYPOLOGY)).all().all()
