"""What the briefing says for each kind of report (findings and the scorecard card).

* China's national tables (``china-io:…``): the digital-core share of value added against the
  official 7.8 % (2020), the top import dependences, China's top foreign chokepoints (WIOD 2011,
  the latest multi-region year in the mirror), the province that leads the digital core (2017),
  China's ECI rank (2017), the energy-use trend 2002–2020, and China's scorecard among the 40
  WIOD economies (2011);
* multi-region tables (``wiod-2013:YEAR``): the pillar leaders with their rank intervals, China's
  card and chokepoints for that year;
* provincial tables: the province's card among the 31 provinces;
* anything else: the headline cards of the report's own sections.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from chainatlas.io.table import IOTable
from chainatlas.scorecard import PILLAR_NAMES, PILLARS

__all__ = ["content", "finding", "card"]

Step = Callable[[str], None]
WIOD_LATEST = 2011
PEERS = {
    "wiod-2013": {"zh": "40 个 WIOD 经济体", "en": "the 40 WIOD economies"},
    "china-provincial-io": {"zh": "31 个省份", "en": "the 31 provinces"},
    "china-io": {"zh": "2002–2020 各基准年", "en": "the benchmark years 2002–2020"},
}
PROVINCES_LATEST = 2017


def finding(**kw: Any) -> dict[str, Any]:
    """A finding block (:func:`chainatlas.pipelines.blocks.finding_block`)."""
    from chainatlas.pipelines.blocks import finding_block

    return finding_block(**kw)


def _pct(v: float, digits: int = 1) -> str:
    return f"{100 * v:.{digits}f}%"


def card(run: Any, unit: str) -> dict[str, Any]:
    """The scorecard card of one unit: three pillars and the overall, rank [p05–p95] of N."""
    sc = run.scorecard
    u = sc.resolve_unit(unit)
    s = sc.scores.loc[u]
    items = []
    for p in [*PILLARS, "overall"]:
        zh, en = PILLAR_NAMES.get(
            p, ("综合（仅与三支柱并列）", "overall (beside the pillars only)")
        )
        items.append(
            {
                "pillar": p,
                "label": {"zh": zh, "en": en},
                "score": round(float(s[p]), 1),
                "rank": int(s[f"{p}_rank"]),
                "rank_p05": int(s[f"{p}_rank_p05"]),
                "rank_p95": int(s[f"{p}_rank_p95"]),
                "of": len(sc.scores),
            }
        )
    m = sc.settings
    peers = PEERS.get(run.spec.partition(":")[0], {"zh": run.unit_label, "en": run.unit_label})
    return {
        "unit": u,
        "peers": peers,
        "spec": run.spec,
        "year": run.year,
        "items": items,
        "unit_of_score": f"0–100 ({m['normalisation']}, {m['aggregation']} mean); rank 1 = best",
        "source": f"chainatlas scorecard {run.spec} ({m['spec']} v{m['version']}); "
        "OECD/JRC Handbook (2008)",
        "interval": f"5–95 % of ranks over {m['monte_carlo']['n_draws']} Monte Carlo draws "
        "(Dirichlet weights × normalisation × aggregation)",
        "command": f"chainatlas scorecard {run.spec} --explain {u}",
    }


def _card_finding(run: Any, unit: str) -> dict[str, Any]:
    c = card(run, unit)
    it = {i["pillar"]: i for i in c["items"]}

    def r(p: str) -> str:
        i = it[p]
        return f"{i['rank']}/{i['of']} [{i['rank_p05']}–{i['rank_p95']}]"

    return finding(
        zh=f"{c['unit']} 在 {c['peers']['zh']}中（{c['year']} 年）：广度第 {r('breadth')}，高度第 "
        f"{r('height')}，韧度第 {r('toughness')}（方括号为 5–95% 排名区间）。",
        en=f"{c['unit']} among {c['peers']['en']} ({c['year']}): breadth {r('breadth')}, height "
        f"{r('height')}, toughness {r('toughness')} (rank, 5–95 % interval in brackets).",
        value=it["height"]["rank"],
        unit="rank (1 = best)",
        year=c["year"],
        source=c["source"],
    )


# ---------------------------------------------------------------------- China national
def _china_findings(table: IOTable, spec: str, year: int | None, step: Step) -> tuple:
    from chainatlas.pipelines import briefing as b
    from chainatlas.pipelines.scorecard import run_scorecard

    out: list[dict[str, Any] | None] = []
    y = year or 0
    out.append(b.digital_finding(table, spec, y))
    out.append(b.imports_finding(table, spec, y))
    step("briefing: WIOD 2011 scorecard and chokepoints")
    run = run_scorecard(f"wiod-2013:{WIOD_LATEST}", n_draws=1000, cache=True)
    out.append(_chokepoint_finding(run, "CHN"))
    out.append(_eci_finding(run))
    step("briefing: provinces and China 2002–2020")
    out.append(_province_digital_finding())
    out.append(_energy_trend_finding())
    notes = [
        {"zh": f"国际比较用 WIOD {WIOD_LATEST} 年（镜像中最新的多区域表），与主表年份不同。",
         "en": f"International comparisons use WIOD {WIOD_LATEST} (the latest multi-region table "
               "in the mirror), not the main table's year."},
    ]  # fmt: skip
    return out, _large_economy_note(card(run, "CHN")), notes


def _large_economy_note(c: dict[str, Any]) -> dict[str, Any]:
    """A top toughness rank beside a chokepoint list needs one sentence, or it reads as a
    contradiction: large economies import little relative to their size."""
    it = {i["pillar"]: i for i in c["items"]}
    if "toughness" in it and it["toughness"]["rank"] <= 3 and "note" not in c:
        c["note"] = {
            "zh": "韧度排名靠前主要因为大型经济体的进口依赖度相对其规模较低；"
            "下文的卡脖子清单列出的是具体的对外依赖环节，二者并不矛盾。",
            "en": "The high toughness rank mainly reflects that a large economy imports little "
            "relative to its size; the chokepoint list below names the specific foreign "
            "exposures, so the two do not contradict each other.",
        }
    return c


def _chokepoint_finding(run: Any, unit: str) -> dict[str, Any] | None:
    ranks = run.inputs.get("_cache", {}).get("chokepoints", {})
    r = ranks.get(unit)
    if r is None or r.empty:
        return None
    r = r[~r.get("rest_of_world", pd.Series(False, index=r.index)).astype(bool)].head(3)
    nm = r["name_en"] if "name_en" in r.columns else pd.Series("", index=r.index)
    nz = r["name_zh"] if "name_zh" in r.columns else nm
    parts_en = "; ".join(f"{e}/{s} {nm[(e, s)]} ({r.loc[(e, s), 'score']:.2f})" for e, s in r.index)
    parts_zh = "；".join(
        f"{e}/{s} {nz[(e, s)]}（{r.loc[(e, s), 'score']:.2f}）" for e, s in r.index
    )
    return finding(
        zh=f"{unit} 的前三个境外卡脖子供应方（{run.year} 年，得分 0–1）：{parts_zh}。",
        en=f"{unit}'s top three foreign chokepoint suppliers ({run.year}, score 0–1): {parts_en}.",
        value=round(float(r["score"].iloc[0]), 4),
        unit="chokepoint score (0–1)",
        year=run.year,
        source=f"{run.spec}; chainatlas.chains.chokepoint_rankings (supply share × foreign-only "
        "concentration × Ghosh reach)",
    )


def _eci_finding(run: Any) -> dict[str, Any] | None:
    from chainatlas.pipelines.complexity import GROWTH_LAB_ECI_2017 as GL
    from chainatlas.pipelines.scorecard import ECI_SOURCE, ECI_YEAR, eci_2017

    eci, _ = eci_2017()
    if "CHN" not in eci.index:
        return None
    rank = int((eci > eci["CHN"]).sum()) + 1
    return finding(
        zh=f"{ECI_YEAR} 年中国经济复杂度指数 ECI 为 {eci['CHN']:.2f}，在 {len(eci)} 个经济体中排第 "
        f"{rank}（HS4 出口，按 Atlas 规则清洗）。",
        en=f"China's economic complexity index, {ECI_YEAR}: {eci['CHN']:.2f}, rank {rank} of "
        f"{len(eci)} economies (HS4 exports, Atlas-style cleaning).",
        value=round(float(eci["CHN"]), 4),
        unit="ECI (standardised)",
        year=ECI_YEAR,
        source=f"{ECI_SOURCE}; chainatlas.pipelines.complexity.trade_complexity",
        benchmark={
            "label": "哈佛增长实验室公布的中国排名 Growth Lab's published rank of China",
            "value": f"{GL['chn_rank']} / {GL['economies']}",
            "year": ECI_YEAR,
            "source": f"{GL['source']}; Spearman with our ranking {GL['spearman_with_chainatlas']}",
        },
    )


def _province_digital_finding() -> dict[str, Any] | None:
    from chainatlas.datasets.loaders.china_provincial_io import province_flows
    from chainatlas.geo import provinces
    from chainatlas.pipelines.scorecard_units import NAME_GROUPS

    y = PROVINCES_LATEST
    names = _provincial_names(y)
    digital = names.isin(NAME_GROUPS["digital"]).to_numpy()
    shares = {}
    for short in provinces()["short_zh"]:
        va = province_flows(y, short)["value added"].to_numpy(dtype=float)
        shares[short] = va[digital].sum() / va.sum()
    s = pd.Series(shares).sort_values(ascending=False)
    top3_zh = "、".join(f"{p}（{_pct(v)}）" for p, v in s.head(3).items())
    en_names = provinces().set_index("short_zh")["name_en"]
    top3_en = "; ".join(f"{en_names.get(p, p)} ({_pct(v)})" for p, v in s.head(3).items())
    return finding(
        zh=f"{y} 年数字经济核心产业（两部门下限）增加值占比最高的省份：{top3_zh}。",
        en=f"Provinces leading the digital core (two wholly-digital sectors, share of VA), {y}: "
        f"{top3_en}.",
        value=round(float(s.iloc[0]), 4),
        unit="share of provincial value added",
        year=y,
        source=f"china-provincial-io:{y} (sectors 通信设备、计算机和其他电子设备 + "
        "信息传输、软件和信息技术服务)",
    )


def _provincial_names(year: int) -> pd.Series:
    from chainatlas.datasets.loaders.china_provincial_io import sectors

    return sectors(year)["name_zh"].astype(str).str.strip()


def _energy_trend_finding() -> dict[str, Any] | None:
    from chainatlas.pipelines.scorecard import run_scorecard

    run = run_scorecard("china-io:series", n_draws=0, cache=True)
    e = run.scorecard.raw["energy_intensity_total"]
    e.index = e.index.astype(int)
    e = e.sort_index()
    peak = int(e.idxmax())
    first, last = int(e.index[0]), int(e.index[-1])
    return finding(
        zh=f"完全能源产品消耗强度（每单位最终产出在各轮生产中使用的煤、油、气、电、热）{first} 年为 "
        f"{e[first]:.3f}，{peak} 年达峰 {e[peak]:.3f}，{last} 年降至 {e[last]:.3f}（现价之比，随能源价格与用量共同变动；镜像无排放数据）。",
        en=f"Total (Leontief) use of energy products per unit of final output: {e[first]:.3f} in "
        f"{first}, peak {e[peak]:.3f} in {peak}, {e[last]:.3f} in {last} (a current-price ratio: it "
        "moves with energy prices as well as volumes; no emissions data in the mirror).",
        value=round(float(e[last]), 4),
        unit="yuan of energy products per yuan of final output",
        year=f"{first}–{last}",
        source="china-io 2002–2020 competitive tables on the common basis (china-io:series)",
    )


# ---------------------------------------------------------------------- other reports
def _mrio_findings(table: IOTable, spec: str, year: int | None, step: Step) -> tuple:
    from chainatlas.pipelines.scorecard import run_scorecard

    step(f"briefing: scorecard {spec}")
    run = run_scorecard(spec, n_draws=1000, cache=True)
    sc = run.scorecard
    out: list[dict[str, Any] | None] = []
    for p in PILLARS:
        top = sc.scores.sort_values(f"{p}_rank").head(3)
        zh, en = PILLAR_NAMES[p]
        lst = ", ".join(
            f"{u} [{int(r[f'{p}_rank_p05'])}–{int(r[f'{p}_rank_p95'])}]" for u, r in top.iterrows()
        )
        out.append(
            finding(
                zh=f"{zh}前三（{run.year} 年，方括号为 5–95% 排名区间）：{lst}。",
                en=f"Top three on {en} ({run.year}; 5–95 % rank interval in brackets): {lst}.",
                value=round(float(top[p].iloc[0]), 1),
                unit="pillar score 0–100",
                year=run.year,
                source=f"chainatlas scorecard {spec}",
            )
        )
    if "CHN" in sc.scores.index:
        out.append(_card_finding(run, "CHN"))
        out.append(_chokepoint_finding(run, "CHN"))
    dep = sc.raw["import_dependence"].sort_values(ascending=False)
    out.append(
        finding(
            zh=f"中间投入完全进口依赖度最高：{dep.index[0]}（{_pct(dep.iloc[0])}），最低："
            f"{dep.index[-1]}（{_pct(dep.iloc[-1])}）（{run.year} 年）。",
            en=f"Highest total import dependence of intermediates: {dep.index[0]} "
            f"({_pct(dep.iloc[0])}); lowest: {dep.index[-1]} ({_pct(dep.iloc[-1])}) ({run.year}).",
            value=round(float(dep.iloc[0]), 4),
            unit="share of total intermediate requirements",
            year=run.year,
            source=f"{spec} (t = (L − I) w)",
        )
    )
    unit = "CHN" if "CHN" in sc.scores.index else sc.units[0]
    return out, card(run, unit), []


def _province_findings(table: IOTable, spec: str, year: int | None, step: Step) -> tuple:
    from chainatlas.pipelines.scorecard import run_scorecard

    y = year if year in (2012, 2017) else PROVINCES_LATEST
    step(f"briefing: provincial scorecard {y}")
    run = run_scorecard(f"china-provincial-io:{y}", n_draws=1000, cache=True)
    key = spec.partition(":")[2]
    unit = key.partition("-")[2] or key
    try:
        c = card(run, unit)
    except Exception:  # noqa: BLE001 - 2007 codes etc.: no card for this province
        return [], None, []
    out = [_card_finding(run, c["unit"])]
    out += _unit_indicator_findings(run, c["unit"], PROVINCE_HEADLINES)
    notes = []
    it = {i["pillar"]: i for i in c["items"]}
    if it["height"]["rank"] <= 5 and it["toughness"]["rank"] > it["toughness"]["of"] - 5:
        c["note"] = {
            "zh": f"{c['unit']} 高度居前而韧度靠后：其使用的制造业产品多来自外省和国外（服务型枢纽结构），"
            "综合分把两者平均，不是发展水平排名。",
            "en": f"{c['unit']} leads on height but trails on toughness: most manufactured goods it "
            "uses come from other provinces and abroad (a service-hub structure); the overall "
            "score averages the two and is not a development ranking.",
        }
    if y != year:
        notes.append({"zh": f"评分卡使用 {y} 年省级表（主表为 {year} 年）。",
                      "en": f"The scorecard uses the {y} provincial tables (main table {year})."})  # fmt: skip
    return out, c, notes


#: provincial indicators shown as findings, with their display scale
PROVINCE_HEADLINES: tuple[tuple[str, float, str], ...] = (
    ("digital_core_va_share", 100.0, "%"),
    ("rd_intensity", 1.0, "%"),
    ("chain_completeness", 1.0, ""),
    ("foreign_import_share", 100.0, "%"),
    ("local_manufacturing_supply", 100.0, "%"),
)


def _unit_indicator_findings(run: Any, unit: str, heads: tuple) -> list[dict[str, Any]]:
    """One finding per headline indicator: the unit's value and its rank among the peers."""
    sc = run.scorecard
    out = []
    for iid, scale, suffix in heads:
        if iid not in sc.raw.columns or not pd.notna(sc.raw.loc[unit, iid]):
            continue
        meta = sc.indicators.loc[iid]
        col = sc.raw[iid]
        better_high = meta["direction"] == "higher"
        rank = int((col > col[unit]).sum() + 1) if better_high else int((col < col[unit]).sum() + 1)
        v = float(col[unit])
        shown = f"{v * scale:.1f}{suffix}" if suffix else f"{v:.2f}"
        med = float(col.median())
        med_s = f"{med * scale:.1f}{suffix}" if suffix else f"{med:.2f}"
        out.append(
            finding(
                zh=f"{unit}{meta['name_zh']}：{shown}，在 {len(col.dropna())} 个单位中排第 {rank}"
                f"（{'越高越好' if better_high else '越低越好'}；中位数 {med_s}；{meta['year']} 年）。",
                en=f"{unit}, {meta['name_en']}: {shown}, rank {rank} of {len(col.dropna())} "
                f"({'higher' if better_high else 'lower'} is better; median {med_s}; "
                f"{meta['year']}).",
                value=round(v, 4),
                unit=str(meta["unit"]),
                year=meta["year"],
                source=str(meta["source"]),
                benchmark={
                    "label": f"{len(col.dropna())} 个单位的中位数 median of the {len(col.dropna())} peers",
                    "value": round(med, 4),
                    "year": meta["year"],
                },
            )
        )
    return out


