"""chainatlas.regions on the real 2007/2012/2017 provincial tables: dependence, groups, geese."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.datasets import load
from chainatlas.datasets.loaders import china_provincial_io as cp
from chainatlas.errors import InputError, UnknownCodeError
from chainatlas.regions import (
    dependence_profile,
    digital_over_time,
    geese_transitions,
    group_members,
    group_of,
    local_table,
    net_suppliers,
    supply_shares,
    top_dependent,
    total_dependence,
)


def _profile(prov: str, **kw: object) -> pd.DataFrame:
    t = cp.province_table(2017, prov)
    f = cp.province_flows(2017, prov)
    return dependence_profile(t.A, t.v / t.x_safe, f, names=t.sectors["name_zh"], **kw)


def test_direct_shares_by_hand_sichuan_electronics() -> None:
    f = cp.province_flows(2017, "四川")
    s = supply_shares(f).loc["20"]
    u = sum(f.loc["20", c] for c in ("intermediate use", "final use", "exports", "outflows"))
    assert s["use"] == pytest.approx(u)
    assert s["inflow_share"] == pytest.approx(f.loc["20", "inflows"] / u)
    assert s["import_share"] == pytest.approx(f.loc["20", "imports"] / u)
    shares = supply_shares(f)
    assert ((shares[["inflow_share", "import_share", "local_share"]] >= -1e-12).all()).all()


def test_local_absorption_can_exceed_one() -> None:
    """Re-shipping provinces: inflows exceed local absorption somewhere (documented)."""
    over = 0
    for prov in cp._raw(2017):
        s = supply_shares(cp.province_flows(2017, prov), basis="local-absorption")
        over += int((s["inflow_share"] > 1).sum())
    assert over > 0
    f = cp.province_flows(2017, "浙江")
    with pytest.raises(InputError, match="basis='total-use'"):
        t = cp.province_table(2017, "浙江")
        bad = supply_shares(f, basis="local-absorption")
        bad.loc[bad.index[0], "inflow_share"] = 1.5
        total_dependence(t.A, t.v / t.x_safe, bad)


def test_total_contents_sum_to_one_and_exceed_direct_for_services() -> None:
    p = _profile("浙江")
    t = cp.province_table(2017, "浙江")
    live = t.x.to_numpy() > 0
    total = p[["inflow_content", "import_content", "local_va_content"]].sum(axis=1)
    np.testing.assert_allclose(total[live], 1.0, atol=1e-9)
    # a slow reference: the inverse formed explicitly
    a = t.A.to_numpy()
    s_if = p["inflow_share"].to_numpy()
    ll = np.linalg.inv(np.eye(42) - (1 - s_if - p["import_share"].to_numpy())[:, None] * a)
    ref = (s_if[:, None] * a).sum(0) @ ll
    np.testing.assert_allclose(p["inflow_content"][live], ref[live], atol=1e-12)
    assert p.loc["03", ["inflow_content", "import_content"]].isna().all()  # no oil/gas output


def test_top_dependent_sectors() -> None:
    """Published-data facts: 浙江 takes most coal and metals from other provinces, imports ores."""
    zj = _profile("浙江")
    top = top_dependent(zj, by="inflow", n=5).index.tolist()
    assert {"02", "14"} <= set(top)
    assert top_dependent(zj, by="import", n=1).index.tolist() == ["04"]
    sc = _profile("四川")
    assert "20" in top_dependent(sc, by="import", n=3).index
    with pytest.raises(InputError, match="n must be an integer"):
        top_dependent(sc, n=0)
    with pytest.raises(InputError, match="min_use_share"):
        top_dependent(sc, min_use_share=1.5)
    with pytest.raises(InputError, match="by"):
        top_dependent(sc, by="exports")


def test_2007_has_no_split_flows() -> None:
    with pytest.raises(InputError, match="2012 or 2017"):
        supply_shares(cp.province_flows(2007, "四川"))


def test_net_suppliers_national_picture() -> None:
    ri = load("china-provincial-io:2017")
    ns = net_suppliers(ri.extra["outflows"], ri.extra["inflows"])
    coal = ns[ns["sector"] == "02"].sort_values("rank")
    assert coal["region"].iloc[0] in {"SHX", "NMG", "SHA"}  # coal provinces supply the rest
    assert len(ns) == 31 * 42


def test_groups() -> None:
    assert group_members("西南") == ["CHQ", "SIC", "GZH", "YUN", "XIZ"]
    assert group_members("Northwest") == ["SHA", "GAN", "QIH", "NXA", "XIN"]
    assert len(group_members("西部")) == 12 and len(group_members("中西部")) == 18
    assert group_of("Sichuan") == ["西部", "西南", "中西部"]
    assert group_members("西南部") == group_members("西南地区") == group_members("Southwest")
    with pytest.raises(UnknownCodeError, match="did you mean 'Southwest'"):
        group_members("Sowthwest")


def test_flying_geese_over_time() -> None:
    tabs = {y: load(f"china-provincial-io:{y}") for y in (2007, 2012, 2017)}
    p = digital_over_time(tabs)
    lead17 = set(p[(p.year == 2017) & (p.type == "lead")]["region"])
    assert {"GUD", "JSU", "BEJ", "SHH"} <= lead17
    assert p.groupby("year")["size_share"].sum().round(12).eq(1).all()
    assert p[(p.year == 2017)]["va_share"].notna().all()
    tr = geese_transitions(p)
    assert tr.loc["SIC", "move"] == "up" and tr.loc["XIZ", "move"] == "new"
    assert tr.loc["GUD", "size_share_to"] == pytest.approx(0.269, abs=1e-3)
    # digital-core share of national output, full members (lower bound), by year
    share = p.attrs["share_total"]
    assert share[2017] == pytest.approx(0.0693, abs=1e-4)
    assert share[2012] == pytest.approx(0.0592, abs=1e-4)


def test_forward_linkages_of_zero_output_sectors_match_g() -> None:
    """Zhejiang has no oil and gas output (sector 03) but buys it: its G row is a unit row."""
    from chainatlas.io.linkages import forward_linkages, key_sectors

    t = cp.province_table(2017, "浙江")
    assert t.x["03"] == 0
    fl = forward_linkages(t, normalise=False)
    np.testing.assert_allclose(fl.to_numpy(), t.G.to_numpy().sum(axis=1), rtol=1e-9)
    assert fl["03"] == 1.0
    # on the local table (inflows and imports split off) Zhejiang has key sectors again
    lt = local_table(t, supply_shares(cp.province_flows(2017, "浙江")))
    assert lt.layout == "non-competitive"
    np.testing.assert_allclose(lt.Z + lt.Zm, t.Z)
    ks = key_sectors(lt)
    assert {"12", "29"} <= set(ks.index[ks["type"] == "key"])


@pytest.mark.parametrize("year", [2012, 2017])
def test_every_province_dependence_and_local_table(year: int) -> None:
    """Zero-output sectors whose IF + IM exceed use by rounding (2012 福建 03, 西藏 11…) work."""
    for prov in cp._raw(year):
        t = cp.province_table(year, prov)
        f = cp.province_flows(year, prov)
        s = supply_shares(f)
        assert (s["local_share"] >= 0).all(), prov
        p = dependence_profile(t.A, t.v / t.x_safe, f)
        # sectors without recorded inputs or value added (no or rounding-size output) are NaN
        live = p["inflow_content"].notna().to_numpy()
        assert live.sum() >= 29, prov
        tot = p[["inflow_content", "import_content", "local_va_content"]].sum(axis=1)
        np.testing.assert_allclose(tot[live], 1.0, atol=1e-4, err_msg=prov)  # ROUNDING clip
        local_table(t, s)  # balances within the table's tolerance


def test_thresholds_out_of_range() -> None:
    from chainatlas.clusters import cmp_strength

    tabs = {y: load(f"china-provincial-io:{y}") for y in (2012, 2017)}
    with pytest.raises(InputError, match=r"lead_pct must be a percentile in \[0, 100\]"):
        digital_over_time(tabs, lead_pct=120.0)
    with pytest.raises(InputError, match="min_lq must be a finite number"):
        digital_over_time(tabs, min_lq=-1.0)
    with pytest.raises(InputError, match=r"strong_pct must be a percentile in \[0, 100\]"):
        cmp_strength(tabs[2017], strong_pct=-5.0)
    with pytest.raises(InputError, match="years not in the panel"):
        geese_transitions(digital_over_time(tabs), years=(2007, 2017))
