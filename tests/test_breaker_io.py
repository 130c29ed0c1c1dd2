"""Adversarial regression tests: IOTable and user-table files reject bad input clearly."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chainatlas.errors import (
    ChainAtlasError,
    InputError,
    LabelError,
    NonProductiveError,
    SchemaError,
    ShapeError,
)
from chainatlas.io.table import IOTable
from chainatlas.io.user_tables import UserTableError, read_table
from chainatlas.provenance import Provenance
from chainatlas.report.render import write_atomic

S = ["S1", "S2"]
KW = dict(final_demand=["f"], value_added=["v"], unit="USD", source="test")
MB = dict(Z=[[150, 500], [200, 100]], Y=[[350], [1700]], V=[[650, 1400]])  # M&B Table 2.3
GOOD_CSV = (
    "label,S1,S2,households,x\nS1,150,500,350,1000\nS2,200,100,1700,2000\nvalue added,650,1400,,\n"
)


def _frames(Z, **over):
    idx = pd.Index(S)
    parts = dict(
        Z=pd.DataFrame(Z, index=idx, columns=idx),
        Y=pd.DataFrame([[350.0], [1700.0]], index=idx, columns=["f"]),
        V=pd.DataFrame([[650.0, 1400.0]], index=["v"], columns=idx),
        x=pd.Series([1000.0, 2000.0], index=idx),
        unit="USD",
        layout="competitive",
        provenance=Provenance("test"),
    )
    parts.update(over)
    return parts


@pytest.mark.parametrize(
    ("Z", "sectors", "match"),
    [
        ([[1, 2, 3], [4, 5, 6]], S, r"Z has the wrong shape.*\(2, 3\), expected \(2, 2\)"),
        ([[1, 2], [3, 4]], ["a", "b", "c"], r"expected \(3, 3\)"),
    ],
)
def test_from_arrays_shape_mismatch_is_shape_error(Z, sectors, match):
    with pytest.raises(ShapeError, match=match):
        IOTable.from_arrays(Z, [[1], [1]], [[1, 1]], sectors=sectors, **KW)


def test_from_arrays_text_is_schema_error():
    with pytest.raises(SchemaError, match=r"Z holds non-numeric values.*'x'"):
        IOTable.from_arrays([["1", "x"], [1, 2]], [[1], [1]], [[1, 1]], sectors=S, **KW)


def test_empty_table_is_refused():
    with pytest.raises(ShapeError, match="no sectors"):
        IOTable.from_arrays(np.zeros((0, 0)), np.zeros((0, 1)), np.zeros((1, 0)), sectors=[], **KW)


@pytest.mark.parametrize("cell", ["150", "x"])
def test_object_dtype_is_refused_not_coerced(cell):
    Z = pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=S, columns=S)
    Z["S1"] = pd.Series([cell, 200.0], index=S, dtype=object)
    with pytest.raises(SchemaError, match=r"Z has 1 non-numeric column.*\['S1'\]"):
        IOTable(**_frames(Z))


def test_integer_dtype_is_accepted_and_exact():
    Z = pd.DataFrame([[150, 500], [200, 100]], index=S, columns=S)  # int64
    t = IOTable(**_frames(Z, x=pd.Series([1000, 2000], index=S)))
    assert t.A.to_numpy().tolist() == [[0.15, 0.25], [0.2, 0.05]]


@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"layout": "weird"}, r"unknown layout.*'weird'"),
        ({"zero_output": "ignore"}, r"unknown zero_output.*'ignore'"),
        ({"balance_rtol": -1.0}, r"balance_rtol must be a finite number ≥ 0.*-1"),
        ({"balance_atol": float("nan")}, r"balance_atol must be"),
    ],
)
def test_options_are_validated(over, match):
    with pytest.raises(InputError, match=match):
        IOTable(**_frames(np.array(MB["Z"], dtype=float), **over))


def test_missing_labels_are_refused():
    with pytest.raises(LabelError, match=r"missing \(empty/NaN\) labels in Z rows"):
        IOTable.from_arrays(**MB, sectors=["S1", None], **KW)
    with pytest.raises(LabelError, match="missing .* labels in Y columns"):
        IOTable.from_arrays(
            **MB, sectors=S, final_demand=[np.nan], value_added=["v"], unit="u", source="s"
        )


def test_multi_region_layout_needs_multiindex():
    with pytest.raises(LabelError, match=r"multi-region table needs \(region, sector\) labels"):
        IOTable(**_frames(np.array(MB["Z"], dtype=float), layout="multi-region"))


def test_one_sector_table_matches_closed_form():
    t = IOTable.from_arrays([[1.0]], [[9.0]], [[9.0]], sectors=["a"], **KW)
    assert t.L.iloc[0, 0] == pytest.approx(1 / (1 - 0.1))


def test_non_productive_table_raises_on_L():
    Z = np.array([[20.0, 0.0], [0.0, 1.0]])
    t = IOTable(**_frames(Z, x=pd.Series([10.0, 2.0], index=S), check_balance=False))
    with pytest.raises(NonProductiveError, match="spectral radius of A is 2"):
        _ = t.L


# ----------------------------------------------------------------------------- user files
def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("gbk.csv", GOOD_CSV.replace("S1", "工业").encode("gbk"), "not UTF-8 text .*GBK"),
        ("empty.csv", b"", r"empty \(0 bytes\)"),
        ("empty.xlsx", b"", r"empty \(0 bytes\)"),
        ("fake.xlsx", b"not a workbook", "could not read fake.xlsx as .*CalamineError"),
        ("fake.parquet", b"not parquet", "could not read fake.parquet"),
        ("text.csv", GOOD_CSV.replace("150", "abc").encode(), "non-numeric cell"),
        ("nox.csv", GOOD_CSV.replace(",x", ",y").encode(), "no gross-output column 'x'"),
    ],
)
def test_bad_user_files_raise_and_stay_untouched(tmp_path, name, content, match):
    p = tmp_path / name
    p.write_bytes(content)
    before = _sha(p)
    with pytest.raises(UserTableError, match=match):
        read_table(p, unit="USD")
    assert _sha(p) == before


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(UserTableError, match="not a file"):
        read_table(tmp_path, fmt="csv", unit="USD")


def test_bom_csv_reads_like_plain(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_text("\ufeff" + GOOD_CSV, encoding="utf-8")
    assert read_table(p, unit="USD").A.round(2).to_numpy().tolist() == [[0.15, 0.25], [0.2, 0.05]]


# ----------------------------------------------------------------------------- atomic writes
def test_write_atomic_gives_normal_permissions(tmp_path):
    p = write_atomic(tmp_path / "out.json", "{}")
    assert stat.S_IMODE(p.stat().st_mode) & 0o044 == 0o044  # group/others can read, like open()


def test_write_atomic_keeps_existing_mode(tmp_path):
    p = tmp_path / "out.json"
    p.write_text("old")
    p.chmod(0o640)
    write_atomic(p, "new")
    assert stat.S_IMODE(p.stat().st_mode) == 0o640 and p.read_text() == "new"


def test_write_atomic_bad_targets(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match="parent of the output path is a file"):
        write_atomic(tmp_path / "file" / "out.json", "{}")
    with pytest.raises(IsADirectoryError, match="output path is a folder"):
        write_atomic(tmp_path, "{}")
    assert not [q for q in tmp_path.iterdir() if q.name.endswith(".tmp")]


def test_all_raised_errors_are_chainatlas_errors():
    assert issubclass(UserTableError, ChainAtlasError)


# ----------------------------------------------------------------------------- options and API input
def _mb() -> IOTable:
    return IOTable.from_arrays(**MB, sectors=S, **KW)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        ("chainatlas.io.linkages:backward_linkages", r"unknown kind 'x'.*\['total', 'direct'\]"),
        ("chainatlas.io.linkages:forward_linkages", r"unknown kind 'x'"),
        ("chainatlas.io.linkages:key_sectors", r"unknown kind 'x'"),
        ("chainatlas.io.multipliers:value_added_multipliers", r"unknown kind 'x'.*'type-I'"),
    ],
)
def test_literal_options_are_checked_at_run_time(call, match):
    import importlib

    mod, fn = call.split(":")
    with pytest.raises(InputError, match=match):
        getattr(importlib.import_module(mod), fn)(_mb(), kind="x")


def test_check_option_suggests_close_value():
    from chainatlas.errors import check_option

    with pytest.raises(InputError, match="did you mean 'type-I'"):
        check_option("kind", "type-1", ["simple", "type-I"])


def test_extraction_with_one_string_is_refused():
    from chainatlas.io.extraction import extraction_loss

    with pytest.raises(InputError, match=r"not one string.*\['S1'\]"):
        extraction_loss(_mb(), "S1")  # type: ignore[arg-type]


def test_employment_must_be_a_series():
    from chainatlas.io.multipliers import employment_multipliers

    with pytest.raises(LabelError, match="employment must be a pandas Series.*'list'"):
        employment_multipliers(_mb(), [1.0, 2.0])  # type: ignore[arg-type]


def test_aggregate_accepts_a_dict_and_sums():
    import importlib

    agg = importlib.import_module("chainatlas.io.aggregate").aggregate(
        _mb(), {"S1": "A", "S2": "A"}, step="all in one"
    )
    assert agg.Z.iloc[0, 0] == 950.0 and agg.x.iloc[0] == 3000.0


def test_read_table_checks_layout_option(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text(GOOD_CSV)
    with pytest.raises(
        InputError, match="unknown layout 'noncompetitive'.*did you mean 'non-competitive'"
    ):
        read_table(p, unit="USD", layout="noncompetitive")  # type: ignore[arg-type]


def test_pymrio_non_square_or_text_z_is_refused():
    from chainatlas.io.pymrio_convert import PymrioConversionError, from_pymrio, to_pymrio

    io = to_pymrio(_mb())
    io.Z = io.Z.iloc[:, :1]
    with pytest.raises(PymrioConversionError, match=r"must be square.*\(2, 1\)"):
        from_pymrio(io)
    io = to_pymrio(_mb())
    io.Z = io.Z.astype(object)
    with pytest.raises(PymrioConversionError, match="non-numeric column"):
        from_pymrio(io)


def test_title_row_above_the_header_is_named(tmp_path):
    rows = [
        ["投入产出表 2020", None, None, None, None],
        ["label", "S1", "S2", "households", "x"],
        ["S1", 150, 500, 350, 1000],
        ["S2", 200, 100, 1700, 2000],
        ["value added", 650, 1400, None, None],
    ]
    p = tmp_path / "titled.xlsx"
    pd.DataFrame(rows).to_excel(p, header=False, index=False)
    with pytest.raises(UserTableError, match=r"4 empty header cell\(s\) in row 1 \(a title row"):
        read_table(p, unit="USD")
