"""Shared CLI output: one payload rendered as a rich table, JSON or CSV (atomically to a file)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from rich.console import Console
from rich.table import Table

from chainatlas.report.render import dumps_json, format_number, write_atomic

Format = Literal["table", "json", "csv"]

console = Console(stderr=True)


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
            t = Table(title=title or None)
            idx_name = frame.index.name or ""
            t.add_column(str(idx_name))
            for c in frame.columns:
                t.add_column(str(c), justify="right")
            for lab, row in frame.iterrows():
                t.add_row(
                    str(lab),
                    *[format_number(v) for v in row.tolist()],
                )
            if out is None:
                Console().print(t)
                return
            buf = io.StringIO()
            Console(file=buf, width=200).print(t)
            text = buf.getvalue()
    if out is not None:
        write_atomic(out, text)
        console.print(f"wrote {out}")
    else:
        sys.stdout.write(text)
