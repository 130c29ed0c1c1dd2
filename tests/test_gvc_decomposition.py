"""WWZ (2013) and KWW (2014) gross-export decompositions on real WIOD data.

Checks: the block-structured kernel against a slow loop-per-Σ reference of the papers' equations
(3-economy aggregation of WIOD 2011), the sum identity on the full WIOD 2011 table, consistency
with the existing DVA/FVA split, KWW's own formulas against WWZ mapped by Table E2, and R's
decompr 6.8.0 output for China 2011 (peer fixture).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.chains import value_added_in_exports
from chainatlas.chains._labels import FinalDemandBreakdownError
from chainatlas.chains.decomposition import (
    KWW_TERMS,
    WWZ_TERMS,
    export_decomposition,
    term_groups,
)
from chainatlas.datasets import load
from chainatlas.errors import InputError, UnknownCodeError
from chainatlas.io.table import IOTable
from chainatlas.kernels import gvc as kg
from wwz_reference import kww_reference, wwz_reference


@pytest.fixture(scope="module")
def wiod2011(mirror: object) -> IOTable:
    del mirror
    return load("wiod-2013:2011", progress=False)


@pytest.fixture(scope="module")
def wwz_full(wiod2011: IOTable) -> pd.DataFrame:
    return export_decomposition(wiod2011, level="bilateral-sector")


def _three_economies(t: IOTable, keep: tuple[str, str] = ("CHN", "USA"), sectors: int = 35):
    """WIOD 2011 aggregated to CHN, USA and the rest of the world (arrays, rows balanced)."""
    reg = np.asarray(t.labels.get_level_values(0))
    grp = np.where(reg == keep[0], 0, np.where(reg == keep[1], 1, 2))
    sec = np.asarray(t.labels.get_level_values(1).str[1:].astype(int)) - 1
    sec = np.minimum(sec * sectors // 35, sectors - 1)
    code = grp * sectors + sec
    n = 3 * sectors
    S = np.zeros((n, t.n))
    S[code, np.arange(t.n)] = 1.0
    ydest = np.asarray(t.Y.columns.get_level_values(0))
    yg = np.where(ydest == keep[0], 0, np.where(ydest == keep[1], 1, 2))
    Sy = np.zeros((t.Y.shape[1], 3))
    Sy[np.arange(t.Y.shape[1]), yg] = 1.0
    Z = S @ t.Z.to_numpy() @ S.T
    Y = S @ t.Y.to_numpy() @ Sy
    x = Z.sum(axis=1) + Y.sum(axis=1)  # rows balance by construction
    A = Z / np.where(x > 0, x, 1.0)[None, :]  # zero-output sectors (e.g. CHN c35): zero columns
    v = 1.0 - A.sum(axis=0)
    return A, Y, x, v


def test_kernel_matches_slow_reference_on_three_economies(wiod2011: IOTable) -> None:
    A, Y, x, v = _three_economies(wiod2011, sectors=7)
    G, N = 3, 7
    B = np.linalg.inv(np.eye(G * N) - A)
    w = kg.wwz_world(A, v, x, Y, G, N, B=B)
    fast = kg.wwz_terms(w)
    ref = wwz_reference(A, Y, x, v, G, N)
    scale = np.abs(w.E).max()
    for k, name in enumerate(WWZ_TERMS):
        assert np.abs(fast[k] - ref[k]).max() <= 1e-12 * scale, name
    assert np.abs(fast.sum(axis=0) - w.E).max() <= 1e-12 * scale
    kf, kr = kg.kww_terms(w), kww_reference(A, Y, x, v, G, N)
    assert np.abs(kf - kr).max() <= 1e-12 * scale
    mapped = kg.wwz_to_kww(fast).sum(axis=2).reshape(9, G, N).sum(axis=2)
    assert np.abs(mapped - kf).max() <= 1e-12 * scale


def test_wwz_terms_sum_to_gross_exports_wiod_2011(
    wiod2011: IOTable, wwz_full: pd.DataFrame
) -> None:
    d = wwz_full
    assert d.shape == (41 * 35 * 40, 18)
    assert list(d.columns[:16]) == list(WWZ_TERMS)
    rel = (d["gap"].abs() / d["exports"].abs().where(d["exports"] != 0)).max()
    assert rel < 1e-10
    assert d["gap"].abs().max() < 1e-10 * d["exports"].abs().max()
    for level in ("exporter", "sector", "bilateral"):
        agg = export_decomposition(wiod2011, level=level)
        assert (agg["gap"].abs() / agg["exports"].where(agg["exports"] > 0)).max() < 1e-10
    # gross exports are the table's (Z and Y flows to other economies)
    ge = value_added_in_exports(wiod2011)
    ex = d.groupby(level="exporter", sort=False)["exports"].sum()
    np.testing.assert_allclose(ex.to_numpy(), ge["exports"].to_numpy(), rtol=1e-13)


def test_domestic_and_foreign_terms_match_existing_dva_fva(wiod2011: IOTable) -> None:
    s = export_decomposition(wiod2011, level="sector")
    va = value_added_in_exports(wiod2011, level="economy-sector")
    domestic = s[list(WWZ_TERMS[:8]) + ["DDC_FIN", "DDC_INT"]].sum(axis=1)
    foreign = s[["OVA_FIN", "MVA_FIN", "OVA_INT", "MVA_INT", "ODC", "MDC"]].sum(axis=1)
    scale = va["exports"].max()
    assert np.abs(domestic.to_numpy() - va["DVA"].to_numpy()).max() < 1e-12 * scale
    assert np.abs(foreign.to_numpy() - va["FVA"].to_numpy()).max() < 1e-12 * scale


def test_kww_own_formulas_equal_wwz_table_e2(wiod2011: IOTable) -> None:
    direct = export_decomposition(wiod2011, method="kww")
    mapped = (
        export_decomposition(wiod2011, method="kww", level="sector")
        .groupby(level="exporter", sort=False)
        .sum()
    )
    cols = list(KWW_TERMS)
    assert list(direct.columns[:9]) == cols
    diff = (direct[cols] - mapped[cols]).abs().to_numpy().max()
    assert diff < 1e-12 * direct["exports"].max()
    assert (direct["gap"].abs() / direct["exports"]).max() < 1e-10
    # KWW generalises VS/VS1: its domestic terms are the DVA of value_added_in_exports
    va = value_added_in_exports(wiod2011)
    np.testing.assert_allclose(
        direct[cols[:6]].sum(axis=1).to_numpy(), va["DVA"].to_numpy(), rtol=1e-12
    )


# R decompr 6.8.0 (bquast/decompr, commit 0a0b823), load_tables_vectors + wwz() / kww() on
# wiot_2011 with the row gap o − rowSums(inter) − rowSums(final) added to each economy's own
# CONS_h column (the policy documented in chainatlas.chains.decomposition). USD million.
DECOMPR_CHN_2011_WWZ = {
    "DVA_FIN": 744046.708104,
    "DVA_INT": 552351.963742,
    "DVA_INTrexI1": 123531.534704,
    "DVA_INTrexF": 123409.398180,
    "DVA_INTrexI2": 30480.071274,
    "RDV_INT": 28075.233900,
    "RDV_FIN": 10306.066845,
    "RDV_FIN2": 2319.316450,
    "OVA_FIN": 180119.618797,
    "MVA_FIN": 23474.673099,
    "OVA_INT": 131963.871652,
    "MVA_INT": 20026.626078,
    "DDC_FIN": 7939.872726,
    "DDC_INT": 8836.583814,
    "ODC": 87891.892696,
    "MDC": 10191.567939,
}
DECOMPR_CHN_USA_2011_WWZ = {
    "DVA_FIN": 167493.694849,
    "DVA_INT": 121995.917404,
    "DVA_INTrexI1": 10841.322969,
    "DVA_INTrexF": 10043.153277,
    "DVA_INTrexI2": 2860.201968,
    "RDV_INT": 1829.198257,
    "RDV_FIN": 853.807797,
    "RDV_FIN2": 199.300306,
    "OVA_FIN": 44175.760762,
    "MVA_FIN": 5850.544389,
    "OVA_INT": 31521.561237,
    "MVA_INT": 4008.483555,
    "DDC_FIN": 448.657700,
    "DDC_INT": 1695.038580,
    "ODC": 8022.695303,
    "MDC": 1004.661645,
}
DECOMPR_CHN_2011_KWW = {
    "DVA_FIN": 744046.708104,
    "DVA_INT": 675883.498446,
    "DVA_INTrex": 153889.469454,
    "RDV_FIN": 12625.383295,
    "RDV_INT": 28075.233900,
    "DDC": 16776.456541,
    "FVA_FIN": 203594.291896,
    "FVA_INT": 151990.497730,
    "FDC": 98083.460635,
}


def test_chn_2011_matches_decompr(wiod2011: IOTable, wwz_full: pd.DataFrame) -> None:
    ex = export_decomposition(wiod2011, economy="chn")
    assert ex.index.tolist() == ["CHN"]
    assert ex.loc["CHN", "exports"] == 2084965.0
    for k, val in DECOMPR_CHN_2011_WWZ.items():
        assert ex.loc["CHN", k] == pytest.approx(val, rel=1e-9, abs=1e-6), k
    bi = export_decomposition(wiod2011, level="bilateral", economy="CHN")
    assert len(bi) == 40
    for k, val in DECOMPR_CHN_USA_2011_WWZ.items():
        assert bi.loc[("CHN", "USA"), k] == pytest.approx(val, rel=1e-9, abs=1e-6), k
    kww = export_decomposition(wiod2011, method="kww", economy="CHN")
    for k, val in DECOMPR_CHN_2011_KWW.items():
        assert kww.loc["CHN", k] == pytest.approx(val, rel=1e-9, abs=1e-6), k
    # the sector and full levels aggregate to the same numbers
    full = wwz_full.xs("CHN", level="exporter")[list(WWZ_TERMS)].sum()
    np.testing.assert_allclose(
        full.to_numpy(), ex.loc["CHN", list(WWZ_TERMS)].to_numpy(), rtol=1e-12
    )


def test_term_groups_chn_2011(wiod2011: IOTable) -> None:
    g = term_groups(export_decomposition(wiod2011, economy="CHN")).loc["CHN"]
    total = g[["DVA_share", "RDV_share", "FVA_share", "PDC_share"]].sum()
    assert total == pytest.approx(1.0, abs=1e-12)
    assert g["DVA_share"] == pytest.approx(0.754842, abs=1e-6)
    assert g["FVA_share"] == pytest.approx(0.170547, abs=1e-6)
    k = term_groups(export_decomposition(wiod2011, method="kww", economy="CHN")).loc["CHN"]
    np.testing.assert_allclose(k[["DVA", "RDV", "FVA", "PDC"]], g[["DVA", "RDV", "FVA", "PDC"]])


def test_decomposition_of_single_region_table_raises() -> None:
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
        export_decomposition(t)


def test_economy_not_in_table_raises(wiod2011: IOTable) -> None:
    with pytest.raises(UnknownCodeError, match="unknown economy code 'XYZ'"):
        export_decomposition(wiod2011, economy="XYZ")
    with pytest.raises(InputError, match="unknown method 'wzz'"):
        export_decomposition(wiod2011, method="wzz")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown level"):
        export_decomposition(wiod2011, level="country")  # type: ignore[arg-type]


def _toy(regions: list[str], sectors_by_region: dict[str, list[str]]) -> IOTable:
    from chainatlas.provenance import Provenance

    labels = [(r, s) for r in regions for s in sectors_by_region[r]]
    idx = pd.MultiIndex.from_tuples(labels, names=["region", "sector"])
    n = len(labels)
    Z = pd.DataFrame(np.full((n, n), 2.0), index=idx, columns=idx)
    yc = pd.MultiIndex.from_product([regions, ["hh"]], names=["region", "category"])
    Y = pd.DataFrame(np.full((n, len(regions)), 10.0), index=idx, columns=yc)
    x = Z.sum(axis=1) + Y.sum(axis=1)
    V = pd.DataFrame([x - Z.sum(axis=0)], index=["VA"])
    return IOTable(
        Z=Z, Y=Y, V=V, x=x, unit="USD", layout="multi-region", provenance=Provenance("toy")
    )


def test_one_economy_and_uneven_sector_lists_raise() -> None:
    from chainatlas.errors import LabelError

    one = _toy(["A"], {"A": ["s1", "s2"]})
    with pytest.raises(FinalDemandBreakdownError, match="at least two economies"):
        export_decomposition(one)
    uneven = _toy(["A", "B"], {"A": ["s1", "s2"], "B": ["s1"]})
    with pytest.raises(LabelError, match="same sectors in the same order"):
        export_decomposition(uneven, method="kww")
    ok = _toy(["A", "B"], {"A": ["s1", "s2"], "B": ["s1", "s2"]})
    d = export_decomposition(ok, level="bilateral")
    assert len(d) == 2 and (d["gap"].abs() < 1e-12).all()
