"""Indicator formulas of the scorecard (指标公式), registered by name for the YAML specifications.

Every formula takes the ``inputs`` mapping a pipeline assembles (no loading here) plus the
indicator's ``params`` and returns a Series indexed by unit. What each formula reads:

* ``inputs["panel"]`` — a :class:`~chainatlas.scorecard.panel.SectorPanel`;
* ``inputs["mrio"]`` and ``inputs["units"]`` — the multi-region :class:`IOTable` (toughness of
  economies);
* ``inputs["eci"]`` — Series unit → ECI; ``inputs["innovation"]`` — DataFrame unit × variable;
  ``inputs["trade"]`` — DataFrame unit × (``IM``, ``IF``, ``use``); ``inputs["chain_completeness"]``
  — Series unit → share.

Formulas (x output, v value added, z inputs by product of all origins, s_us = x_us/Σ_s x_us):

=========================== ==============================================================
``category_completeness``   share of sectors with LQ_us = s_us / s_ws ≥ threshold (reference:
                            the sum of all units; default threshold 0.2)
``output_rca_count``        #sectors with LQ_us ≥ 1
``output_entropy``          −Σ_s s_us ln s_us / ln S (0–1)
``world_share_presence``    share of sectors with x_us / Σ_u x_us ≥ threshold (absolute presence)
``group_va_share``          Σ_{s∈G} v_us / Σ_s v_us
``group_output_share``      Σ_{s∈G} x_us / Σ_s x_us
``va_rate``                 Σ_{s∈G} v_us / Σ_{s∈G} x_us (e.g. manufacturing v/x)
``input_share``             Σ_{i∈G} Σ_s z_uis / Σ_i Σ_s z_uis (e.g. digital inputs)
``energy_intensity``        direct: Σ_{i∈E} Σ_s z_uis / Σ_s x_us; total: Σ_{i∈E} Σ_s T_uis f_us
                            / Σ_s f_us with T = L − I (energy products used in all rounds per
                            unit of final output)
``servitisation``           Σ_{i∈services} Σ_{s∈manuf} z_uis / Σ_i Σ_{s∈manuf} z_uis
``import_dependence``       foreign share of total intermediate requirements t = (L − I) w, w =
                            the economy's final output (multi-region)
``foreign_supplier_hhi``    Σ_r (t_r / Σ_{r'≠u} t_r')² over foreign origins r (rest-of-world
                            aggregates left out of the squares, kept in the denominator)
``chokepoint_exposure``     share of total requirements supplied by the economy's top-k
                            foreign chokepoints (:func:`chainatlas.chains.chokepoint_ranking`)
``worst_extraction_loss``   max over foreign economy-sectors of the economy's output lost when
                            that supplier alone is extracted (Ghosh), as a share of its output
``column``                  a column of ``inputs[key]`` (ECI, innovation variables, chain
                            completeness), optionally divided by another column
``foreign_import_share``    ΣIM / Σuse (provinces: imports from abroad over total use)
``domestic_external_share`` ΣIF / (ΣIF + ΣIM) (provinces: share of external supply from
                            other provinces)
=========================== ==============================================================
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, LabelError

__all__ = ["REGISTRY", "Formula", "register", "compute_indicators", "Unavailable"]

Inputs = Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class Formula:
    """A registered indicator formula and the inputs it reads."""

    name: str
    function: Callable[..., pd.Series]
    requires: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Unavailable:
    """An input the pipeline could not provide, with the reason (shown in the output)."""

    reason: str


#: formula name → :class:`Formula`
REGISTRY: dict[str, Formula] = {}


def register(name: str, *, requires: tuple[str, ...]) -> Callable:
    """Register an indicator formula under `name` (decorator)."""

    def deco(fn: Callable[..., pd.Series]) -> Callable[..., pd.Series]:
        REGISTRY[name] = Formula(name, fn, requires)
        return fn

    return deco


def _shares(x: np.ndarray) -> np.ndarray:
    tot = x.sum(axis=1, keepdims=True)
    return np.divide(x, tot, out=np.zeros_like(x), where=tot > 0)


def _lq(x: np.ndarray) -> np.ndarray:
    """Location quotients of output, reference = the sum of all units (sectors as given)."""
    s = _shares(x)
    world = x.sum(axis=0)
    ws = world / world.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ws > 0, s / np.where(ws > 0, ws, 1.0), np.nan)


def _sector_subset(panel: Any, exclude: tuple[str, ...] | list[str]) -> np.ndarray:
    keep = ~panel.sectors.isin(list(exclude))
    return keep & (panel.x.sum(axis=0) > 0)


@register("category_completeness", requires=("panel",))
def category_completeness(
    inputs: Inputs, *, threshold: float = 0.2, exclude: tuple[str, ...] = ()
) -> pd.Series:
    """Share of classified sectors with LQ ≥ `threshold` (sectors with no output anywhere and
    `exclude` are left out of the count)."""
    p = inputs["panel"]
    keep = _sector_subset(p, exclude)
    lq = _lq(p.x[:, keep])
    return p.series((lq >= threshold).mean(axis=1), "category_completeness")


@register("output_rca_count", requires=("panel",))
def output_rca_count(
    inputs: Inputs, *, threshold: float = 1.0, exclude: tuple[str, ...] = ()
) -> pd.Series:
    """Number of sectors with output LQ (RCA in output) ≥ `threshold`."""
    p = inputs["panel"]
    keep = _sector_subset(p, exclude)
    return p.series((_lq(p.x[:, keep]) >= threshold).sum(axis=1), "output_rca_count")


@register("world_share_presence", requires=("panel",))
def world_share_presence(
    inputs: Inputs, *, threshold: float = 0.005, exclude: tuple[str, ...] = ()
) -> pd.Series:
    """Share of sectors in which the unit produces at least `threshold` of the units' total
    output of the sector (absolute presence: a large economy has every industry at scale even
    where its LQ is below 1).

    Parameters
    ----------
    inputs : mapping
        ``inputs["panel"]``, a :class:`~chainatlas.scorecard.panel.SectorPanel`.
    threshold : float
        Smallest share x_us / Σ_u x_us that counts as presence (default 0.5 %).
    exclude : tuple of str
        Sector codes left out of the count (e.g. WIOD c35 private households).

    Returns
    -------
    Series
        Unit → share of the counted sectors in [0, 1].
    """
    p = inputs["panel"]
    keep = _sector_subset(p, exclude)
    x = p.x[:, keep]
    share = x / x.sum(axis=0, keepdims=True)
    return p.series((share >= threshold).mean(axis=1), "world_share_presence")


@register("output_entropy", requires=("panel",))
def output_entropy(inputs: Inputs, *, exclude: tuple[str, ...] = ()) -> pd.Series:
    """Shannon entropy of the output mix divided by ln S (1 = output spread evenly)."""
    p = inputs["panel"]
    keep = _sector_subset(p, exclude)
    s = _shares(p.x[:, keep])
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.where(s > 0, s * np.log(np.where(s > 0, s, 1.0)), 0.0).sum(axis=1)
    return p.series(h / np.log(keep.sum()), "output_entropy")


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


@register("group_va_share", requires=("panel",))
def group_va_share(inputs: Inputs, *, group: str) -> pd.Series:
    """Share of the group's sectors in total value added."""
    p = inputs["panel"]
    m = p.mask(group)
    return p.series(_ratio(p.v[:, m].sum(axis=1), p.v.sum(axis=1)), f"{group}_va_share")


