"""Pipeline: the product-level supply screen (产品级供应集中度筛查) of one focus economy.

Loads ``world-trade-hs4-2017``, runs :func:`chainatlas.chains.product_screen.product_screen` and
returns a JSON-able payload with English and Chinese product and country names, the thresholds,
the rules cited and which EU criteria could not be applied. ``chainatlas chains products`` renders
it.
"""

from __future__ import annotations

from typing import Any

from chainatlas.chains.product_screen import RULES, product_screen
from chainatlas.errors import InputError

__all__ = ["product_screen_payload", "DEFAULT_SPEC"]

DEFAULT_SPEC = "world-trade-hs4-2017"


def product_screen_payload(
    spec: str = DEFAULT_SPEC,
    economy: str = "CHN",
    *,
    hhi_threshold: float = 0.4,
    rca_threshold: float = 1.0,
    flagged_only: bool = True,
    top: int | None = None,
) -> dict[str, Any]:
    """Screen every HS4 product for foreign supply concentration as seen from `economy`.

    Returns
    -------
    dict
        ``products`` (DataFrame, index ``product``, with ``name`` and top-exporter names),
        ``thresholds``, ``rules``, ``limitations`` (zh/en), ``counts``, ``unit``, ``year``,
        ``dataset``.

    Raises
    ------
    InputError
        `spec` is not a trade dataset.
    """
    from chainatlas.complexity import TradeData
    from chainatlas.datasets import load
    from chainatlas.geo import country_labels
    from chainatlas.pipelines.complexity import product_names

    trade = load(spec, progress=False)
    if not isinstance(trade, TradeData):
        raise InputError(
            f"{spec} is not a trade dataset", received=type(trade).__name__, fix=DEFAULT_SPEC
        )
    res = product_screen(
        trade.exports, economy, hhi_threshold=hhi_threshold, rca_threshold=rca_threshold
    )
    t = res.flagged if flagged_only else res.table.sort_values("hhi_foreign", ascending=False)
    t = t.copy()
    t.insert(0, "name", product_names(trade.classification).reindex(t.index).to_numpy())
    t["top_foreign_name"] = country_labels(t["top_foreign"], "en")
    t["top_foreign_name_zh"] = country_labels(t["top_foreign"], "zh")
    t["top3_names"] = [
        ", ".join(country_labels(s.split(","), "en")) if s else "" for s in t["top3"]
    ]
    full = res.table
    return {
        "dataset": spec,
        "year": trade.year,
        "unit": trade.unit,
        "economy": res.focus,
        "economy_name": {
            "en": country_labels([res.focus])[0],
            "zh": country_labels([res.focus], "zh")[0],
        },
        "thresholds": res.thresholds,
        "rules": RULES,
        "limitations": res.limitations,
        "counts": {
            "products": int(len(full)),
            "concentrated": int(full["flag_concentrated"].sum()),
            "dependency": int(full["flag_dependency"].sum()),
        },
        "provenance": trade.provenance.to_dict(),
        "products": t if top is None else t.head(top),
    }
