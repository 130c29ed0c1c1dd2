"""The modern-industrial-system scorecard (现代化产业体系评分：广度·高度·韧度).

Composite indicators per the OECD/JRC *Handbook on Constructing Composite Indicators* (2008):
indicators as data (:func:`load_spec`, versioned YAML per unit type), registered formulas
(:mod:`chainatlas.scorecard.indicators`), normalisation, weighting and aggregation, a documented
missing-data policy and a Monte Carlo uncertainty analysis (:func:`compute_scorecard`). No data
loading here: pipelines assemble the inputs (``chainatlas.pipelines.scorecard``).
"""

from chainatlas.scorecard.composite import (
    MIN_UNITS,
    MissingDataError,
    Scorecard,
    TooFewUnitsError,
    compute_scorecard,
)
from chainatlas.scorecard.indicators import REGISTRY, Unavailable, compute_indicators, register
from chainatlas.scorecard.panel import SectorPanel, panel_from_mrio, panel_from_tables
from chainatlas.scorecard.spec import (
    PILLAR_NAMES,
    PILLARS,
    IndicatorSpec,
    ScorecardSpec,
    SpecError,
    check_weights,
    load_spec,
    parse_spec_dict,
)

__all__ = [
    "MIN_UNITS",
    "PILLARS",
    "PILLAR_NAMES",
    "REGISTRY",
    "IndicatorSpec",
    "MissingDataError",
    "Scorecard",
    "ScorecardSpec",
    "SectorPanel",
    "SpecError",
    "TooFewUnitsError",
    "Unavailable",
    "check_weights",
    "compute_indicators",
    "compute_scorecard",
    "load_spec",
    "panel_from_mrio",
    "panel_from_tables",
    "parse_spec_dict",
    "register",
]
