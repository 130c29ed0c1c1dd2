"""一图N清单 sections: the province report's chain-gap matrix, chain maps and lists."""

from __future__ import annotations

import json

import pytest

from chainatlas.chains.templates import chain_templates
from chainatlas.pipelines import chain_gaps as pcg
from chainatlas.pipelines.chain_gaps_report import chain_gaps_context


@pytest.fixture(scope="module")
def ctx() -> dict:
    return chain_gaps_context("四川")


def test_sections_and_figures(ctx) -> None:
    ids = [s["id"] for s in ctx["sections"]]
    assert ids == ["chain-gap-matrix", "chain-maps", "chain-lists"]
    assert all(s["question"] == "breadth" and s["datasets"] for s in ctx["sections"])
    maps = ctx["sections"][1]["blocks"]
    figs = [b for b in maps if b["kind"] == "figure"]
    assert len(figs) == len(chain_templates())  # one chain map per chain
    heat = ctx["sections"][0]["blocks"][0]["figure"]["data"][0]
    assert heat["type"] == "heatmap" and len(heat["y"]) == len(chain_templates())
    # node colours follow the statuses of the table next to the figure
    nev = next(f for f in figs if "新能源汽车" in f["figure"]["layout"]["title"]["text"])
    n_nodes = sum(len(tr["x"]) for tr in nev["figure"]["data"])
    assert n_nodes == len(chain_templates()["new-energy-vehicles"].links)
    json.dumps(ctx, ensure_ascii=False)  # JSON-able


def test_lists_carry_units_and_sources(ctx) -> None:
    tables = [b for s in ctx["sections"] for b in s["blocks"] if b["kind"] == "table"]
    assert len(tables) >= 8 + 8 + 1
    assert all(t["source"] for t in tables)
    caps = " ".join(t["caption"]["en"] for t in tables)
    for want in ("Missing links", "Weak links", "Inflow-dependent", "partner provinces",
                 "firms per link", "Chain-leader candidates", "completeness", "Too coarse"):  # fmt: skip
        assert want in caps


def test_province_entry_point() -> None:
    secs = pcg.province_chain_sections("Zhejiang", 2017, chains=["光伏"])
    assert len(secs[1]["blocks"]) == 2
