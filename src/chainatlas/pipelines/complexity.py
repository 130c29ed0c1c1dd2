"""Ready-made complexity workflows (常用流程) on the registered datasets.

* :func:`trade_complexity` — trade data (:class:`~chainatlas.complexity.data.TradeData`, e.g.
  ``world-trade-sitc``): Atlas-style cleaning, then every measure.
* :func:`region_complexity` — subnational complexity (地区经济复杂度) from a region × industry
  matrix (e.g. ``china-provincial-io-2007:output``) with RCA on output.
* :func:`product_names` — product code → name from the ``concordance`` dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from chainatlas.complexity.cleaning import ATLAS_RULES, UNSPECIFIED_HS4, CleanedTrade, clean_trade
from chainatlas.complexity.data import TradeData
from chainatlas.complexity.measures import ComplexityResult, Convention, PresenceTest, complexity
from chainatlas.errors import InputError, LabelError
from chainatlas.validation import validate_params

#: the Growth Lab's published ECI ranking for 2017 (HS92; current vintage of "Growth Projections
#: and Complexity Rankings", growth_proj_eci_rankings.csv, Harvard Dataverse doi:10.7910/DVN/XTAQMC),
#: as a benchmark beside chainatlas' own 2017 figures; the Spearman correlation over the 139
#: economies in both was measured in docs/complexity.md
GROWTH_LAB_ECI_2017: dict[str, object] = {
    "chn_rank": 12,
    "economies": 145,
    "chn_eci": 1.295,
    "spearman_with_chainatlas": 0.980,
    "source": "Growth Lab, Growth Projections and Complexity Rankings (HS92 ECI, 2017), "
    "Harvard Dataverse doi:10.7910/DVN/XTAQMC",
}

__all__ = [
    "GROWTH_LAB_ECI_2017",
    "TradeComplexity",
    "trade_complexity",
    "region_complexity",
    "product_names",
    "GOODS_SECTORS",
]

#: goods-producing sectors of the 2007 provincial 42-sector classification (01–21: agriculture,
#: mining, manufacturing), the analogue of the Atlas' goods-only product space
GOODS_SECTORS: dict[str, tuple[str, ...]] = {
    "china-provincial-2007-42": tuple(f"{i:02d}" for i in range(1, 22)),
    # NBS 42-sector schemes of 2012 and 2017 (china-provincial-io): 01 agriculture … 22 other
    # manufacturing (scrap, repair services and utilities left out)
    "china-42": tuple(f"{i:02d}" for i in range(1, 23)),
    "china-2012-42": tuple(f"{i:02d}" for i in range(1, 23)),
}


@dataclass(frozen=True)
class TradeComplexity:
    """Complexity of a trade dataset with its cleaning record.

    Attributes
    ----------
    result : ComplexityResult
    cleaning : CleanedTrade or None
        None when cleaning was turned off.
    unit : str
        Unit of the trade values.
    names : Series
        Product code → name (empty when no concordance applies).
    world_total : float
        Sum of all exports in the input before cleaning (mean over periods for a panel), in
        ``unit``: the dataset's "world", which for a partial extract is far below actual world
        trade (``world-trade-sitc``: USD 119.7 bn vs ≈ USD 5.6 tn of world merchandise exports).
    """

    result: ComplexityResult
    cleaning: CleanedTrade | None
    unit: str
    names: pd.Series
    world_total: float = float("nan")

    @property
    def excluded(self) -> pd.DataFrame:
        """Locations and products removed by cleaning (kind, label, total, share, reason)."""
        if self.cleaning is None:
            return pd.DataFrame(columns=["kind", "label", "total", "share", "reason"])
        return self.cleaning.excluded


def product_names(classification: str) -> pd.Series:
    """Product code → English name for a classification (SITC Rev.2 4-digit or HS 1992).

    Returns an empty Series for classifications without a description table.
    """
    from chainatlas.datasets.loaders.concordance import descriptions

    if classification.startswith("SITC Rev.2"):
        return descriptions("sitc2_desc", digits=4)
    if classification.startswith("HS 4-digit"):
        return descriptions("hs4_desc", digits=4)
    if classification.upper().startswith("HS"):
        return descriptions("hs0_desc")
    return pd.Series(dtype=str, name="description")


def _cleaning_rules(trade: TradeData, rules: str, given: dict[str, float | None]) -> dict[str, Any]:
    """Thresholds: ``"atlas"`` (absolute Growth Lab rules; needs population), ``"shares"``."""
    if rules == "auto":
        rules = "atlas" if trade.population is not None else "shares"
    if rules not in ("atlas", "shares"):
        raise InputError("rules must be 'auto', 'atlas' or 'shares'", received=rules, fix="'auto'")
    if rules == "atlas" and trade.population is None:
        raise InputError(
            "rules='atlas' needs population, which this dataset lacks",
            received=trade.provenance.source,
            fix="use rules='shares' (share-of-world thresholds)",
        )
    base = (
        dict(ATLAS_RULES)
        if rules == "atlas"
        else {
            "min_location_share": 2e-4,
            "min_product_share": 2e-6,
            "min_location_exports": 0.0,
            "min_product_trade": 0.0,
            "min_population": 1e6,
        }
    )
    base.update({k: v for k, v in given.items() if v is not None})
    hs = trade.classification.upper().startswith("HS")
    return {**base, "exclude_products": UNSPECIFIED_HS4 if hs else (), "rules": rules}


@validate_params
def trade_complexity(
    trade: TradeData,
    *,
    clean: bool = True,
    rules: Literal["auto", "atlas", "shares"] = "auto",
    min_location_share: float | None = None,
    min_product_share: float | None = None,
    min_location_exports: float | None = None,
    min_product_trade: float | None = None,
    min_population: float | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    convention: Convention = "stata",
    progress: Callable[[str], None] | None = None,
) -> TradeComplexity:
    """Clean trade data as the Atlas does, then compute every complexity measure.

    Parameters
    ----------
    trade : TradeData
        E.g. ``chainatlas.datasets.load("world-trade-hs4-2017")``.
    clean : bool
        Apply :func:`~chainatlas.complexity.clean_trade` (default). Turning it off lets tiny
        territories (sgs, hmd, esh…) dominate the ECI ranking.
    rules : {"auto", "atlas", "shares"}
        ``"atlas"``: the Growth Lab's absolute rules (:data:`~chainatlas.complexity.cleaning.
        ATLAS_RULES`: population ≥ 1 m, exports ≥ USD 1 bn, product world trade ≥ USD 10 m),
        for complete data with population; ``"shares"``: share-of-world thresholds for partial
        extracts without population (``world-trade-sitc``); ``"auto"`` picks ``"atlas"`` when the
        dataset has population. HS code 9999 (not specified) is always left out of HS data.
    min_location_share, min_product_share, min_location_exports, min_product_trade, min_population
        Override single thresholds of the chosen rules (see :func:`clean_trade`).
    presence_test : {"rca", "rpop", "both"}
        Mcp from RCA (default, the Atlas), from population-based RPOP, or either; RPOP uses the
        dataset's population.
    threshold : float
        RCA threshold for Mcp.
    convention : {"stata", "py-ecomplexity"}

    Returns
    -------
    TradeComplexity

    Raises
    ------
    InputError
        Cleaning leaves too little data, ``rules="atlas"`` without population, or RPOP without
        population.
    DegenerateError
        ECI undefined for the (cleaned) data.
    """
    data = trade.exports
    periods = data["time"].nunique() if "time" in data.columns else 1
    world_total = float(data["value"].sum()) / max(periods, 1)
    cleaning = None
    if clean:
        if progress:
            progress("cleaning trade data (Atlas thresholds)")
        given = {
            "min_location_share": min_location_share,
            "min_product_share": min_product_share,
            "min_location_exports": min_location_exports,
            "min_product_trade": min_product_trade,
            "min_population": min_population,
        }
        kw = _cleaning_rules(trade, rules, given)
        used = kw.pop("rules")
        cleaning = clean_trade(data, population=trade.population, **kw)
        cleaning.thresholds["rules"] = used
        data = cleaning.data
    data = data.copy()
    step = "cleaned (Atlas-style thresholds)" if clean else "not cleaned"
    data.attrs["provenance"] = trade.provenance.with_step(step)
    # RPOP needs every location's population: a location without one raises (never dropped here)
    pop = trade.population if presence_test != "rca" else None
    res = complexity(
        data,
        threshold=threshold,
        convention=convention,
        progress=progress,
        population=pop,
        presence_test=presence_test,
    )
    assert isinstance(res, ComplexityResult)
    return TradeComplexity(
        res, cleaning, trade.unit, product_names(trade.classification), world_total
    )


@validate_params
def region_complexity(
    obj: Any,
    *,
    industries: Literal["goods", "all"] | Sequence[str] = "goods",
    threshold: float = 1.0,
    convention: Convention = "stata",
) -> ComplexityResult:
    """Subnational ECI from a region × industry matrix, with RCA on its measure (e.g. output).

    Parameters
    ----------
    obj : RegionIndustry
        Any object with ``values`` (DataFrame, regions × industries, non-negative),
        ``classification`` and ``provenance`` — e.g. ``load("china-provincial-io-2007:output")``
        (30 provinces × 42 sectors, gross output in 10,000 yuan).
    industries : {"goods", "all"} or sequence of str
        ``"goods"`` (default) keeps the goods-producing sectors of the classification
        (:data:`GOODS_SECTORS`; 01–21 for the 2007 provincial tables), the analogue of the
        Atlas' goods-only product space; ``"all"`` keeps every sector; or give the codes.
        With all 42 sectors, public services and mining dominate RCA and the ranking inverts
        (see docs/complexity.md).
    threshold : float
        RCA threshold.

    Returns
    -------
    ComplexityResult
        Locations are regions, products are industries.

    Raises
    ------
    InputError
        ``industries="goods"`` for a classification without a goods list.
    LabelError
        Unknown industry codes.
    DegenerateError
        ECI undefined.
    """
    values = obj.values
    classification = getattr(obj, "classification", "")
    if isinstance(industries, str):
        if industries == "all":
            keep = list(values.columns)
        elif industries == "goods":
            if classification not in GOODS_SECTORS:
                raise InputError(
                    "no goods-sector list for this classification",
                    received=classification,
                    fix="pass industries='all' or a list of industry codes",
                )
            keep = list(GOODS_SECTORS[classification])
        else:
            raise InputError(
                "industries must be 'goods', 'all' or a list", received=industries, fix="'goods'"
            )
    else:
        keep = [str(c) for c in industries]
    unknown = [c for c in keep if c not in values.columns]
    if unknown:
        raise LabelError(
            "unknown industry codes", received=unknown[:10], fix="use codes of the table"
        )
    sub = values[keep]
    long = (
        sub.rename_axis(index="location", columns="product").stack().rename("value").reset_index()
    )
    prov = obj.provenance.with_step(
        f"RCA on {getattr(obj, 'measure', 'values')} over {len(keep)} industries ({industries if isinstance(industries, str) else 'custom'})"
    )
    long.attrs["provenance"] = prov
    res = complexity(long, threshold=threshold, convention=convention, zeros="drop")
    assert isinstance(res, ComplexityResult)
    return res
