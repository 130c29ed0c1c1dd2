"""Resilience (韧性): shock scenarios — Leontief, Ghosh, hypothetical extraction, BoARIO's ARIO."""

from chainatlas.resilience.scenarios import (
    MAX_SIMULATE_DAYS,
    ExportControlScenario,
    parse_scenario,
    read_scenario,
)
from chainatlas.resilience.shocks import (
    ShockResult,
    extraction_shock,
    ghosh_shock,
    leontief_shock,
    run_scenario,
)

__all__ = [
    "MAX_SIMULATE_DAYS",
    "ExportControlScenario",
    "ShockResult",
    "extraction_shock",
    "ghosh_shock",
    "leontief_shock",
    "parse_scenario",
    "read_scenario",
    "run_scenario",
]
