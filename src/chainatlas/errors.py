"""Exceptions of chainatlas (错误类型).

Every error raised on purpose by chainatlas derives from :class:`ChainAtlasError`, so callers can
catch one root. Messages follow one pattern: *what is wrong*, *what was received* and *how to fix it*.

Examples
--------
>>> try:
...     raise LabelError("duplicate sector labels", received=["S1", "S1"], fix="make labels unique")
... except ChainAtlasError as err:
...     print(err)
duplicate sector labels; received: ['S1', 'S1']; fix: make labels unique
"""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Iterable
from typing import Any, Literal, get_args, get_origin

__all__ = [
    "ChainAtlasError",
    "InputError",
    "ShapeError",
    "LabelError",
    "NonFiniteError",
    "ZeroOutputError",
    "NegativeValueError",
    "SingularMatrixError",
    "NonProductiveError",
    "BalanceError",
    "DatasetError",
    "UnknownDatasetError",
    "ChecksumError",
    "DataMissingError",
    "SchemaError",
    "ScenarioError",
    "UnknownCodeError",
    "DegenerateError",
    "suggest",
    "check_option",
]


_REPR = reprlib.Repr()
for _attr, _limit in {
    "maxlevel": 3,
    "maxtuple": 8,
    "maxlist": 8,
    "maxarray": 8,
    "maxdict": 8,
    "maxset": 8,
    "maxfrozenset": 8,
    "maxdeque": 8,
    "maxstring": 200,
    "maxlong": 60,
    "maxother": 200,
}.items():
    setattr(_REPR, _attr, _limit)


def _short(value: Any, limit: int = 240) -> str:
    """An abbreviated repr, bounded before formatting (a huge or deeply nested value — e.g. an
    expanded YAML alias bomb — is never turned into one giant string first)."""
    text = _REPR.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ChainAtlasError(Exception):
    """Root of every chainatlas error.

    Parameters
    ----------
    problem : str
        What is wrong, in one sentence.
    received : object, optional
        What the caller passed (shown abbreviated).
    fix : str, optional
        How to fix it.
    """

    def __init__(self, problem: str, *, received: Any = None, fix: str | None = None) -> None:
        self.problem = problem
        self.received = received
        self.fix = fix
        parts = [problem]
        if received is not None:
            parts.append(f"received: {_short(received)}")
        if fix:
            parts.append(f"fix: {fix}")
        super().__init__("; ".join(parts))


class InputError(ChainAtlasError, ValueError):
    """Invalid input data or arguments."""


class ShapeError(InputError):
    """Arrays or tables of incompatible shape (e.g. a non-square Z)."""


class LabelError(InputError):
    """Missing, mismatched or duplicate labels."""


class NonFiniteError(InputError):
    """NaN or infinite values where finite numbers are required."""


class ZeroOutputError(InputError):
    """Zero or negative gross output, which makes coefficients (Z x̂⁻¹) undefined."""


class NegativeValueError(InputError):
    """Negative values where the method requires non-negative ones."""


class SingularMatrixError(ChainAtlasError, ArithmeticError):
    """A matrix that must be inverted or solved is singular."""


class NonProductiveError(SingularMatrixError):
    """(I − A) is not productive: the spectral radius of A is ≥ 1."""


class NotCoefficientsError(InputError):
    """An array given as a coefficient matrix A that is not one (negative entries, or column
    sums ≥ 1 meaning a sector's inputs cost at least its output)."""


class IllConditionedWarning(UserWarning):
    """(I − A) is ill-conditioned: solutions may have lost many significant digits."""


class BalanceError(InputError):
    """Row and column totals of a table do not balance within tolerance."""


class DatasetError(ChainAtlasError):
    """A dataset could not be found, fetched or read."""


class UnknownDatasetError(DatasetError, KeyError):
    """An unknown dataset name or spec."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return Exception.__str__(self)


class ChecksumError(DatasetError):
    """A file's sha256 does not match the registry."""


class DataMissingError(DatasetError, FileNotFoundError):
    """A registered data file is not available (no mirror copy and no download)."""


class SchemaError(InputError):
    """A file does not follow the documented layout or schema."""


class ScenarioError(InputError):
    """An invalid shock scenario."""


class UnknownCodeError(InputError, KeyError):
    """An unknown economy, sector, product or classification code."""

    def __str__(self) -> str:
        return Exception.__str__(self)


class DegenerateError(InputError):
    """Input for which a measure is mathematically undefined (e.g. a disconnected Mcp)."""


def suggest(name: str, choices: Iterable[str], n: int = 3) -> str:
    """Return a short "did you mean" hint for `name` among `choices`.

    Examples
    --------
    >>> suggest("china-io:2020-24", ["china-io:2020-42", "china-io:2020-153"])
    "did you mean 'china-io:2020-42' or 'china-io:2020-153'?"
    >>> suggest("bej", ["XIN", "BEJ", "ZHJ"])  # case and spacing variants come first
    "did you mean 'BEJ'?"
    """
    choices = [str(c) for c in choices]

    def norm(text: str) -> str:
        return "".join(text.split()).casefold()

    same = [c for c in choices if norm(c) == norm(str(name))]
    if same:
        return "did you mean " + " or ".join(repr(c) for c in same[:n]) + "?"
    close = difflib.get_close_matches(name, choices, n=n, cutoff=0.5)
    if not close:
        lowered = name.lower()
        close = [c for c in choices if lowered in c.lower() or c.lower() in lowered][:n]
    if not close:
        return "see the list of valid names."
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"


def check_option(name: str, value: Any, allowed: Any) -> None:
    """Raise :class:`InputError` unless `value` is one of `allowed` (a list or a ``Literal``).

    Type hints are not enforced at run time; call this for every ``Literal`` option so that a
    typo is refused instead of silently taking some branch.

    Examples
    --------
    >>> check_option("kind", "total", Literal["total", "direct"])
    >>> check_option("kind", "totl", ["total", "direct"])
    Traceback (most recent call last):
    ...
    chainatlas.errors.InputError: unknown kind 'totl'; received: 'totl'; fix: use one of ['total', 'direct']; did you mean 'total'?
    """
    choices = get_args(allowed) if get_origin(allowed) is Literal else tuple(allowed)
    if value not in choices:
        hint = suggest(str(value), [str(c) for c in choices])
        raise InputError(
            f"unknown {name} {value!r}",
            received=value,
            fix=f"use one of {list(choices)}" + (f"; {hint}" if hint.startswith("did") else ""),
        )
