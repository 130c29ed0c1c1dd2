"""Semiconductor chain (eto-semiconductor): reach, concentration, scenario, leaders, licence."""

from __future__ import annotations

import csv
from collections import deque
from pathlib import Path

import numpy as np
import pytest

from chainatlas.chains import semiconductor as sc
from chainatlas.errors import InputError, UnknownCodeError


@pytest.fixture(scope="module")
def chain(mirror: Path):
    from chainatlas.datasets import load

    return load("eto-semiconductor", progress=False)


def _rows(mirror: Path, name: str) -> list[dict[str, str]]:
    with (mirror / "eto-semiconductor" / name).open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_loader(chain, mirror: Path) -> None:
    assert len(chain.inputs) == len(_rows(mirror, "inputs.csv")) == 79
    assert len(chain.provision) == 660 and len(chain.sequence) == 93
    assert "CC BY-NC 4.0" in chain.provenance.licence
    assert "non-commercial" in chain.licence_note
    asml = chain.provision[
        (chain.provision.provider_name == "ASML") & (chain.provision.provided_id == "N21")
    ]
    assert asml["share"].iloc[0] == pytest.approx(0.57)
    assert chain.provision["negligible"].sum() == 73


def test_reach_matches_breadth_first_search(chain, mirror: Path) -> None:
    """Reference: plain BFS over sequence.csv edges (goes_into and is_type_of) + stage links."""
    adj: dict[str, set[str]] = {}
    for r in _rows(mirror, "sequence.csv"):
        for col in ("goes_into_id", "is_type_of_id"):
            if r[col]:
                adj.setdefault(r["input_id"], set()).add(r[col])
    stage_of = {r["input_id"]: r["stage_id"] for r in _rows(mirror, "inputs.csv") if r["stage_id"]}
    for a, s in stage_of.items():
        adj.setdefault(a, set()).add(s)

    def bfs(start: str) -> set[str]:
        seen, q = set(), deque([start])
        while q:
            for b in adj.get(q.popleft(), ()):
                if b not in seen:
                    seen.add(b)
                    q.append(b)
        return seen - {start}

    reach = sc.downstream_reach(chain)
    for r in _rows(mirror, "inputs.csv"):
        want = bfs(r["input_id"])
        got = reach.loc[r["input_id"]]
        assert set(got["downstream"]) == want, r["input_id"]
        assert got["reach_stages"] == sum(1 for u in want if u.startswith("S"))
    # EUV scanners are a kind of advanced lithography equipment, used in photolithography,
    # which leads to etch, CMP, packaging, testing and the finished chip
    euv = set(reach.loc["N20", "downstream"])
    assert {"N19", "N25", "N46", "N57", "N69", "N78", "N99", "S2", "S3"} <= euv
    # a stage's reach is the union of its processes and their descendants
    procs = {a for a, s in stage_of.items() if s == "S2"}
    want = set(procs)
    for p in procs:
        want |= bfs(p)
    assert set(reach.loc["S2", "downstream"]) == want - {"S2"}


def test_concentration(chain) -> None:
    ic = sc.input_concentration(chain)
    # ArF scanners: NLD 57 %, JPN 43 % (country rows); firm shares given: ASML 57 %, Nikon 43 %
    assert ic.loc["N21", "country_hhi"] == pytest.approx(0.57**2 + 0.43**2)
    assert ic.loc["N21", "top_country"] == "NLD" and ic.loc["N21", "firm_basis"] == "given"
    assert ic.loc["N21", "top_firm"] == "ASML"
    assert ic.loc["N20", "firm_hhi"] == pytest.approx(1.0)
    # Crystal machining tools: JPN 95 % split among 4 non-negligible Japanese firms
    assert ic.loc["N9", "firm_basis"] == "country split"
    assert ic.loc["N9", "top_firm_share"] == pytest.approx(0.95 / 4)
    assert ic.loc["N9", "n_significant"] == 5
    # design (S1): "Various" 9 % counts in the denominator but not in the HHI
    want = sum(s**2 for s in [0.61, 0.06, 0.06, 0.09, 0.09])
    assert ic.loc["S1", "country_hhi"] == pytest.approx(want)
    assert (ic["country_hhi"].dropna() <= 1 + 1e-12).all()
    ck = sc.chokepoint_inputs(chain)
    assert "N99" not in ck.index and not ck.index.str.startswith("S").any()
    c = ck[["firm_hhi", "country_hhi", "reach"]].fillna(0.0)
    np.testing.assert_allclose(ck["score"], ((c / c.max()) ** (1 / 3)).prod(axis=1), rtol=1e-12)
    with pytest.raises(InputError, match="summing to 1"):
        sc.chokepoint_inputs(chain, weights=(1, 1, 1))


