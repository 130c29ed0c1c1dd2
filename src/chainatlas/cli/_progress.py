"""A rich progress bar driven by the domain layer's ``progress(message, fraction)`` callback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

__all__ = ["progress_bar"]


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[str, float | None], None]]:
    """Yield a callback that draws a bar on stderr (plain lines when stderr is not a terminal)."""
    console = Console(stderr=True)
    live = console.is_terminal
    last = [-1.0]
    cols = (
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*cols, console=console, transient=True, disable=not live) as bar:
        task = bar.add_task(label, total=1.0)

        def tick(message: str, fraction: float | None) -> None:
            if fraction is None:
                bar.update(task, description=message)
                if not live:
                    console.print(message)
                return
            bar.update(task, description=message, completed=fraction)
            if not live and (fraction >= last[0] + 0.1 or fraction >= 1.0):
                last[0] = fraction
                console.print(f"{message} ({100 * fraction:.0f} %)")

        yield tick
