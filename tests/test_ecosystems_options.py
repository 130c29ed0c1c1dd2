"""Closed-set options of the ecosystems API: a typo is refused, naming the option and choices.

Before the shared ``@validate_params`` decorator, four of these typos silently gave a wrong
answer (self_loops="dorp" kept the self-loops, duplicates="rase" summed the duplicates,
scope="cross_region" returned all flows, level="industries" analysed the company graph).
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from chainatlas.cli import app
from chainatlas.ecosystems import (
    backbone,
    chain_leaders,
    communities,
    io_network,
    make_periods,
    network_from_edges,
    snapshot_records,
)
from chainatlas.ecosystems.apple import country_concentration
from chainatlas.ecosystems.networks import company_industry_membership, industry_chain_network
from chainatlas.ecosystems.records import clean_sql
from chainatlas.pipelines.ecosystems import chain_kg_ecosystem, network_for
from chainatlas.validation import OptionError

EDGES = pd.DataFrame({"source": ["a", "b", "a"], "target": ["a", "c", "c"], "weight": [1.0, 2, 3]})
X = object()  # never reached: options are checked before the body runs


def test_the_four_silent_typos_now_raise() -> None:
    with pytest.raises(
        OptionError,
        match=r"unknown self_loops 'dorp'.*\['raise', 'drop', 'keep'\].*did you mean 'drop'",
    ):
        network_from_edges(EDGES, self_loops="dorp")
    with pytest.raises(
        OptionError, match=r"unknown duplicates 'rase'.*\['sum', 'raise'\].*did you mean 'raise'"
    ):
        network_from_edges(EDGES, duplicates="rase")
    with pytest.raises(
        OptionError, match=r"unknown scope 'cross_region'.*\['all', 'cross-region'\]"
    ):
        io_network(X, scope="cross_region")
    with pytest.raises(OptionError, match=r"unknown level 'industries'.*\['industry', 'company'\]"):
        network_for("china-industry-chain-kg", level="industries")


def test_the_cli_level_is_a_closed_set() -> None:
    res = CliRunner().invoke(
        app, ["ecosystems", "communities", "china-industry-chain-kg", "--level", "industries"]
    )
    assert res.exit_code == 2
    assert "industries" in res.output and "industry" in res.output and "company" in res.output


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: communities(X, quality="cmp"), r"unknown quality 'cmp'.*'modularity', 'cpm'"),
        (lambda: communities(X, direction="both"), r"unknown direction 'both'.*'undirected'"),
        (lambda: communities(X, implementation="nx"), r"unknown implementation 'nx'.*'igraph'"),
        (lambda: chain_leaders(X, method="pagerank"), r"unknown method 'pagerank'.*'flow-reach'"),
        (lambda: backbone(X, method="disparty"), r"unknown method 'disparty'.*'flow-share'"),
        (lambda: io_network(X, backbone_method="no"), r"unknown backbone_method 'no'.*'none'"),
        (
            lambda: industry_chain_network(X, X, unknown="ignore"),
            r"unknown unknown 'ignore'.*'drop'",
        ),
        (
            lambda: company_industry_membership(X, X, unknown="skip"),
            r"unknown unknown 'skip'.*'raise', 'drop'",
        ),
        (
            lambda: clean_sql(
                [], supplier="s", customer="c", value="v", date="d", id_type="int", quote="q"
            ),
            r"unknown id_type 'int'.*'integer'",
        ),
        (lambda: make_periods("2020", "2021", freq="week"), r"unknown freq 'week'.*'quarter'"),
        (
            lambda: snapshot_records(EDGES, periods=[], engine="pandas"),
            r"unknown engine 'pandas'.*'duckdb', 'spark'",
        ),
        (
            lambda: snapshot_records(EDGES, periods=[], fmt="xlsx"),
            r"unknown fmt 'xlsx'.*'csv', 'parquet'",
        ),
        (
            lambda: snapshot_records(EDGES, periods=[], outside="keep"),
            r"unknown outside 'keep'.*'raise', 'drop'",
        ),
        (
            lambda: snapshot_records(EDGES, periods=[], self_loops="keep"),
            r"unknown self_loops 'keep'.*'raise', 'drop'",
        ),
        (
            lambda: snapshot_records(EDGES, periods=[], id_type="str"),
            r"unknown id_type 'str'.*'string'",
        ),
        (
            lambda: country_concentration(X, level="province"),
            r"unknown level 'province'.*'country_area'",
        ),
        (lambda: chain_kg_ecosystem(unknown="keep"), r"unknown unknown 'keep'.*'raise', 'drop'"),
        (lambda: chain_kg_ecosystem(method="pr"), r"unknown method 'pr'.*'reverse-pagerank'"),
        (lambda: network_for("x.csv", backbone_method="none2"), r"unknown backbone_method 'none2'"),
    ],
)
def test_every_closed_set_option_refuses_a_typo(call, match) -> None:
    with pytest.raises(OptionError, match=match):
        call()
