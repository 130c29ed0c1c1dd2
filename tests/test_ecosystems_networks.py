"""Networks, communities, hubs and chain leaders: policies, references and real chain-KG data."""

from __future__ import annotations

import igraph
import numpy as np
import pandas as pd
import pytest

from chainatlas.datasets.loaders import chain_kg as ck
from chainatlas.ecosystems.communities import communities, community_table, renumber_by_size
from chainatlas.ecosystems.hubs import community_hubs, hub_dependence
from chainatlas.ecosystems.leaders import chain_leaders
from chainatlas.ecosystems.networks import (
    DuplicateEdgeError,
    EmptyNetworkError,
    SelfLoopError,
    UnknownNodeError,
    backbone,
    company_chain_network,
    company_industry_membership,
    industry_chain_network,
    io_network,
    network_from_edges,
)
from chainatlas.errors import LabelError, NegativeValueError, NonFiniteError, SchemaError
from chainatlas.io.table import IOTable


def edges(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["source", "target", "weight"])


# --- bad input policies -----------------------------------------------------------------------


def test_self_loops_raise_or_drop() -> None:
    e = edges([("a", "a", 1), ("a", "b", 2)])
    with pytest.raises(SelfLoopError, match="1 self-loop"):
        network_from_edges(e)
    net = network_from_edges(e, self_loops="drop")
    assert net.n_edges == 1 and net.notes == ("dropped 1 self-loop(s)",)
    assert "dropped 1 self-loop(s)" in net.provenance.steps


def test_negative_and_nan_weights_raise() -> None:
    with pytest.raises(NegativeValueError, match="1 negative edge weight"):
        network_from_edges(edges([("a", "b", -1.0)]))
    with pytest.raises(NonFiniteError, match="NaN or infinite"):
        network_from_edges(edges([("a", "b", np.nan)]))
    with pytest.raises(NonFiniteError, match="missing source or target"):
        network_from_edges(edges([(None, "b", 1.0)]))  # type: ignore[list-item]


def test_duplicates_summed_and_said_or_refused() -> None:
    e = edges([("a", "b", 1), ("a", "b", 2), ("b", "c", 4), ("a", "b", 3)])
    net = network_from_edges(e)
    assert net.edges.set_index(["source", "target"])["weight"].to_dict() == {
        ("a", "b"): 6.0,
        ("b", "c"): 4.0,
    }
    assert "aggregated 2 duplicate" in net.notes[0]
    with pytest.raises(DuplicateEdgeError, match="2 repeated"):
        network_from_edges(e, duplicates="raise")


def test_empty_networks() -> None:
    with pytest.raises(EmptyNetworkError, match="no edges"):
        network_from_edges(edges([]))
    net = network_from_edges(edges([]), allow_empty=True, nodes=["a", "b"])
    assert (net.n_nodes, net.n_edges) == (2, 0)
    with pytest.raises(EmptyNetworkError, match="no edges"):
        communities(net)
    with pytest.raises(EmptyNetworkError):
        chain_leaders(net)


def test_unknown_endpoints_and_missing_columns() -> None:
    with pytest.raises(LabelError, match="not in `nodes`"):
        network_from_edges(edges([("a", "z", 1)]), nodes=["a", "b"])
    with pytest.raises(SchemaError, match="lacks column"):
        network_from_edges(pd.DataFrame({"from": ["a"], "to": ["b"]}))


def test_zero_weights_dropped_and_said() -> None:
    net = network_from_edges(edges([("a", "b", 0), ("b", "c", 1)]))
    assert net.n_edges == 1 and "zero-weight" in net.notes[0]


# --- IO networks and backbones ----------------------------------------------------------------


def test_io_network_is_z_off_diagonal() -> None:
    t = IOTable.from_arrays(
        Z=[[150, 500], [200, 100]],
        Y=[[350], [1700]],
        V=[[650, 1400]],
        sectors=["S1", "S2"],
        final_demand=["f"],
        value_added=["v"],
        unit="USD",
        source="Miller & Blair Table 2.3",
    )
    net = io_network(t, backbone_method="none")
    assert net.edges.values.tolist() == [["S1", "S2", 500.0], ["S2", "S1", 200.0]]
    assert any("diagonal left out" in s for s in net.provenance.steps)


