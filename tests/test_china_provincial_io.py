"""china-provincial-io (CHNIO): loaders, names, balance, published GDP, national sums, bad input."""

from __future__ import annotations

import time

import numpy as np
import pytest

from chainatlas.datasets import load
from chainatlas.datasets.loaders import china_provincial_io as cp
from chainatlas.errors import UnknownCodeError, UnknownDatasetError


def test_published_provincial_gdp() -> None:
    """Provincial TVA equals the official GDP (亿元): Jiangsu 2017, Beijing 2012 and 2017."""
    va17 = load("china-provincial-io:2017").extra["value added"].sum(axis=1) / 1e4
    va12 = load("china-provincial-io:2012").extra["value added"].sum(axis=1) / 1e4
    assert va17["JSU"] == pytest.approx(85870, abs=1)
    assert va17["BEJ"] == pytest.approx(28014.9, abs=1)
    assert va12["BEJ"] == pytest.approx(17879.4, abs=1)
    # the sum over provinces (data README: 58.3 and 84.7 万亿元)
    assert va12.sum() / 1e4 == pytest.approx(58.3, abs=0.05)
    assert va17.sum() / 1e4 == pytest.approx(84.7, abs=0.05)


def test_province_counts_and_tibet() -> None:
    keys = set(cp.SPECS())
    for year in cp.YEARS:  # SPECS lists the tables without reading the files
        assert {k.partition("-")[2] for k in keys if k.startswith(f"{year}-")} == set(cp._raw(year))
    for year, n in [(2002, 30), (2007, 30), (2012, 31), (2017, 31)]:
        ri = load(f"china-provincial-io:{year}")
        assert ri.values.shape == (n, 42)
        assert ("XIZ" in ri.values.index) == (year >= 2012)
    with pytest.raises(UnknownDatasetError, match=r"no 2002 table for 西藏.*2012-西藏"):
        load("china-provincial-io:2002-西藏")
    with pytest.raises(UnknownDatasetError, match=r"no 2007 table for 西藏"):
        load("china-provincial-io:2007-Xizang")


def test_province_spellings_resolve_to_one_table() -> None:
    keys = ["2017-四川", "2017-四川省", "2017-Sichuan", "2017-sichuan", "2017-SIC", "2017-51"]
    assert {cp.resolve_key(k) for k in keys} == {"2017-四川"}
    assert cp.resolve_key("2012-Neimenggu") == "2012-内蒙古"
    assert cp.resolve_key("2012-Shaanxi") == "2012-陕西"
    t = load("china-provincial-io:2017-Sichuan")
    assert t is load("china-provincial-io:2017-四川")  # cached, immutable
    assert t.provenance.source == "china-provincial-io:2017-四川"


def test_unknown_province_suggests_and_lists() -> None:
    with pytest.raises(
        UnknownCodeError, match=r"unknown province 'Sichaun'.*did you mean 'Sichuan'"
    ):
        load("china-provincial-io:2017-Sichaun")
    with pytest.raises(UnknownCodeError, match=r"四川 Sichuan SIC/51"):
        load("china-provincial-io:2017-Atlantis")
    with pytest.raises(UnknownDatasetError, match="years: 2002, 2007, 2012, 2017"):
        load("china-provincial-io:2016-四川")


def test_sector_names_follow_the_national_scheme() -> None:
    """2012/2017 names are the national 42-sector tables' (secnames.rda is wrong there)."""
    n17 = load("china-io:2017-42", progress=False).sectors["name_zh"].tolist()
    assert cp.sectors(2017)["name_zh"].tolist() == n17
    assert cp.sectors(2017).loc["31", "name_zh"] == "信息传输、软件和信息技术服务"
    assert cp.sectors(2012).loc["32", "name_zh"] == "信息传输、软件和信息技术服务"
    assert cp.sectors(2012).loc["24", "name_zh"] == "金属制品、机械和设备修理服务"
    n07 = load("china-provincial-io-2007:output", progress=False).industries["name_zh"]
    assert cp.sectors(2007)["name_zh"].tolist() == n07.tolist()
    assert cp.sectors(2002).loc["35", "name_zh"] == "旅游业"


