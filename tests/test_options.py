"""Every public function with a closed-set option refuses a wrong value (automatic walk).

The walk imports every public module of chainatlas (the CLI and web are typer/FastAPI apps whose
choices their frameworks check), finds each module-level function with a ``Literal`` option,
and calls it with a wrong value for that option: :func:`chainatlas.validation.validate_params`
must refuse it before the function body runs, naming the option and the allowed values.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any

import pytest

import chainatlas
from chainatlas.validation import OPTION_LABELS, OptionError, _checks, literal_options

SKIP_PACKAGES = ("chainatlas.cli", "chainatlas.web")
WRONG = "__wrong__"


def _public_functions() -> list[tuple[str, Any]]:
    out = []
    for info in pkgutil.walk_packages(chainatlas.__path__, "chainatlas."):
        name = info.name
        if name.startswith(SKIP_PACKAGES) or any(p.startswith("_") for p in name.split(".")[1:]):
            continue
        mod = importlib.import_module(name)
        for fname, fn in sorted(vars(mod).items()):
            if fname.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != name:
                continue
            out.append((f"{name}.{fname}", fn))
    return out


def _literal_cases() -> list[tuple[str, Any, str]]:
    cases = []
    for qual, fn in _public_functions():
        checks = _checks(inspect.unwrap(fn), {})
        for param, check in checks.items():
            if literal_options(check.hint):
                cases.append((qual, fn, param))
    return cases


CASES = _literal_cases()


def _valid(check: Any) -> Any:
    """A valid value for a checked parameter (used for the parameters not under test)."""
    if check.seed:
        return None
    if check.interval is not None:
        lo = check.interval.low
        return (
            1 if lo is None else (lo + 1 if check.interval.closed in ("right", "neither") else lo)
        )
    return literal_options(check.hint)[0]


def test_the_walk_finds_the_options() -> None:
    names = {(q.rsplit(".", 1)[1], p) for q, _, p in CASES}
    assert {("network_from_edges", "self_loops"), ("io_network", "scope")} <= names
    assert len(CASES) > 100


def test_every_function_with_a_literal_option_is_validated() -> None:
    missing = sorted({q for q, fn, _ in CASES if not getattr(fn, "__validated__", False)})
    assert not missing, "decorate with @validate_params (chainatlas.validation):\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize(("qual", "fn", "param"), CASES, ids=[f"{q}:{p}" for q, _, p in CASES])
def test_a_wrong_literal_value_is_refused(qual: str, fn: Any, param: str) -> None:
    if not getattr(fn, "__validated__", False):
        pytest.fail(f"{qual} is not decorated with @validate_params")
    inner = inspect.unwrap(fn)
    checks = _checks(inner, {})
    kwargs: dict[str, Any] = {}
    args: list[Any] = []
    for name, p in inspect.signature(inner).parameters.items():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if name == param:
            value: Any = WRONG
        elif name in checks and p.default is p.empty:
            value = _valid(checks[name])
        elif p.default is p.empty:
            value = object()  # never reached: the check runs before the body
        else:
            continue
        if p.kind is p.POSITIONAL_ONLY:
            args.append(value)
        else:
            kwargs[name] = value
    allowed = literal_options(checks[param].hint)
    label = re.escape(OPTION_LABELS.get(param, param))
    with pytest.raises(
        OptionError,
        match=rf"invalid {param} for .*unknown {label} '{WRONG}'.*{re.escape(repr(allowed[0]))}",
    ):
        fn(*args, **kwargs)
