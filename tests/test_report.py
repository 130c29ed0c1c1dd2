"""The atlas report's IO sections: HTML written atomically, JSON carries the same numbers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import chainatlas.pipelines.atlas as atlas
from chainatlas.cli import app
from chainatlas.datasets import load
from chainatlas.pipelines.sections import io as io_sections
from chainatlas.report.render import render_html

SPEC = "china-io:2020-42"
runner = CliRunner()
IO_ONLY = ["chainatlas.pipelines.sections.io"]  # other modules' sections are tested by their owners


@pytest.fixture(autouse=True)
def _io_sections_only(monkeypatch) -> None:
    monkeypatch.setattr(atlas, "SECTION_BUILDERS", IO_ONLY)


@pytest.fixture(scope="module")
def report_json(mirror, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("rep") / "atlas.json"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(atlas, "SECTION_BUILDERS", IO_ONLY)
        res = runner.invoke(app, ["report", SPEC, "--format", "json", "--out", str(out)])
    assert res.exit_code == 0, res.output
    return json.loads(out.read_text(encoding="utf-8"))


def _block(ctx: dict, section_id: str, caption_en: str) -> dict:
    sec = next(s for s in ctx["sections"] if s["id"] == section_id)
    return next(
        b for b in sec["blocks"] if b.get("caption", {}).get("en", "").startswith(caption_en)
    )


def test_html_report_is_written_atomically(mirror, tmp_path: Path) -> None:
    out = tmp_path / "atlas.html"
    res = runner.invoke(app, ["report", SPEC, "--out", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    for sid in [
        "io-glance",
        "io-key-sectors",
        "io-linkages",
        "io-upstreamness",
        "io-imports",
        "io-extraction",
        "io-structure",
    ]:
        assert f'id="{sid}"' in html
    assert "关键部门" in html and "Key sectors" in html
    assert '<script src="http' not in html and "Plotly.newPlot" in html  # plotly.js embedded
    assert [p.name for p in tmp_path.iterdir()] == ["atlas.html"]  # no temp file left


def test_failed_render_leaves_existing_file(mirror, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "atlas.html"
    out.write_text("previous report", encoding="utf-8")

    def boom(ctx: dict) -> str:
        raise RuntimeError("render failed")

    monkeypatch.setattr("chainatlas.report.render.render_html", boom)
    res = runner.invoke(app, ["report", SPEC, "--out", str(out)])
    assert res.exit_code != 0
    assert out.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["atlas.html"]


def test_json_report_has_the_cli_numbers(report_json: dict) -> None:
    table = load(SPEC, progress=False)
    # upstreamness: report rows (rounded to 4 digits) = CLI payload
    up = io_sections.upstreamness_payload(table, SPEC)["positions"]
    blk = _block(report_json, "io-upstreamness", "Upstreamness")
    cols = blk["columns"]
    assert cols[:3] == ["sector", "name_zh", "name_en"]
    got = {r[0]: r[cols.index("upstreamness")] for r in blk["rows"]}
    assert len(got) == 42
    for lab, val in up["upstreamness"].items():
        assert got[lab] == round(float(val), 4)
    # extraction ranking, same order and numbers
    rank = io_sections.extraction_payload(table, SPEC)["ranking"]
    blk = _block(report_json, "io-extraction", "Total output lost")
    assert [r[0] for r in blk["rows"]] == rank.index.tolist()
    li = blk["columns"].index("loss_share")
    assert [r[li] for r in blk["rows"]] == [round(float(v), 4) for v in rank["loss_share"]]
    # key-sector typology and counts
    lk = io_sections.linkages_payload(table, SPEC)
    blk = _block(report_json, "io-key-sectors", "Typology counts")
    assert [r[1] for r in blk["rows"]] == list(lk["type_counts"].values())
    fig = _block(report_json, "io-key-sectors", "Normalised backward")["figure"]
    xs = sorted(x for tr in fig["data"] for x in tr["x"])
    assert xs == sorted(round(float(v), 4) for v in lk["linkages"]["backward_total_norm"])
    # import dependence
    imp = io_sections.imports_payload(table, SPEC)["imports"]
    blk = _block(report_json, "io-imports", "Import dependence")
    ti = blk["columns"].index("total_share")
    assert [r[ti] for r in blk["rows"]] == [round(float(v), 4) for v in imp["total_share"]]
    # structural change summary
    blk = _block(report_json, "io-structure", "Structural indicators")
    assert [r[0] for r in blk["rows"]] == [2002, 2005, 2007, 2010, 2012, 2015, 2017, 2018, 2020]


def test_glance_balance_metrics(report_json: dict) -> None:
    sec = next(s for s in report_json["sections"] if s["id"] == "io-glance")
    items = {m["label"]["en"]: m["value"] for m in sec["blocks"][0]["items"]}
    units = {m["label"]["en"]: m["unit"] for m in sec["blocks"][0]["items"]}
    assert items["sectors"] == 42
    table = load(SPEC, progress=False)
    # headline totals are shown in trillion yuan (万亿元): 10,000 yuan / 1e8
    assert units["total output"] == "万亿元 trillion yuan"
    assert items["total output"] == round(float(table.x.sum()) / 1e8, 4)
    # Y of a non-competitive table is final use of domestic products only: labelled so, with the
    # total final use (incl. imports) beside it
    assert "final use of domestic products" in items and "final demand" not in items
    assert items["total final use (incl. imports)"] > items["final use of domestic products"]
    # method checks sit in the annex, at the end of the report
    annex = next(s for s in report_json["sections"] if s["id"] == "io-balance")
    assert annex["question"] == "annex" and report_json["sections"][-1]["question"] == "annex"
    checks = {m["label"]["en"]: m["value"] for m in annex["blocks"][0]["items"]}
    assert checks["max row gap"] <= table.balance_atol + table.balance_rtol * float(table.x.max())


def test_report_fixes(report_json: dict) -> None:
    """Issue 15 §3: per-table labels, no BEA section in the China atlas, briefing first."""
    from chainatlas.report.labels import display_label

    serv = _block(report_json, "io-servitisation", "Service share")
    assert display_label("direct_share", serv["labels"]).startswith("直接服务投入份额")
    imp = _block(report_json, "io-imports", "Import dependence")
    assert display_label("total_share", imp["labels"]).startswith("完全进口份额")
    from chainatlas.pipelines.sections import clusters as clusters_sections

    # the US BEA cluster-definition validation belongs to the BEA report, not the China atlas
    assert clusters_sections.applies(None, "bea-io:2017-detail")
    secs = clusters_sections.sections(None, "bea-io:2017-detail", lambda _m: None)
    assert [s["id"] for s in secs] == ["clusters-definitions"] and secs[0]["question"] == "annex"
    assert report_json["briefing"]["findings"]
    order = [s["question"] for s in report_json["sections"]]
    ranks = ["breadth", "height", "toughness", "clusters", "ecosystems", "sme", "annex"]
    assert order == sorted(order, key=ranks.index)


def test_undefined_relative_gap_is_a_dash() -> None:
    from chainatlas.pipelines.sections.io import _rgap

    assert _rgap(float("inf")) == "—" and _rgap(float("nan")) == "—"
    assert _rgap(1.5e-9) == "1.50e-09"


def test_multi_region_sections_are_top_n_and_fast(mirror) -> None:
    wiod = load("wiod-2013:2011", progress=False)
    assert io_sections.applies(wiod, "wiod-2013:2011") and not io_sections.applies({}, "x")
    msgs: list[str] = []
    start = time.perf_counter()
    secs = io_sections.sections(wiod, "wiod-2013:2011", msgs.append)
    assert time.perf_counter() - start < 20  # ~1-2 s on one core; generous for CI
    assert msgs and all(isinstance(m, str) for m in msgs)
    ids = [s["id"] for s in secs]
    assert "io-structure" not in ids
    for s in secs:
        for b in s["blocks"]:
            if b["kind"] == "table":
                assert len(b["rows"]) <= io_sections.TOP_N, (s["id"], b["caption"])
    imports = next(s for s in secs if s["id"] == "io-imports")
    assert imports["blocks"][0]["kind"] == "text"  # a note, not a table


def test_footer_lists_every_dataset_the_sections_use(mirror) -> None:
    """The licence list is compiled from the main spec and the datasets sections name."""
    from chainatlas.pipelines.blocks import section, table_block

    secs = [
        section(
            "a",
            zh="甲",
            en="A",
            blocks=[table_block(pd.DataFrame({"v": [1.0]}), zh="表", en="t", source="bea-io:2017")],
            datasets=["apple-suppliers", "wiod-2013:1995…2011"],
        ),
        section("b", zh="乙", en="B", blocks=[], datasets=["not-a-dataset"]),
    ]
    used = atlas._datasets_used("china-io", secs)
    names = [d["name"] for d in used]
    assert names == ["china-io", "apple-suppliers", "wiod-2013", "bea-io"]
    assert all(d["licence"] and d["files"] for d in used)
    html = render_html(
        {"title": {"zh": "t", "en": "t"}, "sections": secs, "datasets": used, "provenance": {}}
    )
    assert "apple-suppliers" in html and "CC BY 4.0" in html


def test_html_headers_are_bilingual_while_json_keeps_raw_names() -> None:
    from chainatlas.pipelines.blocks import section, table_block

    df = pd.DataFrame(
        {"backward_total_norm": [1.2], "ECI": [0.5]}, index=pd.Index(["07"], name="sector")
    )
    blk = table_block(df, zh="表", en="t")
    assert blk["columns"] == ["sector", "backward_total_norm", "ECI"]  # JSON: stable keys
    html = render_html(
        {"title": {"zh": "t", "en": "t"}, "sections": [section("s", zh="甲", en="A", blocks=[blk])]}
    )
    assert "后向关联指数 backward index" in html and 'title="backward_total_norm"' in html
    assert ">ECI<" in html  # unknown names are shown as they are
