"""Pages over the newer pipelines (province atlas, chain gaps) and the SME page.

A page whose pipeline is not installed is hidden (``Page.available``), never a placeholder.
"""

from __future__ import annotations

from typing import Any

import chainatlas.web.sme  # noqa: F401  (registers the SME page)
from chainatlas.web.pages import Page, Param, Progress, _has, register

__all__: list[str] = []


def _provinces() -> list[str]:
    from chainatlas.geo import provinces

    return [str(x) for x in provinces()["short_zh"]]


def _province_years() -> list[str]:
    return ["2017", "2012", "2007", "2002"]


def _chains() -> list[str]:
    from chainatlas.chains.templates import chain_templates

    return list(chain_templates())


def _province(params: dict[str, str], progress: Progress) -> dict[str, Any]:
    from chainatlas.pipelines.province import province_context

    spec = f"china-provincial-io:{params['year']}-{params['province']}"
    return province_context(spec, step=lambda m: progress(m, None))


def _chain(params: dict[str, str], progress: Progress) -> dict[str, Any]:
    from chainatlas.pipelines.chain_gaps_report import chain_gaps_context

    progress(f"chain gaps: {params['chain']} in {params['province']}", None)
    return chain_gaps_context(params["province"], 2017, chains=[params["chain"]])


PROVINCE = Page(
    slug="province",
    title_zh="省级产业图谱",
    title_en="Province atlas",
    about_zh="31个省区市：要点、依赖、数字产业集群与雁阵、产业链缺链矩阵与链图。",
    about_en="31 provinces: briefing, dependence, digital clusters and flying geese, the chain-gap "
    "matrix and chain maps.",
    params=(
        Param("province", "四川", "省份", "province", _provinces, strict=False),
        Param("year", "2017", "年份", "year", _province_years),
    ),
    build=_province,
    datasets=lambda _p: ["china-provincial-io", "cn-listed-companies", "china-industry-chain-kg"],
    available=_has("chainatlas.pipelines.province"),
)

CHAIN = Page(
    slug="chain",
    title_zh="产业链补链（一图N清单）",
    title_en="Chain gaps: one map, N lists",
    about_zh="选择产业链与省份：链图、缺链与弱链清单、合作省份与链主企业。",
    about_en="Choose a chain and a province: the chain map, missing and weak links, partner "
    "provinces and chain leaders.",
    params=(
        Param("chain", "integrated-circuits", "产业链", "chain", _chains, strict=False),
        Param("province", "四川", "省份", "province", _provinces, strict=False),
    ),
    build=_chain,
    datasets=lambda _p: ["china-provincial-io", "cn-listed-companies", "china-industry-chain-kg"],
    available=_has("chainatlas.pipelines.chain_gaps_report"),
)

register(PROVINCE)
register(CHAIN)


# -- scenario: an export control built in a form, validated by the YAML scenario's model --------
_LIST = r"^[A-Za-z0-9_]{1,12}( ?, ?[A-Za-z0-9_]{1,12}){0,40}$"


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def scenario_model(params: dict[str, str]) -> Any:
    """The form's scenario, parsed by the same pydantic model and error path as a YAML file.

    Raises
    ------
    ScenarioError
        What :func:`chainatlas.resilience.scenarios.parse_scenario` raises for the same YAML.
    """
    from chainatlas.errors import ScenarioError
    from chainatlas.resilience.scenarios import parse_scenario

    data: dict[str, Any] = {
        "model": "export_control",
        "name": "web form",
        "table": params["table"],
        "target": params["target"],
        "coalition": _split(params["coalition"]),
        "sectors": _split(params["sectors"]),
        "substitution": params["substitution"],
    }
    for key, kind in (("cut_pct", float), ("duration_days", int), ("simulate_days", int)):
        try:
            data[key] = kind(params[key])
        except ValueError:
            raise ScenarioError(
                f"scenario form: {key} must be a number",
                received=params[key],
                fix=f"e.g. {key}=" + ("100" if kind is float else "90"),
            ) from None
    data["start_day"] = 5
    data["parameters"] = {"negative_final_demand": "clip"}  # as the shipped example scenarios
    return parse_scenario(data, source="scenario form")


def _scenario(params: dict[str, str], progress: Progress) -> dict[str, Any]:
    from chainatlas.datasets import load
    from chainatlas.pipelines.atlas import _datasets_used
    from chainatlas.pipelines.shock import export_control_costs, export_control_section

    sc = scenario_model(params)
    progress(f"loading {params['table']}", 0.05)
    table = load(params["table"], progress=False)
    res = export_control_costs(table, sc, params["table"], progress=progress)
    sec = export_control_section(res)
    coal = "+".join(sc.coalition)
    return {
        "kind": "export-control-scenario",
        "title": {"zh": f"断供情景：{coal} → {sc.target}", "en": f"Export control: {coal} → {sc.target}"},
        "subtitle": {"zh": "对账后的损失表（各模型同一情景）", "en": "Reconciled cost table (one scenario, every model)"},
        "params": dict(params),
        "spec": params["table"],
        "datasets": _datasets_used("wiod-2013", [sec]),
        "briefing": None,
        "sections": [sec],
        "provenance": {"source": params["table"]},
    }  # fmt: skip


def _check_scenario(params: dict[str, str]) -> None:
    scenario_model(params)


SCENARIO = Page(
    slug="scenario",
    title_zh="断供情景",
    title_en="Export-control scenario",
    about_zh="在表单中设定断供情景（联盟、部门、比例、天数、替代），得到对账后的损失表。",
    about_en="Build an export control in a form (coalition, sectors, share, days, substitution) "
    "and get the reconciled cost table.",
    params=(
        Param(
            "table",
            "wiod-2013:2011",
            "投入产出表",
            "table",
            lambda: ["wiod-2013:2011"],
            strict=False,
            dataset="wiod-2013",
        ),
        Param("target", "CHN", "目标经济体", "target economy", None, r"^[A-Za-z]{3}$"),
        Param("coalition", "USA,NLD,JPN", "断供联盟", "coalition", None, _LIST),
        Param("sectors", "c14", "部门", "sectors", None, _LIST),
        Param("cut_pct", "100", "断供比例 %", "cut %", None, r"^[0-9]{1,3}(\.[0-9]{1,4})?$"),
        Param("duration_days", "90", "持续天数", "days", None, r"^[0-9]{1,4}$"),
        Param("simulate_days", "180", "模拟天数", "simulated days", None, r"^[0-9]{1,4}$"),
        Param(
            "substitution",
            "none",
            "替代",
            "substitution",
            lambda: ["none", "own_sector", "other_foreign"],
        ),
    ),
    build=_scenario,
    datasets=lambda _p: ["wiod-2013"],
    available=_has("chainatlas.pipelines.shock"),
    extra={"check": _check_scenario},
)

register(SCENARIO)