def test_country_stop_scenario(chain) -> None:
    s = sc.country_stop_scenario(chain, "NLD")
    assert list(s["lost"].index) == ["N20", "N22", "N21"]  # 100 %, 91 %, 57 %
    assert "non-commercial" in s["licence"]
    assert {"N19", "N25", "N99"} <= set(s["affected_inputs"].index)
    assert set(s["affected_stages"].index) == {"S2", "S3"}
    low = sc.country_stop_scenario(chain, "nld", threshold=0.95)
    assert list(low["lost"].index) == ["N20"]
    with pytest.raises(UnknownCodeError, match="did you mean 'NLD'"):
        sc.country_stop_scenario(chain, "NLDD")
    with pytest.raises(InputError, match=r"threshold must be in \(0, 1\]"):
        sc.country_stop_scenario(chain, "NLD", threshold=1.5)


def test_chain_leaders(chain) -> None:
    lead = sc.chain_leaders(chain)
    reach = sc.downstream_reach(chain)["reach"]
    fs = sc.firm_shares(chain)
    mine = fs[(fs.provider_name == "ASML") & (fs.share > 0)]
    want = float((mine["share"] * (1 + reach.reindex(mine["id"]).to_numpy())).sum())
    assert lead.loc["ASML", "leader_score"] == pytest.approx(want)
    # ASML's given shares: EUV 100 %, ArF immersion 91 %, ArF 57 %
    given = {"N20": 1.0, "N22": 0.91, "N21": 0.57}
    for k, v in given.items():
        assert mine.set_index("id").loc[k, "share"] == pytest.approx(v)
    assert lead["leader_score"].is_monotonic_decreasing
    assert lead.loc["ASML", "country"] == "NLD"


def test_report_notes_licence(chain, tmp_path: Path) -> None:
    from chainatlas.pipelines.atlas import build_context

    ctx = build_context("eto-semiconductor", obj=chain)
    ids = [s["id"] for s in ctx["sections"]]
    assert {"semi-chain", "semi-chokepoints", "semi-leaders", "semi-scenario"} <= set(ids)
    for s in ctx["sections"]:
        if s["id"].startswith("semi-"):
            assert "CC BY-NC 4.0" in s["blocks"][0]["en"]
    fig = next(b for b in ctx["sections"][0]["blocks"] if b["kind"] == "figure")
    assert fig["figure"]["data"][0]["type"] == "sankey"


def test_two_providers_top_share_one_is_negligible_second(chain) -> None:
    # Crystal growing furnaces (N8): DEU 100 % (PVA TePla); JSG (CHN) is marked negligible
    sup = chain.supply[chain.supply["provided_id"] == "N8"]
    firms = sup[sup["provider_type"] != "country"].set_index("provider_name")
    assert bool(firms.loc["JSG", "negligible"]) and not bool(firms.loc["PVA TePla", "negligible"])
    ic = sc.input_concentration(chain)
    assert ic.loc["N8", "n_providers"] == 2 and ic.loc["N8", "n_significant"] == 1
    assert ic.loc["N8", "top_firm_share"] == pytest.approx(1.0)
    assert ic.loc["N8", "firm_basis"] == "country split"
    fs = sc.firm_shares(chain).set_index(["id", "provider_name"])["share"]
    assert fs[("N8", "JSG")] == 0.0 and fs[("N8", "PVA TePla")] == pytest.approx(1.0)


def test_report_blocks_name_dataset(chain) -> None:
    from chainatlas.pipelines.sections import semiconductor as semiconductor_sections

    secs = semiconductor_sections.sections(chain, "eto-semiconductor", lambda _m: None)
    for s in secs:
        for b in s["blocks"]:
            if b["kind"] in ("table", "figure"):
                assert b["source"].startswith("eto-semiconductor")
    texts = " ".join(b["en"] for s in secs for b in s["blocks"] if b["kind"] == "text")
    assert "negligible" in texts and "Crystal growing furnaces" in texts
