"""Real runs, CLI and report sections of the ecosystems module."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from chainatlas.cli import app
from chainatlas.pipelines.ecosystems import chain_kg_ecosystem, wiod_blocs
from chainatlas.pipelines.sections import ecosystems as secs

runner = CliRunner()


@pytest.fixture(scope="module")
def blocs():
    return wiod_blocs([2009, 2010, 2011])


def test_wiod_blocs_are_regional(blocs) -> None:
    b = blocs.blocs
    assert set(b["year"]) == {2009, 2010, 2011}
    # Iberia is one production bloc in every year; Germany sits in a multi-economy bloc
    for y in (2009, 2010, 2011):
        blocs_y = b.loc[b["year"] == y, "countries"].tolist()
        assert ["ESP", "PRT"] in blocs_y
        assert any("DEU" in c and len(c) > 1 for c in blocs_y)
    evo = blocs.evolution
    assert evo.events.loc[evo.events["time"] == 2009, "event"].eq("birth").all()
    # every community of ≥ 2 nodes in the first year is a birth
    assert (evo.events["time"] == 2009).sum() == (b["year"] == 2009).sum()
    p = secs.wiod_payload(blocs)
    assert list(p["event_counts"].index) == [2009, 2010, 2011]
    assert p["summary"]["communities_last"] == int((b["year"] == 2011).sum())


def test_chain_kg_ecosystem() -> None:
    eco = chain_kg_ecosystem(top=10)
    assert eco.industry_net.n_nodes == 346
    assert eco.community_summary["size"].sum() <= 346
    assert eco.community_summary["dependence"].between(0, 1).all()
    lead = eco.company_leaders
    assert len(lead) == 10 and lead["pagerank"].is_monotonic_decreasing
    # company scores come from the derived graph: the top company's industry is a top industry
    assert lead["industry"].iloc[0] in eco.industry_leaders.index[:5]
    p = secs.chain_kg_payload(eco)
    assert p["company_network"]["derived"] is True


def test_cli_communities_and_leaders_on_an_edge_file(tmp_path: Path) -> None:
    rows = [(u, v, 5.0) for g in ("abcde", "vwxyz") for u in g for v in g if u < v]
    rows.append(("a", "v", 1.0))
    f = tmp_path / "edges.csv"
    pd.DataFrame(rows, columns=["source", "target", "weight"]).to_csv(f, index=False)
    res = runner.invoke(app, ["ecosystems", "communities", str(f), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [c["size"] for c in data["communities"]] == [5, 5]
    res = runner.invoke(app, ["ecosystems", "leaders", str(f), "--format", "csv", "--top", "3"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0].startswith("node,rank,pagerank")
    assert len(res.stdout.splitlines()) == 4


def test_cli_evolution_on_records(tmp_path: Path) -> None:
    recs = []
    for year, groups in ((2020, ["abcd", "efgh"]), (2021, ["abcdefgh"])):
        for g in groups:
            recs += [(u, v, 1.0, f"{year}-06-01") for u in g for v in g if u != v]
    f = tmp_path / "records.csv"
    pd.DataFrame(recs, columns=["supplier", "customer", "value", "date"]).to_csv(f, index=False)
    res = runner.invoke(
        app,
        [
            "ecosystems",
            "evolution",
            str(f),
            "--start",
            "2020-01-01",
            "--end",
            "2022-01-01",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [e["event"] for e in data["events"]] == ["birth", "birth", "merge"]
    res = runner.invoke(app, ["ecosystems", "evolution", str(f), "--format", "json"])
    assert res.exit_code != 0


def test_cli_suppliers_csv() -> None:
    res = runner.invoke(
        app, ["ecosystems", "suppliers", "--view", "concentration", "--format", "csv"]
    )
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].startswith("year,facilities,suppliers,countries,hhi")
    assert len(lines) == 11


def test_china_report_sections() -> None:
    assert secs.applies(None, "china-io:2020-42") and secs.applies(None, "wiod-2013:2011")
    assert not secs.applies(None, "bea-io:2017-detail")
    out = secs.sections(None, "china-io:2020-42", lambda _m: None)
    assert [s["id"] for s in out] == ["ecosystems-chain-kg", "ecosystems-apple"]
    kinds = [b["kind"] for b in out[1]["blocks"]]
    assert kinds == ["metrics", "table", "table"]
    # chain leaders in the report are the integrators, not the reverse-PageRank list
    tables = [b for b in out[0]["blocks"] if b["kind"] == "table"]
    leaders = next(b for b in tables if "Chain-leader candidates" in b["caption"]["en"])
    names = {row[2] for row in leaders["rows"]}
    assert {"中联重科", "中兴通讯"} <= names and not any("ST" in n for n in names)
    json.dumps(out, default=str)


def test_processing_notes_have_a_chinese_rendering() -> None:
    from chainatlas.pipelines.sections.ecosystems import _note_zh

    assert _note_zh("dropped 85 row(s) whose industry names are not in the industry table") == (
        "删除 85 行（行业名称 不在行业表中）"
    )
    assert _note_zh("dropped 2 self-loop(s)") == "删除自环 2 条"
    assert _note_zh("something new") == "something new"  # unknown notes are kept, not invented
