"""Terminal view of an export-control scenario's reconciled cost table (断供成本对照表)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from chainatlas.cli._output import Format, emit
from chainatlas.cli._progress import progress_bar
from chainatlas.io.table import IOTable

__all__ = ["show_reconciled"]


def _fmt(v: Any, column: str) -> str:
    """Money without decimals, % with 4, 万人年 with 1, million person-years with 2."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if f != f:  # NaN
        return "–"
    digits = (
        4 if "%" in column else 2 if "million person" in column else 1 if "万人年" in column else 0
    )
    return f"{f:,.{digits}f}"


def show_reconciled(
    table: IOTable, scenario: Any, spec: str, fmt: Format, out: Path | None
) -> None:
    """Run the export control through the four models and print one table plus guidance."""
    from chainatlas.cli.chains import present
    from chainatlas.pipelines.shock import export_control_costs

    with progress_bar("export control") as tick:
        res = export_control_costs(table, scenario, spec, progress=tick)
    if fmt != "table":
        payload = present(res.to_dict())
        payload["table"] = spec
        emit(payload, fmt, out, table_key="costs", title=f"{scenario.name}: costs")
        return
    _print_table(res, scenario, spec)


def _print_table(res: Any, scenario: Any, spec: str) -> None:
    """Headline first, then the scenario, the table, notes, guidance and assumptions."""
    from chainatlas.pipelines.shock import GUIDANCE_TEXT, cost_table_view
    from chainatlas.pipelines.shock_text import assumption_lines, headline, notes, scenario_line

    view = cost_table_view(res)
    con = Console() if Console().is_terminal else Console(width=220)
    head = headline(res)
    con.print(f"[bold]{head['zh']}[/]")
    con.print(f"[bold]{head['en']}[/]")
    con.print(f"[bold]{scenario.name}[/] — one reconciled cost table 断供成本对照表")
    con.print(
        f"table 数据: {spec}   unit 单位: {res.unit} (prices of {res.year})   "
        f"GDP {res.focus}: {res.gdp_focus:,.0f}   world GDP: {res.gdp_world:,.0f}"
    )
    scen = scenario_line(res)
    con.print(f"cut 断供: {scen['zh']}")
    con.print(f"cut: {scen['en']}")
    t = Table(title="losses (positive = loss) 损失（正值为损失）", title_justify="left")
    for c in view.columns:
        t.add_column(str(c), justify="left" if "model" in c or "period" in c else "right")
    for _, row in view.iterrows():
        t.add_row(*[_fmt(v, str(c)) if i > 1 else str(v)
                    for i, (c, v) in enumerate(row.items())])  # fmt: skip
    con.print(t)
    for n in notes(res):
        con.print(f"note 注: {n['zh']}")
        con.print(f"note: {n['en']}")
    con.print("[bold]which figure to cite 引用建议[/]")
    con.print(GUIDANCE_TEXT["en"])
    con.print(GUIDANCE_TEXT["zh"])
    con.print("[bold]assumptions 假设[/]")
    for line in assumption_lines(res):
        con.print(f"  · {line['zh']}")
        con.print(f"    {line['en']}")
    con.print(f"[dim]{res.details.get('jobs_note_zh', '')}[/]")
    con.print(f"[dim]{res.details.get('jobs_note', '')}[/]")
    con.print("[dim]every number: --format json 完整结果：--format json[/]")
