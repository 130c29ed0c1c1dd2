"""Maturity scoring (数字化水平评分), vectorised over firms.

For a batch of ``n`` firms, each item's answers are one array; every step below is a numpy
operation over all firms at once (the Python loops run over the framework's items and rules,
never over firms):

* item points — numeric band: ``points[searchsorted(band edges, value, 'right')]``; single choice:
  ``option_points[code]``; multi-select: ``Σ_k bit_k(mask) · points_k`` (additive); trend:
  ``points × {0, ½, 1}[code]``; 0–5 scale: ``points × answer / 5``;
* sub-dimension and dimension points — sums of their items;
* total — ``Σ dimensions`` (MIIT) or ``mean_d(dimension_d / max_d) × 100`` (EU DMA);
* level — the highest level whose band the total reaches (MIIT: 20/40/60/80 inclusive; EU DMA:
  above 25/50/75), then capped by every enabled level rule the firm fails (a rule for level L caps
  at L − 1), e.g. the unverified MIIT rule "level 3 needs ≥ 6 scenes at level 3, ≥ 3 of them key";
* dimension profile — each dimension's points as a share of its maximum (0–100 %).

Sources: MIIT 《中小企业数字化水平评测指标（2024年版）》 (工信厅企业〔2024〕56号), structure as in the
public platform questionnaire; EU JRC Digital Maturity Assessment for EDIHs. See docs/sme.md.

Examples
--------
>>> import pandas as pd
>>> from chainatlas.sme.schema import load_framework
>>> fw = load_framework("eu-dma")
>>> answers = {it.id: (5 if it.type == "scale_0_5" else "none") for it in fw.items}
>>> answers.update({it.id: "made" for it in fw.items if it.id.startswith("invest_")})
>>> answers.update({it.id: "yes" for it in fw.items if it.id.startswith("practice_")})
>>> s = score_assessments(pd.DataFrame([{"firm_id": "A", **answers}]), fw)
>>> s.dimensions.round(2).loc["A"].tolist()
[50.0, 50.0, 0.0, 0.0, 100.0, 50.0]
>>> round(float(s.totals["A"]), 4), int(s.levels["A"])
(41.6667, 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, check_option
from chainatlas.sme.answers import EncodedAnswers, encode_answers
from chainatlas.sme.schema import TREND_ANSWERS, Framework, Item, LevelRule
from chainatlas.validation import validate_params

__all__ = ["MaturityScores", "score_assessments", "item_points", "rule_passes", "concat_scores"]

_EPS = 1e-9


# ----------------------------------------------------------------------------------------------
# array functions (pure: arrays in, arrays out)
# ----------------------------------------------------------------------------------------------
def item_points(item: Item, values: np.ndarray, params: dict[str, float]) -> np.ndarray:
    """Points of one item for every firm, shape ``(n,)`` float64.

    Parameters
    ----------
    item : Item
        A scored item (not a scene level).
    values : ndarray, shape (n,)
        Encoded answers (see :class:`~chainatlas.sme.answers.EncodedAnswers`).
    params : dict
        Framework parameter values (e.g. ``planned_investment_weight``).

    Examples
    --------
    >>> from chainatlas.sme.schema import load_framework
    >>> it = load_framework("miit-2024").item_index["equipment_digital_rate"]
    >>> item_points(it, np.array([0.0, 9.99, 10.0, 39.9, 40.0, 60.0, 100.0]), {}).tolist()
    [0.0, 0.0, 1.5, 3.0, 4.5, 6.0, 6.0]
    """
    t = item.type
    if t == "numeric_band":
        edges = np.array([b.min for b in item.bands[1:]], dtype=np.float64)
        pts = np.array([b.points for b in item.bands], dtype=np.float64)
        return pts[np.searchsorted(edges, values, side="right")]
    if t == "single_choice":
        pts = np.array([o.points * (params[o.param] if o.param else 1.0) for o in item.options])
        return pts[values.astype(np.intp)]
    if t == "multi_select":
        # additive: Σ_k bit_k · points_k, evaluated as one 256-entry lookup per byte of the mask
        pts = np.array([o.points * (params[o.param] if o.param else 1.0) for o in item.options])
        nbytes = (len(pts) + 7) // 8
        pts = np.pad(pts, (0, nbytes * 8 - len(pts)))
        bits = (np.arange(256)[:, None] >> np.arange(8)) & 1  # (256, 8)
        tables = bits @ pts.reshape(nbytes, 8).T  # (256, nbytes)
        by = np.ascontiguousarray(values, dtype="<u8").view(np.uint8).reshape(-1, 8)
        out = tables[by[:, 0], 0].copy()
        for b in range(1, nbytes):
            out += tables[by[:, b], b]
        return out
    if t == "trend":
        share = np.array(list(TREND_ANSWERS.values()), dtype=np.float64)
        return item.points * share[values.astype(np.intp)]
    if t == "scale_0_5":
        return item.points * values.astype(np.float64) / 5.0
    raise InputError(
        f"item {item.id!r} of type {t!r} carries no points",
        fix="score scene items with rule_passes",
    )


def rule_passes(
    rule: LevelRule, scene_levels: np.ndarray, scene_ids: list[str], key: np.ndarray
) -> np.ndarray:
    """Whether each firm meets a scene-level rule, shape ``(n,)`` bool.

    Parameters
    ----------
    rule : LevelRule
    scene_levels : ndarray, shape (n, n_scenes)
        Scene levels 1–4.
    scene_ids : list of str
        Column ids of `scene_levels`.
    key : ndarray of bool, shape (n_scenes,)
        Key-scene flags.
    """
    if rule.scenes is not None:
        cols = np.array([scene_ids.index(s) for s in rule.scenes], dtype=np.intp)
    elif rule.kind == "scenes_all_at_level":
        cols = np.flatnonzero(key)
    else:
        cols = np.arange(len(scene_ids))
    at = scene_levels[:, cols] >= rule.min_level
    if rule.kind == "scenes_all_at_level":
        return at.all(axis=1)
    enough = at.sum(axis=1) >= rule.count
    if rule.key_count:
        enough &= at[:, key[cols]].sum(axis=1) >= rule.key_count
    return enough


def _base_levels(total: np.ndarray, fw: Framework) -> np.ndarray:
    level = np.zeros(total.shape[0], dtype=np.int8)
    for lv in fw.levels:
        reached = total >= lv.min_score - _EPS if lv.inclusive else total > lv.min_score + _EPS
        level += reached.astype(np.int8)
    return level


# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MaturityScores:
    """Scores of a batch of firms against one framework (immutable).

    Attributes
    ----------
    framework : Framework
    firm_ids : Index, length n
    meta : DataFrame
        Meta columns of the answers (province, industry, size, wave...).
    item_matrix : ndarray, shape (n, n_scored_items), float32
        Points per scored item.
    scene_matrix : ndarray, shape (n, n_scenes), int8
        Scene levels 1–4.
    sub_matrix : ndarray, shape (n, n_subdimensions), float64
    dim_matrix : ndarray, shape (n, n_scored_dimensions), float64
    total : ndarray, shape (n,), float64
        0–100.
    base_level, level : ndarray, shape (n,), int8
        Level from the score bands alone, and after the level rules (0 = below level 1).
    cap_rule : ndarray, shape (n,), int8
        Index into ``applied_rules`` of the rule that capped the level, -1 when none did.
    applied_rules : tuple of LevelRule
    params : dict
    """

    framework: Framework
    firm_ids: pd.Index
    meta: pd.DataFrame
    item_matrix: np.ndarray
    scene_matrix: np.ndarray
    sub_matrix: np.ndarray
    dim_matrix: np.ndarray
    total: np.ndarray
    base_level: np.ndarray
    level: np.ndarray
    cap_rule: np.ndarray
    applied_rules: tuple[LevelRule, ...]
    params: dict[str, float]
    provenance: Any = field(default=None)
    answers: EncodedAnswers | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        """Number of firms."""
        return len(self.firm_ids)

    def _frame(self, data: np.ndarray, cols: list[str], name: str) -> pd.DataFrame:
        return pd.DataFrame(data, index=self.firm_ids, columns=pd.Index(cols, name=name))

    @cached_property
    def totals(self) -> pd.Series:
        """Total score per firm (0–100)."""
        return pd.Series(self.total, index=self.firm_ids, name="total")

    @cached_property
    def levels(self) -> pd.Series:
        """Level per firm (0 = below level 1, 1–4)."""
        return pd.Series(self.level, index=self.firm_ids, name="level")

    @cached_property
    def items(self) -> pd.DataFrame:
        """Points per scored item, shape (n, n_scored_items)."""
        return self._frame(self.item_matrix, [it.id for it in self.framework.scored_items], "item")

    @cached_property
    def subdimensions(self) -> pd.DataFrame:
        """Points per sub-dimension, shape (n, n_subdimensions)."""
        return self._frame(
            self.sub_matrix, [s.id for s in self.framework.scored_subdimensions], "subdimension"
        )

    @cached_property
    def dimensions(self) -> pd.DataFrame:
        """Points per scored dimension, shape (n, n_dimensions)."""
        return self._frame(
            self.dim_matrix, [d.id for d in self.framework.scored_dimensions], "dimension"
        )

    @cached_property
    def profile(self) -> pd.DataFrame:
        """Dimension profile: each dimension's points as % of its maximum, shape (n, n_dimensions)."""
        maxima = np.array([d.points for d in self.framework.scored_dimensions], dtype=np.float64)
        return self._frame(
            self.dim_matrix / maxima * 100.0, list(self.dimensions.columns), "dimension"
        )

    @cached_property
    def scenes(self) -> pd.DataFrame:
        """Scene levels 1–4, shape (n, n_scenes) (no columns for frameworks without scenes)."""
        return self._frame(self.scene_matrix, [it.id for it in self.framework.scene_items], "scene")

    @cached_property
    def reasons(self) -> pd.Series:
        """Why each firm has its level, in words (English; see :meth:`explain` for both languages)."""
        fw = self.framework
        total = pd.Series(np.round(self.total, 2), index=self.firm_ids).astype(str)
        band = pd.Series(self.base_level, index=self.firm_ids).map(
            {
                0: f"below {fw.levels[0].min_score:g}",
                **{lv.id: f"≥ {lv.min_score:g} → {lv.name.en}" for lv in fw.levels},
            }
        )
        text = "score " + total + " (" + band + ")"
        capped = pd.Series(self.cap_rule, index=self.firm_ids)
        for k, r in enumerate(self.applied_rules):
            m = (capped == k).to_numpy()
            if m.any():
                tag = "" if r.verified else " [unverified rule]"
                text[m] = (
                    text[m]
                    + f"; capped at {fw.level_name(r.level - 1, 'en')} by rule {r.id}{tag}: {r.description.en}"
                )
        return text.rename("reason")

    def to_frame(self, *, reasons: bool = True) -> pd.DataFrame:
        """One row per firm: total, level, level name, dimension points and profile, reason."""
        fw = self.framework
        names = {
            i: fw.level_name(i, "zh") + " / " + fw.level_name(i, "en")
            for i in range(len(fw.levels) + 1)
        }
        out = pd.DataFrame(
            {
                "total": self.total,
                "level": self.level,
                "level_name": pd.Series(self.level).map(names).to_numpy(),
            },
            index=self.firm_ids,
        )
        out = out.join(self.dimensions.add_prefix("points_")).join(self.profile.add_prefix("pct_"))
        if reasons:
            out["reason"] = self.reasons
        return out

    def subset(self, mask: np.ndarray) -> MaturityScores:
        """The firms where boolean `mask` (shape (n,)) is true, as a new MaturityScores."""
        from dataclasses import replace

        m = np.asarray(mask, dtype=bool)
        ans = self.answers
        if ans is not None:
            ans = EncodedAnswers(
                framework=ans.framework,
                firm_ids=ans.firm_ids[m],
                meta=ans.meta[m],
                values={k: v[m] for k, v in ans.values.items()},
                provenance=ans.provenance,
            )
        return replace(
            self,
            firm_ids=self.firm_ids[m],
            meta=self.meta[m],
            item_matrix=self.item_matrix[m],
            scene_matrix=self.scene_matrix[m],
            sub_matrix=self.sub_matrix[m],
            dim_matrix=self.dim_matrix[m],
            total=self.total[m],
            base_level=self.base_level[m],
            level=self.level[m],
            cap_rule=self.cap_rule[m],
            answers=ans,
        )

    def position(self, firm_id: str) -> int:
        """Row number of `firm_id` (raises :class:`InputError` naming close ids when absent)."""
        from chainatlas.errors import UnknownCodeError, suggest

        loc = self.firm_ids.get_indexer([firm_id])[0]
        if loc < 0:
            raise UnknownCodeError(
                f"firm {firm_id!r} is not in these scores",
                received=firm_id,
                fix=suggest(str(firm_id), map(str, self.firm_ids[:5000])),
            )
        return int(loc)

    def explain(self, firm_id: str) -> dict[str, Any]:
        """Everything about one firm's level: score, band, each rule checked (with its verified flag)."""
        fw = self.framework
        i = self.position(firm_id)
        scene_ids = [it.id for it in fw.scene_items]
        key = np.array([bool(it.key) for it in fw.scene_items], dtype=bool)
        checks = []
        for k, r in enumerate(self.applied_rules):
            ok = bool(rule_passes(r, self.scene_matrix[i : i + 1], scene_ids, key)[0])
            checks.append(
                {
                    "rule": r.id,
                    "for_level": r.level,
                    "passed": ok,
                    "capped": int(self.cap_rule[i]) == k,
                    "verified": r.verified,
                    "description": r.description.model_dump(),
                }
            )
        lvl = int(self.level[i])
        return {
            "firm_id": firm_id,
            "framework": fw.id,
            "total": float(self.total[i]),
            "band_level": int(self.base_level[i]),
            "level": lvl,
            "level_name": {"zh": fw.level_name(lvl, "zh"), "en": fw.level_name(lvl, "en")},
            "rules": checks,
            "reason": str(self.reasons.iloc[i]),
            "params": dict(self.params),
        }


