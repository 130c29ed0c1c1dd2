"""Flying-geese typology of regions (雁阵: 头雁、跟随雁、后发雁) for a cluster or sector group.

The "flying geese" image (Akamatsu 1962; in Chinese policy, 头雁引领、雁阵齐飞) ranks regions as
lead geese, followers and latecomers. chainatlas classifies each region by three documented
rules on size, specialisation and focus, all parameters with defaults:

* **lead goose (头雁)**: size share (the region's share of the national total of the group) at
  or above the `lead_pct` percentile of regions (default 80 → roughly the top 6 of 31) **and**
  LQ ≥ `min_lq` (default 1);
* **follower (跟随雁, the 雁阵 formation)**: not a lead goose, and LQ ≥ `follow_lq` (default
  0.8) **or** size share at or above the `follow_pct` percentile (default 50, the median);
* **latecomer (后发雁)**: every other region.

Percentiles use numpy's linear interpolation across the regions given. ``focus`` (the group's
share of the region's total) is reported beside the class for reading, not used by the rule.

Examples
--------
>>> import pandas as pd
>>> size = pd.Series([0.5, 0.3, 0.15, 0.05], index=list("ABCD"))
>>> lq = pd.Series([2.0, 0.9, 1.1, 0.3], index=list("ABCD"))
>>> flying_geese(size, lq)["type"].tolist()
['lead', 'follower', 'follower', 'latecomer']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, LabelError, NonFiniteError

__all__ = ["flying_geese", "GEESE_LABELS", "GEESE_DEFAULTS"]

#: the rule parameters' defaults
GEESE_DEFAULTS: dict[str, float] = {
    "lead_pct": 80.0,
    "min_lq": 1.0,
    "follow_pct": 50.0,
    "follow_lq": 0.8,
}

#: type → (中文, English)
GEESE_LABELS: dict[str, tuple[str, str]] = {
    "lead": ("头雁", "lead goose"),
    "follower": ("跟随雁", "follower"),
    "latecomer": ("后发雁", "latecomer"),
}


def flying_geese(
    size_share: pd.Series,
    lq: pd.Series,
    focus: pd.Series | None = None,
    *,
    lead_pct: float = 80.0,
    min_lq: float = 1.0,
    follow_pct: float = 50.0,
    follow_lq: float = 0.8,
) -> pd.DataFrame:
    """Classify regions as lead geese, followers and latecomers.

    Parameters
    ----------
    size_share : Series, (r,)
        Each region's share of the group's national total (sums to 1 over regions).
    lq : Series, (r,)
        The group's location quotient in each region.
    focus : Series, optional
        The group's share of each region's total (reported only).
    lead_pct, min_lq, follow_pct, follow_lq : float
        Rule parameters (see module docs).

    Returns
    -------
    DataFrame indexed by region
        ``size_share``, ``lq``, [``focus``], ``type`` (lead/follower/latecomer), ``type_zh``,
        ``rank`` (by size share, 1 = largest), sorted by rank.

    Raises
    ------
    LabelError
        When the Series are not indexed by the same regions.
    NonFiniteError
        NaN or infinite inputs.
    InputError
        A percentile outside [0, 100] or a negative LQ threshold.
    """
    if not size_share.index.equals(lq.index) or (
        focus is not None and not focus.index.equals(lq.index)
    ):
        raise LabelError(
            "size_share, lq (and focus) must be indexed by the same regions",
            fix="align the Series first (same labels, same order)",
        )
    for name, pct in (("lead_pct", lead_pct), ("follow_pct", follow_pct)):
        if not (isinstance(pct, int | float) and 0.0 <= pct <= 100.0):
            raise InputError(
                f"{name} must be a percentile in [0, 100]", received=pct, fix="e.g. 80 or 50"
            )
    for name, floor in (("min_lq", min_lq), ("follow_lq", follow_lq)):
        if not (isinstance(floor, int | float) and np.isfinite(floor) and floor >= 0.0):
            raise InputError(
                f"{name} must be a finite number ≥ 0", received=floor, fix="e.g. 1.0 or 0.8"
            )
    s = size_share.to_numpy(dtype=float)
    q = lq.to_numpy(dtype=float)
    if not (np.isfinite(s).all() and np.isfinite(q).all()):
        raise NonFiniteError(
            "size_share or lq has NaN/inf values",
            received=list(lq.index[~(np.isfinite(s) & np.isfinite(q))][:5]),
            fix="drop regions with undefined LQ first (zero totals)",
        )
    lead_thr, follow_thr = np.percentile(s, [lead_pct, follow_pct])
    lead = (s >= lead_thr) & (q >= min_lq)
    follow = ~lead & ((q >= follow_lq) | (s >= follow_thr))
    kind = np.where(lead, "lead", np.where(follow, "follower", "latecomer"))
    out = pd.DataFrame({"size_share": s, "lq": q}, index=lq.index)
    if focus is not None:
        out["focus"] = focus.to_numpy(dtype=float)
    out["type"] = kind
    out["type_zh"] = [GEESE_LABELS[t][0] for t in kind]
    out["rank"] = out["size_share"].rank(ascending=False, method="min").astype(int)
    return out.sort_values("rank", kind="stable")
