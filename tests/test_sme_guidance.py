"""Gap analysis, ranked next steps, wave comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.errors import InputError
from chainatlas.sme.guidance import compare_waves, gap_priorities, next_steps
from chainatlas.sme.schema import load_framework
from chainatlas.sme.scoring import score_assessments
from chainatlas.sme.synthetic import synthetic_answers

MIIT = load_framework("miit-2024")


def zero_answers(fw) -> dict:
    first = {
        "numeric_band": 0.0,
        "multi_select": "none",
        "trend": "worse",
        "scene_level": 1,
        "scale_0_5": 0,
    }
    return {
        it.id: it.options[0].id if it.type == "single_choice" else first[it.type] for it in fw.items
    }


def _results_only() -> dict:
    a = zero_answers(MIIT)
    a.update(
        energy_intensity_trend="better",
        quality_trend="better",
        revenue_trend="better",
        profitability_trend="better",
    )
    return a


def test_hand_computed_priorities() -> None:
    s = score_assessments(pd.DataFrame([{"firm_id": "F", **_results_only()}]), MIIT)
    assert (
        float(s.total[0]) == 20 and int(s.level[0]) == 1
    )  # next level (二级) starts at 40 → τ = 0.4
    steps = next_steps(s, "F", kind="items")
    pri = steps.set_index("id")["priority"]
    # priority = 100 × (max_i / 100) × (0.4 − 0)
    assert pri["system_coverage"] == pytest.approx(4.0)
    assert pri["data_capture_steps"] == pytest.approx(4.0)
    assert pri["network_buildout"] == pytest.approx(3.2)
    assert pri["equipment_digital_rate"] == pytest.approx(2.4)
    assert pri["digital_planning"] == pytest.approx(3.0)
    assert "quality_trend" not in pri.index  # at full marks
    assert steps["id"].tolist()[:2] == [
        "system_coverage",
        "data_capture_steps",
    ]  # tie broken by gain 2.5 > 0.9
    first = steps.iloc[0]
    assert (
        first["action_en"] == "move from 'No information system yet' to 'One business step covered'"
    )
    assert first["gain_points"] == pytest.approx(2.5) and first["guidance_zh"].startswith(
        "以业务需求为导向"
    )
    np.testing.assert_allclose(gap_priorities(s).loc["F", pri.index], pri.to_numpy())


def _apply_step(fw, answers: dict, item_id: str) -> dict:
    it = fw.item_index[item_id]
    b = dict(answers)
    v = answers[item_id]
    if it.type == "numeric_band":
        cur = [x for x in it.bands if x.min <= float(v)][-1]
        b[item_id] = next(x for x in it.bands if x.points > cur.points).min
    elif it.type == "single_choice":
        pts = {o.id: o.points for o in it.options}
        b[item_id] = next(o.id for o in it.options if o.points > pts[v])
    elif it.type == "multi_select":
        chosen = set() if v == "none" else set(v.split(";"))
        best = max((o for o in it.options if o.id not in chosen), key=lambda o: o.points)
        b[item_id] = ";".join(sorted(chosen | {best.id}))
    elif it.type == "trend":
        b[item_id] = {"worse": "flat", "flat": "better"}[v]
    else:
        b[item_id] = int(v) + 1
    return b


@pytest.mark.parametrize("name", ["miit-2024", "eu-dma"])
def test_suggested_step_adds_its_gain(name: str) -> None:
    fw = load_framework(name)
    df = synthetic_answers(fw, 15, seed=21)
    s = score_assessments(df, fw)
    checked = 0
    for row in df.to_dict(orient="records"):
        steps = next_steps(s, row["firm_id"], kind="items", top=3)
        for _, step in steps.iterrows():
            after = _apply_step(fw, row, step["id"])
            s2 = score_assessments(pd.DataFrame([after]), fw)
            gain_total = float(s2.total[0] - s.totals[row["firm_id"]])
            item_gain = float(
                s2.items.iloc[0][step["id"]] - s.items.loc[row["firm_id"], step["id"]]
            )
            assert item_gain == pytest.approx(step["gain_points"], abs=1e-5)
            assert gain_total > 0
            checked += 1
    assert checked >= 30


def test_blocking_scenes_come_first() -> None:
    a = _results_only()
    a.update(network_buildout="office_lan;shopfloor_network;wireless_5g;external_link", equipment_digital_rate=80,
             equipment_network_rate=80, system_coverage="all", data_capture_steps="rnd_design;sales;human_resources")  # fmt: skip
    a["data_security"] = (
        "backup;access_control;encryption;classification"  # 8+6+6+10+2.3+5+20 = 57.3
    )
    a["digital_planning"] = "implementing"  # + 4.5 → 61.8
    for sid in ("scene_process_design", "scene_after_sales", "scene_planning_scheduling"):
        a[sid] = 3
    s = score_assessments(pd.DataFrame([{"firm_id": "F", **a}]), MIIT)
    assert int(s.base_level[0]) == 3 and int(s.level[0]) == 2
    scenes = next_steps(s, "F", kind="scenes")
    blocking = scenes[scenes["blocking"]]
    assert len(blocking) == 13 and scenes["blocking"].tolist()[:13] == [True] * 13
    assert set(blocking["id"]) == {it.id for it in MIIT.scene_items} - {
        "scene_process_design",
        "scene_after_sales",
        "scene_planning_scheduling",
    }
    assert blocking.iloc[0]["name_en"].endswith("(key scene)")
    assert blocking.iloc[0]["action_en"].startswith("Introduce a dedicated system")


def test_compare_waves() -> None:
    df0 = synthetic_answers(MIIT, 20, seed=1)
    df1 = synthetic_answers(MIIT, 20, seed=2)
    s0, s1 = score_assessments(df0, MIIT), score_assessments(df1, MIIT)
    cmp = compare_waves(s0, s1)
    np.testing.assert_allclose(cmp["total_change"], s1.total - s0.total)
    np.testing.assert_array_equal(cmp["level_change"], s1.level.astype(int) - s0.level.astype(int))
    np.testing.assert_allclose(
        cmp["change_foundation"], (s1.dim_matrix[:, 0] - s0.dim_matrix[:, 0]) / 50 * 100
    )
    s_short = score_assessments(df1.iloc[:15], MIIT)
    with pytest.raises(InputError, match=r"5 firms are in only one wave.*unmatched='drop'"):
        compare_waves(s0, s_short)
    assert len(compare_waves(s0, s_short, unmatched="drop")) == 15
    eu = load_framework("eu-dma")
    with pytest.raises(InputError, match="different frameworks"):
        compare_waves(s0, score_assessments(synthetic_answers(eu, 3), eu))
