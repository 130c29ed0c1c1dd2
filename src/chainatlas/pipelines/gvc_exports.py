"""Report section (报告章节): what China's gross exports are made of, 1995–2011 (KWW/WWZ).

For a multi-region table the section splits the focus economy's (CHN) gross exports into the
four groups of Koopman, Wang & Wei (2014) / Wang, Wei & Zhu (2013):

* DVA — domestic value added absorbed abroad (DVA_FIN + DVA_INT + DVA_INTrex);
* RDV — domestic value added that returns home (RDV_FIN + RDV_INT);
* FVA — foreign value added (FVA_FIN + FVA_INT);
* PDC — pure double counting (DDC + FDC),

for every year of ``wiod-2013`` (17 tables, 1995–2011) when the report is on a WIOD table, else
for the loaded table only. Each year's split is cached as JSON under the user cache
(``<cache>/gvc/``), keyed by the table file's sha256 and :data:`CACHE_VERSION`, so a report
loads and decomposes each WIOD table once: a cold run of the 17 years takes about 30 s, a warm
one well under a second (the section states the time it took).

Numbers come from :func:`chainatlas.chains.export_decomposition` and
:func:`chainatlas.chains.gvc_indicators`; figures and bilingual prose are built here.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

__all__ = [
    "ORDER",
    "applies",
    "sections",
    "export_split",
    "export_split_series",
    "decompose_payload",
    "gvc_payload",
    "CACHE_VERSION",
    "FOCUS_ECONOMY",
]

ORDER = 32
FOCUS_ECONOMY = "CHN"
DATASET = "wiod-2013"
YEARS = tuple(range(1995, 2012))
#: bump when the decomposition or the cached fields change
CACHE_VERSION = "kww-groups-2"
GROUPS = ("DVA", "RDV", "FVA", "PDC")
SRC = "Koopman, Wang & Wei (2014), AER 104(2), eq. (36); Wang, Wei & Zhu (2013), NBER WP 19677"
GROUP_NAMES = {
    "DVA": ("被国外吸收的国内增加值", "domestic value added absorbed abroad"),
    "RDV": ("返回国内的国内增加值", "returned domestic value added"),
    "FVA": ("国外增加值", "foreign value added"),
    "PDC": ("纯重复计算", "pure double counting"),
}


def applies(obj: Any, spec: str) -> bool:
    """True for multi-region IO tables whose final demand is split by destination economy."""
    from chainatlas.io.table import IOTable

    return (
        isinstance(obj, IOTable)
        and isinstance(obj.labels, pd.MultiIndex)
        and isinstance(obj.Y.columns, pd.MultiIndex)
        and obj.labels.get_level_values(0).nunique() > 1
    )


def export_split(table: Any, economy: str) -> dict[str, Any]:
    """KWW terms and the four groups of one economy's gross exports in one table (JSON-able)."""
    from chainatlas.chains import export_decomposition, term_groups

    kww = export_decomposition(table, method="kww", economy=economy)
    row = kww.iloc[0]
    groups = term_groups(kww).iloc[0]
    return {
        "economy": str(kww.index[0]),
        "unit": table.unit,
        "exports": float(row["exports"]),
        "terms": {k: float(row[k]) for k in kww.columns if k not in ("exports", "gap")},
        "groups": {g: float(groups[g]) for g in GROUPS},
        "gap": float(row["gap"]),
    }


def _cache_file(year: int, economy: str) -> Any:
    from chainatlas.datasets import get_dataset
    from chainatlas.datasets.registry import cache_dir

    entry = {f.name: f for f in get_dataset(DATASET).files}[f"wiot_{year}.RData"]
    return (
        cache_dir() / "gvc" / f"{DATASET}-{year}-{economy}-{entry.sha256[:16]}-{CACHE_VERSION}.json"
    )


def _year_record(year: int, economy: str) -> dict[str, Any]:
    """Load one WIOD year and decompose `economy`'s exports."""
    from chainatlas.datasets import load

    return export_split(load(f"{DATASET}:{year}", progress=False), economy)


