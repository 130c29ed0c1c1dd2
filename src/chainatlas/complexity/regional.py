"""Provincial height (省级“高度”): world product complexity mapped to China's 42 IO sectors.

Chain of mappings (documented in ``docs/complexity.md``): HS 2012 four-digit products →
ISIC Rev.4 (the ``concordance`` dataset's ``hs_isic4``, HS six-digit level) → China's 42-sector IO
classification (``chainatlas/data/isic4_china42.csv``, built by chainatlas from the ISIC division
titles and the NBS sector contents; 4-digit classes override their division).

* :func:`hs4_sector_weights` — for every HS4 heading, the share of its HS6 × ISIC pairs falling in
  each IO sector (each HS6 counts equally, split equally over its goods-producing ISIC classes;
  service classes such as repair 33xx, which the concordance also lists, are dropped when the HS6
  has a goods class);
* :func:`sector_pci` — a sector's PCI is the world-export-weighted mean PCI of the HS4 products
  mapped to it (weights: world exports × mapping share), with the coverage;
* :func:`provincial_height` — a province's height is the gross-output-weighted mean sector PCI over
  the goods sectors in which it specialises (RCA on output ≥ 1), next to its provincial ECI.
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np
import pandas as pd

from chainatlas.errors import LabelError, SchemaError, UnknownCodeError, suggest

__all__ = [
    "isic_to_sector_table",
    "hs4_sector_weights",
    "lookup_hs4",
    "sector_pci",
    "provincial_height",
]


@functools.cache
def _mapping() -> pd.DataFrame:
    path = resources.files("chainatlas") / "data" / "isic4_china42.csv"
    with path.open(encoding="utf-8") as fh:
        return pd.read_csv(fh, comment="#", dtype=str, keep_default_na=False)


def isic_to_sector_table() -> pd.DataFrame:
    """The ISIC Rev.4 → 42-sector table (columns ``isic4``, ``sector``, ``note``)."""
    return _mapping().copy()


def _sector_of(isic4: str, table: dict[str, str]) -> str | None:
    for n in (4, 3, 2):
        hit = table.get(isic4[:n])
        if hit is not None:
            return hit
    return None


def hs4_sector_weights(hs_isic: pd.DataFrame) -> pd.DataFrame:
    """HS4 → IO-sector shares from the ``concordance:hs_isic4`` table.

    Parameters
    ----------
    hs_isic : DataFrame
        Columns ``HS_6d``, ``HS_4d``, ``ISIC4_4d`` (as loaded from ``concordance:hs_isic4``).

    Returns
    -------
    DataFrame
        Columns ``hs4``, ``sector`` (``None`` where unmapped), ``weight`` (sums to 1 per HS4).

    Raises
    ------
    SchemaError
        Missing columns.
    """
    need = ["HS_6d", "HS_4d", "ISIC4_4d"]
    missing = [c for c in need if c not in hs_isic.columns]
    if missing:
        raise SchemaError(
            "hs_isic lacks columns", received=missing, fix="load concordance:hs_isic4"
        )
    table = dict(zip(_mapping()["isic4"], _mapping()["sector"], strict=True))
    df = hs_isic[need].drop_duplicates().copy()
    df["sector"] = [_sector_of(str(c), table) for c in df["ISIC4_4d"]]
    # an HS heading is a good: where an HS6 also maps to service classes (repair 33xx, trade),
    # only its goods-producing classes are kept; HS6 with none stay unmapped (coverage)
    has_goods = df["sector"].notna().groupby(df["HS_6d"]).transform("any")
    df = df[df["sector"].notna() | ~has_goods]
    n_isic = df.groupby("HS_6d")["ISIC4_4d"].transform("size")
    n_hs6 = df.groupby("HS_4d")["HS_6d"].transform("nunique")
    df["weight"] = 1.0 / (n_isic * n_hs6)
    out = df.groupby(["HS_4d", "sector"], dropna=False)["weight"].sum().reset_index()
    return out.rename(columns={"HS_4d": "hs4"})


def lookup_hs4(codes: list[str] | pd.Index, weights: pd.DataFrame) -> pd.DataFrame:
    """The sector shares of the given HS4 codes.

    Raises
    ------
    UnknownCodeError
        A code absent from the concordance (names it and suggests close codes).
    """
    known = set(weights["hs4"])
    unknown = [str(c) for c in codes if str(c) not in known]
    if unknown:
        raise UnknownCodeError(
            f"{len(unknown)} HS4 code(s) not in the HS→ISIC concordance",
            received=unknown[:5],
            fix=suggest(unknown[0], sorted(known)) + " (HS 2012 four-digit headings)",
        )
    return weights[weights["hs4"].isin([str(c) for c in codes])]


def sector_pci(
    pci: pd.Series, world_exports: pd.Series, weights: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, float]]:
    """World-export-weighted PCI of each IO sector, with coverage.

    Parameters
    ----------
    pci : Series
        PCI by HS4 product (e.g. ``result.pci``).
    world_exports : Series
        World exports by HS4 product (USD), same products.
    weights : DataFrame
        From :func:`hs4_sector_weights`.

    Returns
    -------
    (DataFrame, dict)
        Index ``sector``: ``pci`` and ``world_exports`` (USD, mapped); and coverage figures:
        ``share_mapped`` (world exports of the PCI products that reach a sector), ``products``.

    Raises
    ------
    UnknownCodeError
        A PCI product missing from the concordance.
    """
    w = lookup_hs4(pci.index, weights).copy()
    x = world_exports.reindex(pci.index).astype(float)
    w["value"] = w["weight"] * x.reindex(w["hs4"]).to_numpy()
    w["pci_value"] = w["value"] * pci.reindex(w["hs4"]).to_numpy()
    mapped = w[w["sector"].notna()]
    g = mapped.groupby("sector")[["value", "pci_value"]].sum()
    out = pd.DataFrame({"pci": g["pci_value"] / g["value"], "world_exports": g["value"]})
    out.index.name = "sector"
    cov = {"share_mapped": float(mapped["value"].sum() / x.sum()), "products": int(len(pci))}
    return out, cov


def provincial_height(values: pd.DataFrame, sector_pcis: pd.Series) -> pd.DataFrame:
    """Output-weighted PCI of each region's specialisations (RCA on output ≥ 1).

    Parameters
    ----------
    values : DataFrame
        Regions × sectors, gross output (non-negative), e.g. ``RegionIndustry.values``.
    sector_pcis : Series
        PCI by sector code (from :func:`sector_pci`); sectors without a PCI are left out.

    Returns
    -------
    DataFrame
        Index region: ``height`` (output-weighted mean PCI of sectors with RCA ≥ 1),
        ``height_all`` (over all covered sectors), ``specialisations`` (count), ``share_covered``
        (covered sectors' share of the region's output).

    Raises
    ------
    LabelError
        No sector of `values` has a PCI.
    """
    cols = [c for c in values.columns if c in sector_pcis.index]
    if not cols:
        raise LabelError(
            "no sector of the table has a PCI",
            received=list(values.columns)[:5],
            fix="map world PCIs to this classification first (sector_pci)",
        )
    X = values[cols].to_numpy(dtype=float)
    p = sector_pcis.reindex(cols).to_numpy(dtype=float)
    rows, colsum = X.sum(axis=1), X.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rca = (X / rows[:, None]) / (colsum / colsum.sum())[None, :]
        spec = np.where(rca >= 1, X, 0.0)
        height = (spec @ p) / spec.sum(axis=1)
        height_all = (X @ p) / rows
    return pd.DataFrame(
        {
            "height": height,
            "height_all": height_all,
            "specialisations": (rca >= 1).sum(axis=1),
            "share_covered": rows / values.to_numpy(dtype=float).sum(axis=1),
        },
        index=values.index,
    )