@register("group_output_share", requires=("panel",))
def group_output_share(inputs: Inputs, *, group: str) -> pd.Series:
    """Share of the group's sectors in total gross output."""
    p = inputs["panel"]
    m = p.mask(group)
    return p.series(_ratio(p.x[:, m].sum(axis=1), p.x.sum(axis=1)), f"{group}_output_share")


@register("va_rate", requires=("panel",))
def va_rate(inputs: Inputs, *, group: str = "manufacturing") -> pd.Series:
    """Value-added rate v/x of the group's sectors taken together."""
    p = inputs["panel"]
    m = p.mask(group)
    return p.series(_ratio(p.v[:, m].sum(axis=1), p.x[:, m].sum(axis=1)), f"{group}_va_rate")


@register("input_share", requires=("panel",))
def input_share(inputs: Inputs, *, group: str, of: str | None = None) -> pd.Series:
    """Share of the group's products in all intermediate inputs (of the `of` sectors)."""
    p = inputs["panel"]
    rows = p.mask(group)
    cols = p.mask(of) if of else np.ones(p.sectors.size, dtype=bool)
    z = p.z[:, :, cols]
    return p.series(_ratio(z[:, rows, :].sum(axis=(1, 2)), z.sum(axis=(1, 2))), "input_share")


@register("energy_intensity", requires=("panel",))
def energy_intensity(inputs: Inputs, *, kind: str = "direct", group: str = "energy") -> pd.Series:
    """Energy products used per unit of output: direct (A) or in all rounds (L − I)."""
    p = inputs["panel"]
    e = p.mask(group)
    if kind == "direct":
        return p.series(_ratio(p.z[:, e, :].sum(axis=(1, 2)), p.x.sum(axis=1)), "energy_direct")
    if kind != "total" or p.total is None:
        raise InputError(
            "energy_intensity kind must be 'direct' or 'total' (needs L)", received=kind
        )
    per_sector = p.total[:, e, :].sum(axis=1)  # units × sectors
    f = np.maximum(p.f, 0.0)
    return p.series(_ratio((per_sector * f).sum(axis=1), f.sum(axis=1)), "energy_total")


