"""Alternative complexity methods (复杂度的其他算法): fitness, reflections, kNN density.

* :func:`fitness` — the fitness–complexity map of Tacchella et al. (2012), exactly as R's
  *economiccomplexity* 2.0 computes it (20 iterates, mean-1 normalisation at every step;
  validated against the package's published ``economiccomplexity_output`` to 4e-15).
* :func:`reflections` — the method of reflections (Hidalgo & Hausmann 2009) as the same package
  computes it (country index from iterate 18, product index from iterate 19, standardised).
* :func:`eci_methods` — ECI by ``"eigenvector"``, ``"fitness"`` and ``"reflections"`` side by side,
  each column named after its method.
* :func:`knn_density` — density over each product's k nearest neighbours.

Convergence is never silent: each fitness result carries the largest relative change of its last
step (``FitnessOutput.change``); with ``tol=`` a run whose last step still changes by more than
``tol`` raises :class:`ConvergenceError` instead of returning the last iterate.

References
----------
Tacchella, A., Cristelli, M., Caldarelli, G., Gabrielli, A. and Pietronero, L. (2012), A new
metrics for countries' fitness and products' complexity, Scientific Reports 2: 723.
Hidalgo, C. A. and Hausmann, R. (2009), PNAS 106(26): 10570–10575.
Vargas, M. et al., economiccomplexity (R package, pachadotdev/economiccomplexity, src/code.cpp).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.complexity._prepare import DuplicatePolicy, InvalidPolicy, ZeroPolicy
from chainatlas.complexity.measures import Options, _run
from chainatlas.errors import ChainAtlasError, InputError
from chainatlas.kernels import complexity as K
from chainatlas.validation import validate_params

__all__ = [
    "ConvergenceError",
    "FitnessOutput",
    "fitness",
    "reflections",
    "eci_methods",
    "knn_density",
    "METHODS",
]

Method = Literal["eigenvector", "fitness", "reflections"]
METHODS: tuple[str, ...] = ("eigenvector", "fitness", "reflections")


class ConvergenceError(ChainAtlasError, ArithmeticError):
    """An iterative method did not converge within its iteration cap."""


@dataclass(frozen=True)
class FitnessOutput:
    """Fitness of locations and complexity of products (mean 1 each).

    Attributes
    ----------
    fitness : Series (index ``location``)
    complexity : Series (index ``product``)
    iterations : int
        Iterates computed, counting the start (R's ``iterations``).
    change : float
        Largest relative change over the last step (0 = fixed point reached).
    excluded : DataFrame
        Rows, locations and products left out (validation, zero diversity/ubiquity).
    """

    fitness: pd.Series
    complexity: pd.Series
    iterations: int
    change: float
    excluded: pd.DataFrame

    @property
    def ranking(self) -> pd.DataFrame:
        """Locations ranked by fitness (rank 1 = fittest)."""
        df = self.fitness.sort_values(ascending=False).to_frame("fitness")
        df.insert(0, "rank", np.arange(1, len(df) + 1))
        return df


def _mcp(
    data: pd.DataFrame, opts: Options, population: pd.Series | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validated Mcp without empty rows/columns, and the exclusions."""
    outs, _, excluded, _ = _run(data, opts, "mcp", population, "user data")
    M = outs[0]["mcp"]
    d, u = M.sum(axis=1), M.sum(axis=0)
    rows = [("location", str(x), "zero diversity") for x in M.index[d == 0]]
    rows += [("product", str(x), "zero ubiquity") for x in M.columns[u == 0]]
    if rows:
        extra = pd.DataFrame(rows, columns=["kind", "label", "reason"])
        excluded = pd.concat([excluded, extra], ignore_index=True)
    return M.loc[d > 0, u > 0], excluded


def _options(**kw: object) -> Options:
    if kw.get("time") is not None:
        raise InputError(
            "fitness and reflections take one period",
            received=kw["time"],
            fix="select one period first (data[data.year == 2017])",
        )
    return Options(**kw)  # type: ignore[arg-type]


@validate_params
def fitness(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    population: pd.Series | None = None,
    presence_test: Literal["rca", "rpop", "both"] = "rca",
    threshold: float = 1.0,
    iterations: int = 20,
    extremality: float = 1.0,
    tol: float | None = None,
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> FitnessOutput:
    """Economic fitness and product complexity (Tacchella et al. 2012), as R economiccomplexity.

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value), one period.
    location, product, value, population, presence_test, threshold, duplicates, invalid, zeros
        As in :func:`chainatlas.complexity.complexity` (Mcp = RCA ≥ `threshold` by default, R's
        ``balassa_index(discrete = TRUE, cutoff = 1)``).
    iterations : int
        Iterates including the all-ones start (R's default 20; ≥ 2).
    extremality : float
        γ > 0 (R's default 1).
    tol : float, optional
        Convergence tolerance on the largest relative change of the last step. ``None`` (default)
        returns R's fixed-iteration result with the change reported in ``change``; with a value,
        a larger change raises :class:`ConvergenceError`.

    Returns
    -------
    FitnessOutput

    Raises
    ------
    ConvergenceError
        `tol` given and not reached within `iterations`.
    InputError
        Bad options (iterations < 2, extremality ≤ 0, tol ≤ 0) or bad input.

    Examples
    --------
    >>> df = pd.DataFrame({"location": list("aaabbc"), "product": list("xyzxyx"),
    ...                    "value": [1.0, 1, 1, 1, 1, 1]})
    >>> fitness(df, iterations=4).fitness.round(3).to_dict()
    {'a': 1.688, 'b': 0.938, 'c': 0.375}
    """
    if not isinstance(iterations, int | np.integer) or iterations < 2:
        raise InputError("iterations must be an integer ≥ 2", received=iterations, fix="e.g. 20")
    if not np.isfinite(extremality) or extremality <= 0:
        raise InputError("extremality must be > 0", received=extremality, fix="e.g. 1")
    if tol is not None and not (np.isfinite(tol) and tol > 0):
        raise InputError("tol must be a positive number", received=tol, fix="e.g. 1e-8")
    opts = _options(
        location=location,
        product=product,
        value=value,
        presence_test=presence_test,
        threshold=threshold,
        duplicates=duplicates,
        invalid=invalid,
        zeros=zeros,
    )
    M, excluded = _mcp(data, opts, population)
    res = K.fitness(
        M.to_numpy(dtype=np.float64), iterations=int(iterations), extremality=extremality
    )
    if tol is not None and not res.change <= tol:
        raise ConvergenceError(
            f"fitness did not converge within {iterations} iterations",
            received={"last relative change": res.change, "tol": tol},
            fix=f"raise iterations= (e.g. {max(200, 4 * int(iterations))}) or loosen tol; "
            "tol=None returns R's fixed-iteration result with the change reported",
        )
    return FitnessOutput(
        pd.Series(res.fitness, index=M.index, name="fitness"),
        pd.Series(res.complexity, index=M.columns, name="complexity"),
        res.iterations,
        res.change,
        excluded,
    )


@validate_params
def reflections(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    population: pd.Series | None = None,
    presence_test: Literal["rca", "rpop", "both"] = "rca",
    threshold: float = 1.0,
    iterations: int = 20,
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
) -> tuple[pd.Series, pd.Series]:
    """ECI and PCI by the method of reflections, as R economiccomplexity computes them.

    Parameters
    ----------
    data : DataFrame
        Long table (location, product, value), one period.
    iterations : int
        Even, ≥ 4 (R's default 20).
    location, product, value, population, presence_test, threshold, duplicates, invalid, zeros
        As in :func:`chainatlas.complexity.complexity`.

    Returns
    -------
    (eci, pci) : Series by location, Series by product (standardised, sample sd)

    Raises
    ------
    InputError
        Odd or too small `iterations`, or bad input.
    """
    if not isinstance(iterations, int | np.integer) or iterations < 4 or iterations % 2:
        raise InputError("iterations must be an even integer ≥ 4", received=iterations, fix="20")
    opts = _options(
        location=location,
        product=product,
        value=value,
        presence_test=presence_test,
        threshold=threshold,
        duplicates=duplicates,
        invalid=invalid,
        zeros=zeros,
    )
    M, _ = _mcp(data, opts, population)
    e, p = K.reflections(M.to_numpy(dtype=np.float64), iterations=int(iterations))
    return pd.Series(e, index=M.index, name="eci_reflections"), pd.Series(
        p, index=M.columns, name="pci_reflections"
    )


def eci_methods(
    data: pd.DataFrame,
    *,
    methods: tuple[str, ...] = METHODS,
    population: pd.Series | None = None,
    iterations: int = 20,
    tol: float | None = None,
) -> pd.DataFrame:
    """Location complexity by several methods, one column per method (``eci_eigenvector``, …).

    ``eci_eigenvector`` is the Atlas ECI of :func:`chainatlas.complexity.eci` (Stata convention);
    ``fitness`` is economic fitness (mean 1, not standardised); ``eci_reflections`` is R's method of
    reflections. Columns are aligned on the locations the methods share.

    Raises
    ------
    InputError
        An unknown method.
    ConvergenceError
        Fitness with `tol` not reached.
    """
    from chainatlas.complexity.functions import eci

    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise InputError("unknown complexity method", received=unknown, fix=f"use {list(METHODS)}")
    cols: dict[str, pd.Series] = {}
    if "eigenvector" in methods:
        cols["eci_eigenvector"] = eci(data, population=population)
    if "fitness" in methods:
        cols["fitness"] = fitness(
            data, population=population, iterations=iterations, tol=tol
        ).fitness
    if "reflections" in methods:
        it = iterations + iterations % 2
        cols["eci_reflections"] = reflections(data, population=population, iterations=max(it, 4))[0]
    out = pd.concat(cols, axis=1, join="inner")
    out.index.name = "location"
    return out


def knn_density(mcp: pd.DataFrame, proximity: pd.DataFrame, k: int) -> pd.DataFrame:
    """Density over each product's `k` nearest neighbours (highest proximity), locations × products.

    Parameters
    ----------
    mcp : DataFrame
        Locations × products, 0/1 (e.g. ``result.mcp``).
    proximity : DataFrame
        Products × products (e.g. ``result.proximity``), same products as `mcp`.
    k : int
        Number of neighbours, 1 ≤ k < number of products.

    Returns
    -------
    DataFrame, locations × products, in [0, 1].

    Raises
    ------
    LabelError
        Products of `mcp` and `proximity` differ.
    """
    from chainatlas.errors import LabelError

    if not mcp.columns.equals(proximity.index) or not proximity.index.equals(proximity.columns):
        raise LabelError(
            "mcp columns and proximity labels differ",
            received={"mcp": len(mcp.columns), "proximity": proximity.shape},
            fix="pass result.mcp and result.proximity of the same result",
        )
    out = K.knn_density(mcp.to_numpy(dtype=np.float64), proximity.to_numpy(dtype=np.float64), k)
    return pd.DataFrame(out, index=mcp.index, columns=mcp.columns)
