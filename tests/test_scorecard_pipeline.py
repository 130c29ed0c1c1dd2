"""Scorecard pipeline and CLI on the real data: WIOD 2011 economies and China 2002–2020."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from chainatlas.cli import app
from chainatlas.errors import ChainAtlasError
from chainatlas.pipelines.scorecard import explain_payload, run_scorecard, scorecard_payload


@pytest.fixture(scope="module")
def wiod_run():
    return run_scorecard("wiod-2013:2011", n_draws=200, cache=True)


def test_wiod_units_pillars_intervals(wiod_run):
    sc = wiod_run.scorecard
    assert len(sc.scores) == 40 and "RoW" not in sc.scores.index
    for p in ("breadth", "height", "toughness", "overall"):
        s = sc.scores
        assert ((s[f"{p}_rank_p05"] <= s[f"{p}_rank"]) | (s[f"{p}_rank_p95"] >= 1)).all()
        assert s[p].notna().all()
    # the four economies without a 2017 ECI are scored without it, and the output says why
    assert sc.raw["eci"].isna().sum() == 4
    assert sc.missing["unit"].tolist() == sorted(["LUX", "MLT", "ROM", "TWN"])
    assert any("TWN" in n["en"] for n in wiod_run.notes)


def test_height_agrees_with_published_complexity(wiod_run):
    """Sanity: the height pillar ranks economies as the ECI does (Spearman ≥ 0.85)."""
    sc = wiod_run.scorecard
    both = pd.concat([sc.scores["height"], sc.raw["eci"]], axis=1).dropna()
    assert both.corr("spearman").iloc[0, 1] >= 0.85
    top = sc.scores.sort_values("height_rank").index[:10]
    assert {"DEU", "JPN", "SWE"} <= set(top)
    # breadth: large diversified economies are not punished (USA, DEU, CHN in the top half)
    assert (sc.scores.loc[["USA", "DEU", "CHN"], "breadth_rank"] <= 20).all()


def test_payload_and_explain(wiod_run):
    p = scorecard_payload(wiod_run)
    assert {"breadth_rank_p05", "overall_rank_p95", "raw:eci"} <= set(p["table"].columns)
    assert set(p["indicators"]["year"].astype(str)) == {"2011", "2017"}
    e = explain_payload(wiod_run, "chn")
    assert e["unit"] == "CHN" and len(e["explain"]) == 15
    assert e["pillars"]["height"]["of"] == 40
    with pytest.raises(ChainAtlasError, match="unknown unit 'CHM'") as err:
        explain_payload(wiod_run, "CHM")
    assert "CHN" in str(err.value)


def test_china_years_trend():
    run = run_scorecard("china-io:series", n_draws=100, cache=True)
    sc = run.scorecard
    assert sorted(sc.scores.index) == sorted(
        ["2002", "2005", "2007", "2010", "2012", "2015", "2017", "2018", "2020"]
    )
    # digital core (two wholly-digital sectors, a lower bound) below the official 7.8 % in 2020
    assert 0.05 < sc.raw.loc["2020", "digital_core_va_share"] < 0.078
    # energy use per unit of output falls from its 2010 peak to 2020
    assert (
        sc.raw.loc["2020", "energy_intensity_total"] < sc.raw.loc["2010", "energy_intensity_total"]
    )


def test_indicator_cache_gives_the_same_scorecard(wiod_run):
    fresh = run_scorecard("wiod-2013:2011", n_draws=200)
    pd.testing.assert_frame_equal(fresh.scorecard.raw, wiod_run.scorecard.raw, check_names=False)
    pd.testing.assert_frame_equal(fresh.scorecard.scores, wiod_run.scorecard.scores)


def test_unknown_unit_set_and_bad_year():
    with pytest.raises(ChainAtlasError, match="no scorecard unit set for 'bea-io:2017'"):
        run_scorecard("bea-io:2017")
    with pytest.raises(ChainAtlasError, match="need one year 1995–2011"):
        run_scorecard("wiod-2013:2020")


def test_cli_json_and_explain_error():
    runner = CliRunner()
    res = runner.invoke(app, ["scorecard", "wiod-2013:2011", "--format", "json", "--draws", "20"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data["table"]) == 40 and "overall_rank_p05" in data["table"][0]
    res = runner.invoke(app, ["scorecard", "wiod-2013:2011", "--explain", "CHM", "--draws", "0"])
    assert res.exit_code != 0
    assert "unknown unit 'CHM'" in str(res.exception) or "CHM" in res.output


@pytest.fixture(scope="module")
def provinces_run():
    return run_scorecard("china-provincial-io:2017", n_draws=200, cache=True)


def test_provinces_2017(provinces_run):
    sc = provinces_run.scorecard
    assert len(sc.scores) == 31
    # Beijing, Shanghai and Guangdong lead the height pillar (R&D, patents, digital core)
    top = set(sc.scores.sort_values("height_rank").index[:4])
    assert {"北京", "上海", "广东"} <= top
    # toughness counts local supply capacity: a province that buys its goods elsewhere is not
    # "secure" (西藏 is not first), and the overall bottom five are the least developed provinces
    assert sc.scores.loc["西藏", "toughness_rank"] > 10
    assert set(sc.scores.index[-5:]) <= {
        "西藏",
        "新疆",
        "海南",
        "内蒙古",
        "贵州",
        "甘肃",
        "青海",
        "宁夏",
    }
    # the chain completeness of the chain-gap analysis is an indicator
    assert sc.raw["chain_completeness"].between(0, 1).all()
    # the high-tech revenue comes from 2016 (no 2017 value in the source) and says so
    assert sc.indicators.loc["hitech_revenue_share", "year"] == 2016
    # aliases: io codes, full names and English names resolve to the unit
    assert sc.resolve_unit("SHH") == "上海" and sc.resolve_unit("beijing") == "北京"
    assert explain_payload(provinces_run, "Guangdong")["unit"] == "广东"


def test_provinces_2012_leave_out_unmapped_indicators():
    run = run_scorecard("china-provincial-io:2012", n_draws=0, cache=True)
    dropped = run.scorecard.settings["dropped"]
    assert {"hightech_va_share", "strategic_emerging_va_share", "chain_completeness"} <= set(
        dropped
    )
    assert run.scorecard.indicators.loc["chain_completeness", "status"].startswith("dropped")


def test_provinces_bad_year():
    with pytest.raises(ChainAtlasError, match="provincial scorecards exist for"):
        run_scorecard("china-provincial-io:2007")


def test_wiod_series_two_years():
    from chainatlas.pipelines.scorecard import is_series, run_series

    assert is_series("wiod-2013:1995-2011") and not is_series("wiod-2013:2011")
    s = run_series("wiod-2013:2010-2011", n_draws=50)
    assert sorted(set(s.index.get_level_values("year"))) == [2010, 2011]
    assert len(s) == 80 and {"overall_rank_p05", "height"} <= set(s.columns)
    assert "ECI" in s.attrs["note"]
    with pytest.raises(ChainAtlasError, match="FIRST-LAST within 1995–2011"):
        run_series("wiod-2013:2011-1995")
