"""Loader for ``china-provincial-io``: provincial IO tables 2002, 2007, 2012, 2017 (CHNIO).

Specs
-----
* ``china-provincial-io:YEAR`` (2002, 2007, 2012, 2017) — a
  :class:`~chainatlas.clusters.regional.RegionIndustry` of gross output (总产出) by province ×
  42 sectors, 10,000 yuan (万元), regions labelled by the ``io_code`` of
  :func:`chainatlas.geo.provinces` (``BEJ`` …). Its :attr:`~RegionIndustry.extra` measures hold
  value added, intermediate use, final use (FU101–FU202), exports, outflows to other provinces,
  imports, inflows from other provinces (2012 and 2017), the combined flows of 2007 and the net
  outflow of 2002 (see :data:`MEASURES`).
* ``china-provincial-io:YEAR-PROVINCE`` — one province's table as an
  :class:`~chainatlas.io.table.IOTable` (competitive layout). PROVINCE may be the Chinese name
  (``四川``, ``四川省``), the pinyin or English name (``Sichuan``), the IO code (``SIC``) or the
  GB/T 2260 code (``51``). Tibet has no table in 2002 and 2007.

Layout of ``ioYEAR.rda``: a named list of data frames keyed by the province's short Chinese
name; rows ``sec01``–``sec42``, ``VA001``–``VA004``, ``TVA``, ``TI``; columns ``sec01``–``sec42``,
``FU101``, ``FU102``, ``FU103``, ``FU201``, ``FU202``, then per year:

* 2012, 2017: ``EX`` exports, ``OF`` outflow to other provinces, ``IM`` imports, ``IF`` inflow
  from other provinces (both positive, subtracted on the row side), ``ERR`` other, ``GO``;
* 2007: ``FU302`` outflow (exports and outflows together), ``FU304`` inflow (imports and inflows
  together, positive, subtracted), ``ERR``, ``GO``;
* 2002: ``NOF`` net outflow (outflows and exports less inflows and imports), ``GO``.

The published subtotals (TIU, TC, GCF, TFU, TII) are not in the files; the loader recomputes
them (intermediate use = Σ sec columns, final use = FU101 + … + FU202).

The IOTable of a province: ``Z`` the 42 × 42 block, ``Y`` the final-use items plus exports and
outflows (2012/2017), outflows (2007) or the net outflow (2002), ``imports`` = IM + IF (2012,
2017) or FU304 (2007) — all supply from outside the province, ``other`` = ERR, ``V`` =
VA001–VA004, ``x`` = GO. The separate IF, IM, OF and EX columns are in :func:`province_flows`.

Sector names per year (``china_provincial_sectors.csv``): the CHNIO ``secnames.rda`` gives the
2002 names for every year, which is wrong for 2012 and 2017; the names there come from the
national 42-sector tables of the same NBS scheme (``china_2015_42`` for 2012, ``china_2017_42``
for 2017) and, for 2007, from the 2007 provincial tables (``china-provincial-io-2007``, the same
scheme: its gross output equals CHNIO's to 1 万元 in 22 of 30 provinces; 内蒙古, 上海, 山东, 湖北,
海南, 甘肃, 青海 and 宁夏 differ, 甘肃 by 5.9 % of total output — another edition of the tables). The same file maps every year onto a common basis
of 38 sectors (:func:`concordance`).

Balance (measured, see ``docs/provinces.md``): rows Z·1 + Y·1 − imports + other = GO and
columns 1ᵀZ + TVA = GO hold to 0.46 (10,000 yuan) in 2007, 2012 and 2017, and to 0.52 % in 2002
(福建 sector 38, 其他社会服务业, off by 6,876 on both sides; 江苏 sectors 37/38 differ by 1,790
between GO and TI). Tolerances: :data:`BALANCE_TOLERANCE`.

Repairs, each recorded in the table's provenance: gross output between −0.01 and 0 (rounding
noise, 2002 青海 sector 24) is set to 0; a missing value-added item (2002 广西 sector 42) is set to
TVA less the other three items. Zero-output sectors use ``zero_output="zero-coefficients"``.

Examples
--------
>>> SPECS()[:4]
['2002', '2007', '2012', '2017']
>>> resolve_key("2017-Sichuan")
'2017-四川'
"""

