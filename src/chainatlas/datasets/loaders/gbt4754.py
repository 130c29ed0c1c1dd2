"""Loader for ``gbt4754-2017``: China's industrial classification GB/T 4754-2017 (国民经济行业分类).

``category.js`` is a JavaScript array of ``{class1, class2, class3, class4, level, name, remark}``
records (unquoted keys, single-quoted strings). It is parsed with a small tokenizer (no JS
engine): keys are quoted and single-quoted strings are re-encoded as JSON strings.

Specs (each a DataFrame)
------------------------
* ``gbt4754-2017:all`` — every record: ``level`` (1 section, 2 division, 3 group, 4 class),
  ``code`` (``A``, ``01``, ``011``, ``0111``), ``section``, ``division``, ``group``,
  ``name`` (Chinese), ``remark``.
* ``gbt4754-2017:sections`` (20), ``:divisions`` (97), ``:groups``, ``:classes`` (1,380) —
  the records of one level, indexed by ``code``.
"""

from __future__ import annotations

import functools
import json
import re

import pandas as pd

from chainatlas.datasets.registry import data_path
from chainatlas.errors import SchemaError

DATASET = "gbt4754-2017"
FILE = "category.js"

_STR = re.compile(r"'((?:[^'\\]|\\.)*)'")
_KEY = re.compile(r"([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:")
_LEVELS = {"sections": 1, "divisions": 2, "groups": 3, "classes": 4}


def _to_json(text: str) -> str:
    start, end = text.find("["), text.rfind("]")
    if start < 0 or end < 0:
        raise SchemaError("category.js holds no JavaScript array", fix="check the source file")
    body = text[start : end + 1]
    body = _STR.sub(lambda m: json.dumps(m.group(1).replace("\\'", "'")), body)
    body = _KEY.sub(lambda m: f'{m.group(1)}"{m.group(2)}":', body)
    return re.sub(r",(\s*[}\]])", r"\1", body)


@functools.cache
def _records(progress: bool = True) -> pd.DataFrame:
    path = data_path(DATASET, FILE, progress=progress)
    recs = json.loads(_to_json(path.read_text(encoding="utf-8")))
    d = pd.DataFrame.from_records(recs).fillna("")
    level = d["level"].astype(int)
    code = d["class4"].where(level == 4, d["class3"].where(level == 3, d["class2"]))
    code = code.where(level != 1, d["class1"])
    return pd.DataFrame(
        {
            "level": level,
            "code": code.astype(str),
            "section": d["class1"].astype(str),
            "division": d["class2"].astype(str),
            "group": d["class3"].astype(str),
            "name": d["name"].astype(str).str.strip(),
            "remark": d["remark"].astype(str),
        }
    )


def SPECS() -> list[str]:
    """Valid keys: all, sections, divisions, groups, classes."""
    return ["all", *_LEVELS]


def load(key: str, *, progress: bool = True) -> pd.DataFrame:
    """Load all records or one level (indexed by code)."""
    d = _records(progress)
    if key == "all":
        return d.copy()
    out = d[d["level"] == _LEVELS[key]].drop_duplicates("code")
    return out.set_index("code", drop=False).copy()
