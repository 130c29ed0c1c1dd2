"""Loader for ``world-trade-sitc`` (世界贸易数据): exports by country × SITC Rev.2 product, 1998–2000.

Source: the R package *economiccomplexity* (Vargas, pachadotdev/economiccomplexity, Apache-2.0),
files ``world_trade_avg_1998_to_2000.rda`` (124,336 rows: ``country``, ``product``, ``value``;
226 countries × 785 SITC Rev.2 four-digit products) and ``world_gdp_avg_1998_to_2000.rda``
(240 rows: ``country``, ``value`` = GDP per capita, USD).

Units (checked): the package's build script (``dev/world_trade_avg_1998_to_2000.R``) takes Open
Trade Statistics ``trade_value_usd`` for 1998–2000, converts it to constant 2000 dollars, averages
over the three years and rounds to whole dollars, so ``value`` is **USD (constant 2000 prices),
annual average**. Its totals are, however, far below world merchandise exports (world sum
USD 119.7 bn against about USD 5.6 tn in 1999; the USA USD 6.6 bn, Canada USD 9.1 bn), so the
extract covers only part of world trade: treat ``value`` as USD but interpret totals as *relative*
weights. :func:`chainatlas.complexity.clean_trade` therefore uses share-of-world thresholds by
default. The file has no population; GDP per capita is USD per person (1998–2000 average).

Spec: ``world-trade-sitc`` (one object, a :class:`~chainatlas.complexity.data.TradeData`).

Examples
--------
>>> SPECS()
['']
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from chainatlas.datasets.registry import data_path, file_sha256, get_dataset
from chainatlas.errors import SchemaError
from chainatlas.provenance import Provenance

__all__ = ["SPECS", "load", "UNIT", "TRADE_FILE", "GDP_FILE"]

DATASET = "world-trade-sitc"
TRADE_FILE = "world_trade_avg_1998_to_2000.rda"
GDP_FILE = "world_gdp_avg_1998_to_2000.rda"
UNIT = "USD (constant 2000 prices, 1998–2000 annual average; partial coverage of world trade)"


def SPECS() -> list[str]:  # noqa: N802  (name fixed by the loader protocol)
    """The one spec key of this dataset (``""``)."""
    return [""]


def _read(fname: str, progress: bool) -> tuple[pd.DataFrame, tuple[str, str]]:
    path = data_path(DATASET, fname, progress=progress)  # verifies the sha256 on every call
    frame, digest = _parse(str(path))
    return frame.copy(), digest


@functools.cache
def _parse(path_str: str) -> tuple[pd.DataFrame, tuple[str, str]]:
    """Parse an .rda once per process (rdata is slow on 124k strings: ~3 s)."""
    import rdata

    path = Path(path_str)
    fname = path.name
    from chainatlas.datasets._rda_frames import UnsupportedRda, read_rda_frames

    try:  # the fast data-frame reader (~0.3 s instead of ~3–15 s); rdata as fallback
        parsed: dict[str, Any] = dict(read_rda_frames(path))
    except UnsupportedRda:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Missing constructor", category=UserWarning)
            parsed = rdata.read_rda(str(path))
    if len(parsed) != 1:
        raise SchemaError(
            f"{fname} should hold one data frame", received=list(parsed), fix="re-fetch the file"
        )
    frame = next(iter(parsed.values())).reset_index(drop=True)
    return frame, (fname, file_sha256(path))


def load(key: str = "", *, progress: bool = True) -> Any:
    """Load exports (long: location, product, value in USD) and GDP per capita.

    Returns
    -------
    TradeData
        ``exports`` has 124,336 rows (226 locations × 785 products, zeros absent); codes are
        ISO-3 lower case (``"chn"``) and four-digit SITC Rev.2 strings (``"0011"``).

    Raises
    ------
    SchemaError
        If a file does not have the documented columns.
    """
    from chainatlas.complexity.data import TradeData

    trade, f1 = _read(TRADE_FILE, progress)
    gdp, f2 = _read(GDP_FILE, progress)
    for name, frame, cols in (
        (TRADE_FILE, trade, ["country", "product", "value"]),
        (GDP_FILE, gdp, ["country", "value"]),
    ):
        if list(frame.columns) != cols:
            raise SchemaError(
                f"{name} has unexpected columns",
                received=list(frame.columns),
                fix=f"expected {cols}",
            )
    exports = pd.DataFrame(
        {
            "location": trade["country"].astype(str).to_numpy(),
            "product": trade["product"].astype(str).to_numpy(),
            "value": trade["value"].astype("float64").to_numpy(),
        }
    )
    gdp_pc = pd.Series(
        gdp["value"].astype("float64").to_numpy(),
        index=pd.Index(gdp["country"].astype(str).to_numpy(), name="location"),
        name="gdp_per_capita",
    )
    ds = get_dataset(DATASET)
    prov = Provenance(
        source=DATASET,
        files=(f1, f2),
        licence=ds.licence,
        citation=ds.citation,
        steps=("read exports and GDP per capita (rdata)",),
        extra=(("unit", UNIT),),
    )
    return TradeData(
        exports=exports,
        unit=UNIT,
        provenance=prov,
        classification="SITC Rev.2 4-digit",
        gdp_per_capita=gdp_pc,
    )
