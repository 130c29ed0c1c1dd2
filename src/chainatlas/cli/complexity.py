"""``chainatlas complexity ...``: economic complexity from the command line (经济复杂度).

Commands print a rich table, JSON or CSV (``--format``), optionally to ``--out FILE``; the JSON is
the same dict the atlas report shows (:mod:`chainatlas.pipelines.sections.complexity`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from chainatlas.cli._output import Format, console, emit
from chainatlas.errors import InputError
from chainatlas.pipelines.complexity import TradeComplexity
from chainatlas.pipelines.sections import complexity as secs

app = typer.Typer(
    help="Economic complexity (经济复杂度): ECI, PCI, opportunities, product space, provinces.",
    no_args_is_help=True,
)

SpecArg = Annotated[
    str, typer.Argument(help="trade dataset spec, e.g. world-trade-hs4-2017 (or world-trade-sitc)")
]
FmtOpt = Annotated[Format, typer.Option("--format", help="table, json, csv or xlsx")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="write to this file")]
NoCleanOpt = Annotated[
    bool,
    typer.Option("--no-clean", help="skip Atlas-style cleaning (tiny territories then dominate)"),
]
TopOpt = Annotated[int | None, typer.Option("--top", min=1, help="show the top N rows only")]


def _trade(spec: str, no_clean: bool) -> TradeComplexity:
    from chainatlas.complexity import TradeData
    from chainatlas.datasets import load

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(f"loading {spec}", total=None)
        obj = load(spec, progress=False)
        if not isinstance(obj, TradeData):
            raise InputError(
                f"{spec} is not a trade dataset",
                received=type(obj).__name__,
                fix="use world-trade-sitc (or `chainatlas complexity provinces` for regions)",
            )
        from chainatlas.pipelines.complexity import trade_complexity

        return trade_complexity(
            obj, clean=not no_clean, progress=lambda m: bar.update(task, description=m)
        )


@app.command("eci")
def eci_cmd(
    spec: SpecArg,
    method: Annotated[
        Literal["eigenvector", "fitness", "reflections"],
        typer.Option(
            "--method", help="eigenvector (Atlas ECI), fitness (Tacchella) or reflections"
        ),
    ] = "eigenvector",
    no_clean: NoCleanOpt = False,
    top: TopOpt = None,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Rank locations by ECI, fitness or reflections (with the cleaning record)."""
    tc = _trade(spec, no_clean)
    payload = secs.eci_payload(tc, spec, top=top, method=method)
    emit(payload, fmt, out, table_key="ranking", title=f"{method} — {spec}")


@app.command("pci")
def pci_cmd(
    spec: SpecArg,
    no_clean: NoCleanOpt = False,
    top: TopOpt = None,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Rank products by PCI, with names from the concordance dataset."""
    tc = _trade(spec, no_clean)
    emit(secs.pci_payload(tc, spec, top=top), fmt, out, table_key="ranking", title=f"PCI — {spec}")


@app.command("opportunities")
def opportunities_cmd(
    spec: SpecArg,
    economy: Annotated[str, typer.Option("--economy", help="location code, e.g. CHN")],
    by: Annotated[
        Literal["density", "cog"], typer.Option("--by", help="rank by density or by COG")
    ] = "density",
    top: Annotated[int, typer.Option("--top", min=1, help="number of products")] = 25,
    all_pci: Annotated[
        bool,
        typer.Option("--all-pci", help="include products simpler than ECONOMY (PCI < its ECI)"),
    ] = False,
    no_clean: NoCleanOpt = False,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """New tracks: products ECONOMY lacks (RCA < 1) with PCI ≥ its ECI, ranked by density or COG."""
    tc = _trade(spec, no_clean)
    payload = secs.opportunities_payload(
        tc, spec, economy, by=by, top=top, pci_floor=None if all_pci else "eci"
    )
    rule = payload["pci_floor_rule"]
    emit(
        payload,
        fmt,
        out,
        table_key="opportunities",
        title=f"opportunities — {payload['economy']} (by {by}; {rule})",
    )


@app.command("product-space")
def product_space_cmd(
    spec: SpecArg,
    economy: Annotated[str, typer.Option("--economy", help="colour by this economy's RCA")] = "chn",
    no_clean: NoCleanOpt = False,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """The product space as an edge list (maximum spanning tree + strongest links)."""
    tc = _trade(spec, no_clean)
    payload = secs.product_space_payload(tc, spec, economy)
    emit(payload, fmt, out, table_key="edges", title=f"product space — {spec}")


@app.command("provinces")
def provinces_cmd(
    spec: Annotated[
        str, typer.Argument(help="region × industry spec")
    ] = "china-provincial-io:2017",
    industries: Annotated[
        Literal["goods", "all"],
        typer.Option("--industries", help="goods sectors (01–22 in 2012/2017) or all 42"),
    ] = "goods",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Province-level ECI from the provincial output matrix (RCA on gross output)."""
    from chainatlas.datasets import load

    obj = load(spec, progress=True)
    if not hasattr(obj, "values"):
        raise InputError(
            f"{spec} is not a region × industry matrix",
            received=type(obj).__name__,
            fix="use china-provincial-io:2017 (or :2012, or china-provincial-io-2007:output)",
        )
    payload = secs.provinces_payload(obj, spec, industries=industries)
    emit(payload, fmt, out, table_key="ranking", title=f"provincial ECI — {spec}")
