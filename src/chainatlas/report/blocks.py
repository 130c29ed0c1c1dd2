"""Re-export of :mod:`chainatlas.pipelines.blocks` (the blocks moved to the pipelines layer)."""

from chainatlas.pipelines.blocks import (
    figure_block,
    finding_block,
    metrics_block,
    note_block,
    section,
    table_block,
    text_block,
)

__all__ = [
    "section",
    "table_block",
    "figure_block",
    "text_block",
    "metrics_block",
    "note_block",
    "finding_block",
]
