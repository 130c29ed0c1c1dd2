"""Labelled complexity measures (经济复杂度指标) on long-form data (location, product, value[, time]).

Every public function takes a long DataFrame and keyword-only options, validates it (see
:mod:`chainatlas.complexity._prepare` for the policies), computes per period with the kernels of
:mod:`chainatlas.kernels.complexity` and returns labelled pandas objects:

* per-location measures (ECI, diversity, COI): a Series indexed by ``location``;
* per-product measures (PCI, ubiquity): a Series indexed by ``product``;
* location × product measures (RCA, Mcp, density, COG): a DataFrame, locations × products;
* proximity: a DataFrame, products × products.

With ``time=`` given, each period is computed separately and results gain a leading ``time``
index level (wide frames stack periods on the rows).

Conventions (``convention=``): ``"stata"`` (default; the Atlas / Stata ``ecomplexity`` command):
ECI = (k_c − mean) / sd with sd the *sample* standard deviation over the c × p rows of the
rectangular location–product table (= population sd × √(cp / (cp − 1))); PCI standardised with
ECI's mean and sd; COG divided by ECI's sd (its PCI is not centred); COI standardised with its own
mean and sd (same rule); proximity diagonal 0 in density and COG. ``"py-ecomplexity"``: population
sd over locations and proximity diagonal 1, reproducing py-ecomplexity 0.5 exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.complexity._prepare import (
    DuplicatePolicy,
    InvalidPolicy,
    Period,
    ZeroPolicy,
    check_policy,
    prepare,
)
from chainatlas.errors import InputError
from chainatlas.kernels import complexity as K
from chainatlas.provenance import Provenance
from chainatlas.validation import validate_params

__all__ = ["ComplexityResult", "ComplexityPanel", "complexity", "Options"]

Convention = Literal["stata", "py-ecomplexity"]
PresenceTest = Literal["rca", "rpop", "both"]


@dataclass(frozen=True)
class Options:
    """Validated options shared by every measure."""

    location: str = "location"
    product: str = "product"
    value: str = "value"
    time: str | None = None
    presence_test: PresenceTest = "rca"
    threshold: float = 1.0
    rpop_threshold: float = 1.0
    convention: Convention = "stata"
    duplicates: DuplicatePolicy = "raise"
    invalid: InvalidPolicy = "raise"
    zeros: ZeroPolicy = "drop"

    def __post_init__(self) -> None:
        check_policy("presence_test", self.presence_test, ("rca", "rpop", "both"))
        check_policy("convention", self.convention, ("stata", "py-ecomplexity"))
        check_policy("duplicates", self.duplicates, ("raise", "sum"))
        check_policy("invalid", self.invalid, ("raise", "drop"))
        check_policy("zeros", self.zeros, ("drop", "raise"))
        for name in ("threshold", "rpop_threshold"):
            v = getattr(self, name)
            if not np.isfinite(v) or v <= 0:
                raise InputError(f"{name} must be a positive number", received=v, fix="e.g. 1.0")

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _sd(x: np.ndarray, n_rows: int, convention: Convention) -> float:
    sd = float(x.std())
    if convention == "stata" and n_rows > 1:
        sd *= float(np.sqrt(n_rows / (n_rows - 1)))
    return sd


@dataclass(frozen=True)
class ComplexityResult:
    """Every complexity measure of one period, labelled (immutable).

    Attributes
    ----------
    eci, diversity, coi : Series, index ``location``
    pci, ubiquity : Series, index ``product``
    rca, mcp, density, cog : DataFrame, locations × products (``rpop`` too when computed)
    proximity : DataFrame, products × products
        Computed on first access from ``mcp`` (p × p floats are large: 200 MB at 5,000
        products), then cached.
    excluded : DataFrame
        Rows, locations and products left out, with the reason (columns time, kind, label,
        reason).
    eigenvalue : float
        Second eigenvalue of M̃ (the one whose eigenvector gives ECI).
    options : mapping
        The options used (thresholds, convention, policies).
    provenance : Provenance
    time : object
        The period (None for cross-section input).
    """

    eci: pd.Series
    pci: pd.Series
    diversity: pd.Series
    ubiquity: pd.Series
    coi: pd.Series
    rca: pd.DataFrame
    mcp: pd.DataFrame
    density: pd.DataFrame
    cog: pd.DataFrame
    excluded: pd.DataFrame
    eigenvalue: float
    options: Mapping[str, Any]
    provenance: Provenance
    time: Any = None
    rpop: pd.DataFrame | None = None

    @cached_property
    def proximity(self) -> pd.DataFrame:
        """Product proximity φ, products × products (diagonal per the convention)."""
        diag = 0.0 if self.options.get("convention", "stata") == "stata" else 1.0
        phi = K.proximity(self.mcp.to_numpy(dtype=np.float64), diagonal=diag)
        return _frame(phi, self.mcp.columns, self.mcp.columns)

    @cached_property
    def eci_ranking(self) -> pd.DataFrame:
        """Locations ranked by ECI (rank 1 = most complex) with diversity and COI."""
        df = pd.DataFrame({"eci": self.eci, "diversity": self.diversity, "coi": self.coi})
        df = df.sort_values("eci", ascending=False)
        df.insert(0, "rank", np.arange(1, len(df) + 1))
        return df

    @cached_property
    def pci_ranking(self) -> pd.DataFrame:
        """Products ranked by PCI (rank 1 = most complex) with ubiquity."""
        df = pd.DataFrame({"pci": self.pci, "ubiquity": self.ubiquity})
        df = df.sort_values("pci", ascending=False)
        df.insert(0, "rank", np.arange(1, len(df) + 1))
        return df


@dataclass(frozen=True)
class ComplexityPanel:
    """Results of a panel, one :class:`ComplexityResult` per period (immutable).

    Index a period with ``panel[year]``; stacked measures (``panel.eci`` …) carry a leading
    ``time`` level.
    """

    results: Mapping[Any, ComplexityResult]
    excluded: pd.DataFrame
    provenance: Provenance
    options: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, t: Any) -> ComplexityResult:
        return self.results[t]

    @property
    def times(self) -> list[Any]:
        """The periods, sorted."""
        return list(self.results)

    def stacked(self, measure: str) -> pd.Series | pd.DataFrame:
        """One measure over all periods, with a leading ``time`` index level."""
        return _stack({t: getattr(r, measure) for t, r in self.results.items()})

    @cached_property
    def eci(self) -> pd.Series:
        """ECI stacked over periods: index (time, location)."""
        return self.stacked("eci")

    @cached_property
    def pci(self) -> pd.Series:
        """PCI stacked over periods: index (time, product)."""
        return self.stacked("pci")


def _frame(a: np.ndarray, index: pd.Index, columns: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(a, index=index, columns=columns, copy=False)


def _stack(parts: Mapping[Any, Any]) -> Any:
    out = pd.concat(list(parts.values()), keys=list(parts.keys()), names=["time"])
    return out


def _presence(period: Period, opts: Options) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    R = K.rca(period.X)
    Rp = None
    if opts.presence_test in ("rpop", "both") or period.population is not None:
        if period.population is None:
            raise InputError(
                f"presence_test={opts.presence_test!r} needs population",
                fix="pass population= (a Series indexed by location or (time, location))",
            )
        Rp = K.rpop(period.X, period.population)
    if opts.presence_test == "rca":
        M = K.presence(R, opts.threshold)
    elif opts.presence_test == "rpop":
        M = K.presence(Rp, opts.rpop_threshold)
    else:
        M = np.maximum(K.presence(R, opts.threshold), K.presence(Rp, opts.rpop_threshold))
    return R, Rp, M


def _drop_empty(period: Period, M: np.ndarray, opts: Options, excluded: list) -> tuple:
    """Drop locations with zero diversity / products with zero ubiquity (threshold > 1)."""
    d, u = M.sum(axis=1), M.sum(axis=0)
    if (d > 0).all() and (u > 0).all():
        return period, M
    bad_l, bad_p = period.locations[d == 0], period.products[u == 0]
    if opts.zeros == "raise":
        from chainatlas.complexity._prepare import EmptyEntityError

        raise EmptyEntityError(
            "locations with zero diversity or products with zero ubiquity at this threshold",
            received={
                "locations": list(map(str, bad_l[:5])),
                "products": list(map(str, bad_p[:5])),
            },
            fix="lower the threshold, or pass zeros='drop' to drop and list them",
        )
    excluded.extend((period.time, "location", str(x), "zero diversity") for x in bad_l)
    excluded.extend((period.time, "product", str(x), "zero ubiquity") for x in bad_p)
    kl, kp = d > 0, u > 0
    new = Period(
        period.time,
        period.locations[kl],
        period.products[kp],
        period.X[np.ix_(kl, kp)],
        None if period.population is None else period.population[kl],
    )
    return new, M[np.ix_(kl, kp)]


def _compute(period: Period, opts: Options, level: str) -> dict[str, Any]:
    """Compute up to `level` ('rca' < 'mcp' < 'eci' < 'proximity' < 'all') for one period."""
    locs, prods = period.locations, period.products
    out: dict[str, Any] = {}
    R, Rp, M = _presence(period, opts)
    out["rca"] = _frame(R, locs, prods)
    if Rp is not None:
        out["rpop"] = _frame(Rp, locs, prods)
    if level == "rca":
        return out
    extra: list = []
    out["mcp"] = _frame(M, locs, prods)
    d, u = K.diversity(M), K.ubiquity(M)
    out["diversity"] = pd.Series(d, index=locs, name="diversity")
    out["ubiquity"] = pd.Series(u, index=prods, name="ubiquity")
    if level == "mcp":
        return out
    if level in ("proximity",):
        diag = 0.0 if opts.convention == "stata" else 1.0
        out["proximity"] = _frame(K.proximity(M, diagonal=diag), prods, prods)
        return out
    period2, M2 = _drop_empty(period, M, opts, extra)
    locs, prods = period2.locations, period2.products
    e = K.eci_pci(M2)
    c, p = M2.shape
    sd = _sd(e.kc, c * p, opts.convention)
    mean = e.kc.mean()
    out["eci"] = pd.Series((e.kc - mean) / sd, index=locs, name="eci")
    out["pci"] = pd.Series((e.kp - mean) / sd, index=prods, name="pci")
    out["eigenvalue"] = e.eigenvalue
    out["excluded_extra"] = extra
    if level == "eci":
        return out
    diag = 0.0 if opts.convention == "stata" else 1.0
    phi = K.proximity(M2, diagonal=diag)
    dens, cog_raw = K.density_cog(M2, phi, e.kp)
    del phi
    coi_raw = K.coi(dens, M2, e.kp)
    coi_sd = _sd(coi_raw, c * p, opts.convention)
    out["density"] = _frame(dens, locs, prods)
    out["coi"] = pd.Series((coi_raw - coi_raw.mean()) / coi_sd, index=locs, name="coi")
    cog_raw /= sd
    out["cog"] = _frame(cog_raw, locs, prods)
    if M2.shape != M.shape:  # keep RCA/Mcp/diversity/ubiquity on the same labels as ECI
        for k in ("rca", "rpop", "mcp"):
            if k in out:
                out[k] = out[k].loc[locs, prods]
        out["diversity"] = out["diversity"].loc[locs]
        out["ubiquity"] = out["ubiquity"].loc[prods]
    return out


def _run(
    data: pd.DataFrame,
    opts: Options,
    level: str,
    population: pd.Series | None,
    source: str,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[dict[str, Any]], list[Any], pd.DataFrame, Provenance]:
    periods, excluded = prepare(
        data,
        location=opts.location,
        product=opts.product,
        value=opts.value,
        time=opts.time,
        duplicates=opts.duplicates,
        invalid=opts.invalid,
        zeros=opts.zeros,
        population=population,
    )
    prov = (
        data.attrs.get("provenance")
        if isinstance(data.attrs.get("provenance"), Provenance)
        else None
    )
    prov = prov or Provenance(source=source)
    outs = []
    extra_rows: list = []
    for period in periods:
        if progress is not None:
            progress(f"complexity {period.time}" if period.time is not None else "complexity")
        o = _compute(period, opts, level)
        extra_rows.extend(o.pop("excluded_extra", []))
        outs.append(o)
    if extra_rows:
        excluded = pd.concat(
            [excluded, pd.DataFrame(extra_rows, columns=excluded.columns)], ignore_index=True
        )
    if opts.time is None:
        excluded = excluded.drop(columns="time")
    prov = prov.with_step(
        f"complexity ({opts.presence_test} ≥ {opts.threshold}, convention={opts.convention}); "
        f"{len(excluded)} exclusion(s)"
    )
    return outs, [p.time for p in periods], excluded, prov


def _select(
    data: pd.DataFrame, key: str, level: str, population: pd.Series | None, opts: Options
) -> Any:
    outs, times, _, _ = _run(data, opts, level, population, "user data")
    if opts.time is None:
        return outs[0][key]
    return _stack({t: o[key] for t, o in zip(times, outs, strict=True)})


@validate_params
def complexity(
    data: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    time: str | None = None,
    population: pd.Series | None = None,
    presence_test: PresenceTest = "rca",
    threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    convention: Convention = "stata",
    duplicates: DuplicatePolicy = "raise",
    invalid: InvalidPolicy = "raise",
    zeros: ZeroPolicy = "drop",
    source: str = "user data",
    progress: Callable[[str], None] | None = None,
) -> ComplexityResult | ComplexityPanel:
    """Compute every complexity measure (RCA … COG) of long-form data.

    Parameters
    ----------
    data : DataFrame
        Long table: one row per (location, product[, time]) with a non-negative `value`
        (exports, output, employment…). Missing pairs count as zero.
    location, product, value, time : str
        Column names; `time` (optional) makes a panel computed period by period.
    population : Series, optional
        Population by location (or by (time, location)); when given, RPOP is computed too
        (``result.rpop``); needed for ``presence_test="rpop"`` or ``"both"``.
    presence_test : {"rca", "rpop", "both"}
        Mcp = 1 when RCA ≥ `threshold` ("rca"), RPOP ≥ `rpop_threshold` ("rpop") or either.
    threshold, rpop_threshold : float
        Presence thresholds (default 1).
    convention : {"stata", "py-ecomplexity"}
        Standardisation and proximity-diagonal convention (module docstring).
    duplicates : {"raise", "sum"}
    invalid : {"raise", "drop"}
        NaN, inf or negative values.
    zeros : {"drop", "raise"}
        Locations with zero total (or zero diversity) and products without exporter.
    source : str
        Provenance source when `data` carries none in ``data.attrs["provenance"]``.
    progress : callable, optional
        Called with a message before each period.

    Returns
    -------
    ComplexityResult or ComplexityPanel
        A panel when `time` is given.

    Raises
    ------
    SchemaError, LabelError, NonFiniteError, NegativeValueError
        Bad input (see :mod:`chainatlas.complexity._prepare`).
    DegenerateError
        ECI undefined: a single location, every product ubiquitous, a disconnected bipartite
        graph; or zero totals with ``zeros="raise"``.

    References
    ----------
    Hidalgo & Hausmann (2009), PNAS 106: 10570; Hausmann et al. (2014), The Atlas of Economic
    Complexity; Stata ``ecomplexity`` / py-ecomplexity (Growth Lab).

    Examples
    --------
    >>> df = pd.DataFrame({"location": list("aaaabcccc"), "product": list("wxyzwwxyz"),
    ...                    "value": [5.0, 3, 3, 1, 1, 1, 4, 3, 5]})
    >>> complexity(df).eci.round(3).to_dict()
    {'a': -0.233, 'b': -1.039, 'c': 1.272}
    """
    opts = Options(
        location=location,
        product=product,
        value=value,
        time=time,
        presence_test=presence_test,
        threshold=threshold,
        rpop_threshold=rpop_threshold,
        convention=convention,
        duplicates=duplicates,
        invalid=invalid,
        zeros=zeros,
    )
    outs, times, excluded, prov = _run(data, opts, "all", population, source, progress)
    odict = MappingProxyType(opts.as_dict())
    results = {}
    for t, o in zip(times, outs, strict=True):
        ex = excluded if time is None else excluded[excluded["time"] == t].reset_index(drop=True)
        results[t] = ComplexityResult(
            eci=o["eci"],
            pci=o["pci"],
            diversity=o["diversity"],
            ubiquity=o["ubiquity"],
            coi=o["coi"],
            rca=o["rca"],
            mcp=o["mcp"],
            density=o["density"],
            cog=o["cog"],
            excluded=ex,
            eigenvalue=o["eigenvalue"],
            options=odict,
            provenance=prov,
            time=t,
            rpop=o.get("rpop"),
        )
    if time is None:
        return results[times[0]]
    return ComplexityPanel(MappingProxyType(results), excluded, prov, odict)
