"""Miller & Blair (2009) Table 2.3 and other textbook facts, checked against published values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import chainatlas.io as cio
from chainatlas.io.table import IOTable

# Miller & Blair (2009), Table 2.3 and eq. 2.13: the published Leontief inverse (6 decimals)
L_PUBLISHED = np.array([[1.254125, 0.330033], [0.264026, 1.122112]])


@pytest.fixture()
def mb() -> IOTable:
    return IOTable.from_arrays(
        Z=[[150, 500], [200, 100]],
        Y=[[350], [1700]],
        V=[[650, 1400]],
        sectors=["S1", "S2"],
        final_demand=["f"],
        value_added=["v"],
        unit="USD",
        source="Miller & Blair (2009) Table 2.3",
    )


def test_table_2_3_published_values(mb: IOTable) -> None:
    np.testing.assert_allclose(mb.x.to_numpy(), [1000.0, 2000.0])
    np.testing.assert_allclose(mb.A.to_numpy(), [[0.15, 0.25], [0.2, 0.05]])
    np.testing.assert_allclose(mb.L.to_numpy(), L_PUBLISHED, atol=5e-7)


def test_output_multipliers_are_column_sums_of_published_L(mb: IOTable) -> None:
    m = cio.output_multipliers(mb)
    np.testing.assert_allclose(m.to_numpy(), L_PUBLISHED.sum(axis=0), atol=1e-6)
    assert list(m.index) == ["S1", "S2"]


def test_ghosh_is_inverse_of_I_minus_B(mb: IOTable) -> None:
    # M&B eq. 12.7: B = x̂⁻¹Z = [[0.15, 0.5], [0.1, 0.05]]
    np.testing.assert_allclose(mb.B.to_numpy(), [[0.15, 0.5], [0.1, 0.05]])
    G = np.linalg.inv(np.eye(2) - mb.B.to_numpy())
    fl = cio.forward_linkages(mb, normalise=False)
    np.testing.assert_allclose(fl.to_numpy(), G.sum(axis=1), rtol=1e-12)


def test_linkages_and_typology(mb: IOTable) -> None:
    lk = cio.linkages(mb)
    # direct backward = column sums of A; direct forward = row sums of B
    np.testing.assert_allclose(lk["backward_direct"], [0.35, 0.30])
    np.testing.assert_allclose(lk["forward_direct"], [0.65, 0.15])
    np.testing.assert_allclose(lk["backward_total_norm"].mean(), 1.0)
    ks = cio.key_sectors(mb)
    # S1: BL 1.518/1.485 > 1, FL 1.914/1.584 > 1 → key; S2 below average on both → weak
    assert ks["type"].tolist() == ["key", "weak"]
    assert ks["type_zh"].tolist() == ["关键部门", "弱关联部门"]


def test_closed_economy_upstreamness_is_ghosh_row_sum(mb: IOTable) -> None:
    # no exports/imports/inventories: U = G·1 (Miller & Temurshoev 2017)
    G = np.linalg.inv(np.eye(2) - mb.B.to_numpy())
    np.testing.assert_allclose(cio.upstreamness(mb).to_numpy(), G.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(
        cio.downstreamness(mb).to_numpy(), L_PUBLISHED.sum(axis=0), atol=1e-6
    )


def test_extraction_of_sector_1_by_hand(mb: IOTable) -> None:
    # remove S1: x̄_2 = f_2 / (1 − a_22) = 1700 / 0.95
    res = cio.hypothetical_extraction(mb, ["S1"])
    assert res.loc["S1", "x_extracted"] == 0.0
    assert res.loc["S2", "x_extracted"] == pytest.approx(1700 / 0.95, rel=1e-12)
    loss = cio.extraction_loss(mb, ["S1"])
    assert loss["loss"] == pytest.approx(3000 - 1700 / 0.95, rel=1e-12)
    assert loss["loss_share"] == pytest.approx((3000 - 1700 / 0.95) / 3000, rel=1e-12)
    # extracting everything loses all output
    assert cio.extraction_loss(mb, ["S1", "S2"])["loss_share"] == pytest.approx(1.0)


def test_value_added_multipliers_sum_to_one_in_closed_table(mb: IOTable) -> None:
    # with no imports every unit of final demand becomes value added: v_cᵀL = 1ᵀ (M&B §6.3)
    np.testing.assert_allclose(cio.value_added_multipliers(mb).to_numpy(), [1.0, 1.0])
    emp = pd.Series({"S2": 40.0, "S1": 10.0})
    e = cio.employment_multipliers(mb, emp)
    ec = np.array([10 / 1000, 40 / 2000])
    np.testing.assert_allclose(e.to_numpy(), ec @ L_PUBLISHED, atol=5e-8)
    t1 = cio.employment_multipliers(mb, emp, kind="type-I")
    np.testing.assert_allclose(t1.to_numpy(), e.to_numpy() / ec, rtol=1e-12)


def test_servitisation_two_sectors(mb: IOTable) -> None:
    cls = pd.Series({"S1": "manufacturing", "S2": "services"})
    sv = cio.servitisation(mb, classification=cls)
    assert list(sv.index) == ["S1"]
    # direct: Z_21 / (Z_11 + Z_21) = 200 / 350
    assert sv.loc["S1", "direct_share"] == pytest.approx(200 / 350)
    AL = mb.A.to_numpy() @ L_PUBLISHED
    assert sv.loc["S1", "total_share"] == pytest.approx(AL[1, 0] / AL[:, 0].sum(), rel=1e-5)
