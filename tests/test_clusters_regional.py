"""RegionIndustry, agglomeration and strength: layout, policies and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.clusters import (
    RegionIndustry,
    ZeroTotalsError,
    agglomeration_summary,
    cluster_stars,
    cmp_strength,
    location_quotient,
    strength_table,
)
from chainatlas.errors import (
    InputError,
    LabelError,
    NegativeValueError,
    NonFiniteError,
    SchemaError,
)
from chainatlas.provenance import Provenance


def _ri(values: list[list[float]], regions: str = "ABC", inds: str = "xyz") -> RegionIndustry:
    df = pd.DataFrame(
        values, index=list(regions[: len(values)]), columns=list(inds[: len(values[0])])
    )
    return RegionIndustry(df, measure="jobs", unit="persons", provenance=Provenance("test"))


def test_from_long_pivots_and_fills_zero() -> None:
    long = pd.DataFrame(
        {"region": ["A", "A", "B"], "industry": ["x", "y", "y"], "value": [1, 2, 3]}
    )
    ri = RegionIndustry.from_long(long, measure="m", unit="u", source="s")
    assert ri.values.loc["B", "x"] == 0.0
    assert ri.industry_totals.to_dict() == {"x": 1.0, "y": 5.0}


def test_duplicate_rows_raise_or_sum() -> None:
    long = pd.DataFrame({"region": ["A", "A"], "industry": ["x", "x"], "value": [1.0, 2.0]})
    with pytest.raises(LabelError, match="duplicate region-industry rows"):
        RegionIndustry.from_long(long, measure="m", unit="u", source="s")
    ri = RegionIndustry.from_long(long, measure="m", unit="u", source="s", duplicates="sum")
    assert ri.values.loc["A", "x"] == 3.0
    assert "summed 2 duplicate" in ri.provenance.steps[-1]


def test_duplicate_labels_raise() -> None:
    df = pd.DataFrame([[1.0], [2.0]], index=["A", "A"], columns=["x"])
    with pytest.raises(LabelError, match="duplicate region labels"):
        RegionIndustry(df, measure="m", unit="u", provenance=Provenance("t"))


def test_nan_and_negative_raise() -> None:
    with pytest.raises(NonFiniteError, match="NaN or infinite"):
        _ri([[1.0, np.nan], [1.0, 1.0]])
    with pytest.raises(NegativeValueError, match="negative value"):
        _ri([[1.0, -2.0], [1.0, 1.0]])
    long = pd.DataFrame({"region": ["A"], "industry": ["x"], "value": [None]})
    with pytest.raises(NonFiniteError, match="missing value"):
        RegionIndustry.from_long(long, measure="m", unit="u", source="s")
    bad = pd.DataFrame({"region": ["A"], "industry": ["x"], "value": ["many"]})
    with pytest.raises(SchemaError, match="non-numeric"):
        RegionIndustry.from_long(bad, measure="m", unit="u", source="s")
    with pytest.raises(SchemaError, match="lacks column"):
        RegionIndustry.from_long(bad.drop(columns="value"), measure="m", unit="u", source="s")


def test_zero_totals_raise_then_drop_lists_them() -> None:
    ri = _ri([[1.0, 0.0, 2.0], [0.0, 0.0, 0.0], [3.0, 0.0, 1.0]])
    with pytest.raises(ZeroTotalsError, match="LQ .* is undefined"):
        location_quotient(ri)
    lq = location_quotient(ri, zero_totals="drop")
    assert lq.shape == (2, 2)
    assert lq.attrs["dropped"] == {"regions": ["B"], "industries": ["y"]}
    s = cmp_strength(ri, zero_totals="drop")
    assert s.attrs["dropped"]["regions"] == ["B"]
    with pytest.raises(ZeroTotalsError):
        cluster_stars(ri)


def test_metadata_must_align() -> None:
    df = pd.DataFrame([[1.0, 2.0]], index=["A"], columns=["x", "y"])
    meta = pd.DataFrame({"name": ["n"]}, index=["B"])
    with pytest.raises(LabelError, match="regions metadata"):
        RegionIndustry(df, measure="m", unit="u", provenance=Provenance("t"), regions=meta)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_read_long_files(tmp_path, suffix: str) -> None:
    long = pd.DataFrame(
        {"region": ["A", "B", "B"], "industry": ["x", "x", "y"], "value": [1.0, 2.0, 4.0]}
    )
    path = tmp_path / f"t{suffix}"
    if suffix == ".csv":
        long.to_csv(path, index=False)
    elif suffix == ".xlsx":
        long.to_excel(path, index=False)
    else:
        long.to_parquet(path)
    ri = RegionIndustry.read(path, measure="m", unit="u")
    assert ri.values.loc["B", "y"] == 4.0 and ri.provenance.source == str(path)
    with pytest.raises(SchemaError, match="unknown file type"):
        RegionIndustry.read(tmp_path / "t.txt", measure="m", unit="u")


def test_strength_reference_four_regions() -> None:
    # x is concentrated in A, y in D: A is strong and top-10% in x, D in y
    ri = _ri([[10.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 10.0]], regions="ABCD", inds="xy")
    s = cmp_strength(ri).set_index(["region", "industry"])
    assert s.loc[("A", "x"), "strong"] and s.loc[("A", "x"), "top10"]
    assert s.loc[("D", "y"), "top10"] and not s.loc[("B", "x"), "strong"]
    lq_a = (10 / 11) / (13 / 26)
    assert s.loc[("A", "x"), "lq"] == pytest.approx(lq_a)
    floor = cmp_strength(ri, min_size=20.0)
    assert not floor["strong"].any()
    with pytest.raises(InputError, match="percentile"):
        cmp_strength(ri, strong_pct=175.0)
    t = strength_table(ri)
    assert {"strong", "top10", "stars"} <= set(t.columns) and len(t) == 8


def test_agglomeration_summary_shapes() -> None:
    ri = _ri([[1.0, 2.0, 3.0], [2.0, 2.0, 1.0]])
    s = agglomeration_summary(ri)
    assert list(s["industries"].columns) == ["total", "hoover", "gini", "hhi"]
    assert list(s["regions"].columns) == ["total", "krugman"]