def test_wiod_cross_region_network_has_no_domestic_edges() -> None:
    from chainatlas.datasets import load

    t = load("wiod-2013:2011", progress=False)
    net = io_network(t, scope="cross-region", backbone_method="none")
    region = net.nodes.str.split(" / ").str[0].to_numpy()
    s, g = net.codes
    assert (region[s] != region[g]).all() and net.n_nodes == 1435
    Z = t.Z.to_numpy()
    np.testing.assert_array_equal(net.edges["weight"].to_numpy(), Z[s, g])
    # every positive cross-region flow is an edge
    mask = (Z > 0) & (region[:, None] != region[None, :])
    assert net.n_edges == int(mask.sum())
    bb = backbone(net, method="disparity", alpha=0.05)
    assert 0 < bb.n_edges < net.n_edges
    assert (bb.W > 0).multiply(net.W > 0).sum() == bb.n_edges  # a subset of the edges


# --- communities --------------------------------------------------------------------------------


def _two_cliques() -> pd.DataFrame:
    rows = []
    for grp in ("abcde", "vwxyz"):
        rows += [(u, v, 5.0) for u in grp for v in grp if u < v]
    rows.append(("a", "v", 1.0))
    return edges(rows)


@pytest.mark.parametrize("impl", ["igraph", "leidenalg"])
def test_leiden_recovers_planted_groups_and_is_reproducible(impl: str) -> None:
    net = network_from_edges(_two_cliques())
    m = communities(net, seed=1, implementation=impl)  # type: ignore[arg-type]
    assert m.groupby(m).apply(lambda s: "".join(sorted(s.index))).tolist() == ["abcde", "vwxyz"]
    assert communities(net, seed=1, implementation=impl).equals(m)  # type: ignore[arg-type]
    assert communities(net, quality="cpm", resolution=1.0).nunique() == 2
    assert communities(net, direction="directed").nunique() == 2
    tab = community_table(m)
    assert tab["size"].tolist() == [5, 5]


def test_leiden_modularity_at_least_louvain() -> None:
    igraph.set_random_number_generator(__import__("random").Random(0))
    g = igraph.Graph.SBM(
        pref_matrix=[[0.2, 0.01, 0.01], [0.01, 0.2, 0.01], [0.01, 0.01, 0.2]],
        block_sizes=[100, 100, 100],
    )
    e = edges([(f"n{a}", f"n{b}", 1.0) for a, b in g.get_edgelist()])
    net = network_from_edges(e)
    ug = net.to_igraph(directed=False)
    q_louvain = ug.community_multilevel(weights="weight").modularity
    for impl in ("igraph", "leidenalg"):
        m = communities(net, seed=3, implementation=impl)  # type: ignore[arg-type]
        q = ug.modularity(m.to_numpy().tolist(), weights="weight")
        assert q >= q_louvain - 1e-3
        # the three planted blocks are found
        assert m.nunique() == 3


def test_renumber_by_size() -> None:
    assert renumber_by_size(np.array([7, 3, 3, 9, 3, 7])).tolist() == [1, 0, 0, 2, 0, 1]


# --- hubs ---------------------------------------------------------------------------------------


def test_star_and_ring_dependence() -> None:
    star = network_from_edges(edges([("h", x, 2.0) for x in "abcd"]))
    dep = hub_dependence(star, pd.Series(0, index=star.nodes))
    assert dep.loc[0, "top_hub"] == "h" and dep.loc[0, "dependence"] == 1.0
    ring = network_from_edges(edges([(a, b, 1.0) for a, b in zip("abcde", "bcdea", strict=True)]))
    dep = hub_dependence(ring, pd.Series(0, index=ring.nodes))
    assert dep.loc[0, "dependence"] == pytest.approx(2 / 5)


def test_hub_dependence_matches_loop_reference() -> None:
    rng = np.random.default_rng(0)
    rows = [
        (f"n{a}", f"n{b}", float(rng.integers(1, 9)))
        for a in range(30)
        for b in range(30)
        if a != b and rng.random() < 0.15
    ]
    net = network_from_edges(edges(rows))
    m = pd.Series(rng.integers(0, 3, net.n_nodes), index=net.nodes)
    got = hub_dependence(net, m)
    for c in range(3):
        inside = [(s, t, w) for s, t, w in rows if m[s] == c and m[t] == c]
        strength: dict[str, float] = {n: 0.0 for n in m.index[m == c]}
        for s, t, w in inside:
            strength[s] += w
            strength[t] += w
        best = max(strength.values())
        hub = [n for n in net.nodes if n in strength and strength[n] == best][0]
        total = sum(w for _, _, w in inside)
        via = sum(w for s, t, w in inside if hub in (s, t))
        assert got.loc[c, "top_hub"] == hub
        assert got.loc[c, "dependence"] == pytest.approx(via / total)
    hubs = community_hubs(net, m, top=2)
    assert hubs.groupby(level="community")["pagerank"].max().le(1).all()
    assert hubs.xs(1, level="rank")["node"].tolist() == got["top_hub"].tolist()


