"""Semiconductor chain: coalition stop scenarios, Chinese input names, 国家/地区 labels."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from chainatlas.chains import semiconductor as sc
from chainatlas.errors import InputError, UnknownCodeError


@pytest.fixture(scope="module")
def chain(mirror: object):  # noqa: ANN201
    from chainatlas.datasets import load

    return load("eto-semiconductor")


def test_coalition_share_is_sum_of_country_shares(chain) -> None:  # noqa: ANN001
    coal = sc.country_stop_scenario(chain, ["USA", "NLD", "JPN"])
    assert coal["country"] == "USA+NLD+JPN" and coal["coalition"] == ["USA", "NLD", "JPN"]
    assert coal["country_zh"] == "美国、荷兰、日本"
    singles = [sc.country_stop_scenario(chain, c)["supply_lost"]["share_lost"] for c in
               ["USA", "NLD", "JPN"]]  # fmt: skip
    for item, row in coal["supply_lost"].iterrows():
        want = sum(float(s.get(item, 0.0)) for s in singles)
        assert row["share_lost"] == pytest.approx(want, abs=1e-12)
    assert coal["supply_lost"].loc["N20", "share_lost"] == pytest.approx(1.0)  # EUV scanners
    assert coal["lost"].loc["N20", "name_zh"] == "EUV光刻机"
    assert len(coal["lost"]) > len(sc.country_stop_scenario(chain, "NLD")["lost"])
    # one country still works as before
    assert sc.country_stop_scenario(chain, "nld")["country"] == "NLD"


def test_names_and_labels(chain) -> None:  # noqa: ANN001
    zh = sc.input_names_zh()
    assert set(chain.names.index) <= set(zh.index) and zh.str.len().gt(0).all()
    assert sc.country_names_zh(["TWN", "KOR", "MAL"]) == ["中国台湾", "韩国", "马来西亚"]


def test_bad_coalitions(chain) -> None:  # noqa: ANN001
    with pytest.raises(UnknownCodeError, match="unknown provider country 'XYZ'"):
        sc.country_stop_scenario(chain, ["USA", "XYZ"])
    with pytest.raises(InputError, match="country USA is listed twice"):
        sc.country_stop_scenario(chain, ["USA", "usa"])


def test_cli_coalition(mirror: object) -> None:
    from chainatlas.cli import app

    res = CliRunner().invoke(app, ["chains", "semiconductor", "--country", "USA,NLD,JPN",
                                   "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout[res.stdout.index("{") :])
    assert d["scenario"]["country"] == "USA+NLD+JPN"
    assert d["chokepoints"][0]["name_zh"] and "top_country_zh" in d["chokepoints"][0]
    assert "国家/地区" in d["country_label"]
    res = CliRunner().invoke(app, ["chains", "semiconductor", "--country", "USA,,JPN"])
    assert res.exit_code != 0 and "empty code" in str(res.exception)
