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

import numpy as np
import pandas as pd

from chainatlas.errors import LabelError
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as k

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
        found = [c for c in cols if c == given or last(c) == str(given).strip().lower()]
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
        return pd.Series(u, index=table.labels, name="upstreamness")
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
    return pd.Series(u, index=table.labels, name="upstreamness")


def downstreamness(table: IOTable) -> pd.Series:
    """Input downstreamness D = 1ᵀ(I − Ã)⁻¹ (Miller & Temurshoev 2017), one LU solve.

    Ã = (Z + Zm) x̂⁻¹ in a non-competitive table (imported inputs assumed made like domestic
    ones), A otherwise; for competitive and multi-region tables D equals the output multipliers.

    Returns
    -------
    Series, shape (n,)
        Unit-free (number of stages, ≥ 1), indexed by sector, name ``"downstreamness"``.

    Raises
    ------
    NonProductiveError, SingularMatrixError
        If (I − Ã) cannot be solved.
    """
    if table.layout == "non-competitive" and table.Zm is not None:
        a = k.technical_coefficients(
            table.Z.to_numpy(dtype=float) + table.Zm.to_numpy(dtype=float), table.x_safe
        )
        k.check_productive(a)
        d = k.output_multipliers(a)
    else:
        d = k.output_multipliers(table.A.to_numpy(), lu=table.lu)
    return pd.Series(d, index=table.labels, name="downstreamness")


def positions(table: IOTable, *, open_economy: bool = True) -> pd.DataFrame:
    """Upstreamness and downstreamness of every sector, with the upstreamness rank.

    Returns
    -------
    DataFrame, shape (n, 3)
        ``upstreamness``, ``downstreamness`` (unit-free stages) and ``rank_upstream``
        (1 = most upstream), in the table's sector order.
    """
    u = upstreamness(table, open_economy=open_economy)
    d = downstreamness(table)
    out = pd.DataFrame({"upstreamness": u, "downstreamness": d})
    out["rank_upstream"] = u.rank(ascending=False, method="first").astype(int)
    return out
