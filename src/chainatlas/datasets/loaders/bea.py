"""Loader for ``bea-io``: US BEA input–output accounts (via USEPA useeior), 2017 schema.

Specs
-----
* ``bea-io:2017-detail`` — the 2017 detail Use (producer prices, before redefinitions) and Make
  tables: 402 industries × 402 commodities, USD million, as :class:`SupplyUseTables`.
* ``bea-io:YEAR-summary`` (2012–2023) — the summary Use and Make tables (71 industries ×
  73 commodities), same container.
* ``bea-io:crosswalk`` — ``MasterCrosswalk2017``: DataFrame with columns ``sector``,
  ``summary``, ``detail`` (BEA 2017 codes), ``naics_2017``, ``naics_2012`` (NAICS codes of 2 to
  6 digits, as published).

Use tables are commodities (rows) × industries (columns) with final-demand columns
(``F…``) and value-added rows (``V…``); totals (``T…``) and unnamed columns are left out and
recomputed where needed. Industries and commodities are those named in the code-name tables.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pandas as pd

from chainatlas.datasets.registry import data_path, get_dataset
from chainatlas.provenance import Provenance

DATASET = "bea-io"
UNIT = "USD million"
YEARS = tuple(range(2012, 2024))


@dataclass(frozen=True, eq=False)
class SupplyUseTables:
    """BEA Use and Make tables of one year and level (immutable).

    Attributes
    ----------
    use : DataFrame, (commodities, industries)
        Intermediate use of each commodity by each industry, USD million.
    final_demand : DataFrame, (commodities, final-demand categories)
    value_added : DataFrame, (value-added items, industries)
    make : DataFrame, (industries, commodities)
        Output of each commodity by each industry.
    industries, commodities : DataFrame
        Code-name tables indexed by code: column ``name``.
    level : {"detail", "summary"}
    year : int
    provenance : Provenance
    """

    use: pd.DataFrame
    final_demand: pd.DataFrame
    value_added: pd.DataFrame
    make: pd.DataFrame
    industries: pd.DataFrame
    commodities: pd.DataFrame
    level: str
    year: int
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"SupplyUseTables({self.level} {self.year}: {len(self.industries)} industries × "
            f"{len(self.commodities)} commodities, {UNIT})"
        )


@functools.cache
def _rda(file: str, progress: bool = True) -> pd.DataFrame:
    import rdata

    path = data_path(DATASET, file, progress=progress)
    obj = rdata.read_rda(path)
    return next(iter(obj.values()))


def _names(level: str, what: str, progress: bool) -> pd.DataFrame:
    d = _rda(f"{level.capitalize()}_{what}CodeName_2017.rda", progress)
    out = pd.DataFrame(
        {"name": d.iloc[:, 1].astype(str).to_numpy()}, index=d.iloc[:, 0].astype(str)
    )
    out.index.name = "code"
    return out


def _tables(level: str, year: int, progress: bool) -> SupplyUseTables:
    lv = level.capitalize()
    use_f = f"{lv}_Use_{year}_PRO_BeforeRedef_17sch.rda"
    make_f = f"{lv}_Make_{year}_BeforeRedef_17sch.rda"
    U = _rda(use_f, progress)
    M = _rda(make_f, progress)
    ind = _names(level, "Industry", progress)
    com = _names(level, "Commodity", progress)
    ind = ind[ind.index.isin(U.columns) & ind.index.isin(M.index)]
    com = com[com.index.isin(U.index) & com.index.isin(M.columns)]
    fd_cols = [c for c in U.columns if re.match(r"^F\d", str(c))]
    va_rows = [r for r in U.index if re.match(r"^V\d", str(r))]
    ds = get_dataset(DATASET)
    files = tuple((f, ds.file(f).sha256) for f in (use_f, make_f))
    prov = Provenance(
        source=f"{DATASET}:{year}-{level}",
        files=files,
        steps=(f"BEA {level} Use (producer prices, before redefinitions) and Make {year}",),
        licence=ds.licence,
        citation=ds.citation,
    )
    return SupplyUseTables(
        use=U.loc[com.index, ind.index].astype(float),
        final_demand=U.loc[com.index, fd_cols].astype(float),
        value_added=U.loc[va_rows, ind.index].astype(float),
        make=M.loc[ind.index, com.index].astype(float),
        industries=ind,
        commodities=com,
        level=level,
        year=year,
        provenance=prov,
    )


def crosswalk(*, progress: bool = True) -> pd.DataFrame:
    """MasterCrosswalk2017: sector, summary, detail, naics_2017, naics_2012 (strings)."""
    d = _rda("MasterCrosswalk2017.rda", progress)
    return pd.DataFrame(
        {
            "sector": d["BEA_2017_Sector_Code"].astype(str).to_numpy(),
            "summary": d["BEA_2017_Summary_Code"].astype(str).to_numpy(),
            "detail": d["BEA_2017_Detail_Code"].astype(str).to_numpy(),
            "naics_2017": d["NAICS_2017_Code"].astype(str).to_numpy(),
            "naics_2012": d["NAICS_2012_Code"].astype(str).to_numpy(),
        }
    )


def SPECS() -> list[str]:
    """Valid keys: 2017-detail, YEAR-summary (2012–2023), crosswalk."""
    return ["2017-detail", *[f"{y}-summary" for y in YEARS], "crosswalk"]


def load(key: str, *, progress: bool = True) -> object:
    """Load Use/Make tables (SupplyUseTables) or the NAICS crosswalk (DataFrame)."""
    if key == "crosswalk":
        return crosswalk(progress=progress)
    year, level = key.split("-")
    return _tables(level, int(year), progress)
