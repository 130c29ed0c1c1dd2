"""Render a report context to self-contained HTML (plotly.js embedded, works offline) or JSON."""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chainatlas._atomic import write_atomic
from chainatlas.report.labels import display_label

__all__ = ["render_html", "to_jsonable", "write_atomic", "dumps_json"]


def to_jsonable(obj: Any) -> Any:
    """Convert a context (dicts, lists, pandas and numpy objects) to plain JSON types.

    DataFrames become lists of records (index included), Series become dicts, NaN becomes None.

    Examples
    --------
    >>> to_jsonable({"a": pd.Series([1.0, float("nan")], index=["x", "y"])})
    {'a': {'x': 1.0, 'y': None}}
    """
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, pd.DataFrame):
        frame = obj.reset_index() if not isinstance(obj.index, pd.RangeIndex) else obj
        frame.columns = [
            " / ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in frame.columns
        ]
        return [to_jsonable(r) for r in frame.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return {
            (" / ".join(map(str, k)) if isinstance(k, tuple) else str(k)): to_jsonable(v)
            for k, v in obj.items()
        }
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "to_dict") and callable(obj.to_dict):
        return to_jsonable(obj.to_dict())
    return obj


def dumps_json(obj: Any) -> str:
    """JSON text of a context, UTF-8 (Chinese kept readable)."""
    return json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2)


def format_number(value: Any) -> str:
    """Display text of a number: thousands separators, at most 4 decimals, no float noise.

    JSON output keeps full precision; only the HTML and terminal tables use this.

    Examples
    --------
    >>> format_number(26990278045.4323), format_number(1.21914), format_number(2020)
    ('26,990,278,045', '1.2191', '2020')
    >>> format_number(7.2e-16), format_number(-0.000123456)
    ('7.2e-16', '-0.0001235')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return str(value)
    v = float(value)
    if math.isnan(v) or math.isinf(v):
        return "—"
    if v == int(v) and abs(v) < 1e15:  # whole numbers; years (< 10,000) keep no separator
        return f"{int(v):,}" if abs(v) >= 10_000 else str(int(v))
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 0.01:
        return f"{v:,.4f}".rstrip("0").rstrip(".")
    return f"{v:.4g}"


def render_html(context: dict[str, Any], *, template: str = "report.html.j2") -> str:
    """Render a report context to one self-contained HTML page (no network needed to view)."""
    import jinja2
    from plotly.offline import get_plotlyjs

    src = resources.files("chainatlas.report").joinpath("templates", template).read_text("utf-8")
    env = jinja2.Environment(autoescape=jinja2.select_autoescape(default=True))
    env.filters["num"] = format_number
    env.filters["label"] = display_label
    env.filters["tojson_safe"] = lambda v: json.dumps(to_jsonable(v), ensure_ascii=False).replace(
        "</", "<\\/"
    )
    return env.from_string(src).render(ctx=to_jsonable(context), plotlyjs=get_plotlyjs())
