"""The ``chainatlas`` command line (命令行). Thin: it parses options, calls the API, prints.

Sub-command groups are modules listed in :data:`SUBCOMMANDS`; each defines ``app`` (a Typer).
A listed module that is missing or fails to import stops the CLI (never silently skipped).
"""

from __future__ import annotations

import importlib
import os
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

for _name, _mod in SUBCOMMANDS.items():  # a listed module that does not import is an error
    app.add_typer(importlib.import_module(_mod).app, name=_name)

from chainatlas.cli import report as _report  # noqa: E402,F401  (registers `report`)
from chainatlas.cli import scorecard as _scorecard  # noqa: E402,F401  (registers `scorecard`)
from chainatlas.cli import serve as _serve  # noqa: E402,F401  (registers `serve`)


def _fail(message: str, code: int) -> None:
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {escape(message)}")
    sys.exit(code)


#: options whose value is an output path (never registered as an input)
_OUTPUT_OPTIONS = ("--out", "-o")


def _register_cli_inputs(argv: list[str]) -> None:
    """Every existing regular file named on the command line (other than an output option's
    value) is an input of this run: no output of the run may overwrite it."""
    from chainatlas._atomic import register_input, reset_inputs

    reset_inputs()
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _OUTPUT_OPTIONS:
            skip = True
            continue
        if arg.startswith("--out="):
            continue
        value = arg.split("=", 1)[1] if arg.startswith("--") and "=" in arg else arg
        if value and os.path.isfile(value):
            register_input(value)


def main() -> None:
    """Entry point: run the CLI; errors become one readable line on stderr and a non-zero exit.

    Exit codes: 2 for chainatlas errors, usage errors and unwritable outputs, 1 for an abort,
    3 for an unexpected internal error (set ``CHAINATLAS_DEBUG=1`` to see its traceback).
    """
    from typer._click import exceptions as click_exc

    try:
        _register_cli_inputs(sys.argv[1:])
        code = app(standalone_mode=False)
    except ChainAtlasError as err:
        _fail(f"{type(err).__name__}: {err}", 2)
    except click_exc.NoArgsIsHelpError as err:  # `chainatlas io` with no command: help was shown
        err.show()
        sys.exit(2)
    except click_exc.ClickException as err:  # usage errors: unknown command/option, bad choice
        err.show()
        sys.exit(err.exit_code or 2)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(1)
    except SystemExit:
        raise
    except OSError as err:  # e.g. an output folder that does not exist or is read-only
        where = f" ({err.filename})" if getattr(err, "filename", None) else ""
        _fail(
            f"{type(err).__name__}: {err.strerror or err}{where}; fix: check that the path "
            "exists and is writable",
            2,
        )
    except Exception as err:
        if os.environ.get("CHAINATLAS_DEBUG"):
            raise
        _fail(
            f"internal error {type(err).__name__}: {err}; this is a bug in chainatlas — please "
            "report it (run with CHAINATLAS_DEBUG=1 for the traceback)",
            3,
        )
    else:
        if isinstance(code, int) and code:  # typer.Exit(code) in standalone_mode=False
            sys.exit(code)
