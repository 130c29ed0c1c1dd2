"""``chainatlas sme``: score, aggregate, report, frameworks."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from chainatlas.cli import app
from chainatlas.errors import InputError
from chainatlas.sme.schema import load_framework
from chainatlas.sme.scoring import score_assessments
from chainatlas.sme.synthetic import synthetic_answers

MIIT = load_framework("miit-2024")
runner = CliRunner()


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    df = synthetic_answers(MIIT, 80, seed=8)
    df["province"] = ["四川", "贵州", "广东", "浙江"] * 20
    path = tmp_path_factory.mktemp("sme") / "answers.csv"
    df.to_csv(path, index=False, encoding="gbk")
    return path, df


def test_score_csv_and_json(answers: tuple[Path, pd.DataFrame], tmp_path: Path) -> None:
    path, df = answers
    r = runner.invoke(
        app, ["sme", "score", str(path), "--framework", "miit-2024", "--format", "csv"]
    )
    assert r.exit_code == 0, r.output
    out = pd.read_csv(io.StringIO(r.stdout), index_col="firm_id")
    want = score_assessments(df, MIIT)
    pd.testing.assert_series_equal(
        out["total"], want.totals.rename("total"), check_index_type=False, check_names=False
    )
    assert (out["level"].to_numpy() == want.level).all()
    target = tmp_path / "scores.json"
    r = runner.invoke(
        app,
        ["sme", "score", str(path), "--encoding", "gbk", "--format", "json", "--out", str(target)],
    )
    assert r.exit_code == 0, r.output
    payload = json.loads(target.read_text(encoding="utf-8"))
    assert payload["framework"]["id"] == "miit-2024-manufacturing" and len(payload["firms"]) == 80
    assert payload["rules_applied"] == [{"id": "l3_six_scenes", "verified": False}]
    assert "gbk" in payload["provenance"]["source"]


def test_aggregate_and_frameworks(answers: tuple[Path, pd.DataFrame]) -> None:
    path, _ = answers
    r = runner.invoke(
        app, ["sme", "aggregate", str(path), "--by", "region", "--k", "5", "--format", "json"]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["firms"] == {"东部 / East": 40.0, "西部 / West": 40.0, "全部 / All": 80.0}
    r = runner.invoke(app, ["sme", "frameworks", "--format", "json"])
    assert r.exit_code == 0 and {f["id"] for f in json.loads(r.stdout)} >= {
        "miit-2024-manufacturing",
        "eu-dma",
    }


def test_reports(answers: tuple[Path, pd.DataFrame], tmp_path: Path) -> None:
    path, _ = answers
    firm_html = tmp_path / "firm.html"
    r = runner.invoke(
        app,
        [
            "sme",
            "report",
            str(path),
            "--firm",
            "SYN000004",
            "--before",
            str(path),
            "-o",
            str(firm_html),
        ],
    )
    assert r.exit_code == 0, r.output
    html = firm_html.read_text(encoding="utf-8")
    assert "SYN000004" in html and "差距分析与下一步" in html and "Progress between waves" in html
    ctx_json = tmp_path / "west.json"
    r = runner.invoke(
        app,
        ["sme", "report", str(path), "--region", "西部", "--format", "json", "-o", str(ctx_json)],
    )
    assert r.exit_code == 0, r.output
    ctx = json.loads(ctx_json.read_text(encoding="utf-8"))
    assert ctx["title"]["en"].endswith("West")
    assert [s["id"] for s in ctx["sections"]][:3] == ["overview", "levels", "profile"]
    r = runner.invoke(
        app, ["sme", "report", str(path), "--region", "黑龙江", "-o", str(tmp_path / "x.html")]
    )
    assert isinstance(r.exception, InputError) and "fewer than k=5" in str(r.exception)
    r = runner.invoke(app, ["sme", "report", str(path), "-o", str(tmp_path / "x.html")])
    assert isinstance(r.exception, InputError) and "exactly one of --firm or --region" in str(
        r.exception
    )
    assert not (tmp_path / "x.html").exists()


def test_atlas_hook_ignores_non_sme_objects() -> None:
    from chainatlas.pipelines.sections import sme as sme_sections

    s = score_assessments(synthetic_answers(MIIT, 30, seed=1), MIIT)
    assert sme_sections.applies(object(), "china-io:2020-42") is False
    assert sme_sections.applies(pd.DataFrame(), "china-io:2020-42") is False
    assert sme_sections.applies(s, "sme") is True
    secs = sme_sections.sections(s, "sme", lambda _m: None)
    assert secs[0]["id"] == "overview"
