"""Sector aggregation of IO tables (部门合并) and the common basis of the China tables 2002–2020.

:func:`aggregate` sums the labels of a table into groups: with the 0/1 concordance matrix S
(n × g, S_ij = 1 when sector i belongs to group j), Z' = SᵀZS, Y' = SᵀY, V' = VS, x' = Sᵀx, and
likewise Zm' = SᵀZmS, Ym' = SᵀYm, imports' = Sᵀm, other' = Sᵀ·other (Miller & Blair 2009,
§4.3 "aggregation"). Flows are summed, never re-estimated, so accounting identities carry over.

:func:`china_common_basis` maps any NBS table (``china-io:YEAR-SECTORS``) to a 39-sector basis that
every vintage (2002-, 2012- and 2017-classification tables, 41/42 and 122–153 sectors) can be
mapped to, using the concordance in ``chainatlas/io/data/china_common_concordance.csv``
(one row per table and sector, with a ``note`` on every non-trivial mapping). See
``docs/datasets.md`` for the basis and its caveats.

Examples
--------
>>> from chainatlas.io.table import IOTable
>>> t = IOTable.from_arrays(
...     Z=[[1, 2, 0], [0, 1, 1], [1, 0, 1]], Y=[[7], [8], [8]], V=[[8, 7, 8]],
...     sectors=["a", "b", "c"], final_demand=["f"], value_added=["v"], unit="USD", source="toy")
>>> g = aggregate(t, pd.Series({"a": "AB", "b": "AB", "c": "C"}), step="toy grouping")
>>> g.Z.values.tolist()
[[4.0, 1.0], [1.0, 1.0]]
>>> g.x.tolist()
[20.0, 10.0]
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, LabelError, UnknownCodeError
from chainatlas.io.table import IOTable

__all__ = [
    "aggregate",
    "china_common_basis",
    "china_concordance",
    "china_common_sectors",
    "ChinaBasisError",
]

_DATA = Path(__file__).resolve().parent / "data"


class ChinaBasisError(InputError):
    """A table cannot be mapped to the China common basis (not an NBS china-io table)."""


def _group_index(values: list[object], names: list[str | None] | None) -> pd.Index:
    uniq = list(dict.fromkeys(values))
    if uniq and all(isinstance(v, tuple) for v in uniq):
        return pd.MultiIndex.from_tuples(uniq, names=names)
    return pd.Index(uniq, name=names[0] if names and len(names) == 1 else "sector")


def aggregate(
    table: IOTable,
    mapping: pd.Series,
    *,
    step: str,
    sectors: pd.DataFrame | None = None,
) -> IOTable:
    """Sum the sectors of `table` into groups: Z' = SᵀZS, Y' = SᵀY, V' = VS, x' = Sᵀx.

    Parameters
    ----------
    table : IOTable
        Any layout; ``Zm``, ``Ym``, ``imports`` and ``other`` are aggregated alongside.
    mapping : Series or dict
        Index (keys): every label of ``table`` (exactly once); values: the group label (a tuple for a
        multi-region target). Groups are ordered like ``sectors`` when it is given, else by
        first appearance along the table's labels.
    step : str
        Description recorded in the provenance (e.g. "aggregated to the 39-sector common basis").
    sectors : DataFrame, optional
        Metadata of the groups (indexed by group label), e.g. ``code``, ``name_zh``,
        ``name_en``; it fixes the order of the groups.

    Returns
    -------
    IOTable
        g × g table in the same unit and layout. Its absolute balance tolerance is the input's
        times the largest group size (gaps add up when sectors are summed).

    Raises
    ------
    LabelError
        A table label missing from ``mapping`` (unmapped), a mapping label that is not in the
        table (unknown), duplicate labels in ``mapping``, or a group missing from ``sectors``.

    Notes
    -----
    Miller, R. E. and Blair, P. D. (2009), *Input–Output Analysis*, 2nd ed., §4.3.
    """
    if isinstance(mapping, dict):
        mapping = pd.Series(mapping, dtype=object)
    if not isinstance(mapping, pd.Series):
        raise LabelError(
            "mapping must be a pandas Series (or dict) from sector label to group label",
            received=type(mapping).__name__,
            fix="e.g. pd.Series({'S1': 'A', 'S2': 'A'})",
        )
    labels = table.labels
    if mapping.index.has_duplicates:
        raise LabelError(
            "mapping has duplicate labels",
            received=mapping.index[mapping.index.duplicated()].unique().tolist()[:5],
            fix="map each sector exactly once",
        )
    unmapped = labels.difference(mapping.index)
    if len(unmapped):
        raise LabelError(
            f"{len(unmapped)} table label(s) are not in the mapping",
            received=unmapped.tolist()[:10],
            fix="give every sector of the table a group",
        )
    unknown = mapping.index.difference(labels)
    if len(unknown):
        raise LabelError(
            f"{len(unknown)} mapping label(s) are not sectors of the table",
            received=unknown.tolist()[:10],
            fix="map only the table's labels (check codes and their zero padding)",
        )
    if mapping.isna().any():
        raise LabelError(
            "mapping has missing group labels",
            received=mapping.index[mapping.isna()].tolist()[:10],
            fix="give every sector a group",
        )
    groups = mapping.reindex(labels).tolist()
    gidx = _group_index(groups, list(labels.names) if isinstance(labels, pd.MultiIndex) else None)
    if sectors is not None:
        missing = gidx.difference(sectors.index)
        if len(missing):
            raise LabelError(
                f"{len(missing)} group(s) have no row in `sectors`",
                received=missing.tolist()[:10],
                fix="give `sectors` one row per group label",
            )
        gidx = sectors.index[sectors.index.isin(gidx)]
    pos = {g: i for i, g in enumerate(gidx)}
    col = np.fromiter((pos[g] for g in groups), dtype=np.intp, count=len(groups))
    S = np.zeros((len(labels), len(gidx)))
    S[np.arange(len(labels)), col] = 1.0

    def rows(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(S.T @ df.to_numpy(dtype=float), index=gidx, columns=df.columns)

    def both(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(S.T @ df.to_numpy(dtype=float) @ S, index=gidx, columns=gidx)

    def vec(s: pd.Series | None) -> pd.Series | None:
        if s is None:
            return None
        return pd.Series(S.T @ s.to_numpy(dtype=float), index=gidx, name=s.name)

    V = pd.DataFrame(table.V.to_numpy(dtype=float) @ S, index=table.V.index, columns=gidx)
    largest = int(np.bincount(col).max())
    meta = sectors.reindex(gidx) if sectors is not None else None
    return table.replace(
        step=step,
        Z=both(table.Z),
        Y=rows(table.Y),
        V=V,
        x=vec(table.x),
        Zm=both(table.Zm) if table.Zm is not None else None,
        Ym=rows(table.Ym) if table.Ym is not None else None,
        imports=vec(table.imports),
        other=vec(table.other),
        sectors=meta,
        balance_atol=table.balance_atol * largest,
    )


def _read_csv(name: str) -> list[dict[str, str]]:
    with (_DATA / name).open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines))


@lru_cache(maxsize=1)
def _concordance() -> pd.DataFrame:
    return pd.DataFrame(_read_csv("china_common_concordance.csv")).astype(str)


@lru_cache(maxsize=1)
def _common() -> pd.DataFrame:
    df = pd.DataFrame(_read_csv("china_common_sectors.csv")).astype(str)
    df = df.set_index(pd.Index(df["common_code"], name="sector"))
    return df.rename(columns={"common_code": "code"})


def china_concordance() -> pd.DataFrame:
    """The concordance of every China table to the common basis (a copy).

    Returns
    -------
    DataFrame
        Columns ``table`` (``YEAR-SECTORS``), ``code`` (NBS sector code), ``name_zh``,
        ``common_code`` (``C01``…``C39``) and ``note`` (why a non-trivial mapping was chosen).

    Examples
    --------
    >>> c = china_concordance()
    >>> int((c["table"] == "2020-153").sum()), c["common_code"].nunique()
    (153, 39)
    """
    return _concordance().copy()


def china_common_sectors() -> pd.DataFrame:
    """The 39 sectors of the China common basis: index ``C01``…, columns code, name_zh, name_en.

    Examples
    --------
    >>> china_common_sectors().loc["C16", "name_en"]
    'General and special purpose machinery'
    """
    return _common().copy()


def china_common_basis(table: IOTable, *, key: str | None = None) -> IOTable:
    """Map an NBS China table to the 39-sector common basis (可比口径) of 2002–2020.

    Parameters
    ----------
    table : IOTable
        A table loaded from ``china-io:YEAR-SECTORS`` (any of the 12 tables; its
        ``provenance.source`` names it), or a table with the same NBS sector codes.
    key : str, optional
        ``YEAR-SECTORS`` when the provenance does not name a china-io table.

    Returns
    -------
    IOTable
        39 × 39, same unit (10,000 yuan) and layout; ``sectors`` with ``code`` (C01…),
        ``name_zh`` and ``name_en``. The step names the concordance.

    Raises
    ------
    ChinaBasisError
        The table is not a china-io table and no `key` was given.
    UnknownCodeError
        A sector code of the table is not in the concordance, or its Chinese name differs from
        the one the concordance was built on (the table is not the one `key` names).

    Notes
    -----
    The concordance follows NBS's own 42-sector aggregation of each classification vintage
    and then merges what differs between vintages (general/special machinery; other
    manufacturing, waste and repair; transport and post; research and technical services).
    For 2017, 2018 and 2020 the detailed (149/153) and 42-sector tables give the same gross
    output on this basis (checked in the tests).
    """
    source = table.provenance.source
    if key is None:
        if not source.startswith("china-io:"):
            raise ChinaBasisError(
                "the table is not a china-io table",
                received=source,
                fix="load it with chainatlas.datasets.load('china-io:YEAR-SECTORS') or pass "
                "key='YEAR-SECTORS'",
            )
        key = source.split(":", 1)[1]
    conc = _concordance()
    rows = conc[conc["table"] == key]
    if rows.empty:
        raise ChinaBasisError(
            f"no concordance for china-io table {key!r}",
            received=key,
            fix="use one of: " + ", ".join(dict.fromkeys(conc["table"])),
        )
    mapping = pd.Series(rows["common_code"].to_numpy(), index=rows["code"].to_numpy())
    labels = [str(x) for x in table.labels]
    missing = sorted(set(labels) - set(mapping.index))
    if missing or len(labels) != len(mapping):
        raise UnknownCodeError(
            f"the sector codes do not match china-io:{key}",
            received=missing[:10] or f"{len(labels)} sectors vs {len(mapping)} in the concordance",
            fix="pass the key of the table the sectors come from",
        )
    if table.sectors is not None and "name_zh" in table.sectors.columns:
        names = rows.set_index("code")["name_zh"]
        got = table.sectors["name_zh"].astype(str)
        bad = [c for c in labels if str(got.loc[c]) != names.loc[c]]
        if bad:
            raise UnknownCodeError(
                f"sector names differ from china-io:{key}",
                received=[(c, str(got.loc[c]), names.loc[c]) for c in bad[:3]],
                fix="pass the key of the table the sectors come from",
            )
    mapping = pd.Series(mapping.reindex(labels).to_numpy(), index=table.labels)
    return aggregate(
        table,
        mapping,
        step=f"aggregated china-io:{key} to the 39-sector common basis "
        "(chainatlas/io/data/china_common_concordance.csv)",
        sectors=_common(),
    )
