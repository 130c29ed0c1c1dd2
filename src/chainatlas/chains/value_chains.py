"""Value added in trade and GVC participation (全球价值链：出口增加值分解与参与度).

Multi-region tables only. Formulas (for economy-sector j of economy s, exporter):

* gross exports E_j = Σ_{k∉s} Z_jk + Σ_{c∉s} Y_jc (sales to other economies);
* value-added coefficients v_j = (1ᵀV)_j / x_j, L = (I − A)⁻¹ the global Leontief inverse;
* DVA_j = Σ_{i∈s} v_i L_ij E_j (domestic value added in exports),
  FVA_j = Σ_{i∉s} v_i L_ij E_j (foreign value added, Hummels–Ishii–Yi's vertical specialisation VS);
  E = DVA + FVA exactly because vᵀL = 1ᵀ (Koopman, Wang & Wei 2014);
* DVX_i = v_i Σ_{j∉s} L_ij E_j: value added of i embodied in other economies' gross exports
  (HIY's VS1; Daudin, Rifflart & Schweisguth 2011; OECD TiVA "EXGR_DVAFXSH").

GVC participation of economy s (Koopman et al. 2010 participation index, with VS1 as the forward
part): backward = FVA_s / E_s, forward = DVX_s / E_s, participation = backward + forward.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from chainatlas.chains._labels import mr_labels
from chainatlas.errors import check_option
from chainatlas.io.table import IOTable
from chainatlas.kernels import mrio
from chainatlas.validation import validate_params

__all__ = ["gross_exports", "value_added_in_exports"]


def gross_exports(table: IOTable) -> pd.DataFrame:
    """Gross exports of every economy-sector, total and final goods.

    Parameters
    ----------
    table : IOTable
        Multi-region table with Y columns (destination economy, category).

    Returns
    -------
    DataFrame, index (economy, sector), shape (n, 3)
        ``exports``, ``final_exports`` and ``intermediate_exports`` in the table's unit.

    Raises
    ------
    FinalDemandBreakdownError
        If the table is not multi-region or Y has no destination-economy breakdown.
    """
    lab = mr_labels(table)
    E, Ef = mrio.gross_exports(
        table.Z.to_numpy(dtype=float), table.Y.to_numpy(dtype=float), lab.region, lab.y_region
    )
    return pd.DataFrame(
        {"exports": E, "final_exports": Ef, "intermediate_exports": E - Ef}, index=table.labels
    )


@validate_params
def value_added_in_exports(
    table: IOTable, *, level: Literal["economy", "economy-sector"] = "economy"
) -> pd.DataFrame:
    """Domestic and foreign value added in gross exports, and GVC participation.

    Formulas in the module docstring (HIY 2001; KWW 2014). The identity E = DVA + FVA holds
    exactly when the table's columns balance (v = 1ᵀ(I − A)); column ``gap`` = E − DVA − FVA
    shows any residual.

    Parameters
    ----------
    table : IOTable
        Multi-region table with Y columns (destination economy, category).
    level : {"economy", "economy-sector"}
        Aggregate per exporting economy, or per exporting economy-sector.

    Returns
    -------
    DataFrame
        Index economies (R rows) or (economy, sector) (n rows). Columns, in the table's unit:
        ``exports`` E, ``DVA``, ``FVA``, ``DVX`` (own value added in other economies' exports),
        ``gap``; shares (unit-free, NaN when E = 0): ``fva_share`` = FVA/E (= ``gvc_backward``),
        ``dva_share``, ``gvc_forward`` = DVX/E, ``gvc_participation`` = backward + forward.

    Raises
    ------
    FinalDemandBreakdownError
        If the table is not multi-region or Y has no destination-economy breakdown.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from chainatlas.io.table import IOTable
    >>> from chainatlas.provenance import Provenance
    >>> idx = pd.MultiIndex.from_product([["A", "B"], ["s1"]], names=["region", "sector"])
    >>> Z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=idx, columns=idx)
    >>> ycol = pd.MultiIndex.from_product([["A", "B"], ["hh"]], names=["region", "category"])
    >>> Y = pd.DataFrame([[50.0, 20.0], [10.0, 55.0]], index=idx, columns=ycol)
    >>> x = Z.sum(axis=1) + Y.sum(axis=1); V = pd.DataFrame([x - Z.sum(axis=0)], index=["VA"])
    >>> t = IOTable(Z=Z, Y=Y, V=V, x=x, unit="USD", layout="multi-region",
    ...             provenance=Provenance("toy"))
    >>> r = value_added_in_exports(t)
    >>> bool(np.allclose(r["DVA"] + r["FVA"], r["exports"]))
    True
    """
    check_option("level", level, ("economy", "economy-sector"))
    lab = mr_labels(table)
    Z = table.Z.to_numpy(dtype=float)
    E, _ = mrio.gross_exports(Z, table.Y.to_numpy(dtype=float), lab.region, lab.y_region)
    v = table.V.to_numpy(dtype=float).sum(axis=0) / table.x_safe
    v[table.x.to_numpy() == 0] = 0.0  # zero-output sectors: coefficients 0 (table policy)
    out = mrio.value_added_in_exports(
        table.A.to_numpy(), v, E, lab.region, lab.n_regions, lu=table.lu
    )
    df = pd.DataFrame(
        {"exports": E, "DVA": out["DVA"], "FVA": out["FVA"], "DVX": out["DVX"]},
        index=table.labels,
    )
    if level == "economy":
        df = df.groupby(level=0, sort=False).sum()
        df.index.name = "economy"
    df["gap"] = df["exports"] - df["DVA"] - df["FVA"]
    e = df["exports"].where(df["exports"] > 0)
    df["dva_share"] = df["DVA"] / e
    df["fva_share"] = df["FVA"] / e
    df["gvc_backward"] = df["fva_share"]
    df["gvc_forward"] = df["DVX"] / e
    df["gvc_participation"] = df["gvc_backward"] + df["gvc_forward"]
    return df
