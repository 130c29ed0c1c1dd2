"""Maturity frameworks as data (评测框架): pydantic schema, validating loader, registry.

A framework is a versioned, bilingual YAML file: dimensions → sub-dimensions → items, each item with
a type and its points; levels (score bands) and level rules (extra conditions, e.g. on scene
levels). The package ships ``miit-2024-manufacturing`` (alias ``miit-2024``), skeletons of the MIIT
2024 producer-services and other-industries item sets (``status: incomplete``: the public facts do
not give their items) and ``eu-dma``. Users add or override frameworks with their own YAML file,
which may start from a shipped one with ``extends: <id>`` (mappings merge, lists replace).

The loader checks that points add up (items → sub-dimension → dimension → total), that every item
has a known type whose maximum equals its points, that ids are unique, and that level rules name
existing scene items.

Examples
--------
>>> fw = load_framework("miit-2024")
>>> fw.id, fw.total_points, [d.points for d in fw.dimensions]
('miit-2024-manufacturing', 100.0, [50.0, 0.0, 30.0, 20.0])
>>> len(fw.scene_items)
16
"""

from __future__ import annotations

import os
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from chainatlas.errors import SchemaError, UnknownCodeError, suggest

__all__ = [
    "Text",
    "Option",
    "Band",
    "Item",
    "SubDimension",
    "Dimension",
    "Level",
    "LevelRule",
    "Parameter",
    "Framework",
    "FrameworkError",
    "UnknownFrameworkError",
    "ItemType",
    "ITEM_TYPES",
    "TREND_ANSWERS",
    "load_framework",
    "list_frameworks",
    "framework_paths",
]

ItemType = Literal[
    "numeric_band", "single_choice", "multi_select", "trend", "scene_level", "scale_0_5"
]
#: item types and what an answer looks like
ITEM_TYPES: dict[str, str] = {
    "numeric_band": "a number inside the item's range; points by band [min, max)",
    "single_choice": "one option id (ordinal); points of that option",
    "multi_select": "option ids separated by ';' (or 'none'); points add up",
    "trend": "worse / flat / better → 0 / 50 % / 100 % of the points",
    "scene_level": "an integer scene level 1–4 (no points; used by level rules and guidance)",
    "scale_0_5": "an integer 0–5; points × answer / 5",
}
#: answers of a three-way trend item and their share of the item's points
TREND_ANSWERS: dict[str, float] = {"worse": 0.0, "flat": 0.5, "better": 1.0}
_TOL = 1e-6


class FrameworkError(SchemaError):
    """A framework file that does not follow the schema (points, types or references)."""


class UnknownFrameworkError(UnknownCodeError):
    """An unknown framework id or version."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A bilingual label."""

    zh: str
    en: str


class Option(_Model):
    """An answer option of a choice item; ``param`` multiplies its points by a parameter."""

    id: str
    zh: str
    en: str
    points: float
    param: str | None = None


class Band(_Model):
    """A numeric band ``[min, max)`` (the last band includes its max) and its points."""

    min: float
    max: float
    points: float


class Item(_Model):
    """One question: id, type, maximum points and type-specific details."""

    id: str
    type: ItemType
    points: float
    text: Text
    unit: str = ""
    range: tuple[float, float] | None = None
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    key: bool | None = None
    verified: bool = True
    note: Text | None = None

    def allowed(self, style: Literal["table", "json"] = "table") -> str:
        """Human-readable allowed answers, for error messages.

        ``style="table"`` describes a cell of a batch table (multi-select: ids joined by ``;``);
        ``style="json"`` an answer of a JSON assessment (multi-select: a list of ids).
        """
        if style == "json" and self.type == "multi_select":
            ids = [o.id for o in self.options]
            return (
                "a JSON list of option ids from {"
                + ", ".join(ids)
                + f'}} such as ["{ids[0]}"], or [] for none'
            )
        if self.type == "numeric_band":
            lo, hi = self.range or (self.bands[0].min, self.bands[-1].max)
            return f"a number from {lo:g} to {hi:g}{(' ' + self.unit) if self.unit else ''}"
        if self.type == "single_choice":
            return "one of " + ", ".join(o.id for o in self.options)
        if self.type == "multi_select":
            return (
                "option ids from {"
                + ", ".join(o.id for o in self.options)
                + "} joined by ';', or 'none'"
            )
        if self.type == "trend":
            return "one of " + ", ".join(TREND_ANSWERS)
        if self.type == "scene_level":
            return "an integer 1, 2, 3 or 4"
        return "an integer 0, 1, 2, 3, 4 or 5"


