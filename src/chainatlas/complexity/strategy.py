"""The Atlas's strategic view of a country (战略定位): four diversification approaches.

The Growth Lab's country pages (Atlas of Economic Complexity, "Recommended strategic approach",
atlas.hks.harvard.edu/countries/<id>/strategic-approach) place each country on two axes:

* x: *is the country complex enough for its income?* — ECI controlled for income (the residual of
  ECI on log GDP per capita; the Atlas also controls for natural-resource rents, which chainatlas'
  data do not hold, so ours controls for GDP per capita only);
* y: *is it well connected to new opportunities?* — the Complexity Outlook Index (COI).

Quadrants (thresholds at 0 on both axes):

=================================  ====================  ==========================================
approach                           rule                  meaning (Growth Lab)
=================================  ====================  ==========================================
light touch 轻触式                  COI ≥ 0, ECI* ≥ 0     ample space to diversify by leveraging
                                                         existing successes
parsimonious industrial policy     COI ≥ 0, ECI* < 0     limited opportunities: address bottlenecks
精简型产业政策                                             to jump short distances to related products
strategic bets 战略押注             COI < 0, ECI* < 0     few nearby opportunities: coordinated long
                                                         jumps into strategic areas
technological frontier 技术前沿     COI < 0, ECI* ≥ 0     most existing products exploited: gains
                                                         come from developing new products
=================================  ====================  ==========================================

The live Atlas assigns "technological frontier" to a fixed list of 16 economies (USA, JPN, DEU,
KOR, CHN, SGP …) and "strategic bets" to every other COI < 0; ``frontier="quadrant"`` (default)
uses the geometric quadrant instead, ``frontier=[codes]`` reproduces a fixed list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.complexity.measures import ComplexityResult
from chainatlas.errors import InputError
from chainatlas.validation import validate_params

__all__ = ["APPROACHES", "StrategicView", "strategic_view"]

#: approach key -> (English, Chinese)
APPROACHES: dict[str, tuple[str, str]] = {
    "light_touch": ("light touch", "轻触式方针"),
    "parsimonious": ("parsimonious industrial policy", "精简型产业政策"),
    "strategic_bets": ("strategic bets", "战略押注"),
    "frontier": ("technological frontier", "技术前沿"),
}

SOURCE = (
    "Growth Lab, Atlas of Economic Complexity country pages, 'Recommended strategic approach' "
    "(atlas.hks.harvard.edu); ECI controlled for log GDP per capita by OLS"
)


@dataclass(frozen=True)
class StrategicView:
    """Countries on the strategic-approach plane.

    Attributes
    ----------
    table : DataFrame
        Index ``location``; columns ``eci``, ``coi``, ``gdp_per_capita`` (USD), ``eci_controlled``
        (residual of ECI on ln GDP per capita), ``approach`` (key of :data:`APPROACHES`),
        ``approach_en``, ``approach_zh``.
    slope, intercept, r2 : float
        The OLS fit ``ECI = intercept + slope · ln(GDP per capita)``.
    excluded : list of str
        Locations left out for lack of GDP per capita.
    """

    table: pd.DataFrame
    slope: float
    intercept: float
    r2: float
    excluded: list[str]


def _approach(x: float, y: float, frontier: bool | None) -> str:
    if y >= 0:
        return "light_touch" if x >= 0 else "parsimonious"
    if frontier is None:
        return "frontier" if x >= 0 else "strategic_bets"
    return "frontier" if frontier else "strategic_bets"


@validate_params
def strategic_view(
    result: ComplexityResult,
    gdp_per_capita: pd.Series,
    *,
    frontier: Literal["quadrant"] | Sequence[str] = "quadrant",
) -> StrategicView:
    """Place every location on the Atlas's strategic-approach plane (ECI* vs COI).

    Parameters
    ----------
    result : ComplexityResult
        Complexity of one period (ECI and COI are taken from it).
    gdp_per_capita : Series
        GDP per capita by location (USD, > 0); locations without it are listed in ``excluded``.
    frontier : "quadrant" or sequence of str
        ``"quadrant"``: COI < 0 and ECI* ≥ 0 is the frontier; a list of location codes: those (and
        only those, among COI < 0) are the frontier, as the live Atlas does.

    Returns
    -------
    StrategicView

    Raises
    ------
    InputError
        Fewer than 3 locations with GDP per capita (no regression possible).
    """
    gdp = gdp_per_capita.reindex(result.eci.index)
    ok = np.isfinite(gdp.to_numpy(dtype=float)) & (gdp.to_numpy(dtype=float) > 0)
    if ok.sum() < 3:
        raise InputError(
            "the strategic view needs GDP per capita for at least 3 locations",
            received=int(ok.sum()),
            fix="pass gdp_per_capita indexed like result.eci",
        )
    locs = result.eci.index[ok]
    x = np.log(gdp[locs].to_numpy(dtype=float))
    y = result.eci[locs].to_numpy(dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (intercept + slope * x)
    r2 = 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    coi = result.coi[locs].to_numpy(dtype=float)
    fixed = None if isinstance(frontier, str) else {str(c).lower() for c in frontier}
    keys = [
        _approach(a, b, None if fixed is None else str(loc).lower() in fixed)
        for loc, a, b in zip(locs, resid, coi, strict=True)
    ]
    table = pd.DataFrame(
        {
            "eci": y,
            "coi": coi,
            "gdp_per_capita": np.exp(x),
            "eci_controlled": resid,
            "approach": keys,
            "approach_en": [APPROACHES[k][0] for k in keys],
            "approach_zh": [APPROACHES[k][1] for k in keys],
        },
        index=pd.Index(locs, name="location"),
    )
    excluded = [str(c) for c in result.eci.index[~ok]]
    return StrategicView(table, float(slope), float(intercept), r2, excluded)
