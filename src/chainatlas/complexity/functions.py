"""One public function per complexity measure (单项指标), on long-form data.

Each function takes the long data — a DataFrame with the options of
:func:`chainatlas.complexity.complexity` as keywords, or a :class:`ComplexityInput` prepared
once by :func:`complexity_input` (data, columns, time, population and policies, validated once)
— computes only what the measure needs (ECI without proximity, RCA without ECI…) per period and
returns a labelled Series/DataFrame; with ``time=`` results gain a leading ``time`` index level.

Examples
--------
>>> df = pd.DataFrame({"location": ["a", "a", "b"], "product": ["x", "y", "y"],
...                    "value": [1.0, 1.0, 2.0]})
>>> prepared = complexity_input(df, convention="stata")
>>> rca(prepared).round(3).to_numpy().tolist() == rca(df).round(3).to_numpy().tolist()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypedDict, Unpack

import pandas as pd

from chainatlas.complexity._prepare import DuplicatePolicy, InvalidPolicy, ZeroPolicy
from chainatlas.complexity.measures import Convention, Options, PresenceTest, _select
from chainatlas.errors import InputError
from chainatlas.validation import Interval, validate_params

__all__ = [
    "ComplexityInput",
    "ComplexityOptions",
    "complexity_input",
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

Positive = Annotated[float, Interval(0, None, closed="neither")]


class ComplexityOptions(TypedDict, total=False):
    """Keyword options of every measure (as in :func:`chainatlas.complexity.complexity`)."""

    location: str
    product: str
    value: str
    time: str | None
    population: pd.Series | None
    presence_test: PresenceTest
    threshold: float
    rpop_threshold: float
    convention: Convention
    duplicates: DuplicatePolicy
    invalid: InvalidPolicy
    zeros: ZeroPolicy


@dataclass(frozen=True)
class ComplexityInput:
    """Long data with its columns, time, population and policies, validated once.

    Build it with :func:`complexity_input`; pass it to any measure of this module.

    Attributes
    ----------
    data : DataFrame
        Long table (location, product, value[, time]).
    options : Options
        Column names, presence test, thresholds, convention and policies (validated).
    population : Series or None
        Population by location (or by (time, location)).
    """

    data: pd.DataFrame
    options: Options
    population: pd.Series | None = None


@validate_params
def complexity_input(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: Positive = 1.0,
    rpop_threshold: Positive = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> ComplexityInput:
    """Prepare the input of the complexity measures once: data, columns, time and policies.

    Parameters
    ----------
    data : DataFrame
        Long table: one row per (location, product[, time]) with a non-negative `value`.
    location, product, value, time : str
        Column names; `time` (optional) makes a panel computed period by period.
    population : Series, optional
        Population by location (or by (time, location)); needed for RPOP presence tests.
    presence_test : {"rca", "rpop", "both"}
        Mcp = 1 when RCA ≥ `threshold` ("rca"), RPOP ≥ `rpop_threshold` ("rpop") or either.
    threshold, rpop_threshold : float
        Presence thresholds (> 0, default 1).
    convention : {"stata", "py-ecomplexity"}
        Standardisation and proximity-diagonal convention.
    duplicates : {"raise", "sum"}
        Repeated (location, product[, time]) rows.
    invalid : {"raise", "drop"}
        NaN, inf or negative values.
    zeros : {"drop", "raise"}
        Locations with zero total and products without exporter.

    Returns
    -------
    ComplexityInput

    Raises
    ------
    OptionError
        An option outside its allowed values (names the option and the choices).
    InputError
        A threshold that is not a positive finite number.
    """
    opts = Options(
        location=location,
        product=product,
        value=value,
        time=time,
        presence_test=presence_test,
        threshold=threshold,
        rpop_threshold=rpop_threshold,
        convention=convention,
        duplicates=duplicates,
        invalid=invalid,
        zeros=zeros,
    )
    return ComplexityInput(data=data, options=opts, population=population)


def _measure(
    data: pd.DataFrame | ComplexityInput, options: ComplexityOptions, key: str, level: str
) -> Any:
    """Compute one measure of prepared (or raw + options) input."""
    if isinstance(data, ComplexityInput):
        if options:
            raise InputError(
                "options are given twice: the ComplexityInput already holds them",
                received=sorted(options),
                fix="pass the options to complexity_input(...) only",
            )
        prepared = data
    else:
        prepared = complexity_input(data, **options)
    return _select(prepared.data, key, level, prepared.population, prepared.options)


_DOC_PARAMS = """
    Parameters
    ----------
    data : DataFrame or ComplexityInput
        Long table (location, product, value[, time]), or input prepared by
        :func:`complexity_input`.
    **options
        When `data` is a DataFrame: location, product, value, time, population, presence_test,
        threshold, rpop_threshold, convention, duplicates, invalid, zeros, as in
        :func:`complexity_input`.
"""
_DOC_RAISES = """
    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input, or ECI undefined where ECI is needed).
