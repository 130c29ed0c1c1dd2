"""Trade data container (贸易数据): long exports table plus optional country attributes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from chainatlas.provenance import Provenance

__all__ = ["TradeData"]


@dataclass(frozen=True)
class TradeData:
    """Exports in long form, as loaded from a trade dataset.

    Attributes
    ----------
    exports : DataFrame
        Columns ``location``, ``product``, ``value`` (and ``time`` for a panel); one row per
        (location, product) with value > 0.
    unit : str
        Unit of ``value`` (e.g. ``"USD (constant 2000 prices)"``).
    gdp_per_capita : Series, optional
        GDP per capita by location (USD).
    population : Series, optional
        Population by location (persons), when the dataset has it.
    gdp : Series, optional
        GDP by location (current USD), when the dataset has it.
    year : int, optional
        The data year (None for multi-year averages).
    classification : str
        Product classification (e.g. ``"SITC Rev.2 4-digit"``).
    provenance : Provenance
    """

    exports: pd.DataFrame
    unit: str
    provenance: Provenance
    classification: str = ""
    gdp_per_capita: pd.Series | None = None
    population: pd.Series | None = None
    gdp: pd.Series | None = None
    year: int | None = None

    @property
    def locations(self) -> pd.Index:
        """Sorted location codes."""
        return pd.Index(sorted(self.exports["location"].unique()), name="location")

    @property
    def products(self) -> pd.Index:
        """Sorted product codes."""
        return pd.Index(sorted(self.exports["product"].unique()), name="product")
