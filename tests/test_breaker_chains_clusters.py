"""Adversarial regression tests: shock scenarios, `top`, and region × industry input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.chains._labels import check_top
from chainatlas.clusters.agglomeration import location_quotient
from chainatlas.clusters.regional import RegionIndustry, ZeroTotalsError
from chainatlas.errors import DegenerateError, InputError, LabelError, ScenarioError, SchemaError
from chainatlas.io.table import IOTable
from chainatlas.provenance import Provenance
from chainatlas.resilience.scenarios import parse_scenario, read_scenario
from chainatlas.resilience.shocks import leontief_shock

MB = IOTable.from_arrays(
    Z=[[150, 500], [200, 100]], Y=[[350], [1700]], V=[[650, 1400]], sectors=["S1", "S2"],
    final_demand=["f"], value_added=["v"], unit="USD", source="Miller & Blair Table 2.3",
)  # fmt: skip


def _leontief(*changes):
    return parse_scenario({"model": "leontief", "demand_changes": list(changes)})


def test_overlapping_changes_are_refused_not_compounded():
    sc = _leontief({"sector": "S1", "change_pct": -60}, {"sector": "S1", "change_pct": -60})
    with pytest.raises(ScenarioError, match=r"changes 1 \(S1\) and 2 \(S1\) overlap"):
        leontief_shock(MB, sc)


def test_negative_amount_beyond_demand_is_refused():
    with pytest.raises(ScenarioError, match=r"cuts more than its current value.*-1e\+06"):
        leontief_shock(MB, _leontief({"sector": "S1", "amount": -1e6}))


def test_single_change_matches_leontief_by_hand():
    res = leontief_shock(MB, _leontief({"sector": "S1", "change_pct": -10}))
    df = np.array([-35.0, 0.0])
    expected = np.linalg.solve(np.eye(2) - MB.A.to_numpy(), df)
    assert res.by_sector["change"].to_numpy() == pytest.approx(expected)


def test_zero_shock_gives_zero_change():
    res = leontief_shock(MB, _leontief({"sector": "S2", "change_pct": 0}))
    assert np.abs(res.by_sector["change"].to_numpy()).max() == 0.0


def test_non_utf8_scenario_file_is_a_scenario_error(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_bytes(b"\xff\xfe\x00model")
    with pytest.raises(ScenarioError, match="cannot read scenario file .*UnicodeDecodeError"):
        read_scenario(p)


@pytest.mark.parametrize("top", [0, -5, 2.5, True])
def test_top_must_be_positive_int(top):
    with pytest.raises(InputError, match="top must be a positive whole number"):
        check_top(top)


def test_shock_result_to_dict_checks_top():
    res = leontief_shock(MB, _leontief({"sector": "S1", "change_pct": -10}))
    with pytest.raises(InputError, match="top must be"):
        res.to_dict(top=-1)
    assert len(res.to_dict(top=1)["by_sector"]) == 1


# ----------------------------------------------------------------------------- clusters
def _ri(values, **kw):
    return RegionIndustry(
        values=values, measure="employment", unit="persons", provenance=Provenance("t"), **kw
    )


def test_empty_matrix_is_refused():
    with pytest.raises(DegenerateError, match=r"matrix is empty.*0 regions × 0 industries"):
        _ri(pd.DataFrame())


def test_text_columns_are_refused_not_coerced():
    df = pd.DataFrame({"x": ["1", "2"], "y": [3.0, 4.0]}, index=["a", "b"])
    with pytest.raises(SchemaError, match=r"1 industry column\(s\) are not numeric.*\['x'\]"):
        _ri(df)


def test_long_rows_without_labels_are_not_dropped_silently():
    long = pd.DataFrame(
        {"region": ["A", None, "B"], "industry": ["x", "y", "x"], "value": [1.0, 2.0, 3.0]}
    )
    with pytest.raises(LabelError, match=r"1 row\(s\) without a region or industry label"):
        RegionIndustry.from_long(long, measure="m", unit="u", source="s")


def test_long_without_rows_is_refused():
    long = pd.DataFrame({"region": [], "industry": [], "value": []})
    with pytest.raises(DegenerateError, match="no rows"):
        RegionIndustry.from_long(long, measure="m", unit="u", source="s")


def test_unknown_zero_totals_policy_and_nothing_left():
    with pytest.raises(InputError, match="unknown zero-totals policy.*'ignore'"):
        location_quotient(
            _ri(pd.DataFrame([[1.0, 2.0]], index=["a"], columns=["x", "y"])), zero_totals="ignore"
        )  # type: ignore[arg-type]
    zeros = _ri(pd.DataFrame(np.zeros((2, 2)), index=["a", "b"], columns=["x", "y"]))
    with pytest.raises(ZeroTotalsError, match="nothing is left"):
        location_quotient(zeros, zero_totals="drop")


def test_one_by_one_and_all_equal_lq_are_one():
    assert (
        location_quotient(_ri(pd.DataFrame([[5.0]], index=["a"], columns=["x"]))).iloc[0, 0] == 1.0
    )
    lq = location_quotient(
        _ri(pd.DataFrame(np.full((3, 3), 7.0), index=list("abc"), columns=list("xyz")))
    )
    assert np.allclose(lq.to_numpy(), 1.0)


@pytest.mark.parametrize(
    ("content", "match"),
    [(b"", r"empty \(0 bytes\)"), ("区域,industry,value\n".encode("gbk"), "not UTF-8")],
)
def test_long_form_file_errors(tmp_path, content, match):
    p = tmp_path / "ri.csv"
    p.write_bytes(content)
    with pytest.raises(SchemaError, match=match):
        RegionIndustry.read(p, measure="m", unit="u")


def test_long_form_csv_with_bom(tmp_path):
    p = tmp_path / "ri.csv"
    p.write_text("\ufeffregion,industry,value\nA,x,1\nB,y,2\nA,y,1\n", encoding="utf-8")
    ri = RegionIndustry.read(p, measure="m", unit="u")
    assert ri.values.loc["A", "x"] == 1.0 and ri.values.loc["B", "x"] == 0.0


@pytest.mark.parametrize(
    ("option", "value"), [("min_lq", -1.0), ("min_size", -5.0), ("min_lq", float("nan"))]
)
def test_strength_floors_must_be_non_negative(option, value):
    from chainatlas.clusters.strength import cluster_stars, cmp_strength

    ri = _ri(pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=["a", "b"], columns=["x", "y"]))
    with pytest.raises(InputError, match=rf"{option} must be a finite number ≥ 0"):
        cmp_strength(ri, **{option: value})
    with pytest.raises(InputError, match=rf"{option} must be a finite number ≥ 0"):
        cluster_stars(ri, **{option: value})


@pytest.mark.parametrize(
    ("call", "kw", "match"),
    [
        (
            "chainatlas.chains.value_chains:value_added_in_exports",
            {"level": "sector"},
            "unknown level 'sector'",
        ),
        (
            "chainatlas.clusters.regional:RegionIndustry.from_long",
            {"duplicates": "mean"},
            "unknown duplicates 'mean'",
        ),
    ],
)
def test_literal_options_checked(call, kw, match):
    import importlib

    mod, name = call.split(":")
    obj = importlib.import_module(mod)
    for part in name.split("."):
        obj = getattr(obj, part)
    long = pd.DataFrame({"region": ["A"], "industry": ["x"], "value": [1.0]})
    args = (MB,) if "value_chains" in mod else (long,)
    extra = {} if "value_chains" in mod else {"measure": "m", "unit": "u", "source": "s"}
    with pytest.raises(InputError, match=match):
        obj(*args, **kw, **extra)


@pytest.mark.parametrize("value", ["", "  ", None, float("nan")])
def test_empty_province_is_named_missing(value):
    from chainatlas.errors import UnknownCodeError
    from chainatlas.geo import to_province_code

    with pytest.raises(UnknownCodeError, match=r"missing \(empty\) province"):
        to_province_code(value)


def test_semiconductor_threshold_checked_without_country():
    from chainatlas.pipelines.chains import semiconductor_summary

    with pytest.raises(InputError, match=r"threshold must be in \(0, 1\].*5"):
        semiconductor_summary(None, threshold=5.0)