def test_2007_matches_the_2007_workbook() -> None:
    """CHNIO 2007 and ChinaIO.xls (china-provincial-io-2007): same scheme, same output in 22 of
    30 provinces; eight provinces come from another edition (甘肃 −5.9 % of total output)."""
    old = load("china-provincial-io-2007:output", progress=False).values
    new = load("china-provincial-io:2007").values
    assert list(old.index) == list(new.index)
    same = (new - old).abs().max(axis=1) <= 1.0
    assert int(same.sum()) == 22
    assert sorted(same.index[~same]) == sorted(
        ["NMG", "SHH", "SHD", "HUB", "HAI", "GAN", "QIH", "NXA"]
    )
    rel = new.sum(axis=1) / old.sum(axis=1) - 1
    assert rel["GAN"] == pytest.approx(-0.0587, abs=1e-3)


def test_concordance_common_basis() -> None:
    c = cp.concordance()
    assert c.groupby("year")["common_code"].nunique().eq(38).all()
    digital = c[c["common_code"].isin(["C19", "C27"])]
    got = {y: sorted(g["code"]) for y, g in digital.groupby("year")}
    assert got == {2002: ["19", "29"], 2007: ["19", "29"], 2012: ["20", "32"], 2017: ["20", "31"]}
    # the common basis keeps total output: aggregation only regroups sectors
    ri = load("china-provincial-io:2012")
    m = c[c.year == 2012].set_index("code")["common_code"]
    agg = ri.aggregate_industries(m, classification="china-provincial-common-38")
    assert agg.values.shape == (31, 38)
    np.testing.assert_allclose(agg.values.sum(axis=1), ri.values.sum(axis=1))


@pytest.mark.parametrize("year", cp.YEARS)
def test_every_province_balances(year: int) -> None:
    """Rows and columns balance within the documented tolerance (measured gaps asserted)."""
    b = cp.balance_report(year)
    worst = {2002: 6876.3, 2007: 0.5, 2012: 0.5, 2017: 0.3}[year]
    assert b["max_row_gap"].max() <= worst
    assert b["max_col_gap"].max() <= worst
    if year == 2002:
        assert b["max_row_gap"].idxmax() == "福建"
        assert b["max_row_rgap"].max() == pytest.approx(0.00519, abs=1e-5)
    else:
        assert b["max_row_rgap"].max() < 1e-6


def test_recomputed_subtotals_and_flows() -> None:
    f = cp.province_flows(2017, "浙江")
    use = f["intermediate use"] + f["final use"] + f["exports"] + f["outflows"]
    supply = f["gross output"] + f["imports"] + f["inflows"] - f["other"]
    np.testing.assert_allclose(use, supply, atol=0.5)
    t = load("china-provincial-io:2017-浙江")
    np.testing.assert_allclose(t.Z.sum(axis=1), f["intermediate use"])
    np.testing.assert_allclose(t.imports, f["imports"] + f["inflows"])
    assert f.attrs["unit"] == "10,000 yuan (万元)"
    assert np.isnan(cp.province_flows(2007, "浙江")["inflows"]).all()


def test_sum_of_provinces_vs_national() -> None:
    """Measured gaps of the provincial sums against the national tables (亿元)."""
    gaps = {y: cp.national_comparison(y)["rel_gap"] for y in cp.YEARS}
    assert gaps[2017]["value added"] == pytest.approx(0.0292, abs=5e-4)
    assert gaps[2017]["exports"] == pytest.approx(0.0024, abs=5e-4)
    assert gaps[2012]["value added"] == pytest.approx(0.0860, abs=5e-4)
    assert gaps[2007]["value added"] == pytest.approx(0.0402, abs=5e-4)
    assert gaps[2002]["value added"] == pytest.approx(-0.0123, abs=5e-4)
    by_sector = cp.national_sector_comparison(2017)
    assert by_sector.loc["01", "go_rel_gap"] == pytest.approx(-0.004, abs=1e-3)


def test_leontief_inverse_of_every_province_is_fast() -> None:
    t0 = time.perf_counter()
    for year in (2012, 2017):
        for key in cp._raw(year):
            L = cp.province_table(year, key).L
            assert (np.diag(L.to_numpy()) >= 1 - 1e-12).all()
    assert time.perf_counter() - t0 < 10


def test_value_added_is_not_a_size_measure() -> None:
    from chainatlas.errors import NegativeValueError

    with pytest.raises(NegativeValueError, match="negative"):
        cp.region_industry(2017, "value added")  # 海南 sector 18 is negative
    fu = cp.region_industry(2017, "outflows")
    assert fu.measure == "outflows" and "gross output" in fu.extra
