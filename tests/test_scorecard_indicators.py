"""Scorecard indicator formulas on the real WIOD 2011 table, against the labelled API and loops."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.chains import chokepoint_ranking, foreign_dependence
from chainatlas.datasets import load
from chainatlas.kernels.batched import extraction_losses_many
from chainatlas.kernels.io import extraction_losses_single
from chainatlas.scorecard import compute_indicators, load_spec, panel_from_mrio
from chainatlas.scorecard.indicators import Unavailable


@pytest.fixture(scope="module")
def wiod():
    return load("wiod-2013:2011", progress=False)


@pytest.fixture(scope="module")
def result(wiod):
    units = [r for r in wiod.labels.get_level_values(0).unique() if r != "RoW"]
    inputs = {
        "panel": panel_from_mrio(wiod, units=units),
        "mrio": wiod,
        "units": units,
        "year": 2011,
        "_cache": {},
        "eci": Unavailable("test"),
    }
    raw, years, unavailable = compute_indicators(load_spec("economies"), inputs)
    return raw, years, unavailable, inputs


def test_units_and_years(result):
    raw, years, unavailable, _ = result
    assert len(raw) == 40 and "RoW" not in raw.index and "TWN" in raw.index
    assert years["eci"] == 2017 and years["import_dependence"] == 2011
    assert unavailable == {"eci": "test"}
    assert raw["eci"].isna().all()
    assert raw.drop(columns="eci").notna().all().all()


def test_extraction_many_equals_single():
    rng = np.random.default_rng(1)
    A = rng.uniform(0, 0.1, size=(30, 30))
    L = np.linalg.inv(np.eye(30) - A)
    f = rng.uniform(1, 10, size=30)
    W = (rng.uniform(size=(30, 4)) > 0.5).astype(float)
    got = extraction_losses_many(L, f, W)
    for k in range(4):
        np.testing.assert_allclose(got[k], extraction_losses_single(L, f, W[:, k]), rtol=1e-10)


@pytest.mark.parametrize("economy", ["CHN", "DEU"])
def test_batched_chokepoints_equal_chokepoint_ranking(result, wiod, economy):
    raw, _, _, inputs = result
    mine = inputs["_cache"]["chokepoints"][economy]
    ref = chokepoint_ranking(wiod, economy, rest_of_world="exclude")
    np.testing.assert_allclose(
        mine["score"].to_numpy(), ref["score"].to_numpy(), rtol=1e-9, atol=1e-10
    )
    assert list(mine.index[:10]) == list(ref.index[:10])
    assert raw.loc[economy, "chokepoint_exposure"] == pytest.approx(
        ref["supply_share"].head(10).sum()
    )
    assert raw.loc[economy, "worst_extraction_loss"] == pytest.approx(ref["reach_share"].max())


@pytest.mark.parametrize("economy", ["CHN", "USA"])
def test_import_dependence_and_foreign_hhi_against_foreign_dependence(result, wiod, economy):
    raw = result[0]
    fd = foreign_dependence(wiod, economy)
    assert raw.loc[economy, "import_dependence"] == pytest.approx(fd["total_share"].sum())
    # foreign-only HHI: loop over origin economies, RoW out of the squares
    by = fd.groupby(level=0)["total_value"].sum()
    tot = by.sum()
    hhi = sum((v / tot) ** 2 for r, v in by.items() if r != "RoW")
    assert raw.loc[economy, "foreign_supplier_hhi"] == pytest.approx(hhi)


def test_shares_by_hand(result, wiod):
    raw = result[0]
    v = wiod.v.loc["CHN"]
    x = wiod.x.loc["CHN"]
    assert raw.loc["CHN", "digital_core_va_share"] == pytest.approx((v["c14"] + v["c27"]) / v.sum())
    manuf = [f"c{i}" for i in range(3, 17)]
    assert raw.loc["CHN", "manufacturing_va_rate"] == pytest.approx(v[manuf].sum() / x[manuf].sum())
    Z = wiod.Z.xs("CHN", axis=1, level=0)
    energy = Z[Z.index.get_level_values(1).isin(["c2", "c8", "c17"])].to_numpy().sum()
    assert raw.loc["CHN", "energy_intensity_direct"] == pytest.approx(energy / x.sum())
    serv_rows = Z.index.get_level_values(1).isin([f"c{i}" for i in range(19, 36)])
    zm = Z[manuf]
    assert raw.loc["CHN", "servitisation"] == pytest.approx(
        zm[serv_rows].to_numpy().sum() / zm.to_numpy().sum()
    )


def test_breadth_by_hand(result, wiod):
    raw = result[0]
    x = wiod.x.unstack(level=1)
    x = x.drop(columns="c35").drop(index="RoW")  # reference: the 40 economies
    s = x.div(x.sum(axis=1), axis=0)
    ws = x.sum() / x.sum().sum()
    lq = s / ws
    from chainatlas.scorecard.indicators import output_rca_count

    inputs = result[3]
    rca = output_rca_count(inputs, exclude=("c35",))
    assert rca["IRL"] == (lq.loc["IRL"] >= 1).sum()
    share = x / x.sum()
    assert raw.loc["USA", "world_share_presence"] == pytest.approx(
        (share.loc["USA"] >= 0.005).mean()
    )
    assert raw.loc["IRL", "category_completeness"] == pytest.approx((lq.loc["IRL"] >= 0.2).mean())
    p = s.loc["IRL"][s.loc["IRL"] > 0]
    assert raw.loc["IRL", "output_entropy"] == pytest.approx(-(p * np.log(p)).sum() / np.log(34))


def test_total_energy_leq_reasonable(result):
    raw = result[0]
    # total (all-round) use of energy products exceeds the direct use per unit of output
    assert (raw["energy_intensity_total"] > raw["energy_intensity_direct"]).all()
    assert pd.Series(raw["import_dependence"]).between(0, 1).all()
