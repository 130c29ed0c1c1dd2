"""Gap analysis and classified guidance (差距分析与分类指导): ranked next steps, wave comparison.

Priority of a scored item ``i`` for a firm whose next level starts at score ``t`` (share
``τ = t / 100``; a firm at the top level aims at full marks, ``τ = 1``)::

    weight_i   = w_i = the item's share of the total score
                 (MIIT: max_i / 100; EU DMA: max_i / max_dimension / 6)
    distance_i = max(0, τ − points_i / max_i)
    priority_i = 100 · w_i · distance_i

i.e. the points the firm is missing on that item to stand, on it, where the next level stands
overall. Scenes (MIIT) are ranked separately: the target scene level is the firm's next level
(1–4); ``distance = max(0, target − level) / 3``; key scenes weigh 2, others 1 (normalised); scenes
that a failed level rule needs are flagged ``blocking`` and come first. Guidance text is the
framework's bilingual guidance per sub-dimension and per scene level (our own words).

Examples
--------
>>> import pandas as pd
>>> from chainatlas.sme.schema import load_framework
>>> from chainatlas.sme.scoring import score_assessments
>>> fw = load_framework("eu-dma")
>>> base = {it.id: (0 if it.type == "scale_0_5" else "none") for it in fw.items}
>>> base.update({it.id: "none" for it in fw.items if it.id.startswith("invest_")})
>>> base.update({it.id: "no" for it in fw.items if it.id.startswith("practice_")})
>>> s = score_assessments(pd.DataFrame([{"firm_id": "A", **base}]), fw)
>>> steps = next_steps(s, "A")
>>> steps.iloc[0]["id"], round(float(steps.iloc[0]["priority"]), 4)
('data_security_measures', 2.0833)
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, check_option
from chainatlas.sme.schema import TREND_ANSWERS, Framework, Item
from chainatlas.sme.scoring import MaturityScores, rule_passes
from chainatlas.validation import validate_params

__all__ = ["item_weights", "target_shares", "gap_priorities", "next_steps", "compare_waves"]


def item_weights(framework: Framework) -> np.ndarray:
    """Each scored item's share of the total score, shape (n_scored_items,); sums to 1."""
    fw = framework
    dim_of = {it: d for it, (d, _s) in fw.item_place.items()}
    dpts = {d.id: float(d.points or 0) for d in fw.dimensions}
    if fw.total == "sum":
        return np.array([it.points / fw.total_points for it in fw.scored_items])
    nd = len(fw.scored_dimensions)
    return np.array([it.points / dpts[dim_of[it.id]] / nd for it in fw.scored_items])


def target_shares(scores: MaturityScores) -> np.ndarray:
    """Share of the maximum score at which each firm's next level starts, shape (n,)."""
    fw = scores.framework
    mins = np.array([lv.min_score for lv in fw.levels] + [fw.total_points], dtype=np.float64)
    nxt = np.minimum(scores.level.astype(np.intp), len(fw.levels))
    return mins[nxt] / fw.total_points


def gap_priorities(scores: MaturityScores) -> pd.DataFrame:
    """Priority of every scored item for every firm, shape (n, n_scored_items), in score points.

    ``priority = 100 · weight × max(0, τ − share)`` (see the module docstring); vectorised.
    """
    fw = scores.framework
    maxima = np.array([it.points for it in fw.scored_items], dtype=np.float64)
    share = scores.item_matrix.astype(np.float64) / maxima
    dist = np.maximum(0.0, target_shares(scores)[:, None] - share)
    pri = fw.total_points * item_weights(fw)[None, :] * dist
    return pd.DataFrame(pri, index=scores.firm_ids, columns=[it.id for it in fw.scored_items])


