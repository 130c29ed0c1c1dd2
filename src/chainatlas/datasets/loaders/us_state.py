"""Loader for ``us-state-industry``: SUSB 2021, 50 states + DC × 20 NAICS sectors.

Specs: ``us-state-industry:employment``, ``:establishments``, ``:firms``, ``:payroll`` — each a
:class:`~chainatlas.clusters.regional.RegionIndustry` of 51 regions (states and DC, labelled by
name; the US total row is left out) × 20 two-digit NAICS sectors (``31-33`` etc. as published),
classification ``"naics-2017-sector"``. Payroll is in $1,000. Cells with a noise flag are used as
published (SUSB adds noise for disclosure; flags G/H/J = low/moderate/high noise).
"""

from __future__ import annotations

import functools

import pandas as pd

from chainatlas.datasets.registry import data_path, get_dataset
from chainatlas.provenance import Provenance

DATASET = "us-state-industry"
FILE = "us_state_2digitnaics_2021.csv"
CLASSIFICATION = "naics-2017-sector"

_MEASURES = {
    "employment": ("Employment", "employment", "persons"),
    "establishments": ("Establishments", "establishments", "establishments"),
    "firms": ("Firms", "firms", "firms"),
    "payroll": ("Annual_Payroll_($1,000)", "annual payroll", "$1,000"),
}


@functools.cache
def _raw(progress: bool = True) -> pd.DataFrame:
    path = data_path(DATASET, FILE, progress=progress)
    return pd.read_csv(path, dtype=str, encoding="utf-8-sig")


def SPECS() -> list[str]:
    """Valid keys: employment, establishments, firms, payroll."""
    return list(_MEASURES)


def load(key: str, *, progress: bool = True) -> object:
    """Load one SUSB measure as a RegionIndustry (states × NAICS sectors)."""
    from chainatlas.clusters.regional import RegionIndustry

    col, measure, unit = _MEASURES[key]
    d = _raw(progress)
    d = d[(d["State"] != "00") & (d["Enterprise_Size"].str.startswith("01"))]
    ri = RegionIndustry.from_long(
        d.assign(value=pd.to_numeric(d[col])),
        region="State_Name",
        industry="NAICS",
        value="value",
        measure=measure,
        unit=unit,
        source=DATASET,
        classification=CLASSIFICATION,
    )
    ds = get_dataset(DATASET)
    f = ds.file(FILE)
    inds = (
        d.drop_duplicates("NAICS")
        .set_index("NAICS")["NAICS_Description"]
        .reindex(ri.values.columns)
        .rename("name_en")
        .to_frame()
    )
    regs = (
        d.drop_duplicates("State_Name")
        .set_index("State_Name")["State"]
        .reindex(ri.values.index)
        .rename("fips")
        .to_frame()
    )
    prov = Provenance(
        source=f"{DATASET}:{key}",
        files=((f.name, f.sha256),),
        steps=(f"SUSB 2021 {measure} by state × NAICS sector; US total row left out",),
        licence=ds.licence,
        citation=ds.citation,
    )
    return RegionIndustry(
        values=ri.values,
        measure=measure,
        unit=unit,
        provenance=prov,
        classification=CLASSIFICATION,
        regions=regs,
        industries=inds,
    )
