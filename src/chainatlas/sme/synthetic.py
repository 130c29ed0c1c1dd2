"""Synthetic assessments (合成答卷) for examples, tests and benchmarks — not real firms.

Answers are drawn independently per item from a latent "maturity" per firm, so scores spread over
all levels; provinces, manufacturing divisions (C13–C43) and size classes are drawn at random.

Examples
--------
>>> from chainatlas.sme.schema import load_framework
>>> df = synthetic_answers(load_framework("miit-2024"), 3, seed=1)
>>> df.shape[0], df["firm_id"].tolist()
(3, ['SYN000000', 'SYN000001', 'SYN000002'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from chainatlas.errors import InputError
from chainatlas.provenance import Provenance
from chainatlas.sme.answers import EncodedAnswers
from chainatlas.sme.schema import Framework, Item

__all__ = ["synthetic_answers", "synthetic_encoded", "WEST"]

_PROVINCES = [
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
]  # fmt: skip
_DIVISIONS = [f"C{d}" for d in range(13, 44)]
_SIZES = ["micro", "small", "medium"]


def _draw(item: Item, m: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = m.shape[0]
    u = np.clip(m + rng.normal(0, 0.2, n), 0, 0.999)
    t = item.type
    if t == "numeric_band":
        lo, hi = item.range or (item.bands[0].min, item.bands[-1].max)
        return np.round(
            lo + u**1.5 * (hi - lo) * (0.08 if item.unit.startswith("% of") else 1.0), 1
        )
    if t == "single_choice":
        return np.floor(u * len(item.options)).astype(np.int8)
    if t == "trend":
        return np.floor(u * 3).astype(np.int8)
    if t == "scene_level":
        return (1 + np.floor(u * 4)).astype(np.int8)
    if t == "scale_0_5":
        return np.floor(u * 6).astype(np.int8)
    mask = np.zeros(n, dtype=np.uint64)
    for k in range(len(item.options)):
        hit = rng.random(n) < u
        mask |= hit.astype(np.uint64) << np.uint64(k)
    return mask


#: the 12 western provinces (西部, NBS four regions)
WEST = ["内蒙古", "广西", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆"]  # fmt: skip


def _provinces(n: int, rng: np.random.Generator, min_west: int) -> np.ndarray:
    """Random provinces; with `min_west`, at least that many firms in each western province."""
    prov = np.asarray(_PROVINCES, dtype=object)[rng.integers(0, len(_PROVINCES), n)]
    if min_west:
        need = min_west * len(WEST)
        if need > n:
            raise InputError(
                f"{n} firms cannot put {min_west} in each of the {len(WEST)} western provinces",
                received={"n": n, "min_west": min_west},
                fix=f"use n >= {need} or a smaller min_west",
            )
        slots = rng.permutation(n)[:need]
        prov[slots] = np.repeat(np.asarray(WEST, dtype=object), min_west)
    return prov


def synthetic_encoded(
    framework: Framework, n: int, *, seed: int = 0, min_west: int = 0
) -> EncodedAnswers:
    """`n` synthetic firms as encoded answers (skips parsing; for large benchmarks).

    `min_west` puts at least that many firms in each of the 12 western provinces (:data:`WEST`),
    so regional pictures of the west have a bar for every province (default 0: all at random).

    Raises
    ------
    InputError
        `min_west` × 12 > `n`, or `min_west` < 0.
    """
    if not (isinstance(min_west, int) and min_west >= 0):
        raise InputError("min_west must be an integer ≥ 0", received=min_west, fix="e.g. 5")
    rng = np.random.default_rng(seed)
    m = rng.beta(2.0, 2.2, n)
    values = {it.id: _draw(it, m, rng) for it in framework.items}
    ids = pd.Index(
        np.char.add("SYN", np.char.zfill(np.arange(n).astype(str), 6)).astype(object),
        name="firm_id",
    )
    meta = pd.DataFrame(
        {
            "province": _provinces(n, rng, min_west),
            "industry": np.asarray(_DIVISIONS, dtype=object)[rng.integers(0, len(_DIVISIONS), n)],
            "size": np.asarray(_SIZES, dtype=object)[rng.integers(0, 3, n)],
            "wave": np.full(n, "T0", dtype=object),
        },
        index=ids,
    )
    return EncodedAnswers(
        framework=framework,
        firm_ids=ids,
        meta=meta,
        values=values,
        provenance=Provenance(source=f"synthetic (seed {seed}) — not real firms"),
    )


def synthetic_answers(
    framework: Framework, n: int, *, seed: int = 0, min_west: int = 0
) -> pd.DataFrame:
    """`n` synthetic firms as a batch answers table (the CSV layout), clearly labelled SYN*.

    `min_west`: at least that many firms in each western province (see
    :func:`synthetic_encoded`).
    """
    enc = synthetic_encoded(framework, n, seed=seed, min_west=min_west)
    cols: dict[str, object] = {
        "firm_id": enc.firm_ids.to_numpy(),
        **{c: enc.meta[c].to_numpy() for c in enc.meta},
    }
    for it in framework.items:
        v = enc.values[it.id]
        if it.type == "single_choice":
            cols[it.id] = np.asarray([o.id for o in it.options], dtype=object)[v]
        elif it.type == "trend":
            cols[it.id] = np.asarray(["worse", "flat", "better"], dtype=object)[v]
        elif it.type == "multi_select":
            parts = [
                np.where((v >> np.uint64(k)) & np.uint64(1), o.id, "")
                for k, o in enumerate(it.options)
            ]
            joined = pd.Series([";".join(filter(None, row)) for row in zip(*parts, strict=True)])
            cols[it.id] = joined.mask(joined == "", "none").to_numpy()
        else:
            cols[it.id] = v
    return pd.DataFrame(cols)
