"""The atlas (产业图谱报告): assemble report contexts from analysis results.

:func:`build_context` loads a dataset spec and asks every section builder that applies to the
loaded object for its sections. Builders live in modules listed in :data:`SECTION_BUILDERS`; each
defines

* ``ORDER: int`` — position in the report (lower first);
* ``applies(obj, spec) -> bool``;
* ``sections(obj, spec, step) -> list[dict]`` where ``step(message)`` reports progress.

Builders call the labelled analysis API and format results with :mod:`chainatlas.pipelines.blocks`;
they do not compute metrics themselves.
"""

from __future__ import annotations

import datetime as _dt
import importlib
from collections.abc import Callable, Iterable
from typing import Any

from chainatlas.datasets import get_dataset, list_datasets, load, parse_spec
from chainatlas.errors import InputError

__all__ = ["build_context", "SECTION_BUILDERS", "NoReportSectionsError"]


class NoReportSectionsError(InputError):
    """No report section applies to the loaded spec: the report would be empty."""


#: modules that contribute report sections (each must import: a missing one is an error)
SECTION_BUILDERS: list[str] = [
    "chainatlas.pipelines.sections.io",
    "chainatlas.pipelines.sections.chains",
    "chainatlas.pipelines.gvc_exports",
    "chainatlas.pipelines.sections.semiconductor",
    "chainatlas.pipelines.sections.clusters",
    "chainatlas.pipelines.sections.complexity",
    "chainatlas.pipelines.sections.ecosystems",
    "chainatlas.pipelines.sections.sme",
]


def _builders(names: list[str] | None = None) -> list[Any]:
    """Import every module of :data:`SECTION_BUILDERS` (or `names`), in report order (a missing
    one raises)."""
    mods = [
        importlib.import_module(name) for name in (SECTION_BUILDERS if names is None else names)
    ]
    return sorted(mods, key=lambda m: getattr(m, "ORDER", 100))


def _dataset_names(specs: Iterable[str], registered: set[str]) -> list[str]:
    """Registered dataset names of declared specs (``"wiod-2013:1995…2011"`` → ``wiod-2013``).

    A declaration is a spec, or several joined by ``"; "``; parts that are not specs of a
    registered dataset (a method citation, a user's file) are not datasets and are left out.
    """
    out: list[str] = []
    for text in specs:
        for part in str(text).split(";"):
            name = part.strip().split(":", 1)[0]
            if name in registered and name not in out:
                out.append(name)
    return out


def _datasets_used(main: str, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every registered dataset a report draws on: the main one, then those the sections declare.

    Sections declare their data in their ``datasets`` list and in each block's ``source`` field
    (a dataset spec); each dataset is listed once with its licence and citation.
    """
    registered = {d.name for d in list_datasets()}
    declared: list[str] = []
    for sec in sections:
        declared += [str(d) for d in sec.get("datasets", [])]
        declared += [str(b.get("source", "")) for b in sec.get("blocks", [])]
    found = [main] + [n for n in _dataset_names(declared, registered) if n != main]
    out = []
    for n in found:
        d = get_dataset(n)
        out.append(
            {
                "name": d.name,
                "title": d.title,
                "licence": d.licence,
                "citation": d.citation,
                "non_commercial": d.non_commercial,
                "files": [{"file": f.name, "sha256": f.sha256, "url": f.url} for f in d.files],
            }
        )
    return out


def build_context(
    spec: str,
    *,
    step: Callable[[str], None] | None = None,
    obj: Any = None,
    builders: list[str] | None = None,
) -> dict[str, Any]:
    """Build the atlas report context for a dataset spec.

    Parameters
    ----------
    spec : str
        Dataset spec, e.g. ``"china-io:2020-42"``.
    step : callable, optional
        Called with a short message before each stage (for progress bars).
    obj : object, optional
        An already loaded object for `spec` (skips loading).
    builders : list of str, optional
        Section-builder modules to use instead of :data:`SECTION_BUILDERS` (e.g. the web atlas
        leaves out complexity and ecosystems, which have pages of their own).

    Returns
    -------
    dict
        ``{"kind", "title", "subtitle", "params", "spec", "briefing", "datasets", "provenance",
        "sections", "generated", "version"}``.

    Raises
    ------
    NoReportSectionsError
        If no section builder applies to `spec` (an empty report is never written).
    """
    from chainatlas import __version__

    step = step or (lambda _msg: None)
    from chainatlas.pipelines.province import is_province_spec, province_context

    if is_province_spec(spec):  # one province: the province atlas (its own pipeline)
        return province_context(spec, step=step)
    step(f"loading {spec}")
    if obj is None:
        obj = load(spec)  # first: its errors suggest the exact spec
    name, _ = parse_spec(spec)
    ds = get_dataset(name)
    sections: list[dict[str, Any]] = []
    for mod in _builders(builders):
        if mod.applies(obj, spec):
            sections.extend(mod.sections(obj, spec, step))
    if not sections:
        hint = (
            f"; for region × industry data use `chainatlas clusters lq {spec}` or "
            f"`chainatlas clusters strength {spec}`"
            if type(obj).__name__ == "RegionIndustry"
            else ""
        )
        raise NoReportSectionsError(
            f"no report sections apply to {spec!r} ({type(obj).__name__}): the report would be empty",
            received=spec,
            fix="report on an IO table (china-io:2020-42, wiod-2013:2011, "
            f"china-provincial-io:2017-四川) or eto-semiconductor{hint}",
        )
    from chainatlas.pipelines.briefing import build_briefing, order_sections

    sections = order_sections(sections)
    briefing = build_briefing(obj, spec, sections, step=step)
    prov = getattr(obj, "provenance", None)
    provenance = prov.to_dict() if prov is not None else {"source": spec}
    provenance.setdefault("licence", ds.licence)
    if not provenance.get("licence"):
        provenance["licence"] = ds.licence
    if not provenance.get("citation"):
        provenance["citation"] = ds.citation
    return {
        "kind": "national-atlas",
        "params": {"spec": spec},
        "briefing": briefing,
        "datasets": _datasets_used(name, sections),
        "title": {
            "zh": f"产业图谱报告：{ds.title.split(' / ')[-1]}",
            "en": f"Industry atlas: {spec}",
        },
        "subtitle": ds.title,
        "spec": spec,
        "provenance": provenance,
        "sections": sections,
        "generated": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
    }
