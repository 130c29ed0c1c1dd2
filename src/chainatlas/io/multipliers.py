"""Multipliers (乘数): output, value-added and employment multipliers (Miller & Blair 2009, ch. 6).

Every multiplier here is a row vector cᵀL for a coefficient row c, computed by one LU solve
(I − A)ᵀ m = c with the table's cached factorisation — the Leontief inverse L is never formed.

Examples
--------
>>> from chainatlas.io.table import IOTable
>>> t = IOTable.from_arrays(Z=[[150, 500], [200, 100]], Y=[[350], [1700]], V=[[650, 1400]],
...     sectors=["S1", "S2"], final_demand=["f"], value_added=["v"], unit="USD", source="M&B 2.3")
>>> output_multipliers(t).round(6).tolist()
[1.518152, 1.452145]
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.errors import DegenerateError, LabelError, NonFiniteError, check_option
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as k
from chainatlas.validation import validate_params

__all__ = [
    "output_multipliers",
    "value_added_multipliers",
    "employment_multipliers",
    "multiplier_table",
]

Kind = Literal["simple", "type-I"]


def output_multipliers(table: IOTable) -> pd.Series:
    """Simple output multipliers m(o) = 1ᵀL (M&B eq. 6.6), without forming L.

    m(o)_j is the total output of all sectors needed per unit of final demand for sector j.

    Parameters
    ----------
    table : IOTable
        Any table with n sectors; the domestic A is used for non-competitive tables.

    Returns
    -------
    Series, shape (n,)
        Unit-free (output per unit of final demand), indexed by sector, name ``"output_multiplier"``.

    Raises
    ------
    NonProductiveError, SingularMatrixError
        If (I − A) cannot be solved.
    """
    m = k.output_multipliers(table.A.to_numpy(), lu=table.lu)
    return pd.Series(m, index=table.labels, name="output_multiplier")


def _coefficient_multipliers(table: IOTable, c: np.ndarray, kind: Kind, name: str) -> pd.Series:
    m = k.input_multipliers(table.A.to_numpy(), c, lu=table.lu)
    if kind == "type-I":
        zero = c == 0
        if zero.any():
            raise DegenerateError(
                f"type-I {name} multipliers divide by the direct coefficient, which is 0 for "
                f"{int(zero.sum())} sector(s)",
                received=table.labels[zero].tolist()[:10],
                fix="use kind='simple' or drop those sectors",
            )
        m = m / c
    return pd.Series(m, index=table.labels, name=f"{name}_multiplier")


@validate_params
def value_added_multipliers(table: IOTable, *, kind: Kind = "simple") -> pd.Series:
    """Value-added multipliers (M&B §6.3, income multipliers with v in place of earnings).

    ``simple``: m(v) = v_cᵀL with v_c = v / x (value added per unit of output); m(v)_j is the
    value added generated in the whole economy per unit of final demand for j (≤ 1 in an open
    economy: the rest leaks to imports). ``type-I``: m(v)_j / v_c,j (M&B eq. 6.16).

    Parameters
    ----------
    table : IOTable
    kind : {"simple", "type-I"}

    Returns
    -------
    Series, shape (n,)
        Simple: unit-free (value added per unit of final demand); type-I: a ratio.

    Raises
    ------
    DegenerateError
        ``type-I`` when a sector has zero value added.
    """
    check_option("kind", kind, Kind)
    c = table.v.to_numpy(dtype=float) / table.x_safe
    return _coefficient_multipliers(table, c, kind, "value_added")


@validate_params
def employment_multipliers(
    table: IOTable, employment: pd.Series, *, kind: Kind = "simple"
) -> pd.Series:
    """Employment multipliers (M&B §6.3.3): m(e) = e_cᵀL with e_c = employment / x.

    Parameters
    ----------
    table : IOTable
    employment : Series, shape (n,)
        Employment by sector, indexed by exactly the table's labels (any order), in persons or
        e.g. 10,000 persons.
    kind : {"simple", "type-I"}
        ``type-I`` divides by the direct coefficient e_c,j (M&B eq. 6.18).

    Returns
    -------
    Series, shape (n,)
        Simple: employment per unit of final demand (employment unit / table unit).

    Raises
    ------
    LabelError
        If `employment` is not a Series or its labels differ from the table's.
    NonFiniteError
        If employment has NaN or inf.
    """
    check_option("kind", kind, Kind)
    labels = table.labels
    if not isinstance(employment, pd.Series):
        raise LabelError(
            "employment must be a pandas Series indexed by the table's sector labels",
            received=type(employment).__name__,
            fix="e.g. pd.Series(values, index=table.labels)",
        )
    if employment.index.has_duplicates or set(employment.index) != set(labels):
        missing = labels.difference(employment.index).tolist()[:5]
        extra = employment.index.difference(labels).tolist()[:5]
        raise LabelError(
            "employment labels do not match the table's sectors",
            received=f"missing: {missing}; extra: {extra}; duplicates: "
            f"{employment.index[employment.index.duplicated()].tolist()[:5]}",
            fix="give one employment figure per sector label of the table",
        )
    e = employment.reindex(labels).to_numpy(dtype=float)
    if not np.isfinite(e).all():
        raise NonFiniteError(
            "employment contains NaN or inf",
            received=labels[~np.isfinite(e)].tolist()[:5],
            fix="fill or correct the employment figures",
        )
    return _coefficient_multipliers(table, e / table.x_safe, kind, "employment")


def multiplier_table(table: IOTable, *, employment: pd.Series | None = None) -> pd.DataFrame:
    """Output, value-added (simple and type-I where defined) and optional employment multipliers.

    Returns
    -------
    DataFrame, shape (n, 3 or 4)
        Columns ``output``, ``value_added``, ``value_added_type_I`` (NaN where value added is 0)
        and, given `employment`, ``employment``. Unit-free except employment (see
        :func:`employment_multipliers`).
    """
    out = pd.DataFrame(
        {
            "output": output_multipliers(table),
            "value_added": value_added_multipliers(table),
        }
    )
    vc = table.v.to_numpy(dtype=float) / table.x_safe
    with np.errstate(divide="ignore", invalid="ignore"):
        out["value_added_type_I"] = np.where(vc != 0, out["value_added"].to_numpy() / vc, np.nan)
    if employment is not None:
        out["employment"] = employment_multipliers(table, employment)
    return out
