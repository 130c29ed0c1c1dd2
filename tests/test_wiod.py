"""wiod-2013 loader: shapes, labels, final-use categories, derived value added, rounding
tolerance and zero-output sectors for every year 1995–2011."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from chainatlas.datasets import available_specs, load
from chainatlas.datasets.loaders import wiod
from chainatlas.errors import UnknownDatasetError

YEARS = [str(y) for y in range(1995, 2012)]


@pytest.fixture(scope="module")
def t2011(mirror):
    return load("wiod-2013:2011", progress=False)


def test_specs():
    assert wiod.SPECS() == YEARS
    assert available_specs("wiod-2013") == [f"wiod-2013:{y}" for y in YEARS]


def test_labels_and_shapes(t2011):
    t = t2011
    assert t.layout == "multi-region" and t.unit == "USD million"
    assert t.n == 1435 and t.Y.shape == (1435, 205) and t.V.shape == (1, 1435)
    assert list(t.labels.names) == ["region", "sector"]
    assert len(t.regions) == 41 and t.regions[0] == "AUS" and t.regions[-1] == "RoW"
    assert "CHN" in t.regions
    assert list(t.labels.get_level_values("sector").unique()) == [f"c{i}" for i in range(1, 36)]
    assert list(t.Y.columns.names) == ["region", "category"]
    assert list(t.Y.columns[:5]) == [
        ("AUS", "CONS_h"),
        ("AUS", "CONS_np"),
        ("AUS", "CONS_g"),
        ("AUS", "GFCF"),
        ("AUS", "INVEN"),
    ]
    assert t.sectors.loc[("CHN", "c14"), "isic"] == "30t33"
    assert t.sectors.loc[("CHN", "c14"), "name_zh"] == "电气和光学设备"


def test_final_use_category_order_is_wiod_order(t2011):
    """INVEN (changes in inventories) is the only category with many negative entries, and
    household consumption is the largest one — as in WIOD's own column order."""
    Y = t2011.Y
    neg = (Y < 0).sum().groupby(level="category").sum()
    assert neg["INVEN"] > 100 and neg[["CONS_h", "CONS_np", "CONS_g"]].sum() == 0
    total = Y.sum().groupby(level="category").sum()
    assert total.idxmax() == "CONS_h" and total.idxmin() in {"CONS_np", "INVEN"}
    # the domestic block dominates: China's products mostly go to China's final demand
    chn = Y.loc["CHN"].sum().groupby(level="region").sum()
    assert chn.idxmax() == "CHN"


def test_value_added_is_derived_and_said_so(t2011):
    t = t2011
    np.testing.assert_array_equal(t.V.loc["VA"], t.x.to_numpy() - t.Z.to_numpy().sum(axis=0))
    assert (t.V.to_numpy() >= 0).all()
    assert any("derived V" in s for s in t.provenance.steps)


def test_zero_output_sectors_listed(t2011):
    t = t2011
    zero = t.x.index[t.x == 0]
    assert len(zero) == 22 and t.zero_output == "zero-coefficients"
    listed = dict(t.provenance.extra)["zero_output_sectors"].split(", ")
    assert listed == [f"{r}/{s}" for r, s in zero]
    assert "CHN/c35" in listed and "LUX/c8" in listed
    # their A columns are zero and L has unit diagonal there (pymrio's convention)
    j = t.labels.get_indexer(zero)
    assert not t.A.to_numpy()[:, j].any()
    np.testing.assert_array_equal(np.diag(t.L.to_numpy())[j], 1.0)


@pytest.mark.parametrize("year", YEARS)
def test_every_year_balances_within_rounding_tolerance(mirror, year):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the rdata "Missing constructor" warning is handled
        t = load(f"wiod-2013:{year}", progress=False)
    gap = (t.Z.to_numpy().sum(1) + t.Y.to_numpy().sum(1)) - t.x.to_numpy()
    assert 0 < np.abs(gap).max() <= wiod.BALANCE_ATOL  # rounded integers: never exact
    assert t.balance_atol == wiod.BALANCE_ATOL
    assert 18 <= int((t.x == 0).sum()) <= 22
    assert (t.x >= 0).all() and np.isclose(t.x.sum(), t.Z.to_numpy().sum() + t.V.to_numpy().sum())


def test_unknown_year():
    with pytest.raises(UnknownDatasetError, match="did you mean 'wiod-2013:2011'"):
        load("wiod-2013:2012")
    with pytest.raises(UnknownDatasetError, match="1995 to 2011"):
        wiod.load("1994")
