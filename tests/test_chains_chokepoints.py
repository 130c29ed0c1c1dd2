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


COMPS = ["supply_share", "foreign_hhi", "import_hhi", "reach_share", "no_domestic_alternative"]
WTS = np.array([0.25, 0.125, 0.125, 0.25, 0.25])


def test_chokepoint_score_is_geometric_mean_of_components() -> None:
    t = random_multiregion_table(3, 4, seed=6)
    ck = chokepoint_ranking(t, "R0")
    assert "R0" not in set(ck.index.get_level_values(0))
    assert len(ck) == 8 and list(ck["rank"]) == list(range(1, 9))
    c = ck[COMPS]
    want = ((c / c.max()) ** WTS).prod(axis=1)
    np.testing.assert_allclose(ck["score"], want, rtol=1e-12)
    assert ck["score"].is_monotonic_decreasing
    # foreign-only world HHI of a sector by hand: economies other than R0
    xs = t.x.xs("s1", level=1).drop("R0")
    hhi = ((xs / xs.sum()) ** 2).sum()
    assert ck.xs("s1", level=1)["foreign_hhi"].iloc[0] == pytest.approx(hhi, rel=1e-12)
    allx = t.x.xs("s1", level=1)
    assert ck.xs("s1", level=1)["world_hhi"].iloc[0] == pytest.approx(
        ((allx / allx.sum()) ** 2).sum(), rel=1e-12
    )
    assert ck.xs("s1", level=1)["domestic_share"].iloc[0] == pytest.approx(
        allx["R0"] / allx.sum(), rel=1e-12
    )
    w = chokepoint_ranking(t, "R0", weights=(1.0, 0.0, 0.0, 0.0, 0.0))
    assert w.index[0] == ck["supply_share"].idxmax()


def test_score_kernel_small_case() -> None:
    s, norm = chokepoint_score(np.array([[2.0, 1.0, 0.0], [1.0, 1.0, 1.0]]), np.array([0.5, 0.5]))
    np.testing.assert_allclose(s, [1.0, np.sqrt(0.5), 0.0])
    np.testing.assert_allclose(norm[0], [1.0, 0.5, 0.0])


def test_bad_input() -> None:
    t = random_multiregion_table(2, 2)
    with pytest.raises(UnknownCodeError, match="did you mean 'R1'"):
        chokepoint_ranking(t, "R11")
    with pytest.raises(InputError, match="5 non-negative numbers summing to 1"):
        chokepoint_ranking(t, "R0", weights=(0.5, 0.5, 0.5))
    with pytest.raises(InputError, match="5 non-negative numbers"):
        chokepoint_ranking(t, "R0", weights=(0.2, 0.2, 0.2, 0.2, float("nan")))
    with pytest.raises(UnknownCodeError, match="unknown sector code 'c99'"):
        chokepoint_ranking(t, "R0", non_tradables=["c99"])
    with pytest.raises(InputError, match="list of sector codes, not one string"):
        chokepoint_ranking(t, "R0", non_tradables="s1")  # type: ignore[arg-type]


def test_wiod_chn_chokepoints(wiod2011: IOTable) -> None:
    from chainatlas.chains.chokepoints import NON_TRADABLE_WIOD

    ck = chokepoint_ranking(wiod2011, "CHN", rest_of_world="exclude")
    # neither CHN, the RoW aggregate nor a non-tradable sector is a candidate
    assert len(ck) == 39 * (35 - len(NON_TRADABLE_WIOD))
    assert not {"CHN", "RoW"} & set(ck.index.get_level_values(0))
    assert not set(NON_TRADABLE_WIOD) & set(ck.index.get_level_values(1))
    assert ck.attrs["non_tradables"] == list(NON_TRADABLE_WIOD)
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
    # every sector can be ranked on request
    assert len(chokepoint_ranking(wiod2011, "CHN", non_tradables=(), rest_of_world="exclude")) == (
        39 * 35
    )


def _slow_foreign_hhi(t: IOTable, focus: str, sector: str) -> dict[str, float]:
    """Independent reference: loop over economies with plain pandas, no kernels."""
    rows = []
    for (eco, sec), val in t.x.items():
        if sec == sector:
            rows.append({"economy": eco, "output": float(val)})
    out = pd.DataFrame(rows).set_index("economy")["output"]
    foreign = out.drop(focus)
    shares = foreign / foreign.sum()
    imports = {}
    for eco in out.index:
        if eco == focus:
            continue
        z = t.Z.loc[(eco, sector)]
        y = t.Y.loc[(eco, sector)]
        flow = z[z.index.get_level_values(0) == focus].sum()
        flow += y[y.index.get_level_values(0) == focus].sum()
        imports[eco] = max(float(flow), 0.0)
    imp = pd.Series(imports)
    ish = imp / imp.sum()
    return {
        "foreign_hhi": sum(s**2 for e, s in shares.items() if e != "RoW"),
        "foreign_hhi_row_as_one": float((shares**2).sum()),
        "foreign_rest_share": float(shares["RoW"]),
        "import_hhi": sum(s**2 for e, s in ish.items() if e != "RoW"),
        "import_rest_share": float(ish["RoW"]),
        "domestic_share": float(out[focus] / out.sum()),
        "world_hhi": sum((v / out.sum()) ** 2 for e, v in out.items() if e != "RoW"),
    }


