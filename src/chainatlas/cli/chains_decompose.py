"""``chainatlas chains decompose``: WWZ / KWW gross-export decomposition (总出口分解).

Registered on the ``chains`` group by :mod:`chainatlas.cli.chains`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from chainatlas.cli._output import Format, console, emit

LEVEL_HELP = (
    "exporter: one row per exporting economy; sector: exporter × sector; bilateral: exporter × "
    "importer; bilateral-sector: exporter × sector × importer (the full WWZ array)"
)


def decompose(
    spec: Annotated[str, typer.Argument(help="multi-region table spec, e.g. wiod-2013:2011")],
    method: Annotated[
        Literal["wwz", "kww"],
        typer.Option("--method", help="wwz: Wang–Wei–Zhu 16 terms; kww: Koopman–Wang–Wei 9 terms"),
    ] = "wwz",
    level: Annotated[
        Literal["exporter", "sector", "bilateral", "bilateral-sector"],
        typer.Option("--level", help=LEVEL_HELP),
    ] = "exporter",
    economy: Annotated[
        str | None,
        typer.Option(
            "--economy", "-e", help="keep only this exporter, e.g. CHN (case-insensitive)"
        ),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", help="table (terminal), json (full payload) or csv (the decomposition)"
        ),
    ] = "table",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="write to this file (atomically)")
    ] = None,
) -> None:
    """Decompose gross exports into value-added and double-counted terms (WWZ 2013 / KWW 2014).

    The terms sum to gross exports (column gap = exports − Σ terms). Names follow R's decompr.
    """
    from chainatlas.cli import chains as chains_cli
    from chainatlas.pipelines.gvc_exports import decompose_payload

    table = chains_cli._table(spec)
    with console.status(f"{method.upper()} decomposition ({level})"):
        payload = chains_cli.present(decompose_payload(spec, table, method, level, economy))
    title = f"{method.upper()} decomposition of gross exports, {spec} ({payload['unit']})"
    emit(payload, fmt, out, table_key="decomposition", title=title)


def gvc(
    spec: Annotated[str, typer.Argument(help="multi-region table spec, e.g. wiod-2013:2011")],
    level: Annotated[
        Literal["economy", "economy-sector"],
        typer.Option("--level", help="one row per economy, or per economy-sector"),
    ] = "economy",
    economy: Annotated[
        str | None,
        typer.Option("--economy", "-e", help="keep only this economy, e.g. CHN (case-insensitive)"),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", help="table (terminal), json (full payload) or csv (indicators)"),
    ] = "table",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="write to this file (atomically)")
    ] = None,
) -> None:
    """GVC participation and position: Koopman et al. (2010), Wang, Wei, Yu & Zhu (2017)."""
    from chainatlas.cli import chains as chains_cli
    from chainatlas.pipelines.gvc_exports import gvc_payload

    table = chains_cli._table(spec)
    with console.status("GVC participation and position"):
        payload = chains_cli.present(gvc_payload(spec, table, level, economy))
    emit(payload, fmt, out, table_key="indicators", title=f"GVC indicators, {spec}")
