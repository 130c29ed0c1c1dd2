"""Shared CLI output: one payload rendered as a rich table, JSON or CSV (atomically to a file)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from chainatlas.report.render import dumps_json, format_number, write_atomic

Format = Literal["table", "json", "csv"]

console = Console(stderr=True)


def _has_index(frame: pd.DataFrame) -> bool:
    return isinstance(frame.index, pd.MultiIndex) or not isinstance(frame.index, pd.RangeIndex)


def _table_width(t: Table) -> int:
    """A console width wide enough for every cell (capped), so piped output is not truncated."""
    widths = []
    for col in t.columns:
        cells = [str(col.header), *[str(c) for c in col._cells]]
        widths.append(max(cell_len(c) for c in cells) + 3)
    return max(80, min(sum(widths) + 4, 400))


def emit(
    payload: dict[str, Any] | pd.DataFrame,
    fmt: Format,
    out: Path | None = None,
    *,
    table_key: str | None = None,
    title: str = "",
) -> None:
    """Print `payload` (or write it to `out`).

    ``json`` prints the whole payload; ``csv`` and ``table`` print one DataFrame: the payload itself
    or ``payload[table_key]``.
    """
    frame: pd.DataFrame | None
    if isinstance(payload, pd.DataFrame):
        frame = payload
    elif table_key is not None:
        frame = payload[table_key]
    else:
        frame = None
    if fmt == "json":
        text = dumps_json(payload) + "\n"
    elif fmt == "csv":
        if frame is None:
            raise SystemExit("this command has no tabular output; use --format json")
        buf = io.StringIO()
        frame.to_csv(buf)
        text = buf.getvalue()
    else:
        if frame is None:
            text = dumps_json(payload) + "\n"
        else:
            shown = frame.reset_index() if _has_index(frame) else frame
            t = Table(title=title or None)
            for c in shown.columns:
                numeric = pd.api.types.is_numeric_dtype(
                    shown[c]
                ) and not pd.api.types.is_bool_dtype(shown[c])
                name = " / ".join(map(str, c)) if isinstance(c, tuple) else str(c)
                # numbers are never cut: they do not wrap; long text columns wrap instead
                t.add_column(name, justify="right" if numeric else "left", no_wrap=numeric)
            for row in shown.itertuples(index=False):
                t.add_row(*[format_number(v) for v in row])
            width = _table_width(t)
            if out is None:
                term = Console()
                if not term.is_terminal:  # piped: do not squeeze into 80 columns
                    term = Console(width=width)
                term.print(t)
                return
            buf = io.StringIO()
            Console(file=buf, width=width).print(t)
            text = buf.getvalue()
    if out is not None:
        write_atomic(out, text)
        console.print(f"wrote {out}")
    else:
        sys.stdout.write(text)
