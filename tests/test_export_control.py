"""Export-control scenarios: validation, bad input, the cut, the four models and the cost table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chainatlas.errors import ScenarioError, UnknownCodeError
from chainatlas.io.table import IOTable
from chainatlas.resilience import parse_scenario, read_scenario
from chainatlas.resilience.export_control import build_cut, ghosh_cut, leontief_cut
from chainatlas.resilience.reconcile import jobs_per_output, reconciled_costs

EX = Path(__file__).resolve().parents[1] / "examples" / "scenarios"
BASE = {
    "model": "export_control",
    "target": "CHN",
    "coalition": ["USA", "NLD", "JPN"],
    "sectors": ["c14"],
    "start_day": 3,
    "duration_days": 20,
    "simulate_days": 40,
    "parameters": {"negative_final_demand": "clip"},
}


@pytest.fixture(scope="module")
def wiod(mirror: object) -> IOTable:
    from chainatlas.datasets import load

    return load("wiod-2013:2011", progress=False)


def test_scenario_validation_errors() -> None:
    with pytest.raises(ScenarioError, match=r"cut_pct: Input should be less than or equal to 100"):
        parse_scenario({**BASE, "cut_pct": 120})
    with pytest.raises(ScenarioError, match=r"cut_pct: Input should be greater than 0"):
        parse_scenario({**BASE, "cut_pct": 0})
    with pytest.raises(ScenarioError, match=r"cut_pct: Input should be a finite number"):
        parse_scenario({**BASE, "cut_pct": float("nan")})
    with pytest.raises(ScenarioError, match=r"cut_pct: Input should be a valid number"):
        parse_scenario({**BASE, "cut_pct": True})  # a boolean where a number is expected
    with pytest.raises(ScenarioError, match=r"duration_days: Input should be a valid integer"):
        parse_scenario({**BASE, "duration_days": True})
    with pytest.raises(
        ScenarioError, match=r"simulate_days: Input should be less than or equal to 3650"
    ):
        parse_scenario({**BASE, "simulate_days": 4000})
    with pytest.raises(
        ScenarioError, match=r"simulate_days: Input should be less than or equal to 3650"
    ):
        parse_scenario({"model": "ario", "events": [], "simulate_days": 3651})
    with pytest.raises(ScenarioError, match=r"target economy CHN is inside its own coalition"):
        parse_scenario({**BASE, "coalition": ["USA", "chn"]})
    with pytest.raises(ScenarioError, match=r"coalitio: unknown key"):
        parse_scenario({**BASE, "coalitio": ["USA"]})
    with pytest.raises(ScenarioError, match=r"substitution: Input should be 'none', 'own_sector'"):
        parse_scenario({**BASE, "substitution": "some"})
    with pytest.raises(ScenarioError, match=r"coalition lists an economy twice"):
        parse_scenario({**BASE, "coalition": ["USA", "USA"]})


def test_yaml_files_refused(tmp_path: Path) -> None:
    dup = tmp_path / "dup.yaml"
    dup.write_text("model: export_control\ntarget: CHN\ntarget: USA\ncoalition: [JPN]\n"
                   "sectors: [c14]\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(ScenarioError, match=r"dup.yaml: duplicate key 'target' \(lines 2 and 3\)"):
        read_scenario(dup)
    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
    prev = "a"
    for lvl in "bcdefg":
        bomb += f"{lvl}: &{lvl} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
        prev = lvl
    (tmp_path / "bomb.yaml").write_text(bomb + "model: ario\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="expands to more than 100,000 nodes"):
        read_scenario(tmp_path / "bomb.yaml")
    js = tmp_path / "dup.json"
    js.write_text('{"model": "ario", "model": "leontief"}', encoding="utf-8")
    with pytest.raises(ScenarioError, match="duplicate key 'model' in a JSON scenario"):
        read_scenario(js)
    boolean = tmp_path / "bool.yaml"
    boolean.write_text("model: export_control\ntarget: CHN\ncoalition: [JPN]\nsectors: [c14]\n"
                       "cut_pct: yes\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(ScenarioError, match=r"cut_pct: Input should be a valid number"):
        read_scenario(boolean)


def test_cut_errors_on_wiod(wiod: IOTable) -> None:
    with pytest.raises(UnknownCodeError, match="unknown economy code 'XYZ'"):
        build_cut(wiod, parse_scenario({**BASE, "coalition": ["USA", "XYZ"]}))
    with pytest.raises(UnknownCodeError, match="unknown sector code 'c99'"):
        build_cut(wiod, parse_scenario({**BASE, "sectors": ["c99"]}))
    # Luxembourg's private households sell nothing to China: say so, do not report a zero loss
    with pytest.raises(ScenarioError, match=r"the coalition LUX sells no c35 to CHN in this table"):
        build_cut(wiod, parse_scenario({**BASE, "coalition": ["LUX"], "sectors": ["c35"]}))


def test_cut_flows_and_models_against_slow_references(wiod: IOTable) -> None:
    sc = parse_scenario(BASE)
    cut = build_cut(wiod, sc)
    Z, Y = wiod.Z, wiod.Y
    rows = [(e, "c14") for e in ["USA", "NLD", "JPN"]]
    want = float(
        Z.loc[rows, "CHN"].to_numpy().sum() + Y.loc[rows, "CHN"].clip(lower=0).to_numpy().sum()
    )
    assert cut.total_cut == pytest.approx(want, rel=1e-12)
    assert cut.total_replaced == 0.0
    # Ghosh: slow dense reference with the cut flows removed from Z
    Zc = Z.copy()
    for r in rows:
        Zc.loc[r, "CHN"] = 0.0
    x = wiod.x.to_numpy()
    B = Zc.to_numpy() / np.where(x > 0, x, 1.0)[:, None]
    v = x - Z.to_numpy().sum(axis=0)
    x_new = v @ np.linalg.inv(np.eye(len(x)) - B)
    np.testing.assert_allclose(ghosh_cut(cut), x_new - x, rtol=1e-8, atol=1e-6)
    # Leontief mixed model: CHN c14's output falls by the coalition's share of its c14 use
    dx = leontief_cut(cut)
    use = Z.loc[(slice(None), "c14"), ("CHN", "c14")].sum()
    share = Z.loc[rows, ("CHN", "c14")].sum() / use
    assert -dx[wiod.labels.get_loc(("CHN", "c14"))] == pytest.approx(
        share * wiod.x[("CHN", "c14")], rel=1e-10
    )
    assert (dx <= 1e-6).all() or dx.sum() < 0
    # substitution from China's own sector lowers the static loss
    own = build_cut(wiod, parse_scenario({**BASE, "substitution": "own_sector"}))
    assert 0 < own.total_replaced <= own.total_cut
    assert -leontief_cut(own).sum() < -dx.sum()


def test_reconciled_table_in_gdp_and_jobs(wiod: IOTable) -> None:
    from chainatlas.datasets.loaders.china_io import china_employment

    jobs = jobs_per_output(wiod, china_employment(progress=False), 2011)
    # every division of china_employment lands in one WIOD sector: persons add up to the total
    assert jobs.attrs["total_persons"] == pytest.approx(76420.0 * 1e4, rel=2e-3)
    assert (jobs.drop(index="CHN", level=0) == 0).all()
    seen: list[str] = []
    res = reconciled_costs(wiod, parse_scenario(BASE), year=2011, jobs=jobs,
                           progress=lambda m, f: seen.append(m))  # fmt: skip
    t = res.table
    assert list(t.index) == ["extraction", "ghosh", "leontief", "ario"]
    gdp_chn = float((wiod.x - wiod.Z.sum(axis=0)).loc["CHN"].sum())
    assert res.gdp_focus == pytest.approx(gdp_chn, rel=1e-12)
    np.testing.assert_allclose(t["va_loss_focus_pct_gdp"], 100 * t["va_loss_focus"] / gdp_chn)
    assert (t.loc[["extraction", "ghosh", "leontief"], "va_loss_focus"] > 0).all()
    assert t.loc["extraction", "va_loss_focus"] >= t.loc["leontief", "va_loss_focus"] - 1e-6
    assert (t["va_loss_world"] > 0).all() and (t["jobs_loss_focus"].notna()).all()
    assert t.loc["ario", "period"] == "cumulative, 40 days"
    assert all(len(a) > 40 for a in t["assumptions"])
    assert {g["cite"] for g in res.guidance} == set(t.index)
    assert any("ARIO day 40/40" in m for m in seen)
    # the dynamic cut shows from its start day and lasts while it is in force
    daily = res.details["ario_daily_loss_focus"]
    assert daily.iloc[: BASE["start_day"]].abs().max() < 1e-6 * daily.abs().max()
    assert np.isfinite(daily.to_numpy()).all()


def test_examples_parse() -> None:
    a = read_scenario(EX / "usa-nld-jpn-semiconductors-chn.yaml")
    b = read_scenario(EX / "kor-twn-jpn-c14-chn.yaml")
    assert a.coalition == ["USA", "NLD", "JPN"] and a.sectors == ["c14"]
    assert b.coalition == ["KOR", "TWN", "JPN"] and b.substitution == "other_foreign"


def test_shock_run_cli_prints_one_reconciled_table(tmp_path: Path, mirror: object) -> None:
    import json

    import yaml
    from typer.testing import CliRunner

    from chainatlas.cli import app

    f = tmp_path / "kor.yaml"
    f.write_text(yaml.safe_dump({**BASE, "coalition": ["KOR", "TWN", "JPN"],
                                 "substitution": "other_foreign", "table": "wiod-2013:2011"}))  # fmt: skip
    runner = CliRunner()
    res = runner.invoke(app, ["shock", "run", str(f), "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert [r["key"] for r in d["costs"]] == ["extraction", "ghosh", "leontief", "ario"]
    assert d["year"] == 2011 and d["focus"] == "CHN" and len(d["guidance"]) == 4
    assert 0.5 < d["replaced_share"] <= 1.0
    res = runner.invoke(app, ["shock", "run", str(f)], env={"COLUMNS": "240"})
    assert res.exit_code == 0 and "which figure to cite" in res.stdout
    assert res.stdout.index("Headline — CHN") < res.stdout.index("reconciled cost table")
    assert "要点 — CHN" in res.stdout and "万人年" in res.stdout
    assert "electrical and optical equipment (incl. semiconductors)" in res.stdout
    assert "ARIO" in res.stdout and "% of GDP" in res.stdout and "Leontief" in res.stdout
    res = runner.invoke(app, ["shock", "run", str(f), "--engine", "boario"])
    assert res.exit_code != 0 and "--engine applies to ARIO scenarios only" in str(res.exception)


@pytest.fixture(scope="module")
def costs_none(wiod: IOTable) -> object:
    """BASE (substitution none) through the shock pipeline, with China's jobs."""
    from chainatlas.pipelines.shock import export_control_costs

    return export_control_costs(wiod, parse_scenario(BASE), "wiod-2013:2011")


