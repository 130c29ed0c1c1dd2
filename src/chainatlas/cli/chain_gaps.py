"""``chainatlas chains gaps SPEC --province P [--chain C]`` (补链: 一图N清单 as tables).

Registered on the ``chains`` group by :mod:`chainatlas.cli.chains`. Renders the payload of
:func:`chainatlas.pipelines.chain_gaps.province_chain_gaps`; no analysis here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from chainatlas.cli._output import console, emit
from chainatlas.cli.chains import app, present
from chainatlas.errors import InputError

View = Literal[
    "links", "missing", "weak", "inflow", "partners", "firms", "leaders", "national-leaders",
    "completeness",
]  # fmt: skip
_KEYS = {"inflow": "inflow_dependent", "national-leaders": "national_leaders"}


def _spec(spec: str, province: str | None) -> tuple[int, str]:
    name, _, key = spec.partition(":")
    year, _, prov = key.partition("-")
    if name != "china-provincial-io" or not year.isdigit():
        raise InputError(
            "chains gaps needs a provincial IO spec",
            received=spec,
            fix="use china-provincial-io:2017 (with --province) or china-provincial-io:2017-四川",
        )
    where = province or prov
    if not where:
        raise InputError("no province given", received=spec, fix="add --province 四川")
    return int(year), where


_CAPTIONS = {
    "links": ("环节状态", "links"),
    "missing": ("缺链", "missing links"),
    "weak": ("短链", "weak links"),
    "inflow_dependent": ("依赖省外调入", "inflow-dependent links"),
    "partners": ("合作省份", "partner provinces"),
    "firms": ("各环节企业", "firms per link"),
    "leaders": ("链主候选", "chain-leader candidates"),
    "completeness": ("完整度", "chain completeness"),
    "national_leaders": ("全国链主候选", "chain leaders nationwide"),
}


def _write_xlsx(payload: dict[str, Any], out: Path) -> None:
    """Every list of the payload as one sheet (the shared xlsx renderer: neutralised text)."""
    from chainatlas.report.export import render_xlsx, table_parts
    from chainatlas.report.render import write_atomic

    tables = []
    for key, (zh, en) in _CAPTIONS.items():
        parts = table_parts(payload[key])
        parts["caption"] = {"zh": zh, "en": en}
        parts["source"] = ", ".join(payload["datasets"])
        tables.append(parts)
    notes = [(k, str(v)) for k, v in payload.items() if k not in _CAPTIONS]
    title = {"zh": f"补链 {payload['province_zh']} {payload['year']}", "en": "chain gaps"}
    write_atomic(out, render_xlsx(tables, title=title, notes=notes))
    console.print(f"wrote {out}")


@app.command("gaps")
def gaps(
    spec: Annotated[str, typer.Argument(help="china-provincial-io:2017 or china-provincial-io:2017-四川")],
    province: Annotated[str | None, typer.Option("--province", "-p", help="四川, Sichuan, SIC or 51")] = None,
    chain: Annotated[list[str] | None, typer.Option("--chain", "-c", help="chain name or id (repeatable); default: all 8")] = None,
    view: Annotated[View, typer.Option("--view", help="which list --format table/csv prints")] = "links",
    strong_firms: Annotated[int, typer.Option(help="listed firms needed for 强链")] = 2,
    strong_lq: Annotated[float, typer.Option(help="LQ (or firm LQ) for 强链")] = 1.0,
    strong_share: Annotated[float, typer.Option(help="national output share for 强链")] = 0.08,
    present_lq: Annotated[float, typer.Option(help="below it, with no firm, a link is 缺链")] = 0.5,
    inflow_dependent: Annotated[float, typer.Option(help="inflow share flagging a link")] = 0.3,
    include_st: Annotated[bool, typer.Option("--include-st", help="count ST, *ST and delisted firms")] = False,
    attributes: Annotated[Path | None, typer.Option("--attributes", help="CSV/xlsx: ts_code + one numeric column (e.g. revenue) to re-rank chain leaders")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="partner provinces per link and basis")] = 3,
    fmt: Annotated[Literal["table", "json", "csv", "xlsx"], typer.Option("--format", help="table, json, csv or xlsx (xlsx needs --out)")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write to this file (atomically)")] = None,
) -> None:  # fmt: skip
    """Chain gaps of one province (补链): 强链/短链/缺链 per link, sourcing, partners, leaders."""
    from chainatlas.chains.gaps import GapThresholds
    from chainatlas.pipelines.chain_gaps import province_chain_gaps, read_firm_attributes

    year, where = _spec(spec, province)
    th = GapThresholds(strong_firms=strong_firms, strong_lq=strong_lq, strong_share=strong_share,
                       present_lq=present_lq, inflow_dependent=inflow_dependent)  # fmt: skip
    attr = read_firm_attributes(str(attributes)) if attributes else None
    with console.status(f"chain gaps of {where} ({year})"):
        payload = province_chain_gaps(where, chains=chain or None, year=year, thresholds=th,
                                      include_flagged=include_st, top_partners=top,
                                      attributes=attr)  # fmt: skip
    payload.pop("gaps")
    note = payload["leaders"].attrs.get("note")
    if note:
        payload["leaders_note"] = note
        console.print(f"[yellow]chain leaders: {note}[/]")
    payload = present(payload)
    if fmt == "xlsx" or (out is not None and out.suffix.lower() == ".xlsx"):
        if out is None:
            raise InputError("--format xlsx needs --out FILE.xlsx", fix="add --out gaps.xlsx")
        _write_xlsx(payload, out)
        return
    key = _KEYS.get(view, view)
    title = f"chain gaps 补链 — {payload['province_zh']} {year}: {view}"
    emit(payload, fmt, out, table_key=key, title=title)


@app.command("templates")
def templates(
    chain: Annotated[list[str] | None, typer.Option("--chain", "-c", help="chain name or id (repeatable)")] = None,
    view: Annotated[Literal["links", "edges", "kg_omitted"], typer.Option("--view", help="links, edges (with KG support) or kg_omitted")] = "links",
    fmt: Annotated[Literal["table", "json", "csv", "xlsx"], typer.Option("--format", help="table, json, csv or xlsx")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write to this file (atomically)")] = None,
) -> None:  # fmt: skip
    """Chain templates (产业链模板): shipped and $CHAINATLAS_CHAIN_TEMPLATES, checked against the
    KG industries and the 2017 42-sector scheme; edges with their KG support."""
    from chainatlas.pipelines.chain_gaps import template_check

    payload = template_check(chain or None)
    emit(payload, fmt, out, table_key=view, title=f"chain templates 产业链模板: {view}")
