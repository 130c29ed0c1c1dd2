"""Real data: world-trade-sitc (cleaning, rankings, py-ecomplexity agreement), provinces, CLI, atlas."""

from __future__ import annotations

import io
import json
import time
import warnings

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from chainatlas.complexity import (
    TradeData,
    complexity,
    opportunities,
)
from chainatlas.datasets import load
from chainatlas.errors import InputError
from chainatlas.pipelines.complexity import region_complexity, trade_complexity


@pytest.fixture(scope="module")
def trade() -> TradeData:
    return load("world-trade-sitc", progress=False)


@pytest.fixture(scope="module")
def cleaned(trade):
    return trade_complexity(trade)


def test_loader_shape_and_units(trade):
    ex = trade.exports
    assert ex.shape == (124_336, 3)
    assert ex["location"].nunique() == 226 and ex["product"].nunique() == 785
    assert (ex["value"] > 0).all()
    assert trade.unit.startswith("USD")
    # the extract is far from complete world trade (USD 5.6 tn in 1999): documented in the unit
    assert 1e11 < ex["value"].sum() < 1.3e11
    assert trade.gdp_per_capita.loc["usa"] > trade.gdp_per_capita.loc["chn"]
    assert {f for f, _ in trade.provenance.files} == {
        "world_trade_avg_1998_to_2000.rda",
        "world_gdp_avg_1998_to_2000.rda",
    }


def test_concordance_loader():
    from chainatlas.datasets.loaders.concordance import descriptions

    sitc = load("concordance:sitc2_desc", progress=False)
    assert list(sitc.columns) == ["code", "desc"]
    names = descriptions("sitc2_desc", digits=4)
    assert names["7764"] == "Electronic microcircuits"
    hs = load("concordance:hs0_sitc2", progress=False)
    assert "SITC2_4d" in hs.columns and hs["HS0_6d"].str.len().eq(6).all()


def test_cleaning_prevents_tiny_territories(trade, cleaned):
    raw = trade_complexity(trade, clean=False)
    top_raw = raw.result.eci_ranking.head(10).index
    assert {"sgs", "hmd", "esh"} <= set(top_raw)  # the problem the defaults must prevent
    res = cleaned.result
    excluded = set(cleaned.excluded.query("kind == 'location'")["label"])
    assert {"sgs", "hmd", "esh"} <= excluded
    assert not ({"sgs", "hmd", "esh"} & set(res.eci.index))
    # Japan leads the Atlas ranking for 2000; the top 10 are rich industrial economies
    assert res.eci_ranking.index[0] == "jpn"
    assert {"deu", "usa", "che", "swe"} <= set(res.eci_ranking.head(10).index)
    # ECI predicts income (Hidalgo & Hausmann 2009): strong positive rank correlation
    gdp = np.log(trade.gdp_per_capita.reindex(res.eci.index))
    ok = gdp.notna()
    assert res.eci[ok].rank().corr(gdp[ok].rank()) > 0.5


def test_pci_names_and_opportunities(cleaned):
    res = cleaned.result
    top = res.pci_ranking.head(20)
    names = cleaned.names.reindex(top.index)
    assert names.notna().all()
    # the most complex products are machinery and transport equipment (SITC section 7)
    assert (top.index.str[0] == "7").mean() > 0.5
    opp = opportunities(res, "CHN", names=cleaned.names)
    assert (res.rca.loc["chn", opp.index] < 1).all()
    assert opp["density"].is_monotonic_decreasing
    # default floor: only products more complex than China (PCI ≥ China's ECI)
    absent = res.mcp.loc["chn"] == 0
    assert len(opp) == int((absent & (res.pci >= res.eci["chn"])).sum())
    assert len(opportunities(res, "CHN", pci_floor=None)) == int(absent.sum())


