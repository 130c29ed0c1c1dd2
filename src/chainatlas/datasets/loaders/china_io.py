"""Loader for China's national input–output tables (中国投入产出表), NBS via the R package ionet.

Specs are ``china-io:YEAR-SECTORS``. Each ``.rda`` file holds one data frame with the columns
``Code, Description, DescriptionInChinese, [Origin], <sector codes>, <final-use items and
totals>`` and the rows ``<sectors>, TII, VA001–VA004, TVA, TI``; values are in 10,000 yuan (万元).

Two layouts (see :class:`~chainatlas.io.table.IOTable`):

* **competitive imports (竞争型)** — 2002-122, 2005-42, 2007-135, 2010-41, 2012-139, 2015-42,
  2017-149, 2018-153, 2020-153. Imports are one column ``IM`` (positive numbers, subtracted on
  the row side: Z·1 + Y·1 − IM + ERR = GO, checked on every table) → ``imports``; the published
  balancing column ``ERR`` (其他, 2002–2015 only) → ``other``.
* **non-competitive imports (非竞争型)** — 2017-42, 2018-42, 2020-42. Every product has a
  ``Domestic`` row and an ``Imports`` row (column ``Origin``): Domestic rows → ``Z`` and ``Y``,
  Imports rows → ``Zm`` and ``Ym``.

In both layouts ``Y`` holds the final-use *items* (never the totals THC, TC, GCF, TFU, except
that the non-competitive tables publish final consumption ``TC`` only as a total, so it is the
item there), ``V`` the four value-added items VA001–VA004 and ``x`` the gross output ``GO``.
The published totals (TIU, TFU, TII, TVA, TI) are dropped; tests check them against the sums.

Balance tolerances are per table (:data:`BALANCE_TOLERANCE`); the measured gaps are listed in
``docs/datasets.md``. Nothing is adjusted.

Examples
--------
>>> SPECS()[:3]
['2002-122', '2005-42', '2007-135']
>>> FINAL_USE["FU201"]
('gross fixed capital formation', '固定资本形成总额')
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.datasets.registry import data_path, file_sha256, get_dataset
from chainatlas.errors import SchemaError, UnknownDatasetError, suggest
from chainatlas.io.table import IOTable
from chainatlas.provenance import Provenance
from chainatlas.validation import validate_params

__all__ = [
    "SPECS",
    "load",
    "china_employment",
    "load_oecd",
    "OECD_BALANCE_ATOL",
    "FINAL_USE",
    "VALUE_ADDED",
    "BALANCE_TOLERANCE",
    "NON_COMPETITIVE",
    "UNIT",
]

DATASET = "china-io"
UNIT = "10,000 yuan (万元)"

_KEYS = [
    "2002-122",
    "2005-42",
    "2007-135",
    "2010-41",
    "2012-139",
    "2015-42",
    "2017-42",
    "2017-149",
    "2018-42",
    "2018-153",
    "2020-42",
    "2020-153",
]

#: the tables published in the non-competitive (Domestic / Imports rows) layout
NON_COMPETITIVE = frozenset({"2017-42", "2018-42", "2020-42"})

#: final-use item code -> (label used as Y column, Chinese name), in table order.
#: ``TC`` is an item only in the non-competitive tables, which do not split it.
FINAL_USE: dict[str, tuple[str, str]] = {
    "FU101": ("rural household consumption", "农村居民消费"),
    "FU102": ("urban household consumption", "城镇居民消费"),
    "FU103": ("government consumption", "政府消费"),
    "TC": ("final consumption", "最终消费支出"),
    "FU201": ("gross fixed capital formation", "固定资本形成总额"),
    "FU202": ("changes in inventories", "存货变动"),
    "EX": ("exports", "出口"),
}

#: value-added row code -> (label used as V row, Chinese name as published in the tables)
VALUE_ADDED: dict[str, tuple[str, str]] = {
    "VA001": ("compensation of employees", "劳动者报酬"),
    "VA002": ("net taxes on production", "生产税净额"),
    "VA003": ("depreciation of fixed assets", "固定资产折旧"),
    "VA004": ("operating surplus", "营业盈余"),
}

#: (balance_rtol, balance_atol in 10,000 yuan) per table. The published tables balance to
#: floating-point precision (max relative gap 1.4e-12) except 2007-135, whose GO column and TI
#: row differ by up to 0.445 (10,000 yuan) in one sector. A uniform rtol of 1e-9 plus an
#: absolute 1.0 (10,000 yuan) covers every measured gap with a margin; see docs/datasets.md.
BALANCE_TOLERANCE: dict[str, tuple[float, float]] = {key: (1e-9, 1.0) for key in _KEYS}

_LICENCE_NOTE = "NBS data, redistributed in the ionet R package (GPL-3.0)"


def SPECS() -> list[str]:  # noqa: N802 (name fixed by the loader protocol)
    """Return the loadable keys: ``YEAR-SECTORS`` for every NBS table."""
    return list(_KEYS)


def _file_name(key: str) -> str:
    return "china_" + key.replace("-", "_") + ".rda"


def _read_rda(path: Path) -> pd.DataFrame:
    import rdata

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Missing constructor", category=UserWarning)
        parsed = rdata.read_rda(str(path))
    frames = [v for v in parsed.values() if isinstance(v, pd.DataFrame)]
    if len(frames) != 1:
        raise SchemaError(
            f"{path.name} should hold exactly one data frame",
            received=list(parsed),
            fix="check the file against the registry (chainatlas datasets info china-io)",
        )
    return frames[0]


def _sector_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if str(c)[:1].isdigit()]


def _sectors_frame(rows: pd.DataFrame) -> pd.DataFrame:
    idx = pd.Index(rows["Code"].astype(str).tolist(), name="sector")
    return pd.DataFrame(
        {
            "code": idx.to_numpy(),
            "name_zh": rows["DescriptionInChinese"].astype(str).to_numpy(),
            "name_en": rows["Description"].astype(str).to_numpy(),
        },
        index=idx,
    )


def _numeric(rows: pd.DataFrame, columns: list[str], index: pd.Index) -> pd.DataFrame:
    block = rows[columns].to_numpy(dtype=float)
    return pd.DataFrame(block, index=index, columns=columns)


def _check_schema(df: pd.DataFrame, key: str, codes: list[str], nsec: int) -> None:
    if len(codes) != nsec:
        raise SchemaError(
            f"china-io:{key} should have {nsec} sector columns",
            received=len(codes),
            fix="the file does not match the registered table; re-fetch it",
        )
    missing = [c for c in [*VALUE_ADDED, "TII", "TVA", "TI"] if c not in set(df["Code"])]
    if missing or "GO" not in df.columns:
        raise SchemaError(
            f"china-io:{key} lacks rows or columns of the NBS layout",
            received={"missing rows": missing, "has GO": "GO" in df.columns},
            fix="the file does not match the registered table; re-fetch it",
        )


def _value_added(df: pd.DataFrame, codes: list[str], key: str) -> pd.DataFrame:
    va = df.set_index("Code").loc[list(VALUE_ADDED)]
    for code, (_, zh) in VALUE_ADDED.items():
        if str(va.loc[code, "DescriptionInChinese"]) != zh:
            raise SchemaError(
                f"china-io:{key}: row {code} is not {zh}",
                received=str(va.loc[code, "DescriptionInChinese"]),
                fix="the file does not match the NBS layout; re-fetch it",
            )
    block = va[codes].to_numpy(dtype=float)
    return pd.DataFrame(
        block,
        index=pd.Index([VALUE_ADDED[c][0] for c in VALUE_ADDED], name="value_added"),
        columns=pd.Index(codes, name="sector"),
    )


def _final_use_items(columns: list[str], non_competitive: bool) -> list[str]:
    items = [c for c in FINAL_USE if c in columns]
    if not non_competitive:
        items = [c for c in items if c != "TC"]
    return items


def load(key: str, *, progress: bool = True) -> IOTable:
    """Load one NBS table as an :class:`~chainatlas.io.table.IOTable`.

    Parameters
    ----------
    key : str
        ``YEAR-SECTORS``, one of :func:`SPECS` (e.g. ``"2020-42"``).
    progress : bool
        Show a download progress bar when the file is fetched.

    Returns
    -------
    IOTable
        ``Z`` (n × n), ``Y`` (n × k final-use items), ``V`` (4 × n), ``x`` (n,) in 10,000 yuan;
        ``layout`` "competitive" (with ``imports`` and, 2002–2015, ``other``) or
        "non-competitive" (with ``Zm`` and ``Ym``); ``sectors`` with ``code``, ``name_zh``,
        ``name_en``; sector labels are the NBS codes (``"01"``… or ``"001"``…).

    Raises
    ------
    UnknownDatasetError
        Unknown key (close keys are suggested).
    SchemaError
        The file does not follow the NBS layout.
    DatasetError
        The file is missing or fails its sha256 check.

    Notes
    -----
    Source: National Bureau of Statistics of China, *Input–Output Tables of China*, via the
    ionet R package (Carol-seven/ionet), GPL-3.0.
    """
    if key not in _KEYS:
        raise UnknownDatasetError(
            f"unknown china-io table {key!r}",
            fix=suggest(key, _KEYS) + " Tables: " + ", ".join(_KEYS),
        )
    fname = _file_name(key)
    path = data_path(DATASET, fname, progress=progress)
    df = _read_rda(path)
    nsec = int(key.split("-")[1])
    codes = _sector_columns(df)
    _check_schema(df, key, codes, nsec)
    non_comp = key in NON_COMPETITIVE
    items = _final_use_items(list(df.columns), non_comp)
    y_labels = [FINAL_USE[c][0] for c in items]
    rtol, atol = BALANCE_TOLERANCE[key]
    ds = get_dataset(DATASET)

    is_sector_row = df["Code"].astype(str).str[:1].str.isdigit()
    if non_comp:
        dom = df[is_sector_row & (df["Origin"] == "Domestic")]
        imp = df[is_sector_row & (df["Origin"] == "Imports")]
        if dom["Code"].tolist() != codes or imp["Code"].tolist() != codes:
            raise SchemaError(
                f"china-io:{key}: Domestic/Imports rows do not follow the sector columns",
                received=(len(dom), len(imp)),
                fix="the file does not match the NBS layout; re-fetch it",
            )
        sectors = _sectors_frame(dom)
        idx = sectors.index
        Z = _numeric(dom, codes, idx)
        Z.columns = idx
        Zm = _numeric(imp, codes, idx)
        Zm.columns = idx
        Y = _numeric(dom, items, idx)
        Y.columns = pd.Index(y_labels, name="final_use")
        Ym = _numeric(imp, items, idx)
        Ym.columns = Y.columns
        x = pd.Series(dom["GO"].to_numpy(dtype=float), index=idx, name="x")
        imports = other = None
        layout_step = (
            "non-competitive layout: Domestic rows -> Z, Y; Imports rows -> Zm, Ym "
            f"(final-use items {', '.join(items)}); VA001-VA004 -> V; GO (Domestic) -> x"
        )
    else:
        rows = df[is_sector_row]
        if rows["Code"].tolist() != codes:
            raise SchemaError(
                f"china-io:{key}: sector rows do not follow the sector columns",
                received=len(rows),
                fix="the file does not match the NBS layout; re-fetch it",
            )
        sectors = _sectors_frame(rows)
        idx = sectors.index
        Z = _numeric(rows, codes, idx)
        Z.columns = idx
        Y = _numeric(rows, items, idx)
        Y.columns = pd.Index(y_labels, name="final_use")
        x = pd.Series(rows["GO"].to_numpy(dtype=float), index=idx, name="x")
        imports = pd.Series(rows["IM"].to_numpy(dtype=float), index=idx, name="imports")
        other = (
            pd.Series(rows["ERR"].to_numpy(dtype=float), index=idx, name="other")
            if "ERR" in rows.columns
            else None
        )
        Zm = Ym = None
        layout_step = (
            f"competitive layout: sector rows -> Z, Y (final-use items {', '.join(items)}); "
            "IM -> imports (positive, subtracted on the row side)"
            + ("; ERR -> other (published balancing column)" if other is not None else "")
            + "; VA001-VA004 -> V; GO -> x"
        )
    V = _value_added(df, codes, key)
    V.columns = idx
    provenance = Provenance(
        source=f"{DATASET}:{key}",
        files=((fname, file_sha256(path)),),
        steps=(
            f"read {fname} with rdata",
            layout_step,
            "dropped published totals (TIU, THC, TC/GCF/TFU where items exist, TII, TVA, TI)",
            f"balance tolerance: rtol {rtol:g}, atol {atol:g} (10,000 yuan)",
        ),
        licence=f"{ds.licence}; {_LICENCE_NOTE}",
        citation=ds.citation,
        extra=(("unit", UNIT), ("layout", "non-competitive" if non_comp else "competitive")),
    )
    return IOTable(
        Z=Z,
        Y=Y,
        V=V,
        x=x,
        unit=UNIT,
        layout="non-competitive" if non_comp else "competitive",
        provenance=provenance,
        sectors=sectors,
        imports=imports,
        Zm=Zm,
        Ym=Ym,
        other=other,
        balance_rtol=rtol,
        balance_atol=atol,
    )


def china_employment(*, progress: bool = True) -> pd.DataFrame:
    """Employment in China by sector and year, 1990–2018 (就业人数), in 10,000 persons.

    Returns
    -------
    DataFrame, shape (115, 29)
        Index: sector code (``TOT`` national total, section letters ``A``… and their divisions
        ``A01``…), columns: years 1990–2018 as int. ``attrs`` holds ``name_zh``, ``name_en``
        (Series by code), ``unit`` and ``provenance``.

    Notes
    -----
    Source: Wang, Y., Jia, X. and Wang, C. (2021), Research on Sectoral Employment Accounting of
    China, *Statistical Research* 38(12): 3–18, via the ionet R package.
    """
    fname = "china_employment.rda"
    path = data_path(DATASET, fname, progress=progress)
    df = _read_rda(path)
    years = [c for c in df.columns if str(c).isdigit()]
    idx = pd.Index(df["Code"].astype(str).tolist(), name="code")
    out = pd.DataFrame(df[years].to_numpy(dtype=float), index=idx, columns=[int(y) for y in years])
    if not np.isfinite(out.to_numpy()).all():
        raise SchemaError(f"{fname} has missing values", fix="re-fetch the file")
    ds = get_dataset(DATASET)
    out.attrs = {
        "name_zh": pd.Series(df["DescriptionInChinese"].astype(str).to_numpy(), index=idx),
        "name_en": pd.Series(df["Description"].astype(str).to_numpy(), index=idx),
        "unit": "10,000 persons (万人)",
        "provenance": Provenance(
            source=f"{DATASET}:employment",
            files=((fname, file_sha256(path)),),
            steps=(f"read {fname} with rdata",),
            licence=ds.licence,
            citation="Wang, Jia and Wang (2021), Statistical Research 38(12): 3-18; ionet",
        ),
    }
    return out


#: absolute balance tolerance (USD million) of the OECD tables, published to one decimal: the
#: largest gap measured over CHN and JPN 1995–2018 is 3.2 (a JPN column); see docs/datasets.md.
OECD_BALANCE_ATOL = 5.0
_OECD_FINAL = ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "CONS_ABR", "CONS_NONRES", "EXPO"]
_OECD_VA = ["TXS_IMP_FNL", "TXS_INT_FNL", "VALU"]


@lru_cache(maxsize=2)
def _oecd_file(path: str, sha256: str) -> dict[str, pd.DataFrame]:
    """All 24 yearly tables of one OECD file (read once per file version; copied on use)."""
    import rdata

    del sha256  # part of the cache key only
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Missing constructor", category=UserWarning)
        parsed = rdata.read_rda(path)
    (tables,) = parsed.values()
    return dict(tables)


@validate_params
def load_oecd(country: Literal["CHN", "JPN"], year: int, *, progress: bool = True) -> IOTable:
    """Load an OECD 2021-edition national IO table for China or Japan (45 ISIC Rev.4 sectors).

    Parameters
    ----------
    country : {"CHN", "JPN"}
    year : int
        1995 … 2018.
    progress : bool
        Show a download progress bar when the file is fetched.

    Returns
    -------
    IOTable
        ``layout="competitive"``, USD million, basic prices. ``Y``: HFCE, NPISH, GGFC, GFCF,
        INVNT, CONS_ABR, CONS_NONRES, EXPO; ``imports`` = −IMPO (published negative);
        ``V``: TXS_IMP_FNL, TXS_INT_FNL (taxes less subsidies on intermediate products) and VALU
        (value added at basic prices); ``x`` = the OUTPUT row. Sector 45 (households as
        employers) has zero output: ``zero_output="zero-coefficients"``. Taxes on final use
        (tax rows under final-demand columns) are not part of the IOTable (stated in the steps).

    Raises
    ------
    UnknownDatasetError
        Unknown country or year.

    Notes
    -----
    Source: OECD Input-Output Tables, 2021 edition, via the ionet R package.
    """
    if country not in ("CHN", "JPN") or year not in range(1995, 2019):
        raise UnknownDatasetError(
            f"no OECD 2021 table for {country!r} {year!r}",
            fix="country 'CHN' or 'JPN', year 1995 to 2018",
        )
    fname = f"OECD21ed_{country}_1995to2018.rda"
    path = data_path(DATASET, fname, progress=progress)
    sha = file_sha256(path)
    df = _oecd_file(str(path), sha)[f"OECD21ed_{country}_{year}"].copy()
    codes = _sector_columns(df)
    is_sec = df["Code"].astype(str).str[:1].str.isdigit()
    rows = df[is_sec]
    tot = df[~is_sec].set_index("Code")
    missing = [c for c in [*_OECD_FINAL, "IMPO"] if c not in df.columns] + [
        r for r in [*_OECD_VA, "OUTPUT"] if r not in tot.index
    ]
    if len(codes) != 45 or rows["Code"].tolist() != codes or missing:
        raise SchemaError(
            f"{fname} ({year}) does not have the OECD layout",
            received={"sectors": len(codes), "missing": missing},
            fix="re-fetch the file",
        )
    idx = pd.Index(codes, name="sector")
    sectors = pd.DataFrame(
        {"code": codes, "name_zh": "", "name_en": rows["Description"].astype(str).to_numpy()},
        index=idx,
    )
    Z = pd.DataFrame(rows[codes].to_numpy(dtype=float), index=idx, columns=idx)
    Y = pd.DataFrame(
        rows[_OECD_FINAL].to_numpy(dtype=float),
        index=idx,
        columns=pd.Index(_OECD_FINAL, name="final_use"),
    )
    V = pd.DataFrame(
        tot.loc[_OECD_VA, codes].to_numpy(dtype=float),
        index=pd.Index(_OECD_VA, name="value_added"),
        columns=idx,
    )
    x = pd.Series(tot.loc["OUTPUT", codes].to_numpy(dtype=float), index=idx, name="x")
    imports = pd.Series(-rows["IMPO"].to_numpy(dtype=float), index=idx, name="imports")
    zero = [str(c) for c in idx[x.to_numpy() == 0]]
    ds = get_dataset(DATASET)
    prov = Provenance(
        source=f"{DATASET}:oecd-{country}-{year}",
        files=((fname, sha),),
        steps=(
            f"read {fname} (table {year}) with rdata",
            "competitive layout: sector rows -> Z, Y (" + ", ".join(_OECD_FINAL) + "); "
            "imports = -IMPO; TXS_IMP_FNL, TXS_INT_FNL, VALU -> V; OUTPUT row -> x; "
            "taxes on final use (tax rows under final-demand columns) not kept",
            f"balance tolerance: atol {OECD_BALANCE_ATOL:g} USD million (one-decimal rounding)",
            f"zero_output='zero-coefficients' for {', '.join(zero) or 'no sector'}",
        ),
        licence=ds.licence,
        citation="OECD Input-Output Tables, 2021 edition; ionet R package (Carol-seven/ionet)",
        extra=(("unit", "USD million"),),
    )
    return IOTable(
        Z=Z,
        Y=Y,
        V=V,
        x=x,
        unit="USD million",
        layout="competitive",
        provenance=prov,
        sectors=sectors,
        imports=imports,
        balance_atol=OECD_BALANCE_ATOL,
        zero_output="zero-coefficients",
    )
