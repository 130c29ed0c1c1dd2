"""The province atlas (pipelines/province.py) on real 2017 data, and the synthetic SME examples."""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path

import pytest

from chainatlas.errors import InputError, UnknownCodeError
from chainatlas.pipelines.province import is_province_spec, province_context

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sichuan() -> dict:
    t0 = time.perf_counter()
    ctx = province_context(
        "china-provincial-io:2017-Sichuan",
        sme=str(ROOT / "examples" / "sme" / "miit2024_synthetic_T0.csv"),
    )
    ctx["_seconds"] = time.perf_counter() - t0
    return ctx


def test_sections_and_hooks(sichuan: dict) -> None:
    ids = [s["id"] for s in sichuan["sections"]]
    assert ids[:4] == [
        "province-overview",
        "province-digital",
        "province-dependence",
        "province-key-sectors",
    ]
    assert "chain-gap-matrix" in ids and "chain-maps" in ids
    assert "province-sme-synthetic" in ids
    assert sichuan["kind"] == "province-atlas"
    card = sichuan["briefing"]["scorecard"]
    assert card["of"] == 31 if "of" in card else card["items"][0]["of"] == 31
    assert {d["name"] for d in sichuan["datasets"]} >= {
        "china-provincial-io",
        "cn-listed-companies",
    }
    assert sichuan["spec"] == "china-provincial-io:2017-四川"
    # the budget is 20 s on an idle machine (benchmarks/bench_province.py asserts it: 7.7 s
    # measured); the suite runs two workers beside other jobs, so the test allows twice that
    assert sichuan["_seconds"] < 40


def test_report_command_dispatches_to_the_province_atlas(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from chainatlas.cli import app

    out = tmp_path / "zj.json"
    res = CliRunner().invoke(app, ["report", "china-provincial-io:2017-Zhejiang", "-o", str(out)])
    assert res.exit_code == 0, res.output
    import json

    ctx = json.loads(out.read_text(encoding="utf-8"))
    assert ctx["kind"] == "province-atlas" and ctx["params"]["province"] == "ZHJ"


def test_numbers_carry_year_unit_source(sichuan: dict) -> None:
    over = sichuan["sections"][0]["blocks"][0]
    gdp = over["items"][0]
    assert gdp["unit"] == "亿元" and "2017" in gdp["label"]["zh"]
    # the table's TVA: 37,066 亿元, 0.2 % above the first published 2017 GDP (36,980.2)
    assert gdp["value"] == pytest.approx(37066.0, abs=1)
    assert over["source"] == "china-provincial-io:2017"
    for s in sichuan["sections"][:4]:
        for b in s["blocks"]:
            if b["kind"] in ("table", "metrics", "figure"):
                assert b.get("source"), (s["id"], b.get("caption"))


def test_sichuan_is_a_lead_goose_in_2017(sichuan: dict) -> None:
    dig = sichuan["sections"][1]
    mine = dig["blocks"][1]
    assert [r[0] for r in mine["rows"]] == [2007, 2012, 2017]
    assert mine["rows"][-1][-1] == "头雁"
    assert mine["rows"][0][-1] == "跟随雁"


def test_dependence_tables(sichuan: dict) -> None:
    dep = sichuan["sections"][2]
    tables = [b for b in dep["blocks"] if b["kind"] == "table"]
    top_import = [r[0] for r in tables[1]["rows"]]
    assert "20" in top_import[:3]  # electronics: Sichuan's most import-dependent large sector
    national = tables[-1]
    coal = next(r for r in national["rows"] if r[0] == "02")
    assert coal[2].startswith("山西")  # Shanxi is the largest net supplier of coal (2017)


def test_bad_input() -> None:
    assert is_province_spec("china-provincial-io:2017-四川")
    assert not is_province_spec("china-provincial-io:2017")
    with pytest.raises(InputError, match="separate inflows and imports"):
        province_context("china-provincial-io:2007-四川")
    with pytest.raises(UnknownCodeError, match="did you mean"):
        province_context("china-provincial-io:2017-Sichuang")


def test_synthetic_examples_cover_the_west() -> None:
    from chainatlas.sme import load_framework, synthetic_answers
    from chainatlas.sme.synthetic import WEST

    for name in ("miit2024_synthetic_T0.csv", "miit2024_synthetic_T1.csv", "eudma_synthetic.csv"):
        with open(ROOT / "examples" / "sme" / name, encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        c = Counter(r["province"] for r in rows)
        assert min(c[w] for w in WEST) >= 5, name
        assert all(r["firm_id"].startswith("SYN") for r in rows)
    with pytest.raises(InputError, match="cannot put 5 in each"):
        synthetic_answers(load_framework("miit-2024"), 30, min_west=5)
