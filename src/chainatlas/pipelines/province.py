"""The province atlas (省级产业图谱): one province's report context, from data to sections.

``chainatlas report china-provincial-io:2017-四川`` builds this context:

1. the briefing slot ``ctx["briefing"]`` (filled by the scorecard helper when it is installed:
   :data:`BRIEFING_HOOK`), then an overview of the province (GDP, output, rank among provinces);
2. its digital-economy core and flying-geese position 2007 → 2012 → 2017;
3. its interprovincial dependence (inflows from other provinces vs foreign imports), direct and
   total, and the sectors it supplies to other provinces on net;
4. its key sectors (Rasmussen–Hirschman linkages, multipliers on the province's table);
5. the chain-gap matrix and chain maps (:mod:`chainatlas.pipelines.chain_gaps_report`);
6. the SME regional picture when SME assessments are given (``sme=`` a scored answers file).

Every number carries its year, unit (万元, 亿元, % or unit-free) and source in the block that
shows it. Bilingual prose lives here, not in the domain layer.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import inspect
from collections.abc import Callable
from typing import Any

import pandas as pd

from chainatlas.errors import InputError

__all__ = [
    "province_context",
    "dependence_payload",
    "national_suppliers",
    "province_payload",
    "is_province_spec",
    "BRIEFING_HOOK",
    "GEESE_YEARS",
    "DATASET",
]

DATASET = "china-provincial-io"
GEESE_YEARS: tuple[int, ...] = (2007, 2012, 2017)
#: "module:function" called as ``fn(table, spec, sections, step=) -> dict`` for ``ctx["briefing"]``
BRIEFING_HOOK = "chainatlas.pipelines.briefing:build_briefing"

Step = Callable[[str], None]


def _blocks() -> Any:
    return importlib.import_module("chainatlas.pipelines.blocks")


def _table(df: pd.DataFrame, **kw: Any) -> dict[str, Any]:
    """table_block, passing ``year`` only where the blocks module takes it."""
    tb = _blocks().table_block
    if "year" not in inspect.signature(tb).parameters:
        year = kw.pop("year", None)
        if year is not None:
            kw["zh"] = f"{kw['zh']}（{year}年）"
            kw["en"] = f"{kw['en']} ({year})"
    return tb(df, **kw)


def _section(sid: str, question: str, **kw: Any) -> dict[str, Any]:
    s = _blocks().section(sid, **kw)
    s["question"] = question
    return s


def _src(year: int, province: str | None = None) -> str:
    return f"{DATASET}:{year}" + (f"-{province}" if province else "")


def is_province_spec(spec: str) -> bool:
    """True for ``china-provincial-io:YEAR-PROVINCE`` (the province report), False otherwise."""
    name, _, key = spec.partition(":")
    return name == DATASET and "-" in key


# ------------------------------------------------------------------------------ payload
def province_payload(spec: str, *, step: Step | None = None) -> dict[str, Any]:
    """Every number the province report shows, as labelled frames (no prose, no figures).

    Parameters
    ----------
    spec : str
        ``china-provincial-io:YEAR-PROVINCE`` (any province spelling; YEAR 2012 or 2017, the
        years with separate inflows and imports).

    Returns
    -------
    dict with ``year``, ``code`` (io_code), ``name_zh``, ``name_en``, ``groups``, ``overview``
    (dict), ``geese`` (long frame of all provinces and years), ``transitions``, ``dependence``
    (profile by sector), ``net`` (OF − IF by sector), ``key_sectors``, ``all_provinces``
    (inflow/import shares of every province).

    Raises
    ------
    InputError
        A year without separate inflows and imports (2002, 2007).
    UnknownCodeError, NoProvinceTableError
        As the loader.
    """
    from chainatlas.datasets.loaders import china_provincial_io as cp
    from chainatlas.geo import province_lookup
    from chainatlas.regions import dependence_profile, digital_over_time, geese_transitions
    from chainatlas.regions.groups import group_of

    step = step or (lambda _m: None)
    canon = cp.resolve_key(spec.partition(":")[2])
    year_s, _, short = canon.partition("-")
    year = int(year_s)
    if year < 2012:
        raise InputError(
            f"the province report needs separate inflows and imports, which {year} lacks",
            received=spec,
            fix=f"use china-provincial-io:2017-{short} or china-provincial-io:2012-{short}",
        )
    row = province_lookup(short)
    code = str(row["io_code"])
    step(f"province {short}: tables {', '.join(map(str, GEESE_YEARS))}")
    tables = {y: cp.region_industry(y) for y in sorted({*GEESE_YEARS, year})}
    ri = tables[year]
    table = cp.province_table(year, short)
    flows = cp.province_flows(year, short)
    step("digital core and flying geese over time")
    geese = digital_over_time({y: tables[y] for y in GEESE_YEARS})
    step("interprovincial dependence")
    prof = dependence_profile(
        table.A, table.v / table.x_safe, flows, names=table.sectors["name_zh"]
    )
    return {
        "spec": f"{DATASET}:{canon}",
        "year": year,
        "code": code,
        "short": short,
        "name_zh": str(row["name_zh"]),
        "name_en": str(row["name_en"]),
        "groups": group_of(code),
        "region_zh": str(row["region_zh"]),
        "overview": _overview(ri, code, prof),
        "geese": geese,
        "transitions": geese_transitions(geese),
        "dependence": prof,
        "net": _net(ri, code, table.sectors["name_zh"]),
        "suppliers": national_suppliers(ri, table.sectors["name_zh"]),
        "key_sectors": _key_sectors(table, flows),
        "all_provinces": _all_dependence(ri),
        "sectors": table.sectors,
    }


def dependence_payload(
    spec: str,
    *,
    basis: str = "total-use",
    by: str = "inflow",
    kind: str = "direct",
    top: int | None = None,
) -> dict[str, Any]:
    """Interprovincial dependence of one province (``chainatlas io dependence``).

    Returns
    -------
    dict with ``dataset``, ``unit``, ``basis`` (zh, en), ``sort`` and ``dependence`` (by sector:
    name, use in 10,000 yuan, inflows, imports, the three direct shares and the three total
    contents), sorted by the chosen share, the top `top` rows when given.

    Raises
    ------
    InputError
        A year without separate flows, unknown options, ``top`` < 1.
    """
    from chainatlas.datasets.loaders import china_provincial_io as cp
    from chainatlas.errors import check_option
    from chainatlas.regions import dependence_profile, top_dependent
    from chainatlas.regions.dependence import BASIS_TEXT, Basis

    check_option("basis", basis, Basis)
    name, _, key = spec.partition(":")
    if name != DATASET or "-" not in key:
        raise InputError(
            "interprovincial dependence needs one province's table",
            received=spec,
            fix="use china-provincial-io:2017-PROVINCE, e.g. china-provincial-io:2017-四川",
        )
    canon = cp.resolve_key(key)
    year_s, _, short = canon.partition("-")
    t = cp.province_table(int(year_s), short)
    flows = cp.province_flows(int(year_s), short)
    prof = dependence_profile(
        t.A,
        t.v / t.x_safe,
        flows,
        basis=basis,
        names=t.sectors["name_zh"],  # type: ignore[arg-type]
    )
    n = len(prof) if top is None else top
    ranked = top_dependent(prof, by=by, kind=kind, n=n, min_use_share=0.0)  # type: ignore[arg-type]
    return {
        "dataset": f"{DATASET}:{canon}",
        "year": int(year_s),
        "unit": "10,000 yuan (万元); shares and contents 0–1",
        "basis": {"zh": BASIS_TEXT[basis][0], "en": BASIS_TEXT[basis][1]},
        "total_basis": "total-use (proportional assumption)",
        "sort": f"{by} {kind}",
        "dependence": ranked.drop(columns="no_use"),
    }


def _overview(ri: Any, code: str, prof: pd.DataFrame) -> dict[str, Any]:
    va = ri.extra["value added"].sum(axis=1)
    go = ri.values.sum(axis=1)
    use = prof["use"].sum()
    return {
        "va_yi": float(va[code]) / 1e4,
        "va_rank": int(va.rank(ascending=False, method="min")[code]),
        "va_share": float(va[code] / va.sum()),
        "go_yi": float(go[code]) / 1e4,
        "n_provinces": len(va),
        "inflow_share": float(prof["inflows"].sum() / use),
        "import_share": float(prof["imports"].sum() / use),
    }


def _net(ri: Any, code: str, names: pd.Series) -> pd.DataFrame:
    from chainatlas.regions import net_suppliers

    ns = net_suppliers(ri.extra["outflows"], ri.extra["inflows"])
    mine = ns[ns["region"] == code].set_index("sector")
    mine.insert(0, "name_zh", names.reindex(mine.index).to_numpy())
    return mine.drop(columns="region")


def national_suppliers(ri: Any, names: pd.Series, *, top: int = 3) -> pd.DataFrame:
    """The national picture: each sector's `top` net supplier provinces (OF − IF > 0), 亿元.

    Returns
    -------
    DataFrame indexed by sector: ``name_zh``, ``suppliers`` ("广东 1,234; 江苏 567; …"),
    ``n_net_suppliers`` (provinces with OF > IF), ``net_top`` (the largest net outflow, 亿元).
    """
    from chainatlas.geo import provinces
    from chainatlas.regions import net_suppliers

    short = provinces()["short_zh"]
    ns = net_suppliers(ri.extra["outflows"], ri.extra["inflows"])
    rows = {}
    for sector, g in ns.groupby("sector", sort=True):
        pos = g[g["net"] > 0].sort_values("net", ascending=False)
        head = pos.head(top)
        rows[sector] = {
            "name_zh": names.get(sector, ""),
            "suppliers": "; ".join(
                f"{short[r]} {v / 1e4:,.0f}"
                for r, v in zip(head["region"], head["net"], strict=True)
            ),
            "n_net_suppliers": len(pos),
            "net_top": float(head["net"].iloc[0]) / 1e4 if len(head) else 0.0,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "sector"
    return out


def _key_sectors(table: Any, flows: pd.DataFrame) -> pd.DataFrame:
    """Key sectors and multipliers of the province's local table (supply from other provinces
    and abroad split off by the proportional assumption), with the competitive table's output
    multiplier beside them as the upper bound."""
    from chainatlas.io.linkages import key_sectors
    from chainatlas.io.multipliers import multiplier_table
    from chainatlas.regions import local_table, supply_shares

    local = local_table(table, supply_shares(flows))
    out = key_sectors(local).join(multiplier_table(local)[["output", "value_added_type_I"]])
    out["output_competitive"] = multiplier_table(table)["output"]
    out.insert(0, "name_zh", table.sectors["name_zh"].reindex(out.index).to_numpy())
    out["x"] = table.x / 1e4
    return out


def _all_dependence(ri: Any) -> pd.DataFrame:
    use = (
        ri.extra["intermediate use"]
        + ri.extra["final use"]
        + ri.extra["exports"]
        + ri.extra["outflows"]
    ).sum(axis=1)
    return pd.DataFrame(
        {
            "inflow_share": ri.extra["inflows"].sum(axis=1) / use,
            "import_share": ri.extra["imports"].sum(axis=1) / use,
        }
    )


# ------------------------------------------------------------------------------ figures
_TYPE_COLOURS = {"lead": "#c0392b", "follower": "#e67e22", "latecomer": "#95a5a6"}


def _geese_scatter(geese: pd.DataFrame, year: int, code: str, highlight: list[str]) -> Any:
    import plotly.graph_objects as go

    from chainatlas.geo import provinces

    names = provinces()["short_zh"]
    g = geese[geese["year"] == year]
    fig = go.Figure()
    for kind, colour in _TYPE_COLOURS.items():
        sub = g[g["type"] == kind]
        label = {
            "lead": "头雁 lead",
            "follower": "跟随雁 follower",
            "latecomer": "后发雁 latecomer",
        }
        fig.add_trace(
            go.Scatter(
                x=100 * sub["size_share"],
                y=sub["lq"],
                mode="markers+text",
                name=label[kind],
                text=[names[r] if (r == code or kind == "lead") else "" for r in sub["region"]],
                hovertext=[names[r] for r in sub["region"]],
                textposition="top center",
                marker={
                    "color": colour,
                    "size": [18 if r == code else 10 for r in sub["region"]],
                    "line": {
                        "width": [3 if r in highlight else 0 for r in sub["region"]],
                        "color": "#1f4e79",
                    },
                },
            )
        )
    fig.update_layout(
        xaxis_title="占全国数字核心产出 share of national digital core (%)",
        yaxis_title="区位商 LQ",
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 20},
        height=460,
    )
    return fig


def _dependence_bars(prof: pd.DataFrame, n: int = 15) -> Any:
    import plotly.graph_objects as go

    top = prof.sort_values("use", ascending=False).head(n).iloc[::-1]
    labels = [f"{c} {z}" for c, z in zip(top.index, top["name_zh"], strict=True)]
    fig = go.Figure()
    for col, name, colour in [
        ("local_share", "本省供给 local", "#2e86c1"),
        ("inflow_share", "省外调入 inflows", "#e67e22"),
        ("import_share", "进口 imports", "#c0392b"),
    ]:
        fig.add_trace(
            go.Bar(y=labels, x=100 * top[col], name=name, orientation="h", marker_color=colour)
        )
    fig.update_layout(
        barmode="stack",
        xaxis_title="占总使用 share of total use (%)",
        legend={"orientation": "h", "y": -0.15},
        margin={"t": 20, "l": 220},
        height=520,
    )
    return fig


# ------------------------------------------------------------------------------ sections
def _pct(s: pd.Series | float) -> Any:
    return 100 * s


def _overview_section(p: dict[str, Any]) -> dict[str, Any]:
    b = _blocks()
    o, y = p["overview"], p["year"]
    src = _src(y)
    m = b.metrics_block(
        [
            (f"地区生产总值(增加值) {y}", f"GDP (value added) {y}", round(o["va_yi"], 1), "亿元"),
            (
                f"增加值全国排名 {y}",
                f"rank by value added {y}",
                f"{o['va_rank']} / {o['n_provinces']}",
                "",
            ),
            (f"总产出 {y}", f"gross output {y}", round(o["go_yi"], 1), "亿元"),
            (
                f"省外调入占总使用 {y}",
                f"inflows / total use {y}",
                round(_pct(o["inflow_share"]), 1),
                "%",
            ),
            (
                f"进口占总使用 {y}",
                f"imports / total use {y}",
                round(_pct(o["import_share"]), 1),
                "%",
            ),
        ]
    )
    m["source"] = src
    groups = "、".join(p["groups"])
    t = b.text_block(
        zh=f"{p['name_zh']}（{p['code']}）属于{groups}。数据: {y}年省级投入产出表（42部门, "
        "万元, 各省统计局编制, CHNIO 整理）; 增加值合计即该省地区生产总值。",
        en=f"{p['name_en']} ({p['code']}) belongs to: {groups}. Data: the {y} provincial IO "
        "table (42 sectors, 10,000 yuan, compiled by the provincial statistics bureau, via "
        "CHNIO); total value added equals the province's GDP.",
    )
    t["source"] = src
    return _section(
        "province-overview",
        "breadth",
        zh=f"{p['name_zh']}概览",
        en=f"{p['name_en']} at a glance",
        datasets=[src, p["spec"]],
        blocks=[m, t],
    )


_GEESE_COLS = {
    "year": "年份 year",
    "output_share": "数字核心占本省总产出 digital share of output (%)",
    "va_share": "数字核心占本省增加值 digital share of value added (%)",
    "lq": "区位商 LQ",
    "size_share": "占全国数字核心 share of national core (%)",
    "strong": "强集群(CMP) strong (CMP)",
    "type_zh": "雁阵类型 type",
}


def _geese_rows(g: pd.DataFrame) -> pd.DataFrame:
    out = g[list(_GEESE_COLS)].copy()
    for c in ("output_share", "va_share", "size_share"):
        out[c] = 100 * out[c]
    out["strong"] = out["strong"].map({True: "是 yes", False: "否 no"})
    return out.rename(columns=_GEESE_COLS)


def _digital_section(p: dict[str, Any]) -> dict[str, Any]:
    from chainatlas.clusters.geese import GEESE_LABELS
    from chainatlas.geo import provinces
    from chainatlas.regions.groups import group_members

    b = _blocks()
    g, code, y = p["geese"], p["code"], p["year"]
    src = "; ".join(_src(yr) for yr in GEESE_YEARS)
    mine = g[g["region"] == code].set_index("year")
    highlight = group_members("中西部")
    last = g[g["year"] == max(GEESE_YEARS)].set_index("region")
    names = provinces()["short_zh"]
    national = last.assign(name_zh=names.reindex(last.index).to_numpy())
    national["中西部 central/west"] = ["★" if r in highlight else "" for r in national.index]
    tr = p["transitions"]
    label = {k: f"{zh} {en}" for k, (zh, en) in GEESE_LABELS.items()}
    moves = tr[tr["move"].isin(["up", "down"])].assign(
        name_zh=lambda d: names.reindex(d.index),
        type_from=lambda d: d["type_from"].map(label),
        type_to=lambda d: d["type_to"].map(label),
        move=lambda d: d["move"].map({"up": "上升 up", "down": "下降 down"}),
    )
    moves.index.name = "代码 code"
    text = b.text_block(
        zh="数字经济核心产业按国家统计局《数字经济及其核心产业统计分类(2021)》, 只计完全归属的部门"
        "(下限): 2017年第20、31部门, 2012年第20、32部门, 2007年第19、29部门(通信设备计算机电子 + "
        "信息传输软件信息技术服务)。区位商以总产出计; 强集群按美国集群图谱(CMP)代码规则, "
        "以总产出代替就业、无企业数门槛。头雁: 全国数字核心份额≥各省第80百分位且区位商≥1; "
        "跟随雁: 区位商≥0.8或份额≥中位数; 其余为后发雁。★ 标出中西部省份。"
        "注意: 这一下限不含平台经济——42部门表把电子商务平台等记在批发零售、租赁和商务服务等部门, "
        "因此浙江(杭州)等平台经济大省的数字核心被低估, 其“跟随雁”位置应结合这一口径解读。",
        en="Digital-economy core per the NBS 2021 classification, full members only (a lower "
        "bound): sectors 20 and 31 in 2017, 20 and 32 in 2012, 19 and 29 in 2007 (electronics "
        "+ information and software services). LQ on gross output; strength flags by the US "
        "Cluster Mapping Project's code rules, with gross output in place of employment and no "
        "establishment floor. Lead goose: share of the national core ≥ the 80th percentile of "
        "provinces and LQ ≥ 1; follower: LQ ≥ 0.8 or share ≥ the median; the rest latecomers. "
        "★ marks central and western provinces. Caution: this lower bound leaves out the "
        "platform economy — the 42-sector tables record e-commerce platforms under wholesale and "
        "retail, leasing and business services — so provinces whose digital economy is largely "
        "platforms (Zhejiang/Hangzhou) are undercounted; read Zhejiang's 'follower' position on "
        "this basis.",
    )
    text["source"] = src
    nat_cols = ["name_zh", "中西部 central/west", *list(_GEESE_COLS)[1:]]
    nat = national.reset_index().assign(year=max(GEESE_YEARS)).set_index("region")
    nat = _geese_rows(nat).join(national[["name_zh", "中西部 central/west"]])
    nat = nat[[c if c in nat.columns else _GEESE_COLS.get(c, c) for c in nat_cols]]
    nat = nat.rename(columns={"name_zh": "省份 province"}).rename_axis("代码 code")
    blocks = [
        text,
        _table(
            _geese_rows(mine.reset_index()).set_index(_GEESE_COLS["year"]),
            zh=f"{p['name_zh']}数字核心产业与雁阵位置",
            en=f"{p['name_en']}: digital core and flying-geese position",
            source=src,
            digits=3,
        ),
        b.figure_block(
            _geese_scatter(g, max(GEESE_YEARS), code, highlight),
            zh=f"{max(GEESE_YEARS)}年雁阵图(大点为{p['name_zh']}, 蓝圈为中西部)",
            en=f"Flying geese {max(GEESE_YEARS)} (large dot: {p['name_en']}; blue ring: "
            "central and western provinces)",
            source=_src(max(GEESE_YEARS)),
        ),
        _table(
            nat.sort_values(_GEESE_COLS["size_share"], ascending=False),
            zh="各省数字核心产业与雁阵类型",
            en="Digital core and flying-geese type of every province",
            year=max(GEESE_YEARS),
            source=_src(max(GEESE_YEARS)),
            digits=3,
        ),
        _table(
            moves[["name_zh", "type_from", "type_to", "move", "share_change"]].rename(
                columns={
                    "name_zh": "省份 province",
                    "type_from": f"{min(GEESE_YEARS)}",
                    "type_to": f"{max(GEESE_YEARS)}",
                    "move": "变化 move",
                    "share_change": "全国份额变化 change in national share (百分点 pp)",
                }
            ),
            zh=f"雁阵升降 {min(GEESE_YEARS)}→{max(GEESE_YEARS)}",
            en=f"Who moved up or fell back, {min(GEESE_YEARS)} → {max(GEESE_YEARS)}",
            source=src,
            digits=2,
        ),
    ]
    del y
    return _section(
        "province-digital",
        "clusters",
        zh="数字经济核心产业与雁阵位置(2007→2012→2017)",
        en="Digital-economy core and flying-geese position (2007 → 2012 → 2017)",
        datasets=[_src(yr) for yr in GEESE_YEARS],
        blocks=blocks,
    )


_DEP_COLS = {
    "name_zh": "部门 sector",
    "use": "总使用 total use (亿元)",
    "inflow_share": "省外调入占比 inflow share (%)",
    "import_share": "进口占比 import share (%)",
    "inflow_content": "完全省外调入含量 total inflow content (%)",
    "import_content": "完全进口含量 total import content (%)",
}


def _dep_rows(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[list(_DEP_COLS)].copy()
    out["use"] = out["use"] / 1e4
    for c in list(_DEP_COLS)[2:]:
        out[c] = 100 * out[c]
    out.index.name = "代码 code"
    return out.rename(columns=_DEP_COLS)


def _dependence_section(p: dict[str, Any]) -> dict[str, Any]:
    from chainatlas.regions import top_dependent

    b = _blocks()
    prof, y = p["dependence"], p["year"]
    src = p["spec"]
    text = b.text_block(
        zh="省外调入占比 = 省外调入(IF) / 总使用, 进口占比 = 进口(IM) / 总使用; 总使用 = 中间使用 + "
        "最终使用(农村、城镇居民与政府消费、固定资本形成、存货) + 出口 + 流出, 即比例假定: 各种用途"
        "来源构成相同, 占比在0–1之间。完全含量经本省里昂惕夫逆阵计算: 把省外调入和进口视为非本地"
        "供给, 每单位产出中直接和间接来自省外与国外的部分(与本地增加值含量合计为1)。"
        "剔除总使用不足全省0.1%的部门。净流出(流出 − 调入)按各省表记录, 含总部效应(如北京的石油和天然气"
        "净流出反映央企总部的销售)。",
        en="Inflow share = inflows from other provinces (IF) / total use; import share = "
        "foreign imports (IM) / total use; total use = intermediate use + final use (household "
        "and government consumption, fixed capital, inventories) + exports + outflows: the "
        "proportional assumption, under which every use has the same origin mix and shares "
        "stay in [0, 1]. Total contents use the province's Leontief inverse with inflows and "
        "imports as non-local supply: the part of one unit of output that comes, directly and "
        "indirectly, from other provinces and from abroad (with local value added, they sum to "
        "1). Sectors below 0.1 % of the province's total use are left out. Net outflows (outflows "
        "− inflows) are as each province's table records them, headquarters effects included "
        "(Beijing's net outflow of oil and gas reflects the sales of state-owned headquarters).",
    )
    text["source"] = src
    net = p["net"]
    net_show = (
        pd.concat([net.nlargest(5, "net"), net.nsmallest(5, "net")])
        .assign(net=lambda d: d["net"] / 1e4, outflows=lambda d: d["outflows"] / 1e4)
        .assign(inflows=lambda d: d["inflows"] / 1e4)
    )
    net_show.index.name = "代码 code"
    net_show = net_show[["name_zh", "outflows", "inflows", "net", "rank"]].rename(
        columns={
            "name_zh": "部门 sector",
            "outflows": "流出 outflows OF (亿元)",
            "inflows": "调入 inflows IF (亿元)",
            "net": "净流出 net OF − IF (亿元)",
            "rank": "全国净供给排名 national rank",
        }
    )
    allp = p["all_provinces"]
    rank_if = int(allp["inflow_share"].rank(ascending=False, method="min")[p["code"]])
    rank_im = int(allp["import_share"].rank(ascending=False, method="min")[p["code"]])
    m = b.metrics_block(
        [
            (
                f"省外调入依赖度排名 {y}",
                f"rank by inflow share {y}",
                f"{rank_if} / {len(allp)}",
                "",
            ),
            (f"进口依赖度排名 {y}", f"rank by import share {y}", f"{rank_im} / {len(allp)}", ""),
        ]
    )
    m["source"] = _src(y)
    return _section(
        "province-dependence",
        "toughness",
        zh="省外调入与进口依赖",
        en="Interprovincial dependence: inflows vs imports",
        datasets=[src, _src(y)],
        blocks=[
            text,
            m,
            b.figure_block(
                _dependence_bars(prof),
                zh=f"最大15个部门的供给来源({y}年, 占总使用%)",
                en=f"Supply origin of the 15 largest sectors ({y}, % of total use)",
                source=src,
            ),
            _table(
                _dep_rows(top_dependent(prof, by="inflow")),
                zh="最依赖省外调入的部门",
                en="Most inflow-dependent sectors",
                year=y,
                source=src,
                digits=2,
            ),
            _table(
                _dep_rows(top_dependent(prof, by="import")),
                zh="最依赖进口的部门",
                en="Most import-dependent sectors",
                year=y,
                source=src,
                digits=2,
            ),
            _table(
                net_show,
                zh="净流出最多与最少的部门(净供给其他省份)",
                en="Sectors with the largest net outflows and net inflows",
                year=y,
                source=_src(y),
                digits=1,
            ),
            _table(
                p["suppliers"]
                .rename(
                    columns={
                        "name_zh": "部门 sector",
                        "suppliers": "最大净供给省份(净流出, 亿元) top net suppliers (OF − IF, 亿元)",
                        "n_net_suppliers": "净供给省份数 net-supplier provinces",
                        "net_top": "最大净流出 largest net outflow (亿元)",
                    }
                )
                .rename_axis("代码 code"),
                zh="全国格局: 各部门的净供给省份(流出 − 调入 > 0)",
                en="The national picture: net supplier provinces of each sector (OF − IF > 0)",
                year=y,
                source=_src(y),
                digits=1,
            ),
        ],
    )


def _key_section(p: dict[str, Any]) -> dict[str, Any]:
    b = _blocks()
    ks, y = p["key_sectors"], p["year"]
    src = p["spec"]
    show = ks[ks["type"] == "key"].sort_values("x", ascending=False)
    if show.empty:  # no sector above average on both sides: show the strongest ones
        show = ks.assign(s=ks["backward"] + ks["forward"]).nlargest(10, "s")
    cols = {
        "name_zh": "部门 sector",
        "type_zh": "类型 type",
        "backward": "后向关联(标准化) backward (normalised)",
        "forward": "前向关联(标准化) forward (normalised)",
        "output": "本地产出乘数 local output multiplier",
        "output_competitive": "含省外产出乘数 output multiplier incl. other provinces",
        "value_added_type_I": "本地增加值I型乘数 local VA type-I multiplier",
        "x": "总产出 gross output (亿元)",
    }
    text = b.text_block(
        zh="按比例假定把本省表的中间使用和最终使用拆分为本省供给与省外调入、进口(非竞争型本地表), "
        "在本地表上计算: 关键部门为标准化后向关联(里昂惕夫逆阵列和)与前向关联(Ghosh逆阵行和)均大于1;"
        " 本地产出乘数只计本省生产。含省外的乘数(竞争型表)把溢出到其他省份和国外的需求也算在内, "
        "是上限。",
        en="The province's table is split into local supply and supply from other provinces and "
        "abroad by the proportional assumption (a non-competitive local table). On it, key "
        "sectors have normalised backward (column sums of the Leontief inverse) and forward "
        "(row sums of the Ghosh inverse) linkages both above 1; the local output multiplier "
        "counts the province's own production only. The multiplier incl. other provinces "
        "(the competitive table) also counts demand that leaks to other provinces and abroad: "
        "an upper bound.",
    )
    text["source"] = src
    show = show[list(cols)].rename(columns=cols)
    show.index.name = "代码 code"
    return _section(
        "province-key-sectors",
        "height",
        zh="关键部门与乘数",
        en="Key sectors and multipliers",
        datasets=[src],
        blocks=[
            text,
            _table(
                show,
                zh=f"{p['name_zh']}关键部门",
                en=f"Key sectors of {p['name_en']}",
                year=y,
                source=src,
                digits=3,
            ),
        ],
    )


def _chain_sections(p: dict[str, Any], step: Step) -> list[dict[str, Any]]:
    step("chain gaps (一图N清单)")
    try:
        from chainatlas.pipelines.chain_gaps_report import province_chain_sections
    except ModuleNotFoundError:
        return []
    return province_chain_sections(p["code"], 2017)


def _sme_sections(
    sme: str | None, region_zh: str, framework: str, step: Step
) -> list[dict[str, Any]]:
    """The SME regional picture of the province's NBS region (bars per province, k-suppressed)."""
    if not sme:
        return []
    step("SME regional picture")
    from pathlib import Path

    from chainatlas.pipelines.sections.sme import region_report_context
    from chainatlas.sme.answers import encode_answers, read_answers
    from chainatlas.sme.schema import load_framework
    from chainatlas.sme.scoring import score_assessments

    fw = load_framework(framework)
    frame, info = read_answers(Path(sme))
    enc = encode_answers(frame, fw, source=f"{Path(sme).name} ({info['encoding']})")
    ctx = region_report_context(score_assessments(enc, fw), region_zh, by="province")
    out = list(ctx["sections"])
    if (
        "synthetic" in Path(sme).name.lower()
        or frame["firm_id"].astype(str).str.startswith("SYN").all()
    ):
        b = _blocks()
        out.insert(
            0,
            _section(
                "province-sme-synthetic",
                "sme",
                zh="中小企业数字化: 示例数据为合成数据",
                en="SME digitalisation: the example data are synthetic",
                blocks=[
                    b.text_block(
                        zh=f"以下中小企业画像来自合成答卷（{Path(sme).name}, 企业编号 SYN…），"
                        "仅演示方法, 不代表真实企业。",
                        en=f"The SME picture below comes from synthetic answers ({Path(sme).name}, "
                        "firm ids SYN…): it shows the method, not real firms.",
                    )
                ],
            ),
        )
    return out


