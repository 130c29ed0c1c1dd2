"""Validation of long-form input and its conversion to location × product matrices (输入校验).

Policies (never silent; every dropped row, location or product is listed in ``excluded``):

* ``duplicates``: repeated (time, location, product) rows — ``"raise"`` (default) or ``"sum"``;
* ``invalid``: NaN, ±inf or negative values — ``"raise"`` (default) or ``"drop"`` (the rows are
  removed, i.e. treated as no exports, and listed);
* ``zeros``: locations whose total is zero and products with no exporter (all rows zero) —
  ``"drop"`` (default, listed; the Atlas and py-ecomplexity drop them too) or ``"raise"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.errors import (
    DegenerateError,
    InputError,
    LabelError,
    NegativeValueError,
    NonFiniteError,
    SchemaError,
)

DuplicatePolicy = Literal["raise", "sum"]
InvalidPolicy = Literal["raise", "drop"]
ZeroPolicy = Literal["drop", "raise"]

EXCLUDED_COLUMNS = ["time", "kind", "label", "reason"]


class EmptyEntityError(DegenerateError):
    """A location with zero total or a product with no exporter, with ``zeros="raise"``."""


@dataclass(frozen=True)
class Period:
    """One period's matrix: ``X`` (c × p) with its labels."""

    time: Any
    locations: pd.Index
    products: pd.Index
    X: np.ndarray
    population: np.ndarray | None = None


def excluded_frame(rows: list[tuple[Any, str, str, str]]) -> pd.DataFrame:
    """A DataFrame of exclusions: time, kind (location/product/row), label, reason."""
    return pd.DataFrame(rows, columns=EXCLUDED_COLUMNS)


def _sample(values: Any, n: int = 5) -> list[str]:
    return [str(v) for v in list(values)[:n]]


