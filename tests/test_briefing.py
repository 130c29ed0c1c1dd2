"""The briefing at the top of every report: findings with year/unit/source, card, vintage, order."""

from __future__ import annotations

import pytest

from chainatlas.datasets import load
from chainatlas.pipelines.briefing import build_briefing, order_sections, section_years


def _sec(i, datasets=()):
    return {"id": i, "title": {"zh": i, "en": i}, "datasets": list(datasets), "blocks": []}


def test_sections_ordered_by_question_with_annex_last():
    secs = [
        _sec("ecosystems-apple"),
        _sec("io-imports"),
        _sec("clusters-definitions"),
        _sec("complexity"),
        _sec("io-glance"),
        _sec("sme-overview"),
        _sec("clusters-strength"),
    ]
    got = [s["id"] for s in order_sections(secs)]
    assert got == [
        "io-glance",
        "complexity",
        "io-imports",
        "clusters-strength",
        "ecosystems-apple",
        "sme-overview",
        "clusters-definitions",
    ]
    assert secs[4]["question"] == "breadth" and secs[0]["question"] == "ecosystems"


def test_section_years():
    assert section_years(_sec("x", ["world-trade-sitc"]), "china-io:2020-42") == (1998, 2000)
    assert section_years(_sec("x"), "china-io:2020-42") == (2020, 2020)
    assert section_years(_sec("x", ["wiod-2013:1995…2011"]), "x") == (1995, 2011)


@pytest.fixture(scope="module")
def briefing():
    t = load("china-io:2020-42", progress=False)
    secs = [_sec("io-glance"), _sec("complexity", ["world-trade-sitc"]),
            _sec("chain-gaps", ["china-provincial-io:2017"]),
            _sec("clusters-digital", ["china-provincial-io-2007:output", "cn-listed-companies"]),
            _sec("geese", ["china-provincial-io:2007", "china-provincial-io:2017"])]  # fmt: skip
    return build_briefing(t, "china-io:2020-42", order_sections(secs))


def test_findings_carry_number_unit_year_source(briefing):
    f = briefing["findings"]
    assert 5 <= len(f) <= 8
    for item in f:
        assert item["zh"] and item["en"]
        assert item["value"] is not None and item["unit"] and item["year"] and item["source"]


def test_digital_core_against_official_benchmark(briefing):
    dig = briefing["findings"][0]
    assert dig["benchmark"]["value"] == 0.078 and dig["benchmark"]["year"] == 2020
    # the two wholly-digital sectors are a lower bound of the official scope
    assert 0.05 < dig["value"] < 0.078
    assert "7.8%" in dig["zh"] and "7.8%" in dig["en"]


def test_scorecard_card_has_three_pillars_and_intervals(briefing):
    card = briefing["scorecard"]
    assert [i["pillar"] for i in card["items"]] == ["breadth", "height", "toughness", "overall"]
    for i in card["items"]:
        assert 1 <= i["rank_p05"] <= i["rank_p95"] <= i["of"] == 40
    assert card["year"] == 2011 and card["unit"] == "CHN"
    assert "2011" in card["warning"]["en"]  # 9 years older than the 2020 table: said so


def test_vintage_warns_about_old_sections(briefing):
    v = {x["section"]: x for x in briefing["vintage"]}
    assert (
        v["complexity"]["warning"] is not None and "1998–2000" in v["complexity"]["warning"]["en"]
    )
    assert v["chain-gaps"]["warning"] is None
    # the listed-firm register (current) does not hide that the statistics are from 2007
    assert "china-provincial-io-2007" in v["clusters-digital"]["warning"]["en"]
    # a deliberate comparison over time that reaches recent data is not flagged
    assert v["geese"]["warning"] is None
    assert v["io-glance"]["years"] == "2020"


def test_html_renders_briefing_first(briefing):
    from chainatlas.report.render import render_html

    ctx = {
        "title": {"zh": "t", "en": "t"},
        "subtitle": "",
        "spec": "china-io:2020-42",
        "briefing": briefing,
        "sections": [_sec("io-glance")],
        "provenance": {"source": "x"},
        "datasets": [],
        "generated": "",
        "version": "",
    }
    html = render_html(ctx)
    assert html.index('id="briefing"') < html.index('id="io-glance"')
    assert "@media print" in html and "max-height:none" in html


@pytest.mark.parametrize(
    ("spec", "n_min", "card_unit"),
    [("china-provincial-io:2017-北京", 5, "北京"), ("eto-semiconductor", 4, None)],
)
def test_other_reports_get_a_briefing(spec, n_min, card_unit):
    b = build_briefing(load(spec, progress=False), spec, [])
    assert len(b["findings"]) >= n_min
    for item in b["findings"]:
        assert item["year"] and item["unit"] and item["source"] and item["value"] is not None
    assert (b["scorecard"] or {}).get("unit") == card_unit
