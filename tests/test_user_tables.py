"""User tables (CSV / Excel / Parquet): the documented layout, round trips, and clear errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chainatlas.datasets import load
from chainatlas.errors import BalanceError, LabelError
from chainatlas.io.table import IOTable
from chainatlas.io.user_tables import UserTableError, read_table, write_table

MB_CSV = """label,S1,S2,households,x
S1,150,500,350,1000
S2,200,100,1700,2000
value added,650,1400,,
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_miller_blair_table_2_3_from_csv(tmp_path):
    p = _write(tmp_path, MB_CSV)
    before = _sha(p)
    t = read_table(p, unit="USD")
    assert _sha(p) == before  # the input is never modified
    assert list(t.labels) == ["S1", "S2"] and list(t.Y.columns) == ["households"]
    np.testing.assert_allclose(t.x, [1000, 2000])
    np.testing.assert_allclose(t.A, [[0.15, 0.25], [0.2, 0.05]])
    np.testing.assert_allclose(t.L, [[1.254125, 0.330033], [0.264026, 1.122112]], atol=1e-6)
    assert t.provenance.files == (("t.csv", before),)


def _assert_same(a: IOTable, b: IOTable, rtol: float) -> None:
    for name in ["Z", "Y", "V", "Zm", "Ym"]:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            assert list(y.index) == list(x.index) and list(y.columns) == list(x.columns), name
            np.testing.assert_allclose(y.to_numpy(), x.to_numpy(), rtol=rtol, atol=0)
    for name in ["x", "imports", "other"]:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            np.testing.assert_allclose(y.to_numpy(), x.to_numpy(), rtol=rtol, atol=0)
    assert a.layout == b.layout


@pytest.fixture(scope="module")
def china(mirror):
    return {k: load(f"china-io:{k}", progress=False) for k in ["2015-42", "2020-42"]}


# CSV and Parquet keep every bit; Excel keeps 15 significant digits (its number format)
@pytest.mark.parametrize("fmt, rtol", [("csv", 0.0), ("parquet", 0.0), ("xlsx", 1e-14)])
@pytest.mark.parametrize("key", ["2015-42", "2020-42"])
def test_round_trip_china(china, tmp_path, fmt, rtol, key):
    t = china[key]
    p = write_table(t, tmp_path / f"table.{fmt}")
    back = read_table(p, unit=t.unit, layout=t.layout, balance_rtol=1e-9, balance_atol=1.0)
    _assert_same(t, back, rtol)
    assert [f.name for f in tmp_path.iterdir()] == [f"table.{fmt}"]  # no temporary files left


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_round_trip_multi_region(tmp_path, fmt):
    regions, sectors = ["CHN", "USA"], ["agr", "man"]
    idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    rng = np.random.default_rng(7)
    Z = pd.DataFrame(rng.uniform(1, 10, (4, 4)), index=idx, columns=idx)
    ycols = pd.MultiIndex.from_product([regions, ["hh", "gfcf"]], names=["region", "category"])
    Y = pd.DataFrame(rng.uniform(20, 30, (4, 4)), index=idx, columns=ycols)
    x = Z.sum(axis=1) + Y.sum(axis=1)
    V = pd.DataFrame([(x - Z.sum(axis=0)).to_numpy()], index=["VA"], columns=idx)
    from chainatlas.provenance import Provenance

    t = IOTable(
        Z=Z, Y=Y, V=V, x=x, unit="USD million", layout="multi-region", provenance=Provenance("toy")
    )
    p = write_table(t, tmp_path / f"mr.{fmt}")
    back = read_table(p, unit="USD million", layout="multi-region")
    _assert_same(t, back, 1e-14 if fmt == "xlsx" else 0.0)
    assert back.labels.names == ["region", "sector"] and back.Y.columns[0] == ("CHN", "hh")


