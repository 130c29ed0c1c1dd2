"""Random balanced multi-region tables (随机多区域投入产出表) for tests, examples and benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from chainatlas.io.table import IOTable
from chainatlas.provenance import Provenance

__all__ = ["random_multiregion_table"]


def random_multiregion_table(
    n_regions: int = 3,
    n_sectors: int = 4,
    *,
    n_categories: int = 2,
    seed: int = 0,
    domestic_bias: float = 3.0,
) -> IOTable:
    """A random, productive, exactly balanced multi-region table.

    Economies are ``R0, R1, ...``, sectors ``s0, s1, ...``; Y columns are (economy, category) and
    V is one ``"VA"`` row equal to x − 1ᵀZ, so rows and columns balance exactly.

    Parameters
    ----------
    n_regions, n_sectors, n_categories : int
        Dimensions.
    seed : int
        Random seed.
    domestic_bias : float
        Domestic flows are drawn this many times larger than cross-border ones.

    Returns
    -------
    IOTable
        ``layout="multi-region"``, unit ``"USD million"``.

    Examples
    --------
    >>> t = random_multiregion_table(2, 3)
    >>> t.n, t.Y.shape
    (6, (6, 4))
    """
    rng = np.random.default_rng(seed)
    n = n_regions * n_sectors
    regions = [f"R{r}" for r in range(n_regions)]
    sectors = [f"s{s}" for s in range(n_sectors)]
    idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    region = np.repeat(np.arange(n_regions), n_sectors)
    A = rng.uniform(0.0, 1.0, (n, n)) * np.where(
        region[:, None] == region[None, :], domestic_bias, 1.0
    )
    A *= rng.uniform(0.3, 0.7, n)[None, :] / A.sum(axis=0)[None, :]
    Yv = rng.uniform(10.0, 100.0, (n, n_regions * n_categories))
    ycat = np.repeat(np.arange(n_regions), n_categories)
    Yv *= np.where(region[:, None] == ycat[None, :], domestic_bias, 1.0)
    x = np.linalg.solve(np.eye(n) - A, Yv.sum(axis=1))
    Z = A * x[None, :]
    ycols = pd.MultiIndex.from_product(
        [regions, [f"fd{c}" for c in range(n_categories)]], names=["region", "category"]
    )
    Zd = pd.DataFrame(Z, index=idx, columns=idx)
    Yd = pd.DataFrame(Yv, index=idx, columns=ycols)
    xs = pd.Series(Zd.sum(axis=1).to_numpy() + Yd.sum(axis=1).to_numpy(), index=idx, name="x")
    V = pd.DataFrame([xs.to_numpy() - Z.sum(axis=0)], index=["VA"], columns=idx)
    return IOTable(
        Z=Zd,
        Y=Yd,
        V=V,
        x=xs,
        unit="USD million",
        layout="multi-region",
        provenance=Provenance(f"random multi-region table (seed {seed})"),
    )
