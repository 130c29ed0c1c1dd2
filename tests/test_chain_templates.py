"""Chain templates: the shipped YAML files against the real KG and IO scheme; bad templates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chainatlas.chains import templates as ct
from chainatlas.datasets import load
from chainatlas.errors import ChainAtlasError

REQUIRED = {
    "集成电路",
    "新能源汽车",
    "动力电池",
    "光伏",
    "工业母机",
    "生物医药",
    "通信设备/算力",
    "工程机械",
}


@pytest.fixture(scope="module")
def kg_names() -> set[str]:
    return set(load("china-industry-chain-kg:industries", progress=False)["name"])


@pytest.fixture(scope="module")
def kg_upstream():
    return load("china-industry-chain-kg:upstream", progress=False)


@pytest.fixture(scope="module")
def io_sectors() -> list[str]:
    return list(load("china-io:2017-42", progress=False).sectors.index)


def test_shipped_templates_cover_the_issue_and_validate(kg_names, io_sectors) -> None:
    temps = ct.chain_templates()
    assert {t.name_zh for t in temps.values()} >= REQUIRED
    for t in temps.values():
        ct.validate_template(t, kg_industries=kg_names, io_sectors=io_sectors)
        assert {ln.stage for ln in t.links} == set(ct.STAGES), t.id  # every stage present
        assert t.io_scheme == "nbs-2017-42" and t.version
        assert all(ln.note for ln in t.links), t.id  # every link documents its choices


def test_kg_bases_are_honest(kg_upstream) -> None:
    """'kg' edges are supported by industry_up, 'manual' ones are not, and every supported pair
    the template does not use is listed in kg_omitted with a reason."""
    n_kg = 0
    for t in ct.chain_templates().values():
        sup = ct.kg_edge_support(t, kg_upstream)
        supported = set(zip(sup["upstream"], sup["link"], strict=True))
        for u, link, basis in t.edges().itertuples(index=False):
            assert ((u, link) in supported) == (basis == "kg"), (t.id, u, link, basis)
            n_kg += basis == "kg"
        unused = {
            (u, v) for u, v, used in sup[["upstream", "link", "in_template"]].values if not used
        }
        assert unused == {(u, v) for u, v, _ in t.kg_omitted}, t.id
    assert n_kg >= 15  # the KG supports a real part of the structure


def test_known_kg_edges() -> None:
    t = ct.chain_template("工程机械")
    assert t.link("machines").upstream == {
        "steel": "kg",
        "hydraulics-parts": "kg",
        "drivetrain": "manual",
    }
    assert (
        ct.chain_template("ic").link("design").io_sector == "31"
    )  # 6520 集成电路设计 is a service


def test_resolve_names_and_unknown_chain() -> None:
    assert ct.chain_template("Photovoltaics").id == "photovoltaics"
    assert ct.chain_template("nev").name_zh == "新能源汽车"
    with pytest.raises(
        ct.UnknownChainError, match=r"unknown chain '光伏发电链'.*did you mean '光伏'"
    ):
        ct.chain_template("光伏发电链")
    with pytest.raises(ChainAtlasError, match="Chains: .*integrated-circuits"):
        ct.chain_template("rockets")


def _write(folder: Path, data: dict, name: str = "x.yaml") -> Path:
    folder.mkdir(exist_ok=True)
    p = folder / name
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def _base() -> dict:
    path = Path(ct.chain_template("photovoltaics").path)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_user_folder_adds_and_overrides(tmp_path, monkeypatch) -> None:
    over = _base()
    over["name"]["en"] = "Solar (local version)"
    new = _base() | {
        "id": "solar-lite",
        "name": {"zh": "光伏简版", "en": "Solar lite"},
        "aliases": [],
    }
    new["links"] = new["links"][:2]
    new["kg_omitted"] = []
    _write(tmp_path, over, "photovoltaics.yaml")
    _write(tmp_path, new, "lite.yml")
    monkeypatch.setenv(ct.ENV_VAR, str(tmp_path))
    assert ct.chain_template("光伏").name_en == "Solar (local version)"
    assert len(ct.chain_template("光伏简版").links) == 2
    monkeypatch.setenv(ct.ENV_VAR, str(tmp_path / "nope"))
    with pytest.raises(ct.ChainTemplateError, match="does not exist"):
        ct.chain_templates()


def test_cycle_is_refused() -> None:
    d = _base()
    links = {ln["id"]: ln for ln in d["links"]}
    links["polysilicon-wafers"]["upstream"] = {"power-plants": "manual"}
    with pytest.raises(ct.ChainTemplateError, match=r"cycle: .*polysilicon-wafers"):
        ct.parse_template(d)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["links"][0].update(stage="上中游"), "unknown stage"),
        (lambda d: d["links"][1].update(upstream={"wafers": "manual"}), "unknown upstream links"),
        (lambda d: d["links"][1].update(upstream={"equipment": "guess"}), "must be kg or manual"),
        (lambda d: d["links"].append(dict(d["links"][0])), "duplicate link ids"),
        (lambda d: d.update(io_scheme="nbs-2012-42"), "unknown io_scheme"),
        (lambda d: d.update(links=[]), "non-empty list of links"),
        (
            lambda d: d["kg_omitted"].append({"upstream": "x", "link": "y", "reason": "noise"}),
            "kg_omitted names unknown links",
        ),
    ],
)
def test_bad_layout(change, message) -> None:
    d = _base()
    change(d)
    with pytest.raises(ct.ChainTemplateError, match=message):
        ct.parse_template(d)


def test_unknown_industry_or_sector(kg_names, io_sectors) -> None:
    d = _base()
    d["links"][0]["kg_industries"] = ["硅料硅⽚"]  # a look-alike character
    t = ct.parse_template(d)
    with pytest.raises(
        ct.ChainTemplateError, match=r"unknown KG industry .*did you mean '硅料硅片'"
    ):
        ct.validate_template(t, kg_industries=kg_names, io_sectors=io_sectors)
    d = _base()
    d["links"][0]["io_sector"] = "43"
    with pytest.raises(ct.ChainTemplateError, match="unknown IO sector '43' in scheme nbs-2017-42"):
        ct.validate_template(ct.parse_template(d), kg_industries=kg_names, io_sectors=io_sectors)


def test_bad_yaml_file(tmp_path, monkeypatch) -> None:
    (tmp_path / "broken.yaml").write_text("id: x\nlinks: [a: b: c]\n", encoding="utf-8")
    monkeypatch.setenv(ct.ENV_VAR, str(tmp_path))
    with pytest.raises(ct.ChainTemplateError, match="cannot read chain template"):
        ct.chain_templates()
    (tmp_path / "broken.yaml").write_text("id: x\nid: y\n", encoding="utf-8")
    with pytest.raises(ct.ChainTemplateError, match="duplicate key 'id'"):
        ct.chain_templates()
