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
from chainatlas.pipelines.sme import division_names
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
        group_labels(meta, "division", division_names=division_names()).tolist()[:3]
        == ["39 计算机、通信和其他电子设备制造业"] * 3
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
        group_labels(
            pd.DataFrame({"industry": ["C99"]}), "division", division_names=division_names()
        )
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

    def safe(lines: np.ndarray, lmask: np.ndarray, published: np.ndarray) -> bool:
        # a published line total minus its visible cells isolates 0 or >= k firms, unless
        # nothing visible is left to hide (then the line total itself is >= k or hidden)
        hidden = np.where(lmask, lines, 0).sum(axis=1)
        left = ((lines > 0) & ~lmask).any(axis=1)
        return bool((~published | (hidden == 0) | (hidden >= k) | ~left).all())

    assert safe(full, mask, np.ones(len(full), dtype=bool))  # rows: group totals are published
    assert safe(full[:-1].T, mask[:-1].T, ~mask[-1])  # columns against the All row


def _unknown_remainders(parent_n, parent_cells, child_n, child_cells):
    """What an attacker learns by differencing one published parent against its children:
    firms and per-level counts of the children it cannot see (only where computable)."""
    out = []
    if not np.isnan(parent_n):
        out.append(parent_n - np.nansum(child_n))
    for j in range(parent_cells.shape[0]):
        if not np.isnan(parent_cells[j]):
            out.append(parent_cells[j] - np.nansum(child_cells[:, j]))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6, 7, 8])
def test_differencing_attack_across_province_and_region(seed: int) -> None:
    """Issue 13: "by region" minus the visible provinces must never isolate < k firms."""
    k = 5
    rng = np.random.default_rng(seed)
    s = _scores(220, seed)
    pool = ["四川", "重庆", "贵州", "云南", "西藏", "广东", "浙江", "江苏", "辽宁", "吉林", "湖北"]
    weights = rng.dirichlet(np.full(len(pool), 0.6))
    provinces = rng.choice(pool, size=s.n, p=weights)
    s = dataclasses.replace(s, meta=s.meta.assign(province=provinces))
    by_p = maturity_summary(s, by="province", k=k)
    by_r = maturity_summary(s, by="region", k=k)
    region_of = group_labels(s.meta, "region")
    prov_label = group_labels(s.meta, "province")
    p2r = dict(zip(prov_label, region_of, strict=True))
    remainders = []
    for region in by_r.firms.index.drop("全部 / All"):
        kids = [p for p in by_p.firms.index if p2r.get(p) == region]
        remainders += _unknown_remainders(
            by_r.firms[region],
            by_r.level_counts.loc[region].to_numpy(),
            by_p.firms[kids].to_numpy(),
            by_p.level_counts.loc[kids].to_numpy(),
        )
    for summ in (by_p, by_r):  # All minus the visible groups of the same table
        groups = summ.firms.index.drop("全部 / All")
        remainders += _unknown_remainders(
            summ.firms["全部 / All"],
            summ.level_counts.loc["全部 / All"].to_numpy(),
            summ.firms[groups].to_numpy(),
            summ.level_counts.loc[groups].to_numpy(),
        )
    rem = np.asarray(remainders)
    assert ((rem == 0) | (rem >= k)).all(), rem[(rem > 0) & (rem < k)]
    # every published row total minus its visible cells hides 0 or >= k firms
    for summ in (by_p, by_r):
        cells = summ.level_counts.to_numpy()
        shown = ~np.isnan(summ.firms.to_numpy())
        hidden_in_row = summ.firms.to_numpy()[shown] - np.nansum(cells[shown], axis=1)
        assert ((hidden_in_row == 0) | (hidden_in_row >= k)).all()
    assert by_p.suppressed.any()  # the data do have hidden provinces to attack
