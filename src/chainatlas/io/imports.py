"""Import dependence of each sector (进口依赖度), from non-competitive tables.

A non-competitive table splits intermediate use into a domestic block Z (n × n) and an imported
block Zm (n × n); A = Z x̂⁻¹, A_m = Zm x̂⁻¹ and L = (I − A)⁻¹ is the domestic Leontief inverse.

* **direct** import share of sector j's intermediate inputs:
  s_j = 1ᵀZm_{:,j} / (1ᵀZ_{:,j} + 1ᵀZm_{:,j});
* **total imported-input content** per unit of final demand for j (direct and through every
  domestic stage; Hummels, Ishii & Yi 2001, "vertical specialisation"; M&B §6.3):
  m_j = (1ᵀ A_m L)_j;
* **total intermediate-input content** per unit of final demand for j:
  t_j = (1ᵀ (A + A_m) L)_j = m_j + (1ᵀL)_j − 1 (since A L = L − I);
* **total** import share: m_j / t_j.

m is computed by one LU solve (I − A)ᵀ m = A_mᵀ1; L is not formed.

Examples
--------
>>> import pandas as pd
>>> from chainatlas.io.table import IOTable
>>> from chainatlas.provenance import Provenance
>>> s = pd.Index(["S1", "S2"])
>>> t = IOTable(Z=pd.DataFrame([[150.0, 500], [200, 100]], index=s, columns=s),
...     Y=pd.DataFrame({"f": [350.0, 1700]}, index=s), V=pd.DataFrame([[550.0, 1200]], columns=s),
...     x=pd.Series([1000.0, 2000], index=s), unit="USD", layout="non-competitive",
...     provenance=Provenance("example"), Zm=pd.DataFrame([[50.0, 100], [50, 100]], index=s, columns=s))
>>> import_dependence(t)["direct_share"].round(4).tolist()
[0.2222, 0.25]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from chainatlas.errors import DegenerateError, InputError
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as k

__all__ = ["LayoutError", "import_dependence"]


class LayoutError(InputError):
    """A method needs a table layout other than the one given (e.g. non-competitive)."""


def _require_noncompetitive(table: IOTable, what: str) -> pd.DataFrame:
    if table.layout != "non-competitive" or table.Zm is None:
        raise LayoutError(
            f"{what} needs a non-competitive table with an imports block Zm",
            received=f"layout {table.layout!r}" + (", no Zm" if table.Zm is None else ""),
            fix="use a non-competitive table, e.g. china-io:2020-42, china-io:2018-42 or "
            "china-io:2017-42",
        )
    return table.Zm


def import_dependence(table: IOTable) -> pd.DataFrame:
    """Direct and total import dependence of every sector's intermediate inputs.

    Parameters
    ----------
    table : IOTable
        A non-competitive table (``layout == "non-competitive"`` with ``Zm``).

    Returns
    -------
    DataFrame, shape (n, 5)
        ``direct_share`` (1ᵀZm / (1ᵀZ + 1ᵀZm), unit-free), ``imported_inputs`` (1ᵀZm, table
        unit), ``total_imported`` (1ᵀA_mL: imported inputs per unit of final demand),
        ``total_intermediate`` (1ᵀ(A + A_m)L) and ``total_share`` (their ratio).

    Raises
    ------
    LayoutError
        If the table is not non-competitive.
    DegenerateError
        If a sector has no intermediate inputs at all (the share is undefined).
    """
    Zm = _require_noncompetitive(table, "import dependence")
    zm = Zm.to_numpy(dtype=float).sum(axis=0)
    zd = table.Z.to_numpy(dtype=float).sum(axis=0)
    denom = zd + zm
    if (denom == 0).any():
        raise DegenerateError(
            "import share undefined: sector(s) with no intermediate inputs",
            received=table.labels[denom == 0].tolist()[:10],
            fix="drop or aggregate those sectors",
        )
    a = table.A.to_numpy()
    am_col = zm / table.x_safe
    m = k.input_multipliers(a, am_col, lu=table.lu)
    mult = k.output_multipliers(a, lu=table.lu)
    total_inter = m + mult - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        total_share = np.where(total_inter > 0, m / total_inter, 0.0)
    return pd.DataFrame(
        {
            "direct_share": zm / denom,
            "imported_inputs": zm,
            "total_imported": m,
            "total_intermediate": total_inter,
            "total_share": total_share,
        },
        index=table.labels,
    )
