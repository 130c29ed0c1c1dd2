"""Chokepoint ranking of foreign suppliers (卡脖子环节排名) for a focus economy.

For each foreign economy-sector i (economy r, sector p) and focus economy s, three components:

1. ``supply_share`` — share of s's total intermediate requirements supplied by i:
   t_i / 1ᵀt with t = (L − I) w and w the focus economy's final output (see
   :mod:`chainatlas.chains.dependence`);
2. ``world_hhi`` — concentration of world output of sector p across economies:
   HHI_p = Σ_r (x_{r,p} / Σ_r x_{r,p})² (few producing economies → hard to substitute); the top-1
   share is shown beside it;
3. ``reach_share`` — downstream reach: the focus economy's gross output lost when i is
   hypothetically extracted, as a share of s's gross output. ``reach="supply"`` (default) extracts
   i from the supply-driven (Ghosh) model, i.e. i stops selling (forward extraction,
   Dietzenbacher & Lahr 2013); ``reach="demand"`` extracts it from the Leontief model (i stops
   buying; backward extraction, M&B §12.2). All n extractions use the rank-one Schur-complement
   update of G (or L): O(n²) in total, no re-inversion per candidate.

Score (weighted geometric mean of max-normalised components, weights w_k summing to 1):

    score_i = Π_k (c_ki / max_j c_kj)^{w_k}

so a supplier ranks high only if it is large for s, produced by few economies and reaches far
into s's production. Default weights are equal (1/3 each).

Rest of the world (其他地区). WIOD's ``RoW`` is an aggregate of every economy outside the 40
listed, not one supplier: it cannot be the target of one economy's export control, and treating
it as one producer inflates the concentration of sectors where it is large (RoW produces 56 % of
world mining, c2, in 2011). Policy ``rest_of_world``:

* ``"exclude"`` (default): RoW stays in the world model (L, G, the extractions and the
  denominators of every share) but is not a candidate, so it never ranks;
* ``"flag"``: RoW economy-sectors are ranked too, marked ``rest_of_world = True``.

In both cases the world HHI keeps RoW's output in the denominator but leaves out RoW's own
squared share (and RoW cannot be the top-1 producer): a lower bound of the true HHI, exact if
RoW's output is spread over many small producers. ``world_rest_share`` shows RoW's share of world
output of the sector beside it, so the reader sees how much output the bound leaves unresolved.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.chains._labels import (
    balance_vectors,
    check_top,
    mr_labels,
    resolve_economy,
    rest_of_world_mask,
    sector_names,
)
from chainatlas.chains.dependence import _final_output
from chainatlas.errors import InputError, check_option
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as kio
from chainatlas.kernels import mrio

__all__ = ["chokepoint_ranking", "extraction_reach"]


def extraction_reach(
    table: IOTable, economy: str, *, reach: Literal["supply", "demand"] = "supply"
) -> pd.Series:
    """Focus-economy gross output lost when each economy-sector alone is extracted.

    Parameters
    ----------
    table : IOTable
        Multi-region table.
    economy : str
        Focus economy whose output is counted.
    reach : {"supply", "demand"}
        Ghosh forward extraction (supplier stops selling) or Leontief backward extraction.

    Returns
    -------
    Series, index (economy, sector), shape (n,)
        Output lost, in the table's unit (for the focus economy's own sectors, their own output
        is included).

    Raises
    ------
    UnknownCodeError, FinalDemandBreakdownError
    """
    lab = mr_labels(table)
    economy = resolve_economy(lab, economy)
    weights = (lab.region == lab.economies.get_loc(economy)).astype(float)
    f, primary = balance_vectors(table)
    if reach == "supply":
        loss = mrio.supply_extraction_losses(table.G.to_numpy(), primary, weights)
    else:
        loss = kio.extraction_losses_single(table.L.to_numpy(), f, weights)
    return pd.Series(loss, index=table.labels, name="output_lost")


def chokepoint_ranking(
    table: IOTable,
    economy: str,
    *,
    reach: Literal["supply", "demand"] = "supply",
    weights: tuple[float, float, float] = (1 / 3, 1 / 3, 1 / 3),
    top: int | None = None,
    rest_of_world: Literal["exclude", "flag"] = "exclude",
) -> pd.DataFrame:
    """Rank foreign economy-sectors as chokepoints for a focus economy (formula in module docs).

    Parameters
    ----------
    table : IOTable
        Multi-region table.
    economy : str
        Focus economy, e.g. ``"CHN"``.
    reach : {"supply", "demand"}
        How downstream reach is measured (Ghosh forward or Leontief backward extraction).
    weights : tuple of 3 floats
        Weights of (supply_share, world_hhi, reach_share); non-negative, summing to 1.
    top : int, optional
        Keep the first `top` rows.
    rest_of_world : {"exclude", "flag"}
        ``"exclude"`` (default) leaves rest-of-world aggregates (WIOD ``RoW``) out of the
        candidates (they stay in the world model); ``"flag"`` ranks them, marked in the
        ``rest_of_world`` column. See the module docs for how the world HHI treats them.

    Returns
    -------
    DataFrame, index (economy, sector) of foreign economy-sectors, sorted by ``score``
        ``name_en``, ``name_zh`` (sector names, when the table has them), ``score`` (0–1),
        ``rank``, and the components beside it: ``supply_share``, ``world_hhi``,
        ``world_top1_share``, ``world_rest_share``, ``reach_share`` (unit-free),
        ``output_lost`` (table unit), ``total_value`` (focus economy's total requirements from
        the supplier, table unit) and ``rest_of_world`` (bool).

    Raises
    ------
    UnknownCodeError
        Unknown economy (close codes suggested).
    InputError
        Invalid weights or `top` (not a positive integer).
    FinalDemandBreakdownError
        If the table is not multi-region.
    """
    check_option("reach", reach, ("supply", "demand"))
    check_option("rest_of_world", rest_of_world, ("exclude", "flag"))
    check_top(top)
    w = np.asarray(weights, dtype=float)
    if w.shape != (3,) or (w < 0).any() or not np.isclose(w.sum(), 1.0):
        raise InputError(
            "chokepoint weights must be three non-negative numbers summing to 1",
            received=weights,
            fix="e.g. weights=(0.5, 0.25, 0.25) for (supply_share, world_hhi, reach_share)",
        )
    lab = mr_labels(table)
    economy = resolve_economy(lab, economy)
    wf, mask = _final_output(table, lab, economy)
    _, t = mrio.requirements_of_final_output(table.A.to_numpy(), wf, lu=table.lu)
    share = t / t.sum()
    x = table.x.to_numpy(dtype=float)
    agg = rest_of_world_mask(lab.economies)
    hhi, top1 = mrio.world_supply_concentration(
        x, lab.region, lab.sector, lab.n_regions, lab.n_sectors, aggregate=agg
    )
    world = np.bincount(lab.sector, weights=x, minlength=lab.n_sectors)
    rest = np.bincount(
        lab.sector, weights=np.where(agg[lab.region], x, 0.0), minlength=lab.n_sectors
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        rest_share = rest / world
    lost = extraction_reach(table, economy, reach=reach).to_numpy()
    reach_share = lost / x[mask].sum()
    is_row = agg[lab.region]
    cand = ~mask & ~is_row if rest_of_world == "exclude" else ~mask
    comps = np.vstack([share, hhi[lab.sector], reach_share])[:, cand]
    score, _ = mrio.chokepoint_score(comps, w)
    index = table.labels[cand]
    df = pd.DataFrame(
        {
            "score": score,
            "supply_share": comps[0],
            "world_hhi": comps[1],
            "world_top1_share": top1[lab.sector][cand],
            "world_rest_share": rest_share[lab.sector][cand],
            "reach_share": comps[2],
            "output_lost": lost[cand],
            "total_value": t[cand],
            "rest_of_world": is_row[cand],
        },
        index=index,
    )
    df = pd.concat([sector_names(table, index), df], axis=1)
    df = df.sort_values("score", ascending=False, kind="stable")
    df.insert(df.columns.get_loc("score") + 1, "rank", np.arange(1, len(df) + 1))
    return df.head(top) if top is not None else df
