"""Loader for ``china-industry-chain-kg``: the A-share industry-chain knowledge graph (2021).

Pure parsing of the JSON-lines files into DataFrames with stable, documented columns; graphs are
built elsewhere (chains, ecosystems). Industries follow the Shenwan 2021 classification
(申万行业分类 2021: 31 level-1, 134 level-2, 346 level-3 industries).

Functions (all return new DataFrames)
-------------------------------------
* :func:`companies` — ``code`` (6-digit symbol), ``ts_code`` (``600000.SH``; from the code's
  own suffix where the file gives one, else from the exchange; NaN when neither is known), ``name``, ``full_name``, ``exchange``, ``list_date``.
* :func:`company_industry` — ``ts_code``, ``company_name``, ``industry_code``, ``industry_name``.
* :func:`industries` — ``code``, ``name``, ``level`` (1/2/3 from the code: ``xx0000`` level 1,
  ``xxxx00`` level 2, else level 3), ``l1_code``.
* :func:`industry_hierarchy` — ``child_code``, ``child_name``, ``parent_code``, ``parent_name``.
* :func:`industry_upstream` — ``industry``, ``upstream`` (names), ``weight`` (the file's
  integer count), ``industry_code``, ``upstream_code`` (by exact name; NaN if the name is not in
  ``industry.json``).
* :func:`products` — ``name``.

Specs: ``china-industry-chain-kg:companies``, ``:company-industry``, ``:industries``,
``:hierarchy``, ``:upstream``, ``:products`` (each a DataFrame).
"""

from __future__ import annotations

import functools

import pandas as pd

from chainatlas.datasets.registry import data_path

DATASET = "china-industry-chain-kg"

_EXCHANGE_SUFFIX = {"深圳证券交易所": "SZ", "上海证券交易所": "SH", "北京证券交易所": "BJ"}


@functools.cache
def _read(file: str, progress: bool = True) -> pd.DataFrame:
    path = data_path(DATASET, file, progress=progress)
    return pd.read_json(path, lines=True, dtype=False)


def companies(*, progress: bool = True) -> pd.DataFrame:
    """Listed companies (4,654 rows): code, ts_code, name, full_name, exchange, list_date."""
    d = _read("company.json", progress)
    raw = d["code"].astype(str)
    code = raw.str.extract(r"^(\d+)", expand=False).str.zfill(6)
    given = raw.str.extract(r"\.(SZ|SH|BJ)$", expand=False)  # some codes carry a suffix
    exch = d["location"].where(d["location"].isin(list(_EXCHANGE_SUFFIX)))
    suffix = given.fillna(exch.map(_EXCHANGE_SUFFIX))
    return pd.DataFrame(
        {
            "code": code,
            "ts_code": (code + "." + suffix).where(suffix.notna()),
            "name": d["name"].astype(str),
            "full_name": d["fullname"].astype(str),
            "exchange": exch,
            "list_date": d["time"].astype(str),
        }
    )


def company_industry(*, progress: bool = True) -> pd.DataFrame:
    """Company → Shenwan industry (4,430 rows): ts_code, company_name, industry_code/name."""
    d = _read("company_industry.json", progress)
    return pd.DataFrame(
        {
            "ts_code": d["company_code"].astype(str),
            "company_name": d["company_name"].astype(str),
            "industry_code": d["industry_code"].astype(str).str.zfill(6),
            "industry_name": d["industry_name"].astype(str),
        }
    )


def industries(*, progress: bool = True) -> pd.DataFrame:
    """Shenwan 2021 industries (511 rows): code, name, level, l1_code."""
    d = _read("industry.json", progress)
    code = d["code"].astype(str).str.zfill(6)
    level = (
        pd.Series(3, index=d.index)
        .mask(code.str.endswith("00"), 2)
        .mask(code.str.endswith("0000"), 1)
    )
    return pd.DataFrame(
        {
            "code": code,
            "name": d["name"].astype(str),
            "level": level,
            "l1_code": code.str[:2] + "0000",
        }
    )


def industry_hierarchy(*, progress: bool = True) -> pd.DataFrame:
    """Parent links (480 rows): child_code, child_name, parent_code, parent_name."""
    d = _read("industry_industry.json", progress)
    return pd.DataFrame(
        {
            "child_code": d["from_code"].astype(str).str.zfill(6),
            "child_name": d["from_industry"].astype(str),
            "parent_code": d["to_code"].astype(str).str.zfill(6),
            "parent_name": d["to_industry"].astype(str),
        }
    )


def industry_upstream(*, progress: bool = True) -> pd.DataFrame:
    """Weighted upstream links: industry, upstream, weight, industry_code, upstream_code."""
    d = _read("industry_up.json", progress)
    rows = [
        (ind, up, int(w))
        for ind, ups in zip(d["industry"], d["ups"], strict=True)
        for up, w in ups.items()
    ]
    out = pd.DataFrame(rows, columns=["industry", "upstream", "weight"])
    names = industries(progress=progress)
    unique = names.drop_duplicates("name", keep=False).set_index("name")["code"]
    out["industry_code"] = out["industry"].map(unique)
    out["upstream_code"] = out["upstream"].map(unique)
    return out


def products(*, progress: bool = True) -> pd.DataFrame:
    """Product names (95,559 rows): name."""
    d = _read("product.json", progress)
    return pd.DataFrame({"name": d["name"].astype(str)})


_SPECS = {
    "companies": companies,
    "company-industry": company_industry,
    "industries": industries,
    "hierarchy": industry_hierarchy,
    "upstream": industry_upstream,
    "products": products,
}


def SPECS() -> list[str]:
    """Valid keys: companies, company-industry, industries, hierarchy, upstream, products."""
    return list(_SPECS)


def load(key: str, *, progress: bool = True) -> pd.DataFrame:
    """Load one table of the knowledge graph as a DataFrame (see module docs for columns)."""
    return _SPECS[key](progress=progress)
