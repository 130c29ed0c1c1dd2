"""Provincial complexity 2012/2017 (china-provincial-io) and provincial height via HS→ISIC→IO."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.complexity.regional import (
    hs4_sector_weights,
    lookup_hs4,
    provincial_height,
    sector_pci,
)
from chainatlas.datasets import load
from chainatlas.errors import UnknownCodeError
from chainatlas.pipelines.complexity import region_complexity, trade_complexity


@pytest.fixture(scope="module")
def weights():
    return hs4_sector_weights(load("concordance:hs_isic4", progress=False))


@pytest.fixture(scope="module")
def world():
    td = load("world-trade-hs4-2017", progress=False)
    tc = trade_complexity(td)
    return tc.result.pci, td.exports.groupby("product")["value"].sum()


def test_weights_sum_to_one_and_unknown_code(weights):
    tot = weights.groupby("hs4")["weight"].sum()
    np.testing.assert_allclose(tot.to_numpy(), 1.0, rtol=1e-12)
    # the concordance is many-to-many: integrated circuits go to electronics (20) and electrical
    # equipment (19); its repair class (ISIC 3314, a service) is dropped
    ic = weights[weights["hs4"] == "8542"].set_index("sector")["weight"]
    assert ic.index.notna().all() and ic.idxmax() in {"19", "20"} and ic[["19", "20"]].sum() > 0.9
    with pytest.raises(
        UnknownCodeError, match=r"1 HS4 code\(s\) not in the HS→ISIC concordance.*9998"
    ):
        lookup_hs4(["8542", "9998"], weights)


def test_sector_pci_and_coverage(weights, world):
    pci, wx = world
    sp, cov = sector_pci(pci, wx, weights)
    assert 0.97 < cov["share_mapped"] < 0.99 and cov["products"] == 1216
    # slow reference for one sector: electronics (20)
    w = weights[weights["sector"] == "20"]
    v = w["weight"].to_numpy() * wx.reindex(w["hs4"]).to_numpy()
    ok = w["hs4"].isin(pci.index).to_numpy()
    ref = (v[ok] * pci.reindex(w["hs4"][ok]).to_numpy()).sum() / v[ok].sum()
    assert sp.loc["20", "pci"] == pytest.approx(ref, rel=1e-12)
    # machinery is complex, mining is not
    assert sp.loc["16", "pci"] > 2 and sp.loc["03", "pci"] < -3


@pytest.mark.parametrize("year", [2012, 2017])
def test_provincial_eci_and_height(weights, world, year):
    ri = load(f"china-provincial-io:{year}", progress=False)
    res = region_complexity(ri)  # goods sectors 01–22
    assert len(res.eci) == 31 and len(res.pci) == 22
    assert res.eci.idxmax() in {"SHH", "GUD"} and res.eci.idxmin() in {"XIN", "NMG", "SHX"}
    pci, wx = world
    sp, _ = sector_pci(pci, wx, weights)
    goods = [f"{i:02d}" for i in range(1, 23)]
    h = provincial_height(ri.values[goods], sp["pci"])
    # slow reference: Jiangsu
    x = ri.values.loc["JSU", goods].astype(float)
    tot = ri.values[goods].sum()
    rca = (x / x.sum()) / (tot / tot.sum())
    spec = rca >= 1
    ref = float((x[spec] * sp["pci"].reindex(goods)[spec]).sum() / x[spec].sum())
    assert h.loc["JSU", "height"] == pytest.approx(ref, rel=1e-12)
    top = set(h["height"].nlargest(5).index)
    assert {"SHH", "JSU", "GUD"} <= top and h["height"].idxmin() in {"XIN", "HLJ", "NMG"}
    rho = pd.Series(h["height"]).corr(res.eci.reindex(h.index), method="spearman")
    assert rho > 0.8
