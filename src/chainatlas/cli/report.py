"""``chainatlas report SPEC --out FILE.html``: the atlas report (产业图谱报告)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from chainatlas.cli import app
from chainatlas.cli._output import console, emit_context
from chainatlas.pipelines.atlas import build_context


@app.command("report")
def report(
    spec: Annotated[str, typer.Argument(help="dataset spec, e.g. china-io:2020-42")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="output file (.html, .json or .xlsx)")
    ] = None,
    fmt: Annotated[
        Literal["html", "json", "xlsx"],
        typer.Option("--format", help="html, json or xlsx (default: from the --out extension)"),
    ] = "html",
) -> None:
    """Write the bilingual atlas report for SPEC as one self-contained HTML file."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(f"report {spec}", total=None)
        ctx = build_context(spec, step=lambda msg: bar.update(task, description=msg))
        bar.update(task, description="rendering")
    emit_context(ctx, fmt, out, Path(f"atlas-{spec.replace(':', '-')}.html"))
