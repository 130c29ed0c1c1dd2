"""``chainatlas io ...``: input–output analysis from the command line (投入产出分析).

Every command takes a dataset spec (e.g. ``china-io:2020-42``) or a user table file and prints a
rich table, JSON or CSV (``--format``), optionally to ``--out FILE``. The JSON is the same dict the
atlas report shows (:mod:`chainatlas.pipelines.sections.io`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from chainatlas.cli._output import Format, console, emit
from chainatlas.errors import InputError
from chainatlas.io.table import IOTable, Layout
from chainatlas.pipelines.sections import io as secs

app = typer.Typer(
    help="Input–output analysis (投入产出分析): linkages, multipliers, extraction, upstreamness, "
    "import dependence, servitisation, structural change, balance.",
    no_args_is_help=True,
)

SpecArg = Annotated[
    str, typer.Argument(help="dataset spec (e.g. china-io:2020-42) or a user table file")
]
FmtOpt = Annotated[Format, typer.Option("--format", help="table, json, csv or xlsx")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="write to this file")]


#: options for user table files (set by the group callback)
_FILE_OPTIONS: dict[str, str | None] = {
    "unit": None,
    "layout": "competitive",
    "sheet": None,
    "encoding": None,
}


@app.callback()
def _options(
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="unit of a user table file (e.g. 'USD million'); required only when SPEC is a file, not a dataset spec",
        ),
    ] = None,
    layout: Annotated[
        Layout,
        typer.Option("--layout", help="layout of a user table file"),
    ] = "competitive",
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="sheet of an Excel user table (name or 0-based position)"),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="text encoding of a CSV user table, e.g. gb18030"),
    ] = None,
) -> None:
    """Input–output analysis (投入产出分析). SPEC is a dataset spec or a CSV/Excel/Parquet file."""
    _FILE_OPTIONS.update(unit=unit, layout=layout, sheet=sheet, encoding=encoding)


def _load(spec: str, *, check_balance: bool = True) -> IOTable:
    path = Path(spec)
    from chainatlas.io.user_tables import _SUFFIX, read_table

    if path.suffix.lower() in _SUFFIX:
        unit = (_FILE_OPTIONS["unit"] or "").strip()
        if not unit:
            raise InputError(
                "a user table file needs its unit: files do not say what their numbers are in",
                received=spec,
                fix=f"pass it before the command, e.g. chainatlas io --unit 'USD million' "
                f"linkages {spec}",
            )
        sheet: str | int | None = _FILE_OPTIONS["sheet"]
        if isinstance(sheet, str) and sheet.isdigit():
            sheet = int(sheet)
        if sheet is not None and path.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
            raise InputError(
                "--sheet applies to Excel files only",
                received=f"--sheet {sheet} with {path.name}",
                fix="leave out --sheet for CSV and Parquet files",
            )
        return read_table(
            path,
            unit=unit,
            layout=_FILE_OPTIONS["layout"],  # type: ignore[arg-type]
            sheet=sheet,
            check_balance=check_balance,
            encoding=_FILE_OPTIONS["encoding"],
        )
    from chainatlas.datasets import load_io_table

    return load_io_table(spec, progress=True)


def _emit(payload: dict[str, Any], key: str, fmt: Format, out: Path | None, title: str) -> None:
    if fmt == "table" and "name_en" in getattr(payload[key], "columns", []):
        # the terminal table keeps the Chinese name only; json/csv carry both
        payload = {**payload, key: payload[key].drop(columns="name_en")}
    emit(payload, fmt, out, table_key=key, title=title)


@app.command("linkages")
def linkages_cmd(spec: SpecArg, fmt: FmtOpt = "table", out: OutOpt = None) -> None:
    """Rasmussen–Hirschman backward/forward linkages and the key-sector typology."""
    t = _load(spec)
    _emit(secs.linkages_payload(t, spec), "linkages", fmt, out, f"linkages 产业关联 — {spec}")


@app.command("multipliers")
def multipliers_cmd(spec: SpecArg, fmt: FmtOpt = "table", out: OutOpt = None) -> None:
    """Output and value-added multipliers (1ᵀL, v_cᵀL), computed without forming L."""
    t = _load(spec)
    _emit(secs.multipliers_payload(t, spec), "multipliers", fmt, out, f"multipliers 乘数 — {spec}")


@app.command("extraction")
def extraction_cmd(
    spec: SpecArg,
    sectors: Annotated[
        str | None,
        typer.Option("--sectors", help="comma-separated sectors extracted together as a group"),
    ] = None,
    kind: Annotated[
        Literal["complete", "backward", "forward", "total", "joint"],
        typer.Option(
            "--kind",
            help="definition: complete (default; M&B §12.2.1), backward, forward (Ghosh), "
            "total (backward + forward) or joint (Miller & Lahr 2001; Dietzenbacher & Lahr 2013)",
        ),
    ] = "complete",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Hypothetical extraction: rank all sectors, or extract a group (--sectors a,b)."""
    group = [s.strip() for s in sectors.split(",") if s.strip()] if sectors is not None else None
    if group is not None and not group:
        raise InputError(
            "--sectors names no sector",
            received=sectors,
            fix="give comma-separated sector codes (e.g. --sectors 25,26), or omit --sectors "
            "to rank every sector",
        )
    t = _load(spec)
    payload = secs.extraction_payload(t, spec, group, kind)
    key = "by_sector" if group else "ranking"
    if group and fmt == "table":
        console.print(
            f"extracting {group}: loss {payload['loss']:,.2f} {t.unit} "
            f"({payload['loss_share']:.4%} of total output)"
        )
    _emit(payload, key, fmt, out, f"hypothetical extraction 假设抽取 — {spec}")


