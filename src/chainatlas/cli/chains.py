"""``chainatlas chains dependence|chokepoints|value-added|semiconductor`` (价值链与卡脖子)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from chainatlas.cli._output import Format, console, emit
from chainatlas.errors import InputError

app = typer.Typer(
    help="Value chains, foreign dependence and chokepoints (价值链、对外依赖、卡脖子).",
    no_args_is_help=True,
)


def _table(spec: str) -> Any:
    from chainatlas.datasets import load
    from chainatlas.io.table import IOTable

    with console.status(f"loading {spec}"):
        obj = load(spec)
    if not isinstance(obj, IOTable):
        raise InputError(
            f"{spec} is not an input–output table",
            received=type(obj).__name__,
            fix="give a multi-region table spec such as wiod-2013:2011",
        )
    return obj


@app.command("dependence")
def dependence(
    spec: Annotated[str, typer.Argument(help="multi-region table, e.g. wiod-2013:2011")],
    economy: Annotated[str, typer.Option("--economy", "-e", help="focus economy")] = "CHN",
    top: Annotated[int, typer.Option("--top", min=1, help="foreign economy-sectors to list")] = 20,
    fmt: Annotated[Format, typer.Option("--format")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
) -> None:
    """Value added in exports, and a focus economy's direct/total dependence on foreign suppliers."""
    from chainatlas.chains.summaries import dependence_summary

    payload = dependence_summary(_table(spec), economy, top=top)
    emit(
        payload, fmt, out, table_key="dependence", title=f"{payload['economy']}: foreign dependence"
    )


@app.command("value-added")
def value_added(
    spec: Annotated[str, typer.Argument(help="multi-region table, e.g. wiod-2013:2011")],
    level: Annotated[
        Literal["economy", "economy-sector"], typer.Option("--level", help="aggregation level")
    ] = "economy",
    fmt: Annotated[Format, typer.Option("--format")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
) -> None:
    """Domestic/foreign value added in gross exports and GVC participation (HIY 2001; KWW 2014)."""
    from chainatlas.chains.value_chains import value_added_in_exports

    emit(
        value_added_in_exports(_table(spec), level=level), fmt, out, title="value added in exports"
    )


@app.command("chokepoints")
def chokepoints(
    spec: Annotated[str, typer.Argument(help="multi-region table, e.g. wiod-2013:2011")],
    economy: Annotated[str, typer.Option("--economy", "-e", help="focus economy")] = "CHN",
    top: Annotated[int, typer.Option("--top", min=1)] = 20,
    reach: Annotated[
        Literal["supply", "demand"],
        typer.Option("--reach", help="Ghosh (supply) or Leontief (demand) extraction"),
    ] = "supply",
    fmt: Annotated[Format, typer.Option("--format")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
) -> None:
    """Rank foreign economy-sectors as chokepoints, each score beside its components."""
    from chainatlas.chains.summaries import chokepoints_summary

    payload = chokepoints_summary(_table(spec), economy, top=top, reach=reach)
    if fmt == "table":
        console.print(payload["formula"])
    emit(payload, fmt, out, table_key="chokepoints", title=f"chokepoints for {payload['economy']}")


@app.command("semiconductor")
def semiconductor(
    country: Annotated[
        str | None, typer.Option("--country", help="scenario: providers of COUNTRY stop supplying")
    ] = None,
    threshold: Annotated[float, typer.Option("--threshold", help="share lost that counts")] = 0.5,
    top: Annotated[int, typer.Option("--top", min=1)] = 20,
    table: Annotated[
        Literal["chokepoints", "leaders", "lost", "affected"],
        typer.Option("--table", help="which table --format csv/table prints"),
    ] = "chokepoints",
    fmt: Annotated[Format, typer.Option("--format")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
) -> None:
    """Semiconductor chain (eto-semiconductor, CC BY-NC 4.0): chokepoints, chain leaders, scenario."""
    from chainatlas.chains.summaries import semiconductor_summary
    from chainatlas.datasets import load

    payload = semiconductor_summary(
        load("eto-semiconductor"), country=country, top=top, threshold=threshold
    )
    console.print(f"[yellow]{payload['licence']}[/]")
    if table in ("lost", "affected"):
        if "scenario" not in payload:
            raise InputError(f"--table {table} needs --country", fix="add e.g. --country JPN")
        frame = payload["scenario"]["lost" if table == "lost" else "affected_inputs"]
    else:
        frame = payload[table]
    if fmt == "json":
        emit(payload, fmt, out)
        return
    # CSV and table output carry the licence in a column, so the note travels with the file
    emit(frame.assign(licence=payload["licence"]), fmt, out, title=f"semiconductor {table}")
