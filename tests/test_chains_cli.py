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
    ranked = [r for r in d["chokepoints"] if r["rank"] is not None]
    assert len(ranked) == 5 and d["economy"] == "CHN"
    row = ranked[0]
    assert {
        "score",
        "supply_share",
        "foreign_hhi",
        "import_hhi",
        "world_hhi",
        "reach_share",
    } <= set(row)
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


def test_chokepoints_cli_names_rest_of_world_and_rounding(mirror: Path) -> None:
    args = ["chains", "chokepoints", "wiod-2013:2011", "--economy", "CHN", "--top", "20"]
    d = _json([*args, "--format", "json"])
    flagged = d["chokepoints"]
    assert d["rest_of_world"] == "flag" and "RoW" in d["rest_of_world_note"]
    assert any(r["region"] == "RoW" and r["rest_of_world"] is True for r in flagged)
    assert all(r["rank"] is None for r in flagged if r["rest_of_world"])
    assert "c31" in d["non_tradables"] and "c31" in d["non_tradables_note"]
    rows = _json([*args, "--rest-of-world", "exclude", "--format", "json"])["chokepoints"]
    assert all(r["region"] != "RoW" and r["rest_of_world"] is False for r in rows)
    assert rows[0]["name_en"] and rows[0]["name_zh"]
    every = _json([*args, "--non-tradables", "none", "--format", "json"])
    assert every["non_tradables"] == []
    res = runner.invoke(app, [*args, "--format", "csv"])
    assert res.exit_code == 0
    frame = pd.read_csv(io.StringIO(res.stdout), dtype=str)
    assert {"name_en", "name_zh", "world_rest_share"} <= set(frame.columns)
    # presentation rounding: at most 10 significant digits in every number printed
    for col in ["score", "supply_share", "world_hhi", "output_lost", "total_value"]:
        for text in frame[col]:
            digits = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
            assert len(digits) <= 10, (col, text)
    res = runner.invoke(app, [*args, "--format", "table"])
    assert res.exit_code == 0 and "Electrical" in res.stdout


def test_present_rounds_without_changing_results() -> None:
    from chainatlas.cli.chains import present

    df = pd.DataFrame({"a": [57.49999999999999, 1.0e5, -2.98e-08], "b": ["x", "y", "z"]})
    shown = present(df)
    assert shown["a"].tolist() == [57.5, 1.0e5, 0.0]  # |x| < 1e-9 × column max → 0
    assert df["a"].iloc[0] == 57.49999999999999  # the input is untouched
    assert present({"loss": 71870.48123456789, "pct": 0.050612345678}) == {
        "loss": 71870.48123,
        "pct": 0.05061234568,
    }


def test_every_option_has_help() -> None:
    import typer.main

    cli = typer.main.get_command(app)
    for group, names in [("chains", None), ("shock", ["run"])]:
        grp = cli.commands[group]
        for name, cmd in grp.commands.items():
            if names is not None and name not in names:
                continue
            for p in cmd.params:
                if p.param_type_name == "option":
                    assert p.help, f"{group} {name} {p.opts} has no help"


def test_shock_run_table_output(mirror: Path) -> None:
    res = runner.invoke(
        app,
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
            "-50",
            "--table",
            "wiod-2013:2011",
            "--top",
            "5",
        ],
    )
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "USD million" in out and "totals 合计" in out and "Ghosh" in out
    assert "{'" not in out  # no raw Python dict
    assert "RUS" in out and "Mining and quarrying" in out
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
            "-50",
            "--table",
            "wiod-2013:2011",
            "--format",
            "json",
        ]
    )
    # the table's totals row shows the JSON's number, one decimal, thousands separators
    assert f"{d['totals']['change']:,.1f}" in out


def test_present_does_not_clip_small_scalars_beside_large_ones() -> None:
    from chainatlas.cli.chains import present

    # a dict mixes units (USD million and %): a small percentage must survive
    got = present({"x_before": 1.4e8, "change_pct": 0.1, "change": -2.98e-08})
    assert got == {"x_before": 1.4e8, "change_pct": 0.1, "change": -2.98e-08}
