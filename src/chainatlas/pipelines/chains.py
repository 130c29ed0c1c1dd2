"""Result payloads shared by the CLI and the report (结果汇总): one dict, two views.

Each function calls the analysis API and returns a JSON-ready dict of labelled pandas objects;
the CLI prints it (``--format json|csv``) and the report sections format the same dict.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from chainatlas.chains._labels import check_top, mr_labels, resolve_economy
from chainatlas.chains.chokepoints import chokepoint_ranking
from chainatlas.chains.dependence import foreign_dependence, origin_concentration
from chainatlas.chains.value_chains import value_added_in_exports
from chainatlas.errors import InputError
from chainatlas.io.table import IOTable
from chainatlas.validation import validate_params

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


@validate_params
def chokepoints_summary(
    table: IOTable,
    economy: str,
    *,
    top: int = 20,
    reach: Literal["supply", "demand"] = "supply",
    rest_of_world: Literal["flag", "exclude"] = "flag",
    non_tradables: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Chokepoint ranking of foreign economy-sectors with its components, formula and notes."""
    check_top(top)
    economy = resolve_economy(mr_labels(table), economy)
    ranking = chokepoint_ranking(
        table,
        economy,
        reach=reach,
        top=top,
        rest_of_world=rest_of_world,
        non_tradables=non_tradables,
    )
    excluded = ranking.attrs.get("non_tradables", [])
    return {
        "economy": economy,
        "unit": table.unit,
        "source": table.provenance.source,
        "reach": reach,
        "rest_of_world": rest_of_world,
        "non_tradables": excluded,
        "rest_of_world_note": (
            "Rest of World (RoW) is an aggregate of many economies, not one supplier: "
            + (
                "its rows are scored and shown, flagged 'not attributable to one economy', "
                "without a rank"
                if rest_of_world == "flag"
                else "it is kept in the world model but not shown"
            )
            + "; every HHI keeps RoW in the denominator but omits its own squared share (a "
            "lower bound; foreign_hhi_row_as_one is the upper bound). "
            "其他地区（RoW）为多个经济体的合计，无法归属于单一经济体。"
        ),
        "non_tradables_note": (
            "Not candidates (non-tradable, cannot be cut off by an export control): "
            + (", ".join(excluded) if excluded else "none")
            + ". 非贸易部门不参与排名。"
        ),
        "world_hhi_note": (
            "world_hhi is the old all-economy HHI (the focus economy's own output included), kept "
            "for comparison only; the score uses foreign_hhi (economies other than "
            f"{economy}) and import_hhi ({economy}'s import origins). "
            "world_hhi 含本国产出，仅供对比。"
        ),
        "formula": "score = Π_k (c_k/max c_k)^w_k over supply_share (1/4), foreign_hhi (1/8), "
        "import_hhi (1/8), reach_share (1/4), no_domestic_alternative = 1 − domestic_share "
        "(1/4); reach = focus-economy output lost when the supplier is "
        + (
            "extracted from the Ghosh (supply) model"
            if reach == "supply"
            else "extracted from the Leontief (demand) model"
        ),
        "chokepoints": ranking,
    }


def semiconductor_summary(
    chain: Any,
    *,
    country: str | Sequence[str] | None = None,
    top: int = 20,
    threshold: float = 0.5,
) -> dict[str, Any]:
    """Chokepoint inputs, chain leaders and (optionally) a country- or coalition-stop scenario.

    Inputs carry Chinese names (``name_zh``) beside the English; provider countries and regions
    (国家/地区) carry Chinese names (``top_country_zh``, ``country_zh``; TWN = 中国台湾).

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
        "name_zh",
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
        "top_country_zh",
        "top_country_share",
        "country_basis",
        "reach_inputs",
        "reach_stages",
    ]
    ck = sc.chokepoint_inputs(chain)
    ck.insert(ck.columns.get_loc("name") + 1, "name_zh", sc.input_names_zh().reindex(ck.index))
    ck["top_country_zh"] = [
        sc.country_names_zh([c])[0] if isinstance(c, str) and c else "" for c in ck["top_country"]
    ]
    leaders = sc.chain_leaders(chain).head(top)
    leaders.insert(
        leaders.columns.get_loc("country") + 1,
        "country_zh",
        [
            sc.country_names_zh([c])[0] if isinstance(c, str) and c else ""
            for c in leaders["country"]
        ],
    )
    out: dict[str, Any] = {
        "licence": sc.LICENCE_NOTE,
        "source": chain.provenance.source,
        "chokepoints": ck[cols].head(top),
        "leaders": leaders,
        "country_label": "国家/地区 (country or region; TWN = 中国台湾)",
    }
    if country:
        out["scenario"] = sc.country_stop_scenario(chain, country, threshold=threshold)
    return out
