"""Digital-economy mapping tables, digital clusters and the flying-geese typology."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rdata

from chainatlas.clusters import RegionIndustry, flying_geese
from chainatlas.clusters.digital import (
    CLASSIFICATIONS,
    VintageMismatchError,
    classification_for_spec,
    classify_sectors,
    digital_clusters,
    digital_output,
    digital_output_share,
    high_tech_divisions,
    listed_digital_firms,
    mapping_table,
)
from chainatlas.datasets import data_path, load
from chainatlas.errors import InputError, UnknownCodeError
from chainatlas.provenance import Provenance

OFFICIAL_MID = "nbs_digital_economy_2021_mid.csv"


def _china_io_names(file: str) -> pd.Series:
    obj = next(iter(rdata.read_rda(data_path("china-io", file)).values()))
    if "Origin" in obj.columns:
        obj = obj[obj["Origin"] == "Domestic"]
    obj = obj[obj["Code"].str.match(r"^\d+$")]
    return pd.Series(
        obj["DescriptionInChinese"].str.strip().to_numpy(), index=obj["Code"].to_numpy()
    )


@pytest.mark.parametrize(
    ("classification", "file"),
    [
        ("china-42", "china_2020_42.rda"),
        ("china-42", "china_2017_42.rda"),
        ("china-149", "china_2017_149.rda"),
        ("china-153", "china_2018_153.rda"),
        ("china-153", "china_2020_153.rda"),
    ],
)
def test_mapping_names_match_nbs_tables(classification: str, file: str) -> None:
    names = _china_io_names(file)
    for kind in ("digital", "high-tech"):
        m = mapping_table(kind, classification)
        assert m.index.isin(names.index).all()
        assert (names.reindex(m.index) == m["name_zh"]).all(), kind
    # the whole table classifies without error and the names check passes
    c = classify_sectors(list(names.index), classification, names=list(names))
    assert c["membership"].isin(["full", "partial", ""]).all()


def test_mapping_matches_official_categories(mirror) -> None:
    off = pd.read_csv(mirror / "classifications" / OFFICIAL_MID, comment="#", dtype=str)
    core_mid = set(off.loc[off["major_code"].isin(["01", "02", "03", "04"]), "mid_code"])
    for cls_ in CLASSIFICATIONS:
        m = mapping_table("digital", cls_)
        assert m["major_code"].isin(["01", "02", "03", "04"]).all()
        mids = {x for v in m["mid_codes"] for x in v.split(";")}
        assert mids <= core_mid, cls_
        # the primary major category is the major of one of the listed mid categories
        assert all(
            maj in {x[:2] for x in mids_.split(";")}
            for maj, mids_ in zip(m["major_code"], m["mid_codes"], strict=True)
        )
        assert m["membership"].isin(["full", "partial"]).all()
        assert (m.loc[m["membership"] == "partial", "note"].str.len() > 10).all()


def test_gbt_and_provincial_names() -> None:
    div = load("gbt4754-2017:divisions", progress=False)
    m = mapping_table("digital", "gbt4754-2017-division")
    assert (div.loc[m.index, "name"] == m["name_zh"]).all()
    prov = load("china-provincial-io-2007:output", progress=False).industries
    for kind in ("digital", "high-tech", "strategic-emerging"):
        mp = mapping_table(kind, "china-provincial-2007-42")
        assert (prov.loc[mp.index, "name_zh"] == mp["name_zh"]).all(), kind


def test_high_tech_divisions_derived() -> None:
    gbt = {
        "classes": load("gbt4754-2017:classes", progress=False),
        "divisions": load("gbt4754-2017:divisions", progress=False),
    }
    h = high_tech_divisions(gbt["classes"], gbt["divisions"])
    assert h.loc["27", "membership"] == "full"  # all 9 pharmaceutical classes are listed
    assert h.loc["39", "membership"] == "partial" and h.loc["39", "note"].startswith("35 of 36")
    assert h["category_codes"].str.split(";").explode().isin([f"0{i}" for i in range(1, 7)]).all()
    assert mapping_table("high-tech", "gbt4754-2017-division", gbt=gbt).equals(h)
    with pytest.raises(UnknownCodeError, match="derived from the GB/T"):
        mapping_table("high-tech", "gbt4754-2017-division")


def test_unknown_codes_and_classifications_raise() -> None:
    with pytest.raises(UnknownCodeError, match="not in classification 'china-42'"):
        classify_sectors(["01", "43"], "china-42")
    with pytest.raises(UnknownCodeError, match="no mapping tables for classification"):
        mapping_table("digital", "china-139")
    with pytest.raises(UnknownCodeError, match="no strategic-emerging mapping"):
        mapping_table("strategic-emerging", "china-153")


def test_vintage_mismatch_raises() -> None:
    names149 = _china_io_names("china_2017_149.rda")
    # 149 codes are valid 153 codes but name other sectors (e.g. 090)
    with pytest.raises(VintageMismatchError, match="names differ"):
        classify_sectors(list(names149.index), "china-153", names=list(names149))
    ri = load("china-provincial-io-2007:output", progress=False)
    with pytest.raises(VintageMismatchError, match="different classifications"):
        digital_output(ri, classification="china-42")
    with pytest.raises(VintageMismatchError, match="no digital-economy mapping"):
        classification_for_spec("china-io:2012-139")
    assert classification_for_spec("china-io:2020-153") == "china-153"


def test_digital_clusters_on_provinces() -> None:
    ri = load("china-provincial-io-2007:output", progress=False)
    firms = load("cn-listed-companies:table", progress=False)
    d = digital_clusters(ri, firms=firms)
    s = d["summary"]
    # full members of the 2007 table: sector 19 (→ 01) and 29 (→ 03)
    v = ri.values
    np.testing.assert_allclose(s["digital"], v["19"] + v["29"])
    np.testing.assert_allclose(s["digital_share"], (v["19"] + v["29"]) / v.sum(axis=1))
    lq01 = (v["19"] / v.sum(axis=1)) / (v["19"].sum() / v.to_numpy().sum())
    np.testing.assert_allclose(s["lq_01"], lq01)
    assert d["share_total"] == pytest.approx((v["19"].sum() + v["29"].sum()) / v.to_numpy().sum())
    upper = digital_clusters(ri, include="full+partial")["summary"]
    assert (upper["digital"] >= s["digital"]).all()
    # listed digital firms: recount from the raw table
    raw = pd.read_csv(
        data_path("cn-listed-companies", "stock_basic.csv"), dtype=str, keep_default_na=False
    )
    raw = raw[raw["status"] == "L"]
    dig = {"元器件", "半导体", "通信设备", "IT设备", "软件服务", "互联网", "电信运营"}
    n = raw["industry"].isin(dig) & raw["area"].isin(["广东", "深圳"])
    assert s.loc["GUD", "listed_digital"] == int(n.sum())
    lf = listed_digital_firms(firms, include="full+partial")
    assert lf.to_numpy().sum() > s["listed_digital"].sum()  # adds film and publishing


def test_flying_geese_rules() -> None:
    rng = np.random.default_rng(1)
    size = pd.Series(rng.dirichlet(np.ones(20)), index=[f"r{i}" for i in range(20)])
    lq = pd.Series(rng.gamma(2.0, 0.6, 20), index=size.index)
    g = flying_geese(size, lq)
    p80, p50 = np.percentile(size, [80, 50])
    for r in size.index:
        lead = size[r] >= p80 and lq[r] >= 1
        follow = not lead and (lq[r] >= 0.8 or size[r] >= p50)
        want = "lead" if lead else ("follower" if follow else "latecomer")
        assert g.loc[r, "type"] == want
    assert g["rank"].tolist() == sorted(g["rank"])
    with pytest.raises(Exception, match="same regions"):
        flying_geese(size, lq.iloc[:-1])
    bad = lq.copy()
    bad.iloc[0] = np.nan
    with pytest.raises(Exception, match="NaN"):
        flying_geese(size, bad)


def test_digital_clusters_user_table() -> None:
    vals = pd.DataFrame({f"{i:02d}": [1.0, 2.0, 3.0] for i in range(1, 43)}, index=["A", "B", "C"])
    vals["20"] = [10.0, 1.0, 1.0]
    ri = RegionIndustry(
        vals, measure="m", unit="u", provenance=Provenance("t"), classification="china-42"
    )
    d = digital_clusters(ri)
    assert list(d["categories"].values.columns) == ["01", "03"]
    assert d["summary"].loc["A", "lq_01"] > 1 > d["summary"].loc["B", "lq_01"]


def test_full_members_agree_across_2020_tables() -> None:
    """The 42- and 153-sector 2020 tables give the same digital-core output (full members)."""

    def share(file: str, classification: str) -> float:
        obj = next(iter(rdata.read_rda(data_path("china-io", file)).values()))
        if "Origin" in obj.columns:
            obj = obj[obj["Origin"] == "Domestic"]
        obj = obj[obj["Code"].str.match(r"^\d+$")]
        c = classify_sectors(list(obj["Code"]), classification)
        go = obj["GO"].astype(float).to_numpy()
        return float(go[c["membership"].eq("full").to_numpy()].sum() / go.sum())

    s42 = share("china_2020_42.rda", "china-42")
    s153 = share("china_2020_153.rda", "china-153")
    assert 0.05 < s42 < 0.10
    assert s153 == pytest.approx(s42, rel=1e-6)


def test_digital_output_share_matches_raw_table() -> None:
    """The library share on the loaded 2020 table equals a sum over the raw rda rows."""
    t = load("china-io:2020-42", progress=False)
    x = pd.Series(t.x.to_numpy(dtype=float), index=list(t.sectors["code"]))
    got = digital_output_share(x, "china-42", names=list(t.sectors["name_zh"]))
    obj = next(iter(rdata.read_rda(data_path("china-io", "china_2020_42.rda")).values()))
    obj = obj[(obj["Origin"] == "Domestic") & obj["Code"].str.match(r"^\d+$")]
    codes = list(obj["Code"])
    mem = dict(zip(codes, classify_sectors(codes, "china-42")["membership"], strict=True))
    rows = list(zip(codes, obj["GO"], strict=True))
    full = sum(float(g) for c, g in rows if mem[c] == "full")
    both = sum(float(g) for c, g in rows if mem[c] in ("full", "partial"))
    total = sum(float(g) for g in obj["GO"])
    assert got["full"] == pytest.approx(full / total, rel=1e-9)
    assert got["full+partial"] == pytest.approx(both / total, rel=1e-9)
    assert got["full"] < got["full+partial"]
    with pytest.raises(InputError, match="total output must be a positive"):
        digital_output_share(x * 0.0, "china-42")
