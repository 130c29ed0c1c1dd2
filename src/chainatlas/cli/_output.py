"""Shared CLI output: one payload as a rich table, JSON, CSV or xlsx (atomically to a file).

Every command that prints results goes through :func:`emit`, so all of them share:

* ``--format table|json|csv|xlsx``;
* ``--out FILE`` infers the format from the extension (``.csv .json .xlsx .html .txt``); an
  explicit ``--format`` that contradicts the extension is an error, and so is an extension that
  names no format (``--out x.xls``) unless ``--format`` says what to write;
* CSV files start with the UTF-8 BOM; CSV and xlsx neutralise formula-like text cells
  (:mod:`chainatlas.report.export`);
* terminal tables fit a terminal: a column that holds one long text on every row (a licence, a
  source) is printed once under the table, and the payload's unit goes into the title.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from chainatlas.errors import InputError
from chainatlas.report.export import (
    FORMATS_BY_SUFFIX,
    render_csv,
    render_table_html,
    render_xlsx,
)
from chainatlas.report.render import dumps_json, format_number, write_atomic

Format = Literal["table", "json", "csv", "xlsx"]

#: help text of ``--format`` for commands that print tables
FORMAT_HELP = "table, json, csv or xlsx (default: from the --out extension, else table)"

console = Console(stderr=True)

#: columns lifted out of the rows when they hold one value on every row
_CONSTANT_COLUMNS = ("licence", "license", "source", "citation", "unit", "note", "spec")


class OutputFormatError(InputError):
    """``--format`` and ``--out`` disagree, or the output format cannot be inferred."""


def _format_given() -> bool:
    """Whether ``--format`` was typed on the command line (not left at its default)."""
    import importlib

    for mod in ("typer._click.globals", "click.globals"):
        try:
            ctx = importlib.import_module(mod).get_current_context(silent=True)
        except ImportError:
            continue
        if ctx is None:
            continue
        src = ctx.get_parameter_source("fmt")
        if src is not None:
            return str(getattr(src, "name", src)).upper() not in {"DEFAULT", "DEFAULT_MAP"}
    return False


def resolve_format(
    fmt: str,
    out: Path | None,
    *,
    allowed: tuple[str, ...] = ("table", "json", "csv", "xlsx", "html"),
    given: bool | None = None,
) -> str:
    """The output format for `fmt` and `out`: the extension decides unless --format was given.

    Parameters
    ----------
    fmt : str
        The ``--format`` value (its default when not typed).
    out : Path, optional
        The ``--out`` file.
    allowed : tuple of str
        Formats the command can write.
    given : bool, optional
        Whether ``--format`` was typed; read from the click context when omitted.

    Raises
    ------
    OutputFormatError
        If ``--format`` contradicts the extension, the extension names no known format and
        ``--format`` was not given, or the format is not one the command writes.

    Examples
    --------
    >>> resolve_format("table", Path("x.xlsx"), given=False)
    'xlsx'
    >>> try:
    ...     resolve_format("csv", Path("x.xlsx"), given=True)
    ... except OutputFormatError as err:
    ...     print(err.problem)
    --format csv does not match --out x.xlsx (an xlsx file)
    """
    given = _format_given() if given is None else given
    if out is not None:
        suffix = out.suffix.lower()
        inferred = FORMATS_BY_SUFFIX.get(suffix)
        if inferred is None and not given:
            raise OutputFormatError(
                f"cannot tell the output format from --out {out.name}",
                received=suffix or "(no extension)",
                fix="use one of " + ", ".join(sorted(set(FORMATS_BY_SUFFIX))) + " or pass --format",
            )
        if inferred is not None:
            if given and inferred != fmt:
                raise OutputFormatError(
                    f"--format {fmt} does not match --out {out.name} (an {inferred} file)",
                    received=fmt,
                    fix="drop --format (the extension decides) or use an extension that matches it",
                )
            fmt = inferred
    if fmt not in allowed:
        raise OutputFormatError(
            f"this command cannot write {fmt}",
            received=fmt,
            fix="use one of " + ", ".join(allowed),
        )
    return fmt


def _has_index(frame: pd.DataFrame) -> bool:
    return isinstance(frame.index, pd.MultiIndex) or not isinstance(frame.index, pd.RangeIndex)


def _table_width(t: Table) -> int:
    """A console width wide enough for every cell (capped), so piped output is not truncated."""
    widths = []
    for col in t.columns:
        cells = [str(col.header), *[str(c) for c in col._cells]]
        widths.append(max(cell_len(c) for c in cells) + 3)
    return max(80, min(sum(widths) + 4, 400))


def lift_constant_columns(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Drop licence/source/unit-like columns that repeat one value; return them as notes.

    Examples
    --------
    >>> f = pd.DataFrame({"x": [1, 2], "licence": ["CC BY 4.0", "CC BY 4.0"]})
    >>> kept, notes = lift_constant_columns(f)
    >>> list(kept.columns), notes
    (['x'], ['licence: CC BY 4.0'])
    """
    notes = []
    drop = []
    if len(frame) > 1:
        for c in frame.columns:
            if str(c).lower() in _CONSTANT_COLUMNS and frame[c].nunique(dropna=False) == 1:
                notes.append(f"{c}: {frame[c].iloc[0]}")
                drop.append(c)
    return (frame.drop(columns=drop) if drop else frame), notes


