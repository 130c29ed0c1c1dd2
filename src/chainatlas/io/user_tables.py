"""Read and write IO tables from CSV, Excel or Parquet in one wide layout (用户自有投入产出表).

The layout (the same for the three formats) is one rectangular sheet, the way IO tables are
printed:

=============  ====================  ========================  ======================  =====
``label``      sector columns        final-demand columns      ``imports``/``other``   ``x``
=============  ====================  ========================  ======================  =====
sector rows    Z (n × n)             Y (n × k)                 optional (competitive)  x
import rows    Zm (non-competitive)  Ym                        —                       empty
VA rows        V (m × n)             empty                     empty                   empty
=============  ====================  ========================  ======================  =====

* The first column holds the row labels (its header is ``label``).
* The sector columns come first, with exactly the labels of the first n rows, in the same order.
* ``x`` (gross output) is required; ``imports`` (positive, subtracted on the row side) and
  ``other`` (a balancing column) are optional and only for ``layout="competitive"``. Every other
  column after the sectors is a final-demand category.
* ``layout="non-competitive"``: after the sector rows come n import rows labelled
  ``imports:<sector>`` (same order), holding Zm and Ym.
* Rows after those are value-added components (V); their cells outside the sector columns must
  be empty (or 0).
* ``layout="multi-region"``: sector labels are ``REGION|SECTOR`` and final-demand columns
  ``REGION|CATEGORY``; they become (region, sector) and (region, category) MultiIndexes.

Example (CSV; Miller & Blair 2009, Table 2.3)::

    label,S1,S2,households,x
    S1,150,500,350,1000
    S2,200,100,1700,2000
    value added,650,1400,,

Empty cells inside Z, Y, V, x (and the ``imports``/``other`` columns when present), non-numeric cells, duplicate labels and a missing ``x`` column
raise :class:`UserTableError`, naming the cells and the fix; nothing is filled in. Input files
are only read; :func:`write_table` writes atomically.

Examples
--------
>>> import tempfile, pathlib
>>> from chainatlas.io.table import IOTable
>>> t = IOTable.from_arrays(Z=[[150, 500], [200, 100]], Y=[[350], [1700]], V=[[650, 1400]],
...     sectors=["S1", "S2"], final_demand=["households"], value_added=["value added"],
...     unit="USD", source="M&B Table 2.3")
>>> with tempfile.TemporaryDirectory() as d:
...     p = write_table(t, pathlib.Path(d) / "mb.csv")
...     print(p.read_text().splitlines()[1])
...     back = read_table(p, unit="USD")
S1,150.0,500.0,350.0,1000.0
>>> back.A.round(2).values.tolist()
[[0.15, 0.25], [0.2, 0.05]]
"""

from __future__ import annotations

import io as _io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas._atomic import register_input
from chainatlas._files import file_sha256, reading
from chainatlas.errors import LabelError, SchemaError, check_option
from chainatlas.io.table import IOTable, Layout
from chainatlas.provenance import Provenance
from chainatlas.validation import validate_params

__all__ = ["read_table", "write_table", "UserTableError", "FileFormat"]

FileFormat = Literal["csv", "xlsx", "parquet"]
_SUFFIX: dict[str, FileFormat] = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
}
LABEL = "label"
X_COLUMN = "x"
IMPORTS_COLUMN = "imports"
OTHER_COLUMN = "other"
IMPORT_ROW_PREFIX = "imports:"
SEP = "|"


class UserTableError(SchemaError):
    """A user table file that does not follow the documented layout."""


def _format(path: Path, fmt: FileFormat | None) -> FileFormat:
    if fmt is not None:
        return fmt
    try:
        return _SUFFIX[path.suffix.lower()]
    except KeyError:
        raise UserTableError(
            "cannot tell the file format from its suffix",
            received=path.name,
            fix="use .csv, .xlsx or .parquet, or pass fmt='csv'|'xlsx'|'parquet'",
        ) from None


