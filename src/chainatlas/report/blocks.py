"""Building blocks of a report context (报告组件): sections, tables, figures, text, metrics.

A report is one JSON-ready dict::

    {"title": {"zh": ..., "en": ...}, "subtitle": ..., "provenance": {...},
     "sections": [{"id": ..., "title": {"zh", "en"}, "blocks": [...]}, ...]}

Blocks are dicts with a ``kind``: ``"table"``, ``"figure"``, ``"text"`` or ``"metrics"``. The
HTML renderer and ``--format json`` read the same dict, so scripts see the numbers a person sees.

Examples
--------
>>> import pandas as pd
>>> b = table_block(pd.DataFrame({"x": [1.23456]}, index=["S1"]), zh="总产出", en="Gross output",
...                 unit="10,000 yuan", digits=2)
>>> b["rows"], b["columns"]
([['S1', 1.23]], ['', 'x'])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["section", "table_block", "figure_block", "text_block", "metrics_block"]


def _cell(v: Any, digits: int | None) -> Any:
    if isinstance(v, (np.floating, float)):
        if not np.isfinite(v):
            return None
        return round(float(v), digits) if digits is not None else float(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, tuple):
        return " / ".join(str(p) for p in v)
    return v


def section(
    id: str,
    *,
    zh: str,
    en: str,
    blocks: list[dict[str, Any]],
    note_zh: str = "",
    note_en: str = "",
    datasets: tuple[str, ...] | list[str] = (),
) -> dict[str, Any]:
    """A report section with a bilingual title, its blocks and the dataset specs it draws on.

    ``datasets`` (e.g. ``["wiod-2013:2011"]``) is shown under the title and feeds the report
    footer's list of datasets and licences.
    """
    return {
        "id": id,
        "title": {"zh": zh, "en": en},
        "note": {"zh": note_zh, "en": note_en},
        "datasets": list(datasets),
        "blocks": blocks,
    }


def table_block(
    df: pd.DataFrame | pd.Series,
    *,
    zh: str,
    en: str,
    unit: str = "",
    digits: int | None = 4,
    index: bool = True,
    source: str = "",
) -> dict[str, Any]:
    """A table block from a labelled result; numbers rounded to `digits` for display.

    The index becomes the first column (MultiIndex levels are joined with " / ").
    """
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    cols = [str(c) if not isinstance(c, tuple) else " / ".join(map(str, c)) for c in frame.columns]
    rows = []
    for lab, rec in zip(frame.index, frame.itertuples(index=False), strict=True):
        row = [_cell(v, digits) for v in rec]
        if index:
            row = [_cell(lab, None), *row]
        rows.append(row)
    return {
        "kind": "table",
        "caption": {"zh": zh, "en": en},
        "unit": unit,
        "source": source,
        "columns": (["" if frame.index.name is None else str(frame.index.name)] if index else [])
        + cols,
        "rows": rows,
    }


def figure_block(fig: Any, *, zh: str, en: str, source: str = "") -> dict[str, Any]:
    """A figure block from a plotly figure (stored as its JSON dict)."""
    import json

    import plotly.io as pio

    return {
        "kind": "figure",
        "caption": {"zh": zh, "en": en},
        "source": source,
        "figure": json.loads(pio.to_json(fig, validate=False)),
    }


def text_block(*, zh: str, en: str) -> dict[str, Any]:
    """A bilingual paragraph."""
    return {"kind": "text", "zh": zh, "en": en}


def metrics_block(items: list[tuple[str, str, Any, str]]) -> dict[str, Any]:
    """Headline figures: a list of ``(label_zh, label_en, value, unit)``."""
    return {
        "kind": "metrics",
        "items": [
            {"label": {"zh": zh, "en": en}, "value": _cell(v, 4), "unit": unit}
            for zh, en, v, unit in items
        ],
    }