def test_membership_with_unknown_or_missing_nodes() -> None:
    net = network_from_edges(edges([("a", "b", 1.0)]))
    with pytest.raises(UnknownNodeError, match="not in the network"):
        hub_dependence(net, pd.Series({"a": 0, "b": 0, "zz": 1}))
    with pytest.raises(UnknownNodeError, match="have no community"):
        hub_dependence(net, pd.Series({"a": 0}))


# --- chain leaders ------------------------------------------------------------------------------


def test_chain_leader_is_the_upstream_source() -> None:
    e = edges(
        [("ore", "steel", 10), ("steel", "car", 5), ("steel", "ship", 5), ("glass", "car", 1)]
    )
    net = network_from_edges(e)
    for method in ("reverse-pagerank", "flow-reach"):
        lead = chain_leaders(net, method=method)  # type: ignore[arg-type]
        assert lead.index[0] in {"ore", "steel"}
        assert lead.index[-1] in {"car", "ship"}
    reach = chain_leaders(net, method="flow-reach")["reach"]
    # steel supplies 5/6 of car's inputs and all of ship's; ore all of steel's
    assert reach["steel"] == pytest.approx(5 / 6 + 1)
    assert reach["ore"] == pytest.approx(1 + 0.5 * (5 / 6 + 1))
    with pytest.raises(LabelError, match="unknown nodes"):
        chain_leaders(net, personalization=pd.Series({"mars": 1.0}))


# --- chain knowledge graph (real data) ----------------------------------------------------------


@pytest.fixture(scope="module")
def kg() -> dict[str, pd.DataFrame]:
    ind = ck.industries(progress=False)
    return {
        "industries": ind.loc[ind["level"] == 3],
        "upstream": ck.industry_upstream(progress=False),
        "company_industry": ck.company_industry(progress=False),
    }


def test_chain_kg_unknown_industries_raise_or_drop(kg: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(UnknownNodeError, match="not in the industry table"):
        industry_chain_network(kg["upstream"], kg["industries"])
    with pytest.raises(UnknownNodeError, match="industry codes are not in the industry table"):
        company_industry_membership(kg["company_industry"], kg["industries"])
    net = industry_chain_network(kg["upstream"], kg["industries"], unknown="drop")
    names = set(kg["industries"]["name"])
    ok = kg["upstream"]["industry"].isin(names) & kg["upstream"]["upstream"].isin(names)
    assert net.n_edges == int(ok.sum()) and net.n_nodes == len(names) == 346
    assert f"dropped {int((~ok).sum())} row(s)" in net.provenance.steps[0]
    # edge direction: upstream -> industry, weight = the file's count
    r = kg["upstream"].loc[ok].iloc[0]
    w = net.edges.set_index(["source", "target"]).loc[(r["upstream"], r["industry"]), "weight"]
    assert w == r["weight"]


def test_derived_company_graph_conserves_industry_weights(kg: dict[str, pd.DataFrame]) -> None:
    net = industry_chain_network(kg["upstream"], kg["industries"], unknown="drop")
    m = company_industry_membership(kg["company_industry"], kg["industries"], unknown="drop")
    comp = company_chain_network(net, m)
    assert "DERIVED" in comp.provenance.steps[-1]
    ind_of = m.to_dict()
    agg = (
        comp.edges.assign(u=comp.edges["source"].map(ind_of), i=comp.edges["target"].map(ind_of))
        .groupby(["u", "i"])["weight"]
        .sum()
    )
    present = set(m)
    ref = net.edges.loc[net.edges["source"].isin(present) & net.edges["target"].isin(present)]
    ref = ref.set_index(["source", "target"])["weight"]
    pd.testing.assert_series_equal(
        agg.sort_index(), ref.sort_index().rename_axis(["u", "i"]), check_names=False
    )
    with pytest.raises(UnknownNodeError, match="industries not in the industry graph"):
        company_chain_network(net, pd.Series({"000001.SZ": "火星采矿"}))
