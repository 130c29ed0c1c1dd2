"""Loader for ``concordance`` (分类对照表): classification descriptions and concordances.

Source: the R package *concordance* (Kim, Liao & Imai; insongkim/concordance, MIT). Each file is
one data frame of strings, returned as a pandas DataFrame with its columns unchanged:

* descriptions (``code``, ``desc``): ``sitc2_desc``, ``hs0_desc``, ``hs4_desc``, ``isic3_desc``,
  ``isic4_desc``, ``naics2017_desc``;
* concordances (one column per classification and digit level, e.g. ``SITC2_4d``, ``NAICS_6d``):
  ``hs0_sitc2``, ``hs_isic4``, ``sitc2_naics``, ``sitc2_isic2``, ``naics2017_isic4``,
  ``isic4_isic3``.

Specs: ``concordance:NAME`` with NAME one of :data:`FILES` (e.g. ``concordance:sitc2_desc``).
Parsing only: codes stay strings (leading zeros kept); no row is dropped or changed.

Examples
--------
>>> "sitc2_desc" in SPECS()
True
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from chainatlas.datasets.registry import data_path, file_sha256, get_dataset
from chainatlas.errors import SchemaError, UnknownDatasetError, suggest
from chainatlas.provenance import Provenance

__all__ = ["SPECS", "load", "FILES", "descriptions"]

DATASET = "concordance"

#: spec key -> file name
FILES: dict[str, str] = {
    "sitc2_desc": "sitc2_desc.RData",
    "hs0_desc": "hs0_desc.RData",
    "hs4_desc": "hs4_desc.RData",
    "isic3_desc": "isic3_desc.RData",
    "isic4_desc": "isic4_desc.RData",
    "naics2017_desc": "naics2017_desc.RData",
    "hs0_sitc2": "hs0_sitc2.RData",
    "hs_isic4": "hs_isic4.RData",
    "sitc2_naics": "sitc2_naics.RData",
    "sitc2_isic2": "sitc2_isic2.RData",
    "naics2017_isic4": "naics2017_isic4.RData",
    "isic4_isic3": "isic4_isic3.RData",
}


def SPECS() -> list[str]:  # noqa: N802  (name fixed by the loader protocol)
    """Spec keys: one per file (see :data:`FILES`)."""
    return list(FILES)


def load(key: str, *, progress: bool = True) -> Any:
    """Load one description or concordance table as a DataFrame of strings.

    The frame's ``attrs["provenance"]`` holds a :class:`~chainatlas.provenance.Provenance`.

    Raises
    ------
    UnknownDatasetError
        Unknown key.
    SchemaError
        The file does not hold exactly one data frame.
    """
    if key not in FILES:
        raise UnknownDatasetError(
            f"unknown concordance table {key!r}", fix=suggest(key, FILES) + f" Valid: {list(FILES)}"
        )
    fname = FILES[key]
    path = data_path(DATASET, fname, progress=progress)  # verifies the sha256 on every call
    return _parse(str(path), key).copy(deep=True)


@functools.cache
def _parse(path_str: str, key: str) -> pd.DataFrame:
    """Parse one file once per process (callers get copies)."""
    import rdata

    path = Path(path_str)
    fname = path.name
    from chainatlas.datasets._rda_frames import UnsupportedRda, read_rda_frames

    try:  # the fast data-frame reader (checked against rdata in tests); rdata as fallback
        parsed: dict[str, Any] = dict(read_rda_frames(path))
    except UnsupportedRda:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Missing constructor", category=UserWarning)
            parsed = rdata.read_rda(str(path))
    frames = [v for v in parsed.values() if isinstance(v, pd.DataFrame)]
    if len(frames) != 1:
        raise SchemaError(
            f"{fname} should hold one data frame", received=list(parsed), fix="re-fetch the file"
        )
    frame = frames[0].reset_index(drop=True)
    frame = frame.astype({c: "str" for c in frame.columns})
    frame.columns = [str(c) for c in frame.columns]
    frame.attrs = {}
    ds = get_dataset(DATASET)
    frame.attrs["provenance"] = Provenance(
        source=f"{DATASET}:{key}",
        files=((fname, file_sha256(path)),),
        licence=ds.licence,
        citation=ds.citation,
    )
    return frame


def descriptions(key: str = "sitc2_desc", *, digits: int | None = None) -> pd.Series:
    """Code → description Series from a ``*_desc`` table (first description of each code).

    Parameters
    ----------
    key : str
        A description table, e.g. ``"sitc2_desc"``.
    digits : int, optional
        Keep only codes of this length (e.g. 4 for SITC four-digit products).
    """
    frame = load(key, progress=False)
    if list(frame.columns) != ["code", "desc"]:
        raise SchemaError(
            f"{key} is not a description table",
            received=list(frame.columns),
            fix="use a *_desc key",
        )
    if digits is not None:
        frame = frame[frame["code"].str.len() == digits]
    out = frame.drop_duplicates("code").set_index("code")["desc"]
    out.index.name = "code"
    out.name = "description"
    return out
