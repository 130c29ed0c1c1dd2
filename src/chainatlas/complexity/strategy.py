"""The Atlas's strategic view of a country (战略定位): four diversification approaches.

The Growth Lab's country pages (Atlas of Economic Complexity, "Recommended strategic approach",
atlas.hks.harvard.edu/countries/<id>/strategic-approach) place each country on two axes:

* x: *is the country complex enough for its income?* — ECI controlled for income (the residual of
  ECI on log GDP per capita; the Atlas also controls for natural-resource rents, which chainatlas'
  data do not hold, so ours controls for GDP per capita only);
* y: *is it well connected to new opportunities?* — the Complexity Outlook Index (COI).

Assignment (as on the Atlas country pages, field ``policyRecommendation``):

1. **technological frontier 技术前沿** — the economies already at the frontier: the Atlas keeps a
   fixed list of 16 (:data:`ATLAS_FRONTIER`: AUT CAN CHE CHN CZE DEU FIN FRA GBR ITA JPN KOR NLD
   SGP SWE USA). They have high complexity but a low COI because most nearby products are already
   exported; growth comes from inventing new products. ``frontier="atlas"`` (default) uses that
   list; ``frontier="eci-top"`` takes the economies whose ECI is in the top ``frontier_share``
   (default 10 %) of the data; a sequence of codes sets the list explicitly.
2. every other economy, by COI and ECI* with thresholds at 0:

=================================  ====================  ==========================================
approach                           rule                  meaning (Growth Lab)
=================================  ====================  ==========================================
light touch 轻触式                  COI ≥ 0, ECI* ≥ 0     ample space to diversify by leveraging
                                                         existing successes
parsimonious industrial policy     COI ≥ 0, ECI* < 0     many nearby opportunities: address
精简型产业政策                                             bottlenecks to jump short distances
strategic bets 战略押注             COI < 0 (any ECI*)    few nearby opportunities: coordinated long
                                                         jumps into strategic areas
=================================  ====================  ==========================================

A low-COI economy that is complex *for its income* but not complex in absolute terms (e.g. Malawi,
ECI −0.6) is therefore a strategic-bets case, not frontier: the frontier quadrant (COI < 0,
ECI* ≥ 0) is reserved for the frontier economies.
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

__all__ = ["APPROACHES", "ATLAS_FRONTIER", "StrategicView", "strategic_view"]

#: approach key -> (English, Chinese)
APPROACHES: dict[str, tuple[str, str]] = {
    "light_touch": ("light touch", "轻触式方针"),
    "parsimonious": ("parsimonious industrial policy", "精简型产业政策"),
    "strategic_bets": ("strategic bets", "战略押注"),
    "frontier": ("technological frontier", "技术前沿"),
}

#: display order of the approaches (frontier first, then by decreasing readiness)
ORDER: tuple[str, ...] = ("frontier", "light_touch", "parsimonious", "strategic_bets")

#: the Atlas country pages' fixed "TechFrontier" list (16 economies, ISO 3166 alpha-3, lower case)
ATLAS_FRONTIER: tuple[str, ...] = (
    "aut", "can", "che", "chn", "cze", "deu", "fin", "fra",
    "gbr", "ita", "jpn", "kor", "nld", "sgp", "swe", "usa",
)  # fmt: skip

SOURCE = (
    "Growth Lab, Atlas of Economic Complexity country pages, 'Recommended strategic approach' "
    "(atlas.hks.harvard.edu/countries/<id>/strategic-approach; technological frontier = the Atlas's "
    "list of 16 economies, others by COI and ECI* at 0); ECI controlled for log GDP per capita by "
    "OLS (no natural-resource-rent control)"
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
    frontier : list of str
        Locations assigned to the technological frontier (in the table).
    frontier_rule : str
        How the frontier was chosen (``"atlas"``, ``"eci-top 10%"`` or ``"given list"``).
    """

    table: pd.DataFrame
    slope: float
    intercept: float
    r2: float
    excluded: list[str]
    frontier: list[str]
    frontier_rule: str


def _approach(x: float, y: float, frontier: bool) -> str:
    if frontier:
        return "frontier"
    if y >= 0:
        return "light_touch" if x >= 0 else "parsimonious"
    return "strategic_bets"


def _frontier_set(frontier: str | Sequence[str], eci: pd.Series, share: float) -> frozenset[str]:
    if isinstance(frontier, str):
        if frontier == "atlas":
            return frozenset(ATLAS_FRONTIER)
        if not 0 < share < 1:
            raise InputError(
                "frontier_share must lie strictly between 0 and 1",
                received=share,
                fix="pass e.g. frontier_share=0.1 (top decile of ECI)",
            )
        cut = float(eci.quantile(1 - share))
        return frozenset(str(c).lower() for c in eci.index[eci.to_numpy() >= cut])
    return frozenset(str(c).lower() for c in frontier)


@validate_params
def strategic_view(
    result: ComplexityResult,
    gdp_per_capita: pd.Series,
    *,
    frontier: Literal["atlas", "eci-top"] | Sequence[str] = "atlas",
    frontier_share: float = 0.1,
) -> StrategicView:
    """Place every location on the Atlas's strategic-approach plane (ECI* vs COI).

    Parameters
    ----------
    result : ComplexityResult
        Complexity of one period (ECI and COI are taken from it).
    gdp_per_capita : Series
        GDP per capita by location (USD, > 0); locations without it are listed in ``excluded``.
    frontier : "atlas", "eci-top" or sequence of str
        Who is at the technological frontier (whatever their COI): ``"atlas"`` the Atlas's list
        :data:`ATLAS_FRONTIER`; ``"eci-top"`` the locations whose ECI is in the top
        ``frontier_share`` of ``result.eci`` (the whole cleaned set); a sequence: those codes.
    frontier_share : float
        Share of locations (by ECI) at the frontier for ``frontier="eci-top"``, in (0, 1).

    Returns
    -------
    StrategicView
        Table sorted by approach (frontier, light touch, parsimonious, strategic bets), then by
        ECI descending.

    Raises
    ------
    InputError
        Fewer than 3 locations with GDP per capita (no regression possible), or
        ``frontier_share`` outside (0, 1).

    Examples
    --------
    >>> _approach(0.5, -1.0, False), _approach(0.5, -1.0, True), _approach(-0.2, 0.3, False)
    ('strategic_bets', 'frontier', 'parsimonious')
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
    fixed = _frontier_set(frontier, result.eci, frontier_share)
    keys = [
        _approach(a, b, str(loc).lower() in fixed)
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
    rank = table["approach"].map({k: i for i, k in enumerate(ORDER)})
    table = table.assign(_o=rank).sort_values(["_o", "eci"], ascending=[True, False])
    table = table.drop(columns="_o")
    excluded = [str(c) for c in result.eci.index[~ok]]
    if isinstance(frontier, str):
        rule = "atlas" if frontier == "atlas" else f"eci-top {frontier_share:.0%}"
    else:
        rule = "given list"
    front = [str(c) for c in table.index[table["approach"] == "frontier"]]
    return StrategicView(table, float(slope), float(intercept), r2, excluded, front, rule)