@app.command("upstreamness")
def upstreamness_cmd(spec: SpecArg, fmt: FmtOpt = "table", out: OutOpt = None) -> None:
    """Upstreamness (Antràs et al. 2012, open-economy adjusted) and downstreamness."""
    t = _load(spec)
    _emit(
        secs.upstreamness_payload(t, spec), "positions", fmt, out, f"upstreamness 上游度 — {spec}"
    )


@app.command("imports")
def imports_cmd(spec: SpecArg, fmt: FmtOpt = "table", out: OutOpt = None) -> None:
    """Direct and total import dependence of each sector (non-competitive tables)."""
    from chainatlas.pipelines.province import is_province_spec

    if is_province_spec(spec):
        raise InputError(
            "a provincial table is competitive (imports and inflows are columns, not blocks)",
            received=spec,
            fix=f"use `chainatlas io dependence {spec}`: inflow and import shares of each "
            "sector, direct and total",
        )
    t = _load(spec)
    _emit(
        secs.imports_payload(t, spec), "imports", fmt, out, f"import dependence 进口依赖 — {spec}"
    )


@app.command("servitisation")
def servitisation_cmd(spec: SpecArg, fmt: FmtOpt = "table", out: OutOpt = None) -> None:
    """Service share of manufacturing sectors' inputs, direct and total."""
    t = _load(spec)
    _emit(
        secs.servitisation_payload(t, spec),
        "servitisation",
        fmt,
        out,
        f"servitisation 制造业服务化 — {spec}",
    )


@app.command("balance")
def balance_cmd(spec: SpecArg, fmt: FmtOpt = "table", out: OutOpt = None) -> None:
    """Row and column balance of every sector against gross output.

    A user table file is read without the balance check, so an unbalanced table can be inspected
    (its worst gaps are listed and ``within_tolerance`` says whether it passes).
    """
    t = _load(spec, check_balance=False)
    payload = secs.balance_payload(t, spec)
    _emit(payload, "balance", fmt, out, f"balance 平衡检验 — {spec}")
    if not payload["within_tolerance"]:
        console.print(
            f"[bold yellow]not balanced 不平衡:[/] {len(payload['sectors_outside_tolerance'])} "
            f"sectors outside the tolerance (rtol {t.balance_rtol:g}, atol {t.balance_atol:g}), "
            f"e.g. {payload['sectors_outside_tolerance'][:5]}"
        )


@app.command("structure")
def structure_cmd(
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    view: Annotated[
        str,
        typer.Option(
            "--view",
            help="table shown for table/csv: summary, changes, output_multipliers, backward, "
            "forward, key_type, upstreamness, output_share, import_share",
        ),
    ] = "summary",
) -> None:
    """Structural change across China's IO tables 2002–2020 on the common basis."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("loading China tables", total=None)
        comp, nonc = secs.load_china_series(lambda m: bar.update(task, description=m))
        payload = secs.structure_payload(comp, nonc)
    if view not in payload or not hasattr(payload[view], "columns"):
        raise InputError(
            f"unknown view {view!r}",
            fix="one of summary, changes, output_multipliers, backward, forward, key_type, "
            "upstreamness, output_share, import_share",
        )
    _emit(payload, view, fmt, out, f"structural change 结构变迁 ({view})")


@app.command("dependence")
def dependence_cmd(
    spec: Annotated[
        str, typer.Argument(help="one province's table, e.g. china-provincial-io:2017-四川")
    ],
    basis: Annotated[
        str,
        typer.Option(
            help="total-use (proportional assumption, default) or local-absorption "
            "(intermediate + final use only; shares can exceed 1)"
        ),
    ] = "total-use",
    by: Annotated[str, typer.Option(help="sort by inflow or import dependence")] = "inflow",
    kind: Annotated[
        str, typer.Option(help="sort by the direct share or the total content")
    ] = "direct",
    top: Annotated[int | None, typer.Option(min=1, help="show the top N sectors")] = None,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Interprovincial dependence (省外调入与进口依赖): inflow and import shares of each sector's use,
    direct and total (through the province's local Leontief inverse)."""
    from chainatlas.pipelines.province import dependence_payload

    payload = dependence_payload(spec, basis=basis, by=by, kind=kind, top=top)
    emit(
        payload,
        fmt,
        out,
        table_key="dependence",
        title=f"interprovincial dependence 省际依赖 — {payload['dataset']} ({payload['sort']})",
    )
