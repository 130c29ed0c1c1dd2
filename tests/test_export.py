"""Exports (issue 12 §2): CSV with BOM, xlsx read back by openpyxl, formula neutralisation, and
the CLI's ``--format`` / ``--out`` rules shared by every command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from chainatlas.cli import app
from chainatlas.cli._output import OutputFormatError, lift_constant_columns, resolve_format
from chainatlas.pipelines.blocks import table_block
from chainatlas.report.export import BOM, neutralise, render_csv, render_xlsx, table_parts

SPEC = "china-io:2020-42"
runner = CliRunner()

EVIL = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://e","x")']


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"name": ["钢铁 steel", *EVIL], "x": [1.25, -3.0, 2e-9, 4.0, 5.0, 6.0, 7.0, 8.0]},
        index=pd.Index([f"S{i}" for i in range(8)], name="sector"),
    )


def test_neutralise_prefixes_every_formula_start_and_leaves_numbers() -> None:
    for v in EVIL:
        assert neutralise(v) == "'" + v
    assert neutralise("steel") == "steel" and neutralise(-3.0) == -3.0 and neutralise(None) is None


def test_csv_has_bom_crlf_full_precision_and_neutralised_cells() -> None:
    data = render_csv(frame())
    assert data[:3] == BOM
    text = data[3:].decode("utf-8")
    back = pd.read_csv(io.StringIO(text), dtype={"name": str}, keep_default_na=False)
    assert list(back.columns) == ["sector", "name", "x"]
    assert back["x"].tolist() == frame()["x"].tolist()  # full precision, numbers stay numbers
    assert back["name"].tolist()[1:] == ["'" + v for v in EVIL]
    assert "\r\n" in text
    assert render_csv(frame(), bom=False)[:3] != BOM


def test_xlsx_reads_back_numbers_as_numbers_with_bilingual_unit_headers() -> None:
    block = table_block(frame(), zh="测试表", en="test table", unit="万元", digits=None)
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx([block], title={"zh": "标题", "en": "T"})))
    assert wb.sheetnames[0] == "说明 About"
    ws = wb[wb.sheetnames[1]]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["部门 sector", "名称 name", "总产出 x [万元]"]
    # xlsx stores 16 significant digits (openpyxl writes %.16g), as Excel shows them
    assert [r[2] for r in rows[1:]] == pytest.approx(frame()["x"].tolist(), rel=1e-15)
    assert all(isinstance(r[2], (int, float)) for r in rows[1:])
    # (XML stores a carriage return as a line feed)
    assert [r[1] for r in rows[2:]] == ["'" + v.replace("\r", "\n") for v in EVIL]
    # no cell became a formula
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


def test_table_parts_accepts_blocks_and_multiindex_frames() -> None:
    f = pd.DataFrame(
        {"v": [1, 2]},
        index=pd.MultiIndex.from_tuples(
            [("CHN", "C1"), ("USA", "C2")], names=["economy", "sector"]
        ),
    )
    parts = table_parts(f)
    assert parts["columns"] == ["economy", "sector", "v"] and parts["rows"][1] == ["USA", "C2", 2]
    with pytest.raises(TypeError):
        table_parts([1, 2])


@pytest.mark.parametrize(
    ("fmt", "given", "out", "want"),
    [
        ("table", False, "x.xlsx", "xlsx"),
        ("table", False, "x.CSV", "csv"),
        ("table", False, "x.json", "json"),
        ("table", False, "x.html", "html"),
        ("table", False, None, "table"),
        ("xlsx", True, "x.xlsx", "xlsx"),
        ("csv", True, "x.dat", "csv"),
    ],
)
def test_resolve_format(fmt: str, given: bool, out: str | None, want: str) -> None:
    assert resolve_format(fmt, Path(out) if out else None, given=given) == want


@pytest.mark.parametrize(("fmt", "out"), [("csv", "x.xlsx"), ("table", "x.csv"), ("json", "x.csv")])
def test_format_contradicting_the_extension_is_an_error(fmt: str, out: str) -> None:
    with pytest.raises(OutputFormatError, match="does not match"):
        resolve_format(fmt, Path(out), given=True)


def test_unknown_extension_without_format_is_an_error() -> None:
    with pytest.raises(OutputFormatError, match="cannot tell"):
        resolve_format("table", Path("x.xls"), given=False)


def test_constant_licence_column_is_printed_once() -> None:
    f = pd.DataFrame({"x": [1, 2, 3], "licence": ["CC BY-NC 4.0 long text"] * 3})
    kept, notes = lift_constant_columns(f)
    assert "licence" not in kept.columns and notes == ["licence: CC BY-NC 4.0 long text"]


def _cli(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.output


def test_cli_out_xlsx_writes_a_workbook_with_the_json_numbers(mirror, tmp_path: Path) -> None:
    code, out = _cli("io", "multipliers", SPEC, "--out", str(tmp_path / "m.xlsx"))
    assert code == 0, out
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
    rows = [[c.value for c in r] for r in wb[wb.sheetnames[1]].iter_rows()]
    code, out = _cli("io", "multipliers", SPEC, "--format", "json")
    data = pd.DataFrame(json.loads(out)["multipliers"])
    assert [r[0] for r in rows[1:]] == data["sector"].tolist()
    col = next(i for i, h in enumerate(rows[0]) if h.startswith("产出乘数"))
    assert [r[col] for r in rows[1:]] == pytest.approx(data["output"].tolist(), rel=1e-15)


def test_cli_out_csv_has_bom_and_mismatch_fails(mirror, tmp_path: Path) -> None:
    code, _ = _cli("io", "multipliers", SPEC, "--out", str(tmp_path / "m.csv"))
    assert code == 0 and (tmp_path / "m.csv").read_bytes()[:3] == BOM
    res = runner.invoke(
        app, ["io", "multipliers", SPEC, "--format", "csv", "--out", str(tmp_path / "m.xlsx")]
    )
    assert res.exit_code != 0 and isinstance(res.exception, OutputFormatError)
    assert not (tmp_path / "m.xlsx").exists()
    res = runner.invoke(app, ["io", "multipliers", SPEC, "--format", "xlsx"])
    assert isinstance(res.exception, OutputFormatError)


def test_cli_table_title_carries_the_unit(mirror) -> None:
    code, out = _cli("io", "multipliers", SPEC)
    assert code == 0 and "单位 unit: 10,000 yuan" in out
