"""Loader for ``cn-province-innovation``: province × year innovation panels (R package techme).

Specs
-----
* ``cn-province-innovation`` — every indicator in one tidy long frame;
* ``cn-province-innovation:TABLE`` — one source table (``RDIntense``, ``RDActivity``,
  ``RDSource``, ``RDLaborHour``, ``RDPatentAccept``, ``RDPatentValid``, ``IndustryOperation``,
  ``IndustryRD``, ``IndustryTrade``, ``MarketPull``, ``MarketPush``, ``PublicBudget``,
  ``HitechFirms``, ``KeyLabs``), same columns;
* ``cn-province-innovation:VARIABLE`` (a techme code such as ``v4_ztr_qd_RD``) — a wide
  province × year panel of one indicator, ``attrs["unit"]`` and ``attrs["indicator_zh"]`` set.

Tidy columns: ``region`` (io_code of :func:`chainatlas.geo.provinces`, ``CHN`` for the national
total 全国), ``province`` (short Chinese name or 全国), ``year`` (int), ``table``, ``variable``
(techme code, explained by ``varsList.rda``), ``indicator_zh`` (its blocks joined, e.g.
``科技;总投入;强度;RD强度``), ``value`` (float, NaN where the source cell is empty), ``unit`` (as
published: 亿元, 万元, %, 件, 项, 个, 人年, 百万美元, 家).

Two tables are not indicator tables in the source and are turned into counts:
``HitechFirmsPub`` (newly certified high-tech enterprises by province and year, 家) →
``HitechFirms`` with variable ``hitech_firms_new``; ``PubSKLMost`` (509 state key laboratories
with province and the list year) → ``KeyLabs``: labs per province in each list year
(``key_labs``, 个).

Repairs, recorded in ``attrs["repairs"]``: spaces inside province names (``上   海``, in
RDSource, RDLaborHour and RDPatentAccept) are removed; five misspelt names (OCR errors) are
read as the province they spell, each only where the correctly spelt province is missing in that
table and year (RDPatentValid: 江四 2015 → 江西, 浙汀 2014 → 浙江, 四藏 2014 → 西藏;
RDPatentAccept: 江两 2014 → 江西; RDLaborHour: 内蒙占 2013 → 内蒙古); RDPatentValid's one
garbled regional aggregate (尔部地区, 2014) is dropped.

Examples
--------
>>> TABLES[:2]
('RDIntense', 'RDActivity')
"""

from __future__ import annotations

import functools
import os
import warnings
from pathlib import Path

import pandas as pd

from chainatlas.datasets.registry import data_path, dataset_provenance
from chainatlas.errors import SchemaError, UnknownDatasetError, suggest

__all__ = [
    "SPECS",
    "load",
    "resolve_key",
    "TABLES",
    "tidy",
    "indicator_panel",
    "variables",
    "TYPOS",
]

DATASET = "cn-province-innovation"
TABLES: tuple[str, ...] = (
    "RDIntense",
    "RDActivity",
    "RDSource",
    "RDLaborHour",
    "RDPatentAccept",
    "RDPatentValid",
    "IndustryOperation",
    "IndustryRD",
    "IndustryTrade",
    "MarketPull",
    "MarketPush",
    "PublicBudget",
    "HitechFirms",
    "KeyLabs",
)
_FILES = {"HitechFirms": "HitechFirmsPub", "KeyLabs": "PubSKLMost"}

#: misspelt province names in the source -> the province (each checked to be missing that year)
TYPOS: dict[str, str] = {
    "江四": "江西",
    "浙汀": "浙江",
    "四藏": "西藏",
    "江两": "江西",
    "内蒙占": "内蒙古",
}
_DROP = ("尔部地区",)


def _read(name: str) -> pd.DataFrame:
    import rdata

    path = data_path(DATASET, f"{name}.rda", progress=False)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Missing constructor", category=UserWarning)
        parsed = rdata.read_rda(str(path))
    (df,) = parsed.values()
    return pd.DataFrame(df)


@functools.cache
def _vars() -> pd.DataFrame:
    v = _read("varsList")
    blocks = v[["chn_block1", "chn_block2", "chn_block3", "chn_block4"]].astype(object)
    label = [";".join(str(x) for x in row if isinstance(x, str) and x) for row in blocks.values]
    return pd.DataFrame(
        {"indicator_zh": label, "unit": v["units"].astype(object).to_numpy()},
        index=pd.Index(v["variables"].astype(str), name="variable"),
    )


def variables() -> pd.DataFrame:
    """The indicator codes present in the panels: index variable, columns indicator_zh, unit, table."""
    t = _all()
    return (
        t.drop_duplicates("variable")
        .set_index("variable")[["indicator_zh", "unit", "table"]]
        .sort_index()
        .copy()
    )


def _region_codes() -> dict[str, str]:
    from chainatlas.geo import provinces

    p = provinces()
    return {**dict(zip(p["short_zh"], p.index, strict=True)), "全国": "CHN"}


