"""Loader for Apple's published supplier lists 2012–2022 (苹果供应商名单), parsing only.

``apple-supplier-list.csv`` (CommonWealth Magazine, cwgrouptw/data) has one row per supplier
facility and year: ``year``, ``supplier_name`` (as published; not normalised across years),
``country_area`` (CommonWealth's region, Chinese), ``country`` and ``supplier_address`` (the
facility's province or state; 2020–2022 give only the province/state). Apple published no list
for 2019. The 16 rows of 2020 whose address is the string ``NA`` get a missing province.

The single spec is ``apple-suppliers`` (empty key). Normalisation of supplier names lives in
:mod:`chainatlas.ecosystems.apple`.

Examples
--------
>>> SPECS()
['']
"""

from __future__ import annotations

import pandas as pd

from chainatlas.datasets.registry import data_path, file_sha256, get_dataset
from chainatlas.errors import SchemaError, UnknownDatasetError
from chainatlas.provenance import Provenance

__all__ = ["SPECS", "load", "FILE", "COLUMNS"]

DATASET = "apple-suppliers"
FILE = "apple-supplier-list.csv"
COLUMNS = ["year", "supplier_name", "country_area", "country", "supplier_address"]


def SPECS() -> list[str]:  # noqa: N802  (name fixed by the loader protocol)
    """The one spec key (``""``)."""
    return [""]


def load(key: str = "", *, progress: bool = True) -> object:
    """Read the supplier-facility list as published.

    Returns
    -------
    chainatlas.ecosystems.apple.SupplierList
        ``facilities``: 7,558 rows with columns ``year`` (int), ``supplier_name``,
        ``country_area``, ``country``, ``province`` (the published ``supplier_address``; missing
        for the 16 ``NA`` rows of 2020), in file order; plus the provenance.

    Raises
    ------
    UnknownDatasetError
        A non-empty key.
    SchemaError
        The file does not have the documented columns.
    """
    from chainatlas.ecosystems.apple import SupplierList

    if key:
        raise UnknownDatasetError(
            f"apple-suppliers has no key {key!r}", fix="use the spec 'apple-suppliers'"
        )
    path = data_path(DATASET, FILE, progress=progress)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if list(raw.columns) != COLUMNS:
        raise SchemaError(
            f"{FILE} has unexpected columns", received=list(raw.columns), fix=f"expected {COLUMNS}"
        )
    frame = pd.DataFrame(
        {
            "year": raw["year"].astype(int).to_numpy(),
            "supplier_name": raw["supplier_name"].to_numpy(),
            "country_area": raw["country_area"].to_numpy(),
            "country": raw["country"].to_numpy(),
            "province": raw["supplier_address"].where(raw["supplier_address"] != "NA").to_numpy(),
        }
    )
    ds = get_dataset(DATASET)
    prov = Provenance(
        source=DATASET,
        files=((FILE, file_sha256(path)),),
        licence=ds.licence,
        citation=ds.citation,
        steps=("read supplier facilities as published ('NA' address -> missing province)",),
    )
    return SupplierList(facilities=frame, provenance=prov)
