"""Loader for ``china-provincial-io-2007``: 2007 provincial IO tables, 30 provinces × 42 sectors.

Specs
-----
* ``china-provincial-io-2007:output`` — gross output (总产出) as a
  :class:`~chainatlas.clusters.regional.RegionIndustry`: 30 provinces (Tibet has no table) ×
  42 sectors, 10,000 yuan, classification ``"china-provincial-2007-42"``.
* ``china-provincial-io-2007:BEJ`` (any sheet code) — that province's full table as an
  :class:`~chainatlas.io.table.IOTable` (competitive layout).

Layout of ``ChinaIO.xls``: one sheet per province (``BEJ`` … ``XIN``; four further sheets are
scratch work and ignored). A code row (``代码``) numbers the columns 1–58 and column C numbers the
rows 1–49: rows 1–42 sectors, 43 total intermediate input, 44–47 value-added items, 48 total
value added, 49 total input; columns 1–42 sectors, 43 total intermediate use, 44/45 rural/urban
household consumption, 47 government consumption, 49 fixed capital formation, 50 inventory
change, 52 exports, 53 outflow to other provinces (调出), 54 total final use, 55 imports,
56 inflow from other provinces (调入), 57 other (其他), 58 gross output. Sheets are located by
these codes, not by position (Hainan's sheet has no title rows).

The regional IO table treats imports and inflows together as the ``imports`` column (both are
supplies from outside the province), keeps ``其他`` as ``other``, and uses the published
gross output as x. Published rows and columns balance to within 1.2 (10,000 yuan) — rounding —
so tables are built with ``balance_atol=2``. Some provinces report zero output in a sector;
those tables use ``zero_output="zero-coefficients"`` (stated in the provenance).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from chainatlas.datasets.registry import data_path, dataset_provenance
from chainatlas.errors import SchemaError
from chainatlas.provenance import Provenance

DATASET = "china-provincial-io-2007"
FILE = "ChinaIO.xls"
UNIT = "10,000 yuan"
CLASSIFICATION = "china-provincial-2007-42"

#: NBS English names of the 2007 42-sector classification, by two-digit code
SECTOR_EN: dict[str, str] = {
    "01": "Agriculture, forestry, animal husbandry and fishery",
    "02": "Mining and washing of coal",
    "03": "Extraction of petroleum and natural gas",
    "04": "Mining of metal ores",
    "05": "Mining and processing of nonmetal and other ores",
    "06": "Manufacture of foods and tobacco",
    "07": "Textile industry",
    "08": "Textile wearing apparel, footwear, leather, fur and feather products",
    "09": "Processing of timber and manufacture of furniture",
    "10": "Papermaking, printing and articles for culture, education and sports",
    "11": "Processing of petroleum, coking and nuclear fuel",
    "12": "Chemical industry",
    "13": "Non-metallic mineral products",
    "14": "Smelting and rolling of metals",
    "15": "Metal products",
    "16": "General and special purpose machinery",
    "17": "Transport equipment",
    "18": "Electrical machinery and equipment",
    "19": "Communication equipment, computers and other electronic equipment",
    "20": "Measuring instruments and machinery for cultural activity and office work",
    "21": "Artwork and other manufacturing",
    "22": "Scrap and waste",
    "23": "Production and distribution of electric power and heat power",
    "24": "Production and distribution of gas",
    "25": "Production and distribution of water",
    "26": "Construction",
    "27": "Transport and storage",
    "28": "Post",
    "29": "Information transmission, computer services and software",
    "30": "Wholesale and retail trades",
    "31": "Accommodation and catering",
    "32": "Finance",
    "33": "Real estate",
    "34": "Leasing and business services",
    "35": "Research and experimental development",
    "36": "Comprehensive technical services",
    "37": "Management of water conservancy, environment and public facilities",
    "38": "Services to households and other services",
    "39": "Education",
    "40": "Health, social security and social welfare",
    "41": "Culture, sports and entertainment",
    "42": "Public management and social organization",
}

FINAL_USE = {
    44: "rural household consumption",
    45: "urban household consumption",
    47: "government consumption",
    49: "fixed capital formation",
    50: "inventory change",
    52: "exports",
    53: "outflow to other provinces",
}
VALUE_ADDED = {
    44: "compensation of employees",
    45: "net taxes on production",
    46: "depreciation of fixed assets",
    47: "operating surplus",
}


def _provenance(step: str) -> Provenance:
    return dataset_provenance(DATASET, (FILE,), steps=(step,))


def _parsed(progress: bool = True) -> dict[str, dict[str, object]]:
    return _parse(str(data_path(DATASET, FILE, progress=progress)))


def _numeric(d: pd.DataFrame) -> np.ndarray:
    flat = pd.to_numeric(pd.Series(d.to_numpy(dtype=object).ravel()), errors="coerce")
    return flat.to_numpy(dtype=float).reshape(d.shape)


@functools.cache
def _parse(path: str) -> dict[str, dict[str, object]]:
    raw = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    out: dict[str, dict[str, object]] = {}
    for code, d in raw.items():
        if code.startswith("Sheet"):
            continue
        first = d[0].astype(str).str.strip()
        hits = d.index[first == "代码"]
        if len(hits) == 0:
            raise SchemaError(f"sheet {code} has no code row (代码)", fix="check the source file")
        r0 = int(hits[0])
        M = _numeric(d)
        cols: dict[int, int] = {}
        for c in range(3, d.shape[1]):  # header cells, not matrix cells
            v = M[r0, c]
            if np.isfinite(v) and int(v) not in cols:
                cols[int(v)] = c
        rows: dict[int, int] = {}
        for r in range(r0 + 1, d.shape[0]):
            v = M[r, 2]
            if np.isfinite(v) and int(v) not in rows:
                rows[int(v)] = r
        if sorted(cols) != list(range(1, 59)) or sorted(rows) != list(range(1, 50)):
            raise SchemaError(
                f"sheet {code} does not number columns 1–58 and rows 1–49",
                received=f"columns {sorted(cols)[:5]}…, rows {sorted(rows)[:5]}…",
                fix="check the source file",
            )
        R = [rows[i] for i in range(1, 43)]
        C = [cols[j] for j in range(1, 43)]
        names = [str(d.iat[r, 1]).strip() for r in R]
        out[code] = {
            "Z": M[np.ix_(R, C)],
            "Y": M[np.ix_(R, [cols[j] for j in FINAL_USE])],
            "V": M[np.ix_([rows[i] for i in VALUE_ADDED], C)],
            "imports": M[R, cols[55]] + M[R, cols[56]],
            "other": M[R, cols[57]],
            "x": M[R, cols[58]],
            "va_total": M[rows[48], C],
            "names": names,
        }
    return out


def sectors(*, progress: bool = True) -> pd.DataFrame:
    """The 42 sectors of the 2007 provincial tables: index code "01"…"42", name_zh, name_en."""
    first = next(iter(_parsed(progress).values()))
    codes = [f"{i:02d}" for i in range(1, 43)]
    return pd.DataFrame(
        {
            "code": codes,
            "name_zh": first["names"],
            "name_en": [SECTOR_EN[c] for c in codes],
        },
        index=pd.Index(codes, name="industry"),
    )


def SPECS() -> list[str]:
    """Valid keys: ``output`` and the 30 province sheet codes (value added is not offered as a
    region × industry size: it is negative in some cells, e.g. petroleum refining in Gansu)."""
    from chainatlas.geo import provinces

    return ["output", *[c for c in provinces().index if c != "XIZ"]]


def _region_industry(progress: bool) -> object:
    from chainatlas.clusters.regional import RegionIndustry
    from chainatlas.geo import provinces

    parsed = _parsed(progress)
    codes = [c for c in provinces().index if c in parsed]
    sec = sectors(progress=progress)
    vals = pd.DataFrame(
        np.vstack([parsed[c]["x"] for c in codes]),
        index=pd.Index(codes, name="region"),
        columns=pd.Index(sec.index, name="industry"),
    )
    return RegionIndustry(
        values=vals,
        measure="gross output",
        unit=UNIT,
        provenance=_provenance("gross output (总产出) of 30 provinces × 42 sectors"),
        classification=CLASSIFICATION,
        regions=provinces().loc[codes],
        industries=sec,
    )


def _table(code: str, progress: bool) -> object:
    from chainatlas.io.table import IOTable, negative_cells

    p = _parsed(progress)[code]
    sec = sectors(progress=progress)
    idx = pd.Index(sec.index, name="sector")
    x = pd.Series(p["x"], index=idx, name="x")
    zero = bool((x == 0).any())
    prov = _provenance(f"province {code}: competitive table; imports = imports + inflows (调入)")
    if zero:
        prov = prov.with_step(
            f"zero_output='zero-coefficients' for sectors {x.index[x == 0].tolist()}"
        )
    negative = negative_cells(p["Z"], idx)
    if negative:
        prov = prov.with_step(f"negative_flows='allow': the source publishes {negative}")
    return IOTable(
        Z=pd.DataFrame(p["Z"], index=idx, columns=idx),
        Y=pd.DataFrame(p["Y"], index=idx, columns=list(FINAL_USE.values())),
        V=pd.DataFrame(p["V"], index=list(VALUE_ADDED.values()), columns=idx),
        x=x,
        unit=UNIT,
        layout="competitive",
        provenance=prov,
        sectors=sec.set_axis(idx),
        imports=pd.Series(p["imports"], index=idx, name="imports"),
        other=pd.Series(p["other"], index=idx, name="other"),
        balance_atol=2.0,
        zero_output="zero-coefficients" if zero else "raise",
        negative_flows="allow" if negative else "raise",
    )


def load(key: str, *, progress: bool = True) -> object:
    """Load ``output`` (RegionIndustry) or one province's IOTable."""
    if key == "output":
        return _region_industry(progress)
    return _table(key, progress)
