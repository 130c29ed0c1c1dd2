"""The regional picture: groupings, reference aggregates, k-anonymity suppression."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from chainatlas.errors import UnknownCodeError
from chainatlas.sme.aggregate import area_mask, group_labels, maturity_summary, suppress_counts
from chainatlas.sme.answers import AnswerError
from chainatlas.sme.schema import load_framework
from chainatlas.sme.scoring import score_assessments
from chainatlas.sme.synthetic import synthetic_answers

MIIT = load_framework("miit-2024")


def test_groupings() -> None:
    meta = pd.DataFrame(
        {
            "province": ["四川", "Guangdong", "51", "黑龙江", "深圳"],
            "industry": ["C39", "39", "3911", "C13", "13"],
            "size": ["小型", "small", "micro", "medium", "中型"],
        }
    )
    assert group_labels(meta, "region").tolist() == [
        "西部 / West",
        "东部 / East",
        "西部 / West",
        "东北 / Northeast",
        "东部 / East",
    ]
    assert group_labels(meta, "province").tolist()[:2] == ["四川 / Sichuan", "广东 / Guangdong"]
    assert (
        group_labels(meta, "division").tolist()[:3] == ["39 计算机、通信和其他电子设备制造业"] * 3
    )
    assert group_labels(meta, "size").tolist() == [
        "小型 / small",
        "小型 / small",
        "微型 / micro",
        "中型 / medium",
        "中型 / medium",
    ]
    with pytest.raises(UnknownCodeError, match=r"unknown province 'Atlantis'"):
        group_labels(pd.DataFrame({"province": ["Atlantis"]}), "region")
    with pytest.raises(UnknownCodeError, match=r"unknown GB/T 4754-2017 industry code 'C99'"):
        group_labels(pd.DataFrame({"industry": ["C99"]}), "division")
    with pytest.raises(AnswerError, match=r"unknown size class 'large'.*'medium'"):
        group_labels(pd.DataFrame({"size": ["large"]}), "size")
    with pytest.raises(AnswerError, match=r"grouping by division needs a 'industry' column"):
        group_labels(pd.DataFrame({"size": ["small"]}), "division")


def _scores(n: int, seed: int):
    return score_assessments(synthetic_answers(MIIT, n, seed=seed), MIIT)


def test_small_groups_are_suppressed_with_complement() -> None:
    s = _scores(12, 3)
    provinces = ["四川"] * 6 + ["广东"] * 5 + ["辽宁"]
    s = dataclasses.replace(s, meta=s.meta.assign(province=provinces))
    summ = maturity_summary(s, by="region", k=5)
    firms = summ.firms
    assert firms["西部 / West"] == 6 and firms["全部 / All"] == 12
    # Northeast (1 firm) is hidden; East (5) is hidden too, else it would equal All − West
    assert np.isnan(firms["东北 / Northeast"]) and np.isnan(firms["东部 / East"])
    assert summ.suppressed.sum() == 2
    for frame in (summ.mean_profile, summ.scene_heatmap, summ.level_counts):
        assert frame.loc[["东北 / Northeast", "东部 / East"]].isna().all().all()
    west = s.totals[np.array(provinces) == "四川"].mean()
    assert summ.mean_total["西部 / West"] == pytest.approx(west)
    assert pd.isna(summ.weakest.loc["东部 / East", "weakest"])


def test_against_pandas_reference() -> None:
    s = _scores(4000, 9)
    k = 5
    summ = maturity_summary(s, by="province", k=k, include_all=False)
    labels = group_labels(s.meta, "province")
    ref_mean = s.profile.groupby(labels).mean()
    ref_n = labels.value_counts()
    shown = summ.firms.dropna()
    assert (shown.index == ref_n.index.sort_values()).all() and (shown == ref_n[shown.index]).all()
    pd.testing.assert_frame_equal(
        summ.mean_profile, ref_mean.reindex(summ.mean_profile.index), check_names=False, atol=1e-9
    )
    heat = s.scenes.groupby(labels).mean()
    np.testing.assert_allclose(
        summ.scene_heatmap.to_numpy(), heat.reindex(summ.scene_heatmap.index).to_numpy()
    )
    ct = (
        pd.crosstab(labels, s.levels)
        .reindex(columns=range(5), fill_value=0)
        .reindex(summ.level_counts.index)
    )
    shown_cells = ~summ.level_counts.isna().to_numpy()
    np.testing.assert_array_equal(
        summ.level_counts.to_numpy()[shown_cells], ct.to_numpy()[shown_cells]
    )
    assert ((ct.to_numpy() >= k) | (ct.to_numpy() == 0) | ~shown_cells).all()  # no small cell shown
    assert (
        summ.weakest["weakest"].tolist()
        == ref_mean.idxmin(axis=1).reindex(summ.weakest.index).tolist()
    )


def test_crossed_groupings_and_areas() -> None:
    s = _scores(3000, 4)
    summ = maturity_summary(s, by=["region", "size"], k=5)
    assert summ.firms.index.names == ["region", "size"]
    assert (
        summ.firms.loc[("西部 / West", "微型 / micro")]
        == ((group_labels(s.meta, "region") == "西部 / West") & (s.meta["size"] == "micro")).sum()
    )
    mask, label = area_mask(s, "West")
    assert (
        label == "西部 / West"
        and mask.sum() == (group_labels(s.meta, "region") == "西部 / West").sum()
    )
    mask, label = area_mask(s, "四川")
    assert label == "四川 / Sichuan" and mask.sum() == (s.meta["province"] == "四川").sum()


@settings(max_examples=80, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 5)), elements=st.integers(0, 12)),
    st.integers(2, 6),
)
def test_suppression_leaves_nothing_recoverable(counts: np.ndarray, k: int) -> None:
    full = np.vstack([counts, counts.sum(axis=0)])
    mask = suppress_counts(full, k, total_row=True)
    assert not (((full > 0) & (full < k)) & ~mask).any()  # every small cell hidden
    row_hidden = mask.sum(axis=1)
    assert not ((row_hidden == 1) & (full.sum(axis=1) > 0)).any() or all(
        (full[r][~mask[r]] == 0).all() for r in np.flatnonzero(row_hidden == 1)
    )
    body = mask[:-1]
    col_single = (body.sum(axis=0) == 1) & ~mask[-1]
    for c in np.flatnonzero(
        col_single
    ):  # a lone hidden cell in a column is only allowed if no other non-zero cell exists
        assert (full[:-1, c][~body[:, c]] == 0).all()
