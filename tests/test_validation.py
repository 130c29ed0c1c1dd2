"""The shared option checks: Literal options, ranges, seeds, bools that are not numbers."""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
import pytest

from chainatlas.errors import ChainAtlasError, InputError
from chainatlas.progress import StderrLines, as_progress, no_progress
from chainatlas.validation import Interval, OptionError, Seed, literal_options, validate_params

Level = Literal["firms", "industries"]


@validate_params
def _f(
    x: int,
    *,
    mode: Literal["a", "b"] = "a",
    level: Level | None = None,
    by: Level | list[Level] = "firms",
    share: Annotated[float, Interval(0, 1)] = 0.5,
    k: Annotated[int, Interval(2, None, integer=True)] = 5,
    seed: Seed = None,
) -> tuple:
    return x, mode, level, by, share, k, seed


@validate_params(ranges={"alpha": Interval(0, 1, closed="neither")})
def _g(alpha: float = 0.5) -> float:
    return alpha


def test_valid_calls_pass_through() -> None:
    assert _f(1, mode="b", level="industries", by=["firms", "industries"], share=1, k=3) == (
        1,
        "b",
        "industries",
        ["firms", "industries"],
        1,
        3,
        None,
    )
    assert _f.__wrapped__.__name__ == "_f" and _f.__validated__


def test_a_literal_typo_names_option_value_and_choices() -> None:
    with pytest.raises(OptionError, match=r"unknown mode 'c'.*use one of \['a', 'b'\]"):
        _f(1, mode="c")
    with pytest.raises(OptionError, match=r"unknown level 'industry'.*did you mean 'industries'"):
        _f(1, level="industry")
    with pytest.raises(OptionError, match=r"unknown by 'regoin'"):
        _f(1, by="regoin")
    with pytest.raises(OptionError, match=r"unknown by \['firms', 'x'\]"):
        _f(1, by=["firms", "x"])


def test_errors_are_chainatlas_input_errors() -> None:
    with pytest.raises(InputError):
        _f(1, mode="c")
    assert issubclass(OptionError, ChainAtlasError) and issubclass(OptionError, ValueError)


def test_ranges_from_hints_and_from_the_decorator() -> None:
    with pytest.raises(OptionError, match=r"share=1.5.*outside \[0, 1\]"):
        _f(1, share=1.5)
    with pytest.raises(OptionError, match=r"share=nan"):
        _f(1, share=float("nan"))
    with pytest.raises(OptionError, match=r"k=2.5.*an integer in \[2, ∞\)"):
        _f(1, k=2.5)
    with pytest.raises(OptionError, match=r"alpha=1.*outside \(0, 1\)"):
        _g(1)
    assert _g(np.float64(0.25)) == 0.25


def test_a_bool_is_not_a_number() -> None:
    with pytest.raises(OptionError, match=r"share=True.*not a bool"):
        _f(1, share=True)
    with pytest.raises(OptionError, match=r"k=False.*not a bool"):
        _f(1, k=False)


@pytest.mark.parametrize("seed", [7, np.int64(7), 7.0, np.float32(7.0)])
def test_int_like_seeds_are_accepted_as_int(seed) -> None:
    out = _f(1, seed=seed)[-1]
    assert out == 7 and type(out) is int


@pytest.mark.parametrize("seed", ["7", 7.5, True, [7], float("nan")])
def test_other_seeds_are_refused(seed) -> None:
    with pytest.raises(OptionError, match=r"invalid seed=.*a seed must be None, an integer"):
        _f(1, seed=seed)


def test_a_generator_is_a_seed() -> None:
    rng = np.random.default_rng(1)
    assert _f(1, seed=rng)[-1] is rng


def test_unknown_range_parameter_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="no parameter"):

        @validate_params(ranges={"nope": Interval(0, 1)})
        def h(a: float) -> float:
            return a

        h(1.0)


def test_literal_options_searches_unions_and_containers() -> None:
    assert literal_options(Level | list[Level] | None) == ("firms", "industries")
    assert literal_options(int) == ()


def test_progress_callbacks() -> None:
    seen: list = []
    as_progress(lambda m, f: seen.append((m, f)))("x", 0.5)
    as_progress(seen.append)("y", None)
    assert seen == [("x", 0.5), "y"]
    assert as_progress(None) is no_progress and as_progress(False) is no_progress
    assert isinstance(as_progress(True), StderrLines)
    with pytest.raises(InputError, match="progress must be a callable"):
        as_progress(3)  # type: ignore[arg-type]  # a wrong type on purpose
