"""cn-province-innovation: tidy panels, units, documented repairs, bad input."""

from __future__ import annotations

import pytest

from chainatlas.datasets import load
from chainatlas.errors import UnknownDatasetError


def test_national_rd_2023_and_units() -> None:
    p = load("cn-province-innovation:v4_ztr_jf_RD")
    assert p.loc["CHN", 2023] == pytest.approx(33357.1)
    assert p.attrs["unit"] == "亿元"
    assert p.shape[0] == 32  # 全国 + 31 provinces
    q = load("cn-province-innovation:v4_ztr_qd_RD")
    assert q.attrs["unit"] == "%"
    assert 0 < q.loc["BEJ", 2023] < 10


def test_tidy_frame_and_repairs() -> None:
    t = load("cn-province-innovation")
    assert list(t.columns) == [
        "region",
        "province",
        "year",
        "table",
        "variable",
        "indicator_zh",
        "value",
        "unit",
    ]
    assert set(t["region"]) >= {"CHN", "SIC", "XIZ"}
    assert not t.duplicated(["region", "year", "variable"]).any()
    rep = " ".join(t.attrs["repairs"])
    assert "江四 (2015) read as 江西" in rep and "尔部地区" in rep
    labs = load("cn-province-innovation:KeyLabs")
    assert labs["value"].sum() == 509
    firms = load("cn-province-innovation:HitechFirms")
    assert set(firms["unit"]) == {"家"}


def test_unknown_indicator_and_table() -> None:
    with pytest.raises(
        UnknownDatasetError, match="did you mean 'cn-province-innovation:v4_ztr_jf_RD'"
    ):
        load("cn-province-innovation:v4_ztr_jf_RX")
    from chainatlas.datasets.loaders.cn_innovation import indicator_panel, tidy

    with pytest.raises(UnknownDatasetError, match="did you mean 'RDIntense'"):
        tidy("RDIntens")
    with pytest.raises(UnknownDatasetError, match="unknown cn-province-innovation indicator"):
        indicator_panel("v9_none")
