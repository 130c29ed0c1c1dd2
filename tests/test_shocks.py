"""Shock models: zero shock, slow references, scenario validation, BoARIO steady state."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from chainatlas.chains.synthetic import random_multiregion_table
from chainatlas.errors import ScenarioError, UnknownCodeError
from chainatlas.resilience import parse_scenario, read_scenario, run_scenario
from chainatlas.resilience.ario import ARIOError, prepare_for_boario, run_ario

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "scenarios"


@pytest.fixture(scope="module")
def table():
    return random_multiregion_table(3, 4, seed=11)


def _mats(t):
    Z = t.Z.to_numpy()
    x = t.x.to_numpy()
    return Z, x, Z / x[None, :], Z / x[:, None]


@pytest.mark.parametrize("model", ["leontief", "ghosh"])
def test_zero_shock_gives_zero_change(table, model: str) -> None:
    key = "demand_changes" if model == "leontief" else "input_changes"
    res = run_scenario(
        table, parse_scenario({"model": model, key: [{"economy": "R1", "change_pct": 0}]})
    )
    assert np.abs(res.by_sector["change"].to_numpy()).max() == 0.0
    assert res.totals["change"] == 0.0
    res = run_scenario(
        table, parse_scenario({"model": model, key: [{"sector": "s2", "amount": 0.0}]})
    )
    assert np.abs(res.by_sector["change"].to_numpy()).max() == 0.0


def test_leontief_matches_explicit_inverse(table) -> None:
    Z, x, A, _ = _mats(table)
    sc = parse_scenario(
        {
            "model": "leontief",
            "demand_changes": [
                {"economy": "R0", "sector": "s1", "change_pct": -20},
                {"sector": "s3", "amount": 30.0},
            ],
        }
    )
    res = run_scenario(table, sc)
    f = x - Z.sum(axis=1)
    df = np.zeros_like(f)
    i = table.labels.get_loc(("R0", "s1"))
    df[i] = -0.2 * f[i]
    m = np.asarray(table.labels.get_level_values(1)) == "s3"
    df[m] += 30.0 * f[m] / f[m].sum()
    want = np.linalg.inv(np.eye(len(x)) - A) @ df
    np.testing.assert_allclose(res.by_sector["change"].to_numpy(), want, rtol=1e-10, atol=1e-10)
    assert res.totals["change"] == pytest.approx(want.sum(), rel=1e-10)
    assert res.by_economy.loc["R0", "change"] == pytest.approx(want[:4].sum(), rel=1e-10)
    assert res.by_economy.loc["total", "change"] == pytest.approx(want.sum(), rel=1e-10)


def test_ghosh_matches_explicit_inverse(table) -> None:
    Z, x, _, B = _mats(table)
    res = run_scenario(
        table,
        parse_scenario({"model": "ghosh", "input_changes": [{"economy": "R2", "change_pct": -50}]}),
    )
    v = x - Z.sum(axis=0)
    dv = np.where(np.asarray(table.labels.get_level_values(0)) == "R2", -0.5 * v, 0.0)
    want = dv @ np.linalg.inv(np.eye(len(x)) - B)
    np.testing.assert_allclose(res.by_sector["change"].to_numpy(), want, rtol=1e-10, atol=1e-10)
    assert any("Oosterhaven" in a for a in res.assumptions)


def test_extraction_matches_reduced_inverse(table) -> None:
    Z, x, A, _ = _mats(table)
    res = run_scenario(
        table,
        parse_scenario(
            {
                "model": "extraction",
                "extract": [{"economy": "R1"}, {"economy": "R0", "sector": "s0"}],
            }
        ),
    )
    reg = np.asarray(table.labels.get_level_values(0))
    S = (reg == "R1") | (np.arange(len(x)) == table.labels.get_loc(("R0", "s0")))
    R = ~S
    f = x - Z.sum(axis=1)
    xr = np.linalg.inv(np.eye(R.sum()) - A[np.ix_(R, R)]) @ f[R]
    np.testing.assert_allclose(res.by_sector["x_after"].to_numpy()[R], xr, rtol=1e-10)
    assert (res.by_sector["x_after"].to_numpy()[S] == 0).all()
    assert len(res.details["extracted"]) == 5


def test_scenario_errors(tmp_path: Path, table) -> None:
    base = {
        "model": "ario",
        "events": [{"economy": "R0", "sector": "s1", "capacity_loss_pct": 30, "duration_days": 10}],
    }
    with pytest.raises(
        ScenarioError, match=r"capacity_loss_pct: Input should be less than or equal to 100"
    ):
        parse_scenario({**base, "events": [{**base["events"][0], "capacity_loss_pct": 120}]})
    with pytest.raises(ScenarioError, match=r"capacity_loss_pct: Input should be greater than 0"):
        parse_scenario({**base, "events": [{**base["events"][0], "capacity_loss_pct": -5}]})
    with pytest.raises(
        ScenarioError, match=r"duration_days: Input should be greater than or equal to 1"
    ):
        parse_scenario({**base, "events": [{**base["events"][0], "duration_days": -3}]})
    with pytest.raises(ScenarioError, match=r"events\.0\.sectr: unknown key"):
        parse_scenario({**base, "events": [{**base["events"][0], "sectr": "s1"}]})
    with pytest.raises(ScenarioError, match=r"colour: unknown key"):
        parse_scenario({**base, "colour": "red"})
    with pytest.raises(
        ScenarioError, match=r"change_pct: Input should be greater than or equal to -100"
    ):
        parse_scenario({"model": "ghosh", "input_changes": [{"economy": "R0", "change_pct": -150}]})
    with pytest.raises(ScenarioError, match="exactly one of change_pct or amount"):
        parse_scenario({"model": "leontief", "demand_changes": [{"economy": "R0"}]})
    with pytest.raises(ScenarioError, match="does not match any of the expected tags"):
        parse_scenario({"model": "cge", "demand_changes": []})
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: leontief\ndemand_changes:\n  - economy: R0\n    change_pct: 5\nfoo: 1\n")
    with pytest.raises(ScenarioError, match="scenario file bad.yaml: foo: unknown key"):
        read_scenario(bad)
    sc = parse_scenario(
        {
            "model": "leontief",
            "demand_changes": [{"economy": "R0", "sector": "s9", "change_pct": 5}],
        }
    )
    with pytest.raises(UnknownCodeError, match="unknown sector code 's9'.*did you mean"):
        run_scenario(table, sc)
    sc = parse_scenario(
        {"model": "leontief", "demand_changes": [{"economy": "RX0", "change_pct": 5}]}
    )
    with pytest.raises(UnknownCodeError, match="unknown economy code 'RX0'.*did you mean 'R0'"):
        run_scenario(table, sc)


def test_json_and_yaml_files_and_examples(tmp_path: Path) -> None:
    p = tmp_path / "s.json"
    p.write_text(json.dumps({"model": "extraction", "extract": [{"economy": "R0"}]}))
    assert read_scenario(p).model == "extraction"
    files = sorted(EXAMPLES.glob("*.*"))
    assert {f.suffix for f in files} >= {".yaml", ".json"}
    models = {read_scenario(f).model for f in files}
    assert models == {"leontief", "ghosh", "extraction", "ario", "export_control"}
    jpn = read_scenario(EXAMPLES / "jpn-electrical-30pct-90d.yaml")
    assert jpn.events[0].capacity_loss_pct == 30 and jpn.events[0].duration_days == 90


def test_ario_no_event_stays_at_steady_state(table) -> None:
    res = run_ario(table, parse_scenario({"model": "ario", "simulate_days": 40}), progress=None)
    base = res.baseline
    rel = (res.daily_production - base).abs() / base
    assert float(rel.to_numpy().max()) < 1e-9
    np.testing.assert_allclose(
        base.to_numpy() * 365, table.x.groupby(level=0).sum().to_numpy(), rtol=1e-9
    )


def test_ario_event_reduces_production(table) -> None:
    sc = parse_scenario(
        {
            "model": "ario",
            "simulate_days": 60,
            "events": [
                {
                    "economy": "R0",
                    "sector": "s1",
                    "capacity_loss_pct": 40,
                    "start_day": 3,
                    "duration_days": 20,
                }
            ],
        }
    )
    res = run_ario(table, sc, progress=None)
    loss = res.daily_loss["R0"]
    # day convention: day 0 is the steady state; the loss shows from start_day (3), not later
    assert abs(loss.loc[2]) < 1e-9 * res.baseline["R0"]
    assert loss.loc[3] >= 0.4 * table.x.loc[("R0", "s1")] / 365 * (1 - 1e-6)
    daily_sector = table.x.loc[("R0", "s1")] / 365
    # during the event R0 loses at least the direct capacity loss of the shocked sector
    assert loss.loc[10] >= 0.4 * daily_sector * (1 - 1e-6)
    assert res.loss_by_economy.index[0] == "R0"
    assert res.loss_by_economy.loc["R0", "loss"] > 0


def test_ario_negative_final_demand_policy(table) -> None:
    Y = table.Y.copy()
    Y.iloc[0, 1] = -1.0
    t2 = table.replace(step="test", Y=Y, check_balance=False)
    with pytest.raises(ARIOError, match="negative final demand"):
        prepare_for_boario(t2)
    t3 = prepare_for_boario(t2, negative_final_demand="clip")
    assert (t3.Y.to_numpy() >= 0).all()
    assert any("clipped" in s for s in t3.provenance.steps)


def test_ario_daily_summary_and_table_view(table) -> None:
    from rich.console import Console

    from chainatlas.cli.shock import _table_view
    from chainatlas.resilience.ario import NEGATIVE_LOSS_NOTE

    sc = parse_scenario(
        {
            "model": "ario",
            "simulate_days": 30,
            "events": [
                {
                    "economy": "R1",
                    "sector": "s2",
                    "capacity_loss_pct": 30,
                    "start_day": 2,
                    "duration_days": 10,
                }
            ],
        }
    )
    res = run_ario(table, sc, progress=None)
    world = res.daily_loss.sum(axis=1)
    ds = res.daily_summary
    assert ds["peak_day"] == int(world.to_numpy().argmax())
    assert ds["peak_loss"] == pytest.approx(float(world.max()))
    assert ds["cumulative"] == pytest.approx(res.totals["loss"], rel=1e-9)
    assert ds["first_days"][2] == pytest.approx(float(world.loc[2])) and world.loc[2] > 0
    assert ds["peak_loss_pct"] == pytest.approx(100 * world.max() / res.baseline.sum())
    payload = res.to_dict(top=5)
    assert payload["notes"] == [NEGATIVE_LOSS_NOTE] and "substitution" in NEGATIVE_LOSS_NOTE
    con = Console(width=200, record=True)
    for part in _table_view(payload, "synthetic", 5, None):
        con.print(part)
    text = con.export_text()
    assert "peak day" in text and "cumulative" in text and "totals" in text
    assert f"{ds['cumulative']:,.1f}" in text


def test_ario_progress_callback_and_engines_agree(table) -> None:
    from chainatlas.resilience import run_scenario

    sc = parse_scenario(
        {"model": "ario", "simulate_days": 20, "engine": "boario",
         "events": [{"economy": "R1", "sector": "s0", "capacity_loss_pct": 50, "start_day": 2,
                     "duration_days": 5}]}
    )  # fmt: skip
    seen: list[tuple[str, float | None]] = []
    ref = run_scenario(table, sc, progress=lambda m, f: seen.append((m, f)))
    assert ("BoARIO day 20/20", 1.0) in seen and seen[0] == ("BoARIO: building the model", None)
    fast = run_scenario(table, sc.model_copy(update={"engine": "kernel"}))
    assert fast.parameters["engine"] == "kernel" and ref.parameters["engine"] == "boario"
    np.testing.assert_allclose(
        fast.daily_production.to_numpy(), ref.daily_production.to_numpy(), rtol=1e-8
    )
    assert fast.daily_loss.sum(axis=1).loc[1] == pytest.approx(0.0, abs=1e-9)
    assert fast.daily_loss.sum(axis=1).loc[2] > 0
