"""Chokepoint ranking of foreign suppliers seen from a focus economy (卡脖子环节排名，以本国视角).

For each foreign economy-sector i (economy r, sector p) and focus economy s, five components:

1. ``supply_share`` — share of s's total intermediate requirements supplied by i:
   t_i / 1ᵀt with t = (L − I) w and w the focus economy's final output (see
   :mod:`chainatlas.chains.dependence`);
2. ``foreign_hhi`` — concentration of world output of sector p among economies **other than s**:
   Σ_{r≠s} (x_{r,p} / Σ_{r≠s} x_{r,p})². s's own capacity is the alternative to imports, not a
   sign of supplier concentration, so it is left out (component 5 carries it);
3. ``import_hhi`` — concentration of s's own imports of p by origin: Σ_r (m_{r,p} / Σ_r m_{r,p})²
   with m_{r,p} = Σ_j Z[(r,p),(s,j)] + Σ_c Y[(r,p),(s,c)] (intermediate and final imports; a
   negative flow — a net inventory draw-down — counts as 0);
4. ``reach_share`` — downstream reach: s's gross output lost when i is hypothetically extracted,
   as a share of s's gross output. ``reach="supply"`` (default) extracts i from the supply-driven
   (Ghosh) model, i.e. i stops selling (forward extraction, Dietzenbacher & Lahr 2013);
   ``reach="demand"`` extracts it from the Leontief model (backward extraction, M&B §12.2). All n
   extractions use the rank-one Schur-complement update of G (or L): O(n²) in total;
5. ``no_domestic_alternative`` = 1 − ``domestic_share``, with ``domestic_share`` = x_{s,p} /
   Σ_r x_{r,p}, the focus economy's own share of world output of p (国内替代能力).

Score (weighted geometric mean of max-normalised components, weights w_k summing to 1):

    score_i = Π_k (c_ki / max_j c_kj)^{w_k},  default w = (1/4, 1/8, 1/8, 1/4, 1/4)

so a supplier ranks high only if it is large for s, hard to replace abroad (concentrated world
supply and concentrated own imports), reaches far into s's production, and s has little capacity
of its own. ``world_hhi`` (the old, all-economy HHI including s) is kept as a comparison column:
it counts s's own output as if it were supplier concentration.

Non-tradables (非贸易部门). Foreign public administration, education, health, households, real
estate and similar services are bought by the focus economy only through residents abroad or
accounting conventions; they cannot be cut off by an export control. Sectors listed in
``non_tradables`` (default :data:`NON_TRADABLE_WIOD`, WIOD 35-sector codes) are not candidates;
they stay in the model. Pass ``non_tradables=()`` to rank every sector.

Rest of the world (其他地区). WIOD's ``RoW`` is an aggregate of every economy outside the 40
listed, not one supplier: it cannot be the target of one economy's export control. Every HHI keeps
RoW's output (or imports) in the denominator but leaves out RoW's own squared share — a lower
bound, exact if RoW is spread over many small producers; ``foreign_hhi_row_as_one`` (RoW counted as
one producer) is the upper bound, and ``foreign_rest_share`` / ``import_rest_share`` show how much
the bound leaves unresolved. Policy ``rest_of_world``:

* ``"flag"`` (default): RoW economy-sectors are scored and shown, marked ``rest_of_world = True``
  with the note "not attributable to one economy", but get no rank (``rank`` is missing);
* ``"exclude"``: RoW rows are left out of the output (they stay in the world model).

Scores are normalised over every scored row (RoW included), so both policies give identical
scores for identifiable suppliers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.chains._labels import (
    MRLabels,
    balance_vectors,
    check_top,
    mr_labels,
    resolve_economy,
    resolve_sector,
    rest_of_world_mask,
    sector_names,
)
from chainatlas.chains.dependence import _final_output
from chainatlas.errors import InputError, check_option
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as kio
from chainatlas.kernels import mrio
from chainatlas.validation import validate_params

__all__ = [
    "chokepoint_ranking",
    "chokepoint_rankings",
    "extraction_reach",
    "import_origins",
    "NON_TRADABLE_WIOD",
    "SCORE_COMPONENTS",
    "DEFAULT_WEIGHTS",
    "ROW_NOTE",
]

#: WIOD 2013 (35-sector) codes treated as non-tradable by default: utilities (c17, grid-bound),
#: construction (c18), motor-vehicle trade and repair (c19), retail (c21), hotels and restaurants
#: (c22), real estate (c29), public administration and defence (c31), education (c32), health and
#: social work (c33), other community and personal services (c34) and private households (c35).
NON_TRADABLE_WIOD: tuple[str, ...] = (
    "c17",
    "c18",
    "c19",
    "c21",
    "c22",
    "c29",
    "c31",
    "c32",
    "c33",
    "c34",
    "c35",
)

#: Score components, in the order of the ``weights`` argument.
SCORE_COMPONENTS: tuple[str, ...] = (
    "supply_share",
    "foreign_hhi",
    "import_hhi",
    "reach_share",
    "no_domestic_alternative",
)
DEFAULT_WEIGHTS: tuple[float, ...] = (0.25, 0.125, 0.125, 0.25, 0.25)

ROW_NOTE = "not attributable to one economy 无法归属于单一经济体"


@validate_params
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
    check_option("reach", reach, ("supply", "demand"))
    lab = mr_labels(table)
    economy = resolve_economy(lab, economy)
    weights = (lab.region == lab.economies.get_loc(economy)).astype(float)
    f, primary = balance_vectors(table)
    if reach == "supply":
        loss = mrio.supply_extraction_losses(table.G.to_numpy(), primary, weights)
    else:
        loss = kio.extraction_losses_single(table.L.to_numpy(), f, weights)
    return pd.Series(loss, index=table.labels, name="output_lost")


def import_origins(table: IOTable, economy: str) -> pd.Series:
    """The focus economy's imports of every foreign economy-sector (intermediate + final).

    m_i = Σ_{j∈s} Z[i, j] + Σ_{c∈s} Y[i, c] for i outside s; negative flows (net inventory
    draw-downs in Y) count as 0. Own (domestic) flows are 0.

    Returns
    -------
    Series, index (economy, sector), table unit

    Raises
    ------
    UnknownCodeError, FinalDemandBreakdownError
    """
    lab = mr_labels(table)
    economy = resolve_economy(lab, economy)
    r = lab.economies.get_loc(economy)
    cols = lab.region == r
    m = table.Z.to_numpy()[:, cols].sum(axis=1) + table.Y.to_numpy()[:, lab.y_region == r].sum(
        axis=1
    )
    m = np.where(cols, 0.0, np.clip(m, 0.0, None))
    return pd.Series(m, index=table.labels, name="imports")


def _by_region_sector(lab: MRLabels, values: np.ndarray) -> np.ndarray:
    X = np.zeros((lab.n_regions, lab.n_sectors))
    np.add.at(X, (lab.region, lab.sector), values)
    return X


def _check_weights(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    k = len(SCORE_COMPONENTS)
    if w.shape != (k,) or not np.isfinite(w).all() or (w < 0).any() or not np.isclose(w.sum(), 1):
        raise InputError(
            f"chokepoint weights must be {k} non-negative numbers summing to 1",
            received=weights,
            fix=f"one weight per component {list(SCORE_COMPONENTS)}, e.g. "
            f"weights={DEFAULT_WEIGHTS}",
        )
    return w


def _non_tradable_mask(lab: MRLabels, non_tradables: Sequence[str] | None) -> np.ndarray:
    """Boolean (n_sectors,): True for sectors left out of the candidates."""
    if non_tradables is None:
        codes = [c for c in NON_TRADABLE_WIOD if c in set(map(str, lab.sectors))]
    elif isinstance(non_tradables, str):
        raise InputError(
            "non_tradables must be a list of sector codes, not one string",
            received=non_tradables,
            fix="e.g. non_tradables=['c31', 'c32'] or non_tradables=() for none",
        )
    else:
        codes = [resolve_sector(lab, c) for c in non_tradables]
    return np.asarray(lab.sectors.astype(str).isin(codes))


def _components(
    table: IOTable, lab: MRLabels, economy: str, reach: str, lost: np.ndarray | None = None
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every component and comparison column for all n economy-sectors (focus included).

    `lost` (n,), when given, is the focus output lost per extraction (precomputed in a batch).
    """
    r = lab.economies.get_loc(economy)
    wf, mask = _final_output(table, lab, economy)
    _, t = mrio.requirements_of_final_output(table.A.to_numpy(), wf, lu=table.lu)
    x = table.x.to_numpy(dtype=float)
    agg = rest_of_world_mask(lab.economies)
    X = _by_region_sector(lab, x)
    world = X.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        dom = X[r] / world
        rest = X[agg].sum(axis=0) / world
    hhi_w, top1 = mrio.world_supply_concentration(
        x, lab.region, lab.sector, lab.n_regions, lab.n_sectors, aggregate=agg
    )
    f_hhi, f_hhi1, f_top1, f_rest = mrio.foreign_concentration(X, r, aggregate=agg)
    m = import_origins(table, economy).to_numpy()
    M = _by_region_sector(lab, m)
    i_hhi, _, i_top1, i_rest = mrio.foreign_concentration(M, r, aggregate=agg)
    if lost is None:
        lost = extraction_reach(table, economy, reach=reach).to_numpy()  # type: ignore[arg-type]
    with np.errstate(invalid="ignore", divide="ignore"):
        origin_share = m / M.sum(axis=0)[lab.sector]
    s = lab.sector
    cols = {
        "supply_share": t / t.sum(),
        "foreign_hhi": np.nan_to_num(f_hhi[s]),
        "import_hhi": np.nan_to_num(i_hhi[s]),
        "reach_share": lost / x[mask].sum(),
        "no_domestic_alternative": 1.0 - np.nan_to_num(dom[s]),
        "domestic_share": dom[s],
        "foreign_hhi_row_as_one": f_hhi1[s],
        "foreign_top1_share": f_top1[s],
        "foreign_rest_share": f_rest[s],
        "import_share_of_origin": origin_share,
        "import_top1_share": i_top1[s],
        "import_rest_share": i_rest[s],
        "world_hhi": hhi_w[s],
        "world_top1_share": top1[s],
        "world_rest_share": rest[s],
        "output_lost": lost,
        "total_value": t,
        "imports_value": m,
    }
    return cols, mask


