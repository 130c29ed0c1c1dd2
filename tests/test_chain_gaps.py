"""Chain-gap analysis on the real 2017 provincial data, against the slow row-by-row reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.chains import gaps as cg
from chainatlas.chains._gaps_reference import reference_gaps
from chainatlas.errors import ChainAtlasError
from chainatlas.pipelines import chain_gaps as pcg


@pytest.fixture(scope="module")
def inputs() -> dict:
    return pcg.gap_inputs(2017)


@pytest.fixture(scope="module")
def gaps(inputs) -> pd.DataFrame:
    return cg.chain_gaps(
        firms=inputs["firms"], output=inputs["output"], dependence=inputs["dependence"]
    )


def test_matches_slow_reference(inputs, gaps) -> None:
    ref = reference_gaps(firms=inputs["firms"], output=inputs["output"])
    got = gaps[ref.columns]
    pd.testing.assert_frame_equal(got.reset_index(drop=True), ref, check_dtype=False, rtol=1e-12)
    # the rules are exercised: every status occurs, and ST/delisted firms are really excluded
    assert set(ref["status"]) == set(cg.STATUS)
    assert ref["n_excluded"].sum() > 0


def test_reference_under_other_thresholds(inputs) -> None:
    th = cg.GapThresholds(strong_firms=1, strong_lq=1.5, strong_share=0.2, present_lq=1.0)
    got = cg.chain_gaps(firms=inputs["firms"], output=inputs["output"], thresholds=th)
    some = ["SIC", "ZHJ", "XIZ", "GUD"]
    ref = reference_gaps(
        firms=inputs["firms"], output=inputs["output"], thresholds=th, provinces=some
    )
    mine = got.set_index("province").loc[some]
    assert (mine["status"].to_numpy() == ref["status"].to_numpy()).all()
    base = cg.chain_gaps(firms=inputs["firms"], output=inputs["output"])
    assert (got["status"] != base["status"]).sum() > 100  # thresholds matter


def test_shape_and_shares(gaps) -> None:
    n_links = len(cg.links_table())
    assert len(gaps) == 31 * n_links
    sup = gaps[["supply_local", "supply_inflow", "supply_import"]].to_numpy()
    assert np.allclose(sup.sum(axis=1), 1.0, atol=1e-9)
    # shares of national output of one sector sum to 1 over the provinces
    one = gaps.loc[(gaps["chain"] == "photovoltaics") & (gaps["link"] == "cells-modules")]
    assert one["output_share"].sum() == pytest.approx(1.0)


def test_planner_reading_zhejiang_and_sichuan(gaps) -> None:
    zj = gaps.loc[gaps["province"] == "ZHJ"].set_index(["chain", "link"])
    assert zj.loc[("photovoltaics", "cells-modules"), "status"] == "强链"
    assert (
        zj.loc[("new-energy-vehicles", "parts"), "status"] == "强链"
    )  # 40-odd listed parts makers
    sc = gaps.loc[gaps["province"] == "SIC"].set_index(["chain", "link"])
    # electronics: Sichuan's sector 20 LQ is above 1 although few of its fabs/packagers are listed
    assert sc.loc[("integrated-circuits", "packaging"), "lq"] > 1.0
    assert sc.loc[("integrated-circuits", "packaging"), "status"] != "缺链"
    assert sc.loc[("power-batteries", "lithium"), "status"] == "强链"  # 天齐锂业, 盛新锂能
    assert sc.loc[("photovoltaics", "polysilicon-wafers"), "n_firms"] == 1  # 通威股份 alone: 短链


def test_completeness(inputs, gaps) -> None:
    w = cg.link_weights(inputs["L"])
    assert (w["weight"] >= 0.01).all()
    assert (
        w.set_index(["chain", "link"]).loc[("biomedicine", "cro"), "raw_weight"] == 0
    )  # R&D is GFCF
    own = w.loc[w["io_sector"] == w["product_sector"], "weight"]
    assert (own >= 1).all()  # L_jj ≥ 1
    score = cg.chain_completeness(gaps, w)
    assert score.shape == (31, len(w["chain"].unique()))
    assert ((score >= 0) & (score <= 1)).all().all()
    strict = cg.chain_completeness(gaps, w, weak_credit=0.0)
    loose = cg.chain_completeness(gaps, w, weak_credit=1.0)
    assert (score <= loose + 1e-12).all().all()
    assert (strict <= score + 1e-12).all().all()
    # Jiangsu has a fuller set of links than Tibet in every chain
    assert (score.loc["JSU"] >= score.loc["XIZ"]).all()


def test_partners(inputs, gaps) -> None:
    rel = cg.structure_relatedness(inputs["output"])
    assert np.allclose(np.diag(rel), 1.0)
    p = cg.partner_provinces(gaps, rel, province="SIC", top=3)
    assert "SIC" not in set(p["partner"])
    one = p.loc[(p["chain"] == "photovoltaics") & (p["link"] == "cells-modules")]
    assert len(one) == 6
    lq = one.loc[one["basis"] == "lq", "lq"].to_numpy()
    assert (np.diff(lq) <= 0).all()
    # all provinces at once = one at a time = a plain sort of the other provinces
    every = cg.partner_provinces(gaps, rel, top=3)
    for prov in ("SIC", "GUD", "XIZ"):
        mine = every.loc[every["province"] == prov].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, cg.partner_provinces(gaps, rel, province=prov))
        others = gaps.loc[(gaps["province"] != prov) & (gaps["chain"] == "photovoltaics")
                          & (gaps["link"] == "inverters")]  # fmt: skip
        best = others.sort_values(["n_firms", "province"], ascending=[False, True])
        best = best.loc[best["n_firms"] > 0, "province"].head(3).tolist()
        got = mine.loc[(mine["link"] == "inverters") & (mine["basis"] == "firms"), "partner"]
        assert got.tolist() == best
    with pytest.raises(ChainAtlasError, match="unknown province.*did you mean 'SIC'"):
        cg.partner_provinces(gaps, rel, province="SIX")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"strong_firms": 0}, "strong_firms out of range"),
        ({"strong_firms": 2.5}, "strong_firms out of range"),
        ({"strong_share": 1.5}, "strong_share out of range"),
        ({"present_lq": 2.0}, "present_lq out of range"),
        ({"strong_lq": float("nan")}, "strong_lq out of range"),
        ({"inflow_dependent": 0}, "inflow_dependent out of range"),
    ],
)
def test_threshold_out_of_range(kwargs, match) -> None:
    with pytest.raises(ChainAtlasError, match=match):
        cg.GapThresholds(**kwargs)


def test_bad_inputs(inputs, gaps) -> None:
    with pytest.raises(ChainAtlasError, match="lacks IO sectors"):
        cg.chain_gaps(firms=inputs["firms"], output=inputs["output"].drop(columns="20"))
    with pytest.raises(ChainAtlasError, match="unknown chain"):
        cg.chain_gaps(firms=inputs["firms"], output=inputs["output"], chains="rockets")
    with pytest.raises(ChainAtlasError, match="weak_credit"):
        cg.chain_completeness(gaps, cg.link_weights(inputs["L"]), weak_credit=2)
