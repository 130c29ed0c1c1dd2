"""``chainatlas scorecard SPEC``: the 广度·高度·韧度 scorecard of a unit set (现代化产业体系评分)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from chainatlas.cli import app
from chainatlas.cli._output import console, emit, resolve_format
from chainatlas.report.render import format_number, write_atomic

ScFormat = Literal["table", "json", "csv", "xlsx"]


def _xlsx(sheets: dict[str, pd.DataFrame], title: str, notes: list[tuple[str, str]]) -> bytes:
    """One workbook through the shared export path (one sheet per table, an About sheet)."""
    from chainatlas.pipelines.blocks import table_block
    from chainatlas.report.export import render_xlsx

    tables = [table_block(df, zh=name, en=name, digits=None) for name, df in sheets.items()]
    return render_xlsx(tables, title=title, notes=notes)


def _print_summary(run: object, payload: dict) -> None:
    from rich.table import Table

    t = Table(title=f"scorecard {payload['spec']} — {payload['units']}")
    t.add_column("unit")
    for p in ("breadth", "height", "toughness", "overall"):
        t.add_column(p, justify="right")
        t.add_column(f"{p} rank [5–95 %]", justify="right")
    for u, r in payload["table"].iterrows():
        cells = [str(u)]
        for p in ("breadth", "height", "toughness", "overall"):
            cells += [
                format_number(round(float(r[p]), 1)),
                f"{int(r[f'{p}_rank'])} [{int(r[f'{p}_rank_p05'])}–{int(r[f'{p}_rank_p95'])}]",
            ]
        t.add_row(*cells)
    from rich.console import Console

    term = Console()
    (term if term.is_terminal else Console(width=220)).print(t)
    m = payload["method"]
    console.print(
        f"{m['normalisation']}, {m['aggregation']}, missing: {m['missing']}; Monte Carlo "
        f"{m['monte_carlo']['n_draws']} draws; raw values: --format csv/json/xlsx; "
        "one unit: --explain UNIT"
    )
    for n in payload["notes"]:
        console.print(f"note: {n['en']}")
    for i, why in m.get("dropped", {}).items():
        console.print(f"[yellow]indicator {i} left out:[/] {why}")


def _series(
    spec: str, fmt: str, out: Path | None, explain: str | None, draws: int, seed: int
) -> None:
    from chainatlas.errors import InputError
    from chainatlas.pipelines.scorecard import run_series

    if explain is not None:
        raise InputError(
            "--explain works on one year",
            received=spec,
            fix="e.g. chainatlas scorecard wiod-2013:2011 --explain CHN",
        )
    cols = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*cols, console=console, transient=True) as bar:
        task = bar.add_task(f"scorecard {spec}", total=1.0)

        def report(message: str, fraction: float | None = None) -> None:
            bar.update(task, description=message, completed=fraction or 0)

        frame = run_series(spec, n_draws=min(draws, 200), seed=seed, progress=report)
    console.print(f"note: {frame.attrs['note']}; each year normalised among its 40 economies")
    if fmt == "xlsx":
        target = out or Path(f"scorecard-{spec.replace(':', '-')}.xlsx")
        write_atomic(
            target, _xlsx({"series": frame}, f"scorecard {spec}", [("note", frame.attrs["note"])])
        )
        console.print(f"wrote {target}")
        return
    emit(frame, fmt, out, title=f"scorecard {spec} (rank 1 = best; 5–95 % intervals)")


@app.command("scorecard")
def scorecard(
    spec: Annotated[
        str,
        typer.Argument(
            help="unit set: wiod-2013:YEAR (or wiod-2013:1995-2011 for the series), "
            "china-provincial-io:YEAR, china-io:series"
        ),
    ],
    fmt: Annotated[ScFormat, typer.Option("--format", help="table, json, csv or xlsx")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write to this file")] = None,
    explain: Annotated[
        str | None, typer.Option("--explain", help="show how one unit's pillars are built")
    ] = None,
    spec_file: Annotated[
        Path | None, typer.Option("--indicators", help="YAML specification replacing the built-in")
    ] = None,
    normalisation: Annotated[
        Literal["min-max", "z-score", "rank"] | None, typer.Option(help="override normalisation")
    ] = None,
    aggregation: Annotated[
        Literal["arithmetic", "geometric"] | None, typer.Option(help="override aggregation")
    ] = None,
    missing: Annotated[
        Literal["error", "skip-and-reweight", "impute-mean"] | None,
        typer.Option(help="override the missing-data policy"),
    ] = None,
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws")] = 1000,
    seed: Annotated[int, typer.Option(help="Monte Carlo seed")] = 20260101,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="recompute the indicators (default: reuse the indicator table cached for the "
            "same data files and code)",
        ),
    ] = False,
) -> None:
    """Score SPEC's units on breadth, height and toughness, with Monte Carlo rank intervals."""
    fmt = resolve_format(fmt, out, allowed=("table", "json", "csv", "xlsx"))  # type: ignore[assignment]
    from chainatlas.pipelines.scorecard import (
        explain_payload,
        export_frame,
        is_series,
        run_scorecard,
        scorecard_payload,
    )

    if is_series(spec):
        _series(spec, fmt, out, explain, draws, seed)
        return

    cols = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*cols, console=console, transient=True) as bar:
        task = bar.add_task(f"scorecard {spec}", total=1.0)
        run = run_scorecard(
            spec,
            spec_file=spec_file,
            normalisation=normalisation,
            aggregation=aggregation,
            missing=missing,
            n_draws=draws,
            seed=seed,
            progress=lambda m, f=None: bar.update(task, description=m, completed=f or 0),
            cache=not fresh,
        )
    if explain is not None:
        p = explain_payload(run, explain)
        if fmt == "xlsx":
            target = out or Path(f"explain-{p['unit']}.xlsx")
            notes = [(k, f"{v['score']:.1f}, rank {v['rank']} of {v['of']} "
                      f"[{v['rank_p05']}–{v['rank_p95']}]") for k, v in p["pillars"].items()]  # fmt: skip
            write_atomic(target, _xlsx({"explain": p["explain"]}, f"{spec} {p['unit']}", notes))
            console.print(f"wrote {target}")
            return
        if fmt == "table":
            for k, v in p["pillars"].items():
                console.print(
                    f"{p['unit']} {k}: {v['score']:.1f} — rank {v['rank']} of {v['of']} "
                    f"[{v['rank_p05']}–{v['rank_p95']}]"
                )
        emit(p, fmt, out, table_key="explain", title=f"{p['unit']}: how the pillars are built")
        return
    payload = scorecard_payload(run)
    if fmt == "xlsx":
        target = out or Path(f"scorecard-{spec.replace(':', '-')}.xlsx")
        write_atomic(
            target,
            _xlsx(
                {
                    "scorecard": export_frame(run),
                    "indicators": payload["indicators"],
                    "missing": payload["missing"],
                },
                f"scorecard {spec}",
                [(k, str(v)) for k, v in payload["method"].items()]
                + [("note", n["en"]) for n in payload["notes"]],
            ),
        )
        console.print(f"wrote {target}")
        return
    if fmt == "table" and out is None:
        _print_summary(run, payload)
        return
    if fmt == "csv":
        emit(export_frame(run), "csv", out)
        return
    emit(payload, fmt, out, table_key="table")