def _keep_top(df: pd.DataFrame, top: int | None) -> pd.DataFrame:
    """The first `top` ranked rows, plus flagged RoW rows scoring at least as high."""
    if top is None:
        return df
    ranked = df["rank"].notna()
    cut = df.loc[ranked, "score"].iloc[min(top, int(ranked.sum())) - 1] if ranked.any() else np.inf
    keep = (ranked & (df["rank"] <= top)) | (~ranked & (df["score"] >= cut))
    return df[keep]


@validate_params
def chokepoint_ranking(
    table: IOTable,
    economy: str,
    *,
    reach: Literal["supply", "demand"] = "supply",
    weights: Sequence[float] = DEFAULT_WEIGHTS,
    top: int | None = None,
    rest_of_world: Literal["flag", "exclude"] = "flag",
    non_tradables: Sequence[str] | None = None,
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
    weights : sequence of 5 floats
        Weights of :data:`SCORE_COMPONENTS` (supply_share, foreign_hhi, import_hhi, reach_share,
        no_domestic_alternative); non-negative, summing to 1.
    top : int, optional
        Keep the first `top` ranked rows (and flagged RoW rows scoring as high).
    rest_of_world : {"flag", "exclude"}
        ``"flag"`` (default): RoW rows are shown, unranked, with ``note``; ``"exclude"``: left out.
    non_tradables : sequence of str, optional
        Sector codes that are not candidates. Default (None): :data:`NON_TRADABLE_WIOD` (the
        codes present in the table); ``()`` keeps every sector.

    Returns
    -------
    DataFrame, index (economy, sector) of foreign tradable economy-sectors, sorted by ``score``
        ``name_en``, ``name_zh``, ``score`` (0–1), ``rank`` (missing for RoW), the five
        components, ``domestic_share``, the comparison and bound columns
        (``foreign_hhi_row_as_one``, ``foreign_top1_share``, ``foreign_rest_share``,
        ``import_share_of_origin``, ``import_top1_share``, ``import_rest_share``, ``world_hhi``,
        ``world_top1_share``, ``world_rest_share``), ``output_lost``, ``total_value`` and
        ``imports_value`` (table unit), ``rest_of_world`` (bool) and ``note``.
        ``df.attrs["non_tradables"]`` lists the sectors left out.

    Raises
    ------
    UnknownCodeError
        Unknown economy, or an unknown code in `non_tradables`.
    InputError
        Invalid weights or `top`.
    FinalDemandBreakdownError
        If the table is not multi-region or Y has no destination economies.

    Examples
    --------
    >>> from chainatlas.chains.synthetic import random_multiregion_table
    >>> ck = chokepoint_ranking(random_multiregion_table(3, 4, seed=6), "R0", top=3)
    >>> ck["rank"].tolist()
    [1, 2, 3]
    """
    check_option("reach", reach, ("supply", "demand"))
    check_option("rest_of_world", rest_of_world, ("flag", "exclude"))
    check_top(top)
    w = _check_weights(weights)
    lab = mr_labels(table)
    economy = resolve_economy(lab, economy)
    nt = _non_tradable_mask(lab, non_tradables)
    cols, mask = _components(table, lab, economy, reach)
    return _rank(table, lab, cols, mask, w, nt, rest_of_world, top)


@validate_params
def chokepoint_rankings(
    table: IOTable,
    economies: Sequence[str],
    *,
    reach: Literal["supply", "demand"] = "supply",
    weights: Sequence[float] = DEFAULT_WEIGHTS,
    top: int | None = None,
    rest_of_world: Literal["flag", "exclude"] = "flag",
    non_tradables: Sequence[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """:func:`chokepoint_ranking` for several focus economies, the extractions done in one batch.

    Same parameters and result per economy as :func:`chokepoint_ranking` (identical numbers); the
    n extractions for all K economies share one matrix product
    (:func:`chainatlas.kernels.batched.extraction_losses_many`).

    Returns
    -------
    dict economy → DataFrame

    Raises
    ------
    UnknownCodeError, InputError, FinalDemandBreakdownError
        As :func:`chokepoint_ranking`.
    """
    from chainatlas.kernels.batched import extraction_losses_many

    check_option("reach", reach, ("supply", "demand"))
    check_option("rest_of_world", rest_of_world, ("flag", "exclude"))
    check_top(top)
    w = _check_weights(weights)
    lab = mr_labels(table)
    codes = [resolve_economy(lab, e) for e in economies]
    nt = _non_tradable_mask(lab, non_tradables)
    W = np.stack([lab.region == lab.economies.get_loc(e) for e in codes], axis=1).astype(float)
    f, primary = balance_vectors(table)
    if reach == "supply":
        lost = extraction_losses_many(np.ascontiguousarray(table.G.to_numpy().T), primary, W)
    else:
        lost = extraction_losses_many(table.L.to_numpy(), f, W)
    out = {}
    for k, e in enumerate(codes):
        cols, mask = _components(table, lab, e, reach, lost=lost[k])
        out[e] = _rank(table, lab, cols, mask, w, nt, rest_of_world, top)
    return out


def _rank(
    table: IOTable,
    lab: MRLabels,
    cols: dict[str, np.ndarray],
    mask: np.ndarray,
    w: np.ndarray,
    nt: np.ndarray,
    rest_of_world: str,
    top: int | None,
) -> pd.DataFrame:
    """Score the candidates, sort, rank the identifiable ones, apply the RoW policy and `top`."""
    is_row = rest_of_world_mask(lab.economies)[lab.region]
    cand = ~mask & ~nt[lab.sector]
    comps = np.vstack([cols[c][cand] for c in SCORE_COMPONENTS])
    score, _ = mrio.chokepoint_score(comps, w)
    df = pd.DataFrame({"score": score} | {k: v[cand] for k, v in cols.items()})
    df.index = table.labels[cand]
    df["rest_of_world"] = is_row[cand]
    df["note"] = np.where(df["rest_of_world"], ROW_NOTE, "")
    df = pd.concat([sector_names(table, df.index), df], axis=1)
    df = df.sort_values("score", ascending=False, kind="stable")
    rank = pd.Series(pd.NA, index=df.index, dtype="Int64")
    named = ~df["rest_of_world"].to_numpy()
    rank[named] = np.arange(1, int(named.sum()) + 1)
    df.insert(df.columns.get_loc("score") + 1, "rank", rank)
    if rest_of_world == "exclude":
        df = df[named]
    df = _keep_top(df, top)
    df.attrs["non_tradables"] = [str(s) for s in lab.sectors[nt]]
    return df
