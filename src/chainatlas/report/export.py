"""Table exports (表格导出): CSV (UTF-8 with BOM) and xlsx, safe to open in a spreadsheet.

One code path for the CLI (``--format csv|xlsx``, ``--out FILE``) and the web atlas's download
buttons. A *table* is either a table block of a report context (``{"kind": "table", "columns",
"rows", "caption", "unit", "source"}``, see :func:`chainatlas.pipelines.blocks.table_block`) or a
pandas DataFrame / Series (its index becomes leading columns).

Spreadsheet formula injection (OWASP "CSV injection") is neutralised: a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'``, so Excel and
LibreOffice show it as text instead of evaluating it. Numbers stay numbers.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"name": ["=1+1", "steel"], "x": [1.5, 2.0]})
>>> render_csv(frame, bom=False).decode()
"name,x\\r\\n'=1+1,1.5\\r\\nsteel,2.0\\r\\n"
>>> render_csv(frame)[:3] == BOM
True
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.report.labels import display_label

__all__ = [
    "BOM",
    "neutralise",
    "table_parts",
    "render_csv",
    "render_xlsx",
    "render_table_html",
    "context_tables",
    "FORMATS_BY_SUFFIX",
]

#: UTF-8 byte-order mark: Excel on a Chinese-locale Windows PC needs it to read UTF-8 CSV
BOM = b"\xef\xbb\xbf"

#: output format of each ``--out`` file extension
FORMATS_BY_SUFFIX: dict[str, str] = {
    ".csv": "csv",
    ".json": "json",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".txt": "table",
}

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would read as a formula with ``'``.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-3"), neutralise("steel"), neutralise(-3)
    ('\\'=HYPERLINK("http://x")', "'-3", 'steel', -3)
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def _plain(v: Any) -> Any:
    """A cell as a plain Python value: numbers as int/float (NaN → None), the rest as is."""
    if v is None or isinstance(v, (bool, np.bool_)):
        return None if v is None else bool(v)
    if isinstance(v, (np.integer, int)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, tuple):
        return " / ".join(map(str, v))
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if v is pd.NA or v is pd.NaT:
        return None
    return v


def table_parts(table: Any) -> dict[str, Any]:
    """Normalise a table (block or DataFrame/Series) to ``{"columns", "rows", "caption", ...}``.

    Parameters
    ----------
    table : dict or pandas.DataFrame or pandas.Series
        A table block, or a labelled frame (a non-range index becomes leading columns, one per
        level).

    Returns
    -------
    dict
        ``columns`` (list of str), ``rows`` (list of lists of plain values), ``caption``
        (``{"zh", "en"}``), ``unit`` and ``source`` (str).

    Raises
    ------
    TypeError
        If `table` is neither a table block nor a pandas object.
    """
    if isinstance(table, dict) and "columns" in table and "rows" in table:
        return {
            "columns": [str(c) for c in table["columns"]],
            "rows": [[_plain(v) for v in r] for r in table["rows"]],
            "caption": dict(table.get("caption") or {"zh": "", "en": ""}),
            "unit": str(table.get("unit") or ""),
            "source": str(table.get("source") or ""),
            "labels": dict(table.get("labels") or {}),
        }
    if isinstance(table, pd.Series):
        table = table.to_frame()
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"not a table: {type(table).__name__}")
    frame = table
    if isinstance(frame.index, pd.MultiIndex) or not isinstance(frame.index, pd.RangeIndex):
        names = [
            n if n is not None else ("" if frame.index.nlevels == 1 else f"level_{i}")
            for i, n in enumerate(frame.index.names)
        ]
        frame = frame.copy()
        frame.index.names = names
        frame = frame.reset_index()
    cols = [" / ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in frame.columns]
    rows = [[_plain(v) for v in rec] for rec in frame.itertuples(index=False, name=None)]
    return {
        "columns": cols,
        "rows": rows,
        "caption": {"zh": "", "en": ""},
        "unit": "",
        "source": "",
    }


def _csv_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return repr(v)
    return str(neutralise(v) if isinstance(v, str) else v)


def render_csv(table: Any, *, bom: bool = True) -> bytes:
    """CSV bytes of a table: raw column keys as the header, numbers at full precision.

    Parameters
    ----------
    table : dict or pandas.DataFrame or pandas.Series
        See :func:`table_parts`.
    bom : bool
        Start with the UTF-8 byte-order mark (default; for files and downloads). Standard output
        that is piped to other tools goes without it.

    Returns
    -------
    bytes
        UTF-8 CSV with CRLF line ends (RFC 4180); formula-like text cells prefixed with ``'``.
    """
    parts = table_parts(table)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([_csv_text(c) for c in parts["columns"]])
    for r in parts["rows"]:
        w.writerow([_csv_text(v) for v in r])
    data = buf.getvalue().encode("utf-8")
    return BOM + data if bom else data


def _numeric_columns(parts: dict[str, Any]) -> list[bool]:
    out = []
    for j in range(len(parts["columns"])):
        vals = [r[j] for r in parts["rows"] if j < len(r) and r[j] is not None]
        out.append(
            bool(vals)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals)
        )
    return out


def _header(col: str, numeric: bool, unit: str, labels: dict[str, str] | None = None) -> str:
    label = display_label(col, labels) if col else "项目 item"
    return f"{label} [{unit}]" if numeric and unit else label


def _xlsx_text(v: Any) -> Any:
    if isinstance(v, str):
        return _ILLEGAL_XML.sub("", neutralise(v))[:32_000]
    if isinstance(v, (list, dict)):
        return _xlsx_text(str(v))
    return v


def _sheet_name(caption: dict[str, Any], i: int, taken: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", str(caption.get("zh") or caption.get("en") or "")).strip()
    base = (base or f"table {i}")[:28].strip("'") or f"table {i}"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:26]}~{n}"
        n += 1
    taken.add(name.lower())
    return name


def _write_sheet(ws: Any, parts: dict[str, Any]) -> None:
    from openpyxl.styles import Font

    numeric = _numeric_columns(parts)
    heads = [
        _header(c, n, parts["unit"], parts.get("labels"))
        for c, n in zip(parts["columns"], numeric, strict=True)
    ]
    seen: dict[str, int] = {}
    for h in heads:
        seen[h] = seen.get(h, 0) + 1
    heads = [
        f"{h} ({c})" if seen[h] > 1 and c else h
        for h, c in zip(heads, parts["columns"], strict=True)
    ]
    ws.append([_xlsx_text(h) for h in heads])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in parts["rows"]:
        ws.append([_xlsx_text(v) for v in r])
    ws.freeze_panes = "B2" if len(parts["columns"]) > 1 else "A2"
    for j, col in enumerate(ws.columns):
        width = max((len(str(c.value)) for c in list(col)[:200] if c.value is not None), default=8)
        ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)
        del j


def render_xlsx(
    tables: Any | Sequence[Any],
    *,
    title: dict[str, str] | str | None = None,
    notes: Iterable[tuple[str, str]] = (),
) -> bytes:
    """An xlsx workbook: one sheet per table, and a first sheet "说明 About" with captions.

    Header row: the bilingual column label (中文 English) with the table's unit in brackets on
    numeric columns; numbers are stored as numbers, text cells are neutralised like CSV.

    Parameters
    ----------
    tables : table or sequence of tables
        Table blocks or DataFrames (see :func:`table_parts`).
    title : dict or str, optional
        Workbook title (``{"zh", "en"}``), shown on the About sheet.
    notes : iterable of (key, value)
        Extra lines for the About sheet (e.g. dataset, licence, parameters).

    Returns
    -------
    bytes
        The .xlsx file.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if isinstance(tables, (dict, pd.DataFrame, pd.Series)):
        tables = [tables]
    wb = Workbook()
    about = wb.active
    about.title = "说明 About"
    if isinstance(title, dict):
        about.append([_xlsx_text(f"{title.get('zh', '')} · {title.get('en', '')}")])
    elif title:
        about.append([_xlsx_text(title)])
    for k, v in notes:
        about.append([_xlsx_text(str(k)), _xlsx_text(str(v))])
    about.append(["工作表 sheet", "表 table", "单位 unit", "来源 source"])
    about[about.max_row][0].font = Font(bold=True)
    taken = {about.title.lower()}
    for i, table in enumerate(tables, start=1):
        parts = table_parts(table)
        name = _sheet_name(parts["caption"], i, taken)
        cap = parts["caption"]
        about.append(
            [
                name,
                _xlsx_text(f"{cap.get('zh', '')} {cap.get('en', '')}".strip()),
                _xlsx_text(parts["unit"]),
                _xlsx_text(parts["source"]),
            ]
        )
        _write_sheet(wb.create_sheet(name), parts)
    about.column_dimensions["A"].width = 30
    about.column_dimensions["B"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def context_tables(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Every table block of a report context, in page order, with its section's title."""
    out = []
    for sec in context.get("sections", []):
        for b in sec.get("blocks", []):
            if isinstance(b, dict) and b.get("kind") == "table":
                out.append(b)
    return out


_TABLE_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ title }}</title>
<style>body{font-family:-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:24px;color:#1d2733} table{border-collapse:collapse;font-size:13px}
th,td{border-bottom:1px solid #e6e9ee;padding:4px 8px;text-align:left} th{background:#f0f3f7}
td.num{text-align:right;font-variant-numeric:tabular-nums} .unit{color:#6b7785;font-size:12px}
</style></head><body><h1>{{ title }}</h1>
{% if unit %}<div class="unit">单位 unit: {{ unit }}</div>{% endif %}
<table><thead><tr>{% for c in columns %}<th title="{{ c }}">{{ c | label }}</th>{% endfor %}
</tr></thead><tbody>{% for r in rows %}<tr>{% for v in r %}{% if v is number and v is not
boolean %}<td class="num">{{ v | num }}</td>{% else %}<td>{{ v if v is not none else "—" }}</td>
{% endif %}{% endfor %}</tr>{% endfor %}</tbody></table>
{% if source %}<p class="unit">来源 source: {{ source }}</p>{% endif %}</body></html>
"""


def render_table_html(table: Any, *, title: str = "", unit: str = "") -> str:
    """A small standalone HTML page of one table (no scripts; for ``--out FILE.html``)."""
    import jinja2

    from chainatlas.report.render import format_number

    parts = table_parts(table)
    env = jinja2.Environment(autoescape=True)
    env.filters["num"] = format_number
    env.filters["label"] = lambda c: display_label(c) if c else ""
    return env.from_string(_TABLE_HTML).render(
        title=title or parts["caption"].get("en") or "table",
        unit=unit or parts["unit"],
        source=parts["source"],
        columns=parts["columns"],
        rows=parts["rows"],
    )