def _encoding(path: Path, encoding: str | None) -> str:
    """The text encoding of a CSV: the one given, else UTF-8 (with or without BOM); a file that
    is not UTF-8 is refused with the encoding it most likely has (no silent guessing)."""
    if encoding is not None:
        try:
            "".encode(encoding)
        except LookupError:
            raise UserTableError(
                f"unknown text encoding {encoding!r}",
                received=encoding,
                fix="use e.g. 'utf-8', 'gb18030' (covers GBK/GB2312) or 'big5'",
            ) from None
        return encoding
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    try:
        head.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as err:
        if err.start > len(head) - 4:  # a multibyte character cut by the window
            return "utf-8-sig"
    for guess, name in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            head.decode(guess)
        except UnicodeDecodeError:
            continue
        raise UserTableError(
            f"{path.name} is not UTF-8 text but decodes as {name} (as Chinese Windows software "
            "saves CSV files)",
            received=path.name,
            fix=f"pass encoding={guess!r} (CLI: --encoding {guess}), or save the file as UTF-8",
        )
    raise UserTableError(
        f"cannot tell the text encoding of {path.name}",
        received=path.name,
        fix="save the file as UTF-8, or pass encoding=...",
    )


def _check_merged_header(path: Path, sheet: str | int | None) -> None:
    """Refuse an Excel sheet whose header rows hold merged cells (two-level region/sector headers):
    pandas would fill only the first cell of each merge and misalign every label after it."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=False)
    try:
        ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet or 0]
        merged = [str(r) for r in ws.merged_cells.ranges if r.min_row <= 2 or r.min_col == 1]
    finally:
        wb.close()
    if merged:
        raise UserTableError(
            f"sheet {ws.title!r} of {path.name} has merged header cells {merged[:6]}",
            received=merged[:6],
            fix="unmerge them and write one header row: sector labels such as 'CHN|c14' for a "
            "multi-region table (layout='multi-region'), 'label' in the first cell",
        )


def _check_field_counts(path: Path, encoding: str = "utf-8-sig") -> None:
    """Refuse a CSV row with more fields than the header (pandas would otherwise take the first
    column as an index and shift every value of the file by one column)."""
    try:
        pd.read_csv(path, header=None, dtype=str, keep_default_na=False, encoding=encoding)
    except pd.errors.ParserError as err:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        where = (
            f"line {found.group(2)} has {found.group(3)} fields, the header {found.group(1)}"
            if found
            else str(err).strip()[:160]
        )
        raise UserTableError(
            "a row has more fields than the header",
            received=f"{path.name}: {where}",
            fix="remove the extra cells (often a stray comma or an unquoted '1,000'), or add the "
            "missing header cells",
        ) from None


def _read_raw(
    path: Path, fmt: FileFormat, sheet: str | int | None, encoding: str = "utf-8-sig"
) -> pd.DataFrame:
    with reading(path, f"an IO table in {fmt}", error=UserTableError):
        if fmt == "csv":
            _check_field_counts(path, encoding)
            head = pd.read_csv(path, nrows=0, encoding=encoding)
            return pd.read_csv(
                path,
                dtype={head.columns[0]: str} if len(head.columns) else None,
                keep_default_na=False,
                na_values=[""],
                encoding=encoding,
            )
        if fmt == "xlsx":
            frame = pd.read_excel(
                path, sheet_name=sheet if sheet is not None else 0, engine="calamine", dtype=object
            )
            _check_merged_header(path, sheet)
            return frame
        return pd.read_parquet(path)


def _header(
    path: Path,
    fmt: FileFormat,
    sheet: str | int | None,
    raw: pd.DataFrame,
    encoding: str = "utf-8-sig",
) -> list[str]:
    """The header row as written (pandas renames duplicate headers to 'x.1' when reading)."""
    if fmt == "csv":
        head = pd.read_csv(path, header=None, nrows=1, dtype=str, encoding=encoding)
    elif fmt == "xlsx":
        head = pd.read_excel(
            path,
            sheet_name=sheet if sheet is not None else 0,
            engine="calamine",
            header=None,
            nrows=1,
            dtype=object,
        )
    else:
        return [str(c) for c in raw.columns]
    return ["" if pd.isna(v) else str(v) for v in head.iloc[0].tolist()]


def _numeric(raw: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return (values with NaN for empty cells, mask of non-numeric cells)."""
    values = np.full(raw.shape, np.nan)
    bad = np.zeros(raw.shape, dtype=bool)
    for j, col in enumerate(raw.columns):
        s = raw[col]
        if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
            values[:, j] = s.to_numpy(dtype=float, na_value=np.nan)
            continue
        missing = s.isna().to_numpy(dtype=bool)
        text = s.astype(object).where(~missing, "").astype(str).str.strip()
        empty = missing | (text == "").to_numpy(dtype=bool)
        num = pd.to_numeric(text.where(~empty, None), errors="coerce").to_numpy(dtype=float)
        values[:, j] = num
        bad[:, j] = np.isnan(num) & ~empty
    return values, bad


