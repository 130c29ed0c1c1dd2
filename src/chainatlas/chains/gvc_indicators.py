"""GVC participation and position (全球价值链参与度与地位): Koopman et al. (2010), Wang et al. (2017).

Labelled layer over :mod:`chainatlas.kernels.gvc_indicators` and the KWW/WWZ decomposition
(:mod:`chainatlas.chains.decomposition`, whose input policy — coefficients as the table computes
them, the row gap folded into own final demand — applies here too).

Indicators of :func:`gvc_indicators`, per economy or economy-sector:

* **Koopman, Powers, Wang & Wei (2010)**, from the KWW (2014) terms of gross exports E:
  IV = DVA_INTrex (indirect value-added exports: domestic value added in intermediates the
  importer re-exports), FV = FVA_FIN + FVA_INT + FDC (foreign value added, VS);
  ``koopman_participation`` = IV/E + FV/E, ``koopman_position`` = ln(1 + IV/E) − ln(1 + FV/E)
  (> 0: upstream, supplies inputs others export). Sector rows use WWZ mapped to KWW by exporting
  sector (WWZ Table E2).
* **Wang, Wei, Yu & Zhu (2017a)** production-based participation: value added (forward) and
  final goods (backward) split into pure domestic, traditional final trade, simple GVC
  (crosses a border once for production) and complex GVC (more than once);
  ``gvc_forward`` = (simple + complex) / value added, ``gvc_backward`` = (simple + complex) /
  final goods, with the simple and complex parts beside them.
* **Wang, Wei, Yu & Zhu (2017b)** GVC production length: ``PLv_GVC`` (forward, stages from the
  economy-sector's value added to final use along GVC paths), ``PLy_GVC`` (backward, stages
  embodied in its final goods), and ``gvc_position`` = PLv_GVC / PLy_GVC (> 1: upstream).

Economy rows aggregate amounts first (ratios of sums). Shares are unit-free, NaN when the
denominator is 0 (e.g. zero-output sectors).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.chains._labels import mr_labels
from chainatlas.chains.decomposition import _check_layout, _world, export_decomposition
from chainatlas.io.table import IOTable
from chainatlas.kernels import gvc_indicators as kgi
from chainatlas.validation import validate_params

__all__ = ["gvc_indicators"]

PARTS = kgi.PRODUCTION_PARTS


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return num / den.where(den != 0)


def _koopman(table: IOTable, level: str) -> pd.DataFrame:
    if level == "economy":
        k = export_decomposition(table, method="kww", level="exporter")
    else:
        k = export_decomposition(table, method="kww", level="sector")
    e = k["exports"]
    iv = k["DVA_INTrex"]
    fv = k["FVA_FIN"] + k["FVA_INT"] + k["FDC"]
    out = pd.DataFrame({"exports": e, "IV": iv, "FV": fv})
    out["koopman_participation"] = _ratio(iv + fv, e)
    out["koopman_position"] = np.log1p(_ratio(iv, e)) - np.log1p(_ratio(fv, e))
    return out


@validate_params
def gvc_indicators(
    table: IOTable, *, level: Literal["economy", "economy-sector"] = "economy"
) -> pd.DataFrame:
    """GVC participation and position: Koopman et al. (2010) and Wang et al. (2017a, b).

    Definitions in the module docstring.

    Parameters
    ----------
    table : IOTable
        Multi-region table with final demand by (destination economy, category).
    level : {"economy", "economy-sector"}

    Returns
    -------
    DataFrame
        Index: economies, or (economy, sector). Amounts in the table's unit: ``exports``, ``IV``,
        ``FV``, ``value_added``, ``final_goods``, ``va_<part>`` and ``fg_<part>`` for the four
        production parts; unit-free: ``koopman_participation``, ``koopman_position``,
        ``gvc_forward`` (+ ``_simple``/``_complex``), ``gvc_backward`` (+ parts), ``PLv_GVC``,
        ``PLy_GVC`` (stages) and ``gvc_position``.

    Raises
    ------
    FinalDemandBreakdownError
        Single-region table, one economy, or Y without destination economies.
    InputError
        Unknown `level`.
    """
    lab = mr_labels(table)
    _check_layout(lab)
    w, _ = _world(table, lab)
    A = table.A.to_numpy()
    v = w.v
    G, N = lab.n_regions, lab.n_sectors
    fwd, bwd = kgi.production_decomposition(A, v, w.Y, G, N, lu=table.lu)
    pl = kgi.gvc_production_length(A, v, w.Y, G, N, lu=table.lu)
    amounts = {f"va_{p}": fwd[i] for i, p in enumerate(PARTS)}
    amounts.update({f"fg_{p}": bwd[i] for i, p in enumerate(PARTS)})
    amounts.update({k: pl[k] for k in ("V_GVC", "X_GVC", "Y_GVC", "XY_GVC")})
    df = pd.DataFrame(amounts, index=table.labels)
    if level == "economy":
        df = df.groupby(level=0, sort=False).sum()
        df.index.name = "economy"
    df["value_added"] = df[[f"va_{p}" for p in PARTS]].sum(axis=1)
    df["final_goods"] = df[[f"fg_{p}" for p in PARTS]].sum(axis=1)
    out = _koopman(table, level).set_axis(df.index)
    out = pd.concat([out, df], axis=1)
    for side, den in (("forward", "value_added"), ("backward", "final_goods")):
        pre = "va" if side == "forward" else "fg"
        simple = _ratio(out[f"{pre}_gvc_simple"], out[den])
        complex_ = _ratio(out[f"{pre}_gvc_complex"], out[den])
        out[f"gvc_{side}"] = simple + complex_
        out[f"gvc_{side}_simple"] = simple
        out[f"gvc_{side}_complex"] = complex_
    out["PLv_GVC"] = _ratio(out["X_GVC"], out["V_GVC"])
    out["PLy_GVC"] = _ratio(out["XY_GVC"], out["Y_GVC"])
    out["gvc_position"] = out["PLv_GVC"] / out["PLy_GVC"]
    return out.drop(columns=["V_GVC", "X_GVC", "Y_GVC", "XY_GVC"])
