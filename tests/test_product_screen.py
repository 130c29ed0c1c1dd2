"""Product-level supply screen on world-trade-hs4-2017 (issue 11 §5): independent recomputation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from chainatlas.chains.product_screen import product_screen
from chainatlas.datasets import load
from chainatlas.errors import InputError, UnknownCodeError


@pytest.fixture(scope="module")
def hs4():
    return load("world-trade-hs4-2017", progress=False).exports


@pytest.fixture(scope="module")
def screen(hs4):
    return product_screen(hs4, "CHN")


def test_foreign_hhi_matches_groupby(hs4, screen):
    t = screen.table
    assert screen.focus == "chn" and "9999" not in t.index and len(t) == 1221
    for code in ("8542", "2605", "8486", "2601"):
        g = hs4[hs4["product"] == code].set_index("location")["value"]
        foreign = g.drop("chn", errors="ignore")
        hhi = float(((foreign / foreign.sum()) ** 2).sum())
        assert t.loc[code, "hhi_foreign"] == pytest.approx(hhi, rel=1e-12)
        assert t.loc[code, "hhi_world"] == pytest.approx(
            float(((g / g.sum()) ** 2).sum()), rel=1e-12
        )
        assert t.loc[code, "focus_share"] == pytest.approx(g.get("chn", 0.0) / g.sum(), rel=1e-12)
        top3 = g.sort_values(ascending=False).head(3)
        assert t.loc[code, "top3_share"] == pytest.approx(top3.sum() / g.sum(), rel=1e-12)
        assert t.loc[code, "top3"] == ",".join(top3.index)
    # integrated circuits: China exports 15.9 % itself, foreign supply is not concentrated
    assert t.loc["8542", "focus_share"] == pytest.approx(0.1594, abs=1e-4)
    assert not t.loc["8542", "flag_concentrated"]
    # cobalt ores: DR Congo dominates foreign supply -> flagged dependency
    assert t.loc["2605", "top_foreign"] == "cod" and t.loc["2605", "flag_dependency"]


def test_flags_follow_thresholds(screen, hs4):
    t = screen.table
    assert (t["flag_concentrated"] == (t["hhi_foreign"] > 0.4)).all()
    assert (t["flag_dependency"] == (t["flag_concentrated"] & (t["focus_rca"] < 1))).all()
    assert t["flag_concentrated"].sum() == 24 and t["flag_dependency"].sum() == 21
    loose = product_screen(hs4, "CHN", hhi_threshold=0.25).table
    assert loose["flag_concentrated"].sum() > 24
    assert "criterion 2" in screen.limitations["not_applied"]["en"]


def test_bad_input(hs4):
    with pytest.raises(UnknownCodeError, match="unknown focus economy 'XXX'"):
        product_screen(hs4, "XXX")
    with pytest.raises(InputError, match=r"hhi_threshold must be in \(0, 1\]"):
        product_screen(hs4, "CHN", hhi_threshold=1.5)
    bad = pd.DataFrame({"location": ["a", "b"], "product": ["x", "x"], "value": [1.0, -2.0]})
    with pytest.raises(InputError, match="1 row.*negative value.*b / x"):
        product_screen(bad, "a")
    dup = pd.DataFrame({"location": ["a", "a"], "product": ["x", "x"], "value": [1.0, 2.0]})
    with pytest.raises(InputError, match="duplicate"):
        product_screen(dup, "a")


def test_cli_products_json():
    from chainatlas.cli import app

    run = CliRunner().invoke(app, ["chains", "products", "--economy", "CHN", "--format", "json"])
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert data["year"] == 2017 and data["counts"]["dependency"] == 21
    assert data["thresholds"]["hhi_threshold"] == 0.4 and "SWD(2021) 352" in data["rules"]
    first = data["products"][0]
    assert first["name"] and first["top_foreign_name_zh"] and np.isfinite(first["hhi_foreign"])
