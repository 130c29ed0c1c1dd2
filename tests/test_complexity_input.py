"""Bad input policies and the labelled API of chainatlas.complexity (never silent)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.complexity import (
    ComplexityPanel,
    EmptyEntityError,
    clean_trade,
    complexity,
    eci,
    mcp,
    opportunities,
    pci,
    product_space,
    proximity,
    rca,
    rpop,
)
from chainatlas.errors import (
    DegenerateError,
    InputError,
    LabelError,
    NegativeValueError,
    NonFiniteError,
    SchemaError,
    UnknownCodeError,
)
from chainatlas.kernels import complexity as K


def _long(X: np.ndarray, locs: str = "abcdefghijklmnop", prods: str | None = None) -> pd.DataFrame:
    prods = prods or [f"p{j}" for j in range(X.shape[1])]
    rows = [
        (locs[i], prods[j], float(X[i, j]))
        for i in range(X.shape[0])
        for j in range(X.shape[1])
        if X[i, j] != 0
    ]
    return pd.DataFrame(rows, columns=["location", "product", "value"])


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    X = rng.lognormal(size=(8, 20)) * (rng.random((8, 20)) < 0.8) + 0.01
    return _long(X)


def test_labels_and_shapes(small):
    res = complexity(small)
    assert list(res.eci.index) == sorted(small["location"].unique())
    assert res.rca.shape == (8, 20)
    assert res.proximity.shape == (20, 20)
    assert res.eci_ranking["rank"].tolist() == list(range(1, 9))
    # ECI correlates positively with diversity (sign convention)
    assert np.corrcoef(res.eci, res.diversity)[0, 1] > 0
    # cog is zero where Mcp = 1
    assert (res.cog.to_numpy()[res.mcp.to_numpy() == 1] == 0).all()
    # single-measure functions return the same numbers as the container
    pd.testing.assert_series_equal(eci(small), res.eci)
    pd.testing.assert_series_equal(pci(small), res.pci)
    pd.testing.assert_frame_equal(rca(small), res.rca)
    pd.testing.assert_frame_equal(mcp(small), res.mcp)
    pd.testing.assert_frame_equal(proximity(small), res.proximity)


def test_rca_matches_definition(small):
    wide = small.pivot(index="location", columns="product", values="value").fillna(0.0)
    expected = (wide.div(wide.sum(axis=1), axis=0)) / (wide.sum(axis=0) / wide.to_numpy().sum())
    got = rca(small)
    np.testing.assert_allclose(got.to_numpy(), expected.loc[got.index, got.columns].to_numpy())


def test_input_is_not_modified(small):
    before = small.copy()
    complexity(small)
    pd.testing.assert_frame_equal(small, before)


def test_panel_is_per_year(small):
    a = small.assign(year=2001)
    b = small.assign(year=2002, value=small["value"][::-1].to_numpy())
    panel = complexity(pd.concat([a, b]), time="year")
    assert isinstance(panel, ComplexityPanel)
    assert panel.times == [2001, 2002]
    pd.testing.assert_series_equal(panel[2001].eci, complexity(small).eci)
    assert panel.eci.index.names == ["time", "location"]
    assert len(panel.eci) == 16


def test_duplicates_raise_or_sum(small):
    dup = pd.concat([small, small.iloc[:1]], ignore_index=True)
    with pytest.raises(LabelError, match="duplicate .location, product. pair"):
        complexity(dup)
    summed = complexity(dup, duplicates="sum")
    doubled = small.copy()
    doubled.loc[0, "value"] *= 2
    pd.testing.assert_series_equal(summed.eci, complexity(doubled).eci)


def test_nan_and_negative(small):
    bad = small.copy()
    bad.loc[3, "value"] = np.nan
    with pytest.raises(NonFiniteError, match="NaN or infinite value"):
        complexity(bad)
    res = complexity(bad, invalid="drop")
    assert res.excluded.query("kind == 'row'")["reason"].tolist() == ["NaN or infinite value"]
    neg = small.copy()
    neg.loc[2, "value"] = -5.0
    with pytest.raises(NegativeValueError, match="negative value"):
        complexity(neg)
    assert complexity(neg, invalid="drop").excluded["kind"].tolist() == ["row"]


def test_zero_location_and_product_policy(small):
    extra = pd.DataFrame(
        {"location": ["zz", "a"], "product": ["p0", "q-none"], "value": [0.0, 0.0]}
    )
    data = pd.concat([small, extra], ignore_index=True)
    with pytest.raises(EmptyEntityError, match="zero total exports or products with no exporter"):
        complexity(data, zeros="raise")
    res = complexity(data)
    ex = res.excluded.set_index("label")["reason"].to_dict()
    assert ex == {"zz": "zero total", "q-none": "no exporter"}
    assert "zz" not in res.eci.index and "q-none" not in res.pci.index


def test_schema_errors(small):
    with pytest.raises(SchemaError, match="lacks required columns"):
        complexity(small.rename(columns={"value": "v"}))
    with pytest.raises(SchemaError, match="not numeric"):
        complexity(small.astype({"value": str}))
    with pytest.raises(InputError, match="invalid convention"):
        complexity(small, convention="atlas")  # type: ignore[arg-type]


def test_single_location_is_degenerate():
    df = pd.DataFrame({"location": ["a", "a"], "product": ["x", "y"], "value": [1.0, 2.0]})
    with pytest.raises(DegenerateError, match="single location"):
        complexity(df)


def test_everything_ubiquitous_is_degenerate():
    X = np.ones((4, 5))
    with pytest.raises(DegenerateError, match="every product is ubiquitous"):
        complexity(_long(X))


def test_disconnected_bipartite_graph_is_degenerate():
    X = np.zeros((4, 4))
    X[:2, :2] = [[3.0, 1.0], [1.0, 3.0]]
    X[2:, 2:] = [[3.0, 1.0], [1.0, 3.0]]
    with pytest.raises(DegenerateError, match="disconnected location–product"):
        complexity(_long(X))
    with pytest.raises(DegenerateError, match="disconnected"):
        K.eci_pci(K.presence(K.rca(X)))


def test_rpop_requires_population(small):
    with pytest.raises(InputError, match="needs population"):
        complexity(small, presence_test="rpop")
    pop = pd.Series(np.arange(1, 9) * 1e6, index=sorted(small["location"].unique()))
    got = rpop(small, population=pop)
    wide = small.pivot(index="location", columns="product", values="value").fillna(0.0)
    exp = wide.div(pop, axis=0) / (wide.sum(axis=0) / pop.sum())
    np.testing.assert_allclose(got.to_numpy(), exp.loc[got.index, got.columns].to_numpy())
    with pytest.raises(LabelError, match="population missing"):
        complexity(small, presence_test="rpop", population=pop.iloc[:-1])


def test_rpop_matches_stata_fixture(reference_dir):
    """RPOP presence on the HS92 sample; blx has no population in the fixture, so it is dropped."""
    trade = pd.read_csv(reference_dir / "ecomplexity" / "trade_data_sample.csv")
    pop = pd.read_csv(reference_dir / "ecomplexity" / "population_data_sample.csv")
    t95 = trade[trade.year == 1995]
    p95 = pop[pop.year == 1995].set_index("origin")["population"]
    with pytest.raises(LabelError, match="population missing"):
        complexity(
            t95,
            location="origin",
            product="hs92",
            value="export_val",
            presence_test="rpop",
            population=p95,
        )
    keep = t95[t95.origin.isin(p95.index)]
    res = complexity(
        keep,
        location="origin",
        product="hs92",
        value="export_val",
        presence_test="rpop",
        population=p95,
    )
    X = keep.pivot(index="origin", columns="hs92", values="export_val").fillna(0)
    slow = (X.div(p95.reindex(X.index), axis=0)) / (X.sum(axis=0) / p95.reindex(X.index).sum())
    np.testing.assert_allclose(res.rpop.to_numpy(), slow.to_numpy(), rtol=1e-12)
    np.testing.assert_array_equal(res.mcp.to_numpy(), (slow.to_numpy() >= 1).astype(float))
    # with population but presence by RCA, RPOP is still reported
    both = complexity(keep, location="origin", product="hs92", value="export_val", population=p95)
    np.testing.assert_allclose(both.rpop.to_numpy(), slow.to_numpy(), rtol=1e-12)


def test_clean_trade_lists_exclusions():
    df = pd.DataFrame(
        {
            "location": ["a", "a", "b", "b", "c", "tiny"],
            "product": ["x", "y", "x", "z", "y", "rare"],
            "value": [100.0, 50.0, 80.0, 30.0, 40.0, 0.001],
        }
    )
    out = clean_trade(df, min_location_share=1e-3, min_product_share=1e-3)
    assert out.excluded[["kind", "label"]].values.tolist() == [
        ["location", "tiny"],
        ["product", "rare"],
    ]
    assert "tiny" not in set(out.data["location"])
    pop = pd.Series({"a": 5e6, "b": 5e5, "c": 2e6})
    out2 = clean_trade(df, min_location_share=1e-3, population=pop)
    reasons = out2.excluded.set_index("label")["reason"].to_dict()
    assert reasons["b"] == "population below 1,000,000"
    with pytest.raises(InputError, match="fewer than two locations"):
        clean_trade(df, min_location_share=0.5)


def test_opportunities_and_product_space(small):
    res = complexity(small)
    opp = opportunities(res, "A", by="cog")
    assert (res.mcp.loc["a", opp.index] == 0).all()
    assert opp["cog"].is_monotonic_decreasing
    assert set(opp.columns) >= {"rca", "density", "cog", "pci", "rank_density", "rank_cog"}
    with pytest.raises(UnknownCodeError, match="unknown economy"):
        opportunities(res, "zzz")
    ps = product_space(res, min_proximity=0.9)
    tree = ps.edges[ps.edges.kind == "tree"]
    # a spanning tree of a connected proximity graph has p − 1 edges
    assert len(tree) == len(res.pci) - 1
    assert set(ps.nodes.columns) >= {"x", "y", "pci"}
    assert (ps.edges.loc[ps.edges.kind == "strong", "proximity"] >= 0.9).all()
    assert len(ps.to_edge_list()) == len(ps.edges)


def test_maximum_spanning_tree_against_brute_force():
    from itertools import combinations

    rng = np.random.default_rng(5)
    W = rng.random((6, 6))
    W = np.triu(W, 1) + np.triu(W, 1).T
    i, j, w = K.maximum_spanning_tree(W)
    best = 0.0
    edges = list(combinations(range(6), 2))
    for tree in combinations(edges, 5):  # brute force over 3,003 edge sets
        parent = list(range(6))

        def find(a, parent=parent):
            while parent[a] != a:
                a = parent[a]
            return a

        ok = True
        for a, b in tree:
            ra, rb = find(a), find(b)
            if ra == rb:
                ok = False
                break
            parent[ra] = rb
        if ok:
            best = max(best, sum(W[a, b] for a, b in tree))
    assert w.sum() == pytest.approx(best)
