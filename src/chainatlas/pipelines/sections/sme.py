"""SME digital-maturity reports (中小企业数字化水平报告): one firm, or one region.

These are separate reports, not sections of the China IO atlas: :func:`firm_report_context` and
:func:`region_report_context` build report contexts (rendered by
:func:`chainatlas.report.render.render_html`) from the labelled results of :mod:`chainatlas.sme`.
They format; they do not compute. Aggregates come only from
:func:`chainatlas.sme.aggregate.maturity_summary`, so k-anonymity suppression applies.

The atlas hooks (``ORDER``, ``applies``, ``sections``) only take :class:`MaturityScores`; for any
other object (an IO table...) ``applies`` is False.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

import pandas as pd

from chainatlas.errors import UnknownCodeError
from chainatlas.pipelines.blocks import (
    figure_block,
    metrics_block,
    section,
    table_block,
    text_block,
)
from chainatlas.pipelines.sme import division_names
from chainatlas.sme.aggregate import DEFAULT_K, GroupBy, area_mask, maturity_summary
from chainatlas.sme.guidance import compare_waves, next_steps
from chainatlas.sme.scoring import MaturityScores
from chainatlas.validation import validate_params

__all__ = ["ORDER", "applies", "sections", "firm_report_context", "region_report_context"]

ORDER = 90


def applies(obj: Any, spec: str) -> bool:
    """True only for :class:`MaturityScores` (never for IO tables or other datasets)."""
    return isinstance(obj, MaturityScores)


def sections(obj: Any, spec: str, step: Callable[[str], None]) -> list[dict[str, Any]]:
    """Regional sections for all firms of `obj` (a MaturityScores)."""
    return _region_sections(obj, "all", by="region", k=DEFAULT_K, step=step)


def _context(
    title_zh: str, title_en: str, subtitle: str, scores: MaturityScores, secs: list[dict[str, Any]]
) -> dict[str, Any]:
    from chainatlas import __version__

    fw = scores.framework
    prov = scores.provenance.to_dict() if scores.provenance is not None else {"source": "answers"}
    prov.setdefault("citation", f"{fw.source.zh} / {fw.source.en}")
    if not prov.get("citation"):
        prov["citation"] = f"{fw.source.zh} / {fw.source.en}"
    return {
        "title": {"zh": title_zh, "en": title_en},
        "subtitle": subtitle,
        "spec": fw.id,
        "provenance": prov,
        "sections": secs,
        "generated": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
    }


def _framework_section(scores: MaturityScores) -> dict[str, Any]:
    fw = scores.framework
    blocks = [text_block(zh=n.zh, en=n.en) for n in fw.notes]
    unverified = [
        (f"{it.id}", it.note.zh if it.note else "", it.note.en if it.note else "")
        for it in fw.items
        if not it.verified
    ] + [
        (f"rule {r.id}" + ("" if r.enabled else " (off)"), r.description.zh, r.description.en)
        for r in fw.level_rules
        if not r.verified
    ]
    if unverified:
        blocks.append(
            table_block(
                pd.DataFrame(unverified, columns=["what", "zh", "en"]).set_index("what"),
                zh="未经核实的规则与假设（可在YAML中修改）",
                en="Unverified rules and assumptions (editable in the YAML)",
            )
        )
    if scores.params:
        blocks.append(
            table_block(
                pd.Series(scores.params, name="value").to_frame(),
                zh="评分参数",
                en="Scoring parameters",
            )
        )
    return section(
        "framework",
        zh="评测框架说明",
        en="About the framework",
        blocks=blocks,
        note_zh=fw.title.zh,
        note_en=fw.title.en,
    )


def firm_report_context(
    scores: MaturityScores,
    firm_id: str,
    *,
    before: MaturityScores | None = None,
    top: int = 8,
) -> dict[str, Any]:
    """Report context for one firm: level and reason, profile, scenes, next steps, progress.

    Parameters
    ----------
    scores : MaturityScores
        Scores holding the firm (and its answers).
    firm_id : str
    before : MaturityScores, optional
        An earlier wave; adds a T0 → T1 progress section when the firm is in it.
    top : int
        Number of item steps and scene steps listed.

    Raises
    ------
    UnknownCodeError
        The firm is not in `scores`.
    """
    import plotly.graph_objects as go

    fw = scores.framework
    i = scores.position(firm_id)
    ex = scores.explain(firm_id)
    secs = []
    blocks = [
        metrics_block(
            [
                ("总分", "Total score", round(float(scores.total[i]), 2), "/ 100"),
                ("等级", "Level", f"{ex['level_name']['zh']} / {ex['level_name']['en']}", ""),
                ("分数段等级", "Band level", fw.level_name(ex["band_level"], "zh"), ""),
            ]
        ),
        text_block(zh="评级依据：" + _reason_zh(scores, i), en="Why: " + ex["reason"]),
    ]
    if ex["rules"]:
        rules = pd.DataFrame(
            [
                {
                    "rule": r["rule"],
                    "for_level": r["for_level"],
                    "passed": r["passed"],
                    "capped": r["capped"],
                    "verified": r["verified"],
                    "zh": r["description"]["zh"],
                    "en": r["description"]["en"],
                }
                for r in ex["rules"]
            ]
        ).set_index("rule")
        blocks.append(table_block(rules, zh="等级条件检查", en="Level rules checked"))
    secs.append(section("level", zh="数字化水平等级", en="Digitalisation level", blocks=blocks))

    dims = fw.scored_dimensions
    prof = pd.DataFrame(
        {
            "name_zh": [d.name.zh for d in dims],
            "name_en": [d.name.en for d in dims],
            "points": scores.dim_matrix[i],
            "max": [d.points for d in dims],
            "pct": scores.profile.iloc[i].to_numpy(),
        },
        index=pd.Index([d.id for d in dims], name="dimension"),
    )
    fig = go.Figure(
        go.Bar(
            x=prof["pct"],
            y=[f"{a} {b}" for a, b in zip(prof.name_zh, prof.name_en, strict=True)],
            orientation="h",
        )
    )
    fig.update_layout(
        xaxis={"range": [0, 100], "title": "% of maximum"},
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
    )
    subs = fw.scored_subdimensions
    sub = pd.DataFrame(
        {
            "name_zh": [s.name.zh for s in subs],
            "name_en": [s.name.en for s in subs],
            "points": scores.sub_matrix[i],
            "max": [s.points for s in subs],
        },
        index=pd.Index([s.id for s in subs], name="subdimension"),
    )
    items = pd.DataFrame(
        {
            "question_zh": [it.text.zh for it in fw.scored_items],
            "question_en": [it.text.en for it in fw.scored_items],
            "points": scores.item_matrix[i].astype(float),
            "max": [it.points for it in fw.scored_items],
        },
        index=pd.Index([it.id for it in fw.scored_items], name="item"),
    )
    secs.append(
        section(
            "profile",
            zh="维度画像",
            en="Dimension profile",
            blocks=[
                figure_block(fig, zh="各维度得分率", en="Score by dimension, % of maximum"),
                table_block(
                    prof, zh="维度得分", en="Dimension points", unit="points / %", digits=2
                ),
                table_block(
                    sub, zh="子维度得分", en="Sub-dimension points", unit="points", digits=3
                ),
                table_block(items, zh="各题得分", en="Points per item", unit="points", digits=3),
            ],
        )
    )
    if fw.scene_items:
        names = fw.scene_levels
        sc = pd.DataFrame(
            {
                "scene_zh": [it.text.zh for it in fw.scene_items],
                "scene_en": [it.text.en for it in fw.scene_items],
                "key": [bool(it.key) for it in fw.scene_items],
                "level": scores.scene_matrix[i].astype(int),
                "meaning": [
                    names[lv - 1].name.en if names else "" for lv in scores.scene_matrix[i]
                ],
            },
            index=pd.Index([it.id for it in fw.scene_items], name="scene"),
        )
        fig2 = go.Figure(go.Bar(x=sc["scene_zh"] + " " + sc["scene_en"], y=sc["level"]))
        fig2.update_layout(
            yaxis={"range": [0, 4], "dtick": 1, "title": "scene level"},
            height=340,
            margin={"l": 10, "r": 10, "t": 10, "b": 120},
        )
        secs.append(
            section(
                "scenes",
                zh="数字化经营场景",
                en="Operation scenes",
                blocks=[
                    figure_block(fig2, zh="场景等级（1–4）", en="Scene levels (1-4)"),
                    table_block(sc, zh="场景等级", en="Scene levels"),
                ],
                note_zh="关键场景标记来自公开问卷，未经官方核实。"
                if not fw.key_scenes_verified
                else "",
                note_en="Key-scene flags come from the public questionnaire and are unverified."
                if not fw.key_scenes_verified
                else "",
            )
        )
    steps = next_steps(scores, firm_id, top=top)
    cols = [
        "kind",
        "id",
        "name_zh",
        "name_en",
        "current_en",
        "priority",
        "gain_points",
        "blocking",
        "action_zh",
        "action_en",
        "guidance_zh",
        "guidance_en",
    ]
    step_blocks = [
        text_block(
            zh="优先级 = 权重 × 与下一等级的距离（题目：该题占总分的权重 × 下一等级分数线对应得分率与本题得分率之差，单位为分）。",
            en="Priority = weight × distance to the next level (items: the item's weight in the total × the gap between the next level's score share and the item's share, in points).",
        )
    ]
    if len(steps):
        step_blocks.append(
            table_block(
                steps[[c for c in cols if c in steps.columns]],
                zh="下一步建议（分类指导）",
                en="Next steps (classified guidance)",
                digits=3,
            )
        )
    else:
        step_blocks.append(text_block(zh="各项均已满分。", en="Every item is at full marks."))
    secs.append(
        section("next-steps", zh="差距分析与下一步", en="Gaps and next steps", blocks=step_blocks)
    )
    if before is not None and firm_id not in before.firm_ids:
        raise UnknownCodeError(
            f"firm {firm_id!r} is not in the earlier wave (--before), so there is nothing to "
            "compare",
            received=f"{before.n} firms, e.g. {[str(f) for f in before.firm_ids[:5]]}",
            fix="pass the earlier wave's answers file that contains this firm, or leave out --before",
        )
    if before is not None:
        cmp = compare_waves(
            before.subset(before.firm_ids == firm_id), scores.subset(scores.firm_ids == firm_id)
        )
        secs.append(
            section(
                "progress",
                zh="两期对比",
                en="Progress between waves",
                blocks=[table_block(cmp.T, zh="T0 → T1 变化", en="T0 → T1 change", digits=2)],
            )
        )
    secs.append(_framework_section(scores))
    meta = scores.meta.iloc[i].dropna().to_dict() if len(scores.meta.columns) else {}
    subtitle = f"{fw.title.zh} · {fw.title.en} · " + ", ".join(f"{k}: {v}" for k, v in meta.items())
    return _context(
        f"企业数字化水平评测：{firm_id}", f"SME digital maturity: {firm_id}", subtitle, scores, secs
    )


def _reason_zh(scores: MaturityScores, i: int) -> str:
    fw = scores.framework
    b = int(scores.base_level[i])
    text = f"总分 {scores.total[i]:.2f}，" + (
        f"达到{fw.level_name(b, 'zh')}分数线 {fw.levels[b - 1].min_score:g}"
        if b
        else f"低于{fw.levels[0].min_score:g}分"
    )
    k = int(scores.cap_rule[i])
    if k >= 0:
        r = scores.applied_rules[k]
        text += f"；未满足规则 {r.id}{'（未核实）' if not r.verified else ''}，等级限为{fw.level_name(r.level - 1, 'zh')}：{r.description.zh}"
    return text


def _region_sections(
    scores: MaturityScores, area: str, *, by: GroupBy, k: int, step: Callable[[str], None]
) -> list[dict[str, Any]]:
    import plotly.graph_objects as go

    from chainatlas.errors import InputError

    fw = scores.framework
    mask, label = area_mask(scores, area)
    if int(mask.sum()) < k:
        raise InputError(
            f"{label} has fewer than k={k} assessed firms, so nothing about it can be shown",
            fix="choose a larger area (a region or 'all')",
        )
    sub = scores.subset(mask)
    step(f"aggregating {label} by {by}")
    summ = maturity_summary(sub, by=by, k=k, division_names=division_names())
    allrow = summ.table().iloc[-1]
    secs = [
        section(
            "overview",
            zh="概览",
            en="Overview",
            blocks=[
                metrics_block(
                    [
                        ("评测企业数", "Firms assessed", int(allrow["firms"]), ""),
                        ("平均总分", "Mean total", round(float(allrow["mean_total"]), 2), "/ 100"),
                        (
                            "最薄弱维度",
                            "Weakest dimension",
                            f"{summ.weakest.iloc[-1]['weakest_zh']} / {summ.weakest.iloc[-1]['weakest_en']}",
                            "",
                        ),
                    ]
                ),
                text_block(
                    zh=f"隐私保护：少于 k={k} 家企业的单元格不予显示（含互补隐藏）。",
                    en=f"Privacy: cells with fewer than k={k} firms are suppressed (with complementary suppression).",
                ),
            ],
        )
    ]
    shares = summ.level_shares
    fig = go.Figure(
        [go.Bar(name=c, x=[str(x) for x in shares.index], y=shares[c]) for c in shares.columns]
    )
    fig.update_layout(
        barmode="stack",
        yaxis={"title": "% of firms"},
        height=380,
        margin={"l": 10, "r": 10, "t": 10, "b": 100},
    )
    secs.append(
        section(
            "levels",
            zh="等级分布",
            en="Level distribution",
            blocks=[
                figure_block(fig, zh="各组等级构成", en="Levels by group, % of firms"),
                table_block(
                    summ.level_counts,
                    zh="企业数（已隐藏小单元格）",
                    en="Firms (small cells suppressed)",
                    digits=0,
                ),
                table_block(shares, zh="占比", en="Shares", unit="%", digits=1),
            ],
        )
    )
    dim_label = {d.id: f"{d.name.zh} / {d.name.en}" for d in fw.scored_dimensions}
    prof = summ.mean_profile.rename(columns=dim_label)
    secs.append(
        section(
            "profile",
            zh="平均维度画像与薄弱环节",
            en="Mean dimension profile and weakest dimensions",
            blocks=[
                table_block(
                    prof, zh="平均得分率", en="Mean score, % of maximum", unit="%", digits=1
                ),
                table_block(
                    summ.weakest, zh="最薄弱维度", en="Weakest dimension by group", digits=1
                ),
                *[_dimension_guidance(fw, d) for d in summ.weakest["weakest"].dropna().unique()],
            ],
        )
    )
    if fw.scene_items:
        heat = summ.scene_heatmap
        fig2 = go.Figure(
            go.Heatmap(
                z=heat.to_numpy(),
                x=list(heat.columns),
                y=[str(x) for x in heat.index],
                zmin=1,
                zmax=4,
                colorscale="Blues",
            )
        )
        fig2.update_layout(
            height=max(300, 24 * len(heat) + 160), margin={"l": 10, "r": 10, "t": 10, "b": 140}
        )
        secs.append(
            section(
                "scenes",
                zh="场景等级热力图",
                en="Scene-level heat map",
                blocks=[
                    figure_block(fig2, zh="平均场景等级（1–4）", en="Mean scene level (1-4)"),
                    table_block(heat, zh="平均场景等级", en="Mean scene level", digits=2),
                ],
            )
        )
    for other in ("division", "size"):
        if other == by or {"division": "industry", "size": "size"}[other] not in sub.meta.columns:
            continue
        step(f"aggregating {label} by {other}")
        s2 = maturity_summary(sub, by=other, k=k, division_names=division_names())  # type: ignore[arg-type]
        secs.append(
            section(
                f"by-{other}",
                zh={"division": "按行业大类（GB/T 4754-2017）", "size": "按企业规模"}[other],
                en={"division": "By industry division (GB/T 4754-2017)", "size": "By size class"}[
                    other
                ],
                blocks=[
                    table_block(
                        s2.table(),
                        zh="汇总（已隐藏小单元格）",
                        en="Summary (small cells suppressed)",
                        digits=1,
                    )
                ],
            )
        )
    secs.append(_framework_section(scores))
    return secs


def _dimension_guidance(fw: Any, dim_id: str) -> dict[str, Any]:
    d = next(d for d in fw.dimensions if d.id == dim_id)
    zh = "；".join(f"{s.name.zh}：{s.guidance.zh}" for s in d.subdimensions if s.guidance)
    en = " ".join(f"{s.name.en}: {s.guidance.en}" for s in d.subdimensions if s.guidance)
    return text_block(zh=f"【{d.name.zh}】{zh}", en=f"[{d.name.en}] {en}")


@validate_params
def region_report_context(
    scores: MaturityScores,
    area: str = "all",
    *,
    by: GroupBy = "province",
    k: int = DEFAULT_K,
    step: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Report context for an area (all, an NBS region or a province), k-suppressed throughout.

    Parameters
    ----------
    scores : MaturityScores
        Scores with ``province`` (and optionally ``industry``, ``size``) meta columns.
    area : str
        ``"all"``, 东部/中部/西部/东北 (East/Central/West/Northeast) or a province.
    by : {"province", "region", "division", "size"}
        Main grouping inside the area.
    k : int
        Minimum firms per published cell.

    Raises
    ------
    InputError
        The area has fewer than `k` firms.
    UnknownCodeError
        Unknown area.
    """
    step = step or (lambda _m: None)
    secs = _region_sections(scores, area, by=by, k=k, step=step)
    _, label = area_mask(scores, area)
    fw = scores.framework
    return _context(
        f"区域中小企业数字化画像：{label.split(' / ')[0]}",
        f"SME digital maturity by region: {label.split(' / ')[-1]}",
        f"{fw.title.zh} · {fw.title.en} · k = {k}",
        scores,
        secs,
    )
