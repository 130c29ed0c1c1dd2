"""GVC participation and position: Koopman et al. (2010), Wang, Wei, Yu & Zhu (2017a, b).

The production decomposition and production lengths are checked against a slow power-series
reference (Σ_k Σ_m (k + m + 2) v̂ A_Dᵏ A^F Aᵐ Ŷ, truncated) on a 3-economy aggregation of WIOD
2011; the Koopman indices against the KWW terms and the existing VS split.
"""

from __future__ import annotations

import numpy as np
import pytest

from chainatlas.chains import value_added_in_exports
from chainatlas.chains._labels import FinalDemandBreakdownError
from chainatlas.chains.decomposition import export_decomposition
from chainatlas.chains.gvc_indicators import gvc_indicators
from chainatlas.datasets import load
from chainatlas.errors import InputError
from chainatlas.io.table import IOTable
from chainatlas.kernels import gvc_indicators as kgi
from chainatlas.kernels.io import leontief_lu
from test_gvc_decomposition import _three_economies


@pytest.fixture(scope="module")
def wiod2011(mirror: object) -> IOTable:
    del mirror
    return load("wiod-2013:2011", progress=False)


def _power_series(A, v, Y, G, N, terms=150):
    n = G * N
    reg = np.repeat(np.arange(G), N)
    AD = np.where(reg[:, None] == reg[None, :], A, 0.0)
    AF = A - AD
    ADk, Am = [np.eye(n)], [np.eye(n)]
    for _ in range(terms):
        ADk.append(ADk[-1] @ AD)
        Am.append(Am[-1] @ A)
    V = np.zeros((n, n))
    X = np.zeros((n, n))
    for k in range(terms):
        left = ADk[k] @ AF
        for m in range(terms - k):
            T = left @ Am[m]
            V += T
            X += (k + m + 2) * T
    y = Y.sum(axis=1)
    return v[:, None] * V * y[None, :], v[:, None] * X * y[None, :]


def test_production_length_matches_power_series(wiod2011: IOTable) -> None:
    A, Y, x, v = _three_economies(wiod2011, sectors=5)
    G, N = 3, 5
    lu = leontief_lu(A)
    pl = kgi.gvc_production_length(A, v, Y, G, N, lu=lu)
    Vg, Xg = _power_series(A, v, Y, G, N)
    for got, want in [
        (pl["V_GVC"], Vg.sum(axis=1)),
        (pl["X_GVC"], Xg.sum(axis=1)),
        (pl["Y_GVC"], Vg.sum(axis=0)),
        (pl["XY_GVC"], Xg.sum(axis=0)),
    ]:
        np.testing.assert_allclose(got, want, rtol=1e-10)
    fwd, bwd = kgi.production_decomposition(A, v, Y, G, N, lu=lu)
    np.testing.assert_allclose(fwd.sum(axis=0), v * x, rtol=1e-12)
    np.testing.assert_allclose(bwd.sum(axis=0), Y.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(fwd[2] + fwd[3], pl["V_GVC"], rtol=1e-12)
    np.testing.assert_allclose(bwd[2] + bwd[3], pl["Y_GVC"], rtol=1e-12)
    assert (pl["PLv_GVC"] > 2).all() and (pl["PLy_GVC"] > 2).all()  # ≥ 1 border, ≥ 2 stages


def test_wiod_2011_indicators(wiod2011: IOTable) -> None:
    g = gvc_indicators(wiod2011)
    assert len(g) == 41
    # the world's value added equals its final goods; each economy's value added is its VA
    assert g["value_added"].sum() == pytest.approx(g["final_goods"].sum(), rel=1e-12)
    va = wiod2011.V.to_numpy().sum(axis=0)
    by_eco = np.bincount(
        wiod2011.labels.get_level_values(0).map({e: i for i, e in enumerate(g.index)}),
        weights=va,
    )
    np.testing.assert_allclose(g["value_added"].to_numpy(), by_eco, rtol=1e-10)
    chn = g.loc["CHN"]
    k = export_decomposition(wiod2011, method="kww", economy="CHN").loc["CHN"]
    e = k["exports"]
    assert chn["koopman_participation"] == pytest.approx(
        (k["DVA_INTrex"] + k["FVA_FIN"] + k["FVA_INT"] + k["FDC"]) / e, rel=1e-12
    )
    # FV/E is the VS share of value_added_in_exports
    vs = value_added_in_exports(wiod2011).loc["CHN", "fva_share"]
    assert chn["FV"] / e == pytest.approx(vs, rel=1e-10)
    assert chn["koopman_position"] == pytest.approx(
        np.log1p(k["DVA_INTrex"] / e) - np.log1p(chn["FV"] / e), rel=1e-12
    )
    assert chn["koopman_position"] < 0  # China 2011: more foreign content than indirect exports
    for side in ("forward", "backward"):
        assert 0 < chn[f"gvc_{side}"] < 1
        assert chn[f"gvc_{side}"] == pytest.approx(
            chn[f"gvc_{side}_simple"] + chn[f"gvc_{side}_complex"]
        )
    assert chn["gvc_position"] == pytest.approx(chn["PLv_GVC"] / chn["PLy_GVC"])
    s = gvc_indicators(wiod2011, level="economy-sector")
    assert len(s) == 1435
    assert s["gvc_forward"].isna().sum() == (wiod2011.x.to_numpy() == 0).sum()


def test_indicators_bad_input(wiod2011: IOTable) -> None:
    t = IOTable.from_arrays(
        Z=[[150, 500], [200, 100]],
        Y=[[350], [1700]],
        V=[[650, 1400]],
        sectors=["S1", "S2"],
        final_demand=["f"],
        value_added=["v"],
        unit="USD",
        source="Miller & Blair Table 2.3",
    )
    with pytest.raises(FinalDemandBreakdownError, match="multi-region table"):
        gvc_indicators(t)
    with pytest.raises(InputError, match="unknown level 'sector'"):
        gvc_indicators(wiod2011, level="sector")  # type: ignore[arg-type]
