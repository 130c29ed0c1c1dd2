"""The web atlas (网页版产业图谱): ``chainatlas serve`` — pages, ``/api`` JSON and downloads.

A presentation layer like :mod:`chainatlas.report`: every page renders a context built by a
pipeline, and ``/api/PAGE`` returns that same context. See :mod:`chainatlas.web.app`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(**options: Any) -> Any:
    """Build the app (imported lazily so ``chainatlas --help`` stays fast)."""
    from chainatlas.web.app import create_app as _create

    return _create(**options)