from __future__ import annotations

import functools
import os
import warnings
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from chainatlas.datasets.registry import data_path, dataset_provenance
from chainatlas.errors import SchemaError, UnknownCodeError, UnknownDatasetError, suggest
from chainatlas.provenance import Provenance

__all__ = [
    "SPECS",
    "load",
    "resolve_key",
    "YEARS",
    "UNIT",
    "MEASURES",
    "BALANCE_TOLERANCE",
    "sectors",
    "concordance",
    "province_names",
    "province_table",
    "province_flows",
    "region_industry",
    "panel",
    "balance_report",
    "national_comparison",
    "NoProvinceTableError",
]

DATASET = "china-provincial-io"
UNIT = "10,000 yuan (万元)"
YEARS: tuple[int, ...] = (2002, 2007, 2012, 2017)
_SECS = [f"sec{i:02d}" for i in range(1, 43)]
_CODES = [f"{i:02d}" for i in range(1, 43)]
_FU = ["FU101", "FU102", "FU103", "FU201", "FU202"]
_VA = ["VA001", "VA002", "VA003", "VA004"]

#: final-use item labels (as china-io uses them) and the province-specific columns
_Y_LABELS: dict[str, str] = {
    "FU101": "rural household consumption",
    "FU102": "urban household consumption",
    "FU103": "government consumption",
    "FU201": "gross fixed capital formation",
    "FU202": "changes in inventories",
    "EX": "exports",
    "OF": "outflow to other provinces",
    "FU302": "outflow (exports and to other provinces)",
    "NOF": "net outflow (outflows and exports less inflows and imports)",
}
_V_LABELS = [
    "compensation of employees",
    "net taxes on production",
    "depreciation of fixed assets",
    "operating surplus",
]

#: measure name -> (Chinese name, how it is computed, years available)
MEASURES: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "gross output": ("总产出", "GO", YEARS),
    "value added": ("增加值", "TVA row", YEARS),
    "intermediate use": ("中间使用", "Σ sec columns of the row", YEARS),
    "final use": ("最终使用(省内)", "FU101 + FU102 + FU103 + FU201 + FU202", YEARS),
    "exports": ("出口", "EX", (2012, 2017)),
    "outflows": ("国内省外流出", "OF", (2012, 2017)),
    "imports": ("进口", "IM", (2012, 2017)),
    "inflows": ("国内省外流入", "IF", (2012, 2017)),
    "outflows and exports": ("流出(含出口)", "FU302 (2007), EX + OF (2012, 2017)", YEARS[1:]),
    "inflows and imports": ("流入(含进口)", "FU304 (2007), IM + IF (2012, 2017)", YEARS[1:]),
    "net outflow": ("净流出", "NOF (2002); outflows + exports − inflows − imports", YEARS),
}

#: year -> (balance_rtol, balance_atol in 10,000 yuan) of each province's IOTable: the largest
#: measured gaps are 0.46 (2007–2017) and 0.52 % (2002, 福建 sector 38); see module docs.
BALANCE_TOLERANCE: dict[int, tuple[float, float]] = {
    2002: (6e-3, 1.0),
    2007: (1e-6, 1.0),
    2012: (1e-6, 1.0),
    2017: (1e-6, 1.0),
}


class NoProvinceTableError(UnknownDatasetError):
    """The province exists but the dataset has no table for it in that year (Tibet 2002/2007)."""


# ---------------------------------------------------------------------------------- reading
_FLOW_COLS = ("EX", "OF", "IM", "IF", "FU302", "FU304", "NOF", "ERR")


#: version of the parsed-array cache layout (bump when _parse changes)
_CACHE_VERSION = 1


