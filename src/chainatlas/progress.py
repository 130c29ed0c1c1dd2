"""Progress reporting (进度回调): one callback protocol from the models to whoever draws it.

Domain code never draws a progress bar. A long computation takes an optional ``progress``
callback and calls it as ``progress(message, fraction)``: a short message and the fraction done
(0–1), or ``None`` when the fraction is unknown (a spinner). Presentation supplies the callback:
the CLI draws a rich bar, the web service logs, tests collect the calls.

* :data:`Progress` — the type of a callback, ``Callable[[str, float | None], None]``;
* :func:`no_progress` — the callback that does nothing;
* :func:`as_progress` — turn ``None``/``False``/``True``/a one- or two-argument callable into a
  :data:`Progress`;
* :class:`StderrLines` — plain, throttled progress lines on stderr (no rich);
* :class:`ByteProgress` — the tqdm-like object pooch expects, reporting to a callback.

Examples
--------
>>> seen = []
>>> report = as_progress(lambda msg, frac: seen.append((msg, frac)))
>>> report("day 1/2", 0.5)
>>> seen
[('day 1/2', 0.5)]
>>> as_progress(None) is no_progress
True
>>> as_progress(lambda msg: seen.append(msg))("loading", None)  # one-argument callables work
>>> seen[-1]
'loading'
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any, TextIO

from chainatlas.errors import InputError

__all__ = ["Progress", "no_progress", "as_progress", "StderrLines", "ByteProgress"]

#: a progress callback: ``progress(message, fraction)``; fraction in [0, 1] or None (unknown)
Progress = Callable[[str, float | None], None]


def no_progress(message: str, fraction: float | None = None) -> None:
    """Ignore a progress report (the default callback).

    Parameters
    ----------
    message : str
        What is being done.
    fraction : float or None
        Fraction done, or None when unknown.

    Returns
    -------
    None
    """


class StderrLines:
    """Plain progress lines on a text stream, at most one per tenth of the work.

    Lines whose fraction is None (a new stage) are always written; a fraction line is written
    when it crosses the next tenth, and at 1.0.

    Parameters
    ----------
    stream : text stream, optional
        Where to write (default ``sys.stderr`` at call time).

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> lines = StderrLines(buf)
    >>> for day in range(1, 21):
    ...     lines(f"day {day}/20", day / 20)
    >>> buf.getvalue().splitlines()[-1]
    'day 20/20'
    >>> len(buf.getvalue().splitlines())
    10
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._next = 0.1

    def __call__(self, message: str, fraction: float | None = None) -> None:
        stream = self._stream if self._stream is not None else sys.stderr
        if fraction is None:
            self._next = 0.1
            print(message, file=stream)
            return
        if fraction + 1e-12 >= self._next or fraction >= 1.0:
            while self._next <= fraction + 1e-12:
                self._next += 0.1
            print(message, file=stream)


def _n_positional(func: Callable[..., Any]) -> int:
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature
        return 2
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
        return 2
    return sum(1 for p in params if p.kind in kinds)


def as_progress(progress: Progress | Callable[[str], None] | bool | None) -> Progress:
    """Return a two-argument :data:`Progress` callback for any accepted ``progress`` argument.

    Parameters
    ----------
    progress : callable, bool or None
        ``None`` or ``False``: no reports; ``True``: :class:`StderrLines`; a callable taking
        ``(message, fraction)`` is returned as it is; one taking ``(message)`` is wrapped.

    Returns
    -------
    Progress
        A callable ``(message, fraction) -> None``.

    Raises
    ------
    InputError
        If `progress` is neither None, a bool nor callable.
    """
    if progress is None or progress is False:
        return no_progress
    if progress is True:
        return StderrLines()
    if not callable(progress):
        raise InputError(
            "progress must be a callable, a bool or None",
            received=type(progress).__name__,
            fix="pass a function (message, fraction) -> None, True for plain lines, or None",
        )
    if _n_positional(progress) >= 2:
        return progress  # type: ignore[return-value]  # checked: takes (message, fraction)
    one = progress

    def report(message: str, fraction: float | None = None) -> None:
        one(message)  # type: ignore[call-arg]  # checked: takes (message)

    return report


class ByteProgress:
    """A tqdm-like download counter (what ``pooch.retrieve(progressbar=...)`` expects).

    Parameters
    ----------
    description : str
        What is downloaded (e.g. ``"china-io/china_2020_42.rda"``).
    report : Progress
        Where the progress goes.

    Examples
    --------
    >>> seen = []
    >>> bar = ByteProgress("f.csv", lambda m, f: seen.append(f))
    >>> bar.total = 4
    >>> bar.update(2); bar.update(2); bar.close()
    >>> seen
    [0.5, 1.0]
    """

    def __init__(self, description: str, report: Progress) -> None:
        self.description = description
        self.total: int | None = None
        self._done = 0
        self._report = report

    def update(self, n: int) -> None:
        """Count `n` more bytes."""
        before, self._done = self._done, self._done + n
        if self.total:
            self._report(f"{self.description} {self._done / 1e6:.1f} MB", self._done / self.total)
        elif before // 10_000_000 != self._done // 10_000_000:  # size unknown: every 10 MB
            self._report(f"{self.description} {self._done / 1e6:.0f} MB", None)

    def reset(self) -> None:
        """Start counting again."""
        self._done = 0

    def close(self) -> None:
        """Finish (nothing to release)."""