"""


def rca(data: pd.DataFrame | ComplexityInput, **options: Unpack[ComplexityOptions]) -> pd.DataFrame:
    """Balassa RCA ``(X_cp/X_c)/(X_p/X)`` (Balassa 1965).

    Parameters
    ----------
    data : DataFrame or ComplexityInput
        Long table (location, product, value[, time]), or input from :func:`complexity_input`.
    **options
        As in :func:`complexity_input` (when `data` is a DataFrame).

    Returns
    -------
    DataFrame
        Locations × products (unit-free); with `time`, rows (time, location).

    Raises
    ------
    ChainAtlasError
        As :func:`complexity` (bad input).

    Examples
    --------
    >>> df = pd.DataFrame({"location": ["a", "a", "b"], "product": ["x", "y", "y"],
    ...                    "value": [1.0, 1.0, 2.0]})
    >>> rca(df).round(3).to_numpy().tolist()
    [[2.0, 0.667], [0.0, 1.333]]
    """
    return _measure(data, options, "rca", "rca")


def mcp(data: pd.DataFrame | ComplexityInput, **options: Unpack[ComplexityOptions]) -> pd.DataFrame:
    """Binary presence Mcp (1 where RCA ≥ `threshold`, or RPOP per `presence_test`)."""
    return _measure(data, options, "mcp", "mcp")


def diversity(
    data: pd.DataFrame | ComplexityInput, **options: Unpack[ComplexityOptions]
) -> pd.Series:
    """Diversity ``k_c,0 = Σ_p Mcp`` (Hidalgo & Hausmann 2009), by location."""
    return _measure(data, options, "diversity", "mcp")


def ubiquity(
    data: pd.DataFrame | ComplexityInput, **options: Unpack[ComplexityOptions]
) -> pd.Series:
    """Ubiquity ``k_p,0 = Σ_c Mcp`` (Hidalgo & Hausmann 2009), by product."""
    return _measure(data, options, "ubiquity", "mcp")


def eci(data: pd.DataFrame | ComplexityInput, **options: Unpack[ComplexityOptions]) -> pd.Series:
    """Economic Complexity Index (Hidalgo & Hausmann 2009; Atlas 2014), standardised, by location."""
    return _measure(data, options, "eci", "eci")


def pci(data: pd.DataFrame | ComplexityInput, **options: Unpack[ComplexityOptions]) -> pd.Series:
    """Product Complexity Index (Hidalgo & Hausmann 2009), standardised with ECI's mean and sd."""
    return _measure(data, options, "pci", "eci")


def proximity(
    data: pd.DataFrame | ComplexityInput, **options: Unpack[ComplexityOptions]
) -> pd.DataFrame:
    """Product proximity φ (Hidalgo et al. 2007): products × products, in [0, 1]."""
    return _measure(data, options, "proximity", "proximity")


def density(
    data: pd.DataFrame | ComplexityInput, **options: Unpack[ComplexityOptions]
) -> pd.DataFrame:
    """Density ``ω_cp = Σ_k M_ck φ_kp / Σ_k φ_kp`` (Hidalgo et al. 2007), in [0, 1]."""
    return _measure(data, options, "density", "all")


def coi(data: pd.DataFrame | ComplexityInput, **options: Unpack[ComplexityOptions]) -> pd.Series:
    """Complexity Outlook Index (Hausmann et al. 2014), standardised, by location."""
    return _measure(data, options, "coi", "all")


def cog(data: pd.DataFrame | ComplexityInput, **options: Unpack[ComplexityOptions]) -> pd.DataFrame:
    """Complexity Outlook Gain (Hausmann et al. 2014) divided by ECI's sd (0 where Mcp = 1)."""
    return _measure(data, options, "cog", "all")


def _returns(kind: str) -> str:
    return f"""
    Returns
    -------
    {kind}
"""


for _f, _kind in [
    (mcp, "DataFrame\n        0/1, locations × products."),
    (diversity, "Series\n        Number of products with Mcp = 1, by location."),
    (ubiquity, "Series\n        Number of locations with Mcp = 1, by product."),
    (eci, "Series\n        By location (standardised, unit-free)."),
    (pci, "Series\n        By product, standardised with ECI's mean and sd."),
    (proximity, "DataFrame\n        Products × products, in [0, 1]."),
    (density, "DataFrame\n        Locations × products, in [0, 1]."),
    (coi, "Series\n        By location (standardised)."),
    (cog, "DataFrame\n        Locations × products (0 where Mcp = 1)."),
]:  # one docstring layout for every measure (numpydoc sections filled in once)
    _f.__doc__ = (_f.__doc__ or "") + "\n" + _DOC_PARAMS + _returns(_kind) + _DOC_RAISES


@validate_params
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
        As in :func:`complexity_input`.

    Returns
    -------
    DataFrame
        Locations × products (unit-free; > 1 means above the per-capita world average).

    Raises
    ------
    LabelError
        Population missing or not positive for a location.
    """
    prepared = complexity_input(
        data,
        location=location,
        product=product,
        value=value,
        time=time,
        population=population,
        presence_test="rpop",
        duplicates=duplicates,
        invalid=invalid,
        zeros=zeros,
    )
    return _select(prepared.data, "rpop", "rca", population, prepared.options)
