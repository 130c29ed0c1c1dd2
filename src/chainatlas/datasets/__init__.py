"""Datasets: the registry of public data, specs and loaders (数据集)."""

from chainatlas.datasets.registry import (
    DataFile,
    Dataset,
    cache_dir,
    data_path,
    fetch,
    get_dataset,
    list_datasets,
    mirror_dir,
)
from chainatlas.datasets.specs import available_specs, load, parse_spec
from chainatlas.datasets.typed import (
    WrongKindError,
    load_as,
    load_io_table,
    load_region_industry,
    load_trade,
)

__all__ = [
    "DataFile",
    "Dataset",
    "available_specs",
    "cache_dir",
    "data_path",
    "fetch",
    "get_dataset",
    "list_datasets",
    "load",
    "load_as",
    "load_io_table",
    "load_region_industry",
    "load_trade",
    "WrongKindError",
    "mirror_dir",
    "parse_spec",
]
