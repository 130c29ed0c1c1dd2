"""Atlas-style cleaning of trade data (贸易数据清洗) before computing complexity.

The Atlas of Economic Complexity computes ECI only for countries with enough trade and people
(Hausmann et al. 2014: population ≥ 1.2 million and exports ≥ USD 1 billion; the Growth Lab's
current rankings use population ≥ 1 million and average trade ≥ USD 1 billion) and on products
with meaningful world trade. Without it, tiny territories with one or two products (e.g. South
Georgia ``sgs``, Heard and McDonald Islands ``hmd``, Western Sahara ``esh``) get extreme ECI values.

Thresholds (all applied once, on the input's totals — for a panel, the mean over periods):

* a location is kept when its exports are ≥ ``min_location_share`` × world exports **and**
  ≥ ``min_location_exports`` (absolute, in the value's units);
* a product is kept when its world trade is ≥ ``min_product_share`` × world exports **and**
  ≥ ``min_product_trade``;
* with ``population`` given, a location also needs population ≥ ``min_population``.

Default shares translate the Atlas' absolute cut-offs to the data: USD 1 bn and USD 10 m of
1999 world merchandise exports (≈ USD 5.6 tn) are 1.8 × 10⁻⁴ and 1.8 × 10⁻⁶; we use 2 × 10⁻⁴ and
2 × 10⁻⁶. Shares are used because the ``world-trade-sitc`` extract covers only part of world
trade (world total USD 120 bn), so absolute Atlas thresholds would remove 194 of 226 countries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, SchemaError

__all__ = ["CleanedTrade", "clean_trade", "DEFAULT_THRESHOLDS", "ATLAS_RULES", "UNSPECIFIED_HS4"]

#: defaults of :func:`clean_trade`
DEFAULT_THRESHOLDS: dict[str, float] = {
    "min_location_share": 2e-4,
    "min_product_share": 2e-6,
    "min_location_exports": 0.0,
    "min_product_trade": 0.0,
    "min_population": 1.0e6,
}

#: the Growth Lab's published rules for its country rankings, in absolute units (USD, persons):
#: countries with population ≥ 1 million and exports ≥ USD 1 billion (Growth Lab, Country
#: Complexity Rankings, atlas.hks.harvard.edu/rankings; the 2014 Atlas book used 1.2 million),
#: products with world trade ≥ USD 10 million; for data with complete coverage and population
#: (``world-trade-hs4-2017``)
ATLAS_RULES: dict[str, float] = {
    "min_location_share": 0.0,
    "min_product_share": 0.0,
    "min_location_exports": 1.0e9,
    "min_product_trade": 1.0e7,
    "min_population": 1.0e6,
}

#: HS 9999 "commodities not specified according to kind" is not a product; the Atlas leaves it out
UNSPECIFIED_HS4: tuple[str, ...] = ("9999",)


@dataclass(frozen=True)
class CleanedTrade:
    """Cleaned long data and what was removed.

    Attributes
    ----------
    data : DataFrame
        The kept rows (same columns as the input).
    excluded : DataFrame
        One row per removed location or product: kind, label, total (value units), share of world
        exports, reason.
    thresholds : dict
        The thresholds used (absolute thresholds resolved to value units).
    """

    data: pd.DataFrame
    excluded: pd.DataFrame
    thresholds: dict[str, Any] = field(default_factory=dict)


def clean_trade(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    min_location_share: float = DEFAULT_THRESHOLDS["min_location_share"],
    min_product_share: float = DEFAULT_THRESHOLDS["min_product_share"],
    min_location_exports: float = 0.0,
    min_product_trade: float = 0.0,
    population: pd.Series | None = None,
    min_population: float = DEFAULT_THRESHOLDS["min_population"],
    exclude_products: tuple[str, ...] = (),
) -> CleanedTrade:
    """Drop small exporters and thinly traded products, as the Atlas does before computing ECI.

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value[, time]); values ≥ 0 (validated later by
        :func:`complexity`, under its `invalid` policy). Here NaN, non-numeric or negative values
        count as 0 toward the thresholds only; the kept rows are returned unchanged.
    location, product, value, time : str
        Column names.
    min_location_share, min_product_share : float
        Minimum share of world exports for a location's exports / a product's world trade.
    min_location_exports, min_product_trade : float
        Absolute minima in the value's units (e.g. 1e9 for USD 1 bn on complete data).
    population : Series, optional
        Population by location (persons); locations without a population are dropped and listed.
    min_population : float
        Minimum population when `population` is given (default 1 million, the Growth Lab rule).
    exclude_products : tuple of str
        Codes that are not products (e.g. :data:`UNSPECIFIED_HS4`), dropped and listed.

    Returns
    -------
    CleanedTrade

    Raises
    ------
    SchemaError
        Missing columns.
    InputError
        Negative thresholds, or no location or product left.

    Examples
    --------
    >>> df = pd.DataFrame({"location": ["a", "a", "b", "tiny"], "product": ["x", "y", "x", "y"],
    ...                    "value": [100.0, 50.0, 80.0, 0.001]})
    >>> out = clean_trade(df, min_location_share=0.01)
    >>> out.excluded[["kind", "label", "reason"]].values.tolist()
    [['location', 'tiny', 'exports below 1% of world exports']]
    """
    cols = [location, product, value] + ([time] if time else [])
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise SchemaError(
            "input lacks required columns", received=missing, fix="name them with location= etc."
        )
    for name, v in (
        ("min_location_share", min_location_share),
        ("min_product_share", min_product_share),
        ("min_location_exports", min_location_exports),
        ("min_product_trade", min_product_trade),
        ("min_population", min_population),
    ):
        if not np.isfinite(v) or v < 0:
            raise InputError(f"{name} must be ≥ 0", received=v, fix="pass a non-negative number")
    vals = pd.to_numeric(data[value], errors="coerce").fillna(0.0).clip(lower=0.0)
    n_periods = data[time].nunique() if time else 1
    loc_tot = vals.groupby(data[location]).sum() / n_periods
    prod_tot = vals.groupby(data[product]).sum() / n_periods
    world = float(loc_tot.sum())
    rows: list[tuple[str, str, float, float, str]] = []

    loc_cut = max(min_location_share * world, min_location_exports)
    small_l = loc_tot[loc_tot < loc_cut]
    for lab, tot in small_l.items():
        rows.append(
            (
                "location",
                str(lab),
                float(tot),
                tot / world if world else np.nan,
                _reason("exports", min_location_share, min_location_exports, world),
            )
        )
    drop_l = set(small_l.index)
    if population is not None:
        drop_l |= _population_drops(loc_tot, population, min_population, drop_l, world, rows)

    prod_cut = max(min_product_share * world, min_product_trade)
    small_p = prod_tot[prod_tot < prod_cut]
    for lab, tot in small_p.items():
        rows.append(
            (
                "product",
                str(lab),
                float(tot),
                tot / world if world else np.nan,
                _reason("world trade", min_product_share, min_product_trade, world),
            )
        )
    drop_p = set(small_p.index)
    for lab in (x for x in exclude_products if x in prod_tot.index and x not in drop_p):
        tot = float(prod_tot[lab])
        rows.append(("product", str(lab), tot, tot / world if world else np.nan, "not a product"))
        drop_p.add(lab)
    keep = ~data[location].isin(drop_l) & ~data[product].isin(drop_p)
    out = data.loc[keep]
    if out.empty or out[location].nunique() < 2:
        raise InputError(
            "cleaning leaves fewer than two locations",
            received={"dropped locations": len(drop_l), "dropped products": len(drop_p)},
            fix="lower the thresholds or pass no_clean / skip clean_trade",
        )
    excluded = pd.DataFrame(rows, columns=["kind", "label", "total", "share", "reason"])
    excluded = excluded.sort_values(["kind", "total"], ignore_index=True)
    thresholds = {
        "min_location_share": min_location_share,
        "min_product_share": min_product_share,
        "min_location_exports": min_location_exports,
        "min_product_trade": min_product_trade,
        "min_population": min_population if population is not None else None,
        "location_cutoff": loc_cut,
        "product_cutoff": prod_cut,
        "world_total": world,
    }
    return CleanedTrade(out, excluded, thresholds)


def _population_drops(
    loc_tot: pd.Series,
    population: pd.Series,
    min_population: float,
    already: set[Any],
    world: float,
    rows: list[tuple[str, str, float, float, str]],
) -> set[Any]:
    """Locations without a population or below `min_population` (appends their rows)."""
    pop = population.reindex(loc_tot.index)
    out: set[Any] = set()
    for lab in loc_tot.index:
        if lab in already:
            continue
        pv = pop.get(lab)
        if pv is None or not np.isfinite(pv):
            reason = "no population given"
        elif pv < min_population:
            reason = f"population below {min_population:,.0f}"
        else:
            continue
        tot = float(loc_tot[lab])
        rows.append(("location", str(lab), tot, tot / world if world else np.nan, reason))
        out.add(lab)
    return out


def _reason(what: str, share: float, absolute: float, world: float) -> str:
    if absolute > share * world:
        return f"{what} below {absolute:,.0f}"
    return f"{what} below {share * 100:g}% of world exports"
