"""Input–output analysis (投入产出分析) in Miller & Blair (2009) notation.

The container is :class:`IOTable` (Z, Y, V, x; cached A, L, B, G). Analysis functions take a table
and return labelled pandas objects:

* multipliers — :func:`output_multipliers`, :func:`value_added_multipliers`,
  :func:`employment_multipliers`, :func:`multiplier_table`;
* linkages — :func:`backward_linkages`, :func:`forward_linkages`, :func:`linkages`,
  :func:`key_sectors`;
* hypothetical extraction — :func:`hypothetical_extraction`, :func:`extraction_loss`,
  :func:`extraction_ranking`;
* positions — :func:`upstreamness`, :func:`downstreamness`, :func:`positions`;
* import dependence (non-competitive tables) — :func:`import_dependence`;
* servitisation — :func:`classify_sectors`, :func:`servitisation`;
* structural change — :func:`structural_change`.

Table input/output — :func:`read_table`, :func:`write_table` (CSV/Excel/Parquet),
:func:`to_pymrio`, :func:`from_pymrio` — and aggregation — :func:`aggregate`,
:func:`china_common_basis` — are re-exported here.
"""

from chainatlas.io.aggregate import aggregate, china_common_basis
from chainatlas.io.extraction import (
    ExtractionKind,
    extraction_loss,
    extraction_ranking,
    hypothetical_extraction,
    resolve_sectors,
)
from chainatlas.io.imports import LayoutError, import_dependence
from chainatlas.io.linkages import (
    TYPOLOGY,
    backward_linkages,
    forward_linkages,
    key_sectors,
    linkages,
)
from chainatlas.io.multipliers import (
    employment_multipliers,
    multiplier_table,
    output_multipliers,
    value_added_multipliers,
)
from chainatlas.io.positions import downstreamness, positions, upstreamness
from chainatlas.io.pymrio_convert import from_pymrio, to_pymrio
from chainatlas.io.servitisation import GROUPS, classify_sectors, servitisation
from chainatlas.io.structure import (
    CHINA_COMPETITIVE,
    CHINA_NONCOMPETITIVE,
    StructuralChange,
    structural_change,
)
from chainatlas.io.table import IOTable
from chainatlas.io.user_tables import read_table, write_table

__all__ = [
    "CHINA_COMPETITIVE",
    "CHINA_NONCOMPETITIVE",
    "GROUPS",
    "IOTable",
    "LayoutError",
    "StructuralChange",
    "TYPOLOGY",
    "aggregate",
    "backward_linkages",
    "china_common_basis",
    "classify_sectors",
    "downstreamness",
    "employment_multipliers",
    "ExtractionKind",
    "extraction_loss",
    "extraction_ranking",
    "forward_linkages",
    "from_pymrio",
    "hypothetical_extraction",
    "import_dependence",
    "key_sectors",
    "linkages",
    "multiplier_table",
    "output_multipliers",
    "positions",
    "read_table",
    "resolve_sectors",
    "servitisation",
    "structural_change",
    "to_pymrio",
    "upstreamness",
    "value_added_multipliers",
    "write_table",
]
