"""The briefing (执行摘要) at the top of every atlas report, and the order of its sections.

:func:`build_briefing` turns the loaded object and the built sections into the context's
``briefing``:

* ``findings`` — 5–8 :func:`~chainatlas.pipelines.blocks.finding_block` sentences (zh + en), each
  with its number, unit, year and source and, where one exists, an official benchmark beside it
  (the NBS digital-economy core share of GDP, 7.8 % in 2020);
* ``scorecard`` — the unit's three pillars (never the overall score alone) with its rank among
  its peers and the 5–95 % Monte Carlo interval of that rank;
* ``vintage`` — the data years of every section, with a warning where a section's data are much
  older (more than :data:`OLD_YEARS` years) than the main table.

:func:`order_sections` gives every section a ``question`` (``breadth`` 完整性, ``height`` 先进性,
``toughness`` 安全性, ``clusters``, ``ecosystems``, ``sme``, ``annex``) when its builder did not,
and sorts the sections by question (stable within a question): method checks go to the annex.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

__all__ = [
    "QUESTIONS",
    "OFFICIAL_DIGITAL_CORE_SHARE",
    "OLD_YEARS",
    "DATASET_YEARS",
    "build_briefing",
    "order_sections",
    "question_of",
    "section_years",
]

#: report order of the questions, with their headings
QUESTIONS: dict[str, tuple[str, str]] = {
    "breadth": ("完整性（广度）", "Completeness (breadth)"),
    "height": ("先进性（高度）", "Advancement (height)"),
    "toughness": ("安全性（韧度）", "Security (toughness)"),
    "clusters": ("产业集群", "Clusters"),
    "ecosystems": ("生态群落", "Ecosystems"),
    "sme": ("中小企业数字化", "SME digitalisation"),
    "annex": ("附录：方法检验", "Annex: method checks"),
}
#: official benchmark: NBS, digital-economy core industries' value added as a share of GDP
OFFICIAL_DIGITAL_CORE_SHARE: dict[int, tuple[float, str]] = {
    2020: (
        0.078,
        "国家统计局/《“十四五”数字经济发展规划》：2020 年数字经济核心产业增加值占 GDP 7.8%",
    ),
}
#: a section's data are "much older" than the main table when older by more than this
OLD_YEARS = 5
#: data years of datasets whose spec does not carry the year
DATASET_YEARS: dict[str, tuple[int, int]] = {
    "world-trade-sitc": (1998, 2000),
    "world-trade-hs4-2017": (2017, 2017),
    "china-provincial-io-2007": (2007, 2007),
    "cn-listed-companies": (2026, 2026),
    "china-industry-chain-kg": (2021, 2021),
    "concordance": (0, 0),
    "apple-suppliers": (2012, 2022),
    "us-state-industry": (2021, 2021),
    "cn-province-innovation": (2011, 2023),
    "us-cluster-mapping": (2017, 2017),
    "gbt4754-2017": (2017, 2017),
}
#: registries and classifications: current lists, not statistics of a year — they neither date a
#: section nor hide that its statistics are old
UNDATED: frozenset[str] = frozenset(
    {"cn-listed-companies", "china-industry-chain-kg", "concordance", "gbt4754-2017"}
)
_QUESTION_RULES: tuple[tuple[str, str], ...] = (
    ("io-balance", "annex"),
    ("clusters-definitions", "annex"),
    ("io-imports", "toughness"),
    ("io-extraction", "toughness"),
    ("io-servitisation", "height"),
    ("io-", "breadth"),
    ("chain-gaps", "breadth"),
    ("chaingaps", "breadth"),
    ("gaps", "breadth"),
    ("clusters", "clusters"),
    ("complexity", "height"),
    ("digital", "height"),
    ("chains", "toughness"),
    ("chokepoint", "toughness"),
    ("semiconductor", "toughness"),
    ("shock", "toughness"),
    ("gvc", "toughness"),
    ("ecosystems", "ecosystems"),
    ("sme", "sme"),
)
Step = Callable[[str], None]


def question_of(section: dict[str, Any]) -> str:
    """The question a section answers: its own ``question`` field, else a rule on its id."""
    q = section.get("question")
    if q in QUESTIONS:
        return str(q)
    sid = str(section.get("id", ""))
    for prefix, question in _QUESTION_RULES:
        if sid.startswith(prefix) or prefix in sid:
            return question
    return "breadth"


def order_sections(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sections with ``question`` set, sorted 完整性 → 先进性 → 安全性 → clusters → ecosystems →
    SMEs → annex (stable within a question)."""
    order = list(QUESTIONS)
    for s in sections:
        s["question"] = question_of(s)
    return sorted(sections, key=lambda s: order.index(s["question"]))


