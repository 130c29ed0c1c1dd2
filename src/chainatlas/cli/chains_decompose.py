"""``chainatlas chains decompose``: WWZ / KWW gross-export decomposition (总出口分解).

Registered on the ``chains`` group by :mod:`chainatlas.cli.chains`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from chainatlas.cli._output import Format, console, emit

LEVEL_HELP = (
    "exporter: one row per exporting economy; sector: exporter × sector; bilateral: exporter × "
    "importer; bilateral-sector: exporter × sector × importer (the full WWZ array)"
)


def decompose_payload(spec: str, table: Any, method: str, level: str, economy: str | None) -> dict:
    """The JSON payload: decomposition, its four groups, identity check and term meanings."""
    from chainatlas.chains.decomposition import (
        TERM_DESCRIPTIONS,
        export_decomposition,
        term_groups,
    )

    df = export_decomposition(table, method=method, level=level, economy=economy)  # type: ignore[arg-type]
    exports = df["exports"].where(df["exports"] != 0)
    names = [c for c in df.columns if c not in ("exports", "gap")]
    return {
        "dataset": spec,
        "method": method,
        "level": level,
        "economy": str(df.index.get_level_values(0)[0]) if economy else None,
        "unit": table.unit,
        "source": f"{spec}; "
        + (
            "Wang, Wei & Zhu (2013), NBER WP 19677, eq. (37)"
            if method == "wwz"
            else "Koopman, Wang & Wei (2014), AER 104(2), eq. (36)"
        ),
        "identity": {
            "max_abs_gap": float(df["gap"].abs().max()),
            "max_rel_gap": float((df["gap"].abs() / exports.abs()).max()),
            "row_gap_max": df.attrs.get("row_gap_max"),
            "note": "gap = exports − Σ terms; the table's row gap x − Ax − Y1 (rounding) is added "
            "to each economy's own final demand",
        },
        "terms": {k: TERM_DESCRIPTIONS[k] for k in names},
        "decomposition": df,
        "groups": term_groups(df),
    }


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

    table = chains_cli._table(spec)
    with console.status(f"{method.upper()} decomposition ({level})"):
        payload = chains_cli.present(decompose_payload(spec, table, method, level, economy))
    title = f"{method.upper()} decomposition of gross exports, {spec} ({payload['unit']})"
    emit(payload, fmt, out, table_key="decomposition", title=title)