def _compute(
    years: list[int], economy: str, step: Callable[[str], None]
) -> dict[int, dict[str, Any]]:
    """Records of the years not cached, one table at a time (≈ 2 s each on WIOD)."""
    out = {}
    for year in years:
        step(f"export decomposition {DATASET}:{year}")
        out[year] = _year_record(year, economy)
    return out


def export_split_series(
    economy: str = FOCUS_ECONOMY,
    years: Iterable[int] = YEARS,
    *,
    step: Callable[[str], None] | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The four groups of `economy`'s gross exports for each WIOD year, cached per year.

    Years missing from the cache are loaded and decomposed (a cold 1995–2011 run takes about
    30 s; cached years are read in milliseconds).

    Returns
    -------
    DataFrame
        Index ``year``; ``exports``, ``DVA``, ``RDV``, ``FVA``, ``PDC`` (USD million, current
        prices) and their shares of exports.
    dict
        ``seconds`` (wall time), ``cached`` and ``computed`` (years), ``terms`` ({year: KWW
        terms}).
    """
    from chainatlas._atomic import write_atomic

    step = step or (lambda _m: None)
    t0 = time.perf_counter()
    years = list(years)
    paths = {y: _cache_file(y, economy) for y in years}
    cached = [y for y in years if paths[y].is_file()]
    computed = [y for y in years if y not in cached]
    recs = {y: json.loads(paths[y].read_text(encoding="utf-8")) for y in cached}
    for year, rec in _compute(computed, economy, step).items():
        paths[year].parent.mkdir(parents=True, exist_ok=True)
        write_atomic(paths[year], json.dumps(rec))
        recs[year] = rec
    rows = {y: {"exports": recs[y]["exports"], **recs[y]["groups"]} for y in years}
    df = pd.DataFrame.from_dict(rows, orient="index")
    df.index.name = "year"
    for g in GROUPS:
        df[f"{g}_share"] = df[g] / df["exports"]
    meta = {
        "seconds": time.perf_counter() - t0,
        "cached": cached,
        "computed": computed,
        "terms": {y: recs[y]["terms"] for y in years},
    }
    return df, meta


def _blocks() -> Any:
    from chainatlas.pipelines import blocks

    return blocks


def _kw(fn: Callable[..., Any], **kw: Any) -> dict[str, Any]:
    """Keep only the keyword arguments `fn` takes (``year`` is new in the blocks API)."""
    params = inspect.signature(fn).parameters
    return {k: v for k, v in kw.items() if k in params}


def _figure(df: pd.DataFrame, economy: str) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    colours = {"DVA": "#1f77b4", "RDV": "#2ca02c", "FVA": "#ff7f0e", "PDC": "#7f7f7f"}
    for g in GROUPS:
        zh, en = GROUP_NAMES[g]
        fig.add_bar(
            x=[str(y) for y in df.index],
            y=100 * df[f"{g}_share"],
            name=f"{g} {zh} / {en}",
            marker_color=colours[g],
        )
    fig.update_layout(
        barmode="stack",
        height=400,
        yaxis_title="% of gross exports 占总出口 %",
        legend={"orientation": "h", "y": -0.2},
        title=f"{economy}: gross exports by value-added origin and destination",
    )
    return fig


def _single_year(obj: Any, spec: str, economy: str) -> tuple[pd.DataFrame, dict[str, Any], str]:
    t0 = time.perf_counter()
    rec = export_split(obj, economy)
    df = pd.DataFrame([{"exports": rec["exports"], **rec["groups"]}], index=pd.Index([spec]))
    df.index.name = "table"
    for g in GROUPS:
        df[f"{g}_share"] = df[g] / df["exports"]
    meta = {"seconds": time.perf_counter() - t0, "cached": [], "computed": [spec]}
    return df, {**meta, "terms": {spec: rec["terms"]}}, spec


def _series(obj: Any, spec: str, eco: str, step: Callable[[str], None]) -> tuple[Any, ...]:
    """(frame, meta, latest key, dataset span) for a WIOD spec (17 years) or any other table."""
    if spec.startswith(f"{DATASET}:"):
        df, meta = export_split_series(eco, YEARS, step=step)
        return df, meta, int(spec.split(":", 1)[1]), f"{DATASET}:{YEARS[0]}…{YEARS[-1]}"
    df, meta, _ = _single_year(obj, spec, eco)
    return df, meta, spec, spec


def _timing(df: pd.DataFrame, meta: dict[str, Any]) -> tuple[str, str]:
    n, comp, hit, sec = len(df), len(meta["computed"]), len(meta["cached"]), meta["seconds"]
    return (
        f"共 {n} 张表，用时 {sec:.1f} 秒（新计算 {comp} 张，缓存读取 {hit} 张）。",
        f"{n} table(s) in {sec:.1f} s ({comp} decomposed, {hit} from the per-year cache).",
    )


def _share_table(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for g in GROUPS:
        out[f"{g}_share"] = 100 * out[f"{g}_share"]
    return out.rename(columns={f"{g}_share": f"{g} %" for g in GROUPS})


INDICATOR_COLUMNS = [
    "exports",
    "koopman_participation",
    "koopman_position",
    "gvc_forward",
    "gvc_backward",
    "PLv_GVC",
    "PLy_GVC",
    "gvc_position",
]

TEXT_SPLIT = {
    "zh": "{eco} 总出口按增加值来源与最终去向分为四部分（Koopman、王直、魏尚进 2014；王直、魏尚进、"
    "祝坤福 2013）：DVA = DVA_FIN + DVA_INT + DVA_INTrex，最终被国外吸收的国内增加值；RDV = "
    "出口后又随进口返回国内的国内增加值；FVA = 出口中的国外增加值；PDC = 中间品多次跨境造成的"
    "纯重复计算（DDC + FDC）。四部分之和等于总出口（残差 < 1e-10）。各表行平衡的舍入误差（WIOD "
    "为整数百万美元）计入各经济体本国最终需求。",
    "en": "{eco}'s gross exports split by where the value added comes from and where it is "
    "absorbed (Koopman, Wang & Wei 2014; Wang, Wei & Zhu 2013): DVA = DVA_FIN + DVA_INT + "
    "DVA_INTrex, domestic value added absorbed abroad; RDV = domestic value added that returns "
    "home in imports; FVA = foreign value added; PDC = pure double counting from intermediates "
    "crossing borders more than once (DDC + FDC). The four sum to gross exports (gap < 1e-10). "
    "Each table's row-balance rounding (WIOD: whole USD million) is added to the economy's own "
    "final demand. ",
}
TEXT_INDICATORS = {
    "zh": "Koopman 参与度 = (IV + FV)/E，地位 = ln(1 + IV/E) − ln(1 + FV/E)，IV 为间接增加值出口"
    "（DVA_INTrex），FV 为国外增加值；前向/后向参与度按王直等（2017）的生产分解：跨境用于生产的"
    "增加值（简单 + 复杂 GVC）占增加值 / 最终品的比重；PLv、PLy 为 GVC 生产长度，地位指数 = "
    "PLv/PLy（> 1 偏上游）。",
    "en": "Koopman participation = (IV + FV)/E and position = ln(1 + IV/E) − ln(1 + FV/E), IV = "
    "indirect value-added exports (DVA_INTrex), FV = foreign value added; forward/backward "
    "participation from the production decomposition of Wang, Wei, Yu & Zhu (2017a): value "
    "added crossing borders for production (simple + complex GVC) over value added / final "
    "goods; PLv, PLy = GVC production lengths, position = PLv/PLy (> 1: upstream).",
}


def _tables(
    b: Any,
    obj: Any,
    spec: str,
    eco: str,
    df: pd.DataFrame,
    meta: dict[str, Any],
    last: Any,
    span: str,
) -> list[dict[str, Any]]:
    from chainatlas.chains import gvc_indicators

    unit, src = obj.unit, f"{span}; {SRC}"
    latest = df.loc[last]
    terms = pd.Series(meta["terms"][last], name=str(last)).to_frame("value")
    terms["share %"] = 100 * terms["value"] / latest["exports"]
    from chainatlas.chains._labels import rest_of_world_mask

    ind = gvc_indicators(obj)
    ind = ind[~rest_of_world_mask(ind.index)]  # RoW aggregates many economies: not ranked
    ind = ind.sort_values("exports", ascending=False).head(12)
    specs = [
        (
            _share_table(df),
            f"{eco} 总出口分解（百万美元，现价；% 为占总出口比重）",
            f"{eco}'s gross exports: DVA, RDV, FVA, PDC ({unit}, current prices; % of gross "
            "exports)",
            unit,
            2,
            src,
            f"{df.index[0]}–{df.index[-1]}" if len(df) > 1 else last,
        ),
        (
            terms,
            f"{eco} {last} 年 KWW 九项分解",
            f"{eco} {last}: the nine KWW terms",
            unit,
            2,
            f"{spec}; {SRC}",
            last,
        ),
        (
            ind[INDICATOR_COLUMNS],
            "前12大出口经济体的全球价值链参与度与地位（不含其他地区 RoW）",
            "GVC participation and position of the 12 largest exporters (RoW, an aggregate, "
            "not ranked)",
            f"exports: {unit}; others unit-free (stages for PLv/PLy)",
            4,
            f"{spec}; Koopman et al. (2010); Wang, Wei, Yu & Zhu (2017a, b)",
            last,
        ),
    ]
    return [
        b.table_block(
            frame,
            **_kw(b.table_block, zh=zh, en=en, unit=u, digits=d, source=s_, year=y),
        )
        for frame, zh, en, u, d, s_, y in specs
    ]


def sections(obj: Any, spec: str, step: Callable[[str], None]) -> list[dict[str, Any]]:
    """China's gross exports split into DVA, RDV, FVA and PDC (1995–2011 on WIOD), KWW terms and
    GVC participation/position of the largest exporters in the report's table."""
    b = _blocks()
    economies = set(map(str, obj.labels.get_level_values(0)))
    eco = FOCUS_ECONOMY if FOCUS_ECONOMY in economies else str(obj.labels[0][0])
    step(f"export decomposition of {eco}")
    df, meta, last, span = _series(obj, spec, eco, step)
    latest = df.loc[last]
    timing_zh, timing_en = _timing(df, meta)
    metrics = [
        (GROUP_NAMES[g][0], f"{g}: {GROUP_NAMES[g][1]}", 100 * latest[f"{g}_share"], "%")
        for g in GROUPS
    ]
    step("GVC participation and position")
    tables = _tables(b, obj, spec, eco, df, meta, last, span)
    blocks = [
        *_finding(b, df, eco, last, span),
        b.metrics_block(metrics),
        b.text_block(
            zh=TEXT_SPLIT["zh"].format(eco=eco) + timing_zh,
            en=TEXT_SPLIT["en"].format(eco=eco) + timing_en,
        ),
        b.figure_block(
            _figure(df, eco),
            zh=f"{eco} 总出口的构成（%）",
            en=f"Composition of {eco}'s gross exports (%)",
            source=f"{span}; {SRC}",
        ),
        *tables,
        b.text_block(**TEXT_INDICATORS),
        *_note(b),
    ]
    title = {
        "zh": f"{eco} 总出口分解：国内增加值、返回增加值、国外增加值与重复计算",
        "en": f"{eco}'s gross exports: domestic, returned and foreign value added, double counting",
    }
    sec = b.section(
        "chains-export-decomposition",
        **_kw(b.section, **title, blocks=blocks, datasets=[span]),
    )
    sec["question"] = "height"  # 先进性: how much of the exports is home-made value added
    return [sec]


def _finding(b: Any, df: pd.DataFrame, eco: str, last: Any, span: str) -> list[dict[str, Any]]:
    """The headline: the DVA share in the latest year, against the first year of the series."""
    if not hasattr(b, "finding_block"):
        return []
    share = 100 * float(df.loc[last, "DVA_share"])
    first = df.index[0]
    bench = (
        {"label": f"{eco} {first}", "value": round(100 * float(df.loc[first, "DVA_share"]), 2)}
        if first != last
        else None
    )
    return [
        b.finding_block(
            zh=f"{last} 年 {eco} 总出口中 {share:.1f}% 是最终被国外吸收的国内增加值",
            en=f"In {last}, {share:.1f} % of {eco}'s gross exports was domestic value added "
            "absorbed abroad",
            value=round(share, 2),
            unit="% of gross exports",
            year=last,
            source=f"{span}; {SRC}",
            benchmark=bench,
        )
    ]


def _note(b: Any) -> list[dict[str, Any]]:
    if not hasattr(b, "note_block"):
        return []
    return [
        b.note_block(
            zh="WIOD 2013 版为现价百万美元、整数取整，不区分加工贸易，因此中国的国外增加值份额低于"
            "区分加工贸易的估计（KWW 2014 用 GTAP 与加工贸易数据）。",
            en="WIOD 2013 is in current USD million, rounded to whole numbers, and does not "
            "separate processing trade, so China's foreign-value-added share is lower than in "
            "estimates that do (KWW 2014 used GTAP with processing-trade data).",
            kind="caveat",
        )
    ]


def decompose_payload(
    spec: str, table: Any, method: str, level: str, economy: str | None
) -> dict[str, Any]:
    """The ``chainatlas chains decompose`` payload: the decomposition, its four groups, the
    identity check and the meaning of each term (JSON-able apart from the DataFrames)."""
    from chainatlas.chains.decomposition import (
        TERM_DESCRIPTIONS,
        export_decomposition,
        term_groups,
    )

    df = export_decomposition(table, method=method, level=level, economy=economy)  # type: ignore[arg-type]
    exports = df["exports"].where(df["exports"] != 0)
    names = [c for c in df.columns if c not in ("exports", "gap")]
    source = (
        "Wang, Wei & Zhu (2013), NBER WP 19677, eq. (37)"
        if method == "wwz"
        else "Koopman, Wang & Wei (2014), AER 104(2), eq. (36)"
    )
    return {
        "dataset": spec,
        "method": method,
        "level": level,
        "economy": str(df.index.get_level_values(0)[0]) if economy else None,
        "unit": table.unit,
        "source": f"{spec}; {source}",
        "identity": {
            "max_abs_gap": float(df["gap"].abs().max()),
            "max_rel_gap": float((df["gap"].abs() / exports.abs()).max()),
            "row_gap_max": df.attrs.get("row_gap_max"),
            "note": "gap = exports − Σ terms; the table's row gap x − Ax − Y1 (rounding) is added "
            "to each economy's own final demand",
        },
        "terms": {k: TERM_DESCRIPTIONS[k] for k in names},
        "decomposition": df,
        "groups": term_groups(df),
    }


def gvc_payload(spec: str, table: Any, level: str, economy: str | None) -> dict[str, Any]:
    """The ``chainatlas chains gvc`` payload: participation and position indicators."""
    from chainatlas.chains import gvc_indicators
    from chainatlas.chains._labels import mr_labels, resolve_economy

    df = gvc_indicators(table, level=level)  # type: ignore[arg-type]
    if economy is not None:
        code = resolve_economy(mr_labels(table), economy)
        df = df[df.index.get_level_values(0) == code]
    return {
        "dataset": spec,
        "level": level,
        "economy": str(df.index.get_level_values(0)[0]) if economy else None,
        "unit": table.unit,
        "source": f"{spec}; Koopman, Powers, Wang & Wei (2010), NBER WP 16426; Wang, Wei, Yu & "
        "Zhu (2017a, b), NBER WP 23222 and 23261",
        "definitions": {
            "koopman_participation": "(IV + FV) / E, IV = DVA_INTrex, FV = FVA_FIN + FVA_INT + FDC",
            "koopman_position": "ln(1 + IV/E) − ln(1 + FV/E); > 0 upstream",
            "gvc_forward": "value added crossing borders for production / value added",
            "gvc_backward": "GVC production (simple + complex) / final goods",
            "PLv_GVC": "forward GVC production length (stages)",
            "PLy_GVC": "backward GVC production length (stages)",
            "gvc_position": "PLv_GVC / PLy_GVC; > 1 upstream",
        },
        "indicators": df,
    }
