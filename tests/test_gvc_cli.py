"""CLI: chainatlas chains decompose (WWZ/KWW) in json, csv and table form, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from chainatlas.cli import app
from chainatlas.errors import UnknownCodeError

runner = CliRunner()


def _run(args: list[str]) -> str:
    res = runner.invoke(app, ["chains", "decompose", "wiod-2013:2011", *args])
    assert res.exit_code == 0, (res.output, res.exception)
    return res.stdout


def test_decompose_json_csv_and_file(mirror: Path, tmp_path: Path) -> None:
    d = json.loads(_run(["--economy", "chn", "--format", "json"]))
    assert d["method"] == "wwz" and d["economy"] == "CHN" and d["unit"] == "USD million"
    rows = d["decomposition"]
    assert len(rows) == 1 and rows[0]["exports"] == 2084965.0
    assert rows[0]["DVA_FIN"] == pytest.approx(744046.708104, rel=1e-9)
    assert d["identity"]["max_rel_gap"] < 1e-10
    assert set(d["terms"]) >= {"DVA_FIN", "RDV_FIN2", "MDC"}
    out = tmp_path / "kww.csv"
    _run(
        ["--method", "kww", "--level", "bilateral", "-e", "CHN", "--format", "csv", "-o", str(out)]
    )
    k = pd.read_csv(out, index_col=[0, 1])
    assert len(k) == 40 and list(k.columns[:3]) == ["DVA_FIN", "DVA_INT", "DVA_INTrex"]
    assert (k["gap"].abs() / k["exports"]).max() < 1e-9
    assert k["exports"].sum() == pytest.approx(2084965.0)
    table = _run(["--economy", "CHN"])
    assert "DVA_FIN" in table and "2,084,965" in table


def test_decompose_unknown_economy_and_single_region(mirror: Path) -> None:
    res = runner.invoke(app, ["chains", "decompose", "wiod-2013:2011", "--economy", "XYZ"])
    assert res.exit_code != 0
    assert isinstance(res.exception, UnknownCodeError)
    assert "unknown economy code 'XYZ'" in str(res.exception)
    res = runner.invoke(app, ["chains", "decompose", "china-io:2020-42"])
    assert res.exit_code != 0
    assert "multi-region table" in str(res.exception)


def test_gvc_indicators_command(mirror: Path) -> None:
    res = runner.invoke(app, ["chains", "gvc", "wiod-2013:2011", "-e", "CHN", "--format", "json"])
    assert res.exit_code == 0, (res.output, res.exception)
    d = json.loads(res.stdout)
    (row,) = d["indicators"]
    assert d["economy"] == "CHN" and row["economy"] == "CHN"
    assert row["koopman_position"] == pytest.approx(-0.1256615083, rel=1e-8)
    assert row["gvc_position"] == pytest.approx(row["PLv_GVC"] / row["PLy_GVC"], rel=1e-8)
    res = runner.invoke(app, ["chains", "gvc", "wiod-2013:2011", "--economy", "XYZ"])
    assert isinstance(res.exception, UnknownCodeError)
