"""Loader for ``world-trade-hs4-2017`` (2017年世界贸易，HS四位): exports by country × HS4 product.

Source: the R package *economiccomplexity* (Vargas, pachadotdev/economiccomplexity, GPL-3.0 at
commit ``4c0d595``), files ``world_trade_2017.rda`` (233,432 rows: ``reporter_iso``,
``product_code``, ``export_value_usd``; 224 reporters × 1,222 HS four-digit codes) and
``world_gdp_and_population_2017.rda`` (262 rows: ``reporter_iso``, ``gdp_current_usd``,
``population_total``, ``gdp_pc_usd``). The package documents the trade file as a simplified
Open Trade Statistics (tradestatistics.io, UN Comtrade) country–product table for 2017 and the
GDP/population file as World Bank WDI values (2017 or the last reported year).

Units and caveats (checked):

* ``value`` is **USD, current prices, 2017** (exports, as reported/mirrored by Open Trade
  Statistics). Country totals run **1.1–1.3× official goods exports** (China USD 2.95 tn here
  against USD 2.26 tn reported by customs; world USD 20.1 tn against ≈ USD 17.7 tn of world
  merchandise exports): use shares, RCA and complexity, not levels. Shares and RCA are ratios of
  the same data, so a roughly uniform over-count cancels out.
* All 1,222 codes are HS four-digit headings present in the ``concordance`` dataset's
  ``hs4_desc`` (HS 2012); ``9999`` is "commodities not specified".

**NA policy (documented, never silent).** 56,461 of the 233,432 rows carry ``NA`` as export value
(the package's table lists country–product pairs with no recorded export). They are treated as
*no recorded exports*: the rows are left out of ``exports`` (missing pairs count as zero in every
complexity measure), and their number is recorded in the provenance (``extra["na_rows"]``). No
value is ever 0 or negative in the file (minimum USD 1); a negative value or a duplicate
(reporter, product) row raises :class:`~chainatlas.errors.SchemaError` here.

Population and GDP: 22 reporters (small territories such as ``flk``, ``sgs``, ``hmd``, ``esh``, and
``eri``) have no World Bank row, and 12 (e.g. ``prk``, ``syr``) have population but no GDP. They
are absent from ``population`` / ``gdp`` / ``gdp_per_capita`` (NaN is never stored), so
:func:`chainatlas.complexity.clean_trade` drops them with the reason "no population given" when
population thresholds apply. World Bank aggregates (``wld``, ``eas`` …) are left out.

Spec: ``world-trade-hs4-2017`` (one object, a :class:`~chainatlas.complexity.data.TradeData`).

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

import numpy as np
import pandas as pd

from chainatlas.datasets.registry import data_path, file_sha256, get_dataset
from chainatlas.errors import SchemaError
from chainatlas.provenance import Provenance

__all__ = ["SPECS", "load", "UNIT", "TRADE_FILE", "GDP_FILE", "YEAR", "OVERCOUNT_NOTE"]

DATASET = "world-trade-hs4-2017"
TRADE_FILE = "world_trade_2017.rda"
GDP_FILE = "world_gdp_and_population_2017.rda"
YEAR = 2017
UNIT = "USD (current prices, 2017)"
#: the levels caveat, stated wherever totals are shown
OVERCOUNT_NOTE = (
    "country totals run 1.1–1.3× official goods exports (China USD 2.95 tn vs 2.26 tn reported); "
    "shares and RCA are unaffected"
)
TRADE_COLUMNS = ["reporter_iso", "product_code", "export_value_usd"]
GDP_COLUMNS = ["reporter_iso", "gdp_current_usd", "population_total", "gdp_pc_usd"]


def SPECS() -> list[str]:  # noqa: N802  (name fixed by the loader protocol)
    """The one spec key of this dataset (``""``)."""
    return [""]


@functools.cache
def _parse(path_str: str) -> tuple[pd.DataFrame, tuple[str, str]]:
    """Parse an .rda once per process with the fast data-frame reader (rdata as fallback)."""
    from chainatlas.datasets._rda_frames import UnsupportedRda, read_rda_frames

    path = Path(path_str)
    try:
        parsed: dict[str, Any] = dict(read_rda_frames(path))
    except UnsupportedRda:
        import rdata

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Missing constructor", category=UserWarning)
            parsed = rdata.read_rda(str(path))
    if len(parsed) != 1:
        raise SchemaError(
            f"{path.name} should hold one data frame",
            received=list(parsed),
            fix="re-fetch the file",
        )
    frame = next(iter(parsed.values())).reset_index(drop=True)
    return frame, (path.name, file_sha256(path))


def _read(fname: str, columns: list[str], progress: bool) -> tuple[pd.DataFrame, tuple[str, str]]:
    path = data_path(DATASET, fname, progress=progress)  # verifies the sha256 on every call
    frame, digest = _parse(str(path))
    if list(frame.columns) != columns:
        raise SchemaError(
            f"{fname} has unexpected columns",
            received=list(frame.columns),
            fix=f"expected {columns}",
        )
    return frame.copy(), digest


def exports_from_rows(trade: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Long exports (location, product, value) from the package's rows, applying the NA policy.

    Returns the exports and the number of NA rows left out.

    Raises
    ------
    SchemaError
        Negative values, or duplicate (reporter, product) rows.
    """
    vals = trade["export_value_usd"].to_numpy(dtype=np.float64, na_value=np.nan)
    loc = trade["reporter_iso"].astype(str).to_numpy()
    prod = trade["product_code"].astype(str).to_numpy()
    neg = vals < 0
    if neg.any():
        raise SchemaError(
            f"{int(neg.sum())} negative export value(s) in {TRADE_FILE}",
            received=[f"{a} / {b}" for a, b in zip(loc[neg][:5], prod[neg][:5], strict=True)],
            fix="re-fetch the file (its sha256 is checked); exports cannot be negative",
        )
    dup = pd.Index(pd.MultiIndex.from_arrays([loc, prod])).duplicated()
    if dup.any():
        raise SchemaError(
            f"{int(dup.sum())} duplicate (reporter, product) row(s) in {TRADE_FILE}",
            received=[f"{a} / {b}" for a, b in zip(loc[dup][:5], prod[dup][:5], strict=True)],
            fix="re-fetch the file; the upstream table has one row per pair",
        )
    ok = np.isfinite(vals)
    exports = pd.DataFrame({"location": loc[ok], "product": prod[ok], "value": vals[ok]})
    return exports, int((~ok).sum())


