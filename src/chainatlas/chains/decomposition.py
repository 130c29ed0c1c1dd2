"""Gross-export decomposition (总出口分解): Wang–Wei–Zhu (WWZ 2013) and Koopman–Wang–Wei (KWW 2014).

Labelled layer over :mod:`chainatlas.kernels.gvc` (formulas and references there). Multi-region
tables only (e.g. ``wiod-2013:YEAR``), with every economy holding the same sectors in the same
order.

Inputs taken from the table:

* A = Z x̂⁻¹ and v = (1ᵀV) / x as the table computes them (zero-output sectors: zero coefficients),
  so DVA/FVA agree with :func:`chainatlas.chains.value_added_in_exports`;
* final goods Y_sr: the final-demand categories of destination r summed (inventories included,
  as in decompr);
* **row balance.** The formulas need x = A x + Y 1 exactly. Published tables balance only up to
  rounding (WIOD: whole USD million, rows off by up to 113). The row gap x − A x − Y 1 is added
  to the producing economy's *own* final demand Y_ss, so exports E_sr = A_sr X_r + Y_sr are as
  published; the gap is reported (``attrs["row_gap_max"]``) and affects only how the
  domestically absorbed part is split;
* zero-output sectors have a zero A column (the table's policy), so 1ᵀ(I − A) = 1 there: their
  value-added coefficient is set to 1, which keeps VB = 1ᵀ exact. Their rounding-noise sales
  (WIOD: up to 11 USD million a year in all, e.g. LUX c5/c8, or 1 USD million sold to BEL c8 in
  1999) then count as their own value added instead of breaking the identity of the buyer.

Output columns: the WWZ or KWW terms, ``exports`` (gross exports E), and ``gap`` = E − Σ terms
(≤ 2e-15 relative in every WIOD year 1995–2011).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.chains._labels import (
    FinalDemandBreakdownError,
    MRLabels,
    mr_labels,
    resolve_economy,
)
from chainatlas.errors import LabelError
from chainatlas.io.table import IOTable
from chainatlas.kernels import gvc as kg
from chainatlas.progress import Progress, as_progress
from chainatlas.validation import validate_params

__all__ = [
    "WWZ_TERMS",
    "KWW_TERMS",
    "WWZ_GROUPS",
    "TERM_DESCRIPTIONS",
    "export_decomposition",
    "wwz_decomposition",
    "kww_decomposition",
    "term_groups",
]

WWZ_TERMS = kg.WWZ_TERMS
KWW_TERMS = kg.KWW_TERMS
WWZ_GROUPS = kg.WWZ_GROUPS

#: one-line meaning of every term (WWZ 2013 Table E1; KWW 2014 Figure 1; decompr's documentation)
TERM_DESCRIPTIONS: dict[str, str] = {
    "DVA_FIN": "domestic value added in final-goods exports",
    "DVA_INT": "domestic VA in intermediate exports absorbed by the direct importer",
    "DVA_INTrexI1": "domestic VA in intermediates the importer re-exports as intermediates to "
    "third economies that return as final goods to the direct importer",
    "DVA_INTrexF": "domestic VA in intermediates the importer uses for final-goods exports to "
    "third economies",
    "DVA_INTrexI2": "domestic VA in intermediates the importer re-exports as intermediates to "
    "third economies, absorbed there",
    "DVA_INTrex": "domestic VA in intermediate exports re-exported to and absorbed in third "
    "economies",
    "RDV_INT": "returned domestic VA: back home in intermediate imports, used for home final use",
    "RDV_FIN": "returned domestic VA: back home in final-goods imports (KWW: from any economy; "
    "WWZ: from the direct importer)",
    "RDV_FIN2": "returned domestic VA: back home in final-goods imports from third economies",
    "OVA_FIN": "third economies' VA in final-goods exports",
    "MVA_FIN": "direct importer's VA in final-goods exports",
    "OVA_INT": "third economies' VA in intermediate exports",
    "MVA_INT": "direct importer's VA in intermediate exports",
    "FVA_FIN": "foreign VA in final-goods exports",
    "FVA_INT": "foreign VA in intermediate exports",
    "DDC_FIN": "pure double-counted domestic VA, for final-goods export production",
    "DDC_INT": "pure double-counted domestic VA, for intermediate export production",
    "DDC": "pure double-counted domestic VA (two-way intermediate trade)",
    "ODC": "pure double-counted third economies' VA",
    "MDC": "pure double-counted direct importer's VA",
    "FDC": "pure double-counted foreign VA",
}

Level = Literal["exporter", "sector", "bilateral", "bilateral-sector"]


def _check_layout(lab: MRLabels) -> None:
    """Economy blocks of identical sectors, in order; at least two economies."""
    t = lab.table
    if lab.n_regions < 2:
        raise FinalDemandBreakdownError(
            "a gross-export decomposition needs at least two economies",
            received=f"{lab.n_regions} economy ({', '.join(map(str, lab.economies))})",
            fix="use a multi-region table such as wiod-2013:2011",
        )
    G, N = lab.n_regions, lab.n_sectors
    expected = pd.MultiIndex.from_product([lab.economies, lab.sectors])
    if t.n != G * N or not t.labels.equals(expected):
        raise LabelError(
            "the decomposition needs every economy to list the same sectors in the same order, "
            "economy by economy",
            received=f"{t.n} labels for {G} economies × {N} sectors",
            fix="reorder or complete the table so that labels run economy by economy over one "
            "sector list",
        )


def _world(table: IOTable, lab: MRLabels) -> tuple[kg.WWZWorld, float]:
    """Build the kernel inputs; returns the WWZWorld and the largest |row gap|."""
    G, N = lab.n_regions, lab.n_sectors
    A = table.A.to_numpy()
    x = table.x.to_numpy(dtype=float)
    v = table.V.to_numpy(dtype=float).sum(axis=0) / table.x_safe
    # zero-output sectors: their A column is 0, so 1ᵀ(I − A) = 1 there; v = 1 keeps vB = 1ᵀ exact
    # even when rounding left them a stray sale (WIOD 1999: 1 USD million into BEL c8)
    v[x == 0] = 1.0
    S = np.zeros((table.Y.shape[1], G))
    S[np.arange(table.Y.shape[1]), lab.y_region] = 1.0
    Y = table.Y.to_numpy(dtype=float) @ S  # (n, G) by destination economy
    gap = x - A @ x - Y.sum(axis=1)
    Y[np.arange(table.n), lab.region] += gap
    w = kg.wwz_world(A, v, x, Y, G, N, B=table.L.to_numpy())
    return w, float(np.abs(gap).max())


def _frame(
    values: np.ndarray, names: tuple[str, ...], E: np.ndarray, index: pd.Index
) -> pd.DataFrame:
    df = pd.DataFrame(values.T, index=index, columns=list(names))
    df["exports"] = E
    df["gap"] = E - values.sum(axis=0)
    return df


def _aggregate(
    terms: np.ndarray, E: np.ndarray, lab: MRLabels, level: Level, names: tuple[str, ...]
) -> pd.DataFrame:
    """terms (K, n, G), E (n, G) → a frame at `level` (own-economy cells dropped)."""
    G, N = lab.n_regions, lab.n_sectors
    eco, sec = lab.economies, lab.sectors
    if level == "sector":
        idx = pd.MultiIndex.from_product([eco, sec], names=["exporter", "sector"])
        return _frame(terms.sum(axis=2), names, E.sum(axis=1), idx)
    if level == "exporter":
        t = terms.reshape(len(names), G, N, G).sum(axis=(2, 3))
        return _frame(t, names, E.reshape(G, N, G).sum(axis=(1, 2)), pd.Index(eco, name="exporter"))
    own = np.eye(G, dtype=bool)
    if level == "bilateral":
        t = terms.reshape(len(names), G, N, G).sum(axis=2)  # (K, G, G)
        e = E.reshape(G, N, G).sum(axis=1)
        s_i, r_i = np.nonzero(~own)
        idx = pd.MultiIndex.from_arrays([eco[s_i], eco[r_i]], names=["exporter", "importer"])
        return _frame(t[:, s_i, r_i], names, e[s_i, r_i], idx)
    t = terms.reshape(len(names), G, N, G)
    e = E.reshape(G, N, G)
    s_i, j_i, r_i = np.nonzero(np.broadcast_to(~own[:, None, :], (G, N, G)))
    idx = pd.MultiIndex.from_arrays(
        [eco[s_i], sec[j_i], eco[r_i]], names=["exporter", "sector", "importer"]
    )
    return _frame(t[:, s_i, j_i, r_i], names, e[s_i, j_i, r_i], idx)


def _select(df: pd.DataFrame, lab: MRLabels, economy: str | None) -> pd.DataFrame:
    if economy is None:
        return df
    code = resolve_economy(lab, economy)
    if isinstance(df.index, pd.MultiIndex):
        return df[df.index.get_level_values("exporter") == code]
    return df.loc[[code]]


@validate_params
def export_decomposition(
    table: IOTable,
    *,
    method: Literal["wwz", "kww"] = "wwz",
    level: Level = "exporter",
    economy: str | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Decompose gross exports into value-added and double-counted terms (WWZ 2013 or KWW 2014).

    WWZ (NBER WP 19677, eq. 37) splits E_sr of every exporter-sector × importer into 16 terms
    (:data:`WWZ_TERMS`); KWW (AER 2014, eq. 36) splits each economy's E_s* into 9
    (:data:`KWW_TERMS`). At ``level="exporter"`` KWW is computed from its own formulas; at finer
    levels its terms are WWZ's mapped by WWZ Table E2 (:data:`chainatlas.kernels.gvc.WWZ_TO_KWW`).
    Equations: :mod:`chainatlas.kernels.gvc`.

    Parameters
    ----------
    table : IOTable
        Multi-region table, final demand by (destination economy, category).
    method : {"wwz", "kww"}
    level : {"exporter", "sector", "bilateral", "bilateral-sector"}
        One row per exporting economy; per exporter × sector; per exporter × importer; or per
        exporter × sector × importer (the full WWZ array, 41 × 35 × 40 rows on WIOD).
    economy : str, optional
        Keep only this exporter (case-insensitive code, e.g. ``"CHN"``).
    progress : callable, optional
        ``progress(message, fraction)`` before each stage.

    Returns
    -------
    DataFrame
        The terms in the table's unit, ``exports`` (gross exports) and ``gap`` (E − Σ terms).
        ``attrs`` holds ``method``, ``level``, ``unit`` and ``row_gap_max`` (largest |x − A x − Y 1|
        folded into own final demand).

    Raises
    ------
    FinalDemandBreakdownError
        Single-region table, one economy, or Y without destination economies.
    LabelError
        Economies with different sector lists.
    UnknownCodeError
        `economy` not in the table (close codes suggested).
    InputError
        Unknown `method` or `level`.

    Examples
    --------
    >>> from chainatlas.io.table import IOTable
    >>> from chainatlas.provenance import Provenance
    >>> idx = pd.MultiIndex.from_product([["A", "B"], ["s1"]], names=["region", "sector"])
    >>> Z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=idx, columns=idx)
    >>> yc = pd.MultiIndex.from_product([["A", "B"], ["hh"]], names=["region", "category"])
    >>> Y = pd.DataFrame([[50.0, 20.0], [10.0, 55.0]], index=idx, columns=yc)
    >>> x = Z.sum(axis=1) + Y.sum(axis=1); V = pd.DataFrame([x - Z.sum(axis=0)], index=["VA"])
    >>> t = IOTable(Z=Z, Y=Y, V=V, x=x, unit="USD", layout="multi-region",
    ...             provenance=Provenance("toy"))
    >>> d = export_decomposition(t)
    >>> bool(np.allclose(d[list(WWZ_TERMS)].sum(axis=1), d["exports"]))
    True
    """
    lab = mr_labels(table)
    _check_layout(lab)
    if economy is not None:
        resolve_economy(lab, economy)  # fail before the work
    report = as_progress(progress)
    report("preparing world matrices", 0.0)
    w, row_gap = _world(table, lab)
    if method == "kww" and level == "exporter":
        report("KWW terms", 0.5)
        df = _frame(
            kg.kww_terms(w),
            KWW_TERMS,
            w.E.reshape(lab.n_regions, -1).sum(axis=1),
            pd.Index(lab.economies, name="exporter"),
        )
    else:
        report("WWZ terms", 0.5)
        terms = kg.wwz_terms(w)
        names = WWZ_TERMS
        if method == "kww":
            terms, names = kg.wwz_to_kww(terms), KWW_TERMS
        df = _aggregate(terms, w.E, lab, level, names)
    report("done", 1.0)
    df = _select(df, lab, economy)
    df.attrs.update({"method": method, "level": level, "unit": table.unit, "row_gap_max": row_gap})
    return df


