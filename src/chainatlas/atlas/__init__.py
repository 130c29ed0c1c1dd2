"""The atlas (产业图谱报告): assemble report contexts from analysis results.

:func:`build_context` loads a dataset spec and asks every section builder that applies to the
loaded object for its sections. Builders live in modules listed in :data:`SECTION_BUILDERS`; each
defines

* ``ORDER: int`` — position in the report (lower first);
* ``applies(obj, spec) -> bool``;
* ``sections(obj, spec, step) -> list[dict]`` where ``step(message)`` reports progress.

Builders call the labelled analysis API and format results with :mod:`chainatlas.report.blocks`;
they do not compute metrics themselves.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import re
from collections.abc import Callable
from typing import Any

from chainatlas.datasets import get_dataset, load, parse_spec
from chainatlas.errors import InputError

__all__ = ["build_context", "SECTION_BUILDERS", "NoReportSectionsError"]


class NoReportSectionsError(InputError):
    """No report section applies to the loaded spec: the report would be empty."""


#: modules that contribute report sections (a missing module is skipped)
SECTION_BUILDERS: list[str] = [
    "chainatlas.atlas.io_sections",
    "chainatlas.atlas.chains_sections",
    "chainatlas.pipelines.gvc_exports",
    "chainatlas.atlas.semiconductor_sections",
    "chainatlas.atlas.clusters_sections",
    "chainatlas.atlas.complexity_sections",
    "chainatlas.atlas.ecosystems_sections",
    "chainatlas.atlas.sme_sections",
]


def _builders() -> list[Any]:
    mods = []
    for name in SECTION_BUILDERS:
        try:
            mods.append(importlib.import_module(name))
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
    return sorted(mods, key=lambda m: getattr(m, "ORDER", 100))


def _datasets_used(main: str, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every registered dataset a report draws on: the main one, then those named in sections.

    Section builders name their data in each block's ``source`` field (a dataset spec) or in a
    section's ``datasets`` list; each dataset is listed once with its licence and citation.
    """
    from chainatlas.datasets import list_datasets

    names = [d.name for d in list_datasets()]
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?![\w-])"
    )
    found = [main]
    for sec in sections:
        texts = [str(d) for d in sec.get("datasets", [])]
        texts += [str(b.get("source", "")) for b in sec.get("blocks", [])]
        for text in texts:
            for m in pattern.finditer(text):
                if m.group(1) not in found:
                    found.append(m.group(1))
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

    Returns
    -------
    dict
        ``{"title", "subtitle", "spec", "provenance", "sections", "generated", "version"}``.

    Raises
    ------
    NoReportSectionsError
        If no section builder applies to `spec` (an empty report is never written).
    """
    from chainatlas import __version__

    step = step or (lambda _msg: None)
    step(f"loading {spec}")
    if obj is None:
        obj = load(spec)  # first: its errors suggest the exact spec
    name, _ = parse_spec(spec)
    ds = get_dataset(name)
    sections: list[dict[str, Any]] = []
    for mod in _builders():
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
            f"china-provincial-io-2007:BEJ) or eto-semiconductor{hint}",
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
