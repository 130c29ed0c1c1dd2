"""Result payloads shared by the CLI and the report (结果汇总): one dict, two views.

Each function calls the analysis API and returns a JSON-ready dict of labelled pandas objects;
the CLI prints it (``--format json|csv``) and the report sections format the same dict.
"""

from __future__ import annotations

from typing import Any, Literal

from chainatlas.chains._labels import check_top, mr_labels, resolve_economy
from chainatlas.chains.chokepoints import chokepoint_ranking
from chainatlas.chains.dependence import foreign_dependence, origin_concentration
from chainatlas.chains.value_chains import value_added_in_exports
from chainatlas.errors import InputError
from chainatlas.io.table import IOTable

__all__ = ["dependence_summary", "chokepoints_summary", "semiconductor_summary"]


def dependence_summary(table: IOTable, economy: str, *, top: int = 20) -> dict[str, Any]:
    """Value added in exports (all economies), and the focus economy's foreign dependence.

    Returns
    -------
    dict
        ``economy``, ``unit``, ``value_added_in_exports`` (DataFrame by economy),
        ``focus`` (the focus economy's row as a dict), ``dependence`` (top `top` foreign
        economy-sectors by total requirements) and ``origin_concentration`` (by focus sector).
    """
    check_top(top)
    economy = resolve_economy(mr_labels(table), economy)
    va = value_added_in_exports(table, level="economy")
    return {
        "economy": economy,
        "unit": table.unit,
        "source": table.provenance.source,
        "value_added_in_exports": va,
        "focus": va.loc[economy].to_dict(),
        "dependence": foreign_dependence(table, economy).head(top),
        "origin_concentration": origin_concentration(table, economy),
    }


def chokepoints_summary(
    table: IOTable,
    economy: str,
    *,
    top: int = 20,
    reach: Literal["supply", "demand"] = "supply",
    rest_of_world: Literal["exclude", "flag"] = "exclude",
) -> dict[str, Any]:
    """Chokepoint ranking of foreign economy-sectors with its components, formula and RoW policy."""
    check_top(top)
    economy = resolve_economy(mr_labels(table), economy)
    return {
        "economy": economy,
        "unit": table.unit,
        "source": table.provenance.source,
        "reach": reach,
        "rest_of_world": rest_of_world,
        "rest_of_world_note": (
            "Rest of World (RoW) is an aggregate of many economies, not one supplier: "
            + (
                "it is kept in the world model but not ranked"
                if rest_of_world == "exclude"
                else "its rows are ranked and marked rest_of_world = true"
            )
            + "; world_hhi keeps RoW's output in the denominator but omits its own squared "
            "share (a lower bound; world_rest_share = RoW's share of world output). "
            "其他地区（RoW）为多个经济体的合计，不视为单一供应方。"
        ),
        "formula": "score = (supply_share/max)^(1/3) · (world_hhi/max)^(1/3) · "
        "(reach_share/max)^(1/3); reach = focus-economy output lost when the supplier is "
        + (
            "extracted from the Ghosh (supply) model"
            if reach == "supply"
            else "extracted from the Leontief (demand) model"
        ),
        "chokepoints": chokepoint_ranking(
            table, economy, reach=reach, top=top, rest_of_world=rest_of_world
        ),
    }


def semiconductor_summary(
    chain: Any, *, country: str | None = None, top: int = 20, threshold: float = 0.5
) -> dict[str, Any]:
    """Chokepoint inputs, chain leaders and (optionally) a country-stop scenario.

    Raises
    ------
    InputError
        `top` not a positive integer, or `threshold` outside (0, 1] (checked even without
        `country`, so that a bad option is never ignored silently).
    """
    check_top(top)
    if not 0.0 < threshold <= 1.0:
        raise InputError(
            "threshold must be in (0, 1]", received=threshold, fix="e.g. threshold=0.5 for 50 %"
        )
    from chainatlas.chains import semiconductor as sc

    cols = [
        "name",
        "score",
        "rank",
        "n_providers",
        "n_significant",
        "firm_hhi",
        "top_firm",
        "top_firm_share",
        "firm_basis",
        "country_hhi",
        "top_country",
        "top_country_share",
        "country_basis",
        "reach_inputs",
        "reach_stages",
    ]
    out: dict[str, Any] = {
        "licence": sc.LICENCE_NOTE,
        "source": chain.provenance.source,
        "chokepoints": sc.chokepoint_inputs(chain)[cols].head(top),
        "leaders": sc.chain_leaders(chain).head(top),
    }
    if country:
        out["scenario"] = sc.country_stop_scenario(chain, country, threshold=threshold)
    return out