@validate_params
def wwz_decomposition(
    table: IOTable, *, level: Level = "exporter", economy: str | None = None
) -> pd.DataFrame:
    """WWZ (2013) 16-term decomposition; :func:`export_decomposition` with ``method="wwz"``."""
    return export_decomposition(table, method="wwz", level=level, economy=economy)


@validate_params
def kww_decomposition(
    table: IOTable, *, level: Level = "exporter", economy: str | None = None
) -> pd.DataFrame:
    """KWW (2014) 9-term decomposition; :func:`export_decomposition` with ``method="kww"``."""
    return export_decomposition(table, method="kww", level=level, economy=economy)


def term_groups(df: pd.DataFrame) -> pd.DataFrame:
    """The four broad groups of a WWZ or KWW result, and their shares of gross exports.

    ``DVA`` = domestic value added absorbed abroad (WWZ terms 1–5; KWW DVA_FIN + DVA_INT +
    DVA_INTrex), ``RDV`` = returned domestic value added, ``FVA`` = foreign value added,
    ``PDC`` = pure double counting (DDC + FDC). Shares are unit-free (NaN when exports are 0).

    Examples
    --------
    >>> d = pd.DataFrame({"DVA_FIN": [6.0], "DVA_INT": [1.0], "DVA_INTrex": [1.0],
    ...                   "RDV_FIN": [0.5], "RDV_INT": [0.0], "DDC": [0.5], "FVA_FIN": [0.5],
    ...                   "FVA_INT": [0.3], "FDC": [0.2], "exports": [10.0]})
    >>> term_groups(d)[["DVA", "FVA", "PDC"]].iloc[0].tolist()
    [8.0, 0.8, 0.7]
    """
    if "DVA_INTrex" in df.columns:
        groups = {
            "DVA": ("DVA_FIN", "DVA_INT", "DVA_INTrex"),
            "RDV": ("RDV_FIN", "RDV_INT"),
            "FVA": ("FVA_FIN", "FVA_INT"),
            "PDC": ("DDC", "FDC"),
        }
    else:
        groups = dict(WWZ_GROUPS)
    out = pd.DataFrame({g: df[list(cols)].sum(axis=1) for g, cols in groups.items()})
    out["exports"] = df["exports"]
    e = df["exports"].where(df["exports"] != 0)
    for g in groups:
        out[f"{g}_share"] = out[g] / e
    return out
