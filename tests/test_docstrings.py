"""numpydoc validation of the public API: Parameters, Returns and Raises sections.

Every public module-level function of chainatlas (outside the CLI, whose docstrings are the
commands' help) must document each parameter (numpydoc ``PR01``/``PR02``), have a Returns (or
Yields) section unless it returns None (``RT01``) and, when its body raises, a Raises section.
Functions that predate the rule are listed in ``tests/docstring_gaps.txt`` (regenerate with
``python tests/test_docstrings.py > tests/docstring_gaps.txt`` after documenting some).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from pathlib import Path

import pytest
from numpydoc.validate import validate

import chainatlas

CODES = {"GL08", "PR01", "PR02", "RT01"}
GAPS_FILE = Path(__file__).with_name("docstring_gaps.txt")


def _public_functions() -> list[tuple[str, object]]:
    out = []
    for info in pkgutil.walk_packages(chainatlas.__path__, "chainatlas."):
        name = info.name
        if name.startswith("chainatlas.cli") or any(p.startswith("_") for p in name.split(".")[1:]):
            continue
        mod = importlib.import_module(name)
        for fname, fn in sorted(vars(mod).items()):
            if fname.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != name:
                continue
            out.append((f"{name}.{fname}", fn))
    return out


def _raises_undocumented(fn: object) -> bool:
    inner = inspect.unwrap(fn)  # type: ignore[arg-type]
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(inner)))
    except (OSError, TypeError, SyntaxError):
        return False
    func = tree.body[0]
    raises = [
        n
        for n in ast.walk(func)
        if isinstance(n, ast.Raise) and n.exc is not None  # a bare `raise` re-raises
    ]
    doc = inspect.getdoc(inner) or ""
    return bool(raises) and "Raises\n" not in doc


def problems(qual: str, fn: object) -> list[str]:
    """The numpydoc codes (and ``RS01``: raises without a Raises section) of one function."""
    res = validate(qual)
    codes = sorted({code for code, _ in res["errors"] if code in CODES})
    if inspect.signature(fn).return_annotation in (None, "None"):  # type: ignore[arg-type]
        codes = [c for c in codes if c != "RT01"]
    if _raises_undocumented(fn):
        codes.append("RS01")
    return codes


def _gaps() -> set[str]:
    if not GAPS_FILE.exists():
        return set()
    return {
        line.split()[0]
        for line in GAPS_FILE.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


FUNCTIONS = _public_functions()


def test_new_public_functions_have_full_numpydoc_sections() -> None:
    gaps = _gaps()
    bad = []
    for qual, fn in FUNCTIONS:
        if qual in gaps:
            continue
        codes = problems(qual, fn)
        if codes:
            bad.append(f"{qual}: {' '.join(codes)}")
    assert not bad, "document Parameters/Returns/Raises (numpydoc):\n" + "\n".join(bad)


def coverage() -> float:
    """Share of public functions with no numpydoc gap (printed by ``python tests/...``)."""
    ok = sum(1 for q, fn in FUNCTIONS if not problems(q, fn))
    return ok / max(len(FUNCTIONS), 1)


if __name__ == "__main__":  # regenerate the list: python tests/test_docstrings.py > gaps
    print("# public functions that predate the numpydoc rule (may only shrink)")
    for q, f in FUNCTIONS:
        c = problems(q, f)
        if c:
            print(q, " ".join(c))
    print(f"# coverage {100 * coverage():.0f}%", flush=True)


@pytest.mark.parametrize("qual", ["chainatlas.validation.check_seed"])
def test_a_documented_function_passes(qual: str) -> None:
    assert problems(qual, dict(FUNCTIONS)[qual]) == []
