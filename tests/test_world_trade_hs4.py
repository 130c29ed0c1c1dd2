"""Real data: the world-trade-hs4-2017 loader (units, NA policy, GDP and population)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.complexity import TradeData
from chainatlas.datasets import load
from chainatlas.datasets.loaders.world_trade_hs4 import exports_from_rows
from chainatlas.errors import SchemaError


@pytest.fixture(scope="module")
def hs4() -> TradeData:
    return load("world-trade-hs4-2017", progress=False)


def test_shape_units_and_na_policy(hs4):
    ex = hs4.exports
    # 233,432 rows in the file, 56,461 NA export values left out (documented NA policy)
    assert ex.shape == (176_971, 3)
    assert ex["location"].nunique() == 224 and ex["product"].nunique() == 1222
    assert (ex["value"] >= 1).all() and ex["product"].str.len().eq(4).all()
    assert hs4.provenance.to_dict()["na_rows"] == "56461"
    assert hs4.year == 2017 and hs4.unit == "USD (current prices, 2017)"
    # totals run above official figures: China USD 2.95 tn here vs 2.26 tn reported (1.30×)
    chn = ex.loc[ex["location"] == "chn", "value"].sum()
    assert chn == pytest.approx(2.94825e12, rel=1e-5)
    assert 1.1 < chn / 2.263e12 < 1.35


def test_population_and_gdp(hs4):
    pop, gdp, gdppc = hs4.population, hs4.gdp, hs4.gdp_per_capita
    assert pop.loc["chn"] == pytest.approx(1.386e9, rel=1e-3)
    assert gdp.loc["usa"] == pytest.approx(1.9485e13, rel=1e-3)
    assert gdppc.loc["chn"] == pytest.approx(gdp.loc["chn"] / pop.loc["chn"], rel=1e-9)
    # no NaN is stored; territories without World Bank rows are absent, not NaN
    assert np.isfinite(pop.to_numpy()).all() and "flk" not in pop.index and "sgs" not in pop.index
    assert "prk" in pop.index and "prk" not in gdp.index
    # only reporters of the trade table, no World Bank aggregates
    assert "wld" not in pop.index and set(pop.index) <= set(hs4.exports["location"])


def test_bad_rows_raise():
    rows = pd.DataFrame(
        {
            "reporter_iso": ["aaa", "aaa", "bbb"],
            "product_code": ["0101", "0102", "0101"],
            "export_value_usd": [1.0, -5.0, np.nan],
        }
    )
    with pytest.raises(SchemaError, match=r"1 negative export value.*aaa / 0102"):
        exports_from_rows(rows)
    rows.loc[1, "export_value_usd"] = 2.0
    rows.loc[1, "product_code"] = "0101"
    with pytest.raises(SchemaError, match=r"1 duplicate \(reporter, product\) row.*aaa / 0101"):
        exports_from_rows(rows)
    rows.loc[1, "product_code"] = "0102"
    ex, n_na = exports_from_rows(rows)
    assert n_na == 1 and len(ex) == 2


def test_fast_reader_matches_rdata(mirror):
    """The fast .rda reader gives rdata's frames exactly (GDP file: all four columns)."""
    import warnings

    import rdata

    from chainatlas.datasets._rda_frames import read_rda_frames

    path = mirror / "world-trade-hs4-2017" / "world_gdp_and_population_2017.rda"
    ours = read_rda_frames(path)["world_gdp_and_population_2017"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = rdata.read_rda(str(path))["world_gdp_and_population_2017"].reset_index(drop=True)
    assert list(ours.columns) == list(ref.columns) and len(ours) == 262
    assert ours["reporter_iso"].tolist() == ref["reporter_iso"].astype(str).tolist()
    for col in ("gdp_current_usd", "population_total", "gdp_pc_usd"):
        np.testing.assert_array_equal(ours[col].to_numpy(), ref[col].to_numpy(dtype=float))


def test_atlas_cleaning_and_names(hs4):
    from chainatlas.geo import country_labels, country_name
    from chainatlas.pipelines.complexity import trade_complexity

    tc = trade_complexity(hs4)
    th = tc.cleaning.thresholds
    assert th["rules"] == "atlas" and th["min_population"] == 1e6
    assert th["location_cutoff"] == 1e9 and th["product_cutoff"] == 1e7
    ex = tc.excluded.set_index("label")
    assert ex.loc["9999", "reason"] == "not a product"
    assert ex.loc["flk", "reason"].startswith("exports below")  # no population either
    assert ex.loc["isl", "reason"].startswith("population below")  # Iceland, 0.34 m people
    r = tc.result
    assert len(r.eci) == 142 and len(r.pci) == 1216
    # ECI 2017 on HS4: Japan and Switzerland on top, China 24th of 142
    assert list(r.eci_ranking.index[:2]) == ["jpn", "che"]
    assert int(r.eci_ranking.loc["chn", "rank"]) == 24
    # every reporter has an English and a Chinese name
    locs = sorted(hs4.exports["location"].unique())
    assert all(n != c.upper() for n, c in zip(country_labels(locs, "zh"), locs, strict=True))
    assert country_name("hkg", "zh") == "中国香港" and country_name("kor") == "South Korea"


def test_new_tracks_exclude_simple_products_and_strategic_view(hs4):
    from chainatlas.complexity import opportunities
    from chainatlas.complexity.strategy import ATLAS_FRONTIER, strategic_view
    from chainatlas.errors import InputError
    from chainatlas.pipelines.complexity import trade_complexity

    tc = trade_complexity(hs4)
    r = tc.result
    eci_chn = float(r.eci["chn"])
    plain = opportunities(r, "CHN", pci_floor=None, n=10)
    assert (plain["pci"] < eci_chn).sum() >= 5  # density alone ranks simple products first
    opp = opportunities(r, "CHN", names=tc.names)
    assert (opp["pci"] >= eci_chn).all() and opp.attrs["pci_floor_rule"] == "PCI ≥ economy's ECI"
    # copra (1203) and palm oil (1511) are simpler than China: excluded; lard (1501) has PCI 2.71
    # in 2017 (European exporters), so it stays in the list but far from the top by COG
    assert not {"1203", "1511"} & set(opp.index) and opp.loc["1501", "pci"] > eci_chn
    top = opportunities(r, "CHN", by="cog", n=20)
    assert not {"1203", "1501", "1511"} & set(top.index)
    assert top.index[0] == "8514" and (top["pci"] > 3).all()
    np.testing.assert_allclose(opp["distance"], 1 - opp["density"])
    sv = strategic_view(r, hs4.gdp_per_capita)
    t = sv.table
    assert sv.excluded == ["prk", "syr"] and 0.4 < sv.r2 < 0.8 and sv.slope > 0
    # residual check against an independent OLS
    x = np.log(t["gdp_per_capita"].to_numpy())
    A = np.column_stack([np.ones_like(x), x])
    beta, *_ = np.linalg.lstsq(A, t["eci"].to_numpy(), rcond=None)
    np.testing.assert_allclose(t["eci_controlled"], t["eci"] - A @ beta, atol=1e-10)
    # frontier = the Atlas's list of 16 (all present in the 2017 data); others by COI / ECI* at 0
    assert sv.frontier_rule == "atlas" and sorted(sv.frontier) == sorted(ATLAS_FRONTIER)
    for c in ("jpn", "deu", "che", "kor", "usa", "chn"):
        assert t.loc[c, "approach"] == "frontier" and t.loc[c, "approach_zh"] == "技术前沿"
    # Malawi: ECI −0.60 (rank 101/142), complex for its income (ECI* +0.96) but COI < 0
    assert t.loc["mwi", "eci"] < -0.5 and t.loc["mwi", "eci_controlled"] > 0
    assert t.loc["mwi", "coi"] < 0 and t.loc["mwi", "approach"] == "strategic_bets"
    assert t.loc["nga", "approach_zh"] == "战略押注"
    rest = t[t["approach"] != "frontier"]
    assert (rest.loc[rest["coi"] < 0, "approach"] == "strategic_bets").all()
    pos = rest[rest["coi"] >= 0]
    expected = np.where(pos["eci_controlled"] >= 0, "light_touch", "parsimonious")
    assert (pos["approach"].to_numpy() == expected).all()
    assert t["approach"].value_counts().to_dict() == {
        "strategic_bets": 74, "light_touch": 36, "frontier": 16, "parsimonious": 14
    }  # fmt: skip
    # sorted by approach (frontier first), then ECI descending
    order = {"frontier": 0, "light_touch": 1, "parsimonious": 2, "strategic_bets": 3}
    keys = list(zip(t["approach"].map(order), -t["eci"], strict=True))
    assert keys == sorted(keys) and t.index[0] == "jpn"
    # alternative: the top decile of ECI (15 of 142); China (ECI rank 24) is then light touch
    top = strategic_view(r, hs4.gdp_per_capita, frontier="eci-top")
    assert len(top.frontier) == 15 and {"jpn", "deu", "che", "kor", "usa"} <= set(top.frontier)
    assert top.table.loc["chn", "approach"] == "light_touch" and "mwi" not in top.frontier
    fixed = strategic_view(r, hs4.gdp_per_capita, frontier=["usa", "chn"]).table
    assert fixed.loc["deu", "approach"] == "strategic_bets"  # not listed, COI < 0
    with pytest.raises(InputError, match="frontier_share"):
        strategic_view(r, hs4.gdp_per_capita, frontier="eci-top", frontier_share=1.5)


def test_bad_input_on_hs4_rows(hs4):
    """Negative exports and duplicate country-product rows give clear errors (or a policy)."""
    from chainatlas.complexity import complexity, eci
    from chainatlas.errors import LabelError, NegativeValueError

    ex = hs4.exports[hs4.exports["location"].isin(["chn", "usa", "deu", "jpn", "bra", "ind"])]
    neg = ex.copy()
    neg.loc[neg.index[0], "value"] = -1.0
    with pytest.raises(NegativeValueError, match=r"1 row\(s\) with a negative value in 'value'"):
        complexity(neg)
    dup = pd.concat([ex, ex.head(2)])
    with pytest.raises(
        LabelError, match=r"2 duplicate \(location, product\) pair\(s\).*duplicates='sum'"
    ):
        complexity(dup)
    summed = eci(dup, duplicates="sum")
    doubled = ex.copy()
    doubled.loc[ex.index[:2], "value"] *= 2
    pd.testing.assert_series_equal(summed, eci(doubled))
