"""CMP strength flags against a slow line-by-line port of the CMP's processing code.

Reference: clustermapping/cmp, data/processing/cluster_calcs_mapper.js (LQ against the traded
or local total) and cluster_calcs_reducer.js (per cluster over regions with emp > 0:
bottom-quartile floors of employment and establishments, LQ percentiles, d3.quantile).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.clusters import cmp_strength
from chainatlas.clusters.regional import RegionIndustry
from chainatlas.provenance import Provenance


def _d3_quantile(sorted_values: list[float], p: float) -> float:
    """d3.quantile (d3 v3): linear interpolation between order statistics (R-7)."""
    n = len(sorted_values)
    h = (n - 1) * p
    i = int(np.floor(h))
    v = sorted_values[i]
    return v + (sorted_values[i + 1] - v) * (h - i) if i + 1 < n else v


def _slow_cmp(emp: pd.DataFrame, est: pd.DataFrame, traded: set[str]) -> dict[tuple, dict]:
    """Port of the two CMP scripts, one cluster and one region at a time."""
    out: dict[tuple, dict] = {}
    for c in emp.columns:
        kind = [k for k in emp.columns if (k in traded) == (c in traded)]
        us_c = emp[c].sum()
        us_t = emp[kind].to_numpy().sum()
        lqs = {}
        for r in emp.index:
            reg_t = emp.loc[r, kind].sum()
            with np.errstate(invalid="ignore", divide="ignore"):
                lq = (emp.loc[r, c] / reg_t) / (us_c / us_t)
            lqs[r] = lq if np.isfinite(lq) else 0.0
        rows = [(r, lqs[r], emp.loc[r, c], est.loc[r, c]) for r in emp.index]
        live = [x for x in rows if x[2] > 0]
        all_emp = sorted(x[2] for x in live)
        all_est = sorted(x[3] for x in live)
        all_lq = sorted(x[1] for x in live)
        be, bs = _d3_quantile(all_emp, 0.25), _d3_quantile(all_est, 0.25)
        t90, t75 = _d3_quantile(all_lq, 0.90), _d3_quantile(all_lq, 0.75)
        half, b25 = _d3_quantile(all_lq, 0.5), _d3_quantile(all_lq, 0.25)
        for r, lq, e, s in rows:
            size = e > be and s > bs
            out[(r, c)] = {
                "lq": lq,
                "qualifying": lq > b25 and size,
                "significant": lq > half and size,
                "strong": lq >= t75 and size and lq >= 1,
                "top10": lq >= t90 and size and lq >= 1,
            }
    return out


def _ri(df: pd.DataFrame, measure: str) -> RegionIndustry:
    return RegionIndustry(df, measure=measure, unit="n", provenance=Provenance("test"))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cmp_rules_match_the_cmp_code(seed: int) -> None:
    rng = np.random.default_rng(seed)
    regions = [f"r{i}" for i in range(23)]
    inds = [f"c{j}" for j in range(9)]
    emp = pd.DataFrame(rng.gamma(0.7, 500.0, (23, 9)).round(), index=regions, columns=inds)
    emp[emp < 40] = 0.0  # absent clusters, excluded from the distributions
    est = (emp / 20 + rng.integers(0, 5, emp.shape)).where(emp > 0, 0.0).round()
    traded = {"c0", "c1", "c2", "c3", "c4", "c5"}
    got = cmp_strength(
        _ri(emp, "employment"), traded=sorted(traded), establishments=_ri(est, "establishments")
    ).set_index(["region", "industry"])
    ref = _slow_cmp(emp, est, traded)
    for key, want in ref.items():
        row = got.loc[key]
        assert row["lq"] == pytest.approx(want["lq"], rel=1e-12), key
        for flag in ("qualifying", "significant", "strong", "top10"):
            assert bool(row[flag]) == want[flag], (key, flag)
    assert got["strong"].any() and not got["strong"].all()


def test_rules_differ_as_documented() -> None:
    """Size floors: a tiny region with a high LQ is strong under chainatlas' old rules only."""
    emp = pd.DataFrame(
        {"x": [1.0, 50.0, 60.0, 70.0, 5.0], "y": [0.5, 500.0, 600.0, 700.0, 400.0]},
        index=list("ABCDE"),
    )
    ri = _ri(emp, "employment")
    new = cmp_strength(ri).set_index(["region", "industry"])
    old = cmp_strength(ri, rules="chainatlas").set_index(["region", "industry"])
    assert old.loc[("A", "x"), "strong"] and not new.loc[("A", "x"), "strong"]
    assert "bottom quartile" in new.attrs["rules"] and "earlier variant" in old.attrs["rules"]
    assert "no establishments given" in new.attrs["rules"]


def test_bad_rules_and_traded() -> None:
    from chainatlas.errors import InputError

    ri = _ri(pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]}, index=["a", "b"]), "m")
    with pytest.raises(InputError, match="rules"):
        cmp_strength(ri, rules="porter")
    with pytest.raises(InputError, match="traded names industries not in the table"):
        cmp_strength(ri, traded=["z"])
    with pytest.raises(InputError, match="size_pct must be a percentile"):
        cmp_strength(ri, size_pct=125.0)
