"""Conversion between :class:`~chainatlas.io.table.IOTable` and pymrio's ``IOSystem`` (pymrio 互转).

pymrio (Stadler 2021) stores a table as ``Z`` and ``Y`` with (region, sector) rows and
(region, category) final-demand columns, gross output ``x`` as a one-column frame
``indout``, and satellite accounts as *extensions* (``F`` by sector, ``F_Y`` by final-demand
column). The mapping used here:

============================  =================================================================
IOTable                       pymrio IOSystem
============================  =================================================================
Z, Y, x                       Z, Y, x (column ``indout``)
V (value-added rows)          extension ``factor_inputs``: F = V (its usual name in pymrio)
imports (competitive)         an extra final-demand category ``IM`` holding −imports
other (competitive)           an extra final-demand category ``other``
Zm, Ym (non-competitive)      extension ``imports``: F = Zm, F_Y = Ym (rows = imported
                              products)
single-region labels          one region level named by ``region``
unit                          ``unit`` frame (one unit per sector)
============================  =================================================================

With ``IM`` and ``other`` as categories, pymrio's default x = Z·1 + Y·1 reproduces the table's
gross output up to its balance gap. :func:`from_pymrio` reverses every step, so a round trip
returns the same table.

Reference: Stadler, K. (2021), Pymrio – A Python Based Multi-Regional Input-Output Analysis
Toolbox, *Journal of Open Research Software* 9(1): 8.

Examples
--------
>>> from chainatlas.io.table import IOTable
>>> t = IOTable.from_arrays(Z=[[150, 500], [200, 100]], Y=[[350], [1700]], V=[[650, 1400]],
...     sectors=["S1", "S2"], final_demand=["f"], value_added=["v"], unit="USD", source="M&B 2.3")
>>> io = to_pymrio(t)
>>> io.get_regions().tolist(), io.factor_inputs.F.index.tolist()
(['R1'], ['v'])
>>> back = from_pymrio(io)
>>> back.Z.equals(t.Z), back.unit
(True, 'USD')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from chainatlas.errors import InputError
from chainatlas.io.table import IOTable, Layout
from chainatlas.provenance import Provenance
from chainatlas.validation import validate_params

if TYPE_CHECKING:  # pragma: no cover
    import pymrio

__all__ = ["to_pymrio", "from_pymrio", "PymrioConversionError"]

IMPORTS_CATEGORY = "IM"
OTHER_CATEGORY = "other"
VALUE_ADDED_EXTENSION = "factor_inputs"
IMPORTS_EXTENSION = "imports"


class PymrioConversionError(InputError):
    """A pymrio IOSystem that cannot be turned into an IOTable (missing or inconsistent parts)."""


def _with_region(index: pd.Index, region: str, second: str) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays(
        [[region] * len(index), [str(v) for v in index]], names=["region", second]
    )


def to_pymrio(table: IOTable, *, region: str = "R1") -> pymrio.IOSystem:
    """Convert `table` to a pymrio ``IOSystem`` (nothing computed yet: call ``calc_all()``).

    Parameters
    ----------
    table : IOTable
        Any layout.
    region : str
        Region name used for a single-region table (ignored for multi-region tables).

    Returns
    -------
    pymrio.IOSystem
        ``Z`` (n × n), ``Y`` (n × k [+ IM, other]), ``x`` (n × 1, ``indout``), ``unit``,
        extension ``factor_inputs`` (F = V) and, for a non-competitive table, extension
        ``imports`` (F = Zm, F_Y = Ym). ``meta.name`` is the table's provenance source.
    """
    import pymrio

    multi = isinstance(table.labels, pd.MultiIndex)
    if multi:
        labels = table.labels.set_names(["region", "sector"])
        ycols = table.Y.columns.set_names(["region", "category"])
    else:
        labels = _with_region(table.labels, region, "sector")
        ycols = _with_region(table.Y.columns, region, "category")
    Z = pd.DataFrame(table.Z.to_numpy(dtype=float), index=labels, columns=labels)
    Y = pd.DataFrame(table.Y.to_numpy(dtype=float), index=labels, columns=ycols)
    if table.imports is not None or table.other is not None:
        if multi:
            raise PymrioConversionError(
                "a multi-region table with imports/other columns has no pymrio equivalent",
                received=table.layout,
                fix="put imports inside Z (the multi-region convention)",
            )
        if table.imports is not None:
            Y[(region, IMPORTS_CATEGORY)] = -table.imports.to_numpy(dtype=float)
        if table.other is not None:
            Y[(region, OTHER_CATEGORY)] = table.other.to_numpy(dtype=float)
    x = pd.DataFrame({"indout": table.x.to_numpy(dtype=float)}, index=labels)
    unit = pd.DataFrame({"unit": [table.unit] * table.n}, index=labels)
    V = pd.DataFrame(
        table.V.to_numpy(dtype=float),
        index=pd.Index([str(v) for v in table.V.index], name="inputtype"),
        columns=labels,
    )
    extensions: dict[str, dict[str, object]] = {
        VALUE_ADDED_EXTENSION: {
            "name": VALUE_ADDED_EXTENSION,
            "F": V,
            "unit": pd.DataFrame({"unit": [table.unit] * len(V)}, index=V.index),
        }
    }
    if table.Zm is not None:
        prod = pd.Index([str(v) for v in table.labels], name="product")
        ext: dict[str, object] = {
            "name": IMPORTS_EXTENSION,
            "F": pd.DataFrame(table.Zm.to_numpy(dtype=float), index=prod, columns=labels),
            "unit": pd.DataFrame({"unit": [table.unit] * len(prod)}, index=prod),
        }
        if table.Ym is not None:
            ext["F_Y"] = pd.DataFrame(
                table.Ym.to_numpy(dtype=float), index=prod, columns=ycols[: table.Ym.shape[1]]
            )
        extensions[IMPORTS_EXTENSION] = ext
    io = pymrio.IOSystem(Z=Z, Y=Y, x=x, unit=unit, name=table.provenance.source, **extensions)
    io.meta.change_meta("description", f"chainatlas IOTable ({table.layout}, {table.unit})")
    return io


def _frame(io: object, name: str) -> pd.DataFrame | None:
    value = getattr(io, name, None)
    return value if isinstance(value, pd.DataFrame) else None


@validate_params
def from_pymrio(
    io: pymrio.IOSystem,
    *,
    unit: str | None = None,
    layout: Layout | None = None,
    balance_rtol: float = 1e-6,
    balance_atol: float = 0.0,
    zero_output: Literal["raise", "zero-coefficients"] = "raise",
    negative_flows: Literal["raise", "allow"] = "raise",
) -> IOTable:
    """Convert a pymrio ``IOSystem`` to an :class:`IOTable`.

    Parameters
    ----------
    io : pymrio.IOSystem
        Needs ``Z`` (or ``A`` and ``x``) and ``Y``. ``x`` defaults to Z·1 + Y·1 (pymrio's rule).
    unit : str, optional
        Unit of the values; default: the system's ``unit`` (must be one unit for all sectors).
    layout : {"competitive", "non-competitive", "multi-region"}, optional
        Default: "multi-region" with more than one region, "non-competitive" when an
        ``imports`` extension is present, else "competitive".
    balance_rtol, balance_atol, zero_output, negative_flows
        Passed to :class:`IOTable` (see there).

    Returns
    -------
    IOTable
        With one region the region level is dropped (labels = sectors). Final-demand
        categories ``IM`` (negated) and ``other`` become ``imports`` and ``other``; extension
        ``factor_inputs`` becomes V, else V is one row ``VA`` = x − 1ᵀZ (a step says so);
        extension ``imports`` becomes ``Zm``/``Ym``.

    Raises
    ------
    PymrioConversionError
        Missing Z/A, Y, mixed units, or extensions not aligned with Z.
    """
    Z = _frame(io, "Z")
    Y = _frame(io, "Y")
    x_df = _frame(io, "x")
    A = _frame(io, "A")
    if Z is None and A is not None and x_df is not None:
        Z = A * x_df.iloc[:, 0].to_numpy()[np.newaxis, :]
    if Z is None or Y is None:
        raise PymrioConversionError(
            "the IOSystem lacks Z (or A and x) or Y",
            received={
                "Z": Z is not None,
                "A": A is not None,
                "x": x_df is not None,
                "Y": Y is not None,
            },
            fix="load or compute the core system (Z and Y) first",
        )
    labels = Z.index
    if not isinstance(labels, pd.MultiIndex) or labels.nlevels != 2:
        raise PymrioConversionError(
            "pymrio Z must have a (region, sector) MultiIndex", received=type(labels).__name__
        )
    if Z.shape[0] != Z.shape[1] or not Z.columns.equals(labels):
        raise PymrioConversionError(
            "pymrio Z must be square with the same (region, sector) labels on rows and columns",
            received=f"shape {Z.shape}",
            fix="repair the IOSystem (io.Z) before converting; nothing is realigned here",
        )
    for name, frame in (("Z", Z), ("Y", Y)):
        text = [c for c, dt in frame.dtypes.items() if not pd.api.types.is_numeric_dtype(dt)]
        if text:
            raise PymrioConversionError(
                f"pymrio {name} has non-numeric column(s)",
                received=text[:5],
                fix=f"convert io.{name} to numbers first (text cells are not converted silently)",
            )
    Y = Y.reindex(index=labels)
    if x_df is not None:
        xv = x_df.reindex(labels).iloc[:, 0].to_numpy(dtype=float)
        x_step = "x from io.x"
    else:
        xv = Z.to_numpy(dtype=float).sum(axis=1) + Y.to_numpy(dtype=float).sum(axis=1)
        x_step = "x = Z·1 + Y·1 (io.x missing; pymrio's rule)"
    if unit is None:
        units = _frame(io, "unit")
        vals = sorted(set(units.iloc[:, 0].astype(str))) if units is not None else []
        if len(vals) != 1:
            raise PymrioConversionError(
                "the IOSystem has no single unit",
                received=vals[:5],
                fix="pass unit='...' explicitly",
            )
        unit = vals[0]
    regions = labels.get_level_values(0).unique()
    single = len(regions) == 1
    cats = Y.columns.get_level_values(-1) if isinstance(Y.columns, pd.MultiIndex) else Y.columns
    steps = [f"converted from pymrio IOSystem {getattr(io, 'name', '')!r}", x_step]
    imports = other = None
    if single:
        idx = pd.Index(labels.get_level_values(1), name="sector")
        keep = [c not in (IMPORTS_CATEGORY, OTHER_CATEGORY) for c in cats]
        if IMPORTS_CATEGORY in set(cats):
            imports = pd.Series(
                -Y.loc[:, [c == IMPORTS_CATEGORY for c in cats]].to_numpy(dtype=float).sum(axis=1),
                index=idx,
                name="imports",
            )
            steps.append("final-demand category IM -> imports (negated)")
        if OTHER_CATEGORY in set(cats):
            other = pd.Series(
                Y.loc[:, [c == OTHER_CATEGORY for c in cats]].to_numpy(dtype=float).sum(axis=1),
                index=idx,
                name="other",
            )
            steps.append("final-demand category other -> other")
        Yd = Y.loc[:, keep]
        ycols = pd.Index(
            list(
                Yd.columns.get_level_values(-1)
                if isinstance(Yd.columns, pd.MultiIndex)
                else Yd.columns
            ),
            name="final_use",
        )
        Yd = pd.DataFrame(Yd.to_numpy(dtype=float), index=idx, columns=ycols)
    else:
        idx = labels.set_names(["region", "sector"])
        Yd = pd.DataFrame(Y.to_numpy(dtype=float), index=idx, columns=Y.columns)
    Zd = pd.DataFrame(Z.to_numpy(dtype=float), index=idx, columns=idx)
    x = pd.Series(xv, index=idx, name="x")
    fi = getattr(io, VALUE_ADDED_EXTENSION, None)
    F = _frame(fi, "F") if fi is not None else None
    if F is not None:
        if not F.columns.equals(labels):
            raise PymrioConversionError(
                "extension factor_inputs is not aligned with Z", received=F.shape
            )
        V = pd.DataFrame(F.to_numpy(dtype=float), index=list(F.index), columns=idx)
        steps.append("extension factor_inputs -> V")
    else:
        V = pd.DataFrame((xv - Zd.to_numpy().sum(axis=0))[np.newaxis, :], index=["VA"], columns=idx)
        steps.append("derived V = one row VA = x - 1'Z (no factor_inputs extension)")
    Zm = Ym = None
    ext = getattr(io, IMPORTS_EXTENSION, None)
    if ext is not None and _frame(ext, "F") is not None:
        Fm = _frame(ext, "F")
        if Fm.shape != Zd.shape:
            raise PymrioConversionError(
                "extension imports is not n × n (imported products × sectors)", received=Fm.shape
            )
        Zm = pd.DataFrame(Fm.to_numpy(dtype=float), index=idx, columns=idx)
        FmY = _frame(ext, "F_Y")
        if FmY is not None:
            Ym = pd.DataFrame(
                FmY.to_numpy(dtype=float), index=idx, columns=Yd.columns[: FmY.shape[1]]
            )
        steps.append("extension imports -> Zm, Ym")
    if layout is None:
        layout = (
            "multi-region"
            if not single
            else ("non-competitive" if Zm is not None else "competitive")
        )
    prov = Provenance(source=f"pymrio:{getattr(io, 'name', 'IO')}", steps=tuple(steps))
    return IOTable(
        Z=Zd,
        Y=Yd,
        V=V,
        x=x,
        unit=unit,
        layout=layout,
        provenance=prov,
        imports=imports,
        Zm=Zm,
        Ym=Ym,
        other=other,
        balance_rtol=balance_rtol,
        balance_atol=balance_atol,
        zero_output=zero_output,
        negative_flows=negative_flows,
    )