def prepare(
    data: pd.DataFrame,
    *,
    location: str,
    product: str,
    value: str,
    time: str | None,
    duplicates: DuplicatePolicy,
    invalid: InvalidPolicy,
    zeros: ZeroPolicy,
    population: pd.Series | None = None,
) -> tuple[list[Period], pd.DataFrame]:
    """Validate long input and return one :class:`Period` per time value plus exclusions.

    Raises
    ------
    SchemaError
        Missing columns or a non-numeric value column.
    LabelError
        Duplicate rows (``duplicates="raise"``) or population missing for a location.
    NonFiniteError, NegativeValueError
        NaN/inf or negative values (``invalid="raise"``).
    EmptyEntityError
        Zero-total locations or products without exporter (``zeros="raise"``).
    """
    if not isinstance(data, pd.DataFrame):
        raise SchemaError(
            "complexity input must be a long pandas DataFrame",
            received=type(data).__name__,
            fix="pass a DataFrame with location, product and value columns",
        )
    cols = [location, product, value] + ([time] if time is not None else [])
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise SchemaError(
            "input lacks required columns",
            received={"missing": missing, "columns": list(data.columns)[:20]},
            fix="name them with the location=, product=, value= and time= arguments",
        )
    if not pd.api.types.is_numeric_dtype(data[value]):
        raise SchemaError(
            f"value column {value!r} is not numeric",
            received=str(data[value].dtype),
            fix="convert it with pd.to_numeric first",
        )
    excluded: list[tuple[Any, str, str, str]] = []
    vals = data[value].to_numpy(dtype=np.float64, na_value=np.nan)
    tcol = data[time].to_numpy() if time is not None else None
    bad_nan = ~np.isfinite(vals)
    bad_neg = vals < 0
    keep = np.ones(len(vals), dtype=bool)
    for mask, what, err in (
        (bad_nan, "NaN or infinite value", NonFiniteError),
        (bad_neg, "negative value", NegativeValueError),
    ):
        if mask.any():
            pairs = data.loc[mask, [location, product]].astype(str).agg(" / ".join, axis=1).tolist()
            if invalid == "raise":
                raise err(
                    f"{int(mask.sum())} row(s) with a {what} in {value!r}",
                    received=pairs[:5],
                    fix="fix the data, or pass invalid='drop' to drop these rows (listed in "
                    "`excluded`)",
                )
            times = tcol[mask] if tcol is not None else [None] * len(pairs)
            excluded.extend((t, "row", p, what) for t, p in zip(times, pairs, strict=True))
            keep &= ~mask
    frame = data.loc[keep, cols] if not keep.all() else data[cols]
    vals = vals[keep]

    loc_codes, loc_labels = pd.factorize(frame[location], sort=True)
    prod_codes, prod_labels = pd.factorize(frame[product], sort=True)
    if (loc_codes < 0).any() or (prod_codes < 0).any():
        raise LabelError(
            "missing location or product labels",
            received={"rows": int((loc_codes < 0).sum() + (prod_codes < 0).sum())},
            fix="drop rows without labels",
        )
    if time is not None:
        time_codes, time_labels = pd.factorize(frame[time], sort=True)
        if (time_codes < 0).any():
            raise LabelError("missing time values", fix="drop rows without a time value")
    else:
        time_codes = np.zeros(len(frame), dtype=np.intp)
        time_labels = pd.Index([None])
    nl, npr = len(loc_labels), len(prod_labels)
    order = np.argsort(time_codes, kind="stable")
    bounds = np.searchsorted(time_codes[order], np.arange(len(time_labels) + 1))
    pop_lookup = _population_lookup(population, time is not None)

    periods: list[Period] = []
    for ti, t in enumerate(time_labels):
        idx = order[bounds[ti] : bounds[ti + 1]]
        lc, pc, v = loc_codes[idx], prod_codes[idx], vals[idx]
        flat = lc.astype(np.int64) * npr + pc
        counts = np.bincount(flat, minlength=nl * npr)
        if counts.max(initial=0) > 1:
            dup = np.flatnonzero(counts > 1)
            labels = [f"{loc_labels[k // npr]} / {prod_labels[k % npr]}" for k in dup[:5]]
            if duplicates == "raise":
                raise LabelError(
                    f"{dup.size} duplicate (location, product) pair(s)"
                    + (f" in period {t!r}" if time is not None else ""),
                    received=labels,
                    fix="aggregate them first, or pass duplicates='sum' to add them up",
                )
        full = np.bincount(flat, weights=v, minlength=nl * npr).reshape(nl, npr)
        seen_l = np.bincount(lc, minlength=nl) > 0
        seen_p = np.bincount(pc, minlength=npr) > 0
        rows = full.sum(axis=1)
        colsum = full.sum(axis=0)
        zero_l = seen_l & (rows <= 0)
        zero_p = seen_p & (colsum <= 0)
        if zero_l.any() or zero_p.any():
            if zeros == "raise":
                raise EmptyEntityError(
                    "locations with zero total exports or products with no exporter"
                    + (f" in period {t!r}" if time is not None else ""),
                    received={
                        "locations": _sample(loc_labels[zero_l]),
                        "products": _sample(prod_labels[zero_p]),
                    },
                    fix="drop them, or pass zeros='drop' to drop and list them",
                )
            excluded.extend((t, "location", str(x), "zero total") for x in loc_labels[zero_l])
            excluded.extend((t, "product", str(x), "no exporter") for x in prod_labels[zero_p])
        kl = np.flatnonzero(seen_l & ~zero_l)
        kp = np.flatnonzero(seen_p & ~zero_p)
        X = full[np.ix_(kl, kp)]
        locs = pd.Index(loc_labels[kl], name="location")
        prods = pd.Index(prod_labels[kp], name="product")
        pop = None
        if pop_lookup is not None:
            pop = pop_lookup(t, locs)
        periods.append(Period(t, locs, prods, X, pop))
    if not periods or any(p.X.size == 0 for p in periods):
        raise DegenerateError(
            "no data left after validation", fix="check the input and the policies"
        )
    return periods, excluded_frame(excluded)


def _population_lookup(population: pd.Series | None, panel: bool) -> Any:
    if population is None:
        return None
    if not isinstance(population, pd.Series):
        raise SchemaError(
            "population must be a pandas Series indexed by location (or by (time, location))",
            received=type(population).__name__,
            fix="e.g. df.set_index('location')['population']",
        )
    if population.index.duplicated().any():
        raise LabelError(
            "duplicate population labels",
            received=_sample(population.index[population.index.duplicated()]),
            fix="keep one population per location (and year)",
        )
    keyed = population.index.nlevels == 2

    def lookup(t: Any, locs: pd.Index) -> np.ndarray:
        if keyed:
            try:
                sub = population.xs(t, level=0)
            except KeyError:
                sub = population.iloc[:0].droplevel(0)
        else:
            sub = population
        got = sub.reindex(locs).to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isfinite(got) | (got <= 0)
        if bad.any():
            raise LabelError(
                "population missing or not positive for some locations"
                + (f" in period {t!r}" if panel else ""),
                received=_sample(locs[bad]),
                fix="give a positive population for every location, or drop those locations",
            )
        return got

    return lookup


def check_policy(name: str, value: str, allowed: tuple[str, ...]) -> None:
    """Raise if a ``Literal`` option has a value outside `allowed`."""
    if value not in allowed:
        raise InputError(f"invalid {name}", received=value, fix=f"use one of {list(allowed)}")
