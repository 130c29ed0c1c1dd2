"""Typed dataset accessors: the right kind loads, a wrong-kind spec gives one clear error."""

from __future__ import annotations

import pytest

from chainatlas.clusters.regional import RegionIndustry
from chainatlas.complexity.data import TradeData
from chainatlas.datasets import load_io_table, load_region_industry, load_trade
from chainatlas.datasets.typed import WrongKindError
from chainatlas.errors import InputError
from chainatlas.io.table import IOTable


def test_each_accessor_returns_its_kind(mirror) -> None:
    assert isinstance(load_io_table("china-io:2020-42", progress=False), IOTable)
    assert isinstance(load_trade("world-trade-sitc", progress=False), TradeData)
    ri = load_region_industry("china-provincial-io-2007:output", progress=False)
    assert isinstance(ri, RegionIndustry)


def test_a_trade_dataset_is_not_an_io_table(mirror) -> None:
    with pytest.raises(
        WrongKindError,
        match=r"world-trade-sitc is not an input–output table: it holds a TradeData.*"
        r"fix: use a spec of an input–output table, e.g. china-io:2020-42",
    ):
        load_io_table("world-trade-sitc", progress=False)


def test_wrong_kinds_for_the_other_accessors(mirror) -> None:
    with pytest.raises(WrongKindError, match=r"china-io:2020-42 is not trade data"):
        load_trade("china-io:2020-42", progress=False)
    with pytest.raises(WrongKindError, match=r"is not a region × industry table.*IOTable"):
        load_region_industry("china-io:2020-42", progress=False)
    assert issubclass(WrongKindError, InputError)
