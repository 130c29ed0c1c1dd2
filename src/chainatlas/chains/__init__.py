"""Value chains, dependence and chokepoints (价值链、对外依赖与卡脖子环节).

Multi-region IO tables (e.g. ``wiod-2013:2011``):

* :func:`value_added_in_exports`, :func:`gross_exports` — DVA/FVA, GVC participation;
* :func:`foreign_dependence`, :func:`origin_concentration` — dependence of a focus economy;
* :func:`chokepoint_ranking`, :func:`extraction_reach` — chokepoint score with its components;
* :func:`export_decomposition` — WWZ (16 terms) and KWW (9 terms) gross-export decompositions;
* :func:`gvc_indicators` — GVC participation and position (Koopman et al. 2010; Wang et al. 2017).

Firm level: :mod:`chainatlas.chains.semiconductor` (``eto-semiconductor``).
"""

from chainatlas.chains._labels import FinalDemandBreakdownError
from chainatlas.chains.chokepoints import chokepoint_ranking, chokepoint_rankings, extraction_reach
from chainatlas.chains.decomposition import export_decomposition, term_groups
from chainatlas.chains.dependence import foreign_dependence, origin_concentration
from chainatlas.chains.gvc_indicators import gvc_indicators
from chainatlas.chains.value_chains import gross_exports, value_added_in_exports

__all__ = [
    "FinalDemandBreakdownError",
    "chokepoint_ranking",
    "export_decomposition",
    "chokepoint_rankings",
    "extraction_reach",
    "foreign_dependence",
    "gross_exports",
    "gvc_indicators",
    "origin_concentration",
    "term_groups",
    "value_added_in_exports",
]
