"""Economic complexity and diversification opportunities (经济复杂度与多样化机会).

Labelled functions on long-form data (location, product, value[, time]) — RCA, Mcp, diversity,
ubiquity, ECI, PCI, proximity, density, COI, COG; fitness, reflections and kNN density — plus
Atlas-style cleaning of trade data (Growth Lab rules with population), the product space,
opportunity tables (new tracks above the economy's ECI), the Atlas's strategic view and provincial
height (:mod:`chainatlas.complexity.regional`). See ``docs/complexity.md``.
"""

from chainatlas.complexity._prepare import EmptyEntityError
from chainatlas.complexity.cleaning import CleanedTrade, clean_trade
from chainatlas.complexity.data import TradeData
from chainatlas.complexity.functions import (
    ComplexityInput,
    cog,
    coi,
    complexity_input,
    density,
    diversity,
    eci,
    mcp,
    pci,
    proximity,
    rca,
    rpop,
    ubiquity,
)
from chainatlas.complexity.measures import ComplexityPanel, ComplexityResult, complexity
from chainatlas.complexity.methods import (
    ConvergenceError,
    FitnessOutput,
    eci_methods,
    fitness,
    knn_density,
    reflections,
)
from chainatlas.complexity.space import ProductSpace, opportunities, product_space
from chainatlas.complexity.strategy import StrategicView, strategic_view

__all__ = [
    "ConvergenceError",
    "FitnessOutput",
    "StrategicView",
    "eci_methods",
    "fitness",
    "knn_density",
    "reflections",
    "strategic_view",
    "ComplexityInput",
    "complexity_input",
    "CleanedTrade",
    "ProductSpace",
    "clean_trade",
    "opportunities",
    "product_space",
    "ComplexityPanel",
    "ComplexityResult",
    "EmptyEntityError",
    "TradeData",
    "coi",
    "cog",
    "complexity",
    "density",
    "diversity",
    "eci",
    "mcp",
    "pci",
    "proximity",
    "rca",
    "rpop",
    "ubiquity",
]
