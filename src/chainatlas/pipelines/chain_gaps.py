"""Chain-gap pipeline (补链): load the data the chain-gap analysis needs, run it, build contexts.

Data (2017):

* firms — ``cn-listed-companies`` (listed and delisted A-share firms, to March 2026) joined with
  ``china-industry-chain-kg`` (company → Shenwan-2021 industry) through ``ts_code``; flags
  ``ST``/``*ST`` from the short name, ``delisted`` from the status;
* gross output and supply shares by province × 42 sectors — ``china-provincial-io:2017``;
* the national Leontief inverse — ``china-io:2017-42`` (domestic block of the non-competitive
  table; the same NBS 2017 42-sector scheme as the provincial tables).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["firm_table", "gap_inputs", "YEAR", "DATASETS"]

YEAR = 2017
DATASETS = ["cn-listed-companies", "china-industry-chain-kg", "china-provincial-io:2017",
            "china-io:2017-42"]  # fmt: skip


@functools.cache
def _firm_table() -> pd.DataFrame:
    from chainatlas.datasets.loaders import chain_kg, cn_listed

    f = cn_listed.listed_firms(include_delisted=True, progress=False)
    ci = chain_kg.company_industry(progress=False)[["ts_code", "industry_name"]]
    j = f.merge(ci.drop_duplicates("ts_code"), on="ts_code", how="left")
    j = j.rename(columns={"industry_name": "kg_industry"})
    flag = pd.Series(pd.NA, index=j.index, dtype=object)
    flag[j["name"].str.startswith("ST")] = "ST"
    flag[j["name"].str.startswith("*ST")] = "*ST"
    flag[j["status"] == "D"] = "delisted"
    j["flag"] = flag
    j.attrs["stats"] = {
        "firms": len(j),
        "listed": int((j["status"] == "L").sum()),
        "with_kg_industry": int(j["kg_industry"].notna().sum()),
        "without_kg_industry": int(j["kg_industry"].isna().sum()),
        "without_province": int(j["province"].isna().sum()),
        "flagged": {k: int(v) for k, v in j["flag"].value_counts().items()},
    }
    return j


def firm_table() -> pd.DataFrame:
    """Firms with ``ts_code``, ``name``, ``province`` (io_code), ``kg_industry`` (Shenwan-2021
    level 3, NaN when the KG lacks the firm), ``status`` (L/D), ``flag`` (ST, *ST, delisted or
    NA); ``attrs["stats"]`` counts the join."""
    out = _firm_table().copy()
    out.attrs = {"stats": dict(_firm_table().attrs["stats"])}
    return out


def _sector_code(label: object) -> str:
    text = str(label)
    return text[3:] if text.startswith("sec") else text.zfill(2)


@functools.cache
def _provincial(year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gross output (province × sector) and supply shares (province, sector) → local, inflow,
    import, under the proportional assumption (use U = intermediate + final use + EX + OF)."""
    import rdata

    from chainatlas.datasets.registry import data_path
    from chainatlas.geo import to_province_code

    raw = rdata.read_rda(data_path("china-provincial-io", f"io{year}.rda", progress=False))
    secs = [f"sec{i:02d}" for i in range(1, 43)]
    uses = [*secs, "FU101", "FU102", "FU103", "FU201", "FU202", "EX", "OF"]
    go, dep = {}, {}
    for name, df in raw[f"io{year}"].items():
        code = to_province_code(str(name))
        rows = df.set_index("sec").loc[secs]
        use = rows[uses].astype(float).sum(axis=1).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            inflow = np.where(use > 0, rows["IF"].astype(float).to_numpy() / use, 0.0)
            imp = np.where(use > 0, rows["IM"].astype(float).to_numpy() / use, 0.0)
        go[code] = rows["GO"].astype(float).to_numpy()
        idx = [_sector_code(s) for s in secs]
        dep[code] = pd.DataFrame({"local": 1 - inflow - imp, "inflow": inflow, "import": imp}, idx)
    output = pd.DataFrame(go, index=[_sector_code(s) for s in secs]).T
    dependence = pd.concat(dep, names=["province", "sector"])
    return output, dependence


def gap_inputs(year: int = YEAR) -> dict[str, Any]:
    """Everything :func:`chainatlas.chains.gaps.chain_gaps` needs for `year` (2017 only).

    Returns
    -------
    dict
        ``firms`` (:func:`firm_table`), ``output`` (province × sector gross output, 10,000
        yuan), ``dependence`` (supply shares), ``L`` (national Leontief inverse, 2017-42).
    """
    from chainatlas.datasets import load

    if year != YEAR:
        from chainatlas.errors import InputError

        raise InputError(
            "the chain templates use the NBS 2017 42-sector scheme",
            received=year,
            fix="use year 2017 (the 2012 and 2002/2007 schemes differ)",
        )
    output, dependence = _provincial(year)
    L = load(f"china-io:{year}-42", progress=False).L
    return {"firms": firm_table(), "output": output, "dependence": dependence, "L": L}
