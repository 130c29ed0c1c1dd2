"""Provenance records (数据来源记录): where a result's numbers come from.

Every container carries a :class:`Provenance`: the source dataset, the hash of each file read, and
the steps applied since. Records are immutable; each step returns a new record.

Examples
--------
>>> p = Provenance(source="china-io:2020-42", files=(("china_2020_42.rda", "8a8c8a"),))
>>> p.with_step("aggregated to 42 sectors").steps
('aggregated to 42 sectors',)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Provenance:
    """Immutable provenance of a table or result.

    Parameters
    ----------
    source : str
        Dataset spec or a description of a user file (e.g. ``"china-io:2020-42"``).
    files : tuple of (str, str)
        ``(file name, sha256)`` of each file read.
    steps : tuple of str
        Steps applied, in order.
    licence : str, optional
        Licence of the source data.
    citation : str, optional
        How to cite the source.
    """

    source: str
    files: tuple[tuple[str, str], ...] = ()
    steps: tuple[str, ...] = ()
    licence: str = ""
    citation: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())

    def with_step(self, step: str) -> Provenance:
        """Return a copy with `step` appended."""
        return replace(self, steps=(*self.steps, step))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "source": self.source,
            "files": [{"file": f, "sha256": h} for f, h in self.files],
            "steps": list(self.steps),
            "licence": self.licence,
            "citation": self.citation,
            **dict(self.extra),
        }
