"""The regional picture (区域画像): maturity aggregated by province, NBS region, GB/T 4754 division
or size class, with k-anonymity suppression everywhere.

Groups come from the firms' meta columns:

* ``province`` — any spelling :func:`chainatlas.geo.province_lookup` accepts;
* ``region`` — the NBS four economic regions 东部/中部/西部/东北 (East/Central/West/Northeast),
  derived from the province (:func:`chainatlas.geo.provinces`);
* ``division`` — the GB/T 4754-2017 division (两位数大类) of the ``industry`` code (``"39"``,
  ``"C39"`` or a deeper code such as ``"3911"``), named from the ``gbt4754-2017`` dataset;
* ``size`` — medium / small / micro (中型/小型/微型).

**Privacy (k-anonymity).** A group with fewer than ``k`` firms (default 5) shows nothing — not
even its count. In level distributions a cell with 1 … k−1 firms is suppressed, and when a row
then has exactly one suppressed cell the smallest other non-zero cell is suppressed too
(complementary suppression), so no hidden cell can be recovered from the row total.

All statistics are bincounts over integer group codes (vectorised over firms).

Examples
--------
>>> labels = group_labels(pd.DataFrame({"province": ["四川", "Guangdong", "51"]}), "region")
>>> labels.tolist()
['西部 / West', '东部 / East', '西部 / West']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, UnknownCodeError, suggest
from chainatlas.sme.answers import SIZE_CLASSES, AnswerError
from chainatlas.sme.scoring import MaturityScores

__all__ = [
    "GroupBy",
    "MaturitySummary",
    "group_labels",
    "suppress_counts",
    "maturity_summary",
    "DEFAULT_K",
    "area_mask",
    "REGIONS",
]

#: NBS four economic regions: accepted names → (zh, en)
REGIONS: dict[str, tuple[str, str]] = {
    key: pair
    for pair in [("东部", "East"), ("中部", "Central"), ("西部", "West"), ("东北", "Northeast")]
    for key in (pair[0], pair[1].lower(), f"{pair[0]}地区")
}

GroupBy = Literal["province", "region", "division", "size"]
DEFAULT_K = 5
_SIZE_LABEL = {"medium": "中型 / medium", "small": "小型 / small", "micro": "微型 / micro"}
_COLUMN = {"province": "province", "region": "province", "division": "industry", "size": "size"}


@cache
def _divisions() -> pd.Series:
    from chainatlas.datasets import load

    table = load("gbt4754-2017:divisions", progress=False)
    return table["name"]


def _label_province(v: str, by: str) -> str:
    from chainatlas.geo import province_lookup

    row = province_lookup(v)
    if by == "region":
        return f"{row['region_zh']} / {row['region_en']}"
    return f"{row['short_zh']} / {row['name_en']}"


def _label_division(v: str) -> str:
    code = str(v).strip().upper()
    if code[:1].isalpha():
        code = code[1:]
    names = _divisions()
    div = code[:2]
    if len(code) < 2 or not code.isdigit() or div not in names.index:
        raise UnknownCodeError(
            f"unknown GB/T 4754-2017 industry code {v!r}",
            received=v,
            fix=f"{suggest(div, names.index)} Use a division code such as '39' or 'C39' (or a deeper code like '3911')",
        )
    return f"{div} {names[div]}"


def _label_size(v: str) -> str:
    if v not in SIZE_CLASSES:
        raise AnswerError(
            f"unknown size class {v!r}", received=v, fix=f"use one of {sorted(SIZE_CLASSES)}"
        )
    return _SIZE_LABEL[SIZE_CLASSES[v]]


def group_labels(meta: pd.DataFrame, by: GroupBy) -> pd.Series:
    """Group label of every firm for one grouping, shape (n,).

    Raises
    ------
    AnswerError
        The meta column needed (``province``, ``industry`` or ``size``) is missing or blank.
    UnknownCodeError
        An unknown province, industry code or size class (the message suggests close ones).
    """
    if by not in _COLUMN:
        raise InputError(f"unknown grouping {by!r}", received=by, fix=f"use one of {list(_COLUMN)}")
    col = _COLUMN[by]
    if col not in meta.columns:
        raise AnswerError(
            f"grouping by {by} needs a {col!r} column in the answers",
            received=list(meta.columns),
            fix=f"add a {col} column (see docs/sme.md)",
        )
    values = meta[col]
    blank = values.isna().to_numpy()
    if blank.any():
        raise AnswerError(
            f"{int(blank.sum())} firms have no {col!r}",
            received=[str(x) for x in meta.index[blank][:5]],
            fix=f"fill in {col} for every firm, or aggregate by another grouping",
        )
    codes, uniques = pd.factorize(values)
    uniques = [str(u) for u in uniques]
    if by in ("province", "region"):
        labels = [_label_province(u, by) for u in uniques]
    elif by == "division":
        labels = [_label_division(u) for u in uniques]
    else:
        labels = [_label_size(u) for u in uniques]
    return pd.Series(np.asarray(labels, dtype=object)[codes], index=meta.index, name=by)


def suppress_counts(
    counts: np.ndarray, k: int, *, total_row: bool = False, hidden: np.ndarray | None = None
) -> np.ndarray:
    """Suppression mask of a (groups × categories) count table: primary and complementary.

    Cells with ``0 < count < k`` are suppressed. Then, repeatedly until nothing changes: a row with
    exactly one suppressed cell also loses its smallest other non-zero cell (row totals are
    published); with ``total_row=True`` the last row holds column totals, and a column with exactly
    one suppressed cell among the other rows loses its smallest other non-zero cell too.
    ``hidden`` (bool, groups) marks whole rows already suppressed.

    Examples
    --------
    >>> suppress_counts(np.array([[3, 10, 20, 0], [6, 7, 0, 0], [2, 2, 9, 9]]), 5).astype(int).tolist()
    [[1, 1, 0, 0], [0, 0, 0, 0], [1, 1, 0, 0]]
    """
    counts = np.asarray(counts, dtype=np.int64)
    mask = (counts > 0) & (counts < k)
    if hidden is not None:
        mask |= np.asarray(hidden, dtype=bool)[:, None]
    big = np.iinfo(np.int64).max
    body = slice(0, counts.shape[0] - 1) if total_row else slice(None)
    while True:
        before = mask.sum()
        single = (mask.sum(axis=1) == 1) & ~mask.all(axis=1)
        cand = np.where((counts > 0) & ~mask, counts, big)
        rows = np.flatnonzero(single & (cand.min(axis=1) < big))
        mask[rows, cand[rows].argmin(axis=1)] = True
        if total_row:
            sub, csub = mask[body], np.where((counts[body] > 0) & ~mask[body], counts[body], big)
            cols = np.flatnonzero((sub.sum(axis=0) == 1) & ~mask[-1] & (csub.min(axis=0) < big))
            sub[csub[:, cols].argmin(axis=0), cols] = True
            mask[body] = sub
        if mask.sum() == before:
            return mask


@dataclass(frozen=True)
class MaturitySummary:
    """Aggregates of maturity scores for one grouping, already k-suppressed.

    Every frame is indexed by group label (plus a final ``全部 / All`` row when all firms number at
    least ``k``); suppressed values are NaN and ``suppressed`` says which groups were hidden whole.
    """

    by: tuple[str, ...]
    k: int
    framework_id: str
    firms: pd.Series
    suppressed: pd.Series
    level_counts: pd.DataFrame
    level_shares: pd.DataFrame
    mean_total: pd.Series
    mean_profile: pd.DataFrame
    scene_heatmap: pd.DataFrame
    weakest: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every table (the same numbers the report shows)."""
        return {
            "by": list(self.by),
            "k": self.k,
            "framework": self.framework_id,
            "firms": self.firms,
            "suppressed": self.suppressed,
            "level_counts": self.level_counts,
            "level_shares": self.level_shares,
            "mean_total": self.mean_total,
            "mean_profile": self.mean_profile,
            "scene_heatmap": self.scene_heatmap,
            "weakest": self.weakest,
        }

    def table(self) -> pd.DataFrame:
        """One wide table: firms, mean total, level shares, dimension profile, weakest dimension."""
        return (
            pd.DataFrame({"firms": self.firms, "mean_total": self.mean_total})
            .join(self.level_shares.add_prefix("share_"))
            .join(self.mean_profile.add_prefix("pct_"))
            .join(self.weakest[["weakest", "weakest_pct"]])
        )