def test_headline_range_recommended_year_and_unit(costs_none: object) -> None:
    from chainatlas.pipelines.shock_text import headline

    res = costs_none
    h = headline(res)
    va = res.table["va_loss_focus"]
    ub = f"US${va['extraction']:,.0f} M"
    for text in (h["en"], h["zh"]):
        assert ub in text and "ARIO" in text and "USD million" in text
    assert "short-run (≤ 1 year) loss" in h["en"] and "long-run structural upper bound" in h["en"]
    assert "2011 structure, illustrative — WIOD 2013 release" in h["en"]
    assert "2011 年结构" in h["zh"] and "短期（≤ 1 年）" in h["zh"] and "长期结构性上限" in h["zh"]
    # the range names the smallest and the largest model
    assert "(extraction bound)" in h["en"] and h["en"].index("range from") < h["en"].index(ub)


def test_equal_rows_merged_gain_shown_as_gain_and_jobs_units(costs_none: object) -> None:
    import dataclasses

    from chainatlas.pipelines.shock import cost_table_view
    from chainatlas.pipelines.shock_text import equal_by_construction, notes

    res = costs_none
    assert equal_by_construction(res)
    view = cost_table_view(res)
    assert list(view.index) == ["leontief=extraction", "ghosh", "ario"]
    assert view.loc["leontief=extraction", "model 模型"].startswith(
        "Leontief = extraction bound (no substitution)"
    )
    jobs = view.loc["ghosh", "jobs CHN 就业损失 (万人年)"]
    assert jobs == pytest.approx(res.table.loc["ghosh", "jobs_loss_focus"] / 1e4)
    assert any("fixed labour coefficients" in n["en"] and "劳动系数固定" in n["zh"]
               for n in notes(res))  # fmt: skip
    # with something replaced the two rows stay apart
    other = dataclasses.replace(res, details={**res.details, "replaced_share": 0.4})
    assert not equal_by_construction(other)
    assert "leontief" in cost_table_view(other).index
    # a gain of the focus economy reads as a gain, never as a negative loss
    t = res.table.copy()
    t.loc["ario", "va_loss_focus"] = -123.4
    gain = cost_table_view(dataclasses.replace(res, table=t))
    assert gain.loc["ario", "GDP loss CHN 增加值损失 (USD million)"] == "gain 增益 123"
    from chainatlas.pipelines.shock_text import headline

    assert "ARIO gain of US$123 M" in headline(dataclasses.replace(res, table=t))["en"]
    t.loc["ario", "output_loss_focus"] = -50.0
    h = headline(dataclasses.replace(res, table=t))
    assert "gross output rises by US$50 M" in h["en"] and "总产出反而增加 US$50 M" in h["zh"]


