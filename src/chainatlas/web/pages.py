"""The web atlas's pages (页面): which pipeline builds each page's context, and its parameters.

A page is a :class:`Page`: a URL slug, a bilingual title, the query parameters it takes (with
their allowed values) and a ``build(params, progress)`` that calls the page's pipeline and returns
its context — the same dict the CLI's ``--format json`` and the static report show. The web layer
renders these contexts; it computes nothing itself.

Pipelines live in ``chainatlas.pipelines`` (formerly ``chainatlas.atlas``); :func:`_pipeline`
looks in the new place first, so a page keeps working across that move. A page whose pipeline is not on
this installation is not listed (no placeholder pages).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from chainatlas.errors import InputError

__all__ = ["Page", "Param", "PAGES", "available_pages", "get_page", "ParamError"]

Progress = Callable[[str, float | None], None]

#: dataset specs never contain a path separator, "..", or anything but these characters
SPEC_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}(:[A-Za-z0-9_.-]{1,40})?$")


class ParamError(InputError):
    """A query parameter is unknown or has a value outside its allowed set."""


@dataclass(frozen=True)
class Param:
    """A query parameter of a page: name, default, allowed values (a callable for lazy lists)."""

    name: str
    default: str
    label_zh: str
    label_en: str
    choices: Callable[[], list[str]] | None = None
    pattern: str = r"^[\w\-.:\u4e00-\u9fff]{0,60}$"
    #: check `choices` here; False leaves it to the pipeline, whose error is the CLI's message
    strict: bool = True
    #: for dataset specs: the dataset this page reads
    dataset: str | None = None

    def check(self, value: str) -> str:
        """Return `value` if allowed; raise :class:`ParamError` with the allowed values."""
        if not re.match(self.pattern, value):
            raise ParamError(
                f"malformed value for parameter {self.name!r}",
                received=value[:80],
                fix=f"a {self.label_en} such as {self.default!r} (at most 60 characters)",
            )
        if self.dataset is not None:
            self._check_spec(value)
        if self.choices is not None and self.strict:
            allowed = self.choices()
            if value not in allowed:
                shown = ", ".join(allowed[:25]) + (" ..." if len(allowed) > 25 else "")
                raise ParamError(
                    f"unknown {self.name} {value!r}",
                    received=value,
                    fix=f"one of: {shown}",
                )
        return value

    def _check_spec(self, value: str) -> None:
        if not SPEC_RE.match(value):
            raise ParamError(
                f"malformed dataset spec {value!r}",
                received=value[:80],
                fix=f"a spec such as {self.default} (see `chainatlas datasets list`)",
            )
        if value.partition(":")[0] != self.dataset:
            from chainatlas.datasets import parse_spec

            parse_spec(value)  # an unregistered dataset: the CLI's message
            raise ParamError(
                f"this page shows {self.dataset} specs",
                received=value,
                fix=f"e.g. {self.default}",
            )


def spec_param(dataset: str, default: str, zh: str, en: str) -> Param:
    """A dataset-spec parameter; an unknown key is refused by the loader (the CLI's message)."""
    return Param("spec", default, zh, en, _specs(dataset), strict=False, dataset=dataset)


@dataclass(frozen=True)
class Page:
    """One page type of the atlas."""

    slug: str
    title_zh: str
    title_en: str
    about_zh: str
    about_en: str
    params: tuple[Param, ...]
    build: Callable[[dict[str, str], Progress], dict[str, Any]]
    datasets: Callable[[dict[str, str]], list[str]]
    available: Callable[[], bool] = lambda: True
    figure_first: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def parse(self, query: dict[str, str]) -> dict[str, str]:
        """Validated parameters from a query (defaults filled in; unknown names refused)."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(query) - set(known) - {"lang"})
        if unknown:
            raise ParamError(
                f"unknown parameter {unknown[0]!r} for page {self.slug}",
                received=unknown[0],
                fix="parameters of this page: " + (", ".join(known) or "none"),
            )
        params = {n: p.check(query.get(n, p.default)) for n, p in known.items()}
        check = self.extra.get("check")
        if check is not None:  # whole-form validation (e.g. the scenario's pydantic model)
            check(params)
        return params


def _pipeline(*names: str) -> ModuleType:
    """The first importable module among `names` (new ``pipelines`` place first)."""
    last: ModuleNotFoundError | None = None
    for name in names:
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name is None or not name.startswith(err.name):
                raise
            last = err
    assert last is not None
    raise last


def _has(*names: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            _pipeline(*names)
        except ModuleNotFoundError:
            return False
        return True

    return check


def _specs(dataset: str) -> Callable[[], list[str]]:
    def choices() -> list[str]:
        from chainatlas.datasets import available_specs

        return available_specs(dataset)

    return choices


def _step(progress: Progress) -> Callable[[str], None]:
    return lambda message: progress(message, None)


# -- national atlas and MRIO: the report context of one spec -------------------------------------
#: sections that have pages of their own are left out of the national atlas page
OWN_PAGES = ("complexity", "ecosystems")  # (module names of their section builders)


def _atlas(params: dict[str, str], progress: Progress) -> dict[str, Any]:
    import inspect

    mod = _pipeline("chainatlas.pipelines.atlas", "chainatlas.atlas")
    build = getattr(mod, "build_context", None) or mod.national_atlas_context
    opts: dict[str, Any] = {}
    if "builders" in inspect.signature(build).parameters:
        names = getattr(mod, "SECTION_BUILDERS", [])
        opts["builders"] = [n for n in names if not any(o in n for o in OWN_PAGES)]
    return build(params["spec"], step=_step(progress), **opts)  # type: ignore[no-any-return]


def _spec_datasets(params: dict[str, str]) -> list[str]:
    return [params["spec"].partition(":")[0]]


# -- one section builder as a page -------------------------------------------------------------
def _with_sections(*names: str) -> ModuleType:
    """The first of `names` that imports and defines ``sections(obj, spec, step)``."""
    for name in names:
        try:
            mod = _pipeline(name)
        except ModuleNotFoundError:
            continue
        if callable(getattr(mod, "sections", None)):
            return mod
    raise ModuleNotFoundError(f"none of {names} defines sections()", name=names[-1])


def _sections_page(
    module: str, specs: dict[str, str], title: tuple[str, str], datasets: list[str]
) -> Callable[[dict[str, str], Progress], dict[str, Any]]:
    """A page of one section builder; ``params["view"]`` picks the spec it is built for."""

    def build(params: dict[str, str], progress: Progress) -> dict[str, Any]:
        mod = _with_sections(
            f"chainatlas.pipelines.sections.{module}",
            f"chainatlas.atlas.{module}_sections",
        )
        spec = specs[params.get("view", next(iter(specs)))]
        sections = mod.sections(None, spec, _step(progress))
        _datasets_used = _pipeline("chainatlas.pipelines.atlas", "chainatlas.atlas")._datasets_used

        return {
            "kind": module,
            "title": {"zh": title[0], "en": title[1]},
            "subtitle": "",
            "params": dict(params),
            "spec": spec,
            "datasets": _datasets_used(datasets[0], sections),
            "sections": sections,
            "provenance": {"source": ", ".join(datasets)},
        }

    return build


def _china_specs() -> list[str]:
    return _specs("china-io")()


ATLAS = Page(
    slug="atlas",
    title_zh="全国产业图谱",
    title_en="National industry atlas",
    about_zh="中国投入产出表：关键部门、产业关联、上游度、进口依赖、结构变迁与数字产业集群。",
    about_en="China's input–output tables: key sectors, linkages, upstreamness, import "
    "dependence, structural change and digital clusters.",
    params=(spec_param("china-io", "china-io:2020-42", "数据集与年份", "dataset and year"),),
    build=_atlas,
    datasets=_spec_datasets,
)

MRIO = Page(
    slug="mrio",
    title_zh="世界投入产出（WIOD）",
    title_en="World input–output (WIOD)",
    about_zh="出口中的增加值、对各经济体的依赖、卡脖子环节。",
    about_en="Value added in exports, dependence on other economies, chokepoints.",
    params=(spec_param("wiod-2013", "wiod-2013:2011", "年份", "year"),),
    build=_atlas,
    datasets=_spec_datasets,
)

COMPLEXITY = Page(
    slug="complexity",
    title_zh="经济复杂度",
    title_en="Economic complexity",
    about_zh="经济复杂度（ECI/PCI）排名、产品空间与机会产品。",
    about_en="ECI/PCI rankings, the product space and opportunity products.",
    params=(),
    build=_sections_page(
        "complexity",
        {"": "china-io:2020-42"},
        ("经济复杂度", "Economic complexity"),
        ["world-trade-sitc"],
    ),
    datasets=lambda _p: ["world-trade-sitc", "concordance"],
    available=_has(
        "chainatlas.pipelines.sections.complexity", "chainatlas.atlas.complexity_sections"
    ),
)

ECOSYSTEMS = Page(
    slug="ecosystems",
    title_zh="产业生态群落",
    title_en="Industrial ecosystems",
    about_zh="产业链知识图谱中的群落、枢纽与链主，苹果供应链；世界区域生产集团的演化。",
    about_en="Communities, hubs and chain leaders in the industry-chain graph; Apple's suppliers; "
    "how the world's regional production blocs evolved.",
    params=(Param("view", "china", "视角", "view", lambda: ["china", "wiod"]),),
    build=_sections_page(
        "ecosystems",
        {"china": "china-io:2020-42", "wiod": "wiod-2013:2011"},
        ("产业生态群落", "Industrial ecosystems"),
        ["china-industry-chain-kg"],
    ),
    datasets=lambda p: (
        ["china-industry-chain-kg", "apple-suppliers"]
        if p.get("view") == "china"
        else ["wiod-2013"]
    ),
    available=_has(
        "chainatlas.pipelines.sections.ecosystems", "chainatlas.atlas.ecosystems_sections"
    ),
)

#: every page type, in menu order (pages of pipelines not installed are hidden)
PAGES: dict[str, Page] = {p.slug: p for p in (ATLAS, MRIO, COMPLEXITY, ECOSYSTEMS)}


def register(page: Page) -> None:
    """Add a page type (used by :mod:`chainatlas.web.more_pages`)."""
    PAGES[page.slug] = page


def available_pages() -> list[Page]:
    """Pages whose pipeline is installed, in menu order."""
    return [p for p in PAGES.values() if p.available()]


def get_page(slug: str) -> Page:
    """The page type `slug`.

    Raises
    ------
    ParamError
        If there is no such page (or its pipeline is not installed).
    """
    page = PAGES.get(slug)
    if page is None or not page.available():
        raise ParamError(
            f"unknown page {slug!r}",
            received=slug,
            fix="one of: " + ", ".join(p.slug for p in available_pages()),
        )
    return page