def _attributes(gdp: pd.DataFrame, locations: pd.Index) -> dict[str, pd.Series]:
    idx = pd.Index(gdp["reporter_iso"].astype(str).to_numpy(), name="location")
    out: dict[str, pd.Series] = {}
    for col, name in (
        ("population_total", "population"),
        ("gdp_current_usd", "gdp"),
        ("gdp_pc_usd", "gdp_per_capita"),
    ):
        s = pd.Series(gdp[col].to_numpy(dtype=np.float64, na_value=np.nan), index=idx, name=name)
        s = s[s.index.isin(locations) & np.isfinite(s.to_numpy()) & (s.to_numpy() > 0)]
        out[name] = s.sort_index()
    return out


def load(key: str = "", *, progress: bool = True) -> Any:
    """Load 2017 exports (long: location, product, value in USD) with population and GDP.

    Returns
    -------
    TradeData
        ``exports``: 176,971 rows (224 locations × 1,222 HS4 products; NA pairs left out, see
        the module docstring). Codes are ISO-3 lower case (``"chn"``) and four-digit HS strings
        (``"8542"``). ``population`` (persons), ``gdp`` (current USD) and ``gdp_per_capita``
        (current USD per person) are indexed by location, for the reporters that have them.

    Raises
    ------
    SchemaError
        A file without the documented columns, with negative values or duplicate rows.
    """
    from chainatlas.complexity.data import TradeData

    trade, f1 = _read(TRADE_FILE, TRADE_COLUMNS, progress)
    gdp, f2 = _read(GDP_FILE, GDP_COLUMNS, progress)
    exports, n_na = exports_from_rows(trade)
    attrs = _attributes(gdp, pd.Index(exports["location"].unique()))
    ds = get_dataset(DATASET)
    prov = Provenance(
        source=DATASET,
        files=(f1, f2),
        licence=ds.licence,
        citation=ds.citation,
        steps=(
            "read exports 2017 and World Bank GDP/population (rdata)",
            f"NA policy: {n_na:,} NA export rows treated as no recorded exports (left out)",
        ),
        extra=(
            ("unit", UNIT),
            ("year", str(YEAR)),
            ("na_rows", str(n_na)),
            ("note", OVERCOUNT_NOTE),
        ),
    )
    return TradeData(
        exports=exports,
        unit=UNIT,
        provenance=prov,
        classification="HS 4-digit (HS 2012 headings)",
        gdp_per_capita=attrs["gdp_per_capita"],
        population=attrs["population"],
        gdp=attrs["gdp"],
        year=YEAR,
    )
