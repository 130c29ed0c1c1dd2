"""Chain leaders (链主) as integrators: candidates, ties, user attributes; the province payload."""

from __future__ import annotations

import pandas as pd
import pytest

from chainatlas.chains.leaders import chain_leader_candidates, dense_rank
from chainatlas.datasets import load
from chainatlas.errors import ChainAtlasError
from chainatlas.pipelines import chain_gaps as pcg


@pytest.fixture(scope="module")
def firms() -> pd.DataFrame:
    return pcg.firm_table()


@pytest.fixture(scope="module")
def up() -> pd.DataFrame:
    return load("china-industry-chain-kg:upstream", progress=False)


def test_firm_table_flags(firms) -> None:
    st = firms.attrs["stats"]
    assert st["flagged"]["delisted"] == 320  # the file's 320 delisted firms
    assert firms.loc[firms["name"] == "*ST国华", "flag"].iloc[0] in ("*ST", "delisted")
    assert st["with_kg_industry"] > 4000


def test_integrators_not_commodities(firms, up) -> None:
    r = chain_leader_candidates("新能源汽车", firms=firms, upstream=up)
    assert set(r["link"]) == {"vehicles", "power-battery"}
    assert "宁德时代" in set(r["name"]) and "比亚迪" in set(r["name"])
    assert not r["name"].str.contains("ST").any()  # ST firms excluded by default
    assert r["tied"].any() and "no firm attribute" in r.attrs["note"]
    top = r.loc[r["rank"] == 1]
    assert (top["rank_label"] == "=1").all() == (len(top) > 1)
    old_top = {"焦炭Ⅲ", "磷肥及磷化工"}  # the reverse-PageRank leaders
    assert not set(r["kg_industry"]) & old_top


def test_top_tiers_are_integrators(firms, up) -> None:
    top = {}
    for chain in ("工程机械", "通信设备/算力", "新能源汽车"):
        r = chain_leader_candidates(chain, firms=firms, upstream=up)
        top[chain] = set(r.loc[r["rank"] == 1, "name"])
    assert {"中联重科", "徐工机械", "柳工"} <= top["工程机械"]
    assert "中兴通讯" in top["通信设备/算力"]  # not the telecom contractors of a noisy KG pair
    assert "比亚迪" in top["新能源汽车"]


def test_attribute_breaks_ties(firms, up) -> None:
    r = chain_leader_candidates("光伏", firms=firms, upstream=up)
    codes = r.loc[r["rank"] == 1, "ts_code"].tolist()
    rev = pd.Series(range(len(codes)), index=codes, name="revenue", dtype=float)
    r2 = chain_leader_candidates("光伏", firms=firms, upstream=up, attributes=rev)
    assert r2.iloc[0]["ts_code"] == codes[-1] and not r2.iloc[0]["tied"]
    assert r2.attrs["matched"] == len(codes) and "note" not in r2.attrs
    with pytest.raises(ChainAtlasError, match="repeats ts_codes"):
        chain_leader_candidates("光伏", firms=firms, upstream=up,
                                attributes=pd.Series([1.0, 2.0], index=["a", "a"]))  # fmt: skip


def test_dense_rank_ties() -> None:
    keys = pd.DataFrame({"n": [3, 3, 2, 3], "v": [1.0, None, 5.0, 1.0]})
    assert dense_rank(keys).tolist() == [1, 2, 3, 1]


def test_province_payload(tmp_path) -> None:
    p = pcg.province_chain_gaps("浙江")
    assert p["province"] == "ZHJ" and len(p["links"]) == len(p["gaps"])
    assert set(p["missing"]["状态 status"]) <= {"缺链"}
    assert p["completeness"]["完整度 completeness"].between(0, 1).all()
    assert (
        p["completeness"]["31省排名 rank of 31"] <= 3
    ).sum() >= 5  # Zhejiang: top 3 in 5+ chains
    assert set(p["national_leaders"]["rank"]) == {1}
    assert not p["leaders"].empty and p["firms"]["name"].notna().all()
    with pytest.raises(ChainAtlasError, match="did you mean"):
        pcg.province_chain_gaps("浙州")
    f = tmp_path / "rev.csv"
    f.write_text("ts_code,revenue\n300750.SZ,3286\n002594.SZ,4240\n", encoding="utf-8")
    assert pcg.read_firm_attributes(str(f)).loc["002594.SZ"] == 4240
    f.write_text("code,revenue\n300750.SZ,x\n", encoding="utf-8")
    with pytest.raises(ChainAtlasError, match="ts_code column"):
        pcg.read_firm_attributes(str(f))
