"""``chainatlas chains dependence|chokepoints|value-added|semiconductor`` (价值链与卡脖子)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
import typer

from chainatlas.cli._output import Format, console, emit
from chainatlas.errors import InputError

app = typer.Typer(
    help="Value chains, foreign dependence and chokepoints (价值链、对外依赖、卡脖子).",
    no_args_is_help=True,
)


SIG_DIGITS = 10
FMT_HELP = "output format: table (terminal), json (full payload), csv or xlsx (the main table)"
OUT_HELP = "write to this file (atomically) instead of printing"
TOP_HELP = "number of rows to list"
ECONOMY_HELP = "focus economy code, e.g. CHN, USA, DEU (case-insensitive)"
SPEC_HELP = "multi-region table spec, e.g. wiod-2013:2011"


def _round_float(v: float, scale: float) -> float:
    if not math.isfinite(v):
        return v
    if abs(v) < 1e-9 * scale:
        return 0.0
    return float(f"{v:.{SIG_DIGITS}g}")


def _present_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if pd.api.types.is_float_dtype(col.dtype):
            a = col.to_numpy(dtype=float)
            finite = a[np.isfinite(a)]
            scale = float(np.abs(finite).max()) if finite.size else 0.0
            out[c] = [_round_float(float(v), scale) for v in a]
    return out


def present(obj: Any) -> Any:
    """Presentation copy of a payload: floats to 10 significant digits; in DataFrames, noise
    (|x| < 1e-9 × the column's largest |x|) is shown as 0. Loose scalars (e.g. ``totals``, whose
    entries have different units) are only rounded. The API results themselves are unchanged.
    """
    if isinstance(obj, pd.DataFrame):
        return _present_frame(obj)
    if isinstance(obj, pd.Series):
        return _present_frame(obj.to_frame()).iloc[:, 0]
    if isinstance(obj, dict):
        return {k: present(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [present(v) for v in obj]
    if isinstance(obj, float | np.floating) and not isinstance(obj, bool):
        return _round_float(float(obj), 0.0)
    return obj


def _table(spec: str) -> Any:
    from chainatlas.datasets import load_io_table

    with console.status(f"loading {spec}"):
        return load_io_table(spec)


@app.command("dependence")
def dependence(
    spec: Annotated[str, typer.Argument(help=SPEC_HELP)],
    economy: Annotated[str, typer.Option("--economy", "-e", help=ECONOMY_HELP)] = "CHN",
    top: Annotated[
        int, typer.Option("--top", min=1, help="foreign economy-sectors to list (by total)")
    ] = 20,
    fmt: Annotated[Format, typer.Option("--format", help=FMT_HELP)] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help=OUT_HELP)] = None,
) -> None:
    """Value added in exports, and a focus economy's direct/total dependence on foreign suppliers.

    Rows of WIOD's Rest of World (RoW, many economies) are kept and marked rest_of_world.
    """
    from chainatlas.pipelines.chains import dependence_summary

    payload = present(dependence_summary(_table(spec), economy, top=top))
    emit(
        payload, fmt, out, table_key="dependence", title=f"{payload['economy']}: foreign dependence"
    )


@app.command("value-added")
def value_added(
    spec: Annotated[str, typer.Argument(help=SPEC_HELP)],
    level: Annotated[
        Literal["economy", "economy-sector"],
        typer.Option("--level", help="one row per economy, or per economy-sector"),
    ] = "economy",
    fmt: Annotated[Format, typer.Option("--format", help=FMT_HELP)] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help=OUT_HELP)] = None,
) -> None:
    """Domestic/foreign value added in gross exports and GVC participation (HIY 2001; KWW 2014)."""
    from chainatlas.chains.value_chains import value_added_in_exports

    emit(
        present(value_added_in_exports(_table(spec), level=level)),
        fmt,
        out,
        title="value added in exports",
    )


@app.command("chokepoints")
def chokepoints(
    spec: Annotated[str, typer.Argument(help=SPEC_HELP)],
    economy: Annotated[str, typer.Option("--economy", "-e", help=ECONOMY_HELP)] = "CHN",
    top: Annotated[int, typer.Option("--top", min=1, help="chokepoints to list (by score)")] = 20,
    reach: Annotated[
        Literal["supply", "demand"],
        typer.Option("--reach", help="Ghosh (supply) or Leontief (demand) extraction"),
    ] = "supply",
    rest_of_world: Annotated[
        Literal["flag", "exclude"],
        typer.Option(
            "--rest-of-world",
            help="flag: Rest of World (RoW, many economies) rows are shown, marked 'not "
            "attributable to one economy', without a rank; exclude: not shown (kept in the model)",
        ),
    ] = "flag",
    non_tradables: Annotated[
        str | None,
        typer.Option(
            "--non-tradables",
            help="comma-separated sector codes left out of the candidates (default: the WIOD "
            "non-tradables c17,c18,c19,c21,c22,c29,c31-c35; 'none' keeps every sector)",
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help=FMT_HELP)] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help=OUT_HELP)] = None,
) -> None:
    """Rank foreign economy-sectors as chokepoints, each score beside its components."""
    from chainatlas.pipelines.chains import chokepoints_summary

    nts: list[str] | None = None
    if non_tradables is not None:
        nts = [] if non_tradables.strip().lower() == "none" else _codes(non_tradables)
    payload = present(
        chokepoints_summary(
            _table(spec),
            economy,
            top=top,
            reach=reach,
            rest_of_world=rest_of_world,
            non_tradables=nts,
        )
    )
    if fmt == "table":
        for key in ("formula", "rest_of_world_note", "non_tradables_note", "world_hhi_note"):
            console.print(payload[key])
        frame = payload["chokepoints"]
        keep = [c for c in TERMINAL_CHOKEPOINT_COLUMNS if c in frame.columns]
        payload = {**payload, "chokepoints": frame[keep]}
        console.print("every column (bounds, import shares, values): --format csv or json")
    emit(payload, fmt, out, table_key="chokepoints", title=f"chokepoints for {payload['economy']}")


#: columns of the terminal view (csv/json carry every column)
TERMINAL_CHOKEPOINT_COLUMNS = (
    "name_en",
    "name_zh",
    "rank",
    "score",
    "supply_share",
    "foreign_hhi",
    "import_hhi",
    "reach_share",
    "domestic_share",
    "world_hhi",
    "note",
)


def _codes(text: str) -> list[str]:
    """Split a comma-separated list of codes, refusing empty items."""
    items = [c.strip() for c in text.split(",")]
    if not all(items):
        raise InputError(
            "empty code in a comma-separated list",
            received=text,
            fix="e.g. USA,NLD,JPN (no empty items)",
        )
    return items


@app.command("semiconductor")
def semiconductor(
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            help="scenario: providers of COUNTRY stop supplying; a coalition as USA,NLD,JPN",
        ),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option("--threshold", help="share of an input's supply lost that counts as hit"),
    ] = 0.5,
    top: Annotated[int, typer.Option("--top", min=1, help=TOP_HELP)] = 20,
    table: Annotated[
        Literal["chokepoints", "leaders", "lost", "affected"],
        typer.Option("--table", help="which table --format csv/table prints"),
    ] = "chokepoints",
    fmt: Annotated[Format, typer.Option("--format", help=FMT_HELP)] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help=OUT_HELP)] = None,
) -> None:
    """Semiconductor chain (eto-semiconductor, CC BY-NC 4.0): chokepoints, chain leaders, scenario."""
    from chainatlas.datasets import load
    from chainatlas.pipelines.chains import semiconductor_summary

    payload = present(
        semiconductor_summary(
            load("eto-semiconductor"),
            country=_codes(country) if country else None,
            top=top,
            threshold=threshold,
        )
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


from chainatlas.cli.chains_decompose import decompose as _decompose  # noqa: E402
from chainatlas.cli.chains_decompose import gvc as _gvc  # noqa: E402

app.command("decompose")(_decompose)
app.command("gvc")(_gvc)
from chainatlas.cli import chain_gaps as _chain_gaps  # noqa: E402,F401  (registers `chains gaps`)
from chainatlas.cli import chains_products as _chains_products  # noqa: E402,F401  (registers `chains products`)


@app.command("dynamic-chokepoints")
def dynamic_chokepoints_cmd(
    spec: Annotated[str, typer.Argument(help=SPEC_HELP)],
    economy: Annotated[str, typer.Option("--economy", "-e", help=ECONOMY_HELP)] = "CHN",
    top: Annotated[int, typer.Option("--top", min=1, help="suppliers to list")] = 20,
    stop_days: Annotated[
        int, typer.Option("--stop-days", min=1, help="days each supplier stops selling")
    ] = 90,
    after_days: Annotated[
        int, typer.Option("--after-days", min=0, help="days simulated after the stop ends")
    ] = 45,
    batch: Annotated[int, typer.Option("--batch", min=1, help="scenarios per kernel call")] = 16,
    fmt: Annotated[Format, typer.Option("--format", help=FMT_HELP)] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help=OUT_HELP)] = None,
) -> None:
    """Dynamic ranking: each foreign supplier stops selling to ECONOMY (ARIO kernel), ranked by
    the economy's value-added loss, with recovery days (动态卡脖子排名)."""
    from chainatlas.cli._progress import progress_bar
    from chainatlas.resilience.dynamic_ranking import dynamic_chokepoints

    table = _table(spec)
    with progress_bar("dynamic chokepoints") as tick:
        df = dynamic_chokepoints(
            table, economy, stop_days=stop_days, after_days=after_days, batch=batch, progress=tick
        )
    a = df.attrs
    payload = present(
        {
            "economy": a["focus"],
            "unit": table.unit,
            "days": a["days"],
            "seconds": a["seconds"],
            "candidates": len(df),
            "no_flows": len(a["no_flows"]),
            "note": f"each supplier stops selling to {a['focus']} on days 5–{4 + stop_days} "
            f"(ARIO kernel, substitution none; {a['days']} days simulated); va_loss = "
            f"{a['focus']}'s cumulative value-added loss ({table.unit}); recovery_days = days "
            "after the stop until the daily loss stays below 1 % of its peak (missing: not "
            "within the run); negative = gain. 各供应方停止供货90天的中国增加值损失。",
            "ranking": df.head(top),
        }
    )
    if fmt == "table":
        console.print(payload["note"])
        console.print(
            f"{payload['candidates']} candidates in {payload['seconds']:.0f} s; "
            f"{payload['no_flows']} sell nothing to {a['focus']} (not run)"
        )
    emit(payload, fmt, out, table_key="ranking", title=f"dynamic chokepoints for {a['focus']}")
