"""Loader for ``eto-semiconductor`` (先进半导体供应链): CSET ETO Advanced Semiconductor Supply Chain.

Files (CSV, UTF-8, some with a byte-order mark): ``inputs.csv`` (79 inputs: processes, tools,
materials and the finished chip, with their stage), ``stages.csv`` (3 stages: design,
fabrication, assembly/testing/packaging), ``providers.csv`` (274 organisations with a country, and
20 country providers), ``provision.csv`` (660 provider → input/stage rows with a market share in
percent where the source gives one and a "negligible" flag) and ``sequence.csv`` (93 input → input
edges: ``goes_into`` and ``is_type_of``).

Parsing only: ``share_provided`` ("61%") becomes ``share`` (0.61, NaN when not given) and
``negligible_market_share`` becomes a boolean ``negligible``; nothing else is changed.

Licence: CC BY-NC 4.0 — **non-commercial use only** (仅限非商业用途).

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

__all__ = ["SPECS", "load", "FILES", "LICENCE_NOTE"]

DATASET = "eto-semiconductor"
LICENCE_NOTE = (
    "ETO Advanced Semiconductor Supply Chain data (CSET, Georgetown): CC BY-NC 4.0 — "
    "non-commercial use only / 仅限非商业用途"
)

#: file -> required columns
FILES: dict[str, list[str]] = {
    "inputs.csv": ["input_name", "input_id", "type", "stage_name", "stage_id", "description"],
    "stages.csv": ["stage_id", "stage_name", "description"],
    "providers.csv": ["provider_name", "provider_id", "provider_type", "country"],
    "provision.csv": [
        "provider_name",
        "provider_id",
        "provided_name",
        "provided_id",
        "share_provided",
        "negligible_market_share",
    ],
    "sequence.csv": [
        "input_name",
        "input_id",
        "goes_into_name",
        "goes_into_id",
        "is_type_of_name",
        "is_type_of_id",
    ],
}


def SPECS() -> list[str]:  # noqa: N802  (name fixed by the loader protocol)
    """The dataset has one object: key ``""``."""
    return [""]


def _read(name: str, progress: bool) -> tuple[pd.DataFrame, tuple[str, str]]:
    path = data_path(DATASET, name, progress=progress)
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False, na_values=[""])
    missing = [c for c in FILES[name] if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{DATASET}/{name} lacks columns {missing}",
            received=list(df.columns),
            fix="re-fetch the file (chainatlas datasets fetch eto-semiconductor)",
        )
    return df, (name, file_sha256(path))


def _share(text: pd.Series) -> pd.Series:
    s = text.str.strip().str.rstrip("%")
    out = pd.to_numeric(s, errors="coerce") / 100.0
    bad = text.notna() & out.isna()
    if bad.any():
        raise SchemaError(
            "provision.csv: share_provided is not a percentage",
            received=text[bad].tolist()[:5],
        )
    return out


def load(key: str = "", *, progress: bool = True) -> object:
    """Load the semiconductor supply-chain tables into a frozen container.

    Returns
    -------
    chainatlas.chains.semiconductor.SemiconductorChain
        DataFrames ``inputs``, ``stages``, ``providers``, ``provision`` (with parsed ``share`` and
        ``negligible``) and ``sequence``, plus a provenance naming the CC BY-NC 4.0 licence.

    Raises
    ------
    UnknownDatasetError
        A key other than ``""``.
    SchemaError
        A file lacks a required column or has a malformed share.
    """
    from chainatlas.chains.semiconductor import SemiconductorChain

    if key != "":
        raise UnknownDatasetError(
            f"eto-semiconductor has no key {key!r}", fix="use the spec 'eto-semiconductor'"
        )
    frames: dict[str, pd.DataFrame] = {}
    hashes = []
    for name in FILES:
        df, h = _read(name, progress)
        frames[name.removesuffix(".csv")] = df
        hashes.append(h)
    prov = frames["provision"]
    prov["share"] = _share(prov["share_provided"])
    prov["negligible"] = prov["negligible_market_share"].fillna("").str.strip().eq("negligible")
    ds = get_dataset(DATASET)
    return SemiconductorChain(
        inputs=frames["inputs"],
        stages=frames["stages"],
        providers=frames["providers"],
        provision=prov,
        sequence=frames["sequence"],
        provenance=Provenance(
            source=DATASET,
            files=tuple(hashes),
            steps=("parsed share_provided to fractions; negligible flag to boolean",),
            licence=ds.licence,
            citation=ds.citation,
            extra=(("licence_note", LICENCE_NOTE),),
        ),
    )
