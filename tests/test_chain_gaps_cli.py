"""``chainatlas chains gaps``: formats, bad input."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from chainatlas.cli import app

runner = CliRunner()


def test_json_and_xlsx(tmp_path) -> None:
    r = runner.invoke(app, ["chains", "gaps", "china-provincial-io:2017-浙江", "--chain", "光伏",
                            "--format", "json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["province"] == "ZHJ" and d["thresholds"]["strong_firms"] == 2
    assert {row["状态 status"] for row in d["links"]} == {"强链", "短链"}
    out = tmp_path / "g.xlsx"
    r = runner.invoke(app, ["chains", "gaps", "china-provincial-io:2017", "-p", "SIC", "-c", "ic",
                            "--format", "xlsx", "--out", str(out)])  # fmt: skip
    assert r.exit_code == 0, r.output
    sheets = set(openpyxl.load_workbook(out).sheetnames)
    assert {"环节状态", "合作省份", "链主候选", "缺链"} <= sheets and len(sheets) == 10


def test_csv_view() -> None:
    r = runner.invoke(app, ["chains", "gaps", "china-provincial-io:2017", "-p", "四川",
                            "--view", "partners", "--format", "csv"])  # fmt: skip
    assert r.exit_code == 0 and "relatedness" in r.stdout.splitlines()[0]


def test_bad_input() -> None:
    r = runner.invoke(app, ["chains", "gaps", "china-io:2017-42", "-p", "四川"])
    assert isinstance(r.exception, Exception) and "provincial IO spec" in str(r.exception)
    r = runner.invoke(app, ["chains", "gaps", "china-provincial-io:2017", "-p", "四州"])
    assert "did you mean" in str(r.exception)
    r = runner.invoke(
        app, ["chains", "gaps", "china-provincial-io:2017", "-p", "SIC", "--present-lq", "3"]
    )
    assert "present_lq out of range" in str(r.exception)
    r = runner.invoke(app, ["chains", "gaps", "china-provincial-io:2012-四川"])
    assert "NBS 2017 42-sector scheme" in str(r.exception)
    r = runner.invoke(app, ["chains", "gaps", "china-provincial-io:2017-SIC", "-c", "rockets"])
    assert "unknown chain 'rockets'" in str(r.exception)


def test_templates_command(tmp_path, monkeypatch) -> None:
    r = runner.invoke(app, ["chains", "templates", "--view", "edges", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert len(d["edges"]) == 77 and sum(e["basis"] == "kg" for e in d["edges"]) == 22
    assert all(e["kg_weight"] > 0 for e in d["edges"] if e["basis"] == "kg")
    bad = tmp_path / "t.yaml"
    from chainatlas.chains.templates import chain_template

    text = (
        open(chain_template("光伏").path, encoding="utf-8")
        .read()
        .replace("[光伏辅材]", "[光伏玻璃]")
    )
    bad.write_text(text, encoding="utf-8")
    monkeypatch.setenv("CHAINATLAS_CHAIN_TEMPLATES", str(tmp_path))
    r = runner.invoke(app, ["chains", "templates", "-c", "光伏"])
    assert "unknown KG industry '光伏玻璃'" in str(r.exception)