class SubDimension(_Model):
    """A sub-dimension: its items and guidance text."""

    id: str
    name: Text
    points: float
    items: tuple[Item, ...] = ()
    guidance: Text | None = None


class Dimension(_Model):
    """A dimension; ``points`` is ``None`` only in incomplete frameworks."""

    id: str
    name: Text
    points: float | None
    subdimensions: tuple[SubDimension, ...] = ()


class Level(_Model):
    """A level reached when the total is ≥ ``min_score`` (or > when ``inclusive`` is false)."""

    id: int
    name: Text
    min_score: float
    inclusive: bool = True
    verified: bool = True


class LevelRule(_Model):
    """An extra condition for reaching ``level`` and above.

    ``scenes_at_level``: at least ``count`` scenes (of ``scenes``, default all) at ``min_level`` or
    higher, at least ``key_count`` of them key scenes. ``scenes_all_at_level``: every scene in
    ``scenes`` (default: the key scenes) at ``min_level`` or higher.
    """

    id: str
    level: int
    kind: Literal["scenes_at_level", "scenes_all_at_level"]
    min_level: int
    count: int = 0
    key_count: int = 0
    scenes: tuple[str, ...] | None = None
    enabled: bool = True
    verified: bool = False
    description: Text


class Parameter(_Model):
    """A scoring parameter (e.g. the weight of a planned investment)."""

    id: str
    default: float
    allowed: tuple[float, ...] | None = None
    verified: bool = False
    description: Text


class SceneLevelText(_Model):
    """Name of a scene level and the next step that reaches it."""

    level: int
    name: Text
    next_step: Text