def _next_answer(
    item: Item, value: object, points: float, params: dict[str, float]
) -> tuple[str, str, str, str, float]:
    """(current zh, current en, action zh, action en, gain) for one firm's answer to `item`."""
    t = item.type
    if t == "numeric_band":
        v = float(value)  # type: ignore[arg-type]
        better = [b for b in item.bands if b.points > points + 1e-9]
        cur = f"{v:g}{item.unit}"
        if not better:
            return cur, cur, "", "", 0.0
        b = better[0]
        return (
            cur,
            cur,
            f"提高到{b.min:g}{item.unit}以上",
            f"raise it to {b.min:g}{item.unit} or more",
            b.points - points,
        )
    if t == "single_choice":
        opts = item.options
        pts = [o.points * (params[o.param] if o.param else 1.0) for o in opts]
        cur = opts[int(value)]  # type: ignore[call-overload]
        better = [(p, o) for p, o in zip(pts, opts, strict=True) if p > points + 1e-9]
        if not better:
            return cur.zh, cur.en, "", "", 0.0
        p, o = better[0]
        return (
            cur.zh,
            cur.en,
            f"从“{cur.zh}”提升到“{o.zh}”",
            f"move from '{cur.en}' to '{o.en}'",
            p - points,
        )
    if t == "multi_select":
        mask = int(value)  # type: ignore[call-overload]
        chosen = [o for k, o in enumerate(item.options) if mask >> k & 1]
        free = sorted(
            (o for k, o in enumerate(item.options) if not mask >> k & 1),
            key=lambda o: -o.points * (params[o.param] if o.param else 1.0),
        )
        cur_zh = "、".join(o.zh for o in chosen) or "无"
        cur_en = "; ".join(o.en for o in chosen) or "none"
        if not free:
            return cur_zh, cur_en, "", "", 0.0
        add = free[:3]
        return (
            cur_zh,
            cur_en,
            "增加：" + "、".join(o.zh for o in add),
            "add: " + "; ".join(o.en for o in add),
            free[0].points * (params[free[0].param] if free[0].param else 1.0),
        )
    if t == "trend":
        labels = list(TREND_ANSWERS)
        zh = {"worse": "变差", "flat": "持平", "better": "改善"}
        code = int(value)  # type: ignore[call-overload]
        cur = labels[code]
        if code == 2:
            return zh[cur], cur, "", "", 0.0
        nxt = labels[code + 1]
        return (
            zh[cur],
            cur,
            f"由{zh[cur]}转为{zh[nxt]}",
            f"turn it from {cur} to {nxt}",
            item.points * 0.5,
        )
    level = int(value)  # type: ignore[call-overload]
    if level >= 5:
        return str(level), str(level), "", "", 0.0
    return (
        str(level),
        str(level),
        f"采用程度从{level}提高到{level + 1}",
        f"raise adoption from {level} to {level + 1}",
        item.points / 5.0,
    )


@validate_params
def next_steps(
    scores: MaturityScores,
    firm_id: str,
    *,
    top: int | None = None,
    kind: Literal["all", "items", "scenes"] = "all",
) -> pd.DataFrame:
    """Ranked next steps for one firm, with bilingual actions and guidance.

    Parameters
    ----------
    scores : MaturityScores
        Scores that keep their answers (as returned by
        :func:`~chainatlas.sme.scoring.score_assessments`).
    firm_id : str
    top : int, optional
        Keep the first `top` items and the first `top` scenes.
    kind : {"all", "items", "scenes"}

    Returns
    -------
    DataFrame
        One row per step with columns ``kind`` (item/scene), ``id``, ``dimension``,
        ``subdimension``, ``name_zh``, ``name_en``, ``current_zh``, ``current_en``, ``weight``,
        ``distance``, ``priority`` (score points; scenes: weight × distance), ``gain_points``
        (points the suggested answer adds), ``blocking`` (a failed level rule needs it),
        ``action_zh``, ``action_en``, ``guidance_zh``, ``guidance_en``; items ranked by priority
        then gain, scenes by blocking then priority. Steps with zero priority are left out.

    Raises
    ------
    UnknownCodeError
        `firm_id` is not in `scores`.
    InputError
        `scores` no longer hold their answers (e.g. joined without them).
    """
    check_option("kind", kind, ("all", "items", "scenes"))
    fw = scores.framework
    i = scores.position(firm_id)
    if scores.answers is None:
        raise InputError(
            "these scores do not keep their answers",
            fix="score with score_assessments and keep the result",
        )
    place = fw.item_place
    subs = {s.id: s for d in fw.dimensions for s in d.subdimensions}
    rows = []
    if kind in ("all", "items"):
        pri = gap_priorities(_one(scores, i)).iloc[0].to_numpy()
        tau = float(target_shares(_one(scores, i))[0])
        w = item_weights(fw)
        for j, it in enumerate(fw.scored_items):
            if pri[j] <= 1e-12:
                continue
            pts = float(scores.item_matrix[i, j])
            cur_zh, cur_en, act_zh, act_en, gain = _next_answer(
                it, scores.answers.values[it.id][i], pts, scores.params
            )
            d_id, s_id = place[it.id]
            g = subs[s_id].guidance
            rows.append(
                {
                    "kind": "item",
                    "id": it.id,
                    "dimension": d_id,
                    "subdimension": s_id,
                    "name_zh": it.text.zh,
                    "name_en": it.text.en,
                    "current_zh": cur_zh,
                    "current_en": cur_en,
                    "weight": float(w[j]),
                    "distance": max(0.0, tau - pts / it.points),
                    "priority": float(pri[j]),
                    "gain_points": float(gain),
                    "blocking": False,
                    "action_zh": act_zh,
                    "action_en": act_en,
                    "guidance_zh": g.zh if g else "",
                    "guidance_en": g.en if g else "",
                }
            )
    items = (
        pd.DataFrame(rows).sort_values(
            ["priority", "gain_points", "id"], ascending=[False, False, True]
        )
        if rows
        else pd.DataFrame()
    )
    scenes = (
        _scene_steps(scores, i) if kind in ("all", "scenes") and fw.scene_items else pd.DataFrame()
    )
    if top is not None:
        items, scenes = items.head(top), scenes.head(top)
    out = pd.concat([items, scenes], ignore_index=True)
    if out.empty:
        return pd.DataFrame(columns=["kind", "id", "priority"])
    out.index = pd.RangeIndex(1, len(out) + 1, name="rank")
    return out


