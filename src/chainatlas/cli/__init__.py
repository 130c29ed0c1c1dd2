"""The ``chainatlas`` command line (命令行). Thin: it parses options, calls the API, prints.

Sub-command groups are modules listed in :data:`SUBCOMMANDS`; each defines ``app`` (a Typer).
"""

from __future__ import annotations

import importlib
import sys

import typer

from chainatlas.errors import ChainAtlasError

app = typer.Typer(
    name="chainatlas",
    help="chainatlas: industrial-chain atlas (产业图谱) — IO analysis, chokepoints, clusters, "
    "complexity, ecosystems, SME maturity.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

#: group name -> module defining ``app``
SUBCOMMANDS: dict[str, str] = {
    "datasets": "chainatlas.cli.datasets",
    "io": "chainatlas.cli.io",
    "chains": "chainatlas.cli.chains",
    "shock": "chainatlas.cli.shock",
    "clusters": "chainatlas.cli.clusters",
    "complexity": "chainatlas.cli.complexity",
    "ecosystems": "chainatlas.cli.ecosystems",
    "sme": "chainatlas.cli.sme",
}

for _name, _mod in SUBCOMMANDS.items():
    try:
        _m = importlib.import_module(_mod)
    except ModuleNotFoundError as _err:
        if _err.name != _mod:
            raise
        continue
    app.add_typer(_m.app, name=_name)

from chainatlas.cli import report as _report  # noqa: E402,F401  (registers `report`)


def main() -> None:
    """Entry point: run the CLI, turning chainatlas errors into a clear message and exit code 2."""
    try:
        app(standalone_mode=False)
    except ChainAtlasError as err:
        from rich.console import Console

        Console(stderr=True).print(f"[bold red]error:[/] {type(err).__name__}: {err}")
        sys.exit(2)
    except typer.Abort:
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as err:  # click usage errors
        import click

        if isinstance(err, click.ClickException):
            err.show()
            sys.exit(err.exit_code)
        raise