def test_excel_sheet_and_overwrite(tmp_path):
    t = read_table(_write(tmp_path, MB_CSV), unit="USD")
    p = tmp_path / "mb.xlsx"
    write_table(t, p)
    first = p.read_bytes()
    write_table(t, p)  # overwrite atomically
    assert p.stat().st_size == len(first)
    assert read_table(p, unit="USD", sheet="io_table").x.tolist() == [1000.0, 2000.0]
    with pytest.raises(UserTableError, match="could not read mb.xlsx"):
        read_table(p, unit="USD", sheet="nope")


BAD = {
    "missing x": (
        "label,S1,S2,households\nS1,150,500,350\nS2,200,100,1700\nva,650,1400,\n",
        UserTableError,
        "no gross-output column 'x'",
    ),
    "text cell": (
        MB_CSV.replace("S1,150,500", "S1,150,5OO"),
        UserTableError,
        r"non-numeric cell.*\('S1', 'S2'\)",
    ),
    "thousands separator": (
        MB_CSV.replace("1700,2000", '"1,700",2000'),
        UserTableError,
        r"non-numeric cell.*\('S2', 'households'\)",
    ),
    "duplicate row": (
        MB_CSV + "value added,1,1,,\n",
        LabelError,
        r"duplicate row labels.*value added",
    ),
    "duplicate column": (
        "label,S1,S2,x,x\nS1,150,500,350,1000\nS2,200,100,1700,2000\nva,650,1400,,\n",
        LabelError,
        "duplicate column labels",
    ),
    "empty Z cell": (
        MB_CSV.replace("S2,200,100", "S2,,100"),
        UserTableError,
        r"empty cell\(s\) in block Z.*\('S2', 'S1'\)",
    ),
    "empty imports cell": (
        "label,S1,S2,households,imports,x\nS1,150,500,350,0,1000\n"
        "S2,200,100,1700,,2000\nvalue added,650,1400,,,\n",
        UserTableError,
        r"empty cell\(s\) in block imports.*\('S2', 'imports'\)",
    ),
    "value in VA row": (
        MB_CSV.replace("value added,650,1400,,", "value added,650,1400,,3000"),
        UserTableError,
        r"outside the Z, Y, V, x.*\('value added', 'x'\)",
    ),
    "columns out of order": (
        "label,S2,S1,households,x\nS1,500,150,350,1000\nS2,100,200,1700,2000\nva,1400,650,,\n",
        UserTableError,
        "no sector block",
    ),
    "sector column later": (
        "label,S1,households,S2,x\nS1,150,350,500,1000\nS2,200,1700,100,2000\nva,650,,1400,\n",
        UserTableError,
        "not in the same order",
    ),
    "unbalanced": (
        MB_CSV.replace("value added,650,1400", "value added,650,1300"),
        BalanceError,
        r"columns \(inputs\) do not balance.*'S2'",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files(tmp_path, case):
    text, exc, match = BAD[case]
    p = _write(tmp_path, text)
    before = _sha(p)
    with pytest.raises(exc, match=match):
        read_table(p, unit="USD")
    assert _sha(p) == before


def test_bad_layout_usage(tmp_path):
    p = _write(tmp_path, MB_CSV)
    with pytest.raises(UserTableError, match="import rows right after the sectors"):
        read_table(p, unit="USD", layout="non-competitive")
    with pytest.raises(UserTableError, match="REGION|NAME"):
        read_table(p, unit="USD", layout="multi-region")
    q = _write(tmp_path, MB_CSV.replace("value added", "imports:S1"), "q.csv")
    with pytest.raises(UserTableError, match="layout='non-competitive'"):
        read_table(q, unit="USD")
    with pytest.raises(UserTableError, match="file not found"):
        read_table(tmp_path / "missing.csv", unit="USD")
    with pytest.raises(UserTableError, match=r"suffix.*t\.txt"):
        read_table(_write(tmp_path, MB_CSV, "t.txt"), unit="USD")
    imp = _write(
        tmp_path,
        MB_CSV.replace("households,x", "households,imports")
        .replace("350,1000", "350,0")
        .replace("1700,2000", "1700,0"),
        "imp.csv",
    )
    with pytest.raises(UserTableError, match="no gross-output column"):
        read_table(imp, unit="USD")