@validate_params
def score_assessments(
    answers: pd.DataFrame | EncodedAnswers,
    framework: Framework,
    *,
    params: dict[str, float] | None = None,
    unverified_rules: Literal["apply", "ignore"] = "apply",
) -> MaturityScores:
    """Score a batch of firms: item, sub-dimension, dimension and total points; level with reason.

    Parameters
    ----------
    answers : DataFrame or EncodedAnswers
        A batch table (validated and encoded with :func:`~chainatlas.sme.answers.encode_answers`)
        or already encoded answers.
    framework : Framework
        A complete framework (see :func:`~chainatlas.sme.schema.load_framework`).
    params : dict, optional
        Framework parameters, e.g. ``{"planned_investment_weight": 1.0}`` for the EU DMA.
    unverified_rules : {"apply", "ignore"}
        Whether enabled level rules marked ``verified: false`` cap levels (default: apply, and the
        reason says the rule is unverified).

    Returns
    -------
    MaturityScores
        Arrays of shape (n,), (n, items), (n, sub-dimensions), (n, dimensions); points in the
        framework's units, total 0–100.

    Raises
    ------
    AnswerError, DuplicateFirmError
        From validation (see :func:`~chainatlas.sme.answers.encode_answers`).
    FrameworkError
        Incomplete framework, unknown parameter, or answers encoded for another framework.
    """
    check_option("unverified_rules", unverified_rules, ("apply", "ignore"))
    from chainatlas.sme.schema import FrameworkError

    enc = answers if isinstance(answers, EncodedAnswers) else encode_answers(answers, framework)
    if enc.framework.id != framework.id or enc.framework.version != framework.version:
        raise FrameworkError(
            f"answers were encoded for {enc.framework.id!r}, not {framework.id!r}",
            fix="encode them with this framework",
        )
    fw = framework
    pv = fw.param_values(params)
    n = enc.n
    scored = fw.scored_items
    item_mat = np.empty((n, len(scored)), dtype=np.float32, order="F")
    subs = fw.scored_subdimensions
    sub_pos = {s.id: j for j, s in enumerate(subs)}
    sub_mat = np.zeros((n, len(subs)), dtype=np.float64, order="F")
    place = fw.item_place
    for j, it in enumerate(scored):
        pts = item_points(it, enc.values[it.id], pv)
        item_mat[:, j] = pts
        sub_mat[:, sub_pos[place[it.id][1]]] += pts
    dims = fw.scored_dimensions
    dim_mat = np.zeros((n, len(dims)), dtype=np.float64, order="F")
    for d_j, d in enumerate(dims):
        for s in d.subdimensions:
            if s.id in sub_pos:
                dim_mat[:, d_j] += sub_mat[:, sub_pos[s.id]]
    if fw.total == "sum":
        total = dim_mat.sum(axis=1)
    else:
        maxima = np.array([d.points for d in dims], dtype=np.float64)
        total = (dim_mat / maxima).mean(axis=1) * fw.total_points
    scene_items = fw.scene_items
    scene_mat = np.empty((n, len(scene_items)), dtype=np.int8, order="F")
    for j, it in enumerate(scene_items):
        scene_mat[:, j] = enc.values[it.id]
    base = _base_levels(total, fw)
    rules = tuple(
        r for r in fw.level_rules if r.enabled and (r.verified or unverified_rules == "apply")
    )
    level = base.copy()
    cap_rule = np.full(n, -1, dtype=np.int8)
    scene_ids = [it.id for it in scene_items]
    key = np.array([bool(it.key) for it in scene_items], dtype=bool)
    for k, r in enumerate(rules):
        fails = ~rule_passes(r, scene_mat, scene_ids, key) & (level >= r.level)
        level[fails] = r.level - 1
        cap_rule[fails] = k
    return MaturityScores(
        framework=fw,
        firm_ids=enc.firm_ids,
        meta=enc.meta,
        item_matrix=item_mat,
        scene_matrix=scene_mat,
        sub_matrix=sub_mat,
        dim_matrix=dim_mat,
        total=total,
        base_level=base,
        level=level,
        cap_rule=cap_rule,
        applied_rules=rules,
        params=pv,
        provenance=enc.provenance.with_step(
            f"scored ({unverified_rules} unverified rules; params {pv})"
        ),
        answers=enc,
    )