def _title_with_unit(title: str, payload: Any) -> str:
    unit = payload.get("unit") if isinstance(payload, dict) else None
    if isinstance(unit, str) and unit and unit not in title:
        return f"{title} · 单位 unit: {unit}" if title else f"单位 unit: {unit}"
    return title


def _rich_table(frame: pd.DataFrame, title: str) -> tuple[Table, list[str]]:
    frame, notes = lift_constant_columns(frame)
    shown = frame.reset_index() if _has_index(frame) else frame
    t = Table(title=title or None, caption="\n".join(notes) or None, caption_justify="left")
    for c in shown.columns:
        numeric = pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(
            shown[c]
        )
        name = " / ".join(map(str, c)) if isinstance(c, tuple) else str(c)
        # numbers are never cut: they do not wrap; long text columns wrap instead
        t.add_column(name, justify="right" if numeric else "left", no_wrap=numeric)
    for row in shown.itertuples(index=False):
        t.add_row(*[format_number(v) for v in row])
    return t, notes


def _print_table(frame: pd.DataFrame, title: str, out: Path | None) -> str | None:
    t, _ = _rich_table(frame, title)
    width = _table_width(t)
    if out is None:
        term = Console()
        if not term.is_terminal:  # piped: do not squeeze into 80 columns
            term = Console(width=width)
        term.print(t)
        return None
    buf = io.StringIO()
    Console(file=buf, width=width).print(t)
    return buf.getvalue()


def _xlsx_notes(payload: Any) -> list[tuple[str, str]]:
    if not isinstance(payload, dict):
        return []
    return [
        (k, str(v))
        for k, v in payload.items()
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and len(str(v)) < 2000
    ]


def emit(
    payload: dict[str, Any] | pd.DataFrame,
    fmt: str,
    out: Path | None = None,
    *,
    table_key: str | None = None,
    title: str = "",
) -> None:
    """Print `payload` (or write it to `out`) in the format `fmt` / the extension of `out`.

    ``json`` prints the whole payload; ``csv``, ``xlsx``, ``html`` and ``table`` render one
    DataFrame: the payload itself or ``payload[table_key]``.

    Raises
    ------
    OutputFormatError
        See :func:`resolve_format`; also for xlsx to standard output and for a tabular format
        when the payload has no table.
    """
    fmt = resolve_format(fmt, out)
    frame: pd.DataFrame | None
    if isinstance(payload, pd.DataFrame):
        frame = payload
    elif table_key is not None:
        frame = payload[table_key]
    else:
        frame = None
    title = _title_with_unit(title, payload)
    if fmt != "json" and frame is None and fmt != "table":
        raise OutputFormatError(
            "this command has no tabular output", received=fmt, fix="use --format json"
        )
    data: str | bytes
    if fmt == "json":
        data = dumps_json(payload) + "\n"
    elif fmt == "csv":
        data = render_csv(frame, bom=out is not None)
    elif fmt == "xlsx":
        if out is None:
            raise OutputFormatError(
                "xlsx is a binary file and is not printed to the terminal",
                received="--format xlsx",
                fix="add --out FILE.xlsx",
            )
        data = render_xlsx(frame, title=title, notes=_xlsx_notes(payload))
    elif fmt == "html":
        kept, notes = lift_constant_columns(frame)  # type: ignore[arg-type]
        data = render_table_html(kept, title=title + ("\n" + "; ".join(notes) if notes else ""))
    elif frame is None:
        data = dumps_json(payload) + "\n"
    else:
        text = _print_table(frame, title, out)
        if text is None:
            return
        data = text
    if out is not None:
        write_atomic(out, data)
        console.print(f"wrote {out}")
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        sys.stdout.write(data)


def emit_context(
    ctx: dict[str, Any], fmt: str, out: Path | None, default: Path, *, given: bool | None = None
) -> Path | None:
    """Write a report context as HTML (default), JSON or xlsx (every table, one sheet each).

    The format follows the ``--out`` extension like :func:`emit`; JSON without ``--out`` is
    printed. Returns the file written (``None`` when printed).
    """
    from chainatlas.report.export import context_tables
    from chainatlas.report.render import render_html

    fmt = resolve_format(fmt, out, allowed=("html", "json", "xlsx"), given=given)
    if fmt == "json":
        emit(ctx, "json", out)
        return out
    target = out or default.with_suffix("." + fmt)
    if fmt == "xlsx":
        notes = [("spec", str(ctx.get("spec", "")))] + [
            (d["name"], f"{d.get('licence', '')}") if isinstance(d, dict) else (str(d), "")
            for d in ctx.get("datasets", [])
        ]
        data: str | bytes = render_xlsx(context_tables(ctx), title=ctx.get("title"), notes=notes)
    else:
        data = render_html(ctx)
    write_atomic(target, data)
    console.print(
        f"wrote {target} ({len(data) / 1e6:.1f} MB, {len(ctx.get('sections', []))} sections)"
    )
    return target
