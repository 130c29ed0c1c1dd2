"""``chainatlas report SPEC --out FILE.html``: the atlas report (产业图谱报告)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from chainatlas.atlas import build_context
from chainatlas.cli import app
from chainatlas.cli._output import console, emit
from chainatlas.report.render import render_html, write_atomic


@app.command("report")
def report(
    spec: Annotated[str, typer.Argument(help="dataset spec, e.g. china-io:2020-42")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="output file (.html, or .json)")
    ] = None,
    fmt: Annotated[Literal["html", "json"], typer.Option("--format", help="html or json")] = "html",
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
        if fmt == "json" or (out is not None and out.suffix == ".json"):
            emit(ctx, "json", out)
            return
        bar.update(task, description="rendering HTML")
        html = render_html(ctx)
    target = out or Path(f"atlas-{spec.replace(':', '-')}.html")
    write_atomic(target, html)
    console.print(f"wrote {target} ({len(html) / 1e6:.1f} MB, {len(ctx['sections'])} sections)")
