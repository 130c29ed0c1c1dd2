"""The scorecard pipeline (评分流程): load a unit set, compute the indicators, score, explain.

Unit sets (the SPEC of ``chainatlas scorecard SPEC``):

* ``wiod-2013:YEAR`` — the 40 WIOD economies (RoW is an aggregate, not a unit), specification
  ``economies``; ECI from ``world-trade-hs4-2017`` (2017; ISO3 codes, WIOD ``ROM`` → ``rou``;
  Taiwan is not in that file, Romania is absent from it, Luxembourg and Malta fall below the
  Atlas cleaning thresholds: those four are scored without ECI, and the output says so);
* ``china-provincial-io:YEAR`` (2012, 2017) — the 31 provinces, specification ``provinces``;
* ``china-io:series`` — China's national tables 2002–2020 on the common basis, each year a
  unit (a trend, not a league table), specification ``china-years``.

The ECI of 2017 takes a few seconds to compute from the trade file; it is stored once per
trade-file sha256 and version of the ECI code in the user cache
(``<cache>/derived/eci-hs4-2017-<sha>-<code>.csv``), recomputed when either changes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, UnknownCodeError, suggest
from chainatlas.scorecard import (
    PILLAR_NAMES,
    PILLARS,
    Scorecard,
    Unavailable,
    compute_indicators,
    compute_scorecard,
    load_spec,
    panel_from_mrio,
)
from chainatlas.validation import validate_params

__all__ = [
    "UNIT_SETS",
    "ScorecardRun",
    "run_scorecard",
    "eci_2017",
    "WIOD_TO_ISO3",
    "scorecard_payload",
    "explain_payload",
]

Progress = Callable[[str, float | None], None]

#: dataset of a scorecard SPEC → (specification name, what the units are)
UNIT_SETS: dict[str, tuple[str, str]] = {
    "wiod-2013": ("economies", "40 WIOD economies, one year (wiod-2013:1995 … wiod-2013:2011)"),
    "china-provincial-io": ("provinces", "31 provinces (china-provincial-io:2012, :2017)"),
    "china-io": ("china-years", "China 2002–2020 on the common basis (china-io:series)"),
}
#: WIOD economy codes that differ from ISO 3166 alpha-3
WIOD_TO_ISO3: dict[str, str] = {"ROM": "ROU"}
ECI_SOURCE = "world-trade-hs4-2017"
SERIES_NO_ECI = (
    "ECI exists for 2017 only: left out of the 1995–2011 series so that every year is scored on "
    "the same indicators"
)
ECI_YEAR = 2017


@dataclasses.dataclass(frozen=True)
class ScorecardRun:
    """A computed scorecard and where its inputs came from."""

    spec: str
    scorecard: Scorecard
    datasets: list[str]
    notes: list[dict[str, str]]
    unit_label: str
    year: Any
    inputs: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)


def _noop(_m: str, _f: float | None = None) -> None:
    return None


# ---------------------------------------------------------------------- ECI (cached)
def _eci_cache_path() -> Path:
    """Cache file named by the trade file's sha256 and the code that computes the ECI (so a
    change of the cleaning rules or the method invalidates it)."""
    import hashlib
    import inspect

    from chainatlas import complexity
    from chainatlas.datasets.registry import cache_dir, get_dataset
    from chainatlas.pipelines.complexity import trade_complexity

    ds = get_dataset(ECI_SOURCE)
    sha = next(f.sha256 for f in ds.files if f.name.startswith("world_trade"))[:16]
    code = "".join(
        inspect.getsource(m)
        for m in (trade_complexity, complexity.clean_trade, complexity.complexity)
    )
    ver = hashlib.sha256(code.encode()).hexdigest()[:8]
    return cache_dir() / "derived" / f"eci-hs4-2017-{sha}-{ver}.csv"


def eci_2017(progress: Progress | None = None) -> tuple[pd.Series, dict[str, str]]:
    """ECI 2017 (HS4, Atlas-style cleaning) by ISO3 upper case, and why countries are missing.

    Returns
    -------
    eci : Series
        ISO3 (upper case) → ECI (standardised over the cleaned countries).
    excluded : dict
        ISO3 → reason, for countries the cleaning left out.
    """
    from chainatlas._atomic import write_atomic

    progress = progress or _noop
    path = _eci_cache_path()
    if path.is_file():
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    else:
        from chainatlas.datasets import load
        from chainatlas.pipelines.complexity import trade_complexity

        progress("ECI 2017: computing from world-trade-hs4-2017 (first run only)", None)
        tc = trade_complexity(load(ECI_SOURCE, progress=False))
        eci = tc.result.eci
        rows = [{"location": str(k).upper(), "eci": float(v), "reason": ""} for k, v in eci.items()]
        ex = tc.excluded
        if ex is not None and len(ex):
            loc = ex[ex["kind"] == "location"]
            rows += [
                {"location": str(a).upper(), "eci": np.nan, "reason": str(r)}
                for a, r in zip(loc["label"], loc["reason"], strict=True)
            ]
        frame = pd.DataFrame(rows)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, frame.to_csv(index=False))
    ok = frame["eci"].notna()
    eci = pd.Series(frame.loc[ok, "eci"].to_numpy(), index=frame.loc[ok, "location"], name="eci")
    excluded = dict(zip(frame.loc[~ok, "location"], frame.loc[~ok, "reason"], strict=True))
    return eci, excluded


def _eci_for_wiod(units: list[str], progress: Progress) -> tuple[Any, list[dict[str, str]]]:
    try:
        eci, excluded = eci_2017(progress)
    except ModuleNotFoundError as err:  # loader not installed in this build
        return Unavailable(f"ECI not available: {err}"), []
    iso = {u: WIOD_TO_ISO3.get(u, u) for u in units}
    s = pd.Series({u: eci.get(iso[u], np.nan) for u in units}, dtype=float)
    notes = []
    for u in s.index[s.isna()]:
        why = excluded.get(iso[u], f"{iso[u]} is not in world-trade-hs4-2017")
        notes.append(
            {
                "zh": f"{u} 无 2017 年 ECI（{why}），按缺失处理",
                "en": f"{u} has no 2017 ECI ({why}); treated as missing",
            }
        )
    return s, notes


# ---------------------------------------------------------------------- unit sets
def _parse(spec: str) -> tuple[str, str]:
    name, _, key = spec.partition(":")
    if name not in UNIT_SETS:
        raise UnknownCodeError(
            f"no scorecard unit set for {spec!r}",
            received=spec,
            fix=suggest(name, UNIT_SETS)
            + " Unit sets: "
            + "; ".join(f"{k}: {v[1]}" for k, v in UNIT_SETS.items()),
        )
    return name, key


def _economies(key: str, progress: Progress) -> tuple[dict[str, Any], list[str], list[dict]]:
    from chainatlas.datasets import load
    from chainatlas.scorecard.panel import WIOD_GROUP_NOTES

    key, _, flag = key.partition("+")

    if not key.isdigit() or not 1995 <= int(key) <= 2011:
        raise InputError(
            f"wiod-2013 scorecards need one year 1995–2011, got {key!r}",
            received=key,
            fix="e.g. chainatlas scorecard wiod-2013:2011",
        )
    progress(f"loading wiod-2013:{key}", 0.05)
    table = load(f"wiod-2013:{key}", progress=False)
    units = [str(r) for r in table.labels.get_level_values(0).unique() if r != "RoW"]
    progress("scorecard: sector panel (Leontief inverse)", 0.2)
    panel = panel_from_mrio(table, units=units)
    eci, notes = _eci_for_wiod(units, progress)
    notes = [
        {"zh": "WIOD 的 RoW（其他地区）是许多经济体的合计，不作为评分单位。",
         "en": "WIOD's RoW (rest of the world) aggregates many economies; it is not a unit."},
        *[{"zh": f"部门组 {g}：{t}", "en": f"sector group {g}: {t}"}
          for g, t in WIOD_GROUP_NOTES.items()],
        {"zh": "镜像数据中没有排放数据：绿色化只用能源产品投入强度衡量。",
         "en": "The data mirror has no emissions data: 绿色化 uses energy-product input "
               "intensity only."},
        {"zh": "ECI 为 2017 年贸易数据，与 IO 表年份不同。",
         "en": f"ECI is from 2017 trade data, beside IO data of {key}."},
        *notes,
    ]  # fmt: skip
    inputs = {
        "panel": panel,
        "mrio": table,
        "units": units,
        "year": int(key),
        "_cache": {},
        "eci": eci,
    }
    if flag == "series":
        inputs["unavailable_indicators"] = {"eci": SERIES_NO_ECI}
    return inputs, [f"wiod-2013:{key}", ECI_SOURCE], notes


_LOADERS: dict[str, Callable[[str, Progress], tuple[dict[str, Any], list[str], list[dict]]]] = {
    "wiod-2013": _economies,
}


def _register_optional_unit_sets() -> None:
    """Unit sets whose loaders may not be installed yet (provinces, China's years)."""
    from chainatlas.pipelines import scorecard_units as su

    _LOADERS.setdefault("china-provincial-io", su.provinces)
    _LOADERS.setdefault("china-io", su.china_years)


@validate_params
def run_scorecard(
    spec: str,
    *,
    spec_file: str | Path | None = None,
    normalisation: Literal["min-max", "z-score", "rank"] | None = None,
    aggregation: Literal["arithmetic", "geometric"] | None = None,
    missing: Literal["error", "skip-and-reweight", "impute-mean"] | None = None,
    n_draws: int = 1000,
    seed: int = 20260101,
    progress: Progress | None = None,
    cache: bool = False,
) -> ScorecardRun:
    """Compute the scorecard of a unit set.

    Parameters
    ----------
    spec : str
        ``wiod-2013:YEAR``, ``china-provincial-io:YEAR`` or ``china-io:series``.
    spec_file : str or Path, optional
        A YAML specification replacing the built-in one of the unit type.
    normalisation, aggregation, missing : str, optional
        Override the specification's methods.
    n_draws, seed : int
        Monte Carlo settings.
    progress : callable, optional
    cache : bool
        Reuse the indicator table computed earlier for the same data files, specification and
        code (``<cache>/derived/scorecard-…``): the briefing of every report uses it so that the
        report does not reload the world table; the scores, ranks and Monte Carlo are always
        recomputed.

    Returns
    -------
    ScorecardRun

    Raises
    ------
    UnknownCodeError
        Unknown unit set.
    ChainAtlasError
        From loading or from :func:`chainatlas.scorecard.compute_scorecard`.
    """
    progress = progress or _noop
    name, key = _parse(spec)
    _register_optional_unit_sets()
    if name not in _LOADERS:
        raise UnknownCodeError(f"the {name} unit set is not available in this build", received=spec)
    sc_spec = load_spec(spec_file or UNIT_SETS[name][0])
    hit = _cache_read(spec, sc_spec) if cache else None
    if hit is not None:
        raw, years, unavailable, inputs, datasets, notes = hit
    else:
        inputs, datasets, notes = _LOADERS[name](key, progress)
        progress("scorecard: indicators", 0.5)
        raw, years, unavailable = compute_indicators(sc_spec, inputs)
        if cache:
            _cache_write(spec, sc_spec, raw, years, unavailable, inputs, datasets, notes)
    progress("scorecard: composite and Monte Carlo", 0.8)
    sc = compute_scorecard(
        raw,
        sc_spec,
        normalisation=normalisation,  # type: ignore[arg-type]
        aggregation=aggregation,  # type: ignore[arg-type]
        missing=missing,  # type: ignore[arg-type]
        n_draws=n_draws,
        seed=seed,
        years=years,
        unavailable=unavailable,
    )
    if "aliases" in inputs:
        sc.settings["aliases"] = dict(inputs["aliases"])
    progress("scorecard: done", 1.0)
    return ScorecardRun(
        spec=spec,
        scorecard=sc,
        datasets=datasets,
        notes=notes,
        unit_label=UNIT_SETS[name][1],
        year=inputs.get("year"),
        inputs=inputs,
    )


# ---------------------------------------------------------------------- WIOD series
def _series_years(key: str) -> list[int]:
    a, sep, b = key.partition("-")
    if key == "series":
        a, b, sep = "1995", "2011", "-"
    if not (sep and a.isdigit() and b.isdigit() and 1995 <= int(a) < int(b) <= 2011):
        raise InputError(
            f"a WIOD series is FIRST-LAST within 1995–2011, got {key!r}",
            received=key,
            fix="e.g. chainatlas scorecard wiod-2013:1995-2011 (or wiod-2013:series)",
        )
    return list(range(int(a), int(b) + 1))


def is_series(spec: str) -> bool:
    """Whether `spec` asks for the WIOD time series (``wiod-2013:1995-2011``, ``:series``)."""
    name, _, key = spec.partition(":")
    return name == "wiod-2013" and ("-" in key or key == "series")


def run_series(
    spec: str,
    *,
    n_draws: int = 200,
    seed: int = 20260101,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """The economies' scorecard for every year of a WIOD range (cross-sections, ECI left out).

    Each year is scored among the 40 economies of that year (normalisation within the year), so
    a unit's series shows its standing over time, not absolute levels. Indicator tables are
    cached per year (see ``run_scorecard(cache=True)``).

    Returns
    -------
    DataFrame
        Long: one row per (unit, year) with each pillar, the overall score, each rank and its
        5–95 % interval.

    Raises
    ------
    InputError
        A range outside 1995–2011.
    """
    progress = progress or _noop
    name, _, key = spec.partition(":")
    years = _series_years(key)
    parts = []
    for k, y in enumerate(years):
        progress(f"scorecard wiod-2013:{y}", k / len(years))
        run = run_scorecard(f"wiod-2013:{y}+series", n_draws=n_draws, seed=seed, cache=True)
        t = run.scorecard.scores[_pillar_cols()].copy()
        t.insert(0, "year", y)
        parts.append(t)
    out = pd.concat(parts).reset_index().set_index(["unit", "year"]).sort_index()
    out.attrs["note"] = SERIES_NO_ECI
    return out


# ---------------------------------------------------------------------- indicator cache
def _cache_file(spec: str, sc_spec: Any) -> Path:
    import hashlib
    import inspect

    from chainatlas import scorecard as pkg
    from chainatlas.chains import chokepoints
    from chainatlas.datasets.registry import cache_dir, get_dataset
    from chainatlas.pipelines import scorecard_provinces, scorecard_units
    from chainatlas.scorecard import composite, indicators, panel

    name = spec.partition(":")[0]
    h = hashlib.sha256()
    for ds in {name, ECI_SOURCE}:
        h.update("".join(f.sha256 for f in get_dataset(ds).files).encode())
    for mod in (pkg, indicators, panel, composite, chokepoints, scorecard_units,
                scorecard_provinces):  # fmt: skip
        h.update(inspect.getsource(mod).encode())
    h.update(inspect.getsource(_economies).encode())
    h.update(repr(sc_spec).encode())
    safe = spec.replace(":", "-").replace("/", "-")
    return cache_dir() / "derived" / f"scorecard-{safe}-{h.hexdigest()[:16]}.json"


def _cache_write(spec: str, sc_spec: Any, raw: pd.DataFrame, years: dict, unavailable: dict,
                 inputs: dict, datasets: list, notes: list) -> None:  # fmt: skip
    import json

    from chainatlas._atomic import write_atomic

    chokes = {}
    for u, r in inputs.get("_cache", {}).get("chokepoints", {}).items():
        top = r.head(5).reset_index()
        chokes[u] = json.loads(top.to_json(orient="records", force_ascii=False))
    doc = {
        "raw": json.loads(raw.to_json(orient="split", double_precision=15)),
        "years": years,
        "unavailable": unavailable,
        "datasets": datasets,
        "notes": notes,
        "year": inputs.get("year"),
        "aliases": inputs.get("aliases", {}),
        "chokepoints": chokes,
    }
    path = _cache_file(spec, sc_spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(doc, ensure_ascii=False, default=str))


def _cache_read(spec: str, sc_spec: Any) -> tuple | None:
    import json

    path = _cache_file(spec, sc_spec)
    if not path.is_file():
        return None
    doc = json.loads(path.read_text(encoding="utf-8"))
    r = doc["raw"]
    raw = pd.DataFrame(r["data"], index=[str(i) for i in r["index"]], columns=r["columns"])
    raw = raw.astype(float)
    raw.index.name = "unit"
    chokes = {}
    for u, rows in doc["chokepoints"].items():
        f = pd.DataFrame(rows)
        chokes[u] = f.set_index([c for c in ("region", "sector") if c in f.columns])
    inputs = {"year": doc["year"], "_cache": {"chokepoints": chokes}, "aliases": doc["aliases"]}
    return raw, doc["years"], doc["unavailable"], inputs, doc["datasets"], doc["notes"]


# ---------------------------------------------------------------------- payloads
def _pillar_cols() -> list[str]:
    return [
        f"{p}{s}" for p in [*PILLARS, "overall"] for s in ("", "_rank", "_rank_p05", "_rank_p95")
    ]


def scorecard_payload(run: ScorecardRun) -> dict[str, Any]:
    """The CLI/JSON payload: one row per unit, the indicator table, missing log and settings.

    ``table`` has, per unit: each pillar and the overall score, each rank (1 = best) with its
    5–95 % Monte Carlo interval, then each indicator's raw value (``raw:<id>``); the indicators'
    years and units are in ``indicators`` (and in the column header of the CSV/xlsx exports).
    """
    sc = run.scorecard
    table = sc.table()
    keep = _pillar_cols() + [c for c in table.columns if c.startswith("raw:")]
    meta = sc.indicators
    return {
        "spec": run.spec,
        "units": run.unit_label,
        "datasets": run.datasets,
        "method": {
            "handbook": "OECD/JRC Handbook on Constructing Composite Indicators (2008)",
            **{k: v for k, v in sc.settings.items() if k not in ("pillar_names", "aliases")},
        },
        "table": table[keep],
        "indicators": meta[
            [
                "pillar",
                "name_zh",
                "name_en",
                "direction",
                "unit",
                "year",
                "source",
                "weight",
                "corr_with_pillar",
                "n_missing",
                "status",
                "note",
            ]
        ],  # fmt: skip
        "missing": sc.missing,
        "notes": run.notes,
    }


def export_frame(run: ScorecardRun) -> pd.DataFrame:
    """The one-row-per-unit table with self-describing headers (raw value · unit · year)."""
    sc = run.scorecard
    p = scorecard_payload(run)
    t = p["table"].copy()
    meta = sc.indicators
    ren = {}
    for c in t.columns:
        if c.startswith("raw:"):
            i = c[4:]
            ren[c] = f"{i} [{meta.loc[i, 'unit']}; {meta.loc[i, 'year']}]"
    return t.rename(columns=ren)


def explain_payload(run: ScorecardRun, unit: str) -> dict[str, Any]:
    """How one unit's pillars are built (``Scorecard.explain``) with its scores and intervals.

    Raises
    ------
    UnknownCodeError
        Unknown unit (closest labels suggested).
    """
    sc = run.scorecard
    u = sc.resolve_unit(unit)
    s: dict[Any, Any] = sc.scores.loc[u].to_dict()
    pillars = {
        p: {
            "name": {"zh": PILLAR_NAMES[p][0], "en": PILLAR_NAMES[p][1]}
            if p in PILLAR_NAMES
            else {"zh": "综合", "en": "overall"},
            "score": float(s[p]),
            "rank": int(s[f"{p}_rank"]),
            "rank_p05": int(s[f"{p}_rank_p05"]),
            "rank_p95": int(s[f"{p}_rank_p95"]),
            "of": len(sc.scores),
        }
        for p in [*PILLARS, "overall"]
    }
    return {
        "spec": run.spec,
        "unit": u,
        "pillars": pillars,
        "method": {k: sc.settings[k] for k in ("normalisation", "aggregation", "missing")},
        "explain": sc.explain(u),
        "notes": run.notes,
    }