def concat_scores(parts: list[MaturityScores]) -> MaturityScores:
    """Join scores of several chunks of firms (same framework, rules and parameters)."""
    if not parts:
        raise InputError("no scores to join", fix="pass at least one MaturityScores")
    first = parts[0]
    for p in parts[1:]:
        if (
            p.framework.id != first.framework.id
            or p.params != first.params
            or p.applied_rules != first.applied_rules
        ):
            raise InputError(
                "scores to join use different frameworks, rules or parameters",
                fix="score them alike",
            )
    ids = first.firm_ids.append([p.firm_ids for p in parts[1:]])
    if ids.has_duplicates:
        from chainatlas.sme.answers import DuplicateFirmError

        raise DuplicateFirmError(
            "duplicate firm ids across chunks",
            received=list(ids[ids.duplicated()][:5]),
            fix="one row per firm",
        )

    def cat(name: str) -> np.ndarray:
        return np.concatenate([getattr(p, name) for p in parts], axis=0)

    return MaturityScores(
        framework=first.framework,
        firm_ids=ids,
        meta=pd.concat([p.meta for p in parts]),
        item_matrix=cat("item_matrix"),
        scene_matrix=cat("scene_matrix"),
        sub_matrix=cat("sub_matrix"),
        dim_matrix=cat("dim_matrix"),
        total=cat("total"),
        base_level=cat("base_level"),
        level=cat("level"),
        cap_rule=cat("cap_rule"),
        applied_rules=first.applied_rules,
        params=first.params,
        provenance=first.provenance,
        answers=_concat_answers([p.answers for p in parts], ids),
    )


def _concat_answers(parts: list[EncodedAnswers | None], ids: pd.Index) -> EncodedAnswers | None:
    if any(p is None for p in parts):
        return None
    first = parts[0]
    assert first is not None
    values = {
        k: np.concatenate([p.values[k] for p in parts if p is not None]) for k in first.values
    }
    meta = pd.concat([p.meta for p in parts if p is not None])
    return EncodedAnswers(
        framework=first.framework,
        firm_ids=ids,
        meta=meta,
        values=values,
        provenance=first.provenance,
    )
