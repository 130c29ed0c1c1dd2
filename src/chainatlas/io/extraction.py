"""Hypothetical extraction (假设抽取法), Miller & Blair (2009) §12.2.1.

The literature has several definitions (Miller & Lahr 2001; Dietzenbacher & Lahr 2013); each
function takes ``kind=``:

* ``"complete"`` (the default, M&B §12.2.1): S disappears — its rows and columns of A and its
  final demand are deleted; the remaining sectors R produce x̄_R = (I − A_RR)⁻¹ f_R and x̄_S = 0.
* ``"backward"`` (Dietzenbacher & van der Linden 1997): S stops buying inputs from R
  (A_RS = 0); demand-driven, x̄ = (I − Ā)⁻¹ f.
* ``"forward"`` (idem): S stops selling inputs to R (B_SR = 0) in the supply-driven Ghosh
  model, x̄ᵀ = vᵀ(I − B̄)⁻¹.
* ``"total"``: backward + forward losses (the sum of the two linkage measures).
* ``"joint"``: S neither buys from nor sells to R (A_RS = A_SR = 0) but keeps its own final
  demand, so R and S run as separate economies: x̄_R = (I − A_RR)⁻¹ f_R, x̄_S = (I − A_SS)⁻¹ f_S.

The output loss is 1ᵀx − 1ᵀx̄ (for ``"complete"`` the extracted sectors' own output included),
reported absolute (table unit) and as a share of total output 1ᵀx.

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
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, UnknownCodeError, check_option, suggest
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as k
from chainatlas.validation import validate_params

__all__ = [
    "ExtractionKind",
    "resolve_sectors",
    "hypothetical_extraction",
    "extraction_loss",
    "extraction_ranking",
]

#: definitions of hypothetical extraction (see the module docs)
ExtractionKind = Literal["complete", "backward", "forward", "total", "joint"]
_KINDS = ("complete", "backward", "forward", "total", "joint")


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


@validate_params
def hypothetical_extraction(
    table: IOTable, sectors: Sequence[Hashable], *, kind: ExtractionKind = "complete"
) -> pd.DataFrame:
    """Output of every sector before and after extracting the group `sectors` (M&B §12.2.1).

    Parameters
    ----------
    table : IOTable
    sectors : sequence of labels (or codes)
        The group S extracted together.
    kind : {"complete", "backward", "forward", "total", "joint"}, default "complete"
        Which definition (module docs; Miller & Lahr 2001, Dietzenbacher & Lahr 2013). For
        ``"total"`` the ``loss`` column is the sum of the backward and forward losses and
        ``x_extracted`` is x − loss.

    Returns
    -------
    DataFrame, shape (n, 4)
        ``x`` (gross output), ``x_extracted`` (x̄), ``loss`` (x − x̄), all in the table's unit, and
        ``extracted`` (bool). ``attrs["kind"]`` names the definition.

    Raises
    ------
    UnknownCodeError, InputError
        Unknown or repeated sectors, or an unknown `kind`.
    """
    check_option("kind", kind, _KINDS)
    S = resolve_sectors(table, sectors)
    x = table.x.to_numpy(dtype=float)
    if kind == "total":
        loss = _group_loss(table, S, "backward") + _group_loss(table, S, "forward")
        xbar = x - loss
    else:
        xbar = x - _group_loss(table, S, kind)
    extracted = np.zeros(table.n, dtype=bool)
    extracted[S] = True
    out = pd.DataFrame(
        {"x": x, "x_extracted": xbar, "loss": x - xbar, "extracted": extracted},
        index=table.labels,
    )
    out.attrs["kind"] = kind
    return out


def _group_loss(table: IOTable, S: np.ndarray, kind: str) -> np.ndarray:
    """x − x̄ per sector for one group S under a single definition."""
    f = table.f_net.to_numpy(dtype=float)
    x = table.x.to_numpy(dtype=float)
    if kind == "complete":
        return x - k.extraction_reduced_output(table.L.to_numpy(), f, S)
    R = np.setdiff1d(np.arange(table.n), S)
    if kind == "joint":
        xbar = np.empty(table.n)
        xbar[R] = k.extraction_reduced_output(table.L.to_numpy(), f, S)[R]
        A = table.A.to_numpy()
        xbar[S] = np.linalg.solve(np.eye(S.size) - A[np.ix_(S, S)], f[S])
        return x - xbar
    if kind == "backward":
        Abar = table.A.to_numpy().copy()
        Abar[np.ix_(R, S)] = 0.0
        return x - k.solve_output(Abar, f, lu=k.leontief_lu(Abar, check="productive"))
    Bbar = table.B.to_numpy().copy()  # forward (Ghosh)
    Bbar[np.ix_(S, R)] = 0.0
    v = x - table.B.to_numpy().T @ x  # primary inputs vᵀ = xᵀ(I − B), with the original B
    lu = k.leontief_lu(Bbar.T, check="productive")
    return x - k.solve_output(Bbar.T, v, lu=lu)


@validate_params
def extraction_loss(
    table: IOTable, sectors: Sequence[Hashable], *, kind: ExtractionKind = "complete"
) -> pd.Series:
    """Total output loss of extracting the group `sectors` together.

    Parameters
    ----------
    table : IOTable
    sectors : sequence of labels (or codes)
    kind : {"complete", "backward", "forward", "total", "joint"}, default "complete"
        See :func:`hypothetical_extraction`.

    Returns
    -------
    Series
        ``loss`` (1ᵀx − 1ᵀx̄, table unit), ``loss_share`` (loss / 1ᵀx), ``own_output`` (the
        extracted sectors' own output), ``linkage_loss`` (loss − own output for ``"complete"``,
        where the own output is lost too; the loss itself otherwise), ``total_output`` (1ᵀx).
    """
    res = hypothetical_extraction(table, sectors, kind=kind)
    total = float(res["x"].sum())
    loss = float(res["loss"].sum())
    own = float(res.loc[res["extracted"], "x"].sum())
    out = pd.Series(
        {
            "loss": loss,
            "loss_share": loss / total,
            "own_output": own,
            "linkage_loss": loss - own if kind == "complete" else loss,
            "total_output": total,
        },
        name="extraction",
    )
    out.attrs["kind"] = kind
    return out


@validate_params
def extraction_ranking(table: IOTable, *, kind: ExtractionKind = "complete") -> pd.DataFrame:
    """Extract each sector alone and rank all sectors by the output loss.

    ``"complete"`` and ``"joint"`` cost O(n²) given L (rank-one Schur updates); ``"backward"``,
    ``"forward"`` and ``"total"`` one n × n matrix product (Sherman–Morrison), never a solve per
    sector.

    Parameters
    ----------
    table : IOTable
    kind : {"complete", "backward", "forward", "total", "joint"}, default "complete"
        See :func:`hypothetical_extraction`.

    Returns
    -------
    DataFrame, shape (n, 5), sorted by ``loss`` descending
        ``loss`` (table unit), ``loss_share`` (of total output), ``own_output`` (x_j),
        ``linkage_loss`` (``"complete"``: loss − x_j, output lost in the other sectors, M&B's
        linkage measure; other kinds: the loss), ``rank`` (1 = largest loss).
        ``attrs["kind"]`` names the definition.
    """
    check_option("kind", kind, _KINDS)
    f = table.f_net.to_numpy(dtype=float)
    x = table.x.to_numpy(dtype=float)
    L = table.L.to_numpy()
    if kind in ("complete", "joint"):
        loss = k.extraction_losses_single(L, f)
        if kind == "joint":
            loss = loss - f / (1.0 - np.diag(table.A.to_numpy()))
    else:
        loss = np.zeros(table.n)
        if kind in ("backward", "total"):
            loss = loss + k.backward_extraction_losses_single(L, table.A.to_numpy(), x)
        if kind in ("forward", "total"):
            loss = loss + k.forward_extraction_losses_single(
                table.G.to_numpy(), table.B.to_numpy(), x
            )
    total = float(x.sum())
    linkage = loss - x if kind == "complete" else loss
    out = pd.DataFrame(
        {"loss": loss, "loss_share": loss / total, "own_output": x, "linkage_loss": linkage},
        index=table.labels,
    )
    out = out.sort_values("loss", ascending=False, kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    out.attrs["kind"] = kind
    return out
