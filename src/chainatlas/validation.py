"""Run-time checks of options (参数校验): one decorator for every public function.

Type hints are not enforced by Python. :func:`validate_params` reads a function's hints once and,
at every call, checks

* every ``Literal[...]`` option (also inside ``X | None``, ``Literal | list[Literal]``,
  ``tuple[Literal, ...]``), so that a typo is refused instead of silently taking some branch;
* every declared range: ``Annotated[float, Interval(0, 1)]`` in the hint, or
  ``@validate_params(ranges={"alpha": Interval(0, 1)})``; ``bool`` never passes as a number;
* seeds (parameters named ``seed`` or ``random_state``, or typed :data:`Seed`): ``None``, an int,
  a numpy integer or an integral float (``42.0``) is accepted and passed on as ``int``; anything
  else is refused.

A failure raises :class:`OptionError` (an :class:`~chainatlas.errors.InputError`, hence a
:class:`~chainatlas.errors.ChainAtlasError` and a ``ValueError``) naming the option, the value
received and the allowed values.

Examples
--------
>>> from typing import Literal
>>> @validate_params
... def network(*, self_loops: Literal["keep", "drop"] = "keep",
...             alpha: Annotated[float, Interval(0, 1)] = 0.5, seed: Seed = None):
...     return self_loops, alpha, seed
>>> network(self_loops="drop", seed=42.0)
('drop', 0.5, 42)
>>> network(self_loops="dorp")
Traceback (most recent call last):
...
chainatlas.validation.OptionError: invalid self_loops for network(): unknown self_loops 'dorp'; received: 'dorp'; fix: use one of ['keep', 'drop']; did you mean 'drop'?
>>> network(alpha=True)
Traceback (most recent call last):
...
chainatlas.validation.OptionError: invalid alpha=True for network(): a number in [0, 1] is required, not a bool; received: True; fix: pass a number in [0, 1]
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import numpy as np

from chainatlas.errors import InputError, suggest

__all__ = [
    "Interval",
    "OptionError",
    "Seed",
    "validate_params",
    "check_seed",
    "literal_options",
]

F = TypeVar("F", bound=Callable[..., Any])

#: how an option is named in messages when its parameter name reads badly
OPTION_LABELS: dict[str, str] = {"zero_totals": "zero-totals policy"}

#: names of parameters treated as random seeds
SEED_NAMES = frozenset({"seed", "random_state"})


class OptionError(InputError):
    """An option outside its allowed values or range (names the option, value and choices)."""


@dataclass(frozen=True)
class Interval:
    """A closed, open or half-open range for a numeric option.

    Parameters
    ----------
    low, high : float or None
        Bounds; None for no bound.
    closed : {"both", "left", "right", "neither"}
        Which bounds belong to the range.
    integer : bool
        Require an integral value (an int, a numpy integer or an integral float).

    Examples
    --------
    >>> Interval(0, 1).describe(), Interval(0, None, closed="neither").describe()
    ('[0, 1]', '(0, ∞)')
    >>> Interval(1, None, integer=True).contains(3), Interval(0, 1).contains(1.5)
    (True, False)
    """

    low: float | None = None
    high: float | None = None
    closed: Literal["both", "left", "right", "neither"] = "both"
    integer: bool = False

    def describe(self) -> str:
        """Return the range in interval notation, e.g. ``"[0, 1)"``."""
        left = "[" if self.closed in ("both", "left") and self.low is not None else "("
        right = "]" if self.closed in ("both", "right") and self.high is not None else ")"
        lo = "-∞" if self.low is None else f"{self.low:g}"
        hi = "∞" if self.high is None else f"{self.high:g}"
        kind = "an integer in " if self.integer else ""
        return f"{kind}{left}{lo}, {hi}{right}"

    def contains(self, value: float) -> bool:
        """Return whether the number `value` lies in the range (NaN never does)."""
        v = float(value)
        if math.isnan(v):
            return False
        if self.integer and not v.is_integer():
            return False
        if self.low is not None:
            if v < self.low or (v == self.low and self.closed in ("right", "neither")):
                return False
        if self.high is not None:
            if v > self.high or (v == self.high and self.closed in ("left", "neither")):
                return False
        return True


#: a random seed: None, an int (numpy integers and integral floats accepted) or a Generator
Seed = Union[int, np.random.Generator, None]  # noqa: UP007  (kept a Union: used as a marker)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check_seed(name: str, value: Any, where: str = "") -> int | np.random.Generator | None:
    """Return `value` as a seed: None, an int or a numpy Generator.

    Parameters
    ----------
    name : str
        Option name (for the message).
    value : object
        The seed received.
    where : str
        The function, for the message.

    Returns
    -------
    int, numpy.random.Generator or None
        ``np.int64(7)`` and ``7.0`` become ``7``.

    Raises
    ------
    OptionError
        A bool, a non-integral float, a string, or anything else.

    Examples
    --------
    >>> check_seed("seed", np.int64(7)), check_seed("seed", 42.0), check_seed("seed", None)
    (7, 42, None)
    >>> check_seed("seed", "42")
    Traceback (most recent call last):
    ...
    chainatlas.validation.OptionError: invalid seed='42': a seed must be None, an integer or a numpy Generator; received: '42'; fix: pass an integer such as seed=42
    """
    if value is None or isinstance(value, np.random.Generator):
        return value
    if _is_number(value):
        if isinstance(value, numbers.Integral):
            return int(value)
        if math.isfinite(float(value)) and float(value).is_integer():
            return int(value)
    at = f" for {where}" if where else ""
    raise OptionError(
        f"invalid {name}={value!r}{at}: a seed must be None, an integer or a numpy Generator",
        received=value,
        fix=f"pass an integer such as {name}=42",
    )


# -- reading hints ----------------------------------------------------------------------------

_UNION_TYPES = (Union, types.UnionType)


@dataclass(frozen=True)
class _Check:
    """What to check for one parameter."""

    hint: Any
    interval: Interval | None
    seed: bool


def literal_options(hint: Any) -> tuple[Any, ...]:
    """Return every value a ``Literal`` in `hint` allows (searching unions and containers).

    Parameters
    ----------
    hint : type hint
        E.g. ``Literal["a", "b"] | None`` or ``list[Literal["x"]]``.

    Returns
    -------
    tuple
        The allowed values, in order, without repeats; empty when `hint` has no Literal.

    Examples
    --------
    >>> literal_options(Literal["a", "b"] | list[Literal["c"]] | None)
    ('a', 'b', 'c')
    """
    origin = get_origin(hint)
    if origin is Literal:
        return tuple(get_args(hint))
    if origin is Annotated:
        return literal_options(get_args(hint)[0])
    out: list[Any] = []
    for arg in get_args(hint):
        for v in literal_options(arg):
            if v not in out:
                out.append(v)
    return tuple(out)


def _intervals(hint: Any) -> Interval | None:
    if get_origin(hint) is Annotated:
        for meta in get_args(hint)[1:]:
            if isinstance(meta, Interval):
                return meta
        return _intervals(get_args(hint)[0])
    if get_origin(hint) in _UNION_TYPES:
        for arg in get_args(hint):
            found = _intervals(arg)
            if found is not None:
                return found
    return None


def _is_seed_hint(hint: Any) -> bool:
    return hint is Seed or (
        get_origin(hint) in _UNION_TYPES and set(get_args(hint)) == set(get_args(Seed))
    )


def _resolve_hints(func: Callable[..., Any]) -> dict[str, Any]:
    """Type hints of `func` with extras; a hint that cannot be evaluated is left out."""
    try:
        return typing.get_type_hints(func, include_extras=True)
    except Exception:  # a forward reference that does not resolve: evaluate one by one
        hints: dict[str, Any] = {}
        namespace = dict(getattr(func, "__globals__", {}))
        for name, raw in getattr(func, "__annotations__", {}).items():
            try:
                hints[name] = eval(raw, namespace) if isinstance(raw, str) else raw  # noqa: S307
            except Exception:  # noqa: BLE001 - an unresolvable hint is simply not checked
                continue
        return hints


def _checks(func: Callable[..., Any], ranges: Mapping[str, Interval]) -> dict[str, _Check]:
    hints = _resolve_hints(func)
    params = inspect.signature(func).parameters
    unknown = set(ranges) - set(params)
    if unknown:
        raise TypeError(f"validate_params: {func.__qualname__} has no parameter {sorted(unknown)}")
    out: dict[str, _Check] = {}
    for name in params:
        hint = hints.get(name, Any)
        interval = ranges.get(name) or _intervals(hint)
        seed = name in SEED_NAMES or _is_seed_hint(hint)
        if literal_options(hint) or interval is not None or seed:
            out[name] = _Check(hint=hint, interval=interval, seed=seed)
    return out


# -- judging values ---------------------------------------------------------------------------


_PLAIN: dict[Any, Callable[[Any], bool]] = {
    type(None): lambda v: v is None,
    float: lambda v: _is_number(v),
    int: lambda v: _is_number(v) and isinstance(v, numbers.Integral),
    str: lambda v: isinstance(v, str),
    bool: lambda v: isinstance(v, (bool, np.bool_)),
}


def _matches_container(value: Any, hint: Any) -> bool | None:
    """Whether a list/tuple/set `value` fits ``list[Literal[...]]``-like `hint` (None: unknown)."""
    args = [a for a in get_args(hint) if a is not Ellipsis]
    if isinstance(value, (str, bytes)):  # a string is an option value, never a sequence
        return False
    if not isinstance(value, (list, tuple, set, frozenset)):
        return None  # arrays, Index...: not judged here
    if len(args) != 1 or not literal_options(args[0]):
        return None
    inner = [_matches(v, args[0]) for v in value]
    if all(r is True for r in inner):
        return True
    return None if any(r is None for r in inner) else False


def _matches(value: Any, hint: Any) -> bool | None:
    """True: `value` fits `hint`; False: it does not; None: cannot tell (not checked)."""
    origin = get_origin(hint)
    if origin is Annotated:
        return _matches(value, get_args(hint)[0])
    if origin is Literal:
        if not isinstance(value, typing.Hashable):
            return False
        return any(value == a and type(value) is not bool or value is a for a in get_args(hint))
    if origin in _UNION_TYPES:
        results = [_matches(value, a) for a in get_args(hint)]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if isinstance(hint, type) and hint in _PLAIN:
        return _PLAIN[hint](value)
    if origin in (list, tuple, set, frozenset) or (
        origin is not None and origin.__module__ == "collections.abc"
    ):
        return _matches_container(value, hint)
    return None


def _option_error(where: str, name: str, value: Any, allowed: tuple[Any, ...]) -> OptionError:
    if isinstance(value, (list, tuple, set, frozenset)):
        bad = [v for v in value if v not in allowed]
        shown = bad[0] if bad else value
    else:
        shown = value
    hint = suggest(str(shown), [str(a) for a in allowed])
    return OptionError(
        f"invalid {name} for {where}: unknown {OPTION_LABELS.get(name, name)} {value!r}",
        received=value,
        fix=f"use one of {list(allowed)}" + (f"; {hint}" if hint.startswith("did") else ""),
    )


def _check_interval(where: str, name: str, value: Any, interval: Interval) -> None:
    if value is None:
        return
    desc = interval.describe()
    if isinstance(value, (bool, np.bool_)):
        raise OptionError(
            f"invalid {name}={value!r} for {where}: a number in {desc} is required, not a bool",
            received=value,
            fix=f"pass a number in {desc}",
        )
    if not _is_number(value):
        return  # not a number at all: left to the function's own type checks
    if not interval.contains(value):
        raise OptionError(
            f"invalid {name}={value!r} for {where}: outside {desc}",
            received=value,
            fix=f"pass a value in {desc}",
        )


def _check_one(where: str, name: str, value: Any, check: _Check) -> Any:
    if check.seed:
        return check_seed(name, value, where)
    if check.interval is not None:
        _check_interval(where, name, value, check.interval)
    allowed = literal_options(check.hint)
    if allowed and _matches(value, check.hint) is False:
        raise _option_error(where, name, value, allowed)
    return value


def validate_params(func: F | None = None, *, ranges: Mapping[str, Interval] | None = None) -> Any:
    """Decorate `func` so that its ``Literal`` options, ranges and seeds are checked per call.

    Parameters
    ----------
    func : callable
        The function (when used as ``@validate_params`` without arguments).
    ranges : mapping of str to Interval, optional
        Ranges for parameters whose hints do not carry an :class:`Interval`.

    Returns
    -------
    callable
        The wrapped function (same name, docstring and signature; ``__wrapped__`` is the
        original). Seeds are passed on normalised to ``int``.

    Raises
    ------
    OptionError
        At call time, for the first option outside its allowed values (see the module examples).
    """
    extra = dict(ranges or {})

    def decorate(f: F) -> F:
        sig = inspect.signature(f)
        where = f"{f.__name__}()"
        state: dict[str, dict[str, _Check]] = {}

        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            checks = state.get("checks")
            if checks is None:  # hints are resolved lazily: forward references work
                checks = state["checks"] = _checks(f, extra)
            if checks:
                bound = sig.bind_partial(*args, **kwargs)
                for name, check in checks.items():
                    if name in bound.arguments:
                        value = bound.arguments[name]
                        new = _check_one(where, name, value, check)
                        if new is not value:
                            bound.arguments[name] = new
                args, kwargs = bound.args, bound.kwargs
            return f(*args, **kwargs)

        wrapper.__validated__ = True  # type: ignore[attr-defined]  # marker read by the tests
        return typing.cast(F, wrapper)

    if func is not None:
        return decorate(func)
    return decorate
