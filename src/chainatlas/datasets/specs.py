"""Dataset specs (数据规格): ``DATASET[:KEY]`` strings that name one loadable object.

A spec such as ``china-io:2020-42`` or ``wiod-2013:2011`` names a dataset and a key inside it.
Each dataset's loader lives in :mod:`chainatlas.datasets.loaders` in a module that defines

* ``SPECS``: a function returning the list of valid keys (``[""]`` when no key is needed), and
* ``load(key: str, *, progress: bool = True) -> object``,

and optionally ``resolve_key(key: str) -> str``, which turns an accepted spelling of a key (e.g.
``2017-Sichuan``) into the canonical one (``2017-四川``) or raises a specific error; then
``SPECS`` lists the canonical keys only and need not read any data.

The table below maps dataset names to loader modules; modules are imported on first use.

Examples
--------
>>> parse_spec("china-io:2020-42")
('china-io', '2020-42')
>>> parse_spec("eto-semiconductor")
('eto-semiconductor', '')
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from chainatlas.datasets.registry import get_dataset
from chainatlas.errors import UnknownDatasetError, suggest

__all__ = ["parse_spec", "load", "available_specs", "LOADER_MODULES"]

#: dataset name -> loader module
LOADER_MODULES: dict[str, str] = {
    "china-io": "chainatlas.datasets.loaders.china_io",
    "wiod-2013": "chainatlas.datasets.loaders.wiod",
    "bea-io": "chainatlas.datasets.loaders.bea",
    "china-provincial-io-2007": "chainatlas.datasets.loaders.china_provincial",
    "us-state-industry": "chainatlas.datasets.loaders.us_state",
    "cn-listed-companies": "chainatlas.datasets.loaders.cn_listed",
    "us-cluster-mapping": "chainatlas.datasets.loaders.cluster_mapping",
    "world-trade-sitc": "chainatlas.datasets.loaders.world_trade",
    "world-trade-hs4-2017": "chainatlas.datasets.loaders.world_trade_hs4",
    "eto-semiconductor": "chainatlas.datasets.loaders.eto",
    "china-industry-chain-kg": "chainatlas.datasets.loaders.chain_kg",
    "apple-suppliers": "chainatlas.datasets.loaders.apple",
    "gbt4754-2017": "chainatlas.datasets.loaders.gbt4754",
    "concordance": "chainatlas.datasets.loaders.concordance",
    "china-provincial-io": "chainatlas.datasets.loaders.china_provincial_io",
    "cn-province-innovation": "chainatlas.datasets.loaders.cn_innovation",
}


def parse_spec(spec: str) -> tuple[str, str]:
    """Split ``"DATASET[:KEY]"`` into ``(dataset, key)``; the dataset must be registered.

    Raises
    ------
    UnknownDatasetError
        If the dataset part is not registered.
    """
    name, _, key = spec.strip().partition(":")
    get_dataset(name)  # raises with suggestions
    return name, key


def _module(name: str) -> ModuleType:
    if name not in LOADER_MODULES:
        raise UnknownDatasetError(
            f"dataset {name!r} has no loader",
            fix="use `chainatlas datasets fetch` to get its files; loaders exist for: "
            + ", ".join(sorted(LOADER_MODULES)),
        )
    return importlib.import_module(LOADER_MODULES[name])  # a listed module must exist


def available_specs(dataset: str | None = None) -> list[str]:
    """Return every loadable spec, or those of one dataset."""
    names = [dataset] if dataset else sorted(LOADER_MODULES)
    out: list[str] = []
    for name in names:
        try:
            mod = _module(name)
        except UnknownDatasetError:
            continue
        for key in mod.SPECS():
            out.append(f"{name}:{key}" if key else name)
    return out


def load(spec: str, *, progress: bool = True) -> Any:
    """Load the object a spec names (an IO table, a region × industry table, a graph...).

    Parameters
    ----------
    spec : str
        ``"DATASET[:KEY]"``, e.g. ``"china-io:2020-42"``.
    progress : bool
        Show progress bars for downloads.

    Raises
    ------
    UnknownDatasetError
        Unknown dataset or key; the message suggests close specs.
    """
    try:
        name, key = parse_spec(spec)
    except UnknownDatasetError as err:  # a case or spacing variant of a valid spec?
        wanted = "".join(spec.split()).casefold()
        same = [s for s in available_specs() if s.casefold() == wanted]
        if not same:
            raise
        raise UnknownDatasetError(
            f"unknown dataset spec {spec!r}",
            fix=f"did you mean {same[0]!r}? (specs are case-sensitive)",
        ) from err
    mod = _module(name)
    if hasattr(mod, "resolve_key"):  # the loader checks the key and raises its own error
        return mod.load(mod.resolve_key(key), progress=progress)
    keys = list(mod.SPECS())
    if key not in keys:
        full = [f"{name}:{k}" if k else name for k in keys]
        raise UnknownDatasetError(
            f"unknown dataset spec {spec!r}",
            fix=suggest(spec, full)
            + f" Valid specs: {', '.join(full[:20])}"
            + (" ..." if len(full) > 20 else ""),
        )
    return mod.load(key, progress=progress)
