"""``chainatlas shock run``: Leontief, Ghosh, extraction and BoARIO scenarios (冲击情景)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from chainatlas.cli._output import Format, console, emit
from chainatlas.errors import InputError, ScenarioError

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
    economy: Annotated[str | None, typer.Option("--economy")] = None,
    sector: Annotated[str | None, typer.Option("--sector")] = None,
    change_pct: Annotated[float | None, typer.Option("--change-pct")] = None,
    capacity_loss_pct: Annotated[float | None, typer.Option("--capacity-loss-pct")] = None,
    duration_days: Annotated[int | None, typer.Option("--duration-days")] = None,
    simulate_days: Annotated[int, typer.Option("--simulate-days")] = 180,
    top: Annotated[int, typer.Option("--top", min=1, help="economy-sectors to list")] = 20,
    fmt: Annotated[Format, typer.Option("--format")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
) -> None:
    """Run a shock scenario; results by economy(-sector) with totals and the model's assumptions."""
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
    spec = table or sc.table
    if spec is None:
        raise ScenarioError(
            "no table given", fix="pass --table wiod-2013:2011 or set `table:` in the scenario"
        )
    with console.status(f"loading {spec}"):
        obj = load(spec)
    if not isinstance(obj, IOTable):
        raise InputError(f"{spec} is not an input–output table", received=type(obj).__name__)
    result = run_scenario(obj, sc, progress=True)
    payload = result.to_dict(top=top)
    payload["table"] = spec
    if fmt == "table":
        console.print(f"[bold]{result.name}[/] ({result.model}) on {spec}")
        for a in result.assumptions:
            console.print(f"  · {a}")
        console.print(f"totals: {payload['totals']}")
    emit(payload, fmt, out, table_key="by_economy", title=f"{result.name}: by economy")