def _cache_file(year: int) -> Path:
    from chainatlas.datasets.registry import cache_dir, get_dataset

    sha = get_dataset(DATASET).file(f"io{year}.rda").sha256[:16]
    return cache_dir() / "derived" / f"china-provincial-io-{year}-{sha}-v{_CACHE_VERSION}.npz"


@functools.cache
def _raw(year: int) -> dict[str, dict[str, np.ndarray]]:
    """Every province's table of one year as arrays: ``Z`` (42 × 42), ``V`` (4 × 42), ``TVA``,
    ``TI``, ``GO`` and one array per final-use/flow column present (each of length 42).

    The parsed arrays are cached in the user cache (``derived/``, named by the file's sha256),
    as reading the ``.rda`` with rdata takes ~1.5 s per year; the cache is never committed and
    is rebuilt when the file or the parser version changes.
    """
    data_path(DATASET, f"io{year}.rda", progress=False)  # present and verified, cache or not
    cache = _cache_file(year)
    if cache.is_file():
        try:
            with np.load(cache, allow_pickle=False) as z:
                out: dict[str, dict[str, np.ndarray]] = {}
                for key in z.files:
                    prov, _, name = key.partition("|")
                    out.setdefault(prov, {})[name] = z[key]
            return out
        except (OSError, ValueError):
            pass  # a damaged cache file: parse again
    out = _parse(year)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(tmp, **{f"{p}|{k}": v for p, arrs in out.items() for k, v in arrs.items()})
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only cache is fine: parse each time
    return out