def test_agrees_with_py_ecomplexity_on_world_trade(trade):
    from ecomplexity import ecomplexity

    df = trade.exports.assign(year=2000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = ecomplexity(
            df,
            {"time": "year", "loc": "location", "prod": "product", "val": "value"},
            check_logsupermodularity=False,
            verbose=False,
        )
    ours = complexity(trade.exports, convention="py-ecomplexity")
    e = peer.groupby("location")["eci"].first().reindex(ours.eci.index)
    p = peer.groupby("product")["pci"].first().reindex(ours.pci.index)
    assert np.corrcoef(e, ours.eci)[0, 1] == pytest.approx(1.0, abs=1e-12)
    assert np.abs(e - ours.eci).max() < 1e-6
    assert np.abs(p - ours.pci).max() < 1e-6
    cell = peer.set_index(["location", "product"])
    dens = cell["density"].unstack().reindex(index=ours.eci.index, columns=ours.pci.index)
    cogs = cell["cog"].unstack().reindex(index=ours.eci.index, columns=ours.pci.index)
    np.testing.assert_allclose(ours.density.to_numpy(), dens.to_numpy(), atol=1e-9)
    np.testing.assert_allclose(ours.cog.to_numpy(), cogs.to_numpy(), atol=1e-6)


@pytest.fixture(scope="module")
def provinces():
    return load("china-provincial-io-2007:output", progress=False)


def test_province_eci(provinces):
    res = region_complexity(provinces)
    assert len(res.eci) == 30 and len(res.pci) == 21
    top5 = set(res.eci_ranking.head(5).index)
    assert {"GUD", "JSU", "ZHJ"} <= top5  # coastal manufacturing provinces lead
    every = region_complexity(provinces, industries="all")
    assert len(every.pci) == 42
    with pytest.raises(InputError, match="no goods-sector list"):
        region_complexity(
            type(
                "RI",
                (),
                {
                    "values": provinces.values,
                    "classification": "x",
                    "provenance": provinces.provenance,
                },
            )(),
        )


runner = CliRunner()


def _cli(*args: str) -> str:
    from chainatlas.cli import app

    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cli_eci_json_and_csv(cleaned):
    data = json.loads(_cli("complexity", "eci", "world-trade-sitc", "--format", "json"))
    assert data["ranking"][0]["location"] == "jpn"
    assert data["cleaning"]["cleaned"] is True
    assert {"sgs", "hmd", "esh"} <= {r["label"] for r in data["cleaning"]["excluded"]}
    # the coverage caveat travels with the JSON, Chinese on the zh side
    assert [c["id"] for c in data["caveats"]] == ["coverage", "small-economies"]
    assert "partial" not in data["caveats"][0]["zh"] and "覆盖" in data["caveats"][0]["zh"]
    # the JSON numbers are the report's numbers
    assert data["ranking"][0]["eci_eigenvector"] == pytest.approx(cleaned.result.eci["jpn"])
    raw = pd.read_csv(
        io.StringIO(_cli("complexity", "eci", "world-trade-sitc", "--no-clean", "--format", "csv"))
    )
    assert "sgs" in set(raw["location"].head(3))
    opp = pd.read_csv(
        io.StringIO(
            _cli(
                "complexity",
                "opportunities",
                "world-trade-sitc",
                "--economy",
                "CHN",
                "--by",
                "cog",
                "--top",
                "10",
                "--format",
                "csv",
            )
        ),
        dtype={"product": str},
    )
    assert len(opp) == 10 and opp["cog"].is_monotonic_decreasing
    pci = pd.read_csv(
        io.StringIO(_cli("complexity", "pci", "world-trade-sitc", "--top", "5", "--format", "csv"))
    )
    assert pci["name"].notna().all()


def test_cli_provinces_csv():
    out = pd.read_csv(io.StringIO(_cli("complexity", "provinces", "--format", "csv")))
    assert len(out) == 31 and {"province", "eci", "name_zh"} <= set(out.columns)  # 2017, 31
    assert out.iloc[0]["province"] == "SHH"


def test_atlas_section_builds_fast():
    """The height section runs on world-trade-hs4-2017 with names, years and the new-tracks rule."""
    from chainatlas.pipelines.sections import complexity as cs

    assert cs.applies(None, "china-io:2020-42") and not cs.applies(None, "wiod-2013:2011")
    # CPU time of this process (all threads): robust to other jobs sharing the machine
    t0 = time.process_time()
    secs = cs.sections(None, "china-io:2020-42", lambda _m: None)
    assert time.process_time() - t0 < 30
    blocks = secs[0]["blocks"]
    kinds = [b["kind"] for b in blocks]
    assert kinds.count("table") == 5 and kinds.count("figure") == 3 and "metrics" in kinds
    for b in blocks:  # every block names its dataset(s) and numbers carry a year
        assert b.get("source"), b
        if b["kind"] in ("table", "figure", "metrics"):
            assert b.get("year") in (2017,), b.get("caption")
    assert all("world-trade-sitc" not in b["source"] for b in blocks)
    texts = [b for b in blocks if b["kind"] == "text"]
    assert any("1.1–1.3" in t["en"] and "1.1–1.3" in t["zh"] for t in texts)
    tables = [b for b in blocks if b["kind"] == "table"]
    eci = tables[0]
    assert [r[0] for r in eci["rows"][:2]] == ["日本", "瑞士"] and eci["rows"][0][1] == "Japan"
    strat = next(t for t in tables if "Strategic approach" in t["caption"]["en"])
    frontier = {r[0] for r in strat["rows"] if r[-1] == "technological frontier"}
    assert strat["rows"][0][0] == "日本" and {"德国", "瑞士", "韩国", "中国"} <= frontier
    assert "马拉维" not in frontier and len(strat["rows"]) == 140
    metrics = next(b for b in blocks if b["kind"] == "metrics")
    assert all("2017" in it["label"]["en"] for it in metrics["items"][:3])
    # new tracks: the heading states the rule; no product simpler than China's ECI
    new = [t for t in tables if "new tracks" in t["caption"]["en"]]
    assert len(new) == 2 and all("PCI ≥ China's ECI" in t["caption"]["en"] for t in new)
    pci_col = new[0]["columns"].index("PCI")
    eci_chn = metrics["items"][0]["value"]
    assert all(r[pci_col] >= eci_chn - 1e-3 for t in new for r in t["rows"])
    codes = {r[0] for t in new for r in t["rows"]}
    assert not {"1203", "1501", "1511"} & codes  # copra, lard, palm oil


def test_caveats_state_true_figures(trade, cleaned):
    """Every figure quoted in the caveats, recomputed here from the raw data."""
    from chainatlas.pipelines.sections import complexity as cs

    notes = {c["id"]: c for c in cs.eci_payload(cleaned, "world-trade-sitc")["caveats"]}
    assert set(notes) == {"coverage", "small-economies"}
    tot = trade.exports.groupby("location")["value"].sum()
    world = tot.sum()
    assert cleaned.world_total == pytest.approx(world)
    assert f"USD {world / 1e9:,.1f} bn" in notes["coverage"]["en"]
    assert f"{world / 1e8:,.0f}亿美元" in notes["coverage"]["zh"]
    assert f"{100 * world / 5.6e12:.1f} %" in notes["coverage"]["en"]
    assert tot["can"] > tot["usa"]  # "Canada exports more than the USA here"
    # small economies: FLK #13; a share cut removing MLT removes 70 of 186 economies incl.
    # Ethiopia and Kenya; a diversity cut removing FLK (79) removes 47, incl. Angola (13), Kuwait (26)
    rk = cleaned.result.eci_ranking
    assert len(rk) == 186 and rk.loc["flk", "rank"] == 13
    assert {"flk", "and", "dma", "mlt", "brb"} <= set(rk.head(30).index)
    share = (tot / world).reindex(rk.index)
    cut = share <= share["mlt"]
    assert cut.sum() == 70 and cut["eth"] and cut["ken"]
    div = rk["diversity"]
    assert div["flk"] == 79 and (div <= div["flk"]).sum() == 47
    assert div["ago"] == 13 and div["kwt"] == 26
    assert {"nor", "sau", "nga"} <= set(div.index[div <= div["flk"]])
    for key, text in [("small-economies", "70 of 186"), ("small-economies", "(79) removes 47")]:
        assert text in notes[key]["en"]
    # without cleaning the small-economy figures do not apply and are not shown
    raw = trade_complexity(trade, clean=False)
    assert [c["id"] for c in cs.eci_payload(raw, "world-trade-sitc")["caveats"]] == ["coverage"]