class Framework(_Model):
    """A validated maturity framework (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    id: str
    version: str
    family: str = ""
    aliases: tuple[str, ...] = ()
    industry: str = ""
    status: Literal["complete", "incomplete"] = "complete"
    title: Text
    source: Text
    notes: tuple[Text, ...] = ()
    total: Literal["sum", "mean_of_dimensions"]
    total_points: float
    parameters: tuple[Parameter, ...] = ()
    dimensions: tuple[Dimension, ...]
    levels: tuple[Level, ...]
    below_level: Text = Text(zh="未达一级", en="Below level 1")
    scene_levels: tuple[SceneLevelText, ...] = ()
    level_rules: tuple[LevelRule, ...] = ()
    key_scenes_verified: bool = True
    path: str = ""

    @field_validator("levels")
    @classmethod
    def _levels_ascend(cls, v: tuple[Level, ...]) -> tuple[Level, ...]:
        ids = [lv.id for lv in v]
        mins = [lv.min_score for lv in v]
        if ids != list(range(1, len(v) + 1)) or mins != sorted(mins):
            raise ValueError(
                f"levels must be numbered 1..n with ascending min_score; got {ids} {mins}"
            )
        return v

    # -- derived views (cached; the model is frozen) -------------------------------------------
    @cached_property
    def items(self) -> tuple[Item, ...]:
        """Every item, in file order."""
        return tuple(it for d in self.dimensions for s in d.subdimensions for it in s.items)

    @cached_property
    def scored_items(self) -> tuple[Item, ...]:
        """Items that carry points (all but scene levels)."""
        return tuple(it for it in self.items if it.type != "scene_level")

    @cached_property
    def scene_items(self) -> tuple[Item, ...]:
        """Scene-level items."""
        return tuple(it for it in self.items if it.type == "scene_level")

    @cached_property
    def item_index(self) -> dict[str, Item]:
        """Item id → item."""
        return {it.id: it for it in self.items}

    @cached_property
    def item_place(self) -> dict[str, tuple[str, str]]:
        """Item id → (dimension id, sub-dimension id)."""
        return {
            it.id: (d.id, s.id) for d in self.dimensions for s in d.subdimensions for it in s.items
        }

    @cached_property
    def scored_dimensions(self) -> tuple[Dimension, ...]:
        """Dimensions with points (> 0)."""
        return tuple(d for d in self.dimensions if (d.points or 0) > 0)

    @cached_property
    def scored_subdimensions(self) -> tuple[SubDimension, ...]:
        """Sub-dimensions with points (> 0)."""
        return tuple(s for d in self.scored_dimensions for s in d.subdimensions if s.points > 0)

    def param_values(self, params: dict[str, float] | None = None) -> dict[str, float]:
        """Parameter values: defaults overridden by `params` (checked against ``allowed``)."""
        known = {p.id: p for p in self.parameters}
        values = {p.id: p.default for p in self.parameters}
        for k, v in (params or {}).items():
            if k not in known:
                raise FrameworkError(
                    f"unknown parameter {k!r} for framework {self.id!r}",
                    received=k,
                    fix=f"parameters of this framework: {sorted(known) or 'none'}",
                )
            allowed = known[k].allowed
            if allowed is not None and float(v) not in allowed:
                raise FrameworkError(
                    f"parameter {k!r} must be one of {list(allowed)}",
                    received=v,
                    fix="pick an allowed value",
                )
            values[k] = float(v)
        return values

    def level_name(self, level: int, lang: Literal["zh", "en"] = "zh") -> str:
        """Name of level `level` (0 = below the first level)."""
        text = self.below_level if level == 0 else self.levels[level - 1].name
        return getattr(text, lang)

    def require_complete(self) -> None:
        """Raise :class:`FrameworkError` unless the framework can score answers."""
        if self.status != "complete":
            raise FrameworkError(
                f"framework {self.id!r} is incomplete: its items and points are not in the public "
                "facts, so it cannot score answers",
                received=self.id,
                fix="write your own YAML (e.g. 'extends: miit-2024-manufacturing' with your items) "
                "and pass its path as the framework",
            )


# ----------------------------------------------------------------------------------------------
def _check(fw: Framework) -> None:
    """Cross-field checks: ids, points, item types, rule references."""
    where = fw.path or fw.id
    seen: set[str] = set()
    for d in fw.dimensions:
        for s in d.subdimensions:
            for it in s.items:
                if it.id in seen:
                    raise FrameworkError(
                        f"{where}: duplicate item id {it.id!r}", fix="item ids must be unique"
                    )
                seen.add(it.id)
    if fw.status == "incomplete":
        return
    params = fw.param_values()

    def bad(msg: str, fix: str) -> FrameworkError:
        return FrameworkError(f"{where}: {msg}", fix=fix)

    dims = [d for d in fw.dimensions]
    for d in dims:
        if d.points is None:
            raise bad(
                f"dimension {d.id!r} has no points",
                "give every dimension its points (0 for unscored)",
            )
        sub_sum = sum(s.points for s in d.subdimensions)
        if abs(sub_sum - d.points) > _TOL:
            raise bad(
                f"sub-dimension points of {d.id!r} add up to {sub_sum:g}, not {d.points:g}",
                "make the sub-dimension points add up to the dimension's points",
            )
        for s in d.subdimensions:
            item_sum = sum(it.points for it in s.items)
            if abs(item_sum - s.points) > _TOL:
                raise bad(
                    f"item points of sub-dimension {s.id!r} add up to {item_sum:g}, not {s.points:g}",
                    "make the item points add up to the sub-dimension's points",
                )
            for it in s.items:
                _check_item(it, params, bad)
    if fw.total == "sum":
        total = sum(d.points or 0 for d in dims)
        if abs(total - fw.total_points) > _TOL:
            raise bad(
                f"dimension points add up to {total:g}, not total_points {fw.total_points:g}",
                "make the dimension points add up to total_points",
            )
    else:
        for d in fw.scored_dimensions:
            if abs((d.points or 0) - fw.total_points) > _TOL:
                raise bad(
                    f"with total 'mean_of_dimensions' every scored dimension is out of "
                    f"{fw.total_points:g}; {d.id!r} has {d.points:g}",
                    "give each dimension the framework's total_points",
                )
    scenes = {it.id for it in fw.scene_items}
    for r in fw.level_rules:
        if r.level not in {lv.id for lv in fw.levels}:
            raise bad(
                f"level rule {r.id!r} names level {r.level}, which does not exist",
                "use an existing level id",
            )
        for sid in r.scenes or ():
            if sid not in scenes:
                raise bad(
                    f"level rule {r.id!r} references {sid!r}, which is not a scene item",
                    suggest(sid, scenes),
                )
        if r.kind == "scenes_at_level" and r.count > len(r.scenes or scenes):
            raise bad(
                f"level rule {r.id!r} needs {r.count} scenes but only {len(r.scenes or scenes)} exist",
                "lower count",
            )
        if (
            r.kind == "scenes_all_at_level"
            and r.scenes is None
            and not any(it.key for it in fw.scene_items)
        ):
            raise bad(
                f"level rule {r.id!r} needs key scenes but none is flagged key", "list scenes"
            )
        if not 1 <= r.min_level <= 4:
            raise bad(f"level rule {r.id!r} has min_level {r.min_level}", "scene levels are 1-4")


def _check_item(it: Item, params: dict[str, float], bad: Any) -> None:
    t = it.type
    if t in ("single_choice", "multi_select"):
        if not it.options:
            raise bad(f"item {it.id!r} ({t}) has no options", "list its options")
        ids = [o.id for o in it.options]
        if len(set(ids)) != len(ids) or (t == "multi_select" and "none" in ids):
            raise bad(
                f"item {it.id!r} has duplicate option ids or a 'none' option",
                "option ids must be unique; 'none' is reserved",
            )
        if t == "multi_select" and len(ids) > 62:
            raise bad(f"item {it.id!r} has more than 62 options", "split it into several items")
        for o in it.options:
            if o.param is not None and o.param not in params:
                raise bad(
                    f"option {it.id}.{o.id} uses unknown parameter {o.param!r}",
                    "declare it under parameters",
                )
        pts = [o.points * (params[o.param] if o.param else 1.0) for o in it.options]
        top = sum(pts) if t == "multi_select" else max(pts)
        if abs(top - it.points) > _TOL or min(pts) < 0:
            raise bad(
                f"item {it.id!r}: the best answer gives {top:g} points, not the item's {it.points:g}",
                "fix the option points or the item points",
            )
    elif t == "numeric_band":
        if not it.bands:
            raise bad(f"item {it.id!r} (numeric_band) has no bands", "list its bands")
        for a, b in zip(it.bands, it.bands[1:], strict=False):
            if abs(a.max - b.min) > _TOL or a.min >= a.max:
                raise bad(
                    f"item {it.id!r}: bands must be contiguous and ascending", "fix band min/max"
                )
        lo, hi = it.range or (it.bands[0].min, it.bands[-1].max)
        if abs(lo - it.bands[0].min) > _TOL or abs(hi - it.bands[-1].max) > _TOL:
            raise bad(
                f"item {it.id!r}: bands do not cover the range {lo:g}-{hi:g}", "fix bands or range"
            )
        if abs(max(b.points for b in it.bands) - it.points) > _TOL:
            raise bad(
                f"item {it.id!r}: the top band does not give the item's points", "fix band points"
            )
    elif t == "scene_level":
        if it.points != 0:
            raise bad(f"scene item {it.id!r} must carry 0 points", "set points: 0")
    elif it.points <= 0:
        raise bad(f"item {it.id!r} ({t}) must carry positive points", "set its points")


# ----------------------------------------------------------------------------------------------
def _package_files() -> dict[str, Path]:
    root = resources.files("chainatlas.sme").joinpath("frameworks")
    return {p.name[:-5]: Path(str(p)) for p in root.iterdir() if p.name.endswith(".yaml")}


def framework_paths() -> dict[str, Path]:
    """Framework id → YAML path: the shipped files, then folders in ``CHAINATLAS_SME_FRAMEWORKS``.

    ``CHAINATLAS_SME_FRAMEWORKS`` is an ``os.pathsep``-separated list of folders; a user file whose
    stem equals a shipped id overrides it.
    """
    paths = _package_files()
    for folder in filter(None, os.environ.get("CHAINATLAS_SME_FRAMEWORKS", "").split(os.pathsep)):
        for p in sorted(Path(folder).glob("*.y*ml")):
            paths[p.stem] = p
    return paths


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as err:
        raise FrameworkError(
            f"cannot read framework file {path}",
            received=str(err),
            fix="check the path and YAML syntax",
        ) from err
    if not isinstance(data, dict):
        raise FrameworkError(
            f"framework file {path} is not a YAML mapping", fix="see docs/sme.md for the layout"
        )
    return data


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base.get(k), v) if k in base else v
        return out
    return over


def _aliases() -> dict[str, str]:
    paths = framework_paths()
    return _aliases_cached(tuple((fid, str(p), p.stat().st_mtime) for fid, p in paths.items()))


@cache
def _aliases_cached(files: tuple[tuple[str, str, float], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for fid, path, _mtime in files:
        out[fid] = fid
        for a in _read_yaml(Path(path)).get("aliases") or ():
            out.setdefault(str(a), fid)
    return out


def _resolve(name: str, *, allow_paths: bool = True) -> Path:
    if not allow_paths:
        aliases = _aliases()
        if name not in aliases:
            raise UnknownFrameworkError(
                "unknown framework or version",
                received=name[:80],
                fix="use a registered framework id: " + ", ".join(sorted(aliases)),
            )
        return framework_paths()[aliases[name]]
    if name.endswith((".yaml", ".yml")) or os.sep in name:
        p = Path(name)
        if not p.is_file():
            raise UnknownFrameworkError(
                f"framework file {name!r} does not exist", received=name, fix="check the path"
            )
        return p
    aliases = _aliases()
    if name not in aliases:
        listing = ", ".join(sorted(aliases))
        raise UnknownFrameworkError(
            f"unknown framework or version {name!r}",
            received=name,
            fix=f"{suggest(name, aliases)} Known frameworks and versions: {listing}; or pass a YAML path",
        )
    return framework_paths()[aliases[name]]


def _build(path: Path, depth: int = 0) -> dict[str, Any]:
    data = _read_yaml(path)
    parent = data.pop("extends", None)
    if parent:
        if depth > 5:
            raise FrameworkError(
                f"{path}: 'extends' chain is too deep", fix="extend a shipped framework directly"
            )
        base = _build(_resolve(str(parent)), depth + 1)
        base.pop("aliases", None)
        data = _merge(base, data)
    return data


@cache
def _load_cached(path: str, mtime: float) -> Framework:
    data = _build(Path(path))
    data["path"] = path
    try:
        fw = Framework.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise FrameworkError(
            f"{path}: {first['msg']} at {loc}",
            received=first.get("input") if not isinstance(first.get("input"), dict) else None,
            fix=f"every item needs an id, a type ({', '.join(ITEM_TYPES)}), points and text; "
            "see docs/sme.md",
        ) from err
    _check(fw)
    return fw


def load_framework(name: str | os.PathLike[str], *, allow_paths: bool = True) -> Framework:
    """Load and validate a framework by id, alias (e.g. ``"miit-2024"``) or YAML path.

    Parameters
    ----------
    name : str or path
        A shipped id (``miit-2024-manufacturing``, ``eu-dma`` ...), an alias, an id found in
        ``CHAINATLAS_SME_FRAMEWORKS`` folders, or the path of a YAML file.
    allow_paths : bool, default True
        False accepts registered ids and aliases only (the SME service passes False, so a
        client can never make the server read a file of its choosing).

    Returns
    -------
    Framework
        Immutable, validated; derived item lists are cached.

    Raises
    ------
    UnknownFrameworkError
        Unknown id or version (the message lists the known ones).
    FrameworkError
        The file breaks the schema: points that do not add up, an item without a (known) type, a
        level rule naming a missing scene, duplicate ids.
    """
    path = _resolve(os.fspath(name), allow_paths=allow_paths)
    return _load_cached(str(path.resolve()), path.stat().st_mtime)


def list_frameworks() -> pd.DataFrame:
    """One row per known framework: id, version, status, industry, items, title (zh/en), path."""
    rows = []
    for fid, path in sorted(framework_paths().items()):
        fw = load_framework(path)
        rows.append(
            {
                "id": fid,
                "version": fw.version,
                "aliases": ", ".join(fw.aliases),
                "status": fw.status,
                "industry": fw.industry,
                "items": len(fw.items),
                "scenes": len(fw.scene_items),
                "title_zh": fw.title.zh,
                "title_en": fw.title.en,
                "path": str(path),
            }
        )
    return pd.DataFrame(rows).set_index("id")
