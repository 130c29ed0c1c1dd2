"""Label checks shared by the value-chain and shock functions (标签校验)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, LabelError, SchemaError, UnknownCodeError, suggest
from chainatlas.io.table import IOTable

__all__ = [
    "balance_vectors",
    "check_top",
    "REST_OF_WORLD_CODES",
    "rest_of_world_mask",
    "sector_names",
    "MRLabels",
    "mr_labels",
    "resolve_economy",
    "resolve_sector",
    "FinalDemandBreakdownError",
]


def check_top(top: int | None) -> None:
    """Raise :class:`InputError` unless `top` is None or a positive integer (rows to keep)."""
    if top is None:
        return
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise InputError(
            "top must be a positive whole number of rows",
            received=top,
            fix="pass top=20, say, or top=None for every row",
        )


#: Economy codes that stand for an aggregate "rest of the world" rather than one economy
#: (WIOD's ``RoW``; compared case-insensitively).
REST_OF_WORLD_CODES = frozenset({"ROW"})


def rest_of_world_mask(economies: pd.Index | np.ndarray) -> np.ndarray:
    """Boolean array: True where an economy code is a rest-of-world aggregate (e.g. WIOD ``RoW``).

    Examples
    --------
    >>> rest_of_world_mask(pd.Index(["CHN", "RoW", "USA"])).tolist()
    [False, True, False]
    """
    codes = pd.Index(economies).astype(str).str.upper()
    return np.asarray(codes.isin(REST_OF_WORLD_CODES))


def sector_names(table: IOTable, index: pd.MultiIndex) -> pd.DataFrame:
    """English and Chinese sector names (``name_en``, ``name_zh``) for (economy, sector) labels.

    Taken from ``table.sectors`` (set by the loader, e.g. WIOD's sector classification); columns
    the table's metadata lacks are left out, so a table without names gives an empty frame.
    """
    meta = table.sectors
    cols = [c for c in ("name_en", "name_zh") if meta is not None and c in meta.columns]
    if not cols or not isinstance(meta.index, pd.MultiIndex):
        return pd.DataFrame(index=index)
    return meta[cols].reindex(index)


class FinalDemandBreakdownError(SchemaError):
    """A method needs final demand by destination economy, and the table does not have it."""


@dataclass(frozen=True, eq=False)
class MRLabels:
    """Integer codes of a multi-region table's labels."""

    table: IOTable

    @cached_property
    def economies(self) -> pd.Index:
        return pd.Index(self.table.labels.get_level_values(0).unique())

    @cached_property
    def sectors(self) -> pd.Index:
        return pd.Index(self.table.labels.get_level_values(1).unique())

    @cached_property
    def region(self) -> np.ndarray:
        return np.asarray(self.economies.get_indexer(self.table.labels.get_level_values(0)))

    @cached_property
    def sector(self) -> np.ndarray:
        return np.asarray(self.sectors.get_indexer(self.table.labels.get_level_values(1)))

    @property
    def n_regions(self) -> int:
        return len(self.economies)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    @cached_property
    def y_region(self) -> np.ndarray:
        """Destination economy of each Y column (raises when Y has no such breakdown)."""
        cols = self.table.Y.columns
        if not isinstance(cols, pd.MultiIndex):
            raise FinalDemandBreakdownError(
                "this method needs final demand by destination economy: Y's columns must be a "
                "(region, category) MultiIndex",
                received=f"Y columns {list(cols)[:5]}",
                fix="load a multi-region table whose final demand is split by destination "
                "economy (e.g. wiod-2013:2011)",
            )
        dest = cols.get_level_values(0)
        idx = self.economies.get_indexer(dest)
        if (idx < 0).any():
            bad = sorted(set(dest[idx < 0].astype(str)))[:5]
            raise FinalDemandBreakdownError(
                "Y's destination economies do not match the table's economies",
                received=bad,
                fix="name Y's first column level with the economies of Z's rows",
            )
        return np.asarray(idx)


def mr_labels(table: IOTable) -> MRLabels:
    """Check that `table` is multi-region and return its label codes.

    Raises
    ------
    FinalDemandBreakdownError
        If the table is not multi-region ((region, sector) MultiIndex labels).
    """
    if not isinstance(table.labels, pd.MultiIndex) or table.labels.nlevels != 2:
        raise FinalDemandBreakdownError(
            "this method needs a multi-region table with (region, sector) labels",
            received=f"{table!r}",
            fix="load a multi-region table such as wiod-2013:2011",
        )
    return MRLabels(table)


def resolve_economy(labels: MRLabels, code: str) -> str:
    """Return the economy code as in the table (exact or case-insensitive match).

    Raises
    ------
    UnknownCodeError
        Unknown economy; the message suggests close codes.
    """
    names = [str(e) for e in labels.economies]
    if code in names:
        return code
    upper = {n.upper(): n for n in names}
    if str(code).upper() in upper:
        return upper[str(code).upper()]
    raise UnknownCodeError(
        f"unknown economy code {code!r}",
        received=code,
        fix=suggest(str(code).upper(), names) + f" Valid codes: {', '.join(names[:45])}",
    )


def resolve_sector(labels: MRLabels, code: str) -> str:
    """Return the sector code as in the table; also accepts an English name from table metadata.

    Raises
    ------
    UnknownCodeError
        Unknown sector; the message suggests close codes.
    """
    names = [str(s) for s in labels.sectors]
    if code in names:
        return code
    lower = {n.lower(): n for n in names}
    if str(code).lower() in lower:
        return lower[str(code).lower()]
    meta = labels.table.sectors
    if meta is not None and "name_en" in meta.columns:
        by_name = {
            str(nm).lower(): str(lab[1])
            for lab, nm in meta["name_en"].items()
            if isinstance(lab, tuple)
        }
        if str(code).lower() in by_name:
            return by_name[str(code).lower()]
    raise UnknownCodeError(
        f"unknown sector code {code!r}",
        received=code,
        fix=suggest(str(code), names) + f" Valid codes: {', '.join(names[:60])}",
    )


def check_label(labels: MRLabels, economy: str, sector: str) -> tuple[str, str]:
    """Resolve an (economy, sector) pair and check the pair exists in the table."""
    e = resolve_economy(labels, economy)
    s = resolve_sector(labels, sector)
    if (e, s) not in labels.table.labels:
        raise LabelError(f"economy-sector {(e, s)} is not in the table", received=(e, s))
    return e, s


def balance_vectors(table: IOTable) -> tuple[np.ndarray, np.ndarray]:
    """Final demand f = x − A x and primary inputs v = x − 1ᵀ(A x̂), consistent with A.

    With these, x = L f and xᵀ = vᵀ G hold exactly. They equal x − Z·1 and x − 1ᵀZ except for
    flows into zero-output sectors, whose coefficients are 0 under the
    ``zero_output="zero-coefficients"`` policy.
    """
    x = table.x.to_numpy(dtype=float)
    Zc = table.A.to_numpy() * x[None, :]
    return x - Zc.sum(axis=1), x - Zc.sum(axis=0)
