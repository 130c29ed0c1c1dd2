"""Hypothetical extraction (假设抽取法), Miller & Blair (2009) §12.2.1 (complete extraction).

Extracting a set S of sectors deletes their rows and columns from A and their final demand; the
remaining sectors R then produce x̄_R = (I − A_RR)⁻¹ f_R. The output loss is
1ᵀx − 1ᵀx̄ (the extracted sectors' own output included), reported absolute (table unit) and as
a share of total output 1ᵀx.

Final demand is the table's ``f_net`` = x − Z·1 (final demand net of the import and balancing
columns), so that with nothing extracted x̄ = x exactly.

The updates use the Schur complement of the full L (:func:`chainatlas.kernels.io.extraction_reduced_output`),
and all n single-sector extractions at once cost O(n²) given L
(:func:`chainatlas.kernels.io.extraction_losses_single`).

Examples
--------
>>> from chainatlas.io.table import IOTable
>>> t = IOTable.from_arrays(Z=[[150, 500], [200, 100]], Y=[[350], [1700]], V=[[650, 1400]],
...     sectors=["S1", "S2"], final_demand=["f"], value_added=["v"], unit="USD", source="M&B 2.3")
>>> extraction_loss(t, ["S1"])["loss"].round(4)
np.float64(1210.5263)
>>> extraction_ranking(t).index.tolist()
['S2', 'S1']
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, UnknownCodeError, suggest
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as k

__all__ = ["resolve_sectors", "hypothetical_extraction", "extraction_loss", "extraction_ranking"]


def resolve_sectors(table: IOTable, sectors: Sequence[Hashable]) -> np.ndarray:
    """Positions of `sectors` in the table: labels, or codes in ``table.sectors["code"]``.

    For a multi-region table pass (region, sector) tuples or ``"REGION/SECTOR"`` strings.

    Raises
    ------
    InputError
        If `sectors` is a string, is empty or lists a sector twice.
    UnknownCodeError
        If a sector is not found; the message suggests close labels.
    """
    if isinstance(sectors, str | bytes):
        raise InputError(
            "sectors must be a list of labels, not one string",
            received=sectors,
            fix=f"pass [{sectors!r}] to extract that one sector",
        )
    if len(sectors) == 0:
        raise InputError("no sectors given to extract", fix="pass at least one sector label")
    labels = table.labels
    codes: dict[str, int] = {}
    if table.sectors is not None and "code" in table.sectors.columns:
        codes = {str(c): i for i, c in enumerate(table.sectors["code"].reindex(labels))}
    str_labels = {
        (" / ".join(map(str, lab)) if isinstance(lab, tuple) else str(lab)): i
        for i, lab in enumerate(labels)
    }
    out: list[int] = []
    for s in sectors:
        if s in labels:
            pos = labels.get_loc(s)
        elif isinstance(s, str) and "/" in s and isinstance(labels, pd.MultiIndex):
            key = tuple(p.strip() for p in s.split("/", 1))
            if key not in labels:
                raise UnknownCodeError(
                    f"unknown sector {s!r}",
                    fix=suggest(" / ".join(key), list(str_labels)),
                )
            pos = labels.get_loc(key)
        elif str(s) in str_labels:
            pos = str_labels[str(s)]
        elif str(s) in codes:
            pos = codes[str(s)]
        else:
            raise UnknownCodeError(
                f"unknown sector {s!r}",
                received=s,
                fix=suggest(str(s), [*str_labels, *codes]),
            )
        out.append(int(pos))  # type: ignore[arg-type]
    idx = np.asarray(out, dtype=np.intp)
    if len(np.unique(idx)) != len(idx):
        raise InputError(
            "a sector is listed twice", received=list(sectors), fix="list each sector once"
        )
    return idx


def hypothetical_extraction(table: IOTable, sectors: Sequence[Hashable]) -> pd.DataFrame:
    """Output of every sector before and after extracting the group `sectors` (M&B §12.2.1).

    Parameters
    ----------
    table : IOTable
    sectors : sequence of labels (or codes)
        The group S extracted together.

    Returns
    -------
    DataFrame, shape (n, 4)
        ``x`` (gross output), ``x_extracted`` (x̄, 0 for extracted sectors), ``loss`` (x − x̄), all
        in the table's unit, and ``extracted`` (bool).

    Raises
    ------
    UnknownCodeError, InputError
        Unknown or repeated sectors.
    """
    S = resolve_sectors(table, sectors)
    f = table.f_net.to_numpy(dtype=float)
    xbar = k.extraction_reduced_output(table.L.to_numpy(), f, S)
    x = table.x.to_numpy(dtype=float)
    extracted = np.zeros(table.n, dtype=bool)
    extracted[S] = True
    return pd.DataFrame(
        {"x": x, "x_extracted": xbar, "loss": x - xbar, "extracted": extracted},
        index=table.labels,
    )


def extraction_loss(table: IOTable, sectors: Sequence[Hashable]) -> pd.Series:
    """Total output loss of extracting the group `sectors` together.

    Returns
    -------
    Series
        ``loss`` (1ᵀx − 1ᵀx̄, table unit), ``loss_share`` (loss / 1ᵀx), ``own_output`` (the
        extracted sectors' own output), ``linkage_loss`` (loss − own output: the loss in the rest
        of the economy), ``total_output`` (1ᵀx).
    """
    res = hypothetical_extraction(table, sectors)
    total = float(res["x"].sum())
    loss = float(res["loss"].sum())
    own = float(res.loc[res["extracted"], "x"].sum())
    return pd.Series(
        {
            "loss": loss,
            "loss_share": loss / total,
            "own_output": own,
            "linkage_loss": loss - own,
            "total_output": total,
        },
        name="extraction",
    )


def extraction_ranking(table: IOTable) -> pd.DataFrame:
    """Extract each sector alone and rank all sectors by the output loss (O(n²) given L).

    Returns
    -------
    DataFrame, shape (n, 5), sorted by ``loss`` descending
        ``loss`` (table unit), ``loss_share`` (of total output), ``own_output`` (x_j),
        ``linkage_loss`` (loss − x_j: output lost in the other sectors, M&B's linkage measure),
        ``rank`` (1 = largest loss).
    """
    f = table.f_net.to_numpy(dtype=float)
    loss = k.extraction_losses_single(table.L.to_numpy(), f)
    x = table.x.to_numpy(dtype=float)
    total = float(x.sum())
    out = pd.DataFrame(
        {"loss": loss, "loss_share": loss / total, "own_output": x, "linkage_loss": loss - x},
        index=table.labels,
    )
    out = out.sort_values("loss", ascending=False, kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    return out