def _parse(year: int) -> dict[str, dict[str, np.ndarray]]:
    import rdata

    path = data_path(DATASET, f"io{year}.rda", progress=False)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Missing constructor", category=UserWarning)
        parsed = rdata.read_rda(str(path))
    (tables,) = parsed.values()
    out: dict[str, dict[str, np.ndarray]] = {}
    for name, df in dict(tables).items():
        frame = df.set_index("sec")
        frame.index = frame.index.astype(str)
        missing = [r for r in [*_SECS, *_VA, "TVA", "TI"] if r not in frame.index]
        missing += [c for c in [*_SECS, *_FU, "GO"] if c not in frame.columns]
        if missing:
            raise SchemaError(
                f"io{year}.rda: table of {name} lacks rows/columns of the CHNIO layout",
                received=missing[:10],
                fix="re-fetch the file (chainatlas datasets fetch china-provincial-io)",
            )
        cols = [c for c in frame.columns if c != "sec"]
        M = frame[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        ri = {r: i for i, r in enumerate(frame.index)}
        ci = {c: j for j, c in enumerate(cols)}
        R = [ri[r] for r in _SECS]
        arrays = {
            "Z": M[np.ix_(R, [ci[c] for c in _SECS])],
            "V": M[np.ix_([ri[r] for r in _VA], [ci[c] for c in _SECS])],
            "TVA": M[ri["TVA"], [ci[c] for c in _SECS]],
            "TI": M[ri["TI"], [ci[c] for c in _SECS]],
        }
        for c in [*_FU, *_FLOW_COLS, "GO"]:
            if c in ci:
                arrays[c] = M[R, ci[c]]
        out[str(name)] = arrays
    return out


def _check_year(year: int | str) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        y = -1
    if y not in YEARS:
        raise UnknownDatasetError(
            f"china-provincial-io has no tables for year {year!r}",
            received=year,
            fix="years: " + ", ".join(map(str, YEARS)),
        )
    return y


@functools.cache
def _sector_file() -> pd.DataFrame:
    path = resources.files("chainatlas.datasets") / "data" / "china_provincial_sectors.csv"
    with path.open(encoding="utf-8") as fh:
        return pd.read_csv(fh, comment="#", dtype={"code": str})


def concordance() -> pd.DataFrame:
    """The sector schemes of every year and their common 38-sector basis (one row per year × code).

    Returns
    -------
    DataFrame
        ``year``, ``code`` (``"01"``…``"42"``), ``name_zh``, ``name_en``, ``common_code``
        (``"C01"``…``"C38"``), ``common_name_zh``, ``common_name_en``. The manual choices are
        documented in the CSV header and ``docs/provinces.md``.

    Examples
    --------
    >>> c = concordance()
    >>> c[(c.year == 2017) & (c.code == "31")]["common_code"].item()
    'C27'
    """
    return _sector_file().copy()


def sectors(year: int) -> pd.DataFrame:
    """The 42 sectors of one year's scheme: index code, columns code, name_zh, name_en, common_code.

    Raises
    ------
    UnknownDatasetError
        Unknown year.
    """
    y = _check_year(year)
    c = _sector_file()
    c = c[c["year"] == y].set_index("code", drop=False)
    c.index.name = "sector"
    return c[["code", "name_zh", "name_en", "common_code", "common_name_zh"]].copy()


# ---------------------------------------------------------------------------------- provinces
_PINYIN = {"NMG": ("Neimenggu", "Nei Menggu"), "XIZ": ("Xizang",), "SHA": ("Shaanxi",)}


def province_names() -> pd.DataFrame:
    """Every accepted spelling of the 31 provinces: io_code, gb2260, short_zh, name_zh, pinyin."""
    from chainatlas.geo import provinces

    p = provinces()
    pinyin = [
        " / ".join(dict.fromkeys([p.loc[c, "name_en"], *_PINYIN.get(c, ())])) for c in p.index
    ]
    return p[["io_code", "gb2260", "short_zh", "name_zh", "name_en"]].assign(pinyin=pinyin)


def _province_code(text: str) -> str:
    from chainatlas.geo import to_province_code

    key = "".join(str(text).split()).casefold()
    for code, names in _PINYIN.items():
        if key in {"".join(n.split()).casefold() for n in names}:
            return code
    try:
        return to_province_code(text)
    except UnknownCodeError:
        pass
    names = province_names()
    choices = [*names["short_zh"], *names["name_en"], *names["io_code"]]
    listing = "; ".join(
        f"{r.short_zh} {r.pinyin} {r.io_code}/{r.gb2260}" for r in names.itertuples()
    )
    raise UnknownCodeError(
        f"unknown province {text!r}",
        received=text,
        fix=f"{suggest(str(text), choices)} Give the Chinese name, the pinyin, the IO code or the "
        f"GB/T 2260 code: {listing}",
    )


def _province_key(year: int, province: str) -> str:
    """The table key (short Chinese name) of a province in one year, or a clear error."""
    from chainatlas.geo import province_lookup

    code = _province_code(province)
    short = str(province_lookup(code)["short_zh"])
    if short not in _raw(year):
        have = [y for y in YEARS if short in _raw(y)]
        raise NoProvinceTableError(
            f"china-provincial-io has no {year} table for {short} "
            f"({province_lookup(code)['name_en']}): the {year} tables cover {len(_raw(year))} "
            "provinces",
            received=province,
            fix="years with a table for it: "
            + ", ".join(f"china-provincial-io:{y}-{short}" for y in have),
        )
    return short


# ---------------------------------------------------------------------------------- specs
def SPECS() -> list[str]:  # noqa: N802 (name fixed by the loader protocol)
    """Canonical keys: ``YEAR`` and ``YEAR-<short Chinese name>`` for every table."""
    from chainatlas.geo import provinces

    order = list(provinces()["short_zh"])
    keys = [str(y) for y in YEARS]
    for y in YEARS:  # Tibet has no table in 2002 and 2007 (checked against the files in tests)
        keys += [f"{y}-{s}" for s in order if y >= 2012 or s != "西藏"]
    return keys


def resolve_key(key: str) -> str:
    """The canonical key of ``YEAR`` or ``YEAR-PROVINCE`` (any accepted province spelling).

    Raises
    ------
    UnknownDatasetError
        Unknown year or malformed key.
    UnknownCodeError
        Unknown province (close names are suggested, every accepted spelling listed).
    NoProvinceTableError
        A year without that province's table (Tibet in 2002 and 2007).
    """
    year, sep, province = str(key).strip().partition("-")
    y = _check_year(year)
    if not sep:
        return str(y)
    if not province.strip():
        raise UnknownDatasetError(
            f"no province after the year in {key!r}",
            fix=f"e.g. china-provincial-io:{y}-四川 or china-provincial-io:{y}-Sichuan",
        )
    return f"{y}-{_province_key(y, province.strip())}"


def load(key: str, *, progress: bool = True) -> object:
    """Load ``YEAR`` (RegionIndustry of gross output) or ``YEAR-PROVINCE`` (IOTable)."""
    del progress  # files are small; data_path shows nothing to wait for
    canon = resolve_key(key)
    year, _, province = canon.partition("-")
    if not province:
        return region_industry(int(year))
    return province_table(int(year), province)


# ---------------------------------------------------------------------------------- tables
def _provenance(year: int, step: str, source: str | None = None) -> Provenance:
    return dataset_provenance(
        DATASET,
        (f"io{year}.rda",),
        steps=(f"read io{year}.rda with rdata", step),
        source=source or f"{DATASET}:{year}",
        extra=(("unit", UNIT), ("year", str(year))),
    )


def _repaired(year: int, short: str) -> tuple[dict[str, np.ndarray], list[str]]:
    """The province's arrays with the documented repairs applied, and what was repaired."""
    a = {k: v.copy() for k, v in _raw(year)[short].items()}
    notes: list[str] = []
    tiny = (a["GO"] < 0) & (a["GO"] > -0.01)
    if tiny.any():
        a["GO"][tiny] = 0.0
        notes.append(
            f"GO of sectors {[_CODES[i] for i in np.flatnonzero(tiny)]} in (-0.01, 0) "
            "set to 0 (rounding)"
        )
    V = a["V"]
    for j in np.flatnonzero(np.isnan(V).sum(axis=0) == 1):
        i = int(np.flatnonzero(np.isnan(V[:, j]))[0])
        V[i, j] = a["TVA"][j] - np.nansum(V[:, j])
        notes.append(f"{_VA[i]} of sector {_CODES[j]} missing: set to TVA less the other items")
    if any(not np.isfinite(v).all() for v in a.values()):
        bad = [k for k, v in a.items() if not np.isfinite(v).all()]
        raise SchemaError(
            f"io{year}.rda: {short} has missing values the loader does not repair",
            received=bad,
            fix="report the cell; nothing is filled silently",
        )
    return a, notes


def province_flows(year: int, province: str) -> pd.DataFrame:
    """One province's supply and use by sector, with the subtotals recomputed.

    Parameters
    ----------
    year : {2002, 2007, 2012, 2017}
    province : str
        Any accepted spelling (see :func:`province_names`).

    Returns
    -------
    DataFrame indexed by sector code ``"01"``…``"42"``, 10,000 yuan
        ``intermediate use`` (TIU, recomputed), ``final use`` (FU101…FU202, recomputed),
        ``exports`` ``outflows`` ``imports`` ``inflows`` (2012, 2017; NaN otherwise),
        ``outflows and exports``, ``inflows and imports`` (2007: FU302, FU304), ``net outflow``,
        ``other`` (ERR, 0 in 2002), ``gross output`` (GO), ``value added`` (TVA),
        ``intermediate input`` (TII, recomputed). ``attrs``: year, province, unit.

    Raises
    ------
    UnknownCodeError, NoProvinceTableError, UnknownDatasetError
    """
    y = _check_year(year)
    short = _province_key(y, province)
    return _flows(y, short)


def _flows(y: int, short: str) -> pd.DataFrame:
    a, _ = _repaired(y, short)
    nan = np.full(42, np.nan)
    out = pd.DataFrame(
        {
            "intermediate use": a["Z"].sum(axis=1),
            "final use": sum(a[c] for c in _FU),
            "exports": a.get("EX", nan),
            "outflows": a.get("OF", nan),
            "imports": a.get("IM", nan),
            "inflows": a.get("IF", nan),
        },
        index=pd.Index(_CODES, name="sector"),
    )
    if y >= 2012:
        out["outflows and exports"] = out["exports"] + out["outflows"]
        out["inflows and imports"] = out["imports"] + out["inflows"]
    else:
        out["outflows and exports"] = a.get("FU302", nan)
        out["inflows and imports"] = a.get("FU304", nan)
    out["net outflow"] = (
        a["NOF"] if y == 2002 else out["outflows and exports"] - out["inflows and imports"]
    )
    out["other"] = a.get("ERR", np.zeros(42))
    out["gross output"] = a["GO"]
    out["value added"] = a["TVA"]
    out["intermediate input"] = a["Z"].sum(axis=0)
    out.attrs = {"year": y, "province": short, "unit": UNIT}
    return out


def province_table(year: int, province: str) -> object:
    """One province's IO table as an :class:`~chainatlas.io.table.IOTable` (see module docs).

    Raises
    ------
    UnknownCodeError, NoProvinceTableError, UnknownDatasetError
    BalanceError
        When the published table breaks :data:`BALANCE_TOLERANCE` (never on the shipped files).
    """
    y = _check_year(year)
    return _table(y, _province_key(y, province))


@functools.cache
def _table(y: int, short: str) -> object:
    """The (immutable) IOTable of one province and year, built once per process."""
    from chainatlas.io.table import IOTable, negative_cells

    a, notes = _repaired(y, short)
    idx = pd.Index(_CODES, name="sector")
    extra_cols = {2002: ["NOF"], 2007: ["FU302"], 2012: ["EX", "OF"], 2017: ["EX", "OF"]}[y]
    ycols = [*_FU, *extra_cols]
    Y = pd.DataFrame(
        np.column_stack([a[c] for c in ycols]),
        index=idx,
        columns=pd.Index([_Y_LABELS[c] for c in ycols], name="final_use"),
    )
    if y >= 2012:
        imports: np.ndarray | None = a["IM"] + a["IF"]
        imp_note = "imports = IM + IF (foreign imports and inflows from other provinces)"
    elif y == 2007:
        imports = a["FU304"]
        imp_note = "imports = FU304 (inflows, foreign and from other provinces together)"
    else:
        imports = None
        imp_note = "no import column: NOF (net outflow) is a final-use column"
    x = pd.Series(a["GO"], index=idx, name="x")
    zero = [str(c) for c in idx[a["GO"] == 0]]
    rtol, atol = BALANCE_TOLERANCE[y]
    sec = sectors(y)
    sec.index = idx
    prov = _provenance(
        y,
        f"province {short}: competitive table; {imp_note}; ERR -> other; "
        f"subtotals recomputed; balance tolerance rtol {rtol:g}, atol {atol:g} (10,000 yuan)",
        source=f"{DATASET}:{y}-{short}",
    )
    for note in notes:
        prov = prov.with_step(note)
    if zero:
        prov = prov.with_step(f"zero_output='zero-coefficients' for sectors {zero}")
    negative = negative_cells(a["Z"], idx)
    if negative:
        prov = prov.with_step(f"negative_flows='allow': the source publishes {negative}")
    return IOTable(
        Z=pd.DataFrame(a["Z"], index=idx, columns=idx),
        Y=Y,
        V=pd.DataFrame(a["V"], index=pd.Index(_V_LABELS, name="value_added"), columns=idx),
        x=x,
        unit=UNIT,
        layout="competitive",
        provenance=prov,
        sectors=sec[["code", "name_zh", "name_en"]],
        imports=None if imports is None else pd.Series(imports, index=idx, name="imports"),
        other=pd.Series(a["ERR"], index=idx, name="other") if "ERR" in a else None,
        balance_rtol=rtol,
        balance_atol=atol,
        zero_output="zero-coefficients" if zero else "raise",
        negative_flows="allow" if negative else "raise",
    )


@functools.cache
def _wide(year: int) -> dict[str, pd.DataFrame]:
    """Every measure of :func:`province_flows` as a provinces (io_code) × sectors frame."""
    from chainatlas.geo import provinces

    p = provinces()
    codes, flows = [], []
    for code, short in zip(p.index, p["short_zh"], strict=True):
        if short in _raw(year):
            codes.append(code)
            flows.append(_flows(year, short))
    idx = pd.Index(codes, name="region")
    cols = pd.Index(_CODES, name="industry")
    stacked = np.stack([f.to_numpy(dtype=float) for f in flows])  # (r, 42, m)
    out = {}
    for j, m in enumerate(flows[0].columns):
        vals = stacked[:, :, j]
        if np.isnan(vals).all():
            continue  # a measure the year lacks
        out[str(m)] = pd.DataFrame(vals, index=idx, columns=cols)
    return out


def panel(year: int) -> pd.DataFrame:
    """Every measure of every province and sector in one tidy frame.

    Returns
    -------
    DataFrame
        ``region`` (io_code), ``sector`` (code), ``measure`` (see :func:`province_flows`),
        ``value`` (10,000 yuan). Measures a year lacks (e.g. IF before 2012) are absent.
    """
    frames = []
    for m, w in _wide(_check_year(year)).items():
        s = w.stack()
        frames.append(
            pd.DataFrame(
                {
                    "region": s.index.get_level_values(0),
                    "sector": s.index.get_level_values(1),
                    "measure": m,
                    "value": s.to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def region_industry(year: int, measure: str = "gross output") -> object:
    """Provinces × 42 sectors of one measure, the others in ``extra`` (see module docs).

    Parameters
    ----------
    year : {2002, 2007, 2012, 2017}
    measure : str
        The main (size) measure, default ``"gross output"``; it must be non-negative.

    Raises
    ------
    LabelError
        Unknown measure (the available ones are listed).
    NegativeValueError
        A main measure with negative cells (value added, final use with inventory drawdowns).
    """
    from chainatlas.clusters.regional import RegionIndustry
    from chainatlas.geo import provinces

    y = _check_year(year)
    frames = {m: w.copy() for m, w in _wide(y).items()}
    go = frames.pop("gross output")
    sec = sectors(y)
    sec.index.name = "industry"
    ri = RegionIndustry(
        values=go,
        measure="gross output",
        unit=UNIT,
        provenance=_provenance(y, f"gross output (总产出) of {len(go)} provinces × 42 sectors"),
        classification=classification(y),
        regions=provinces().loc[go.index],
        industries=sec,
        extra=frames,
    )
    return ri if measure == "gross output" else ri.with_measure(measure)


def classification(year: int) -> str:
    """The sector classification name of a year's scheme (for the clusters mapping tables).

    2017 uses the NBS 2017 42-sector scheme of the national tables (``"china-42"``); 2012
    ``"china-2012-42"``; 2007 the 2007 provincial scheme (``"china-provincial-2007-42"``); 2002
    ``"china-provincial-2002-42"``.
    """
    return {
        2002: "china-provincial-2002-42",
        2007: "china-provincial-2007-42",
        2012: "china-2012-42",
        2017: "china-42",
    }[_check_year(year)]


# ---------------------------------------------------------------------------------- checks
def balance_report(year: int) -> pd.DataFrame:
    """Row and column balance of every province's published table, one row per province.

    Returns
    -------
    DataFrame indexed by province (short Chinese name)
        ``max_row_gap``, ``max_col_gap`` (10,000 yuan, absolute), ``max_row_rgap``,
        ``max_col_rgap`` (relative to GO, over sectors with GO ≥ 1 亿元), ``go_ti_gap`` (max |GO − TI|).
        Rows: Z·1 + Y·1 − imports + other − GO; columns: 1ᵀZ + 1ᵀV − GO.
    """
    y = _check_year(year)
    rows = []
    for short in _raw(y):
        t = province_table(y, short)
        b = t.balance()  # type: ignore[attr-defined]
        pos = b["x"] >= 1e4  # relative gaps over sectors with GO >= 1 亿元
        ti = _raw(y)[short]["TI"]
        rows.append(
            {
                "province": short,
                "max_row_gap": float(b["row_gap"].abs().max()),
                "max_col_gap": float(b["col_gap"].abs().max()),
                "max_row_rgap": float(b.loc[pos, "row_rgap"].abs().max()),
                "max_col_rgap": float(b.loc[pos, "col_rgap"].abs().max()),
                "go_ti_gap": float(np.abs(ti - b["x"].to_numpy()).max()),
            }
        )
    return pd.DataFrame(rows).set_index("province")


_NATIONAL = {2002: "2002-122", 2007: "2007-135", 2012: "2012-139", 2017: "2017-42"}


def national_comparison(year: int) -> pd.DataFrame:
    """The sum of provinces against the national ``china-io`` table of the same year.

    Compares gross output, value added, exports (2012, 2017; 2007: outflows and exports cannot
    be split) and intermediate use. The national tables are 2002-122, 2007-135, 2012-139 and
    2017-42 (the 2017 one has the same 42 sectors: :func:`national_sector_comparison`).

    Returns
    -------
    DataFrame indexed by measure
        ``provinces`` (sum, 亿元), ``national`` (亿元), ``gap`` (provinces − national, 亿元),
        ``rel_gap`` (gap / national). Provincial GDP summed over provinces exceeds national
        GDP in these years (a known feature of China's regional accounts, corrected in the 2019
        unified accounting reform), so gaps are measured and documented, not forced to 0.
    """
    from chainatlas.datasets.specs import load as load_spec

    y = _check_year(year)
    nat = load_spec(f"china-io:{_NATIONAL[y]}", progress=False)
    tot = pd.Series({m: float(w.to_numpy().sum()) for m, w in _wide(y).items()})
    rows = {
        "gross output": (tot["gross output"], float(nat.x.sum())),
        "value added": (tot["value added"], float(nat.v.sum())),
        "intermediate use": (
            tot["intermediate use"],
            float(nat.Z.to_numpy().sum() + (0.0 if nat.Zm is None else nat.Zm.to_numpy().sum())),
        ),
    }
    if y >= 2012:
        rows["exports"] = (tot["exports"], float(nat.Y["exports"].sum()))
    out = pd.DataFrame(
        [(m, a / 1e4, b / 1e4) for m, (a, b) in rows.items()],
        columns=["measure", "provinces", "national"],
    ).set_index("measure")
    out["gap"] = out["provinces"] - out["national"]
    out["rel_gap"] = out["gap"] / out["national"]
    out.attrs = {"year": y, "unit": "100 million yuan (亿元)", "national": _NATIONAL[y]}
    return out


def national_sector_comparison(year: int = 2017) -> pd.DataFrame:
    """Sum of provinces vs the national 42-sector table, by sector (2017 only: same scheme).

    Returns
    -------
    DataFrame indexed by sector code: ``name_zh``, ``go_provinces``, ``go_national``,
    ``go_rel_gap``, ``va_provinces``, ``va_national``, ``va_rel_gap`` (亿元).
    """
    from chainatlas.datasets.specs import load as load_spec

    y = _check_year(year)
    if y != 2017:
        raise UnknownDatasetError(
            f"no national 42-sector table with the {y} provincial scheme",
            fix="use national_comparison(year) for totals; by sector only 2017 matches",
        )
    nat = load_spec("china-io:2017-42", progress=False)
    ri = region_industry(y)
    go = ri.values.sum(axis=0) / 1e4  # type: ignore[attr-defined]
    va = ri.extra["value added"].sum(axis=0) / 1e4  # type: ignore[attr-defined]
    out = pd.DataFrame(
        {
            "name_zh": sectors(y)["name_zh"].to_numpy(),
            "go_provinces": go.to_numpy(),
            "go_national": nat.x.to_numpy() / 1e4,
            "va_provinces": va.to_numpy(),
            "va_national": nat.v.to_numpy() / 1e4,
        },
        index=pd.Index(_CODES, name="sector"),
    )
    out["go_rel_gap"] = out["go_provinces"] / out["go_national"] - 1
    out["va_rel_gap"] = out["va_provinces"] / out["va_national"] - 1
    return out
