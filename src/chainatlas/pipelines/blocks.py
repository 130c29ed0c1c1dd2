"""Building blocks of a context (报告组件): sections, tables, figures, text, cards, notes, findings.

A context is one JSON-ready dict::

    {"kind": "national-atlas", "title": {"zh": ..., "en": ...}, "subtitle": ...,
     "params": {...}, "datasets": [...], "briefing": None, "provenance": {...},
     "sections": [{"id": ..., "title": {"zh", "en"}, "datasets": [...], "blocks": [...]}, ...]}

Blocks are dicts with a ``kind``: ``"table"``, ``"figure"``, ``"text"``, ``"metrics"``,
``"note"`` or ``"finding"``. The HTML renderer, ``--format json``, CSV and xlsx exports read the
same dict, so scripts see the numbers a person sees. Every number shown carries its year, unit
and source.

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

__all__ = [
    "section",
    "table_block",
    "figure_block",
    "text_block",
    "metrics_block",
    "note_block",
    "finding_block",
]


def _cell(v: Any, digits: int | None) -> Any:
    if v is pd.NA or v is pd.NaT:  # missing values of nullable columns: JSON null, not a crash
        return None
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
    year: int | str | None = None,
) -> dict[str, Any]:
    """A table block from a labelled result; numbers rounded to `digits` for display.

    The index becomes the first column (MultiIndex levels are joined with " / ").

    Parameters
    ----------
    df : DataFrame or Series
        The labelled result.
    zh, en : str
        Caption in Chinese and English.
    unit : str
        Unit of the numbers.
    digits : int or None
        Decimals kept (None: full precision).
    index : bool
        Show the index as the first column.
    source : str
        Dataset spec(s) and method the numbers come from.
    year : int or str, optional
        Year (or period, e.g. ``"1995–2011"``) of the data; stored only when given.

    Returns
    -------
    dict
        ``{"kind": "table", "caption", "unit", "source", "columns", "rows"}`` (+ ``"year"``).
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
    } | ({"year": year} if year is not None else {})


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


def note_block(*, zh: str, en: str, kind: str = "caveat") -> dict[str, Any]:
    """A bilingual note (caveat, method or data remark), shown apart from the main text.

    Parameters
    ----------
    zh, en : str
        The note in Chinese and English.
    kind : str
        What the note is: ``"caveat"``, ``"method"`` or ``"data"``.

    Returns
    -------
    dict
        ``{"kind": "note", "note_kind", "zh", "en"}``.

    Examples
    --------
    >>> note_block(zh="不含港澳台", en="excludes HK, Macao, Taiwan")["kind"]
    'note'
    """
    return {"kind": "note", "note_kind": kind, "zh": zh, "en": en}


def finding_block(
    *,
    zh: str,
    en: str,
    value: Any = None,
    unit: str = "",
    year: int | str | None = None,
    source: str = "",
    benchmark: dict[str, Any] | str | None = None,
) -> dict[str, Any]:
    """A key finding: one sentence, its number, and where the number comes from.

    Parameters
    ----------
    zh, en : str
        The finding in Chinese and English.
    value : number or str, optional
        The headline number.
    unit : str
        Unit of `value`.
    year : int or str, optional
        Year (or period) of the number.
    source : str
        Dataset spec and method.
    benchmark : dict or str, optional
        What the number is compared with, e.g. ``{"label": "world median", "value": 0.3}``.

    Returns
    -------
    dict
        ``{"kind": "finding", "zh", "en", "value", "unit", "year", "source", "benchmark"}``.

    Examples
    --------
    >>> b = finding_block(zh="进口依赖高", en="high import dependence", value=0.4567891,
    ...                   unit="share", year=2020, source="china-io:2020-42")
    >>> b["value"], b["year"]
    (0.4568, 2020)
    """
    return {
        "kind": "finding",
        "zh": zh,
        "en": en,
        "value": _cell(value, 4),
        "unit": unit,
        "year": year,
        "source": source,
        "benchmark": benchmark,
    }
