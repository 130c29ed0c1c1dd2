"""Frameworks as data: shipped files, schema checks, user overrides, unknown versions."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from chainatlas.sme.schema import (
    FrameworkError,
    UnknownFrameworkError,
    list_frameworks,
    load_framework,
)

SHIPPED = Path(__file__).resolve().parents[1] / "src/chainatlas/sme/frameworks"


def test_miit_structure_matches_the_facts() -> None:
    fw = load_framework("miit-2024")
    assert fw.id == "miit-2024-manufacturing"
    dims = {d.id: d.points for d in fw.dimensions}
    assert dims == {"foundation": 50, "operations": 0, "management": 30, "results": 20}
    subs = {s.id: s.points for d in fw.dimensions for s in d.subdimensions if s.points}
    assert subs == {
        "equipment_systems": 20, "data_collection": 10, "information_systems": 10, "security": 10,
        "planning": 15, "resources": 15, "green_low_carbon": 7, "product_quality": 7, "market_benefits": 6,
    }  # fmt: skip
    idx = fw.item_index
    assert [o.points for o in idx["network_buildout"].options] == [2] * 4
    assert [b.points for b in idx["equipment_digital_rate"].bands] == [0, 1.5, 3, 4.5, 6]
    assert [b.min for b in idx["equipment_network_rate"].bands] == [0, 10, 20, 40, 60]
    capture = [o.points for o in idx["data_capture_steps"].options]
    assert capture.count(0.7) == 13 and capture.count(0.9) == 1
    assert [o.points for o in idx["system_coverage"].options] == [0, 2.5, 5, 7.5, 10]
    assert [o.points for o in idx["network_security"].options] == [1.25] * 4
    assert [o.points for o in idx["digital_planning"].options] == [0, 1.5, 3, 4.5, 6, 7.5]
    assert [o.points for o in idx["management_mechanisms"].options] == [1.875] * 4
    assert [o.points for o in idx["digital_talent"].options] == [1.5] * 5
    assert {it.id: it.points for it in fw.items if it.type == "trend"} == {
        "energy_intensity_trend": 7, "quality_trend": 7, "revenue_trend": 3, "profitability_trend": 3,
    }  # fmt: skip
    assert len(fw.scene_items) == 16 and sum(bool(it.key) for it in fw.scene_items) == 10
    assert [(lv.name.zh, lv.min_score) for lv in fw.levels] == [
        ("一级", 20),
        ("二级", 40),
        ("三级", 60),
        ("四级", 80),
    ]
    assert all(not r.verified for r in fw.level_rules) and fw.key_scenes_verified is False
    assert not idx["digital_funding"].verified  # band limits are assumptions


def test_eu_dma_structure() -> None:
    fw = load_framework("eu-dma")
    assert len(fw.scored_dimensions) == 6 and all(d.points == 100 for d in fw.scored_dimensions)
    assert fw.total == "mean_of_dimensions"
    assert [p.id for p in fw.parameters] == ["planned_investment_weight"]
    assert len(fw.scored_subdimensions) == 11  # eleven question blocks
    assert [lv.min_score for lv in fw.levels] == [0, 25, 50, 75]
    assert [lv.verified for lv in fw.levels] == [True, False, False, False]


def test_variants_say_they_are_incomplete() -> None:
    table = list_frameworks()
    assert set(table.index) >= {
        "miit-2024-manufacturing",
        "miit-2024-producer-services",
        "miit-2024-other-industries",
        "eu-dma",
    }
    for name in ("miit-2024-producer-services", "miit-2024-other-industries"):
        fw = load_framework(name)
        assert fw.status == "incomplete" and "not in the public facts" in fw.notes[0].en
        with pytest.raises(FrameworkError, match="is incomplete"):
            fw.require_complete()


def test_unknown_framework_version() -> None:
    with pytest.raises(
        UnknownFrameworkError,
        match=r"unknown framework or version 'miit-2022'.*miit-2024-manufacturing",
    ):
        load_framework("miit-2022")


def _write(tmp_path: Path, data: dict, name: str = "mine.yaml") -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def _miit() -> dict:
    return yaml.safe_load((SHIPPED / "miit-2024-manufacturing.yaml").read_text(encoding="utf-8"))


def test_points_must_add_up(tmp_path: Path) -> None:
    data = _miit()
    data["dimensions"][0]["subdimensions"][0]["items"][0]["points"] = 9
    with pytest.raises(
        FrameworkError, match="item points of sub-dimension 'equipment_systems' add up to 21"
    ):
        load_framework(_write(tmp_path, data))
    data = _miit()
    data["dimensions"][3]["points"] = 25
    with pytest.raises(
        FrameworkError, match="sub-dimension points of 'results' add up to 20, not 25"
    ):
        load_framework(_write(tmp_path, data, "b.yaml"))


def test_every_item_has_a_known_type(tmp_path: Path) -> None:
    data = _miit()
    del data["dimensions"][0]["subdimensions"][1]["items"][0]["type"]
    with pytest.raises(
        FrameworkError, match=r"Field required at dimensions\.0\.subdimensions\.1\.items\.0\.type"
    ):
        load_framework(_write(tmp_path, data))
    data = _miit()
    data["dimensions"][0]["subdimensions"][1]["items"][0]["type"] = "likert"
    with pytest.raises(FrameworkError, match="numeric_band, single_choice, multi_select"):
        load_framework(_write(tmp_path, data, "c.yaml"))


def test_level_rules_reference_existing_scenes(tmp_path: Path) -> None:
    data = _miit()
    data["level_rules"][1]["scenes"][0] = "scene_product_desing"
    with pytest.raises(
        FrameworkError,
        match="references 'scene_product_desing', which is not a scene item.*scene_product_design",
    ):
        load_framework(_write(tmp_path, data))


def test_single_choice_best_option_equals_points(tmp_path: Path) -> None:
    data = _miit()
    data["dimensions"][0]["subdimensions"][2]["items"][0]["options"][-1]["points"] = 9
    with pytest.raises(FrameworkError, match="'system_coverage': the best answer gives 9 points"):
        load_framework(_write(tmp_path, data))


def test_user_override_with_extends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = textwrap.dedent(
        """
        extends: miit-2024
        id: my-miit
        version: "2024-local"
        level_rules:
          - id: l3_six_scenes
            level: 3
            kind: scenes_at_level
            min_level: 3
            count: 4
            key_count: 0
            enabled: true
            verified: false
            description: {zh: 本地规则, en: local rule}
        """
    )
    (tmp_path / "my-miit.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("CHAINATLAS_SME_FRAMEWORKS", str(tmp_path))
    fw = load_framework("my-miit")
    assert fw.version == "2024-local" and fw.level_rules[0].count == 4
    assert len(fw.items) == 31 and fw.aliases == ()  # inherited items, not the parent's aliases
    assert "my-miit" in list_frameworks().index
    assert load_framework(tmp_path / "my-miit.yaml").id == "my-miit"
