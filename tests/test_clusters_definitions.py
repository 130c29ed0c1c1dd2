"""Cluster definitions from BEA linkages, validated against the US Cluster Mapping Project.

Measured on bea-io:2017-detail with the published defaults (traded industries, k = 51, seed 0):
hierarchical ARI 0.2306 / NMI 0.6677; Leiden ARI 0.2125 / NMI 0.6773; correlation of
cluster-to-cluster IO relatedness with CMP cr_io: Pearson 0.509, Spearman 0.700 (2,550 pairs).
The floors below sit slightly under those values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.clusters import RegionIndustry
from chainatlas.clusters.definitions import (
    cluster_definitions,
    cluster_relatedness,
    combined_relatedness,
    define_clusters,
    industry_flows,
    io_relatedness,
    official_bea_clusters,
)
from chainatlas.datasets.loaders.cluster_mapping import definition_inputs
from chainatlas.errors import InputError, LabelError, NegativeValueError
from chainatlas.provenance import Provenance


@pytest.fixture(scope="module")
def result() -> dict:
    return cluster_definitions(**definition_inputs(progress=False))


def test_validation_floors(result: dict) -> None:
    v = result["validation"]
    assert v.loc["hierarchical", "ari"] >= 0.22 and v.loc["hierarchical", "nmi"] >= 0.65
    assert v.loc["leiden", "ari"] >= 0.20 and v.loc["leiden", "nmi"] >= 0.66
    assert v.loc["hierarchical", "n"] == 296 and v.loc["hierarchical", "k_official"] == 51
    # IO-based clusters group related industries: within ≫ between
    assert (v["ratio"] > 5).all()
    c = result["cr_io"]
    assert c["pearson"] >= 0.49 and c["spearman"] >= 0.68 and c["n_pairs"] == 51 * 50


def test_official_mapping_examples(result: dict) -> None:
    off = result["official"]["cluster"]
    assert off["336411"] == "Aerospace Vehicles and Defense"  # aircraft manufacturing
    assert off.notna().sum() == 296


def test_industry_flows_market_shares() -> None:
    use = pd.DataFrame([[10.0, 0.0], [0.0, 20.0]], index=["c1", "c2"], columns=["i1", "i2"])
    make = pd.DataFrame([[30.0, 10.0], [0.0, 10.0]], index=["i1", "i2"], columns=["c1", "c2"])
    Z = industry_flows(use, make)
    # i1 makes all of c1 and half of c2: Z[i1, i2] = 0.5 × 20
    assert Z.loc["i1", "i2"] == 10.0 and Z.loc["i2", "i2"] == 10.0 and Z.loc["i1", "i1"] == 10.0
    with pytest.raises(LabelError, match="not aligned"):
        industry_flows(use, make.T)


def test_relatedness_bad_input() -> None:
    Z = pd.DataFrame([[0.0, -1.0], [1.0, 0.0]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(NegativeValueError, match="negative flow"):
        io_relatedness(Z, pd.Series([1.0, 1.0], index=["a", "b"]))
    with pytest.raises(LabelError, match="same labels"):
        io_relatedness(Z.abs(), pd.Series([1.0, 1.0], index=["a", "c"]))


def test_define_clusters_recovers_blocks() -> None:
    rng = np.random.default_rng(3)
    n = 12
    labels = np.repeat([0, 1, 2], 4)
    R = np.where(labels[:, None] == labels[None, :], 0.5, 0.01) + rng.random((n, n)) * 0.01
    R = (R + R.T) / 2
    np.fill_diagonal(R, 0.0)
    Rd = pd.DataFrame(R, index=[f"i{j}" for j in range(n)], columns=[f"i{j}" for j in range(n)])
    for method in ("hierarchical", "leiden"):
        got = define_clusters(Rd, method=method, n_clusters=3)
        assert pd.crosstab(got.to_numpy(), labels).gt(0).sum().eq(1).all(), method
    with pytest.raises(InputError, match="n_clusters"):
        define_clusters(Rd, n_clusters=0)
    with pytest.raises(InputError, match="symmetric"):
        define_clusters(Rd.iloc[:, :5])


def test_cluster_relatedness_slow() -> None:
    a_ = np.arange(16, dtype=float).reshape(4, 4)
    a_ = a_ + a_.T
    np.fill_diagonal(a_, 0.0)
    R = pd.DataFrame(a_, index=list("abcd"), columns=list("abcd"))
    a = pd.Series(["X", "X", "Y", "Y"], index=list("abcd"))
    C = cluster_relatedness(R, a)
    assert C.loc["X", "Y"] == pytest.approx(R.loc[["a", "b"], ["c", "d"]].to_numpy().mean())
    assert C.loc["X", "X"] == pytest.approx(R.loc["a", "b"])


def test_combined_relatedness_with_colocation() -> None:
    io_rel = pd.DataFrame(
        [[0, 0.2, 0.1], [0.2, 0, 0.3], [0.1, 0.3, 0]], index=list("xyz"), columns=list("xyz")
    )
    E = pd.DataFrame([[1.0, 2.0, 5.0], [2.0, 4.0, 1.0], [3.0, 6.0, 2.0]], columns=list("xyz"))
    ri = RegionIndustry(E, measure="m", unit="u", provenance=Provenance("t"))
    P = combined_relatedness(io_rel, ri)
    # x and y co-locate perfectly; x–y rises above its IO-only rank
    assert P.loc["x", "y"] > combined_relatedness(io_rel).loc["x", "y"]
    with pytest.raises(LabelError, match="granularity"):
        combined_relatedness(io_rel.iloc[:2, :2], ri)


def test_official_mapping_majority_rule() -> None:
    cw = pd.DataFrame(
        {"detail": ["D1", "D1", "D1", "D2"], "naics_2012": ["111111", "111112", "111113", "222222"]}
    )
    naics = pd.DataFrame(
        {
            "naics": ["111111", "111112", "111113", "222222"],
            "traded": [True, True, False, False],
            "cluster": ["B", "A", "Local", "Local2"],
        }
    )
    out = official_bea_clusters(pd.Index(["D1", "D2"]), cw, naics)
    assert out.loc["D1", "cluster"] == "A"  # tie 1–1 → alphabetical; 2 traded of 3 → traded
    assert pd.isna(out.loc["D2", "cluster"])  # all local
