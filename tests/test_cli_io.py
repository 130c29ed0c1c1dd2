"""``chainatlas io ...`` commands (typer CliRunner): JSON/CSV carry the API's numbers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import chainatlas.io as cio
from chainatlas.cli import app
from chainatlas.datasets import load

SPEC = "china-io:2020-42"
runner = CliRunner()


@pytest.fixture(scope="module")
def table(mirror):
    return load(SPEC, progress=False)


def run(*args: str) -> str:
    res = runner.invoke(app, ["io", *args])
    assert res.exit_code == 0, (res.output, res.exception)
    return res.stdout


def test_linkages_json(table) -> None:
    data = json.loads(run("linkages", SPEC, "--format", "json"))
    assert data["spec"] == SPEC and data["n"] == 42 and data["unit"].startswith("10,000 yuan")
    rows = pd.DataFrame(data["linkages"]).set_index("sector")
    lk = cio.linkages(table)
    np.testing.assert_allclose(
        rows.loc[lk.index, "backward_total"], lk["backward_total"], rtol=1e-12
    )
    np.testing.assert_allclose(rows.loc[lk.index, "forward_total_norm"], lk["forward_total_norm"])
    assert rows.loc["01", "name_zh"] == "农林牧渔产品和服务"
    assert sum(data["type_counts"].values()) == 42
    ks = cio.key_sectors(table)
    assert (rows.loc[ks.index, "type"] == ks["type"]).all()


def test_multipliers_csv(table) -> None:
    frame = pd.read_csv(
        io.StringIO(run("multipliers", SPEC, "--format", "csv")), dtype={"sector": str}
    )
    frame = frame.set_index("sector")
    np.testing.assert_allclose(
        frame["output"].to_numpy(), cio.output_multipliers(table).to_numpy(), rtol=1e-12
    )


def test_extraction_all_and_group(table) -> None:
    data = json.loads(run("extraction", SPEC, "--format", "json"))
    ranking = pd.DataFrame(data["ranking"])
    assert ranking["rank"].tolist() == list(range(1, 43))
    want = cio.extraction_ranking(table)
    np.testing.assert_allclose(ranking["loss"].to_numpy(), want["loss"].to_numpy(), rtol=1e-12)
    group = json.loads(run("extraction", SPEC, "--sectors", "27,28", "--format", "json"))
    loss = cio.extraction_loss(table, ["27", "28"])
    assert group["sectors"] == ["27", "28"]
    assert group["loss"] == pytest.approx(loss["loss"], rel=1e-12)
    assert group["loss_share"] == pytest.approx(loss["loss_share"], rel=1e-12)


def test_upstreamness_imports_servitisation_balance(table, tmp_path: Path) -> None:
    up = json.loads(run("upstreamness", SPEC, "--format", "json"))
    pos = pd.DataFrame(up["positions"]).set_index("sector")
    assert pos["rank_upstream"].tolist() == list(range(1, 43))
    want = cio.upstreamness(table)
    np.testing.assert_allclose(pos.loc[want.index, "upstreamness"], want, rtol=1e-12)
    imp = json.loads(run("imports", SPEC, "--format", "json"))
    dep = pd.DataFrame(imp["imports"]).set_index("sector")
    np.testing.assert_allclose(
        dep.loc[table.labels, "total_share"], cio.import_dependence(table)["total_share"]
    )
    out = tmp_path / "serv.csv"
    run("servitisation", SPEC, "--format", "csv", "--out", str(out))
    sv = pd.read_csv(out, dtype={"sector": str}).set_index("sector")
    assert len(sv) == 18 and sv["direct_share"].between(0, 1).all()
    bal = json.loads(run("balance", SPEC, "--format", "json"))
    assert bal["max_row_gap"] <= table.balance_atol + table.balance_rtol * table.x.max()


def test_table_format_prints_rows() -> None:
    out = run("upstreamness", SPEC)
    assert "upstreamness" in out and "04" in out


def test_structure_json() -> None:
    data = json.loads(run("structure", "--format", "json"))
    assert data["years"] == [2002, 2005, 2007, 2010, 2012, 2015, 2017, 2018, 2020]
    summary = pd.DataFrame(data["summary"]).set_index("year")
    assert summary.loc[2002, "coefficient_change"] is None or np.isnan(
        summary.loc[2002, "coefficient_change"]
    )
    assert (summary["n_key"] > 0).all()
    csv = run("structure", "--view", "changes", "--format", "csv")
    assert csv.splitlines()[0].startswith("sector,name_zh,name_en,multiplier_2002")


def test_errors_are_clear() -> None:
    res = runner.invoke(app, ["io", "imports", "china-io:2020-153", "--format", "json"])
    assert res.exit_code != 0
    assert isinstance(res.exception, cio.LayoutError)
    res = runner.invoke(app, ["io", "linkages", "china-io:2020-24"])
    assert res.exit_code != 0 and "did you mean 'china-io:2020-42'" in str(res.exception)
    res = runner.invoke(app, ["io", "extraction", SPEC, "--sectors", "99"])
    assert res.exit_code != 0 and "unknown sector '99'" in str(res.exception)


def test_user_table_file(tmp_path: Path) -> None:
    # Miller & Blair Table 2.3 in the documented user-table layout
    path = tmp_path / "mb.csv"
    path.write_text(
        "label,S1,S2,households,x\nS1,150,500,350,1000\nS2,200,100,1700,2000\n"
        "value added,650,1400,,\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["io", "--unit", "USD", "multipliers", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["unit"] == "USD"
    out = pd.DataFrame(data["multipliers"]).set_index("sector")
    # column sums of the published L = [[1.254125, 0.330033], [0.264026, 1.122112]]
    np.testing.assert_allclose(out["output"], [1.518151, 1.452145], atol=1e-6)
