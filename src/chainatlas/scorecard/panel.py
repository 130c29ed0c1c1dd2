"""A sector panel (部门面板): the same sector structure for every unit of a scorecard.

Economies of a multi-region table (WIOD), provinces (one table each) and years of China's
national series all reduce to the same arrays, so one set of indicator formulas serves them all:

* ``x`` (units × sectors) gross output, ``v`` value added;
* ``z`` (units × products × sectors) intermediate inputs by product, **all origins** (domestic
  plus imported; for a multi-region table the rows of every origin economy are summed);
* ``total`` (units × products × sectors, optional) total (all-round) requirements per unit of
  final output of each sector, ``(L − I)`` summed over origins;
* ``f`` (units × sectors) final output of each sector (x − intermediate sales);
* ``groups``: boolean sector masks, e.g. ``manufacturing``, ``services``, ``energy``,
  ``digital``, ``high-tech`` (see :data:`WIOD_GROUPS`, :func:`china42_groups`).

Examples
--------
>>> sorted(WIOD_GROUPS)
['digital', 'energy', 'high-tech', 'manufacturing', 'services']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, LabelError
from chainatlas.io.table import IOTable

__all__ = [
    "SectorPanel",
    "WIOD_GROUPS",
    "WIOD_GROUP_NOTES",
    "CHINA42_ENERGY",
    "panel_from_mrio",
    "panel_from_tables",
    "china42_groups",
]

#: WIOD 2013 (ISIC Rev.3, c1…c35) sector groups used by the economy scorecard. Proxies: WIOD has
#: no finer split (see :data:`WIOD_GROUP_NOTES`).
WIOD_GROUPS: dict[str, tuple[str, ...]] = {
    "manufacturing": tuple(f"c{i}" for i in range(3, 17)),
    "services": tuple(f"c{i}" for i in range(19, 36)),
    "energy": ("c2", "c8", "c17"),
    "high-tech": ("c14",),
    "digital": ("c14", "c27"),
}
WIOD_GROUP_NOTES: dict[str, str] = {
    "energy": "c2 mining and quarrying (coal, crude oil, gas, and also metal ores), c8 coke and "
    "refined petroleum, c17 electricity, gas and water",
    "high-tech": "c14 electrical and optical equipment (ISIC 30–33: computers, electronics, "
    "instruments, and also electrical machinery); pharmaceuticals (in c9) and aircraft (in c15) "
    "cannot be separated",
    "digital": "proxy: c14 electrical and optical equipment + c27 post and telecommunications; "
    "computer services (ISIC 72, inside c30) and publishing (in c7) cannot be separated",
}
#: energy products of the NBS 42-sector tables (coal, crude oil and gas, refined petroleum and
#: coke, electricity and heat, gas supply); codes of the 2012/2017/2020 schemes
CHINA42_ENERGY: tuple[str, ...] = ("02", "03", "11", "24", "25")


@dataclasses.dataclass(frozen=True)
class SectorPanel:
    """Sector arrays of every unit on one sector list (see the module docs)."""

    units: pd.Index
    sectors: pd.Index
    x: np.ndarray
    v: np.ndarray
    z: np.ndarray
    f: np.ndarray
    groups: Mapping[str, np.ndarray]
    total: np.ndarray | None = None
    unit: str = ""
    source: str = ""

    def mask(self, group: str) -> np.ndarray:
        """Boolean sector mask of a group.

        Raises
        ------
        LabelError
            Unknown group for this panel.
        """
        if group not in self.groups:
            raise LabelError(
                f"no sector group {group!r} in this panel",
                received=group,
                fix="groups: " + ", ".join(sorted(self.groups)),
            )
        return np.asarray(self.groups[group], dtype=bool)

    def series(self, values: np.ndarray, name: str) -> pd.Series:
        """A Series indexed by unit."""
        return pd.Series(np.asarray(values, dtype=float), index=self.units, name=name)


def _masks(sectors: pd.Index, groups: Mapping[str, tuple[str, ...] | np.ndarray]) -> dict:
    out = {}
    for g, members in groups.items():
        if isinstance(members, np.ndarray):
            out[g] = members.astype(bool)
            continue
        unknown = [m for m in members if m not in sectors]
        if unknown:
            raise LabelError(
                f"sector group {g!r} names sectors not in the table",
                received=unknown,
                fix="check the sector codes of the group",
            )
        out[g] = sectors.isin(members)
    return out


def panel_from_mrio(
    table: IOTable,
    *,
    units: list[str] | None = None,
    groups: Mapping[str, tuple[str, ...]] = WIOD_GROUPS,
) -> SectorPanel:
    """The sector panel of the economies of a multi-region table.

    Parameters
    ----------
    table : IOTable
        Multi-region table, labels (region, sector) with every region on the same sectors.
    units : list of str, optional
        Economies to keep (default: every region).
    groups : dict
        Sector groups (default :data:`WIOD_GROUPS`).

    Returns
    -------
    SectorPanel
        With ``total`` = (L − I) summed over origins for each economy's sectors.

    Raises
    ------
    LabelError
        Not a (region, sector) table, unknown economies or group sectors.
    """
    labels = table.labels
    if not isinstance(labels, pd.MultiIndex) or labels.nlevels != 2:
        raise LabelError(
            "a multi-region table with (region, sector) labels is needed",
            received=type(labels).__name__,
            fix="use wiod-2013:YEAR",
        )
    regions = labels.get_level_values(0).unique()
    sectors = labels.get_level_values(1).unique()
    R, S = regions.size, sectors.size
    if R * S != labels.size:
        raise LabelError("regions do not share one sector list", received=(R, S, labels.size))
    keep = list(regions) if units is None else list(units)
    bad = [u for u in keep if u not in regions]
    if bad:
        raise LabelError("unknown economies", received=bad, fix="regions: " + ", ".join(regions))
    ri = np.array([regions.get_loc(u) for u in keep])
    x = table.x.to_numpy(dtype=float).reshape(R, S)
    v = table.v.to_numpy(dtype=float).reshape(R, S)
    Z = table.Z.to_numpy(dtype=float).reshape(R, S, R, S)
    z = Z.sum(axis=0)  # products (summed over origins) × destination region × sector
    z = np.transpose(z, (1, 0, 2))  # dest region × product × sector
    f = x - Z.sum(axis=(2, 3))
    Lm = table.L.to_numpy().reshape(R, S, R, S)
    total = np.empty((len(keep), S, S))
    for k, r in enumerate(ri):
        blk = Lm[:, :, r, :].sum(axis=0)  # product × sector (summed over origins)
        total[k] = blk - np.eye(S)
    return SectorPanel(
        units=pd.Index([str(u) for u in keep], name="unit"),
        sectors=pd.Index([str(s) for s in sectors], name="sector"),
        x=x[ri],
        v=v[ri],
        z=z[ri],
        f=f[ri],
        groups=_masks(pd.Index(sectors), groups),
        total=total,
        unit=table.unit,
        source=str(getattr(table.provenance, "source", "")),
    )


def panel_from_tables(
    tables: Mapping[str, IOTable],
    groups: Mapping[str, tuple[str, ...] | np.ndarray],
    *,
    total: bool = True,
) -> SectorPanel:
    """The sector panel of single-region tables on one sector list (provinces, or years).

    Intermediate inputs are ``Z + Zm`` for non-competitive tables (all origins), ``Z`` for
    competitive ones (which already include imports). ``total`` uses the Leontief inverse of
    these all-origin coefficients (the competitive-import assumption: imported inputs are
    treated as if produced at home, so it measures requirements, not domestic production).

    Raises
    ------
    LabelError
        Tables on different sector lists.
    InputError
        Fewer than one table.
    """
    if not tables:
        raise InputError("no tables given", fix="pass {unit: IOTable}")
    names = list(tables)
    first = tables[names[0]]
    sectors = pd.Index([str(s) for s in first.labels], name="sector")
    for n in names:
        if [str(s) for s in tables[n].labels] != list(sectors):
            raise LabelError(
                "tables are on different sector lists",
                received=n,
                fix="put every table on one basis (e.g. china_common_basis)",
            )
    S = sectors.size
    x = np.vstack([t.x.to_numpy(dtype=float) for t in tables.values()])
    v = np.vstack([t.v.to_numpy(dtype=float) for t in tables.values()])
    z = np.stack(
        [
            t.Z.to_numpy(dtype=float) + (t.Zm.to_numpy(dtype=float) if t.Zm is not None else 0.0)
            for t in tables.values()
        ]
    )
    # final output of each sector: output not sold as a domestic intermediate (≥ 0)
    f = np.maximum(x - np.stack([t.Z.to_numpy().sum(axis=1) for t in tables.values()]), 0.0)
    tot = None
    if total:
        tot = np.empty((len(names), S, S))
        for k in range(len(names)):
            with np.errstate(divide="ignore", invalid="ignore"):
                A = np.where(x[k] > 0, z[k] / np.where(x[k] > 0, x[k], 1.0), 0.0)
            tot[k] = np.linalg.inv(np.eye(S) - A) - np.eye(S)
    return SectorPanel(
        units=pd.Index([str(n) for n in names], name="unit"),
        sectors=sectors,
        x=x,
        v=v,
        z=z,
        f=f,
        groups=_masks(sectors, groups),
        total=tot,
        unit=first.unit,
    )


def china42_groups(codes: pd.Index | list[str], classification: str = "china-42") -> dict:
    """Sector groups of an NBS 42-sector table from the shipped mapping tables.

    ``digital`` = full members of the digital-economy core (a lower bound), ``digital+partial``
    adds partial members (an upper bound); ``high-tech`` and ``strategic-emerging`` count their
    (all partial) member sectors wholly (upper bounds); ``energy`` = :data:`CHINA42_ENERGY`;
    ``manufacturing`` = codes 06–24 of the 2017 scheme are not used: manufacturing is read from
    :func:`chainatlas.io.classify_sectors` by the caller and passed in.
    """
    from chainatlas.clusters.digital import classify_sectors as classify

    idx = pd.Index([str(c) for c in codes])
    dig = classify(idx, classification, kind="digital")
    ht = classify(idx, classification, kind="high-tech")
    se = classify(idx, classification, kind="strategic-emerging")
    return {
        "digital": dig["membership"].eq("full").to_numpy(),
        "digital+partial": dig["membership"].ne("").to_numpy(),
        "high-tech": ht["membership"].ne("").to_numpy(),
        "strategic-emerging": se["membership"].ne("").to_numpy(),
        "energy": idx.isin(CHINA42_ENERGY),
    }
