"""CLI: chains dependence|chokepoints|semiconductor and shock run (JSON/CSV from the same dicts)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from chainatlas.cli import app
from chainatlas.errors import UnknownCodeError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "scenarios"
runner = CliRunner()


def _json(args: list[str]) -> dict:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, (res.output, res.exception)
    return json.loads(res.stdout)


def test_chains_commands_on_wiod(mirror: Path) -> None:
    d = _json(
        [
            "chains",
            "chokepoints",
            "wiod-2013:2011",
            "--economy",
            "CHN",
            "--top",
            "5",
            "--format",
            "json",
        ]
    )
    assert len(d["chokepoints"]) == 5 and d["economy"] == "CHN"
    row = d["chokepoints"][0]
    assert {"score", "supply_share", "world_hhi", "reach_share", "output_lost"} <= set(row)
    assert row["region"] != "CHN"
    res = runner.invoke(
        app,
        [
            "chains",
            "dependence",
            "wiod-2013:2011",
            "--economy",
            "CHN",
            "--top",
            "7",
            "--format",
            "csv",
        ],
    )
    assert res.exit_code == 0
    frame = pd.read_csv(io.StringIO(res.stdout))
    assert len(frame) == 7 and {"direct", "total", "total_share"} <= set(frame.columns)
    res = runner.invoke(app, ["chains", "dependence", "wiod-2013:2011", "--economy", "CNH"])
    assert isinstance(res.exception, UnknownCodeError)
    assert "did you mean 'CHN'" in str(res.exception)


def test_semiconductor_command(mirror: Path) -> None:
    d = _json(["chains", "semiconductor", "--country", "NLD", "--format", "json", "--top", "5"])
    assert "non-commercial" in d["licence"]
    assert len(d["chokepoints"]) == 5 and len(d["leaders"]) == 5
    assert [r["id"] for r in d["scenario"]["lost"]] == ["N20", "N22", "N21"]


def test_shock_run_file_and_options(mirror: Path) -> None:
    d = _json(
        [
            "shock",
            "run",
            str(EXAMPLES / "chn-electrical-demand-minus10.yaml"),
            "--format",
            "json",
            "--top",
            "3",
        ]
    )
    assert d["model"] == "leontief" and d["totals"]["change"] < 0
    assert any("Fixed technical coefficients" in a for a in d["assumptions"])
    assert len(d["by_sector"]) == 3
    d = _json(
        [
            "shock",
            "run",
            "--model",
            "ghosh",
            "--economy",
            "RUS",
            "--sector",
            "c2",
            "--change-pct",
            "0",
            "--table",
            "wiod-2013:2011",
            "--format",
            "json",
        ]
    )
    assert d["totals"]["change"] == pytest.approx(0.0, abs=1e-6)
