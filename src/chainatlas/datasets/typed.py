"""Typed dataset accessors (按类型读取): load a spec and make sure it is the kind expected.

:func:`chainatlas.datasets.load` returns whatever a spec names (an IO table, a region × industry
table, trade data, a graph...). Code that needs one kind calls the typed accessor instead, which
refuses a wrong-kind spec with one clear error (:class:`WrongKindError`) naming the spec, the
kind received and specs of the right kind:

* :func:`load_io_table` → :class:`~chainatlas.io.table.IOTable`;
* :func:`load_region_industry` → :class:`~chainatlas.clusters.regional.RegionIndustry`;
* :func:`load_trade` → :class:`~chainatlas.complexity.data.TradeData`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from chainatlas.clusters.regional import RegionIndustry
from chainatlas.complexity.data import TradeData
from chainatlas.datasets.specs import load
from chainatlas.errors import InputError
from chainatlas.io.table import IOTable

__all__ = ["WrongKindError", "load_io_table", "load_region_industry", "load_trade", "load_as"]

T = TypeVar("T")

#: examples of specs of each kind (shown in the error's fix)
EXAMPLES: dict[type, str] = {
    IOTable: "china-io:2020-42, wiod-2013:2011, china-provincial-io-2007:BEJ",
    RegionIndustry: "china-provincial-io-2007:output, us-state-industry:employment",
    TradeData: "world-trade-sitc, world-trade-hs4-2017",
}
KIND_NAMES: dict[type, str] = {
    IOTable: "an input–output table",
    RegionIndustry: "a region × industry table",
    TradeData: "trade data (location × product × year)",
}


class WrongKindError(InputError):
    """A spec names data of another kind than the caller needs (e.g. trade for an IO table)."""


def load_as(spec: str, kind: type[T], *, progress: bool = True, obj: Any = None) -> T:
    """Load `spec` and return it if it is a `kind`; otherwise raise :class:`WrongKindError`.

    Parameters
    ----------
    spec : str
        Dataset spec, e.g. ``"china-io:2020-42"``.
    kind : type
        The container class wanted (``IOTable``, ``RegionIndustry``, ``TradeData``...).
    progress : bool
        Report download progress.
    obj : object, optional
        An already loaded object for `spec` (checked, not loaded again).

    Returns
    -------
    object of type `kind`

    Raises
    ------
    WrongKindError
        The spec names another kind of data.
    UnknownDatasetError
        Unknown dataset or spec (see :func:`chainatlas.datasets.load`).
    """
    got = load(spec, progress=progress) if obj is None else obj
    if isinstance(got, kind):
        return got
    what = KIND_NAMES.get(kind, kind.__name__)
    examples = EXAMPLES.get(kind)
    raise WrongKindError(
        f"{spec} is not {what}: it holds a {type(got).__name__}",
        received=spec,
        fix=f"use a spec of {what}" + (f", e.g. {examples}" if examples else ""),
    )


def load_io_table(spec: str, *, progress: bool = True) -> IOTable:
    """Load an input–output table spec.

    Parameters
    ----------
    spec : str
        E.g. ``"china-io:2020-42"`` or ``"wiod-2013:2011"``.
    progress : bool
        Report download progress.

    Returns
    -------
    IOTable

    Raises
    ------
    WrongKindError
        The spec names another kind of data (e.g. ``world-trade-sitc``).
    """
    return load_as(spec, IOTable, progress=progress)


def load_region_industry(spec: str, *, progress: bool = True) -> RegionIndustry:
    """Load a region × industry spec (employment, output... by region and industry).

    Parameters
    ----------
    spec : str
        E.g. ``"china-provincial-io-2007:output"``.
    progress : bool
        Report download progress.

    Returns
    -------
    RegionIndustry

    Raises
    ------
    WrongKindError
        The spec names another kind of data.
    """
    return load_as(spec, RegionIndustry, progress=progress)


def load_trade(spec: str, *, progress: bool = True) -> TradeData:
    """Load a trade spec (exports by location, product and year).

    Parameters
    ----------
    spec : str
        E.g. ``"world-trade-sitc"``.
    progress : bool
        Report download progress.

    Returns
    -------
    TradeData

    Raises
    ------
    WrongKindError
        The spec names another kind of data (e.g. an IO table).
    """
    return load_as(spec, TradeData, progress=progress)