def _one(scores: MaturityScores, i: int) -> MaturityScores:
    from dataclasses import replace

    return replace(
        scores,
        firm_ids=scores.firm_ids[i : i + 1],
        item_matrix=scores.item_matrix[i : i + 1],
        level=scores.level[i : i + 1],
        total=scores.total[i : i + 1],
    )


def _scene_steps(scores: MaturityScores, i: int) -> pd.DataFrame:
    fw = scores.framework
    scene_items = fw.scene_items
    scene_ids = [it.id for it in scene_items]
    key = np.array([bool(it.key) for it in scene_items], dtype=bool)
    levels = scores.scene_matrix[i].astype(np.int64)
    target = int(min(max(int(scores.level[i]) + 1, 1), 4))
    weight = np.where(key, 2.0, 1.0)
    weight = weight / weight.sum()
    blocking = np.zeros(len(scene_items), dtype=bool)
    for r in scores.applied_rules:
        if r.level > target:
            continue
        ok = rule_passes(r, scores.scene_matrix[i : i + 1], scene_ids, key)[0]
        if not ok:
            in_rule = (
                np.isin(scene_ids, r.scenes)
                if r.scenes is not None
                else (key if r.kind == "scenes_all_at_level" else np.ones_like(key))
            )
            blocking |= in_rule & (levels < r.min_level)
    dist = np.maximum(0, np.maximum(target, np.where(blocking, 3, 0)) - levels) / 3.0
    group = {
        it.id: (s.id, s.guidance) for d in fw.dimensions for s in d.subdimensions for it in s.items
    }
    rows = []
    for j, it in enumerate(scene_items):
        if dist[j] <= 0:
            continue
        nxt = fw.scene_levels[min(levels[j], 3)] if fw.scene_levels else None
        cur = fw.scene_levels[levels[j] - 1].name if fw.scene_levels else None
        s_id, g = group[it.id]
        rows.append(
            {
                "kind": "scene",
                "id": it.id,
                "dimension": fw.item_place[it.id][0],
                "subdimension": s_id,
                "name_zh": it.text.zh + ("（关键场景）" if it.key else ""),
                "name_en": it.text.en + (" (key scene)" if it.key else ""),
                "current_zh": cur.zh if cur else str(levels[j]),
                "current_en": cur.en if cur else str(levels[j]),
                "weight": float(weight[j]),
                "distance": float(dist[j]),
                "priority": float(weight[j] * dist[j]),
                "gain_points": 0.0,
                "blocking": bool(blocking[j]),
                "action_zh": nxt.next_step.zh if nxt else "",
                "action_en": nxt.next_step.en if nxt else "",
                "guidance_zh": g.zh if g else "",
                "guidance_en": g.en if g else "",
            }
        )
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows).sort_values(
        ["blocking", "priority", "id"], ascending=[False, False, True]
    )


@validate_params
def compare_waves(
    before: MaturityScores,
    after: MaturityScores,
    *,
    unmatched: Literal["error", "drop"] = "error",
) -> pd.DataFrame:
    """Progress of the same firms between two assessment waves (T0 → T1).

    Parameters
    ----------
    before, after : MaturityScores
        Scores of the two waves under the same framework.
    unmatched : {"error", "drop"}
        Firms present in only one wave raise (default) or are left out.

    Returns
    -------
    DataFrame, one row per firm in both waves
        ``total_before``, ``total_after``, ``total_change``, ``level_before``, ``level_after``,
        ``level_change`` and ``change_<dimension>`` (percentage points of the dimension profile).

    Raises
    ------
    InputError
        Different frameworks, or unmatched firms with ``unmatched="error"``.
    """
    check_option("unmatched", unmatched, ("error", "drop"))
    if before.framework.id != after.framework.id:
        raise InputError(
            "waves scored against different frameworks",
            received=(before.framework.id, after.framework.id),
            fix="score both waves with the same framework",
        )
    common = before.firm_ids.intersection(after.firm_ids, sort=False)
    only = before.firm_ids.symmetric_difference(after.firm_ids)
    if len(only) and unmatched == "error":
        raise InputError(
            f"{len(only)} firms are in only one wave",
            received=[str(x) for x in only[:5]],
            fix="pass unmatched='drop' to compare the firms present in both waves",
        )
    b = before.to_frame(reasons=False).loc[common]
    a = after.to_frame(reasons=False).loc[common]
    out = pd.DataFrame(
        {
            "total_before": b["total"],
            "total_after": a["total"],
            "total_change": a["total"] - b["total"],
            "level_before": b["level"],
            "level_after": a["level"],
            "level_change": a["level"].astype(int) - b["level"].astype(int),
        }
    )
    for d in before.dimensions.columns:
        out[f"change_{d}"] = a[f"pct_{d}"] - b[f"pct_{d}"]
    return out