def maturity_summary(
    scores: MaturityScores,
    *,
    by: GroupBy | list[GroupBy] = "region",
    k: int = DEFAULT_K,
    include_all: bool = True,
) -> MaturitySummary:
    """Level distribution, mean dimension profile, scene heat map and weakest dimension by group.

    Parameters
    ----------
    scores : MaturityScores
        Scores whose ``meta`` holds the columns the grouping needs.
    by : {"province", "region", "division", "size"} or list of them
        Grouping; a list crosses groupings (e.g. ``["region", "size"]``).
    k : int, default 5
        Minimum number of firms in a published cell (k-anonymity); must be ≥ 2.
    include_all : bool
        Add a ``全部 / All`` row (itself suppressed when fewer than k firms in total).

    Returns
    -------
    MaturitySummary
        ``level_counts``/``level_shares`` (groups × levels, shares in %), ``mean_total`` (0–100),
        ``mean_profile`` (groups × dimensions, % of each dimension's maximum), ``scene_heatmap``
        (groups × scenes, mean scene level 1–4), ``weakest`` (lowest-profile dimension per group).

    Raises
    ------
    InputError
        ``k`` < 2; see :func:`group_labels` for meta errors.
    """
    if k < 2:
        raise InputError(
            "k must be at least 2 for k-anonymity", received=k, fix="use k ≥ 2 (default 5)"
        )
    keys = [by] if isinstance(by, str) else list(by)
    labels = [group_labels(scores.meta, b) for b in keys]
    if len(labels) == 1:
        codes, uniques = pd.factorize(labels[0], sort=True)
        index = pd.Index(uniques, name=keys[0])
    else:
        mi = pd.MultiIndex.from_arrays([lab.to_numpy() for lab in labels], names=keys)
        codes, uniques = pd.factorize(mi, sort=True)
        index = pd.MultiIndex.from_tuples(list(uniques), names=keys)
    codes = np.asarray(codes, dtype=np.intp)
    g = len(index)
    if include_all:
        all_label: Any = "全部 / All" if len(keys) == 1 else tuple(["全部 / All"] * len(keys))
        index = (
            index.append(pd.Index([all_label]))
            if len(keys) == 1
            else index.append(pd.MultiIndex.from_tuples([all_label]))
        )
        index = index.set_names(keys)
    fw = scores.framework

    def per_group(x: np.ndarray) -> np.ndarray:
        s = np.bincount(codes, weights=x, minlength=g)
        return np.append(s, x.sum()) if include_all else s

    n = per_group(np.ones(scores.n))
    small = n < k
    if include_all and small[:g].sum() == 1 and g > 1 and not small[g]:
        # one hidden group could be recovered as All − the others: hide the next smallest too
        small[np.argsort(np.where(small[:g], np.inf, n[:g]), kind="stable")[0]] = True
    nlev = len(fw.levels) + 1
    lev_counts = np.bincount(
        codes * nlev + scores.level.astype(np.intp), minlength=g * nlev
    ).reshape(g, nlev)
    if include_all:
        lev_counts = np.vstack([lev_counts, lev_counts.sum(axis=0)])
    lev_mask = suppress_counts(lev_counts, k, total_row=include_all, hidden=small)
    level_cols = [f"{fw.level_name(i, 'zh')} / {fw.level_name(i, 'en')}" for i in range(nlev)]
    counts_f = np.where(lev_mask, np.nan, lev_counts.astype(np.float64))
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = counts_f / n[:, None] * 100.0
    mean_total = np.where(small, np.nan, per_group(scores.total) / np.maximum(n, 1))
    prof = scores.profile.to_numpy()
    mean_prof = (
        np.column_stack([per_group(prof[:, j]) for j in range(prof.shape[1])])
        / np.maximum(n, 1)[:, None]
    )
    mean_prof[small] = np.nan
    dims = list(scores.profile.columns)
    scenes = [it.id for it in fw.scene_items]
    if scenes:
        heat = np.column_stack(
            [per_group(scores.scene_matrix[:, j].astype(np.float64)) for j in range(len(scenes))]
        )
        heat = heat / np.maximum(n, 1)[:, None]
        heat[small] = np.nan
    else:
        heat = np.empty((len(index), 0))
    dim_names = {d.id: d.name for d in fw.scored_dimensions}
    weakest_rows = []
    for r in range(len(index)):
        if small[r]:
            weakest_rows.append(
                {
                    "weakest": None,
                    "weakest_zh": None,
                    "weakest_en": None,
                    "weakest_pct": np.nan,
                    "second_weakest": None,
                }
            )
            continue
        order = np.argsort(mean_prof[r], kind="stable")
        w = dims[order[0]]
        weakest_rows.append(
            {
                "weakest": w,
                "weakest_zh": dim_names[w].zh,
                "weakest_en": dim_names[w].en,
                "weakest_pct": float(mean_prof[r, order[0]]),
                "second_weakest": dims[order[1]] if len(order) > 1 else None,
            }
        )
    scene_cols = [it.text.zh + " / " + it.text.en for it in fw.scene_items]
    return MaturitySummary(
        by=tuple(keys),
        k=k,
        framework_id=fw.id,
        firms=pd.Series(np.where(small, np.nan, n), index=index, name="firms"),
        suppressed=pd.Series(small, index=index, name="suppressed"),
        level_counts=pd.DataFrame(counts_f, index=index, columns=level_cols),
        level_shares=pd.DataFrame(shares, index=index, columns=level_cols),
        mean_total=pd.Series(mean_total, index=index, name="mean_total"),
        mean_profile=pd.DataFrame(mean_prof, index=index, columns=dims),
        scene_heatmap=pd.DataFrame(heat, index=index, columns=scene_cols),
        weakest=pd.DataFrame(weakest_rows, index=index),
    )


def area_mask(scores: MaturityScores, area: str) -> tuple[np.ndarray, str]:
    """Which firms lie in `area` and the area's label.

    `area` is ``"all"`` (全部), an NBS region (东部/中部/西部/东北 or East/Central/West/Northeast) or a
    province (any spelling :func:`chainatlas.geo.province_lookup` accepts).

    Raises
    ------
    UnknownCodeError
        `area` is neither a region nor a province.
    """
    key = area.strip()
    if key.lower() in ("all", "全部", "全国"):
        return np.ones(scores.n, dtype=bool), "全部 / All"
    if key.lower() in REGIONS or key in REGIONS:
        zh, en = REGIONS.get(key, REGIONS.get(key.lower(), ("", "")))
        label = f"{zh} / {en}"
        return (group_labels(scores.meta, "region") == label).to_numpy(), label
    label = _label_province(key, "province")
    return (group_labels(scores.meta, "province") == label).to_numpy(), label