def test_section_bilingual_assumptions_c14_label_and_ario_note(costs_none: object) -> None:
    import json

    from chainatlas.pipelines.shock import export_control_section
    from chainatlas.resilience.export_control import MODEL_ASSUMPTIONS

    sec = export_control_section(costs_none)
    text = json.dumps(sec, ensure_ascii=False, default=str)
    assert "见英文说明" not in text
    assert "电气和光学设备（含半导体）" in sec["title"]["zh"]
    assert "electrical and optical equipment (incl. semiconductors)" in sec["title"]["en"]
    assert "cannot isolate semiconductors or lithography tools" in text
    assert "无法单独识别半导体或光刻设备" in text
    assert "act as substitution" in text and "起到了替代作用" in text
    assert sec["blocks"][0]["kind"] == "finding" and "Headline" in sec["blocks"][0]["en"]
    assumptions = next(b for b in sec["blocks"] if "Assumptions" in str(b.get("en", "")))
    for key in MODEL_ASSUMPTIONS:
        assert MODEL_ASSUMPTIONS[key] in assumptions["en"]
    # every model's assumptions in Chinese: Chinese characters are most of the zh text
    zh = assumptions["zh"]
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in zh) > 200
    assert all(w in zh for w in ("假设抽取上界", "Ghosh", "Leontief", "ARIO", "库存"))