def _briefing(table: Any, spec: str, sections: list[dict[str, Any]], step: Step) -> Any:
    """The briefing (``ctx["briefing"]``): the scorecard engineer's :data:`BRIEFING_HOOK`
    (``build_briefing(table, spec, sections, step=...)``: findings, the province's scorecard rank
    among 31 with its interval, data vintage); None when it is not installed."""
    mod, _, fn = BRIEFING_HOOK.partition(":")
    try:
        hook = getattr(importlib.import_module(mod), fn)
    except (ModuleNotFoundError, AttributeError):
        return None
    return hook(table, spec, sections, step=step)


def province_context(
    spec: str,
    *,
    step: Step | None = None,
    sme: str | None = None,
    sme_framework: str = "miit-2024",
    chains: bool = True,
) -> dict[str, Any]:
    """The province atlas report context for ``china-provincial-io:YEAR-PROVINCE``.

    Parameters
    ----------
    spec : str
        E.g. ``"china-provincial-io:2017-四川"`` (any province spelling).
    step : callable, optional
        Progress messages.
    sme : str, optional
        A file of SME assessment answers for the SME regional picture (of the province's NBS
        region, one bar per province; cells under k firms are suppressed).
    sme_framework : str
        The framework of the answers (default ``"miit-2024"``).
    chains : bool
        Include the chain-gap sections (default True).

    Returns
    -------
    dict
        ``kind`` ``"province-atlas"``, ``title``, ``subtitle``, ``params``, ``spec``,
        ``datasets`` (registered datasets with licences), ``briefing`` (the briefing hook's
        output or None),
        ``sections``, ``provenance``, ``generated``, ``version``.
    """
    from chainatlas import __version__
    from chainatlas.datasets.loaders import china_provincial_io as cp

    step = step or (lambda _m: None)
    p = province_payload(spec, step=step)
    sections = [
        _overview_section(p),
        _digital_section(p),
        _dependence_section(p),
        _key_section(p),
    ]
    if chains:
        sections += _chain_sections(p, step)
    sections += _sme_sections(sme, p["region_zh"], sme_framework, step)
    table = cp.province_table(p["year"], p["short"])
    briefing = _briefing(table, p["spec"], sections, step)
    from chainatlas.pipelines.atlas import _datasets_used

    datasets = _datasets_used(DATASET, sections)
    ctx: dict[str, Any] = {
        "kind": "province-atlas",
        "title": {
            "zh": f"{p['name_zh']}产业图谱报告（{p['year']}）",
            "en": f"Province atlas: {p['name_en']} ({p['year']})",
        },
        "subtitle": f"{p['year']}年省级投入产出表 provincial IO table · 数字核心 2007–2017 · "
        "省际依赖 interprovincial dependence · 补链 chain gaps",
        "params": {"province": p["code"], "year": p["year"], "sme": sme or ""},
        "spec": p["spec"],
        "datasets": datasets,
        "briefing": briefing,
        "sections": sections,
        "provenance": table.provenance.to_dict(),
        "generated": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
    }
    return ctx
