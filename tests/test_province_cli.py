"""CLI: provincial clusters (--year, --group, --rules), flying geese over time, io dependence."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from chainatlas.cli import app

runner = CliRunner()


def _json(args: list[str]) -> dict:
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_strength_defaults_to_2017_and_filters_groups() -> None:
    p = _json(["clusters", "strength", "--group", "西南"])
    assert p["dataset"] == "china-provincial-io:2017"
    regions = p["regions"]
    rows = regions["index"] if "index" in regions else [r["region"] for r in regions]
    assert sorted(rows) == sorted(["CHQ", "SIC", "GZH", "YUN", "XIZ"])
    assert p["parameters"]["cmp"]["rules"] == "cmp"


def test_geese_over_time_and_digital_year() -> None:
    p = _json(["clusters", "geese", "--group", "西南"])
    assert p["datasets"][-1] == "china-provincial-io:2017"
    d = _json(["clusters", "digital", "--year", "2012", "--no-listed"])
    assert d["dataset"] == "china-provincial-io:2012"


def _fails(args: list[str], text: str) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code != 0
    assert text in res.output + str(res.exception), (res.output, res.exception)


def test_bad_group_year_and_province() -> None:
    _fails(["clusters", "digital", "--group", "南方", "--no-listed"], "did you mean '西南'")
    _fails(["clusters", "strength", "--year", "2016"], "years: 2002, 2007, 2012, 2017")
    _fails(["io", "linkages", "china-provincial-io:2017-Sichaun"], "did you mean 'Sichuan'")
    _fails(["io", "balance", "china-provincial-io:2002-Tibet"], "no 2002 table for 西藏")
    _fails(["clusters", "geese", "--years", "2017"], "at least two years")


def test_io_commands_on_a_province() -> None:
    p = _json(["io", "multipliers", "china-provincial-io:2017-四川"])
    assert p
    d = _json(
        ["io", "dependence", "china-provincial-io:2017-Zhejiang", "--by", "import", "--top", "3"]
    )
    assert d["dataset"] == "china-provincial-io:2017-浙江"
    _fails(
        ["io", "dependence", "china-provincial-io:2017-浙江", "--top", "0"],
        "greater than or equal to 1",
    )
    _fails(["io", "dependence", "china-io:2020-42"], "one province's table")
    _fails(["io", "imports", "china-provincial-io:2017-四川"], "chainatlas io dependence")
