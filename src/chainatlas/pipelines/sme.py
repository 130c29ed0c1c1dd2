"""The SME regional picture (中小企业数字化区域画像): reference data the SME analyses need.

The scoring and aggregation in :mod:`chainatlas.sme` never load datasets; this module supplies
the registered reference tables they take as arguments.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from chainatlas.datasets import load

__all__ = ["division_names"]


@cache
def division_names() -> pd.Series:
    """GB/T 4754-2017 division code (2 digits) → Chinese name, from ``gbt4754-2017:divisions``.

    Returns
    -------
    Series
        Indexed by the two-digit division code.

    Raises
    ------
    DatasetError
        The dataset is not available (see :func:`chainatlas.datasets.load`).
    """
    table = load("gbt4754-2017:divisions", progress=False)
    return table["name"]
