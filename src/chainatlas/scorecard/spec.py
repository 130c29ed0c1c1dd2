"""Scorecard specifications as data (指标体系定义): versioned YAML, one file per unit type.

A specification names its unit type, version, method defaults and the indicators::

    name: economies            # unit type: economies | provinces | china-years
    version: 1
    normalisation: min-max     # min-max | z-score | rank
    aggregation: arithmetic    # arithmetic | geometric (within a pillar, and across pillars)
    missing: skip-and-reweight # error | skip-and-reweight | impute-mean
    pillar_weights: {breadth: 0.3333, height: 0.3333, toughness: 0.3334}   # optional
    indicators:
      - id: output_diversity
        pillar: breadth         # breadth | height | toughness
        formula: output_rca_count   # a function registered in chainatlas.scorecard.indicators
        direction: higher       # higher | lower (is better)
        unit: "sectors"
        source: "wiod-2013 (Timmer et al. 2015)"
        year: table             # an integer year, or "table": the year of the data scored
        weight: 0.5             # optional; if any indicator of a pillar has one, all must
        params: {threshold: 1.0}    # optional keyword arguments of the formula
        name_zh: 产出显示性比较优势部门数
        name_en: sectors with output RCA ≥ 1

Weights (within a pillar, and the pillar weights) are equal unless given; given weights must be
non-negative and sum to 1 (tolerance 1e-6) — they are never renormalised silently.

Examples
--------
>>> spec = load_spec("economies")
>>> spec.name, spec.version, sorted(set(spec.pillar_of.values()))
('economies', 1, ['breadth', 'height', 'toughness'])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from chainatlas.errors import InputError, SchemaError, UnknownCodeError, suggest

__all__ = [
    "PILLARS",
    "PILLAR_NAMES",
    "DIRECTIONS",
    "MISSING_POLICIES",
    "BUILTIN_SPECS",
    "IndicatorSpec",
    "ScorecardSpec",
    "SpecError",
    "check_weights",
    "load_spec",
    "parse_spec_dict",
]

#: the three pillars of a modern industrial system, in display order
PILLARS: tuple[str, ...] = ("breadth", "height", "toughness")
PILLAR_NAMES: dict[str, tuple[str, str]] = {
    "breadth": ("广度·完整性", "breadth (completeness)"),
    "height": ("高度·先进性", "height (advancement)"),
    "toughness": ("韧度·安全性", "toughness (security)"),
}
DIRECTIONS: tuple[str, ...] = ("higher", "lower")
MISSING_POLICIES: tuple[str, ...] = ("error", "skip-and-reweight", "impute-mean")
Normalisation = Literal["min-max", "z-score", "rank"]
Aggregation = Literal["arithmetic", "geometric"]
MissingPolicy = Literal["error", "skip-and-reweight", "impute-mean"]

#: specifications shipped with chainatlas (``chainatlas/scorecard/data/<name>-v<version>.yaml``)
BUILTIN_SPECS: dict[str, str] = {
    "economies": "economies-v1.yaml",
    "provinces": "provinces-v1.yaml",
    "china-years": "china-years-v1.yaml",
}
_WEIGHT_TOL = 1e-6


class SpecError(SchemaError):
    """A scorecard specification (YAML) is invalid."""


@dataclasses.dataclass(frozen=True)
class IndicatorSpec:
    """One indicator: where it sits, how it is computed, which way is better, what it measures."""

    id: str
    pillar: str
    formula: str
    direction: str
    unit: str
    source: str
    year: int | str
    name_zh: str
    name_en: str
    weight: float | None = None
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    note: str = ""


@dataclasses.dataclass(frozen=True)
class ScorecardSpec:
    """A validated scorecard specification (see the module docs for the YAML layout)."""

    name: str
    version: int
    description: str
    normalisation: str
    aggregation: str
    missing: str
    indicators: tuple[IndicatorSpec, ...]
    pillar_weights: Mapping[str, float]
    origin: str = ""

    @property
    def ids(self) -> list[str]:
        """Indicator ids in specification order."""
        return [i.id for i in self.indicators]

    @property
    def pillar_of(self) -> dict[str, str]:
        """Indicator id → pillar."""
        return {i.id: i.pillar for i in self.indicators}

    def indicator_weights(self) -> dict[str, float]:
        """Nominal weight of each indicator within its pillar (equal unless given)."""
        out: dict[str, float] = {}
        for p in PILLARS:
            members = [i for i in self.indicators if i.pillar == p]
            for i in members:
                out[i.id] = i.weight if i.weight is not None else 1.0 / len(members)
        return out

    def replace(self, **changes: Any) -> ScorecardSpec:
        """A copy with fields replaced (re-validated)."""
        new = dataclasses.replace(self, **changes)
        _check_methods(new.normalisation, new.aggregation, new.missing, new.origin)
        return new


def _require(entry: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in entry or entry[key] in (None, ""):
        raise SpecError(
            f"{where}: missing field {key!r}",
            received=sorted(entry),
            fix=f"add `{key}:` (see chainatlas.scorecard.spec for the layout)",
        )
    return entry[key]


def _check_choice(value: Any, allowed: tuple[str, ...], what: str, where: str) -> str:
    if value not in allowed:
        raise SpecError(
            f"{where}: unknown {what} {value!r}",
            received=value,
            fix=suggest(str(value), allowed) + " Allowed: " + ", ".join(allowed),
        )
    return str(value)


def _check_methods(normalisation: Any, aggregation: Any, missing: Any, where: str) -> None:
    from chainatlas.kernels.composite import AGGREGATIONS, NORMALISATIONS

    _check_choice(normalisation, NORMALISATIONS, "normalisation", where)
    _check_choice(aggregation, AGGREGATIONS, "aggregation", where)
    _check_choice(missing, MISSING_POLICIES, "missing-data policy", where)


def check_weights(weights: Mapping[str, float], what: str) -> None:
    """Weights must be finite, non-negative and sum to 1 (never renormalised silently).

    Raises
    ------
    InputError
        Negative, non-numeric or not summing to 1.
    """
    try:
        vals = {k: float(v) for k, v in weights.items()}
    except (TypeError, ValueError) as err:
        raise InputError(f"{what}: weights must be numbers", received=dict(weights)) from err
    neg = {k: v for k, v in vals.items() if not v >= 0}
    if neg:
        raise InputError(
            f"{what}: weights must be non-negative",
            received=neg,
            fix="use weights ≥ 0 that sum to 1",
        )
    total = sum(vals.values())
    if abs(total - 1.0) > _WEIGHT_TOL:
        raise InputError(
            f"{what}: weights must sum to 1 (they are not renormalised silently)",
            received=f"sum {total:.6g} of {vals}",
            fix="divide each weight by their sum, or leave all weights out for equal weights",
        )


def _indicator(entry: Any, k: int, where: str) -> IndicatorSpec:
    from chainatlas.scorecard.indicators import REGISTRY

    here = f"{where}: indicator #{k + 1}"
    if not isinstance(entry, Mapping):
        raise SpecError(f"{here} is not a mapping", received=entry)
    iid = str(_require(entry, "id", here))
    here = f"{where}: indicator {iid!r}"
    pillar = _check_choice(_require(entry, "pillar", here), PILLARS, "pillar", here)
    direction = _check_choice(_require(entry, "direction", here), DIRECTIONS, "direction", here)
    formula = str(_require(entry, "formula", here))
    if formula not in REGISTRY:
        raise SpecError(
            f"{here}: unknown formula {formula!r} (not a registered function)",
            received=formula,
            fix=suggest(formula, REGISTRY)
            + " Registered: "
            + ", ".join(sorted(REGISTRY))
            + " (chainatlas.scorecard.indicators)",
        )
    year = _require(entry, "year", here)
    if not (isinstance(year, int) or year == "table"):
        raise SpecError(f"{here}: year must be an integer or 'table'", received=year)
    weight = entry.get("weight")
    if weight is not None and not isinstance(weight, (int, float)):
        raise SpecError(f"{here}: weight must be a number", received=weight)
    params = entry.get("params") or {}
    if not isinstance(params, Mapping):
        raise SpecError(f"{here}: params must be a mapping", received=params)
    return IndicatorSpec(
        id=iid,
        pillar=pillar,
        formula=formula,
        direction=direction,
        unit=str(_require(entry, "unit", here)),
        source=str(_require(entry, "source", here)),
        year=year,
        name_zh=str(entry.get("name_zh", iid)),
        name_en=str(entry.get("name_en", iid)),
        weight=None if weight is None else float(weight),
        params=dict(params),
        note=str(entry.get("note", "")),
    )


def _pillar_weights(raw: Any, where: str) -> dict[str, float]:
    if raw is None or raw == "equal":
        return {p: 1.0 / len(PILLARS) for p in PILLARS}
    if not isinstance(raw, Mapping) or set(raw) != set(PILLARS):
        raise SpecError(
            f"{where}: pillar_weights must give exactly {', '.join(PILLARS)}",
            received=raw,
            fix="e.g. pillar_weights: {breadth: 0.4, height: 0.3, toughness: 0.3}, or 'equal'",
        )
    check_weights(raw, f"{where}: pillar_weights")
    return {p: float(raw[p]) for p in PILLARS}


def _check_indicator_weights(indicators: list[IndicatorSpec], where: str) -> None:
    for p in PILLARS:
        members = [i for i in indicators if i.pillar == p]
        if not members:
            raise SpecError(
                f"{where}: pillar {p!r} has no indicator (the overall score needs all three)",
                fix=f"add at least one indicator with pillar: {p}",
            )
        given = [i for i in members if i.weight is not None]
        if given and len(given) != len(members):
            raise SpecError(
                f"{where}: pillar {p!r} gives weights for some indicators only",
                received={i.id: i.weight for i in members},
                fix="give every indicator of the pillar a weight, or none (equal weights)",
            )
        if given:
            check_weights({i.id: float(i.weight or 0.0) for i in members}, f"{where}: pillar {p!r}")


def parse_spec_dict(data: Any, *, origin: str = "<dict>") -> ScorecardSpec:
    """Validate a specification given as a dict (e.g. read from YAML).

    Raises
    ------
    SpecError
        Missing fields, unknown pillar, direction, formula, normalisation, aggregation or
        missing-data policy; a pillar with no indicator; duplicate ids.
    InputError
        Negative weights, or weights that do not sum to 1.
    """
    if not isinstance(data, Mapping):
        raise SpecError(f"{origin}: a scorecard specification is a mapping", received=data)
    name = str(_require(data, "name", origin))
    version = _require(data, "version", origin)
    normalisation = data.get("normalisation", "min-max")
    aggregation = data.get("aggregation", "arithmetic")
    missing = data.get("missing", "error")
    _check_methods(normalisation, aggregation, missing, origin)
    entries = _require(data, "indicators", origin)
    if not isinstance(entries, list):
        raise SpecError(f"{origin}: indicators must be a list", received=type(entries).__name__)
    indicators = [_indicator(e, k, origin) for k, e in enumerate(entries)]
    ids = [i.id for i in indicators]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise SpecError(f"{origin}: duplicate indicator ids", received=dup)
    _check_indicator_weights(indicators, origin)
    return ScorecardSpec(
        name=name,
        version=int(version),
        description=str(data.get("description", "")),
        normalisation=str(normalisation),
        aggregation=str(aggregation),
        missing=str(missing),
        indicators=tuple(indicators),
        pillar_weights=_pillar_weights(data.get("pillar_weights"), origin),
        origin=origin,
    )


def load_spec(name_or_path: str | Path) -> ScorecardSpec:
    """Load a built-in specification by unit type, or a YAML file by path.

    Parameters
    ----------
    name_or_path : str or Path
        ``"economies"``, ``"provinces"``, ``"china-years"`` (see :data:`BUILTIN_SPECS`) or the
        path of a YAML file.

    Raises
    ------
    UnknownCodeError
        Neither a built-in name nor an existing file.
    SpecError, InputError
        As :func:`parse_spec_dict`; YAML syntax errors too.
    """
    key = str(name_or_path)
    if key in BUILTIN_SPECS:
        res = resources.files("chainatlas.scorecard") / "data" / BUILTIN_SPECS[key]
        text, origin = res.read_text(encoding="utf-8"), BUILTIN_SPECS[key]
    else:
        path = Path(key)
        if not path.is_file():
            raise UnknownCodeError(
                f"no scorecard specification {key!r}",
                received=key,
                fix=suggest(key, BUILTIN_SPECS)
                + " Built-in: "
                + ", ".join(BUILTIN_SPECS)
                + "; or give the path of a YAML file",
            )
        text, origin = path.read_text(encoding="utf-8"), str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise SpecError(f"{origin}: not valid YAML", received=str(err)[:200]) from err
    return parse_spec_dict(data, origin=origin)