def test_wiod_chn_c14_foreign_hhi_matches_slow_reference(wiod2011: IOTable) -> None:
    ck = chokepoint_ranking(wiod2011, "CHN")
    want = _slow_foreign_hhi(wiod2011, "CHN", "c14")
    row = ck.loc[("KOR", "c14")]
    for key, val in want.items():
        assert row[key] == pytest.approx(val, rel=1e-12), key
    # the figures: world HHI 0.170 with China counted, ~0.10 among foreign suppliers
    # when RoW counts as one producer, 0.067 when RoW's own square is left out (lower bound)
    assert row["world_hhi"] == pytest.approx(0.170, abs=5e-4)
    assert row["foreign_hhi_row_as_one"] == pytest.approx(0.1015, abs=5e-4)
    assert row["foreign_hhi"] == pytest.approx(0.0666, abs=5e-4)
    assert row["domestic_share"] == pytest.approx(0.380, abs=5e-4)
    assert row["no_domestic_alternative"] == pytest.approx(1 - want["domestic_share"])


def test_wiod_chn_top20_reads_sensibly(wiod2011: IOTable) -> None:
    from chainatlas.chains.chokepoints import NON_TRADABLE_WIOD

    top = chokepoint_ranking(wiod2011, "CHN", top=20)
    ranked = top[top["rank"].notna()]
    assert list(ranked["rank"]) == list(range(1, 21))
    assert not set(NON_TRADABLE_WIOD) & set(top.index.get_level_values(1))
    assert ("USA", "c31") not in top.index  # the issue's #17 is gone
    # the electronics suppliers of East Asia and Australian ore are all in the top 10
    first10 = set(ranked.index[:10])
    assert {("KOR", "c14"), ("TWN", "c14"), ("JPN", "c14"), ("AUS", "c2")} <= first10
    # RoW rows are shown, flagged and unranked
    row = top[top["rest_of_world"]]
    assert len(row) > 0 and row["rank"].isna().all()
    assert set(row.index.get_level_values(0)) == {"RoW"}
    assert row["note"].str.contains("not attributable to one economy").all()
    assert (row["score"] >= ranked["score"].iloc[-1]).all()


def test_atlas_sections_on_wiod(wiod2011: IOTable) -> None:
    from chainatlas.pipelines.sections import chains as chains_sections

    assert chains_sections.applies(wiod2011, "wiod-2013:2011")
    secs = chains_sections.sections(wiod2011, "wiod-2013:2011", lambda _m: None)
    ids = [s["id"] for s in secs]
    assert ids == [
        "chains-value-added",
        "chains-dependence",
        "chains-chokepoints",
        "chains-shock",
        "shock-export-control",
    ]
    tables = [b for b in secs[2]["blocks"] if b["kind"] == "table"]
    assert {"score", "supply_share", "foreign_hhi", "import_hhi", "reach_share"} <= set(
        tables[0]["columns"]
    )
    assert {"name_en", "name_zh", "world_rest_share"} <= set(tables[0]["columns"])
    # every table/figure block names the dataset (the report footer lists its licence)
    for sec in secs:
        for b in sec["blocks"]:
            if b["kind"] in ("table", "figure"):
                assert b["source"].startswith("wiod-2013:2011"), (sec["id"], b.get("en"))
    shock_text = [b for b in secs[3]["blocks"] if b["kind"] == "text"][0]["en"]
    assert "Oosterhaven" in shock_text
    # the export-control section: one reconciled table (4 models; with no substitution the
    # Leontief and extraction rows are equal by construction and shown as one) and the guidance
    ec = secs[4]["blocks"]
    costs = [b for b in ec if b["kind"] == "table"][0]
    assert [r[0] for r in costs["rows"]] == ["leontief=extraction", "ghosh", "ario"]
    assert any("GDP" in c for c in costs["columns"]) and any("jobs" in c for c in costs["columns"])
    assert any("Which figure to cite" in b.get("en", "") for b in ec if b["kind"] == "text")
