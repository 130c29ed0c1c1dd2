"""Value added in exports: identity E = DVA + FVA, and agreement with a slow explicit-L reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.chains import FinalDemandBreakdownError, gross_exports, value_added_in_exports
from chainatlas.chains.synthetic import random_multiregion_table
from chainatlas.io.table import IOTable
from chainatlas.provenance import Provenance


@pytest.fixture(scope="module")
def wiod2011(mirror: object) -> IOTable:
    from chainatlas.datasets import load

    return load("wiod-2013:2011", progress=False)


def _reference(table: IOTable) -> pd.DataFrame:
    """Slow reference: explicit inverse and loops over economies (HIY 2001 / KWW 2014)."""
    Z = table.Z.to_numpy()
    Y = table.Y.to_numpy()
    x = table.x.to_numpy()
    n = len(x)
    A = Z / np.where(x > 0, x, 1.0)
    L = np.linalg.inv(np.eye(n) - A)
    v = table.V.to_numpy().sum(axis=0) / np.where(x > 0, x, 1.0)
    reg = np.asarray(table.labels.get_level_values(0))
    yreg = np.asarray(table.Y.columns.get_level_values(0))
    rows = {}
    for s in pd.unique(reg):
        own = reg == s
        E = Z[:, ~own].sum(axis=1) + Y[:, yreg != s].sum(axis=1)
        E = np.where(own, E, 0.0)
        dva = sum(v[i] * L[i, j] * E[j] for i in np.flatnonzero(own) for j in np.flatnonzero(own))
        fva = sum(v[i] * L[i, j] * E[j] for i in np.flatnonzero(~own) for j in np.flatnonzero(own))
        # DVX: value added of s in exports of every other economy r
        dvx = 0.0
        for r in pd.unique(reg):
            if r == s:
                continue
            o = reg == r
            Er = Z[:, ~o].sum(axis=1) + Y[:, yreg != r].sum(axis=1)
            dvx += sum(
                v[i] * L[i, j] * Er[j] for i in np.flatnonzero(own) for j in np.flatnonzero(o)
            )
        rows[s] = {"exports": E.sum(), "DVA": dva, "FVA": fva, "DVX": dvx}
    return pd.DataFrame(rows).T


@pytest.mark.parametrize("dims,seed", [((3, 4), 0), ((4, 3), 1), ((2, 5), 7)])
def test_random_tables_match_reference_and_identity(dims: tuple[int, int], seed: int) -> None:
    t = random_multiregion_table(*dims, seed=seed)
    got = value_added_in_exports(t)
    ref = _reference(t)
    for col in ["exports", "DVA", "FVA", "DVX"]:
        np.testing.assert_allclose(got[col].to_numpy(), ref[col].to_numpy(dtype=float), rtol=1e-10)
    rel = ((got["exports"] - got["DVA"] - got["FVA"]).abs() / got["exports"]).max()
    assert rel < 1e-9
    es = value_added_in_exports(t, level="economy-sector")
    assert ((es["exports"] - es["DVA"] - es["FVA"]).abs() / es["exports"]).max() < 1e-9
    # economy-sector rows add up to the economy rows
    np.testing.assert_allclose(
        es.groupby(level=0, sort=False)[["DVA", "FVA", "DVX"]].sum().to_numpy(),
        got[["DVA", "FVA", "DVX"]].to_numpy(),
        rtol=1e-12,
    )
    assert np.allclose(got["gvc_participation"], got["fva_share"] + got["gvc_forward"])


def test_gross_exports_by_hand() -> None:
    t = random_multiregion_table(2, 2, seed=3)
    e = gross_exports(t)
    Z, Y = t.Z, t.Y
    # exports of (R0, s1): its sales to R1's sectors and R1's final demand
    want = Z.loc[("R0", "s1"), "R1"].sum() + Y.loc[("R0", "s1"), "R1"].sum()
    assert e.loc[("R0", "s1"), "exports"] == pytest.approx(want, rel=1e-12)
    assert e.loc[("R0", "s1"), "final_exports"] == pytest.approx(Y.loc[("R0", "s1"), "R1"].sum())


def test_wiod_2011_identity_every_economy(wiod2011: IOTable) -> None:
    va = value_added_in_exports(wiod2011)
    assert len(va) == 41
    rel = (va["exports"] - va["DVA"] - va["FVA"]).abs() / va["exports"]
    assert float(rel.max()) < 1e-9
    # cross-check CHN and DEU against the explicit-L reference on the real table
    L = np.linalg.inv(np.eye(wiod2011.n) - wiod2011.A.to_numpy())
    x = wiod2011.x.to_numpy()
    v = wiod2011.V.to_numpy().sum(axis=0) / np.where(x > 0, x, 1.0)
    reg = np.asarray(wiod2011.labels.get_level_values(0))
    yreg = np.asarray(wiod2011.Y.columns.get_level_values(0))
    Z, Y = wiod2011.Z.to_numpy(), wiod2011.Y.to_numpy()
    for s in ["CHN", "DEU"]:
        own = reg == s
        E = Z[own][:, ~own].sum(axis=1) + Y[own][:, yreg != s].sum(axis=1)
        share = v @ L[:, own]
        dom = v[own] @ L[np.ix_(own, own)]
        assert va.loc[s, "exports"] == pytest.approx(E.sum(), rel=1e-12)
        assert va.loc[s, "DVA"] == pytest.approx(float(dom @ E), rel=1e-9)
        assert va.loc[s, "FVA"] == pytest.approx(float((share - dom) @ E), rel=1e-9)


def test_table_without_destination_breakdown_raises() -> None:
    single = IOTable.from_arrays(
        Z=[[150, 500], [200, 100]],
        Y=[[350], [1700]],
        V=[[650, 1400]],
        sectors=["S1", "S2"],
        final_demand=["f"],
        value_added=["v"],
        unit="USD",
        source="M&B 2.3",
    )
    with pytest.raises(FinalDemandBreakdownError, match="multi-region table with"):
        value_added_in_exports(single)
    t = random_multiregion_table(2, 2)
    flat = t.Y.sum(axis=1).to_frame("final demand")
    t2 = IOTable(
        Z=t.Z,
        Y=flat,
        V=t.V,
        x=t.x,
        unit=t.unit,
        layout="multi-region",
        provenance=Provenance("flat Y"),
    )
    with pytest.raises(FinalDemandBreakdownError, match="final demand by destination economy"):
        value_added_in_exports(t2)