def _cells(mask: np.ndarray, rows: list[str], cols: list[str], limit: int = 5) -> list[str]:
    r, c = np.nonzero(mask)
    return [f"({rows[i]!r}, {cols[j]!r})" for i, j in zip(r[:limit], c[:limit], strict=False)]


def _split(labels: list[str], what: str) -> pd.MultiIndex:
    bad = [s for s in labels if s.count(SEP) != 1]
    if bad:
        raise UserTableError(
            f"multi-region {what} labels must look like REGION{SEP}NAME",
            received=bad[:5],
            fix=f"write labels such as 'CHN{SEP}c14'",
        )
    parts = [tuple(s.split(SEP)) for s in labels]
    second = "sector" if what == "sector" else "category"
    return pd.MultiIndex.from_tuples(parts, names=["region", second])


def _rename(header: list[str], columns: Mapping[str, str] | None) -> list[str]:
    if not columns:
        return header
    unknown = [k for k in columns if k not in header]
    if unknown:
        raise UserTableError(
            f"columns= names {len(unknown)} header cells the file does not have",
            received=unknown[:5],
            fix=f"use header cells of the file, e.g. {header[:6]}",
        )
    return [columns.get(c, c) for c in header]


@validate_params
def read_table(
    path: str | Path,
    *,
    unit: str,
    layout: Layout = "competitive",
    sheet: str | int | None = None,
    fmt: FileFormat | None = None,
    balance_rtol: float = 1e-6,
    balance_atol: float = 0.0,
    zero_output: Literal["raise", "zero-coefficients"] = "raise",
    negative_flows: Literal["raise", "allow"] = "raise",
    check_balance: bool = True,
    encoding: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> IOTable:
    """Read an IO table from a CSV, Excel (.xlsx, read with calamine) or Parquet file.

    Parameters
    ----------
    path : str or Path
        The file, in the layout described in this module's documentation.
    unit : str
        Unit of all values (e.g. ``"10,000 yuan"``); required because files do not say.
    layout : {"competitive", "non-competitive", "multi-region"}
        How imports are recorded (see :class:`IOTable`).
    sheet : str or int, optional
        Excel sheet name or position (default: the first sheet).
    fmt : {"csv", "xlsx", "parquet"}, optional
        Format; default: from the file suffix.
    balance_rtol, balance_atol, zero_output, negative_flows, check_balance
        Passed to :class:`IOTable`.
    encoding : str, optional
        Text encoding of a CSV (e.g. ``"gb18030"`` for GBK files saved by Chinese Windows
        software). Default: UTF-8 (with or without BOM); a file that is not UTF-8 is refused
        with the encoding it most likely has.
    columns : mapping of str to str, optional
        Renames header cells before the layout is read, e.g. ``{"总产出": "x", "进口": "imports",
        "部门": "label"}``. Every key must be a header cell of the file.

    Returns
    -------
    IOTable
        n sectors, k final-demand categories, m value-added rows, in ``unit``. The provenance
        names the file and its sha256.

    Raises
    ------
    UserTableError
        Unreadable file, a CSV that is not in the given (or UTF-8) encoding, a row with more
        fields than the header, merged header cells in an Excel sheet, a `columns` key that is
        not a header cell, missing ``x`` column, no sector block, non-numeric or empty cells,
        misplaced values, bad import rows.
    LabelError
        Duplicate row or column labels.
    BalanceError, ZeroOutputError, NonFiniteError
        From :class:`IOTable` validation.
    """
    check_option("layout", layout, ("competitive", "non-competitive", "multi-region"))
    check_option("zero_output", zero_output, ("raise", "zero-coefficients"))
    path = Path(path)
    register_input(path)
    kind = _format(path, fmt)
    enc = "utf-8-sig"
    if kind == "csv":
        with reading(path, "an IO table in csv", error=UserTableError):
            enc = _encoding(path, encoding)
    raw = _read_raw(path, kind, sheet, enc)
    if raw.shape[1] < 3 or raw.shape[0] < 1:
        raise UserTableError(
            "the table is too small: it needs a label column, sector columns and x",
            received=f"{raw.shape[0]} rows × {raw.shape[1]} columns",
            fix="see the layout in chainatlas.io.user_tables",
        )
    header = [str(c).strip() for c in _header(path, kind, sheet, raw, enc)]
    cols = _rename(header, columns)[1:]
    first = raw.iloc[:, 0]
    if first.isna().any() or (first.astype(str).str.strip() == "").any():
        where = [
            i + 2
            for i in np.flatnonzero(
                (first.isna() | (first.astype(str).str.strip() == "")).to_numpy()
            )
        ]
        raise UserTableError(
            "empty row label(s)", received=f"file rows {where[:5]}", fix="label every row"
        )
    blank = [i + 2 for i, c in enumerate(cols) if c == ""]  # spreadsheet column numbers
    if blank:
        raise UserTableError(
            f"{len(blank)} empty header cell(s) in row 1 (a title row or merged header cells?)",
            received=f"columns {blank[:5]} of the header {cols[:6]}",
            fix="row 1 must hold 'label', the sector labels, final-demand categories and 'x'; "
            "delete title rows above it and unmerge header cells",
        )
    rows = [str(v).strip() for v in first]
    for what, labs in (("row", rows), ("column", cols)):
        seen: set[str] = set()
        dup = [s for s in labs if s in seen or seen.add(s)]  # type: ignore[func-returns-value]
        if dup:
            raise LabelError(
                f"duplicate {what} labels", received=sorted(set(dup))[:5], fix="make labels unique"
            )
    if X_COLUMN not in cols:
        raise UserTableError(
            f"no gross-output column {X_COLUMN!r}",
            received=cols[-5:],
            fix=f"add a column named {X_COLUMN!r} with gross output for every sector row",
        )
    n = 0
    while n < len(cols) and n < len(rows) and cols[n] == rows[n]:
        n += 1
    if n == 0:
        raise UserTableError(
            "no sector block: the first columns must repeat the first row labels, in order",
            received={"first rows": rows[:3], "first columns": cols[:3]},
            fix="put the sector columns right after the label column, in row order",
        )
    sectors = rows[:n]
    stray = [c for c in cols[n:] if c in set(rows)]
    if stray:
        raise UserTableError(
            "sector columns are not in the same order as the sector rows",
            received=stray[:5],
            fix="order the sector columns exactly like the sector rows",
        )
    values, bad = _numeric(raw.iloc[:, 1:])
    if bad.any():
        raise UserTableError(
            f"{int(bad.sum())} non-numeric cell(s)",
            received=_cells(bad, rows, cols),
            fix="write plain numbers (no units, thousands separators or text) in value cells",
        )
    special = {X_COLUMN, IMPORTS_COLUMN, OTHER_COLUMN}
    fd_cols = [c for c in cols[n:] if c not in special]
    ci = {c: j for j, c in enumerate(cols)}
    if layout != "competitive" and (IMPORTS_COLUMN in ci or OTHER_COLUMN in ci):
        raise UserTableError(
            f"columns {IMPORTS_COLUMN!r}/{OTHER_COLUMN!r} are only for layout='competitive'",
            received=layout,
            fix="drop them, or read with layout='competitive'",
        )
    rest = rows[n:]
    n_imp = 0
    if layout == "non-competitive":
        expected = [IMPORT_ROW_PREFIX + s for s in sectors]
        if rest[:n] != expected:
            raise UserTableError(
                f"a non-competitive table needs {n} import rows right after the sectors",
                received=rest[:3],
                fix=f"add rows {expected[:2]}… in sector order",
            )
        n_imp = n
    elif any(r.startswith(IMPORT_ROW_PREFIX) for r in rest):
        raise UserTableError(
            "import rows found but layout is not 'non-competitive'",
            received=[r for r in rest if r.startswith(IMPORT_ROW_PREFIX)][:3],
            fix="read with layout='non-competitive'",
        )
    va_rows = rest[n_imp:]
    sec_cols = list(range(n))
    fd_idx = [ci[c] for c in fd_cols]
    xj = ci[X_COLUMN]
    empty = np.isnan(values)
    blocks = [
        ("Z", slice(0, n), sec_cols),
        ("Y", slice(0, n), fd_idx),
        ("x", slice(0, n), [xj]),
        ("V", slice(n + n_imp, len(rows)), sec_cols),
    ]
    if n_imp:
        blocks += [("Zm", slice(n, 2 * n), sec_cols), ("Ym", slice(n, 2 * n), fd_idx)]
    blocks += [(c, slice(0, n), [ci[c]]) for c in (IMPORTS_COLUMN, OTHER_COLUMN) if c in ci]
    for name, rs, cs in blocks:
        hole = np.zeros_like(empty)
        hole[rs, cs] = empty[rs, cs]
        if hole.any():
            raise UserTableError(
                f"{int(hole.sum())} empty cell(s) in block {name}",
                received=_cells(hole, rows, cols),
                fix="write 0 where a flow is truly zero",
            )
    outside = np.zeros_like(empty)
    outside[n:, n:] = True
    outside[n : n + n_imp, fd_idx] = False
    stray_vals = outside & ~empty & (np.nan_to_num(values) != 0)
    if stray_vals.any():
        raise UserTableError(
            "values outside the Z, Y, V, x (Zm, Ym) blocks would be ignored",
            received=_cells(stray_vals, rows, cols),
            fix="leave value-added rows empty under final-demand, imports, other and x columns",
        )
    if layout == "multi-region":
        idx: pd.Index = _split(sectors, "sector")
        ycols: pd.Index = _split(fd_cols, "final-demand")
    else:
        idx = pd.Index(sectors, name="sector")
        ycols = pd.Index(fd_cols, name="final_use")
    Z = pd.DataFrame(values[:n, :n], index=idx, columns=idx)
    Y = pd.DataFrame(
        values[:n][:, fd_idx] if fd_idx else np.zeros((n, 0)), index=idx, columns=ycols
    )
    V = pd.DataFrame(
        values[n + n_imp :, :n], index=pd.Index(va_rows, name="value_added"), columns=idx
    )
    x = pd.Series(values[:n, xj], index=idx, name="x")
    imports = (
        pd.Series(values[:n, ci[IMPORTS_COLUMN]], index=idx, name="imports")
        if IMPORTS_COLUMN in ci
        else None
    )
    other = (
        pd.Series(values[:n, ci[OTHER_COLUMN]], index=idx, name="other")
        if OTHER_COLUMN in ci
        else None
    )
    Zm = Ym = None
    if n_imp:
        Zm = pd.DataFrame(values[n : 2 * n, :n], index=idx, columns=idx)
        Ym = pd.DataFrame(values[n : 2 * n][:, fd_idx], index=idx, columns=ycols)
    prov = Provenance(
        source=f"user table {path.name}",
        files=((path.name, file_sha256(path)),),
        steps=(
            f"read {path.name} ({kind}{'' if sheet is None else f', sheet {sheet!r}'}) with the "
            f"chainatlas wide layout, layout={layout!r}: {n} sectors, {len(fd_cols)} final-demand "
            f"columns, {len(va_rows)} value-added rows",
        ),
    )
    return IOTable(
        Z=Z,
        Y=Y,
        V=V,
        x=x,
        unit=unit,
        layout=layout,
        provenance=prov,
        imports=imports,
        Zm=Zm,
        Ym=Ym,
        other=other,
        balance_rtol=balance_rtol,
        balance_atol=balance_atol,
        zero_output=zero_output,
        check_balance=check_balance,
    )


def _join(index: pd.Index) -> list[str]:
    if isinstance(index, pd.MultiIndex):
        return [SEP.join(str(p) for p in t) for t in index]
    return [str(v) for v in index]


def _wide(table: IOTable) -> pd.DataFrame:
    n = table.n
    sectors = _join(table.labels)
    fd = _join(table.Y.columns)
    extra = [IMPORTS_COLUMN] * (table.imports is not None) + [OTHER_COLUMN] * (
        table.other is not None
    )
    columns = sectors + fd + extra + [X_COLUMN]
    clash = set(fd) & ({X_COLUMN, IMPORTS_COLUMN, OTHER_COLUMN} | set(sectors))
    if clash or len(set(columns)) != len(columns):
        raise UserTableError(
            "final-demand labels clash with sector labels or reserved column names",
            received=sorted(clash)[:5],
            fix="rename those final-demand categories before writing",
        )
    va = [str(v) for v in table.V.index]
    imp_rows = [IMPORT_ROW_PREFIX + s for s in sectors] if table.Zm is not None else []
    rows = sectors + imp_rows + va
    k = len(fd)
    out = np.full((len(rows), len(columns)), np.nan)
    out[:n, :n] = table.Z.to_numpy(dtype=float)
    out[:n, n : n + k] = table.Y.to_numpy(dtype=float)
    j = n + k
    if table.imports is not None:
        out[:n, j] = table.imports.to_numpy(dtype=float)
        j += 1
    if table.other is not None:
        out[:n, j] = table.other.to_numpy(dtype=float)
    out[:n, -1] = table.x.to_numpy(dtype=float)
    if table.Zm is not None:
        out[n : 2 * n, :n] = table.Zm.to_numpy(dtype=float)
        if table.Ym is not None:
            out[n : 2 * n, n : n + table.Ym.shape[1]] = table.Ym.to_numpy(dtype=float)
    out[n + len(imp_rows) :, :n] = table.V.to_numpy(dtype=float)
    frame = pd.DataFrame(out, columns=columns)
    frame.insert(0, LABEL, rows)
    return frame


@validate_params
def write_table(table: IOTable, path: str | Path, *, fmt: FileFormat | None = None) -> Path:
    """Write `table` in the documented wide layout, atomically (temporary file, then rename).

    Parameters
    ----------
    table : IOTable
        Any layout; the unit is not stored (pass it again to :func:`read_table`).
    path : str or Path
        Target file; its suffix picks the format unless `fmt` is given.
    fmt : {"csv", "xlsx", "parquet"}, optional

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    UserTableError
        Unknown format, or final-demand labels that clash with reserved column names.
    """
    from chainatlas._atomic import write_atomic

    path = Path(path)
    kind = _format(path, fmt)
    frame = _wide(table)
    if kind == "csv":
        data: bytes = frame.to_csv(index=False).encode("utf-8")
    elif kind == "xlsx":
        buf = _io.BytesIO()
        frame.to_excel(buf, index=False, engine="openpyxl", sheet_name="io_table")
        data = buf.getvalue()
    else:
        buf = _io.BytesIO()
        frame.to_parquet(buf, index=False)
        data = buf.getvalue()
    return write_atomic(path, data)
