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
even its count. In level distributions a cell with 1 … k−1 firms is suppressed. Complementary
suppression then makes differencing useless: under every published total (a row's firm count, a
column's All total, and — for the province grouping — each NBS region's published figures, since
provinces nest in regions) the hidden groups and the hidden cells add up to 0 or at least ``k``
firms, so "region minus its visible provinces" or "All minus the visible groups" never isolates
fewer than ``k`` firms. Only groupings that nest are published across tables (province ⊂ region ⊂
All; division, size and crossed groupings each against All).

All statistics are bincounts over integer group codes (vectorised over firms).

Examples
--------
>>> labels = group_labels(pd.DataFrame({"province": ["四川", "Guangdong", "51"]}), "region")
>>> labels.tolist()
['西部 / West', '东部 / East', '西部 / West']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, UnknownCodeError, suggest
from chainatlas.sme.answers import SIZE_CLASSES, AnswerError
from chainatlas.sme.scoring import MaturityScores
from chainatlas.validation import validate_params

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


def _label_province(v: str, by: str) -> str:
    from chainatlas.geo import province_lookup

    row = province_lookup(v)
    if by == "region":
        return f"{row['region_zh']} / {row['region_en']}"
    return f"{row['short_zh']} / {row['name_en']}"


def _label_division(v: str, names: pd.Series) -> str:
    code = str(v).strip().upper()
    if code[:1].isalpha():
        code = code[1:]
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


