"""``chainatlas shock run``: Leontief, Ghosh, extraction and BoARIO scenarios (冲击情景)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from chainatlas.cli._output import Format, console, emit
from chainatlas.cli._progress import progress_bar
from chainatlas.cli.chains import present
from chainatlas.errors import InputError, ScenarioError
from chainatlas.report.render import format_number

MODEL_NAMES = {
    "leontief": "Leontief demand model 需求驱动模型",
    "ghosh": "Ghosh supply model 供给驱动模型",
    "extraction": "hypothetical extraction 假设抽取法",
    "ario": "BoARIO adaptive regional IO model 适应性区域投入产出模型 (daily)",
}
TOTAL_LABELS = {
    "x_before": ("world gross output before", "冲击前世界总产出"),
    "x_after": ("world gross output after", "冲击后世界总产出"),
    "change": ("change", "变化"),
    "change_pct": ("change", "变化率"),
    "loss": ("cumulative production loss", "累计产出损失"),
    "loss_pct_of_annual": ("loss, share of annual gross output", "损失占年产出"),
}

app = typer.Typer(help="Shock scenarios on IO tables (冲击情景).", no_args_is_help=True)


def _from_options(
    model: str | None,
    economy: str | None,
    sector: str | None,
    change_pct: float | None,
    capacity_loss_pct: float | None,
    duration_days: int | None,
    simulate_days: int,
) -> dict[str, Any]:
    if model is None:
        raise ScenarioError(
            "give a scenario file or --model with its options",
            fix="e.g. chainatlas shock run --model leontief --economy CHN --sector c14 "
            "--change-pct -10 --table wiod-2013:2011",
        )
    target = {k: v for k, v in {"economy": economy, "sector": sector}.items() if v is not None}
    if model in ("leontief", "ghosh"):
        key = "demand_changes" if model == "leontief" else "input_changes"
        return {"model": model, key: [{**target, "change_pct": change_pct}]}
    if model == "extraction":
        return {"model": model, "extract": [target]}
    return {
        "model": "ario",
        "events": [
            {
                **target,
                "capacity_loss_pct": capacity_loss_pct,
                "duration_days": duration_days,
            }
        ],
        "simulate_days": simulate_days,
        "parameters": {"negative_final_demand": "clip"},
    }


@app.command("run")
def run(
    scenario: Annotated[
        Path | None, typer.Argument(help="scenario file (.yaml/.yml/.json)", exists=True)
    ] = None,
    table: Annotated[
        str | None, typer.Option("--table", "-t", help="table spec (default: the file's table)")
    ] = None,
    model: Annotated[
        Literal["leontief", "ghosh", "extraction", "ario"] | None,
        typer.Option("--model", help="scenario from options instead of a file"),
    ] = None,
    economy: Annotated[
        str | None,
        typer.Option("--economy", help="economy hit by the shock, e.g. CHN (with --model)"),
    ] = None,
    sector: Annotated[
        str | None,
        typer.Option(
            "--sector", help="sector hit, code (c14) or English name; omit for every sector"
        ),
    ] = None,
    change_pct: Annotated[
        float | None,
        typer.Option(
            "--change-pct",
            help="leontief: final-demand change, ghosh: primary-input change, percent (e.g. -10)",
        ),
    ] = None,
    capacity_loss_pct: Annotated[
        float | None,
        typer.Option("--capacity-loss-pct", help="ario: production capacity lost, percent"),
    ] = None,
    duration_days: Annotated[
        int | None,
        typer.Option("--duration-days", help="ario: days the capacity loss lasts"),
    ] = None,
    simulate_days: Annotated[
        int, typer.Option("--simulate-days", help="ario: days to simulate (one step a day)")
    ] = 180,
    top: Annotated[
        int, typer.Option("--top", min=1, help="economy-sectors (and economies) to list")
    ] = 20,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", help="output format: table (terminal), json (full payload), csv or xlsx"
        ),
    ] = "table",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="write to this file (atomically) instead of printing"),
    ] = None,
    engine: Annotated[
        Literal["kernel", "boario"] | None,
        typer.Option(
            "--engine",
            help="ARIO engine: kernel (vectorised, default) or boario (the reference package)",
        ),
    ] = None,
) -> None:
    """Run a shock scenario; results by economy(-sector) with totals and the model's assumptions.

    Export-control scenarios (model: export_control) print one reconciled cost table: Leontief,
    Ghosh, extraction bound and ARIO, in output, value added (GDP) and jobs, with guidance.
    """
    from chainatlas.datasets import load
    from chainatlas.io.table import IOTable
    from chainatlas.resilience import parse_scenario, read_scenario, run_scenario

    if scenario is not None:
        sc = read_scenario(scenario)
    else:
        sc = parse_scenario(
            _from_options(
                model,
                economy,
                sector,
                change_pct,
                capacity_loss_pct,
                duration_days,
                simulate_days,
            ),
            source="command-line scenario",
        )
    if engine is not None:
        if getattr(sc, "model", None) != "ario":
            raise InputError(
                "--engine applies to ARIO scenarios only",
                received=engine,
                fix="drop --engine (export controls always use the kernel: BoARIO has no "
                "bilateral cut)",
            )
        sc = sc.model_copy(update={"engine": engine})
    spec = table or sc.table
    if spec is None:
        raise ScenarioError(
            "no table given", fix="pass --table wiod-2013:2011 or set `table:` in the scenario"
        )
    with console.status(f"loading {spec}"):
        obj = load(spec)
    if not isinstance(obj, IOTable):
        raise InputError(f"{spec} is not an input–output table", received=type(obj).__name__)
    if getattr(sc, "model", None) == "export_control":
        from chainatlas.cli._export_control import show_reconciled

        show_reconciled(obj, sc, spec, fmt, out)
        return
    with progress_bar("simulating") as tick:
        result = run_scenario(obj, sc, progress=tick)
    payload = present(result.to_dict(top=top))
    payload["table"] = spec
    if fmt != "table":
        emit(payload, fmt, out, table_key="by_economy", title=f"{result.name}: by economy")
        return
    names = obj.sectors if obj.sectors is not None and "name_en" in obj.sectors.columns else None
    parts = _table_view(payload, spec, top, names)
    if out is None:
        probe = Console()
        out_console = probe if probe.is_terminal else Console(width=200)
        for p in parts:
            out_console.print(p)
        return
    from chainatlas.report.render import write_atomic

    buf = io.StringIO()
    file_console = Console(file=buf, width=200)
    for p in parts:
        file_console.print(p)
    write_atomic(out, buf.getvalue())
    console.print(f"wrote {out}")


def _num(v: Any, pct: bool = False) -> str:
    """Money with one decimal and thousands separators, percentages with 4 decimals."""
    if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
        return str(v)
    if isinstance(v, int | np.integer):
        return f"{int(v):,}"
    if not np.isfinite(v):
        return format_number(v)
    return f"{float(v):,.4f}" if pct else f"{float(v):,.1f}"


def _frame_table(df: pd.DataFrame, title: str, index_name: str | None = None) -> Table:
    t = Table(title=title, title_justify="left")
    names = df.index.names if isinstance(df.index, pd.MultiIndex) else [df.index.name]
    for nm in names:
        t.add_column(str(index_name or nm or ""))
    for c in df.columns:
        is_text = not pd.api.types.is_numeric_dtype(df[c].dtype)
        t.add_column(str(c), justify="left" if is_text else "right")
    for lab, row in df.iterrows():
        labs = lab if isinstance(lab, tuple) else (lab,)
        pct = ["%" in str(c) for c in df.columns]
        t.add_row(
            *[str(x) for x in labs], *[_num(v, p) for v, p in zip(row.tolist(), pct, strict=True)]
        )
    return t


def _table_view(
    payload: dict[str, Any], spec: str, top: int, names: pd.DataFrame | None
) -> list[Any]:
    """Rich renderables of a shock payload: header, totals, economies, sectors, daily loss."""
    unit = payload.get("unit") or "table unit"
    model = payload["model"]
    parts: list[Any] = [
        f"[bold]{payload['name']}[/] — {MODEL_NAMES.get(model, model)}",
        f"table 数据: {spec}   unit 单位: {unit}" + (" per year 每年" if model != "ario" else ""),
        "assumptions 假设:",
        *[f"  · {a}" for a in payload["assumptions"]],
    ]
    tot = Table(title="totals 合计", title_justify="left")
    tot.add_column("item 项目")
    tot.add_column("value 数值", justify="right")
    tot.add_column("unit 单位")
    for k, v in payload["totals"].items():
        en, zh = TOTAL_LABELS.get(k, (k, ""))
        u = "%" if k.endswith("pct") or k.endswith("pct_of_annual") else unit
        tot.add_row(f"{en} {zh}".strip(), _num(v, u == "%"), u)
    parts.append(tot)
    be = payload["by_economy"]
    key = "loss" if "loss" in be.columns else "change"
    be = be.drop(index="total", errors="ignore")
    be = be.reindex(be[key].abs().sort_values(ascending=False, kind="stable").index)
    col_units = {c: ("%" if "pct" in c else unit) for c in be.columns}
    be_show = be.rename(columns={c: f"{c} ({u})" for c, u in col_units.items()})
    parts.append(
        _frame_table(
            be_show.head(top),
            f"top {top} economies by |{key}| 受影响最大的经济体 ({unit})",
            "economy 经济体",
        )
    )
    bs = payload["by_sector"].head(top)
    bs_show = bs.rename(columns={c: f"{c} ({'%' if 'pct' in c else unit})" for c in bs.columns})
    if names is not None and isinstance(bs.index, pd.MultiIndex):
        cols = [c for c in ("name_en", "name_zh") if c in names.columns]
        bs_show = pd.concat([names[cols].reindex(bs.index), bs_show], axis=1)
    parts.append(_frame_table(bs_show, f"top {top} economy-sectors 经济体-部门"))
    if model == "ario" and "daily_summary" in payload:
        ds = payload["daily_summary"]
        d = Table(title=f"world daily loss 世界每日产出损失 ({unit} per day)", title_justify="left")
        d.add_column("item 项目")
        d.add_column("value 数值", justify="right")
        for day, v in ds["first_days"].items():
            d.add_row(f"day {day} 第{day}天", _num(v))
        d.add_row(f"peak day 峰值日 ({ds['peak_day']})", _num(ds["peak_loss"]))
        d.add_row("peak, % of daily baseline 峰值占日产出 %", _num(ds["peak_loss_pct"], True))
        d.add_row("last day 最后一天", _num(ds["last_day_loss"]))
        d.add_row("days with loss 有损失的天数", _num(ds["days_with_loss"]))
        d.add_row(f"cumulative 累计 ({unit})", _num(ds["cumulative"]))
        parts.append(d)
    notes = list(payload.get("notes", []))
    if model != "ario":
        notes.append(
            "change = after − before; negative = output falls. 变化 = 冲击后 − 冲击前，负值为减产。"
        )
    notes.append(
        "every row"
        + (" and the full daily series" if model == "ario" else "")
        + ": --format json. 完整结果：--format json。"
    )
    parts.extend(f"[dim]note 注: {n}[/]" for n in notes)
    return parts
