"""Presentation (报告): turn a report context dict into self-contained HTML, JSON or CSV.

This layer never computes results: it formats what a pipeline (:mod:`chainatlas.pipelines`) put
in the context. One code path per format: :func:`render_html`, :func:`render_json`,
:func:`render_csv` and :func:`render_xlsx` (the last two in :mod:`chainatlas.report.export`).
"""

from chainatlas.pipelines.blocks import (
    figure_block,
    metrics_block,
    section,
    table_block,
    text_block,
)
from chainatlas.report.render import render_html, to_jsonable, write_atomic

__all__ = [
    "figure_block",
    "metrics_block",
    "render_html",
    "section",
    "table_block",
    "text_block",
    "to_jsonable",
    "write_atomic",
]