def _indicator_table(table: str, repairs: list[str]) -> pd.DataFrame:
    df = _read(table)
    need = ["province", "year", "value", "units", "variables"]
    if any(c not in df.columns for c in need):
        raise SchemaError(
            f"{table}.rda lacks the techme columns", received=list(df.columns), fix="re-fetch it"
        )
    raw = df["province"].astype(object).astype(str)
    prov = raw.str.replace(r"\s+", "", regex=True)
    if (prov != raw).any():
        repairs.append(f"{table}: spaces removed inside {int((prov != raw).sum())} province names")
    for bad, good in TYPOS.items():
        hit = prov == bad
        if hit.any():
            years = set(df.loc[hit, "year"].astype(str))
            clash = df[(prov == good) & df["year"].astype(str).isin(years)]
            if len(clash):
                raise SchemaError(
                    f"{table}: {bad!r} looks like {good!r}, but {good} already has those years",
                    fix="check the source; nothing is renamed when it would duplicate a row",
                )
            prov = prov.where(~hit, good)
            repairs.append(f"{table}: {bad} ({', '.join(sorted(years))}) read as {good}")
    drop = prov.isin(_DROP)
    if drop.any():
        repairs.append(f"{table}: dropped {int(drop.sum())} rows of {', '.join(_DROP)}")
    df, prov = df[~drop], prov[~drop]
    vars_ = _vars()
    code = df["variables"].astype(str)
    return pd.DataFrame(
        {
            "province": prov.to_numpy(),
            "year": pd.to_numeric(df["year"]).astype(int).to_numpy(),
            "table": table,
            "variable": code.to_numpy(),
            "indicator_zh": code.map(vars_["indicator_zh"]).fillna(df["chn_block4"]).to_numpy(),
            "value": pd.to_numeric(df["value"]).astype(float).to_numpy(),
            "unit": df["units"].astype(object).astype(str).to_numpy(),
        }
    )


def _count_tables() -> list[pd.DataFrame]:
    firms = _read("HitechFirmsPub")
    a = pd.DataFrame(
        {
            "province": firms["province"].astype(object).astype(str).to_numpy(),
            "year": pd.to_numeric(firms["year"]).astype(int).to_numpy(),
            "table": "HitechFirms",
            "variable": "hitech_firms_new",
            "indicator_zh": "科技;高新技术企业;认定;新认定高新技术企业数",
            "value": pd.to_numeric(firms["num"]).astype(float).to_numpy(),
            "unit": "家",
        }
    )
    labs = _read("PubSKLMost")
    cnt = (
        labs.assign(province=labs["province"].astype(object).astype(str))
        .groupby(["province", labs["year"].astype(int)])
        .size()
        .rename("value")
        .reset_index()
    )
    b = cnt.assign(
        table="KeyLabs",
        variable="key_labs",
        indicator_zh="科技;国家重点实验室;名单;国家重点实验室数",
        unit="个",
        value=cnt["value"].astype(float),
    )[list(a.columns)]
    return [a, b]


#: version of the tidy-frame cache (bump when the reading or repairs change)
_CACHE_VERSION = 1


def _cache_paths() -> tuple[Path, Path]:
    import hashlib

    from chainatlas.datasets.registry import cache_dir, get_dataset

    ds = get_dataset(DATASET)
    key = hashlib.sha256("".join(sorted(f.sha256 for f in ds.files)).encode()).hexdigest()[:16]
    base = cache_dir() / "derived" / f"cn-province-innovation-{key}-v{_CACHE_VERSION}"
    return base.with_suffix(".csv"), base.with_suffix(".json")


