"""Loaders of the clusters datasets, checked against facts published with the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.clusters import RegionIndustry
from chainatlas.datasets import data_path, load
from chainatlas.datasets.loaders import chain_kg, cn_listed
from chainatlas.io.table import IOTable


def test_provincial_output_matches_each_table() -> None:
    ri = load("china-provincial-io-2007:output", progress=False)
    assert isinstance(ri, RegionIndustry)
    assert ri.shape == (30, 42) and "XIZ" not in ri.values.index
    assert ri.unit == "10,000 yuan" and ri.classification == "china-provincial-2007-42"
    assert ri.industries.loc["19", "name_zh"] == "通信设备、计算机及其它电子设备制造业"
    for code in ["BEJ", "HAI", "GUD"]:
        t = load(f"china-provincial-io-2007:{code}", progress=False)
        assert isinstance(t, IOTable) and t.n == 42
        np.testing.assert_allclose(t.x.to_numpy(), ri.values.loc[code].to_numpy())
        b = t.balance()
        assert b["row_gap"].abs().max() <= 2.0 and b["col_gap"].abs().max() <= 2.0


def test_us_states_sum_to_published_us_total() -> None:
    ri = load("us-state-industry:employment", progress=False)
    assert ri.shape == (51, 20)
    raw = pd.read_csv(
        data_path("us-state-industry", "us_state_2digitnaics_2021.csv"),
        dtype=str,
        encoding="utf-8-sig",
    )
    us = raw[raw["State"] == "00"].set_index("NAICS")["Employment"].astype(float)
    # SUSB adds disclosure noise: state cells sum to the US row within 5e-5
    np.testing.assert_allclose(ri.values.sum().reindex(us.index), us, rtol=5e-5)
    firms = load("us-state-industry:firms", progress=False)
    assert firms.unit == "firms" and firms.values.loc["California", "31-33"] > 0


def test_listed_firms_and_shenwan_join() -> None:
    raw = pd.read_csv(
        data_path("cn-listed-companies", "stock_basic.csv"), dtype=str, keep_default_na=False
    )
    listed = raw[raw["status"] == "L"]
    ri = load("cn-listed-companies:firms", progress=False)
    assert ri.values.to_numpy().sum() == len(listed)
    # 深圳 is counted in Guangdong
    n_gd = int(listed["area"].isin(["广东", "深圳"]).sum())
    assert ri.values.loc["GUD"].sum() == n_gd
    firms, stats = cn_listed.join_shenwan(progress=False)
    kg = set(chain_kg.company_industry(progress=False)["ts_code"])
    assert stats["matched"] == int(listed["ts_code"].isin(kg).sum())
    assert stats["matched"] + stats["unmatched"] == stats["listed"] == len(listed)
    sw = load("cn-listed-companies:shenwan", progress=False)
    assert sw.values.to_numpy().sum() == stats["matched"]
    assert f"{stats['unmatched']} unmatched" in sw.provenance.steps[-1]
    assert dict(sw.provenance.extra)["unmatched"] == str(stats["unmatched"])
    assert sw.values.shape[1] == 31  # Shenwan 2021 has 31 level-1 industries


def test_chain_kg_tables() -> None:
    c = chain_kg.companies(progress=False)
    assert len(c) == 4654 and c["code"].str.len().eq(6).all()
    assert c["ts_code"].dropna().str.match(r"^\d{6}\.(SZ|SH|BJ)$").all()
    ind = chain_kg.industries(progress=False)
    # Shenwan 2021: 31 level-1, 134 level-2, 346 level-3 industries (published counts)
    assert ind["level"].value_counts().to_dict() == {3: 346, 2: 134, 1: 31}
    h = chain_kg.industry_hierarchy(progress=False)
    assert len(h) == 480 and set(h["parent_code"]) <= set(ind["code"])
    up = chain_kg.industry_upstream(progress=False)
    assert list(up.columns) == ["industry", "upstream", "weight", "industry_code", "upstream_code"]
    raw = pd.read_json(data_path("china-industry-chain-kg", "industry_up.json"), lines=True)
    assert len(raw) == 335 and len(up) == sum(len(u) for u in raw["ups"])
    assert (up["weight"] > 0).all() and up["upstream_code"].notna().mean() > 0.95
    assert len(chain_kg.products(progress=False)) == 95559


def test_gbt4754_counts_published() -> None:
    assert len(load("gbt4754-2017:sections", progress=False)) == 20
    div = load("gbt4754-2017:divisions", progress=False)
    assert len(div) == 97 and div.loc["65", "name"] == "软件和信息技术服务业"
    assert len(load("gbt4754-2017:classes", progress=False)) == 1380


def test_bea_tables_and_crosswalk() -> None:
    sut = load("bea-io:2017-detail", progress=False)
    assert sut.use.shape == (402, 402) and sut.make.shape == (402, 402)
    assert sut.use.columns.equals(sut.make.index) and sut.use.index.equals(sut.make.columns)
    summ = load("bea-io:2015-summary", progress=False)
    assert summ.use.shape == (73, 71)
    cw = load("bea-io:crosswalk", progress=False)
    assert {"detail", "naics_2012"} <= set(cw.columns)
    assert set(sut.industries.index) <= set(cw["detail"])


def test_cluster_mapping_tables() -> None:
    n = load("us-cluster-mapping:naics", progress=False)
    assert len(n) == 992 and n.loc[n["traded"], "cluster"].nunique() == 51
    r = load("us-cluster-mapping:related", progress=False)
    assert len(r) == 51 * 51 and r["cr_io"].notna().all()
    assert len(load("us-cluster-mapping:linkage", progress=False)) == 203


@pytest.mark.parametrize("spec", ["china-provincial-io-2007:XIZ", "us-state-industry:wages"])
def test_unknown_keys(spec: str) -> None:
    from chainatlas.errors import UnknownDatasetError

    with pytest.raises(UnknownDatasetError, match="unknown dataset spec"):
        load(spec, progress=False)