# ---------------------------------------------------------------------- vintage
def _spec_years(spec: str) -> tuple[int, int] | None:
    name, _, key = str(spec).strip().partition(":")
    if name in UNDATED and name not in DATASET_YEARS:
        return None
    if name in DATASET_YEARS:
        return DATASET_YEARS[name] if DATASET_YEARS[name] != (0, 0) else None
    years = [int(y) for y in re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", key)]
    if years:
        return min(years), max(years)
    return None


def section_years(section: dict[str, Any], main: str) -> tuple[int, int] | None:
    """Data years of a section from its declared datasets (the main spec when it declares none)."""
    specs = [str(d) for d in section.get("datasets", [])] or [main]
    found = [y for s in specs for part in s.split(";") if (y := _spec_years(part)) is not None]
    if not found:
        return None
    return min(a for a, _ in found), max(b for _, b in found)


def _old_parts(
    section: dict[str, Any], main: str, latest: int
) -> list[tuple[str, tuple[int, int]]]:
    """The dated datasets of a section when even the newest of them is more than OLD_YEARS
    years before `latest` (a deliberate comparison over time that reaches recent data is fine;
    registries such as the listed-firm list do not count, see :data:`UNDATED`)."""
    specs = [str(d) for d in section.get("datasets", [])] or [main]
    dated = []
    for s in specs:
        for part in s.split(";"):
            name = part.strip().partition(":")[0]
            yrs = _spec_years(part)
            if yrs is not None and name not in UNDATED:
                dated.append((part.strip(), yrs))
    if dated and latest - max(y[1] for _, y in dated) > OLD_YEARS:
        return dated
    return []


def _vintage(sections: list[dict[str, Any]], main: str) -> list[dict[str, Any]]:
    main_years = _spec_years(main)
    out = []
    for s in sections:
        yrs = section_years(s, main)
        warn = None
        old = _old_parts(s, main, main_years[1]) if main_years else []
        if old and main_years:
            lst_zh = "、".join(f"{d}（{_span(y)} 年）" for d, y in old)
            lst_en = "; ".join(f"{d} ({_span(y)})" for d, y in old)
            gap = main_years[1] - max(y[1] for _, y in old)
            warn = {
                "zh": f"本节使用的 {lst_zh} 比主表（{main_years[1]} 年）早 {gap} 年以上，解读时请注意时效。",
                "en": f"This section uses {lst_en}, {gap}+ years older than the main table "
                f"({main_years[1]}); read it with that in mind.",
            }
        out.append(
            {
                "section": s.get("id"),
                "title": s.get("title"),
                "question": question_of(s),
                "datasets": [str(d) for d in s.get("datasets", [])] or [main],
                "years": _span(yrs) if yrs else "—",
                "warning": warn,
            }
        )
    return out


def _span(yrs: tuple[int, int]) -> str:
    return str(yrs[0]) if yrs[0] == yrs[1] else f"{yrs[0]}–{yrs[1]}"


# ---------------------------------------------------------------------- findings
def _finding(**kw: Any) -> dict[str, Any]:
    from chainatlas.pipelines.briefing_content import finding

    return finding(**kw)


def _pct(v: float, digits: int = 1) -> str:
    return f"{100 * v:.{digits}f}%"


def _names(table: Any) -> tuple[pd.Series, pd.Series]:
    meta = table.sectors
    zh = meta["name_zh"].reindex(table.labels) if meta is not None else pd.Series(dtype=str)
    en = meta["name_en"].reindex(table.labels) if meta is not None else pd.Series(dtype=str)
    return zh.astype(str), en.astype(str)


def digital_finding(table: Any, spec: str, year: int) -> dict[str, Any] | None:
    from chainatlas.clusters.digital import classification_for_spec, classify_sectors

    try:
        cls = classify_sectors(list(table.labels), classification_for_spec(spec))
    except Exception:  # noqa: BLE001 - no mapping for this vintage: no finding
        return None
    v = table.v.to_numpy(dtype=float)
    full = cls["membership"].eq("full").to_numpy()
    part = cls["membership"].ne("").to_numpy()
    lo, hi = v[full].sum() / v.sum(), v[part].sum() / v.sum()
    bench = OFFICIAL_DIGITAL_CORE_SHARE.get(year)
    n_part = int((part & ~full).sum())
    b = None
    tail_zh = tail_en = ""
    if bench:
        b = {"label": "官方口径 NBS official (国家统计局)", "value": bench[0], "unit": "share of GDP",
             "year": year, "source": bench[1]}  # fmt: skip
        gap = bench[0] - lo
        tail_zh = (
            f"；官方口径为 {_pct(bench[0])}，高出 {100 * gap:.1f} 个百分点，差额主要来自 {n_part} 个部分属于"
            "核心产业的部门（如电子商务批发零售、互联网金融、数字内容），42 部门表无法拆分"
        )
        tail_en = (
            f"; the official {_pct(bench[0])} is {100 * gap:.1f} points higher, mostly the "
            f"digital parts of {n_part} partly-digital sectors (e.g. e-commerce trade, "
            "internet finance, digital content) that the 42-sector table cannot separate"
        )
    return _finding(
        zh=f"{year} 年数字经济核心产业增加值占比（只计完全属于核心产业的两个部门，下限）为 "
        f"{_pct(lo)}{tail_zh}。",
        en=f"Digital-economy core share of value added, {year}: {_pct(lo)} from the sectors "
        f"wholly in the core (a lower bound){tail_en}.",
        value=round(lo, 4),
        unit="share of value added",
        year=year,
        source=f"{spec}; NBS digital-economy classification 2021 (digital_economy_map.csv); "
        f"counting partial sectors wholly would give {_pct(hi)}, not a useful bound",
        benchmark=b,
    )


def imports_finding(table: Any, spec: str, year: int) -> dict[str, Any] | None:
    from chainatlas.io import import_dependence

    if table.Zm is None:
        return None
    dep = import_dependence(table).sort_values("total_share", ascending=False).head(3)
    zh_s, en_s = _names(table)
    zh, en = zh_s.to_dict(), en_s.to_dict()
    parts_zh = "、".join(f"{zh[i]}（{_pct(r)}）" for i, r in dep["total_share"].items())
    parts_en = "; ".join(f"{en[i]} ({_pct(r)})" for i, r in dep["total_share"].items())
    return _finding(
        zh=f"{year} 年完全进口依赖度最高的部门：{parts_zh}。",
        en=f"Highest total import dependence, {year}: {parts_en}.",
        value=round(float(dep["total_share"].iloc[0]), 4),
        unit="total import share of inputs (1ᵀA_mL / 1ᵀ(A+A_m)L)",
        year=year,
        source=f"{spec} (non-competitive table; Hummels, Ishii & Yi 2001)",
    )


def _headline_findings(sections: list[dict[str, Any]], spec: str, n: int) -> list[dict[str, Any]]:
    """Up to `n` findings from the sections' headline cards (reports without a tailored briefing)."""
    out: list[dict[str, Any]] = []
    for s in sections:
        yrs = section_years(s, spec)
        for b in s.get("blocks", []):
            if b.get("kind") != "metrics":
                continue
            for it in b.get("items", []):
                if len(out) >= n or not isinstance(it.get("value"), (int, float)):
                    continue
                lab = it.get("label", {})
                out.append(
                    _finding(
                        zh=f"{s['title']['zh']}：{lab.get('zh', '')} {it['value']:,} {it.get('unit', '')}",
                        en=f"{s['title']['en']}: {lab.get('en', '')} {it['value']:,} "
                        f"{it.get('unit', '')}",
                        value=it["value"],
                        unit=it.get("unit", ""),
                        year=_span(yrs) if yrs else None,
                        source=", ".join(str(d) for d in s.get("datasets", [])) or spec,
                    )
                )
    return out


def build_briefing(
    obj: Any,
    spec: str,
    sections: list[dict[str, Any]],
    *,
    step: Step | None = None,
) -> dict[str, Any]:
    """The briefing of a report (see the module docs).

    Parameters
    ----------
    obj : object
        The loaded main object (an IOTable for IO reports).
    spec : str
        The main dataset spec.
    sections : list of dict
        The report's sections (for the data vintage).
    step : callable, optional
        Progress messages.

    Returns
    -------
    dict
        ``{"title", "findings", "scorecard", "vintage", "main_years", "notes"}``.
    """
    from chainatlas.pipelines import briefing_content as bc

    step = step or (lambda _m: None)
    step("briefing: key findings and scorecard")
    main_years = _spec_years(spec)
    year = main_years[1] if main_years else None
    findings, card, notes = bc.content(obj, spec, year, step)
    if card and year and isinstance(card.get("year"), int) and year - card["year"] > OLD_YEARS:
        card["warning"] = {
            "zh": f"评分卡数据为 {card['year']} 年（镜像中最新的可比数据），比主表早 {year - card['year']} 年。",
            "en": f"The scorecard uses {card['year']} data (the latest comparable data in the "
            f"mirror), {year - card['year']} years older than the main table.",
        }
    findings = [f for f in findings if f is not None]
    if len(findings) < 5:
        findings += _headline_findings(sections, spec, 5 - len(findings))
    findings = findings[:8]
    return {
        "title": {"zh": "执行摘要", "en": "Briefing"},
        "findings": findings,
        "scorecard": card,
        "vintage": _vintage(sections, spec),
        "main_years": _span(main_years) if main_years else "—",
        "notes": notes,
    }
