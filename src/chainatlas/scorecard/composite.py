"""The composite scorecard (综合评分): Handbook steps on a units × indicators table.

Steps (OECD/JRC *Handbook on Constructing Composite Indicators*, 2008; COINr conventions):

1. **Missing data** (Handbook step 4), by the specification's policy — never silent, every
   treated cell is listed in :attr:`Scorecard.missing`:

   - ``"error"``: any missing value raises :class:`MissingDataError` naming unit and indicator;
   - ``"skip-and-reweight"``: the missing indicator is left out of that unit's pillar mean and
     the pillar's other weights are renormalised for that unit (COINr's default behaviour of
     aggregating available data); a unit with no observed indicator in a pillar raises;
   - ``"impute-mean"``: the missing value is replaced by the indicator's mean over the other
     units (before normalisation; Handbook "unconditional mean imputation").

2. **Direction**: "lower is better" indicators are negated, so higher is better everywhere.
3. **Normalisation** (step 5): min-max [0, 100], z-score, or rank (see
   :mod:`chainatlas.kernels.composite`); before a geometric mean the positive variants are used
   (min-max on [1, 100], 100 + 10 z, rank).
4. **Weighting and aggregation** (step 6): weighted arithmetic or geometric mean of the
   normalised indicators within each pillar, then of the three pillars (pillar weights) for
   the overall score. The overall score is only ever reported beside the three pillars.
5. **Uncertainty analysis** (step 7): a Monte Carlo over indicator and pillar weights drawn from
   Dirichlet distributions centred on the nominal weights, and over the normalisation and the
   aggregation (drawn uniformly from the allowed choices). Every unit gets the 5 % and 95 %
   quantiles of its rank on each pillar and overall.
6. **Correlation of each indicator with its pillar** (Pearson, across units, normalised
   indicator vs nominal pillar score): a low or negative value flags an indicator that does not
   move with its pillar (Handbook step 4 "multivariate analysis").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, UnknownCodeError, check_option, suggest
from chainatlas.kernels import composite as kc
from chainatlas.scorecard.spec import (
    PILLAR_NAMES,
    PILLARS,
    Aggregation,
    MissingPolicy,
    Normalisation,
    ScorecardSpec,
)
from chainatlas.validation import validate_params

__all__ = [
    "Scorecard",
    "MissingDataError",
    "TooFewUnitsError",
    "compute_scorecard",
    "MIN_UNITS",
]

#: a composite needs at least this many units (normalisation over fewer is meaningless)
MIN_UNITS = 3
Progress = Callable[[str, float | None], None]


class MissingDataError(InputError):
    """An indicator has no value for a unit under the ``error`` missing-data policy."""


class TooFewUnitsError(InputError):
    """Fewer than :data:`MIN_UNITS` units to compare."""


@dataclasses.dataclass(frozen=True)
class Scorecard:
    """Result of :func:`compute_scorecard` (all frames indexed by unit unless stated).

    Attributes
    ----------
    scores : DataFrame
        For each of ``breadth``, ``height``, ``toughness``, ``overall``: the score, ``<p>_rank``
        (1 = best), ``<p>_rank_p05``, ``<p>_rank_p95`` and ``<p>_rank_median`` from the Monte
        Carlo. Sorted by overall rank.
    raw : DataFrame
        Units × indicator ids: raw values in each indicator's unit (NaN = missing).
    normalised : DataFrame
        Units × indicator ids, after missing-data treatment, direction and normalisation.
    indicators : DataFrame
        Indexed by indicator id: ``pillar``, ``name_zh``, ``name_en``, ``direction``, ``unit``,
        ``source``, ``year``, ``weight`` (nominal, within pillar), ``corr_with_pillar``,
        ``n_missing``, ``formula``, ``note``.
    missing : DataFrame
        One row per treated missing cell: ``unit``, ``indicator``, ``action``.
    settings : dict
        Normalisation, aggregation, missing policy, pillar weights, Monte Carlo settings,
        specification name and version.
    """

    scores: pd.DataFrame
    raw: pd.DataFrame
    normalised: pd.DataFrame
    indicators: pd.DataFrame
    missing: pd.DataFrame
    settings: dict[str, Any]

    @property
    def units(self) -> list[str]:
        """Units in overall-rank order."""
        return [str(u) for u in self.scores.index]

    def resolve_unit(self, unit: str) -> str:
        """The unit label matching `unit` (exact, or case-insensitive).

        Raises
        ------
        UnknownCodeError
            Unknown unit, with the closest labels suggested.
        """
        labels = [str(u) for u in self.raw.index]
        if unit in labels:
            return unit
        low = {u.casefold(): u for u in labels}
        low.update({k.casefold(): v for k, v in self.settings.get("aliases", {}).items()})
        if unit.casefold() in low and low[unit.casefold()] in labels:
            return low[unit.casefold()]
        raise UnknownCodeError(
            f"unknown unit {unit!r} in this scorecard",
            received=unit,
            fix=suggest(unit, labels) + " Units: " + ", ".join(labels),
        )

    def explain(self, unit: str) -> pd.DataFrame:
        """How one unit's pillars are built, indicator by indicator.

        Returns
        -------
        DataFrame, one row per indicator (pillar order)
            ``pillar``, ``name_zh``, ``name_en``, ``raw``, ``unit``, ``year``, ``direction``,
            ``normalised``, ``weight`` (nominal within the pillar), ``effective_weight`` (after
            skip-and-reweight), ``contribution`` (effective weight × normalised value; for a
            geometric mean the factor ``normalised ** effective_weight``), ``missing_action``,
            ``pillar_score``, ``pillar_rank``, ``rank_among`` (this unit's rank on the
            indicator, 1 = best).

        Raises
        ------
        UnknownCodeError
            Unknown unit.
        """
        u = self.resolve_unit(unit)
        meta = self.indicators
        y = self.normalised.loc[u]
        obs = y.notna().to_numpy()
        w = meta["weight"].where(obs, 0.0)
        eff = w / w.groupby(meta["pillar"]).transform("sum")
        geometric = self.settings["aggregation"] == "geometric"
        contrib = y**eff if geometric else eff * y
        action = pd.Series("", index=meta.index)
        if len(self.missing):
            mine = self.missing[self.missing["unit"] == u]
            action.loc[mine["indicator"]] = mine["action"].to_numpy()
        oriented = self.normalised.rank(ascending=False, method="min")
        out = pd.DataFrame(
            {
                "pillar": meta["pillar"],
                "name_zh": meta["name_zh"],
                "name_en": meta["name_en"],
                "raw": self.raw.loc[u],
                "unit": meta["unit"],
                "year": meta["year"],
                "direction": meta["direction"],
                "normalised": y,
                "weight": meta["weight"],
                "effective_weight": eff,
                "contribution": contrib,
                "missing_action": action,
                "pillar_score": [self.scores.loc[u, p] for p in meta["pillar"]],
                "pillar_rank": [self.scores.loc[u, f"{p}_rank"] for p in meta["pillar"]],
                "rank_among": oriented.loc[u],
            }
        )
        out.index.name = "indicator"
        return out

    def table(self) -> pd.DataFrame:
        """One row per unit: pillars, overall, ranks with intervals, then each raw value."""
        raw = self.raw.reindex(self.scores.index)
        raw.columns = [f"raw:{c}" for c in raw.columns]
        return pd.concat([self.scores, raw], axis=1)


# ---------------------------------------------------------------------- steps
def _check_units(raw: pd.DataFrame) -> None:
    if len(raw.index) < MIN_UNITS:
        raise TooFewUnitsError(
            f"a scorecard compares at least {MIN_UNITS} units",
            received=f"{len(raw.index)} unit(s): {[str(u) for u in raw.index]}",
            fix="score a set of economies, provinces or years (e.g. wiod-2013:2011, "
            "china-provincial-io:2017)",
        )
    if raw.index.has_duplicates:
        raise InputError("duplicate unit labels", received=raw.index[raw.index.duplicated()])


def _treat_missing(
    raw: pd.DataFrame, policy: str, pillar_of: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the missing-data policy; return the treated table and the log of treated cells."""
    miss = raw.isna()
    cells = [(str(u), str(i)) for u, i in zip(*np.nonzero(miss.to_numpy()), strict=True)]
    cells = [(str(raw.index[int(u)]), str(raw.columns[int(i)])) for u, i in cells]
    if policy == "error" and cells:
        raise MissingDataError(
            f"{len(cells)} missing value(s) under the 'error' missing-data policy",
            received=cells[:10],
            fix="supply the data, or choose missing: skip-and-reweight or impute-mean",
        )
    treated = raw.copy()
    if policy == "impute-mean":
        treated = raw.fillna(raw.mean(axis=0))
        action = "imputed with the mean of the other units"
    else:
        action = "skipped; the pillar's other weights renormalised"
        for p in PILLARS:
            cols = [c for c in raw.columns if pillar_of[c] == p]
            empty = raw[cols].isna().all(axis=1)
            if empty.any():
                raise MissingDataError(
                    f"unit(s) with no observed indicator in pillar {p!r}",
                    received=[str(u) for u in raw.index[empty]],
                    fix="supply at least one indicator of the pillar, or drop the unit",
                )
    log = pd.DataFrame(cells, columns=["unit", "indicator"])
    log["action"] = action
    return treated, log


