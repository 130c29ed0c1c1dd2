"""china-io loader: layouts, labels, units, accounting identities of every NBS table, and the
39-sector common basis (concordance)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from chainatlas.datasets import available_specs, get_dataset, load
from chainatlas.datasets.loaders import china_io
from chainatlas.errors import LabelError, UnknownCodeError, UnknownDatasetError
from chainatlas.io.aggregate import (
    ChinaBasisError,
    aggregate,
    china_common_basis,
    china_common_sectors,
    china_concordance,
)
from chainatlas.io.table import IOTable

KEYS = [
    "2002-122",
    "2005-42",
    "2007-135",
    "2010-41",
    "2012-139",
    "2015-42",
    "2017-42",
    "2017-149",
    "2018-42",
    "2018-153",
    "2020-42",
    "2020-153",
]
NON_COMPETITIVE = {"2017-42", "2018-42", "2020-42"}


@pytest.fixture(scope="module")
def tables(mirror) -> dict[str, IOTable]:
    return {k: load(f"china-io:{k}", progress=False) for k in KEYS}


@pytest.fixture(scope="module")
def raw(mirror) -> dict[str, pd.DataFrame]:
    """The published data frames, read independently of the loader."""
    import rdata

    out = {}
    for k in KEYS:
        path = mirror / "china-io" / f"china_{k.replace('-', '_')}.rda"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[k] = next(iter(rdata.read_rda(str(path)).values()))
    return out


def test_specs_are_the_twelve_tables():
    assert china_io.SPECS() == KEYS
    assert available_specs("china-io") == [f"china-io:{k}" for k in KEYS]


@pytest.mark.parametrize("key", KEYS)
def test_layout_labels_units(tables, key):
    t = tables[key]
    n = int(key.split("-")[1])
    assert t.n == n and t.Z.shape == (n, n)
    assert t.layout == ("non-competitive" if key in NON_COMPETITIVE else "competitive")
    assert t.unit == "10,000 yuan (万元)"
    # labels: NBS codes, with code, Chinese and English names
    width = 2 if n < 100 else 3
    assert list(t.labels) == [f"{i:0{width}d}" for i in range(1, n + 1)]
    assert list(t.sectors.columns) == ["code", "name_zh", "name_en"]
    assert t.sectors.index.equals(t.labels)
    assert (t.sectors["code"] == t.labels).all()
    assert t.sectors["name_zh"].str.contains(r"[\u4e00-\u9fff]").all()
    assert t.sectors["name_en"].str.contains(r"[A-Za-z]").all()
    # value added: the four NBS items, named
    assert list(t.V.index) == [
        "compensation of employees",
        "net taxes on production",
        "depreciation of fixed assets",
        "operating surplus",
    ]
    # final-use items only, never totals
    assert not {"TC", "TFU", "GCF", "THC", "final use"} & set(t.Y.columns)
    if key in NON_COMPETITIVE:
        assert t.Zm is not None and t.Ym is not None and t.imports is None
        assert list(t.Y.columns) == [
            "final consumption",
            "gross fixed capital formation",
            "changes in inventories",
            "exports",
        ]
        assert t.Zm.shape == (n, n) and t.Ym.shape == t.Y.shape
    else:
        assert t.Zm is None and t.imports is not None
        assert (t.imports >= 0).all()  # IM is published positive and subtracted
        assert (t.other is not None) == (int(key[:4]) <= 2015)
    # provenance: file and its registered sha256, steps, licence
    fname = f"china_{key.replace('-', '_')}.rda"
    assert t.provenance.source == f"china-io:{key}"
    assert t.provenance.files == ((fname, get_dataset("china-io").file(fname).sha256),)
    assert t.provenance.licence and t.provenance.citation and len(t.provenance.steps) >= 3


@pytest.mark.parametrize("key", KEYS)
def test_row_and_column_balance_within_documented_tolerance(tables, key):
    t = tables[key]
    rtol, atol = china_io.BALANCE_TOLERANCE[key]
    assert (t.balance_rtol, t.balance_atol) == (rtol, atol)
    # recompute from the blocks (not via IOTable.balance)
    x = t.x.to_numpy()
    row = t.Z.to_numpy().sum(1) + t.Y.to_numpy().sum(1)
    if t.imports is not None:
        row -= t.imports.to_numpy()
    if t.other is not None:
        row += t.other.to_numpy()
    col = t.Z.to_numpy().sum(0) + t.V.to_numpy().sum(0)
    if t.Zm is not None:
        col += t.Zm.to_numpy().sum(0)
    allowed = atol + rtol * x
    assert (np.abs(row - x) <= allowed).all()
    assert (np.abs(col - x) <= allowed).all()
    # the documented measured maxima (docs/datasets.md): all gaps below 0.45 (10,000 yuan)
    assert max(np.abs(row - x).max(), np.abs(col - x).max()) < 0.45


@pytest.mark.parametrize("key", KEYS)
def test_x_equals_L_f_net(tables, key):
    t = tables[key]
    rtol, atol = china_io.BALANCE_TOLERANCE[key]
    L = t.L.to_numpy()
    f = t.f_net.to_numpy()
    x = t.x.to_numpy()
    # x − L f_net = L (row gap); bound it by the documented balance tolerance
    bound = L @ (atol + rtol * x)
    assert (np.abs(L @ f - x) <= bound).all()
    # and against a plain dense solve of (I − A) x = f_net
    A = t.Z.to_numpy() / x
    np.testing.assert_allclose(np.linalg.solve(np.eye(t.n) - A, f), x, rtol=1e-9)


@pytest.mark.parametrize("key", KEYS)
def test_blocks_match_published_totals(tables, raw, key):
    t, df = tables[key], raw[key]
    codes = list(t.labels)
    if key in NON_COMPETITIVE:
        dom = df[df["Origin"] == "Domestic"].set_index("Code")
        imp = df[df["Origin"] == "Imports"].set_index("Code")
        tot = df[df["Origin"] == "TOT"].set_index("Code")
        np.testing.assert_allclose(t.Z.sum(axis=1), dom.loc[codes, "TIU"], rtol=1e-12)
        np.testing.assert_allclose(t.Y.sum(axis=1), dom.loc[codes, "TFU"], rtol=1e-9, atol=1e-6)
        np.testing.assert_allclose(t.Zm.sum(axis=1), imp.loc[codes, "TIU"], rtol=1e-12)
        np.testing.assert_allclose(
            t.Z.sum(axis=0) + t.Zm.sum(axis=0), tot.loc["TII", codes], rtol=1e-12
        )
        sec = tot
    else:
        sec = df.set_index("Code")
        np.testing.assert_allclose(t.Z.sum(axis=1), sec.loc[codes, "TIU"], rtol=1e-12)
        if "TFU" in sec.columns:
            np.testing.assert_allclose(t.Y.sum(axis=1), sec.loc[codes, "TFU"], atol=1e-6)
        np.testing.assert_allclose(t.Z.sum(axis=0), sec.loc["TII", codes], rtol=1e-12)
    np.testing.assert_allclose(t.V.sum(axis=0), sec.loc["TVA", codes], rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(t.x, sec.loc["TI", codes], rtol=1e-8)


def test_unknown_table_suggests_close_keys():
    with pytest.raises(UnknownDatasetError, match="did you mean 'china-io:2020-42'"):
        load("china-io:2020-24")
    with pytest.raises(UnknownDatasetError, match="2020-153"):
        china_io.load("2020-155")


def test_employment_sections_add_up(mirror):
    e = china_io.china_employment(progress=False)
    assert e.shape == (115, 29) and list(e.columns) == list(range(1990, 2019))
    assert e.attrs["unit"] == "10,000 persons (万人)"
    sections = [c for c in e.index if len(c) == 1]
    assert len(sections) == 20
    # published numbers are rounded; sections add to the national total within 4 (10,000 persons)
    np.testing.assert_allclose(e.loc[sections].sum(), e.loc["TOT"], atol=4.0)
    for s in sections:
        kids = [c for c in e.index if len(c) == 3 and c[0] == s and c != "TOT"]
        if kids:
            np.testing.assert_allclose(e.loc[kids].sum(), e.loc[s], atol=4.0)


# ---------------------------------------------------------------- aggregation and common basis


def _toy() -> IOTable:
    return IOTable.from_arrays(
        Z=[[1, 2, 0], [0, 1, 1], [1, 0, 1]],
        Y=[[7], [8], [8]],
        V=[[8, 7, 8]],
        sectors=["a", "b", "c"],
        final_demand=["f"],
        value_added=["v"],
        unit="USD",
        source="toy",
    )


def test_aggregate_equals_indicator_matrix_products():
    t = _toy()
    g = aggregate(t, pd.Series({"a": "AB", "b": "AB", "c": "C"}), step="toy")
    S = np.array([[1, 0], [1, 0], [0, 1]], dtype=float)
    np.testing.assert_array_equal(g.Z, S.T @ t.Z.to_numpy() @ S)
    np.testing.assert_array_equal(g.Y, S.T @ t.Y.to_numpy())
    np.testing.assert_array_equal(g.V, t.V.to_numpy() @ S)
    np.testing.assert_array_equal(g.x, S.T @ t.x.to_numpy())
    assert g.provenance.steps[-1] == "toy"


def test_aggregate_rejects_unmapped_and_unknown_labels():
    t = _toy()
    with pytest.raises(LabelError, match=r"not in the mapping.*'c'"):
        aggregate(t, pd.Series({"a": "A", "b": "B"}), step="x")
    with pytest.raises(LabelError, match=r"not sectors of the table.*'d'"):
        aggregate(t, pd.Series({"a": "A", "b": "B", "c": "C", "d": "D"}), step="x")
    with pytest.raises(LabelError, match="duplicate"):
        aggregate(t, pd.Series(["A", "A", "B", "C"], index=["a", "a", "b", "c"]), step="x")


def test_concordance_covers_every_table_once():
    c = china_concordance()
    common = china_common_sectors()
    assert len(common) == 39 and list(common.columns) == ["code", "name_zh", "name_en"]
    for k in KEYS:
        rows = c[c["table"] == k]
        assert len(rows) == int(k.split("-")[1]) and rows["code"].is_unique
    assert set(c["common_code"]) == set(common.index)
    # every common sector is reached from every table (a comparable basis)
    for k in KEYS:
        assert set(c.loc[c["table"] == k, "common_code"]) == set(common.index), k


@pytest.mark.parametrize("key", KEYS)
def test_common_basis_preserves_totals_and_balance(tables, key):
    t = tables[key]
    g = china_common_basis(t)
    assert g.n == 39 and list(g.labels) == [f"C{i:02d}" for i in range(1, 40)]
    assert g.layout == t.layout and g.unit == t.unit
    assert g.sectors.loc["C16", "name_zh"] == "通用和专用设备"
    np.testing.assert_allclose(g.x.sum(), t.x.sum(), rtol=1e-13)
    np.testing.assert_allclose(g.Z.to_numpy().sum(), t.Z.to_numpy().sum(), rtol=1e-13)
    np.testing.assert_allclose(g.V.sum(axis=1), t.V.sum(axis=1), rtol=1e-12)
    if t.Zm is not None:
        np.testing.assert_allclose(g.Zm.to_numpy().sum(), t.Zm.to_numpy().sum(), rtol=1e-13)
    assert "common basis" in g.provenance.steps[-1]


@pytest.mark.parametrize("year, detailed", [("2017", "149"), ("2018", "153"), ("2020", "153")])
def test_detailed_and_42_sector_tables_agree_on_common_basis(tables, year, detailed):
    """Same year, two NBS publications: their gross output and total intermediate inputs
    (domestic + imported) must coincide sector by sector on the common basis."""
    d = china_common_basis(tables[f"{year}-{detailed}"])
    a = china_common_basis(tables[f"{year}-42"])
    np.testing.assert_allclose(d.x, a.x, rtol=1e-10)
    np.testing.assert_allclose(d.Z.sum(axis=0), a.Z.sum(axis=0) + a.Zm.sum(axis=0), rtol=1e-9)
    np.testing.assert_allclose(d.V, a.V, rtol=1e-9, atol=1e-3)


def test_common_basis_rejects_foreign_tables(tables):
    with pytest.raises(ChinaBasisError, match="not a china-io table"):
        china_common_basis(_toy())
    with pytest.raises(UnknownCodeError, match="do not match china-io:2020-42"):
        china_common_basis(tables["2020-153"], key="2020-42")
    with pytest.raises(UnknownCodeError, match="names differ"):
        china_common_basis(tables["2015-42"], key="2005-42")


@pytest.mark.parametrize("country", ["CHN", "JPN"])
def test_oecd_tables_balance_every_year(mirror, country):
    for year in range(1995, 2019):
        t = china_io.load_oecd(country, year, progress=False)
        assert t.n == 45 and t.unit == "USD million" and t.layout == "competitive"
        b = t.balance()
        assert b[["row_gap", "col_gap"]].abs().to_numpy().max() <= china_io.OECD_BALANCE_ATOL
        assert (t.imports >= 0).all() and (t.x == 0).sum() == 1
        pos = (t.x > 0).to_numpy()
        resid = (t.L.to_numpy() @ t.f_net.to_numpy() - t.x.to_numpy())[pos]
        assert np.abs(resid).max() <= t.L.to_numpy().sum(1).max() * china_io.OECD_BALANCE_ATOL
    with pytest.raises(UnknownDatasetError, match="year 1995 to 2018"):
        china_io.load_oecd(country, 2019)
