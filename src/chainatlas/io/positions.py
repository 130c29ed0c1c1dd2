"""Position in the production chain (产业链位置): upstreamness and downstreamness.

**Upstreamness** (上游度; Antràs, Chor, Fally & Hillberry 2012, AER P&P 102(3): 412–416, eq. 7–8)
is the average number of production stages a product passes through before it reaches final
use: U_i = 1·F_i/Y_i + 2·Σ_j d_ij F_j/Y_i + 3·… . In matrix form U = (I − Δ)⁻¹ 1 with

    Δ_ij = Z_ij / (x_i − X_i + M_i − N_i)

(the open-economy and inventory adjustment of the paper: exports X and imports M are assumed to
be used in the same proportions as domestic absorption, and inventory changes N are netted out).
Without the adjustment Δ = B = x̂⁻¹Z and U = G·1, the total forward linkage (Miller & Temurshoev
2017, Economic Systems Research 29(2)).

Which flows enter, by layout:

* ``competitive``: Z (imports included), X = the exports column of Y, M = ``table.imports``,
  N = the inventory-change column of Y;
* ``non-competitive``: the total use of each product, Z + Zm, X = exports, M = Zm·1 + Ym·1 (all
  imports of the product), N = inventory changes (domestic plus imported);
* ``multi-region``: the world is closed (X = M = 0); N = the inventory columns of all regions.

**Downstreamness** (下游度; Miller & Temurshoev 2017, "input downstreamness"): the average number
of stages embodied in a unit of j's output counted from primary inputs, D = 1ᵀ(I − Ã)⁻¹ with
Ã = Z̃ x̂⁻¹ the total-use coefficients (Z̃ = Z + Zm in a non-competitive table, Z otherwise). It is
the total backward linkage; D ≥ 1. Antràs & Chor (2013) discuss both measures.

On multi-region tables the default applies the **net-inventory correction** of Antràs & Chor
(2018, eq. 9 and §3): Ã = diag(x/(x − N)) Z x̂⁻¹, N = the inventory columns of all regions, the
same correction upstreamness uses. Against Antràs & Chor's published WIOD positions (R package
concordance, ``upstream``) it gives r = 0.9988 (1995), 0.9983 (2005) and 0.9990 (2011) on the
economy-sectors with output ≥ USD 1,000 million (1,120–1,264 of 1,435); with all sectors
0.958, 0.979 and 0.985 — the public WIOD tables are rounded to whole USD million, which
dominates small sectors. ``correction="none"`` gives the plain D = 1ᵀL.

**Zero-output sectors** (WIOD: 18–22 per year, e.g. private households c35) have no position:
both measures are NaN there, and the result's ``attrs["note"]`` lists them (the formulas would
give 1, a number with no meaning).

Examples
--------
>>> from chainatlas.io.table import IOTable
>>> t = IOTable.from_arrays(Z=[[150, 500], [200, 100]], Y=[[350], [1700]], V=[[650, 1400]],
...     sectors=["S1", "S2"], final_demand=["f"], value_added=["v"], unit="USD", source="M&B 2.3")
>>> upstreamness(t).round(6).tolist()
[1.914191, 1.254125]
>>> downstreamness(t).round(6).tolist()
[1.518152, 1.452145]
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.errors import LabelError
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as k
from chainatlas.validation import validate_params

__all__ = ["upstreamness", "downstreamness", "positions", "final_use_column"]

#: names recognised (case-insensitively; last level of a tuple) for exports and inventories
EXPORT_NAMES = ("ex", "exports", "export", "exp")
INVENTORY_NAMES = (
    "fu202",
    "inventories",
    "inventory",
    "changes in inventories",
    "inventory changes",
    "inven",
    "civ",
    "c42",
)


def final_use_column(
    table: IOTable, role: str, names: tuple[str, ...], given: Hashable | None = None
) -> list[Hashable]:
    """Columns of ``table.Y`` playing `role` (``"exports"`` or ``"inventories"``).

    `given` names the column explicitly (for a multi-region table: the category, matched on the
    last level). Otherwise the known `names` are matched case-insensitively.

    Raises
    ------
    LabelError
        If `given` is not a column of Y.
    """
    cols = list(table.Y.columns)

    def last(c: Hashable) -> str:
        return str(c[-1] if isinstance(c, tuple) else c).strip().lower()

    if given is not None:
        found: list[Hashable] = [
            c for c in cols if c == given or last(c) == str(given).strip().lower()
        ]
        if not found:
            raise LabelError(
                f"{role} column {given!r} is not a final-demand column",
                received=[str(c) for c in cols[:12]],
                fix=f"pass one of the table's final-demand columns as `{role}`",
            )
        return found
    return [c for c in cols if last(c) in names]


def _sum_cols(df: pd.DataFrame | None, cols: list[Hashable]) -> np.ndarray | None:
    if df is None or not cols:
        return None
    present = [c for c in cols if c in df.columns]
    if not present:
        return None
    return df[present].to_numpy(dtype=float).sum(axis=1)


def upstreamness(
    table: IOTable,
    *,
    open_economy: bool = True,
    exports: Hashable | None = None,
    inventories: Hashable | None = None,
) -> pd.Series:
    """Upstreamness U = (I − Δ)⁻¹ 1 (Antràs, Chor, Fally & Hillberry 2012), one LU solve.

    Parameters
    ----------
    table : IOTable
    open_economy : bool
        Apply the paper's adjustment Δ_ij = Z_ij / (x_i − X_i + M_i − N_i) (default). ``False``
        gives Δ = B on the table's own Z (domestic Z in a non-competitive table), U = G·1.
    exports, inventories : label, optional
        Final-demand columns holding exports and changes in inventories; by default recognised by
        name (``EX``, ``exports``; ``FU202``, ``inventories``...). None found means zeros.

    Returns
    -------
    Series, shape (n,)
        Unit-free (number of stages, ≥ 1), indexed by sector, name ``"upstreamness"``.

    Raises
    ------
    DegenerateError
        If a product's absorption x − X + M − N is ≤ 0 while it is used as an input.
    NonProductiveError
        If ρ(Δ) ≥ 1.
    LabelError
        If `exports` or `inventories` is not a column of Y.
    """
    x = table.x.to_numpy(dtype=float)
    if not open_economy:
        u = k.upstreamness(table.Z.to_numpy(dtype=float), x)
        return _mark_zero_output(pd.Series(u, index=table.labels, name="upstreamness"), table)
    ex_cols = final_use_column(table, "exports", EXPORT_NAMES, exports)
    inv_cols = final_use_column(table, "inventories", INVENTORY_NAMES, inventories)
    Z = table.Z.to_numpy(dtype=float)
    X = M = None
    N = _sum_cols(table.Y, inv_cols)
    if table.layout == "competitive":
        X = _sum_cols(table.Y, ex_cols)
        M = table.imports.to_numpy(dtype=float) if table.imports is not None else None
    elif table.layout == "non-competitive":
        X = _sum_cols(table.Y, ex_cols)
        M = np.zeros(table.n)
        if table.Zm is not None:
            Z = Z + table.Zm.to_numpy(dtype=float)
            M += table.Zm.to_numpy(dtype=float).sum(axis=1)
        if table.Ym is not None:
            M += table.Ym.to_numpy(dtype=float).sum(axis=1)
            xm = _sum_cols(table.Ym, ex_cols)
            nm = _sum_cols(table.Ym, inv_cols)
            X = xm if X is None else (X if xm is None else X + xm)
            N = nm if N is None else (N if nm is None else N + nm)
    u = k.upstreamness(Z, x, exports=X, imports=M, inventories=N)
    return _mark_zero_output(pd.Series(u, index=table.labels, name="upstreamness"), table)


def _mark_zero_output(values: pd.Series, table: IOTable) -> pd.Series:
    """NaN for zero-output sectors, listed in ``attrs["note"]`` (no position without output)."""
    zero = table.x.to_numpy(dtype=float) == 0
    if zero.any():
        values = values.where(~zero)
        labels = [
            " ".join(map(str, lab)) if isinstance(lab, tuple) else str(lab)
            for lab in table.labels[zero]
        ]
        values.attrs["note"] = (
            f"{int(zero.sum())} zero-output sector(s) have no position (NaN): "
            + ", ".join(labels[:30])
            + (" …" if len(labels) > 30 else "")
        )
    return values


def _inventories(table: IOTable, given: Hashable | None) -> np.ndarray | None:
    cols = final_use_column(table, "inventories", INVENTORY_NAMES, given)
    return _sum_cols(table.Y, cols)


@validate_params
def downstreamness(
    table: IOTable,
    *,
    correction: Literal["auto", "net-inventories", "none"] = "auto",
    inventories: Hashable | None = None,
) -> pd.Series:
    """Input downstreamness D = 1ᵀ(I − Ã)⁻¹ (Miller & Temurshoev 2017; Antràs & Chor 2018).

    ``correction="net-inventories"``: Ã = diag(x/(x − N)) Z̃ x̂⁻¹ with N the changes in
    inventories (Antràs & Chor 2018); ``"none"``: Ã = Z̃ x̂⁻¹, D = the output multipliers.
    ``"auto"`` (default) corrects multi-region tables and leaves the others plain. Z̃ = Z + Zm in
    a non-competitive table (imported inputs assumed made like domestic ones), Z otherwise.

    Parameters
    ----------
    table : IOTable
    correction : {"auto", "net-inventories", "none"}
    inventories : label, optional
        Final-demand column (multi-region: category) of inventory changes; by default recognised
        by name (``INVEN``, ``FU202``, ``inventories``…). None found means N = 0.

    Returns
    -------
    Series, shape (n,)
        Unit-free (number of stages, ≥ 1), indexed by sector, name ``"downstreamness"``; NaN for
        zero-output sectors (listed in ``attrs["note"]``).

    Raises
    ------
    InputError
        Unknown `correction`.
    LabelError
        If `inventories` is not a column of Y.
    DegenerateError
        If x − N ≤ 0 for a product sold as an input (corrected variant).
    NonProductiveError, SingularMatrixError
        If (I − Ã) cannot be solved.

    Examples
    --------
    >>> from chainatlas.io.table import IOTable
    >>> t = IOTable.from_arrays(Z=[[150, 500], [200, 100]], Y=[[250, 100], [1700, 0]],
    ...     V=[[650, 1400]], sectors=["S1", "S2"], final_demand=["hh", "inventories"],
    ...     value_added=["v"], unit="USD", source="M&B 2.3 with inventories")
    >>> downstreamness(t).round(6).tolist()
    [1.518152, 1.452145]
    >>> downstreamness(t, correction="net-inventories").round(6).tolist()
    [1.562264, 1.509434]
    """
    if correction == "auto":
        correction = "net-inventories" if table.layout == "multi-region" else "none"
    x = table.x.to_numpy(dtype=float)
    N = _inventories(table, inventories) if correction == "net-inventories" else None
    if table.layout == "non-competitive" and table.Zm is not None:
        Z = table.Z.to_numpy(dtype=float) + table.Zm.to_numpy(dtype=float)
        if N is not None and table.Ym is not None:
            nm = _sum_cols(
                table.Ym, final_use_column(table, "inventories", INVENTORY_NAMES, inventories)
            )
            N = N if nm is None else N + nm
        d = k.downstreamness(Z, x, inventories=N)
    elif N is None:
        d = k.output_multipliers(table.A.to_numpy(), lu=table.lu)
    else:
        Zc = table.A.to_numpy() * x[None, :]  # Z with the table's zero-output policy
        d = k.downstreamness(Zc, x, inventories=N)
    out = pd.Series(d, index=table.labels, name="downstreamness")
    out.attrs["correction"] = correction
    return _mark_zero_output(out, table)


@validate_params
def positions(
    table: IOTable,
    *,
    open_economy: bool = True,
    correction: Literal["auto", "net-inventories", "none"] = "auto",
) -> pd.DataFrame:
    """Upstreamness and downstreamness of every sector, with the upstreamness rank.

    Parameters
    ----------
    table : IOTable
    open_economy : bool
        Passed to :func:`upstreamness`.
    correction : {"auto", "net-inventories", "none"}
        Passed to :func:`downstreamness`.

    Returns
    -------
    DataFrame, shape (n, 3)
        ``upstreamness``, ``downstreamness`` (unit-free stages) and ``rank_upstream``
        (1 = most upstream; NaN for zero-output sectors, the column is then float), in the
        table's sector order.
        ``attrs["note"]`` names the zero-output sectors, whose positions are NaN.
    """
    u = upstreamness(table, open_economy=open_economy)
    d = downstreamness(table, correction=correction)
    out = pd.DataFrame({"upstreamness": u, "downstreamness": d})
    rank = u.rank(ascending=False, method="first")
    # whole numbers; float with NaN only when zero-output sectors have no position
    out["rank_upstream"] = rank if rank.isna().any() else rank.astype(int)
    if "note" in d.attrs:
        out.attrs["note"] = d.attrs["note"]
    out.attrs["downstreamness_correction"] = d.attrs["correction"]
    return out