def _drop_unavailable(
    spec: ScorecardSpec, unavailable: dict[str, str], policy: str
) -> tuple[ScorecardSpec, dict[str, str]]:
    """Leave out indicators with no data at all (never under the ``error`` policy)."""
    gone = {i: r for i, r in unavailable.items() if i in spec.ids}
    if not gone:
        return spec, {}
    if policy == "error":
        raise MissingDataError(
            f"{len(gone)} indicator(s) have no data under the 'error' missing-data policy",
            received=gone,
            fix="supply the data, or choose missing: skip-and-reweight",
        )
    keep = [i for i in spec.indicators if i.id not in gone]
    for p in PILLARS:
        members = [i for i in keep if i.pillar == p]
        if not members:
            raise MissingDataError(
                f"pillar {p!r} has no indicator with data",
                received=gone,
                fix="supply the data of at least one indicator of the pillar",
            )
        total = sum(i.weight for i in members if i.weight is not None)
        if total and total != 1.0:
            keep = [
                dataclasses.replace(i, weight=i.weight / total) if i.pillar == p and i.weight else i
                for i in keep
            ]
    return spec.replace(indicators=tuple(keep)), gone


def _oriented(values: pd.DataFrame, spec: ScorecardSpec) -> np.ndarray:
    sign = np.array([-1.0 if i.direction == "lower" else 1.0 for i in spec.indicators])
    return values[spec.ids].to_numpy(dtype=float) * sign