@validate_params
def group_labels(
    meta: pd.DataFrame, by: GroupBy, *, division_names: pd.Series | None = None
) -> pd.Series:
    """Group label of every firm for one grouping, shape (n,).

    Parameters
    ----------
    meta : DataFrame
        Firm metadata (index: firm id) with the column the grouping needs.
    by : {"province", "region", "division", "size"}
        Grouping.
    division_names : Series, optional
        GB/T 4754-2017 division code (2 digits) → name, needed for ``by="division"``
        (:func:`chainatlas.pipelines.sme.division_names` loads it from ``gbt4754-2017``).

    Returns
    -------
    Series
        Label of each firm's group, e.g. ``"西部 / West"``, named `by`.

    Raises
    ------
    AnswerError
        The meta column needed (``province``, ``industry`` or ``size``) is missing or blank.
    UnknownCodeError
        An unknown province, industry code or size class (the message suggests close ones).
    InputError
        ``by="division"`` without `division_names`.
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
        if division_names is None:
            raise InputError(
                "grouping by division needs the GB/T 4754-2017 division names",
                received=None,
                fix="pass division_names=chainatlas.pipelines.sme.division_names() "
                "(the 'name' column of load('gbt4754-2017:divisions'))",
            )
        labels = [_label_division(u, division_names) for u in uniques]
    else:
        labels = [_label_size(u) for u in uniques]
    return pd.Series(np.asarray(labels, dtype=object)[codes], index=meta.index, name=by)


def suppress_counts(
    counts: np.ndarray,
    k: int,
    *,
    total_row: bool = False,
    hidden: np.ndarray | None = None,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """Suppression mask of a (groups × categories) count table: primary and complementary.

    Cells with ``0 < count < k`` are suppressed (primary). Then, repeatedly until nothing changes
    (complementary suppression): row totals are published, so a row whose suppressed cells add up
    to 1 … k−1 firms also loses its smallest other non-zero cell; with ``total_row=True`` the last
    row holds column totals, and a column whose suppressed cells (among the other rows) add up to
    1 … k−1 loses its smallest other non-zero cell too, as long as its total is published. No
    published row or column total can then be differenced down to fewer than ``k`` firms.

    Parameters
    ----------
    counts : ndarray of int, shape (groups, categories)
    k : int
        Minimum firms per published cell.
    total_row : bool
        The last row is the column totals.
    hidden : ndarray of bool, shape (groups,), optional
        Whole rows already suppressed.
    mask : ndarray of bool, shape (groups, categories), optional
        Cells already suppressed (for example by a coarser grouping's rules); never unmasked.

    Returns
    -------
    ndarray of bool, shape (groups, categories)
        True where a cell is suppressed.

    Examples
    --------
    >>> suppress_counts(np.array([[3, 10, 20, 0], [6, 7, 0, 0], [2, 2, 9, 9]]), 5).astype(int).tolist()
    [[1, 1, 0, 0], [0, 0, 0, 0], [1, 1, 1, 0]]
    """
    counts = np.asarray(counts, dtype=np.int64)
    out = (counts > 0) & (counts < k)
    if mask is not None:
        out |= np.asarray(mask, dtype=bool)
    if hidden is not None:
        out |= np.asarray(hidden, dtype=bool)[:, None]
    while True:
        before = int(out.sum())
        _protect_lines(counts, out, k)
        if total_row and counts.shape[0] > 1:
            body = out[:-1].T.copy()
            _protect_lines(counts[:-1].T, body, k, published=~out[-1])
            out[:-1] = body.T
        if int(out.sum()) == before:
            return out


def _protect_lines(
    counts: np.ndarray, mask: np.ndarray, k: int, published: np.ndarray | None = None
) -> None:
    """In place: every line (row) whose total is published and whose masked cells add up to
    1 … k−1 loses its smallest unmasked non-zero cell."""
    big = np.iinfo(np.int64).max
    hidden_sum = np.where(mask, counts, 0).sum(axis=1)
    cand = np.where((counts > 0) & ~mask, counts, big)
    weak = (hidden_sum > 0) & (hidden_sum < k) & (cand.min(axis=1) < big)
    if published is not None:
        weak &= published
    rows = np.flatnonzero(weak)
    mask[rows, cand[rows].argmin(axis=1)] = True


def _protect_groups(
    n: np.ndarray, small: np.ndarray, k: int, blocks: list[tuple[np.ndarray, bool]]
) -> bool:
    """In place on ``small``: within each block of groups whose parent count is published, the
    hidden groups together number 0 or at least ``k`` firms (else the next smallest is hidden).
    Returns whether anything changed."""
    changed = False
    for rows, parent_published in blocks:
        if not parent_published:
            continue
        while True:
            hid = rows[small[rows]]
            vis = rows[~small[rows]]
            total = n[hid].sum()
            if not (0 < total < k) or len(vis) == 0:
                break
            small[vis[np.argmin(n[vis])]] = True
            changed = True
    return changed


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


def _level_counts(codes: np.ndarray, level: np.ndarray, g: int, nlev: int) -> np.ndarray:
    """Firms per group × level, shape (g, nlev)."""
    flat = codes * nlev + np.asarray(level).astype(np.intp)
    return np.bincount(flat, minlength=g * nlev).reshape(g, nlev)


#: a coarser published grouping: (rows of the finer table it contains, whether its firm count is
#: published, its level counts, its suppressed-cell mask)
_Parent = tuple[np.ndarray, bool, np.ndarray, np.ndarray]


def _suppress(
    n: np.ndarray, lev_counts: np.ndarray, k: int, g: int, parents: list[_Parent]
) -> tuple[np.ndarray, np.ndarray]:
    """Hidden groups and suppressed level cells, protected against differencing.

    ``n`` has g + 1 entries (the last is All); ``lev_counts`` has g rows. The groups hidden under
    every published total (All, and each parent in ``parents``) number 0 or ≥ k firms together,
    and so do the suppressed cells of every published row and column; the rows returned include
    the All row.
    """
    small = n < k
    all_published = not small[g]
    table = np.vstack([lev_counts, lev_counts.sum(axis=0)])
    blocks = [(np.arange(g), all_published)] + [
        (rows, published) for rows, published, _, _ in parents
    ]
    mask = np.zeros(table.shape, dtype=bool)
    while True:
        before = int(small.sum()) + int(mask.sum())
        while _protect_groups(n, small, k, blocks):
            pass
        mask = suppress_counts(table, k, total_row=True, hidden=small, mask=mask)
        for rows, _pn, pcounts, pmask in parents:
            sub = np.vstack([table[rows], pcounts[None, :]])
            sub_mask = np.vstack([mask[rows], pmask[None, :]])
            body = sub_mask[:-1].T.copy()
            _protect_lines(sub[:-1].T, body, k, published=~sub_mask[-1])
            mask[rows] = body.T
        if int(small.sum()) + int(mask.sum()) == before:
            return small, mask


def _parent_blocks(
    scores: MaturityScores, codes: np.ndarray, g: int, nlev: int, k: int
) -> list[_Parent]:
    """The NBS regions as published parents of the province grouping (provinces nest in them).

    The region table is suppressed by the same rules as ``maturity_summary(by="region")``, so
    differencing a region's published figures against its visible provinces reveals no group of
    fewer than ``k`` firms.
    """
    region = group_labels(scores.meta, "region").to_numpy()
    rcodes, runiq = pd.factorize(region, sort=True)
    rcodes = np.asarray(rcodes, dtype=np.intp)
    gr = len(runiq)
    rn = np.append(np.bincount(rcodes, minlength=gr), scores.n).astype(np.float64)
    rlev = _level_counts(rcodes, scores.level, gr, nlev)
    rsmall, rmask = _suppress(rn, rlev, k, gr, [])
    group_region = np.empty(g, dtype=np.intp)
    group_region[codes] = rcodes
    out: list[_Parent] = []
    for r in range(gr):
        pmask = rmask[r] | rsmall[r]
        out.append((np.flatnonzero(group_region == r), not rsmall[r], rlev[r], pmask))
    return out


@validate_params
def maturity_summary(
    scores: MaturityScores,
    *,
    by: GroupBy | list[GroupBy] = "region",
    k: int = DEFAULT_K,
    include_all: bool = True,
    division_names: pd.Series | None = None,
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
    division_names : Series, optional
        GB/T 4754-2017 division code → name; needed when grouping by ``"division"``.

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
    labels = [group_labels(scores.meta, b, division_names=division_names) for b in keys]
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

    # protection always assumes the All total is published (by this table or another one)
    n_full = np.append(np.bincount(codes, minlength=g), scores.n).astype(np.float64)
    nlev = len(fw.levels) + 1
    lev_counts = _level_counts(codes, scores.level, g, nlev)
    parents = _parent_blocks(scores, codes, g, nlev, k) if keys == ["province"] else []
    small, lev_mask = _suppress(n_full, lev_counts, k, g, parents)
    if include_all:
        lev_counts = np.vstack([lev_counts, lev_counts.sum(axis=0)])
        n = n_full
    else:
        small, lev_mask, n = small[:g], lev_mask[:g], n_full[:g]
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
