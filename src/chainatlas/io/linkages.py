"""Rasmussen–Hirschman linkages and key sectors (产业关联与关键部门), Miller & Blair (2009) §12.2.

* backward linkage (后向关联) of j: total = column sum of L, 1ᵀL; direct = column sum of A;
* forward linkage (前向关联) of i: total = row sum of the Ghosh inverse, G·1; direct = row sum of B;
* normalised (Rasmussen 1956) by the mean over all sectors: n·u / Σu, so the average sector is 1.

Totals are computed by LU solves: 1ᵀL from (I − A)ᵀ m = 1 and G·1 = x̂⁻¹(I − A)⁻¹x from
(I − A) y = x; neither L nor G is formed.

Key-sector typology on the normalised linkages (Chenery–Watanabe / Rasmussen quadrants):

=================  ==============  ======================
backward > 1       forward > 1     type
=================  ==============  ======================
yes                yes             key (关键部门)
yes                no              backward-oriented (后向关联型)
no                 yes             forward-oriented (前向关联型)
no                 no              weak (弱关联部门)
=================  ==============  ======================

Examples
--------
>>> from chainatlas.io.table import IOTable
>>> t = IOTable.from_arrays(Z=[[150, 500], [200, 100]], Y=[[350], [1700]], V=[[650, 1400]],
...     sectors=["S1", "S2"], final_demand=["f"], value_added=["v"], unit="USD", source="M&B 2.3")
>>> backward_linkages(t, normalise=False).round(6).tolist()
[1.518152, 1.452145]
>>> key_sectors(t)["type"].tolist()
['key', 'weak']
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.errors import check_option
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as k
from chainatlas.validation import validate_params

__all__ = [
    "backward_linkages",
    "forward_linkages",
    "linkages",
    "key_sectors",
    "TYPOLOGY",
]

Basis = Literal["total", "direct"]

#: typology code -> (中文, English)
TYPOLOGY: dict[str, tuple[str, str]] = {
    "key": ("关键部门", "key sector"),
    "backward-oriented": ("后向关联型", "backward-oriented"),
    "forward-oriented": ("前向关联型", "forward-oriented"),
    "weak": ("弱关联部门", "weak linkages"),
}


@validate_params
def backward_linkages(
    table: IOTable, *, kind: Basis = "total", normalise: bool = True
) -> pd.Series:
    """Backward linkages: total 1ᵀL (M&B eq. 12.1) or direct 1ᵀA (eq. 12.2).

    Parameters
    ----------
    table : IOTable
    kind : {"total", "direct"}
    normalise : bool
        Divide by the mean over sectors (Rasmussen index, M&B eq. 12.3), so the mean is 1.

    Returns
    -------
    Series, shape (n,)
        Unit-free, indexed by sector, name ``"backward_total"`` or ``"backward_direct"``.

    Raises
    ------
    InputError
        `kind` is not ``"total"`` or ``"direct"``.
    DegenerateError
        `normalise` and the linkages have a zero or non-finite mean.
    """
    check_option("kind", kind, Basis)
    a = table.A.to_numpy()
    u = k.output_multipliers(a, lu=table.lu) if kind == "total" else a.sum(axis=0)
    if normalise:
        u = k.rasmussen_index(u)
    return pd.Series(u, index=table.labels, name=f"backward_{kind}")


@validate_params
def forward_linkages(table: IOTable, *, kind: Basis = "total", normalise: bool = True) -> pd.Series:
    """Forward linkages: total G·1 (Ghosh, M&B eq. 12.12) or direct B·1 (eq. 12.11).

    Parameters
    ----------
    table : IOTable
    kind : {"total", "direct"}
    normalise : bool
        Divide by the mean over sectors (Rasmussen index).

    Returns
    -------
    Series, shape (n,)
        Unit-free, indexed by sector, name ``"forward_total"`` or ``"forward_direct"``.

    Raises
    ------
    InputError
        `kind` is not ``"total"`` or ``"direct"``.
    DegenerateError
        `normalise` and the linkages have a zero or non-finite mean.
    """
    check_option("kind", kind, Basis)
    if kind == "total":
        u = k.ghosh_row_sums(table.A.to_numpy(), table.x_safe, lu=table.lu)
        # zero-output sectors have zero B rows, hence unit rows of G (as IOTable.G): their
        # row sum is 1, not x̂⁻¹Lx with the placeholder x = 1 (which other sectors' purchases
        # of the product, supplied from outside, would make huge)
        u[table._zero_x] = 1.0
    else:
        u = table.B.to_numpy().sum(axis=1)
    if normalise:
        u = k.rasmussen_index(u)
    return pd.Series(u, index=table.labels, name=f"forward_{kind}")


def _typology(bl: np.ndarray, fl: np.ndarray) -> np.ndarray:
    return np.select(
        [(bl > 1) & (fl > 1), bl > 1, fl > 1],
        ["key", "backward-oriented", "forward-oriented"],
        default="weak",
    )


def linkages(table: IOTable) -> pd.DataFrame:
    """All Rasmussen–Hirschman linkages of every sector, raw and normalised.

    Returns
    -------
    DataFrame, shape (n, 8)
        Columns ``backward_total`` (1ᵀL), ``forward_total`` (G·1), ``backward_direct`` (1ᵀA),
        ``forward_direct`` (B·1), and the same four normalised by their mean with the suffix
        ``_norm``. Unit-free.
    """
    out = {}
    for kind in ("total", "direct"):
        out[f"backward_{kind}"] = backward_linkages(table, kind=kind, normalise=False)
        out[f"forward_{kind}"] = forward_linkages(table, kind=kind, normalise=False)
    frame = pd.DataFrame(out)
    for col in list(frame.columns):
        frame[f"{col}_norm"] = k.rasmussen_index(frame[col].to_numpy())
    return frame


@validate_params
def key_sectors(table: IOTable, *, kind: Basis = "total") -> pd.DataFrame:
    """Key-sector typology from normalised backward and forward linkages (M&B §12.2.4).

    Parameters
    ----------
    table : IOTable
    kind : {"total", "direct"}
        Linkages from L and G (default) or from A and B.

    Returns
    -------
    DataFrame, shape (n, 5)
        ``backward`` and ``forward`` (normalised, unit-free), ``type`` (``key``,
        ``backward-oriented``, ``forward-oriented``, ``weak``), ``type_zh`` and ``type_en``.
        A sector exactly at 1 counts as not above average.

    Raises
    ------
    InputError
        `kind` is not ``"total"`` or ``"direct"``.
    DegenerateError
        Linkages with a zero or non-finite mean.
    """
    check_option("kind", kind, Basis)
    bl = backward_linkages(table, kind=kind)
    fl = forward_linkages(table, kind=kind)
    types = _typology(bl.to_numpy(), fl.to_numpy())
    return pd.DataFrame(
        {
            "backward": bl.to_numpy(),
            "forward": fl.to_numpy(),
            "type": types,
            "type_zh": [TYPOLOGY[t][0] for t in types],
            "type_en": [TYPOLOGY[t][1] for t in types],
        },
        index=table.labels,
    )