@register("servitisation", requires=("panel",))
def servitisation(inputs: Inputs, *, of: str = "manufacturing") -> pd.Series:
    """Service share of the intermediate inputs of manufacturing (all origins)."""
    return input_share(inputs, group="services", of=of).rename("servitisation")


@register("column", requires=())
def column(
    inputs: Inputs, *, key: str, name: str | None = None, per: str | None = None, scale: float = 1.0
) -> pd.Series:
    """A column of ``inputs[key]`` (or the Series itself), optionally ``/ per`` and × `scale`."""
    data = inputs[key]
    if isinstance(data, pd.Series):
        s = data.astype(float)
    else:
        if name not in data.columns:
            raise LabelError(f"no column {name!r} in input {key!r}", received=list(data.columns))
        s = data[name].astype(float)
        if per is not None:
            s = s / data[per].astype(float)
    return s * scale


# ---------------------------------------------------------------------- toughness (MRIO)
def _mrio_cache(inputs: Inputs) -> dict[str, Any]:
    cache = inputs.get("_cache")
    if cache is None:
        raise InputError("inputs need a '_cache' dict for MRIO indicators", fix="pass _cache={}")
    if "requirements" not in cache:
        cache["requirements"] = _requirements(inputs["mrio"], list(inputs["units"]))
    return cache


def _requirements(table: Any, units: list[str]) -> dict[str, Any]:
    """t = (L − I) w for every focus economy at once (columns), and the region index."""
    import scipy.linalg as sla  # type: ignore[import-untyped]

    from chainatlas.chains._labels import balance_vectors, mr_labels, rest_of_world_mask

    lab = mr_labels(table)
    f, _ = balance_vectors(table)
    idx = [lab.economies.get_loc(u) for u in units]
    W = np.zeros((table.n, len(units)))
    for k, r in enumerate(idx):
        m = lab.region == r
        W[m, k] = f[m]
    T = sla.lu_solve(table.lu, W, check_finite=False) - W
    by_origin = np.zeros((lab.n_regions, len(units)))
    np.add.at(by_origin, lab.region, T)
    return {
        "T": T,
        "by_origin": by_origin,
        "region_index": np.array(idx),
        "row_mask": rest_of_world_mask(lab.economies),
    }


@register("import_dependence", requires=("mrio", "units"))
def import_dependence(inputs: Inputs) -> pd.Series:
    """Foreign share of each economy's total intermediate requirements (multi-region L)."""
    c = _mrio_cache(inputs)["requirements"]
    B, idx = c["by_origin"], c["region_index"]
    dom = B[idx, np.arange(idx.size)]
    return pd.Series(1.0 - dom / B.sum(axis=0), index=list(inputs["units"]))


@register("foreign_supplier_hhi", requires=("mrio", "units"))
def foreign_supplier_hhi(inputs: Inputs) -> pd.Series:
    """HHI of foreign origins of total intermediate requirements (foreign suppliers only).

    A local implementation (the chokepoint engineer's foreign-only HHI replaces it when it
    lands): origins r ≠ u; rest-of-world aggregates stay in the denominator but not in the
    squares, so the value is a lower bound, as in :mod:`chainatlas.chains.chokepoints`.
    """
    c = _mrio_cache(inputs)["requirements"]
    B, idx = c["by_origin"].copy(), c["region_index"]
    B[idx, np.arange(idx.size)] = 0.0
    shares = B / B.sum(axis=0)
    shares[c["row_mask"], :] = 0.0
    return pd.Series((shares**2).sum(axis=0), index=list(inputs["units"]))


