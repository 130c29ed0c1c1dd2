"""Dependence, origin HHI and chokepoints against slow, explicit references."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.chains import (
    chokepoint_ranking,
    extraction_reach,
    foreign_dependence,
    origin_concentration,
)
from chainatlas.chains.synthetic import random_multiregion_table
from chainatlas.errors import InputError, UnknownCodeError
from chainatlas.io.table import IOTable
from chainatlas.kernels.mrio import chokepoint_score


@pytest.fixture(scope="module")
def wiod2011(mirror: object) -> IOTable:
    from chainatlas.datasets import load

    return load("wiod-2013:2011", progress=False)


def _explicit(table: IOTable) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    Z = table.Z.to_numpy()
    x = table.x.to_numpy()
    A = Z / x[None, :]
    L = np.linalg.inv(np.eye(len(x)) - A)
    return Z, x, A, L


def test_dependence_matches_explicit_inverse() -> None:
    t = random_multiregion_table(3, 4, seed=2)
    Z, x, A, L = _explicit(t)
    reg = np.asarray(t.labels.get_level_values(0))
    f = x - Z.sum(axis=1)
    w = np.where(reg == "R1", f, 0.0)
    dep = foreign_dependence(t, "R1")
    assert set(dep.index.get_level_values(0)) == {"R0", "R2"}
    total = (L - np.eye(len(x))) @ w
    for lab in dep.index:
        i = t.labels.get_loc(lab)
        assert dep.loc[lab, "direct"] == pytest.approx((A @ w)[i] / w.sum(), rel=1e-10)
        assert dep.loc[lab, "total"] == pytest.approx(total[i] / w.sum(), rel=1e-10)
        assert dep.loc[lab, "total_share"] == pytest.approx(total[i] / total.sum(), rel=1e-10)
        assert dep.loc[lab, "total"] >= dep.loc[lab, "direct"]


def test_origin_hhi_matches_loop() -> None:
    t = random_multiregion_table(3, 3, seed=4)
    _, _, _, L = _explicit(t)
    oc = origin_concentration(t, "R2")
    reg = np.asarray(t.labels.get_level_values(0))
    for k, sec in enumerate(["s0", "s1", "s2"]):
        j = t.labels.get_loc(("R2", sec))
        col = L[:, j].copy()
        col[j] -= 1.0
        shares = np.array([col[reg == r].sum() for r in ["R0", "R1", "R2"]]) / col.sum()
        assert oc.loc[sec, "hhi"] == pytest.approx((shares**2).sum(), rel=1e-10)
        assert oc.loc[sec, "domestic_share"] == pytest.approx(shares[2], rel=1e-10)
        assert oc.loc[sec, "top_foreign_origin"] == ["R0", "R1"][int(np.argmax(shares[:2]))]
        del k


@pytest.mark.parametrize("reach", ["supply", "demand"])
def test_extraction_reach_equals_naive_reinversion(reach: str) -> None:
    t = random_multiregion_table(3, 4, seed=5)
    Z, x, A, _ = _explicit(t)
    n = len(x)
    focus = np.asarray(t.labels.get_level_values(0)) == "R0"
    got = extraction_reach(t, "R0", reach=reach)  # type: ignore[arg-type]
    B = Z / x[:, None]
    f = x - Z.sum(axis=1)
    v = x - Z.sum(axis=0)
    for j in range(n):
        R = np.flatnonzero(np.arange(n) != j)
        if reach == "supply":
            xr = v[R] @ np.linalg.inv(np.eye(n - 1) - B[np.ix_(R, R)])
        else:
            xr = np.linalg.inv(np.eye(n - 1) - A[np.ix_(R, R)]) @ f[R]
        xbar = np.zeros(n)
        xbar[R] = xr
        want = x[focus].sum() - xbar[focus].sum()
        assert got.iloc[j] == pytest.approx(want, rel=1e-9, abs=1e-9)


def test_chokepoint_score_is_geometric_mean_of_components() -> None:
    t = random_multiregion_table(3, 4, seed=6)
    ck = chokepoint_ranking(t, "R0")
    assert "R0" not in set(ck.index.get_level_values(0))
    assert len(ck) == 8 and list(ck["rank"]) == list(range(1, 9))
    c = ck[["supply_share", "world_hhi", "reach_share"]]
    want = ((c / c.max()) ** (1 / 3)).prod(axis=1)
    np.testing.assert_allclose(ck["score"], want, rtol=1e-12)
    assert ck["score"].is_monotonic_decreasing
    # world HHI of a sector by hand
    xs = t.x.xs("s1", level=1)
    hhi = ((xs / xs.sum()) ** 2).sum()
    assert ck.xs("s1", level=1)["world_hhi"].iloc[0] == pytest.approx(hhi, rel=1e-12)
    w = chokepoint_ranking(t, "R0", weights=(1.0, 0.0, 0.0))
    assert w.index[0] == ck["supply_share"].idxmax()


def test_score_kernel_small_case() -> None:
    s, norm = chokepoint_score(np.array([[2.0, 1.0, 0.0], [1.0, 1.0, 1.0]]), np.array([0.5, 0.5]))
    np.testing.assert_allclose(s, [1.0, np.sqrt(0.5), 0.0])
    np.testing.assert_allclose(norm[0], [1.0, 0.5, 0.0])


def test_bad_input() -> None:
    t = random_multiregion_table(2, 2)
    with pytest.raises(UnknownCodeError, match="did you mean 'R1'"):
        chokepoint_ranking(t, "R11")
    with pytest.raises(InputError, match="summing to 1"):
        chokepoint_ranking(t, "R0", weights=(0.5, 0.5, 0.5))


def test_wiod_chn_chokepoints(wiod2011: IOTable) -> None:
    ck = chokepoint_ranking(wiod2011, "CHN")
    # default rest_of_world="exclude": neither CHN nor the RoW aggregate is a candidate
    assert len(ck) == 1435 - 70
    assert not {"CHN", "RoW"} & set(ck.index.get_level_values(0))
    assert not ck["rest_of_world"].any()
    # the O(n²) reach agrees with a naive re-inversion for a few candidates on the real table
    t = wiod2011
    Z, x = t.Z.to_numpy(), t.x.to_numpy()
    xs = np.where(x > 0, x, 1.0)
    B = Z / xs[:, None]
    v = x - Z.sum(axis=0)
    n = len(x)
    focus = np.asarray(t.labels.get_level_values(0)) == "CHN"
    for lab in [ck.index[0], ("JPN", "c14"), ("USA", "c30")]:
        j = t.labels.get_loc(lab)
        R = np.flatnonzero(np.arange(n) != j)
        xr = np.linalg.solve((np.eye(n - 1) - B[np.ix_(R, R)]).T, v[R])
        xbar = np.zeros(n)
        xbar[R] = xr
        assert ck.loc[lab, "output_lost"] == pytest.approx(
            x[focus].sum() - xbar[focus].sum(), rel=1e-7
        )
    assert ck["reach_share"].between(0, 1).all()
    # top1² ≤ HHI ≤ top1 for shares summing to 1
    assert ck["world_top1_share"].ge(ck["world_hhi"] - 1e-12).all()
    assert (ck["world_top1_share"] ** 2).le(ck["world_hhi"] + 1e-12).all()
    assert isinstance(ck.index, pd.MultiIndex)


def test_wiod_rest_of_world_policy_and_names(wiod2011: IOTable) -> None:
    from chainatlas.datasets.loaders.wiod import SECTOR_NAMES

    ex = chokepoint_ranking(wiod2011, "CHN")
    fl = chokepoint_ranking(wiod2011, "CHN", rest_of_world="flag")
    assert len(fl) == 1435 - 35
    row = fl[fl["rest_of_world"]]
    assert len(row) == 35 and set(row.index.get_level_values(0)) == {"RoW"}
    # sector names from the WIOD classification, both languages
    for lab in [ex.index[0], ("RoW", "c2")]:
        code = lab[1]
        frame = ex if lab in ex.index else fl
        assert frame.loc[lab, "name_en"] == SECTOR_NAMES[code][1]
        assert frame.loc[lab, "name_zh"] == SECTOR_NAMES[code][2]
    # world HHI by hand: shares of world output (RoW in the denominator), RoW's own term omitted
    x = wiod2011.x
    c2 = x.xs("c2", level=1)
    sh = c2 / c2.sum()
    want_hhi = float((sh.drop("RoW") ** 2).sum())
    assert ex.loc[("AUS", "c2"), "world_hhi"] == pytest.approx(want_hhi, rel=1e-12)
    assert ex.loc[("AUS", "c2"), "world_rest_share"] == pytest.approx(sh["RoW"], rel=1e-12)
    assert ex.loc[("AUS", "c2"), "world_top1_share"] == pytest.approx(sh.drop("RoW").max())
    assert sh["RoW"] > 0.5  # the reason for the policy: RoW is over half of world mining
    # components of a candidate do not depend on the policy; only the max-normalisation does
    common = ex.index.intersection(fl.index)
    cols = ["supply_share", "world_hhi", "reach_share", "output_lost"]
    pd.testing.assert_frame_equal(ex.loc[common, cols], fl.loc[common, cols])
    c = ex[["supply_share", "world_hhi", "reach_share"]]
    np.testing.assert_allclose(ex["score"], ((c / c.max()) ** (1 / 3)).prod(axis=1), rtol=1e-12)
    with pytest.raises(InputError, match="rest_of_world"):
        chokepoint_ranking(wiod2011, "CHN", rest_of_world="drop")  # type: ignore[arg-type]
    dep = foreign_dependence(wiod2011, "CHN")
    assert dep.loc[("RoW", "c2"), "rest_of_world"]
    assert not dep.drop(index="RoW", level=0)["rest_of_world"].any()
    assert dep.loc[("KOR", "c14"), "name_en"] == SECTOR_NAMES["c14"][1]


def test_atlas_sections_on_wiod(wiod2011: IOTable) -> None:
    from chainatlas.atlas import chains_sections

    assert chains_sections.applies(wiod2011, "wiod-2013:2011")
    secs = chains_sections.sections(wiod2011, "wiod-2013:2011", lambda _m: None)
    ids = [s["id"] for s in secs]
    assert ids == ["chains-value-added", "chains-dependence", "chains-chokepoints", "chains-shock"]
    tables = [b for b in secs[2]["blocks"] if b["kind"] == "table"]
    assert {"score", "supply_share", "world_hhi", "reach_share"} <= set(tables[0]["columns"])
    assert {"name_en", "name_zh", "world_rest_share"} <= set(tables[0]["columns"])
    # every table/figure block names the dataset (the report footer lists its licence)
    for sec in secs:
        for b in sec["blocks"]:
            if b["kind"] in ("table", "figure"):
                assert b["source"].startswith("wiod-2013:2011"), (sec["id"], b.get("en"))
    shock_text = [b for b in secs[3]["blocks"] if b["kind"] == "text"][0]["en"]
    assert "Oosterhaven" in shock_text