def _normalise(X: np.ndarray, method: str, positive: bool, ids: list[str]) -> np.ndarray:
    try:
        return kc.normalise(X, method, positive=positive)
    except ValueError as err:
        obs = np.isfinite(X)
        bad = [
            i
            for k, i in enumerate(ids)
            if obs[:, k].sum() < 2 or np.nanmax(X[:, k]) == np.nanmin(X[:, k])
        ]
        raise InputError(
            f"cannot normalise the indicators ({method}): {err}",
            received=f"constant or nearly unobserved: {bad or ids}",
            fix="drop these indicators from the specification (they cannot discriminate)",
        ) from err


def _rank_intervals(ranks: np.ndarray, index: pd.Index) -> pd.DataFrame:
    cols: dict[str, np.ndarray] = {}
    for k, p in enumerate([*PILLARS, "overall"]):
        r = ranks[:, :, k]
        cols[f"{p}_rank_p05"] = np.quantile(r, 0.05, axis=0, method="inverted_cdf")
        cols[f"{p}_rank_median"] = np.quantile(r, 0.5, axis=0, method="inverted_cdf")
        cols[f"{p}_rank_p95"] = np.quantile(r, 0.95, axis=0, method="inverted_cdf")
    return pd.DataFrame(cols, index=index).astype(int)