@functools.cache
def _all_cached() -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The tidy frame and the repairs, read once per process; the tidy frame is cached in the
    user cache (``derived/``, named by the files' sha256s): reading the 16 ``.rda`` files with
    rdata takes several seconds."""
    import json

    for name in [*(_FILES.get(t, t) for t in TABLES), "varsList"]:
        data_path(DATASET, f"{name}.rda", progress=False)  # present and verified
    csv_path, json_path = _cache_paths()
    if csv_path.is_file() and json_path.is_file():
        try:
            frame = pd.read_csv(
                csv_path, dtype={"region": str, "province": str, "table": str, "variable": str}
            )
            return frame, tuple(json.loads(json_path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass
    out, repairs = _build()
    try:
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = csv_path.with_suffix(f".{os.getpid()}.tmp")
        out.to_csv(tmp, index=False)
        os.replace(tmp, csv_path)
        json_path.write_text(json.dumps(list(repairs), ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass
    return out, repairs


def _build() -> tuple[pd.DataFrame, tuple[str, ...]]:
    repairs: list[str] = []
    frames = [_indicator_table(t, repairs) for t in TABLES if t not in _FILES]
    frames += _count_tables()
    out = pd.concat(frames, ignore_index=True)
    codes = _region_codes()
    unknown = sorted(set(out["province"]) - set(codes))
    if unknown:
        raise SchemaError(
            "cn-province-innovation names provinces chainatlas does not know",
            received=unknown,
            fix="add the spelling to TYPOS (documented) after checking the source",
        )
    out.insert(0, "region", out["province"].map(codes))
    key = ["region", "year", "variable"]
    # the same total is published in two tables (RDActivity and RDSource, the second rounded
    # to whole 万元): keep it once, under the first table, when the two agree to 1e-4
    first = out.groupby(key, sort=False)["value"].transform("first")
    again = out.duplicated(key, keep="first") & ((out["value"] - first).abs() <= 1e-4 * first.abs())
    if again.any():
        tabs = sorted(set(out.loc[again, "table"]))
        repairs.append(
            f"{int(again.sum())} rows of {', '.join(tabs)} repeat a total of an earlier table "
            "(equal to 1e-4 relative): kept once, under the earlier table"
        )
        out = out[~again].reset_index(drop=True)
    dup = out.duplicated(key, keep=False)
    if dup.any():
        raise SchemaError(
            f"{int(dup.sum())} duplicate (province, year, indicator) rows",
            received=out.loc[dup, ["province", "year", "variable"]].head(5).values.tolist(),
            fix="check the source tables",
        )
    return out, tuple(repairs)


def _all() -> pd.DataFrame:
    return _all_cached()[0]


def tidy(table: str | None = None) -> pd.DataFrame:
    """The tidy long frame of every indicator, or of one table (see module docs).

    Raises
    ------
    UnknownDatasetError
        Unknown table (close names are suggested).
    """
    out, repairs = _all_cached()
    if table is not None:
        if table not in TABLES:
            raise UnknownDatasetError(
                f"unknown cn-province-innovation table {table!r}",
                fix=suggest(table, TABLES) + " Tables: " + ", ".join(TABLES),
            )
        out = out[out["table"] == table]
    out = out.reset_index(drop=True).copy()
    out.attrs = {
        "repairs": list(repairs),
        "provenance": _provenance(table).to_dict(),
    }
    return out


def indicator_panel(variable: str) -> pd.DataFrame:
    """One indicator as a wide panel: regions (io_code, ``CHN`` = 全国) × years.

    Raises
    ------
    UnknownDatasetError
        Unknown indicator code (close codes are suggested).
    """
    t = _all()
    sel = t[t["variable"] == variable]
    if sel.empty:
        codes = sorted(set(t["variable"]))
        raise UnknownDatasetError(
            f"unknown cn-province-innovation indicator {variable!r}",
            fix=suggest(variable, codes) + " Codes: " + ", ".join(codes[:12]) + " …",
        )
    wide = sel.pivot(index="region", columns="year", values="value")
    order = [c for c in [*_region_codes().values()] if c in wide.index]
    wide = wide.loc[["CHN", *[c for c in order if c != "CHN"]] if "CHN" in wide.index else order]
    wide.attrs = {
        "variable": variable,
        "indicator_zh": str(sel["indicator_zh"].iloc[0]),
        "unit": str(sel["unit"].iloc[0]),
        "table": str(sel["table"].iloc[0]),
        "provenance": _provenance(str(sel["table"].iloc[0])).to_dict(),
    }
    return wide.astype(float)


def _provenance(table: str | None) -> object:
    names = list(TABLES) if table is None else [table]
    files = tuple(f"{_FILES.get(t, t)}.rda" for t in names) + ("varsList.rda",)
    return dataset_provenance(
        DATASET,
        files,
        steps=(
            "read with rdata; techme long format -> tidy (region, year, variable, value, unit)",
        ),
    )


def SPECS() -> list[str]:  # noqa: N802 (name fixed by the loader protocol)
    """Keys: ``""`` (all) and the table names; indicator codes (:func:`variables`) load too."""
    return ["", *TABLES]


def resolve_key(key: str) -> str:
    """Check a key: ``""``, a table name or an indicator code.

    Raises
    ------
    UnknownDatasetError
        Neither (close tables and codes are suggested, as full specs).
    """
    if key in SPECS():
        return key
    codes = sorted(set(_all()["variable"]))
    if key in codes:
        return key
    full = [f"{DATASET}:{k}" for k in [*TABLES, *codes]]
    raise UnknownDatasetError(
        f"unknown dataset spec {DATASET + ':' + key!r}",
        fix=suggest(f"{DATASET}:{key}", full)
        + f" Tables: {', '.join(TABLES)}; indicator codes: see cn_innovation.variables()",
    )


def load(key: str, *, progress: bool = True) -> object:
    """Load the tidy frame (``""`` or a table name) or one indicator's wide panel."""
    del progress
    if key == "":
        return tidy()
    if key in TABLES:
        return tidy(key)
    return indicator_panel(key)