def _chokepoints(inputs: Inputs) -> dict[str, pd.DataFrame]:
    """Every economy's foreign chokepoints at once: :func:`chainatlas.chains.chokepoint_rankings`
    (defaults: supply reach, foreign-only concentration, non-tradables out, RoW excluded),
    batched over economies (one Schur update for all; pinned against the single ranking)."""
    cache = _mrio_cache(inputs)
    if "chokepoints" not in cache:
        cache["chokepoints"] = _chokepoints_batched(inputs["mrio"], list(inputs["units"]), cache)
    return cache["chokepoints"]


def _chokepoints_batched(table: Any, units: list[str], cache: dict) -> dict[str, pd.DataFrame]:
    from chainatlas.chains.chokepoints import chokepoint_rankings

    del cache
    return chokepoint_rankings(table, units, rest_of_world="exclude")


@register("chokepoint_exposure", requires=("mrio", "units"))
def chokepoint_exposure(inputs: Inputs, *, top: int = 10) -> pd.Series:
    """Share of total requirements supplied by the economy's top-`top` foreign chokepoints."""
    ranks = _chokepoints(inputs)
    return pd.Series({u: float(r["supply_share"].head(top).sum()) for u, r in ranks.items()})


@register("worst_extraction_loss", requires=("mrio", "units"))
def worst_extraction_loss(inputs: Inputs) -> pd.Series:
    """Largest share of the economy's output lost when one foreign supplier is extracted."""
    ranks = _chokepoints(inputs)
    return pd.Series({u: float(r["reach_share"].max()) for u, r in ranks.items()})


# ---------------------------------------------------------------------- toughness (provinces)
@register("foreign_import_share", requires=("trade",))
def foreign_import_share(inputs: Inputs) -> pd.Series:
    """Imports from abroad over total use (intermediate + final) of products."""
    t = inputs["trade"]
    return (t["IM"] / t["use"]).astype(float)


@register("domestic_external_share", requires=("trade",))
def domestic_external_share(inputs: Inputs) -> pd.Series:
    """Inflows from other provinces over all external supply (inflows + imports)."""
    t = inputs["trade"]
    return (t["IF"] / (t["IF"] + t["IM"])).astype(float)


# ---------------------------------------------------------------------- driver
def compute_indicators(
    spec: Any, inputs: Inputs
) -> tuple[pd.DataFrame, dict[str, Any], dict[str, str]]:
    """Evaluate every indicator of a specification on the pipeline's inputs.

    Parameters
    ----------
    spec : ScorecardSpec
    inputs : mapping
        What the formulas read (see the module docs), plus ``units`` (the unit labels, in order)
        and ``year`` (the data year, for indicators whose ``year`` is ``"table"``); optionally
        ``year_of`` (indicator id → the year actually used, when it differs) and
        ``unavailable_indicators`` (indicator id → reason it cannot be computed). An input may
        be an :class:`Unavailable`: indicators needing it are NaN for every unit, and the reason
        is returned (the missing-data policy then decides: ``error`` raises).

    Returns
    -------
    raw : DataFrame
        Units × indicator ids.
    years : dict
        Indicator id → data year.
    unavailable : dict
        Indicator id → reason, for indicators whose input was unavailable.
    """
    units = pd.Index([str(u) for u in inputs["units"]], name="unit")
    cols: dict[str, pd.Series] = {}
    years: dict[str, Any] = {}
    unavailable: dict[str, str] = {}
    told = dict(inputs.get("unavailable_indicators", {}))
    year_of = dict(inputs.get("year_of", {}))
    for ind in spec.indicators:
        f = REGISTRY[ind.formula]
        needs = set(f.requires) | ({ind.params["key"]} if "key" in ind.params else set())
        gone = [g for g in (inputs.get(k) for k in needs) if isinstance(g, Unavailable)]
        absent = [k for k in needs if k not in inputs]
        years[ind.id] = inputs.get("year") if ind.year == "table" else ind.year
        if ind.id in year_of and year_of[ind.id] is not None:
            years[ind.id] = year_of[ind.id]
        if ind.id in told:
            gone.append(Unavailable(told[ind.id]))
        if gone or absent:
            unavailable[ind.id] = "; ".join(
                [g.reason for g in gone] + [f"no input {a!r}" for a in absent]
            )
            cols[ind.id] = pd.Series(np.nan, index=units)
            continue
        s = f.function(inputs, **dict(ind.params))
        s.index = s.index.astype(str)
        cols[ind.id] = s.reindex(units)
    return pd.DataFrame(cols, index=units), years, unavailable
