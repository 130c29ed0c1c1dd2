"""One public function per complexity measure (单项指标), on long-form data.

Each function validates the input, computes only what the measure needs (ECI without proximity,
RCA without ECI…) per period, and returns a labelled Series/DataFrame; with ``time=`` results gain
a leading ``time`` index level. Options are those of :func:`chainatlas.complexity.complexity`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from chainatlas.complexity._prepare import DuplicatePolicy, InvalidPolicy, ZeroPolicy
from chainatlas.complexity.measures import Convention, Options, PresenceTest, _select

__all__ = [
    "rca",
    "rpop",
    "mcp",
    "diversity",
    "ubiquity",
    "eci",
    "pci",
    "proximity",
    "density",
    "coi",
    "cog",
]


def _options_from(values: Mapping[str, Any]) -> Options:
    return Options(**{k: v for k, v in values.items() if k in Options.__dataclass_fields__})


def rca(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> pd.DataFrame:
    """Balassa RCA ``(X_cp/X_c)/(X_p/X)`` (Balassa 1965).

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value[, time]).
    location, product, value, time, population, presence_test, threshold, rpop_threshold,
    convention, duplicates, invalid, zeros
        As in :func:`complexity`.

    Returns
    -------
    DataFrame, locations × products (unit-free); with `time`, rows (time, location).

    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input, or ECI undefined where ECI is needed).

    Examples
    --------
    >>> df = pd.DataFrame({"location": ["a", "a", "b"], "product": ["x", "y", "y"],
    ...                    "value": [1.0, 1.0, 2.0]})
    >>> rca(df).round(3).to_numpy().tolist()
    [[2.0, 0.667], [0.0, 1.333]]
    """
    opts = _options_from(locals())
    return _select(data, "rca", "rca", population, opts)


def mcp(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> pd.DataFrame:
    """Binary presence Mcp (1 where RCA ≥ `threshold`, or RPOP per `presence_test`).

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value[, time]).
    location, product, value, time, population, presence_test, threshold, rpop_threshold,
    convention, duplicates, invalid, zeros
        As in :func:`complexity`.

    Returns
    -------
    DataFrame of 0/1, locations × products.

    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input, or ECI undefined where ECI is needed).
    """
    opts = _options_from(locals())
    return _select(data, "mcp", "mcp", population, opts)


def diversity(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> pd.Series:
    """Diversity ``k_c,0 = Σ_p Mcp`` (Hidalgo & Hausmann 2009).

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value[, time]).
    location, product, value, time, population, presence_test, threshold, rpop_threshold,
    convention, duplicates, invalid, zeros
        As in :func:`complexity`.

    Returns
    -------
    Series by location: number of products with Mcp = 1.

    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input, or ECI undefined where ECI is needed).
    """
    opts = _options_from(locals())
    return _select(data, "diversity", "mcp", population, opts)


def ubiquity(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> pd.Series:
    """Ubiquity ``k_p,0 = Σ_c Mcp`` (Hidalgo & Hausmann 2009).

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value[, time]).
    location, product, value, time, population, presence_test, threshold, rpop_threshold,
    convention, duplicates, invalid, zeros
        As in :func:`complexity`.

    Returns
    -------
    Series by product: number of locations with Mcp = 1.

    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input, or ECI undefined where ECI is needed).
    """
    opts = _options_from(locals())
    return _select(data, "ubiquity", "mcp", population, opts)


def eci(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> pd.Series:
    """Economic Complexity Index (Hidalgo & Hausmann 2009; Atlas 2014).

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value[, time]).
    location, product, value, time, population, presence_test, threshold, rpop_threshold,
    convention, duplicates, invalid, zeros
        As in :func:`complexity`.

    Returns
    -------
    Series by location (standardised, unit-free).

    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input, or ECI undefined where ECI is needed).
    """
    opts = _options_from(locals())
    return _select(data, "eci", "eci", population, opts)


def pci(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> pd.Series:
    """Product Complexity Index (Hidalgo & Hausmann 2009; Atlas 2014).

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value[, time]).
    location, product, value, time, population, presence_test, threshold, rpop_threshold,
    convention, duplicates, invalid, zeros
        As in :func:`complexity`.

    Returns
    -------
    Series by product, standardised with ECI's mean and sd.

    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input, or ECI undefined where ECI is needed).
    """
    opts = _options_from(locals())
    return _select(data, "pci", "eci", population, opts)


def proximity(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> pd.DataFrame:
    """Product proximity φ: the minimum of the two conditional co-export probabilities (Hidalgo et al. 2007).

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value[, time]).
    location, product, value, time, population, presence_test, threshold, rpop_threshold,
    convention, duplicates, invalid, zeros
        As in :func:`complexity`.

    Returns
    -------
    DataFrame, products × products, in [0, 1].

    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input, or ECI undefined where ECI is needed).
    """
    opts = _options_from(locals())
    return _select(data, "proximity", "proximity", population, opts)


def density(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> pd.DataFrame:
    """Density ``ω_cp = Σ_k M_ck φ_kp / Σ_k φ_kp`` (Hidalgo et al. 2007).

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value[, time]).
    location, product, value, time, population, presence_test, threshold, rpop_threshold,
    convention, duplicates, invalid, zeros
        As in :func:`complexity`.

    Returns
    -------
    DataFrame, locations × products, in [0, 1].

    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input, or ECI undefined where ECI is needed).
    """
    opts = _options_from(locals())
    return _select(data, "density", "all", population, opts)


def coi(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> pd.Series:
    """Complexity Outlook Index (Hausmann et al. 2014).

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value[, time]).
    location, product, value, time, population, presence_test, threshold, rpop_threshold,
    convention, duplicates, invalid, zeros
        As in :func:`complexity`.

    Returns
    -------
    Series by location (standardised).

    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input, or ECI undefined where ECI is needed).
    """
    opts = _options_from(locals())
    return _select(data, "coi", "all", population, opts)


def cog(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> pd.DataFrame:
    """Complexity Outlook Gain (Hausmann et al. 2014), divided by ECI's sd.

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value[, time]).
    location, product, value, time, population, presence_test, threshold, rpop_threshold,
    convention, duplicates, invalid, zeros
        As in :func:`complexity`.

    Returns
    -------
    DataFrame, locations × products (0 where Mcp = 1).

    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input, or ECI undefined where ECI is needed).
    """
    opts = _options_from(locals())
    return _select(data, "cog", "all", population, opts)


def rpop(
    data: pd.DataFrame,
    *,
    population: pd.Series,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> pd.DataFrame:
    """Population-based RCA ``RPOP_cp = (X_cp / pop_c) / (X_p / Σ pop)``, locations × products.

    Parameters
    ----------
    data : DataFrame
        Long table.
    population : Series
        Population (persons) by location, or by (time, location) for a panel.
    location, product, value, time, duplicates, invalid, zeros
        As in :func:`complexity`.

    Returns
    -------
    DataFrame, locations × products (unit-free; > 1 means above the per-capita world average).

    Raises
    ------
    LabelError
        Population missing or not positive for a location.
    """
    opts = _options_from({**locals(), "presence_test": "rpop"})
    return _select(data, "rpop", "rca", population, opts)