def _correlations(Y: np.ndarray, pillars: np.ndarray, groups: np.ndarray) -> np.ndarray:
    out = np.full(groups.size, np.nan)
    for i, g in enumerate(groups):
        a, b = Y[:, i], pillars[:, g]
        ok = np.isfinite(a) & np.isfinite(b)
        if ok.sum() >= 3 and a[ok].std() > 0 and b[ok].std() > 0:
            out[i] = float(np.corrcoef(a[ok], b[ok])[0, 1])
    return out


def _indicator_meta(
    spec: ScorecardSpec, years: Mapping[str, Any], raw: pd.DataFrame
) -> pd.DataFrame:
    w = spec.indicator_weights()
    rows = [
        {
            "id": i.id,
            "pillar": i.pillar,
            "name_zh": i.name_zh,
            "name_en": i.name_en,
            "direction": i.direction,
            "unit": i.unit,
            "source": i.source,
            "year": years.get(i.id, i.year),
            "weight": w[i.id],
            "n_missing": int(raw[i.id].isna().sum()),
            "formula": i.formula,
            "note": i.note,
        }
        for i in spec.indicators
    ]
    return pd.DataFrame(rows).set_index("id")


@validate_params
def compute_scorecard(
    raw: pd.DataFrame,
    spec: ScorecardSpec,
    *,
    normalisation: Normalisation | None = None,
    aggregation: Aggregation | None = None,
    missing: MissingPolicy | None = None,
    n_draws: int = 1000,
    concentration: float = 5.0,
    seed: int = 20260101,
    mc_normalisations: tuple[str, ...] = kc.NORMALISATIONS,
    mc_aggregations: tuple[str, ...] = kc.AGGREGATIONS,
    years: Mapping[str, Any] | None = None,
    unavailable: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> Scorecard:
    """Compute the three pillars, the overall score and their Monte Carlo rank intervals.

    Parameters
    ----------
    raw : DataFrame
        Units × indicators (columns = the specification's indicator ids), raw values; NaN is a
        missing value.
    spec : ScorecardSpec
        Indicators, directions, weights and default methods.
    normalisation, aggregation, missing : str, optional
        Override the specification's defaults (see :mod:`chainatlas.scorecard.composite`).
    n_draws : int
        Monte Carlo draws (0 = none: intervals collapse to the nominal rank).
    concentration : float
        Dirichlet concentration per indicator (higher = weights closer to nominal).
    seed : int
        Random seed (results are reproducible).
    mc_normalisations, mc_aggregations : tuple of str
        Choices the Monte Carlo draws from.
    years : dict, optional
        Indicator id → data year actually used (overrides the specification's ``year``).
    unavailable : dict, optional
        Indicator id → reason, for indicators with no data for any unit (an input the pipeline
        could not provide). Under ``missing="error"`` this raises; otherwise the indicator is
        dropped, its pillar's other weights renormalised, and it is listed in
        ``settings["dropped"]`` and ``indicators`` (``status`` = ``"dropped: <reason>"``).
    progress : callable, optional
        ``progress(message, fraction)``.

    Returns
    -------
    Scorecard

    Raises
    ------
    TooFewUnitsError
        Fewer than 3 units.
    MissingDataError
        Missing values under the ``error`` policy, or a pillar with no data for a unit.
    InputError
        Columns that do not match the specification; constant indicators; bad options.
    """
    norm: str = normalisation or spec.normalisation
    agg: str = aggregation or spec.aggregation
    policy: str = missing or spec.missing
    check_option("normalisation", norm, kc.NORMALISATIONS)
    check_option("aggregation", agg, kc.AGGREGATIONS)
    check_option("missing", policy, ("error", "skip-and-reweight", "impute-mean"))
    if not (isinstance(n_draws, int) and n_draws >= 0) or not concentration > 0:
        raise InputError(
            "n_draws must be an integer ≥ 0 and concentration > 0",
            received=(n_draws, concentration),
        )
    for c in mc_normalisations:
        check_option("mc_normalisations", c, kc.NORMALISATIONS)
    for c in mc_aggregations:
        check_option("mc_aggregations", c, kc.AGGREGATIONS)
    progress = progress or (lambda _m, _f: None)
    _check_units(raw)
    extra = sorted(set(raw.columns) - set(spec.ids))
    lacking = [i for i in spec.ids if i not in raw.columns]
    if extra or lacking:
        raise InputError(
            "the indicator table does not match the specification",
            received=f"missing columns {lacking}, extra columns {extra}",
            fix="compute the table with chainatlas.scorecard.compute_indicators(spec, inputs)",
        )
    raw = raw[spec.ids].astype(float)
    full_spec = spec
    spec, dropped = _drop_unavailable(spec, dict(unavailable or {}), policy)
    raw = raw[spec.ids]
    treated, log = _treat_missing(raw, policy, spec.pillar_of)
    X = _oriented(treated, spec)
    groups = np.array([PILLARS.index(i.pillar) for i in spec.indicators])
    nominal = np.array([spec.indicator_weights()[i] for i in spec.ids])
    pw = np.array([spec.pillar_weights[p] for p in PILLARS])
    geometric = agg == "geometric"
    Y = _normalise(X, norm, geometric, spec.ids)
    pillars = kc.aggregate_groups(Y, nominal, groups, len(PILLARS), agg)
    overall = kc.combine(pillars, pw, agg)
    progress("scorecard: Monte Carlo", 0.3)
    Ys = {
        (n, a): _normalise(X, n, a == "geometric", spec.ids)
        for n in mc_normalisations
        for a in mc_aggregations
    }
    scores = pd.DataFrame(pillars, index=raw.index, columns=list(PILLARS))
    scores["overall"] = overall
    for p in [*PILLARS, "overall"]:
        scores[f"{p}_rank"] = kc.ranks_desc(scores[p].to_numpy())
    if n_draws > 0:
        ranks, _ = kc.monte_carlo(
            Ys, nominal, groups, len(PILLARS), pw, n_draws=n_draws,
            concentration=concentration, seed=seed,
        )  # fmt: skip
    else:
        ranks = scores[[f"{p}_rank" for p in [*PILLARS, "overall"]]].to_numpy()[None]
    scores = scores.join(_rank_intervals(ranks, raw.index))
    order = [
        f"{p}{s}"
        for p in [*PILLARS, "overall"]
        for s in ("", "_rank", "_rank_p05", "_rank_median", "_rank_p95")
    ]
    scores = scores[order].sort_values(["overall_rank", "overall"], ascending=[True, False])
    scores.index.name = "unit"
    meta = _indicator_meta(spec, years or {}, raw)
    meta["corr_with_pillar"] = _correlations(Y, pillars, groups)
    meta["status"] = "used"
    if dropped:
        gone = _indicator_meta(
            full_spec,
            years or {},
            pd.DataFrame(np.nan, index=raw.index, columns=full_spec.ids),
        ).loc[list(dropped)]
        gone["weight"] = 0.0
        gone["status"] = [f"dropped: {dropped[i]}" for i in gone.index]
        meta = pd.concat([meta, gone]).reindex(full_spec.ids)
    norm_frame = pd.DataFrame(Y, index=raw.index, columns=spec.ids)
    progress("scorecard: done", 1.0)
    return Scorecard(
        scores=scores,
        raw=raw,
        normalised=norm_frame,
        indicators=meta,
        missing=log,
        settings={
            "spec": spec.name,
            "version": spec.version,
            "normalisation": norm,
            "aggregation": agg,
            "missing": policy,
            "pillar_weights": dict(spec.pillar_weights),
            "dropped": dict(dropped),
            "pillar_names": {p: {"zh": z, "en": e} for p, (z, e) in PILLAR_NAMES.items()},
            "monte_carlo": {
                "n_draws": n_draws,
                "concentration": concentration,
                "seed": seed,
                "normalisations": list(mc_normalisations),
                "aggregations": list(mc_aggregations),
                "weights": "Dirichlet(concentration · k · w_nominal) per pillar and across pillars",
                "interval": "5 %–95 % quantiles of the rank over the draws",
            },
        },
    )