def _semiconductor_findings(obj: Any, spec: str) -> tuple:
    from chainatlas.chains.semiconductor import chain_leaders, chokepoint_inputs

    src = f"{spec} (CSET ETO, CC BY-NC 4.0)"
    year = "as published (ETO; the dataset states no year)"
    allck = chokepoint_inputs(obj)
    ck = allck.head(3)
    lst_en = "; ".join(
        f"{r['name']} ({r['top_firm']}, {r['top_country']} {_pct(r['top_country_share'], 0)})"
        for _, r in ck.iterrows()
    )
    leaders = chain_leaders(obj).head(3)
    lead = "; ".join(f"{p} ({r['country']})" for p, r in leaders.iterrows())
    out = [
        finding(
            zh=f"半导体供应链前三个卡脖子投入（得分 0–1）：{lst_en}。",
            en=f"Top three chokepoint inputs of the semiconductor chain (score 0–1): {lst_en}.",
            value=round(float(ck["score"].iloc[0]), 4),
            unit="chokepoint score (0–1)",
            year=year,
            source=src + "; chainatlas.chains.semiconductor.chokepoint_inputs",
        ),
        finding(
            zh=f"链主（按下游覆盖加权）前三：{lead}。",
            en=f"Chain leaders (weighted downstream reach), top three: {lead}.",
            value=round(float(leaders["leader_score"].iloc[0]), 2),
            unit="leader score",
            year=year,
            source=src + "; chainatlas.chains.semiconductor.chain_leaders",
        ),
    ]
    top20 = allck.head(20)
    counts = top20["top_country"].dropna().value_counts()
    cnt = ", ".join(f"{c} {n}" for c, n in counts.head(4).items())
    single = int((allck["top_country_share"] >= 0.9).sum())
    out += [
        finding(
            zh=f"前 20 个卡脖子投入的最大供应国：{cnt}。",
            en=f"Largest supplier country of the top 20 chokepoint inputs: {cnt}.",
            value=int(counts.iloc[0]),
            unit="inputs (of the top 20)",
            year=year,
            source=src,
        ),
        finding(
            zh=f"{single} 种投入的最大供应国份额 ≥ 90%（共 {len(allck)} 种排名投入）。",
            en=f"{single} inputs have one country supplying ≥ 90 % (of {len(allck)} ranked "
            "inputs).",
            value=single,
            unit="inputs",
            year=year,
            source=src,
        ),
    ]
    return out, None, []


def _generic_findings() -> tuple:
    return [], None, []


def content(obj: Any, spec: str, year: int | None, step: Step) -> tuple:
    """``(findings, card, notes)`` for a report's main object and spec."""
    name = spec.partition(":")[0]
    if isinstance(obj, IOTable):
        if name == "china-io":
            return _china_findings(obj, spec, year, step)
        if name == "wiod-2013":
            return _mrio_findings(obj, spec, year, step)
        if name.startswith("china-provincial-io"):
            return _province_findings(obj, spec, year, step)
    if name == "eto-semiconductor":
        return _semiconductor_findings(obj, spec)
    return _generic_findings()
