"""The region × industry container (区域×产业数据): one measure of size by region and industry.

:class:`RegionIndustry` holds a regions × industries matrix of one non-negative measure (gross
output, employment, establishments, firms...), its unit, the industry classification it uses
(for vintage checks against mapping tables), region and industry metadata, and a
:class:`~chainatlas.provenance.Provenance`. It is immutable; derived totals are cached.

Examples
--------
>>> import pandas as pd
>>> long = pd.DataFrame({"region": ["A", "A", "B"], "industry": ["x", "y", "x"],
...                      "value": [1.0, 2.0, 3.0]})
>>> ri = RegionIndustry.from_long(long, measure="employment", unit="persons", source="demo")
>>> ri.values.loc["B", "y"], ri.region_totals.tolist()
(np.float64(0.0), [3.0, 3.0])
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas._files import reading
from chainatlas.errors import (
    DegenerateError,
    InputError,
    LabelError,
    NegativeValueError,
    NonFiniteError,
    SchemaError,
    check_option,
)
from chainatlas.provenance import Provenance

__all__ = ["RegionIndustry", "ZeroTotalsPolicy", "ZeroTotalsError"]

ZeroTotalsPolicy = Literal["raise", "drop"]


class ZeroTotalsError(DegenerateError):
    """A region or industry has a zero total, so shares and the LQ are undefined (0/0)."""


@dataclass(frozen=True, eq=False)
class RegionIndustry:
    """An immutable region × industry matrix of one size measure.

    Parameters
    ----------
    values : DataFrame, shape (r, i)
        Non-negative, finite values; index = region labels, columns = industry labels, both
        unique. Missing combinations must be 0 (use :meth:`from_long`).
    measure : str
        What the numbers are, e.g. ``"gross output"``, ``"employment"``, ``"listed firms"``.
    unit : str
        Unit, e.g. ``"10,000 yuan"``, ``"persons"``, ``"firms"``.
    provenance : Provenance
        Source and steps.
    classification : str
        Industry classification and vintage of the columns, e.g. ``"china-provincial-2007-42"``,
        ``"naics-2017-sector"``, ``"shenwan-2021-l1"``. Mapping tables check it.
    regions, industries : DataFrame, optional
        Metadata indexed by the same labels (e.g. ``name_zh``, ``name_en``, ``region_zh``).
    dropped : tuple of (str, tuple of str)
        Regions/industries removed by a documented policy (``("regions", (...))``...).
    extra : dict of str to DataFrame, optional
        Further measures of the same regions × industries in the same unit (e.g. value added,
        final use, inflows), indexed exactly like `values`. They may be negative (value added
        is, in a few cells) and are not used by the agglomeration measures; read them with
        :meth:`measure_values`, or make one the main measure with :meth:`with_measure`.

    Raises
    ------
    LabelError
        Duplicate labels or metadata not aligned to the labels.
    NonFiniteError, NegativeValueError
        NaN/inf or negative values.
    """

    values: pd.DataFrame
    measure: str
    unit: str
    provenance: Provenance
    classification: str = ""
    regions: pd.DataFrame | None = None
    industries: pd.DataFrame | None = None
    dropped: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        v = self.values
        if not isinstance(v, pd.DataFrame):
            raise SchemaError(
                "values must be a pandas DataFrame (regions × industries)",
                received=type(v).__name__,
                fix="build it with RegionIndustry.from_long or pass a DataFrame",
            )
        if v.shape[0] == 0 or v.shape[1] == 0:
            raise DegenerateError(
                "the region × industry matrix is empty",
                received=f"{v.shape[0]} regions × {v.shape[1]} industries",
                fix="pass at least one region and one industry (check filters applied upstream)",
            )
        text = [str(c) for c, dt in v.dtypes.items() if not pd.api.types.is_numeric_dtype(dt)]
        if text:
            raise SchemaError(
                f"{len(text)} industry column(s) are not numeric (text or object dtype)",
                received=text[:10],
                fix="convert the values to numbers first (pd.to_numeric) after checking the text "
                "cells; nothing is converted silently",
            )
        for name, idx in [("region", v.index), ("industry", v.columns)]:
            if idx.isna().any():
                raise LabelError(
                    f"missing (empty/NaN) {name} labels",
                    received=f"{int(idx.isna().sum())} missing of {len(idx)}",
                    fix=f"give every {name} a label",
                )
            if idx.has_duplicates:
                raise LabelError(
                    f"duplicate {name} labels",
                    received=idx[idx.duplicated()].unique().tolist()[:10],
                    fix=f"give every {name} one row/column (sum duplicates yourself if intended)",
                )
        arr = v.to_numpy(dtype=float)
        bad = ~np.isfinite(arr)
        if bad.any():
            r, c = np.nonzero(bad)
            raise NonFiniteError(
                f"{int(bad.sum())} NaN or infinite value(s) in the region × industry matrix",
                received=[(v.index[i], v.columns[j]) for i, j in zip(r[:5], c[:5], strict=False)],
                fix="fill true zeros with 0 and correct or drop missing cells explicitly",
            )
        neg = arr < 0
        if neg.any():
            r, c = np.nonzero(neg)
            raise NegativeValueError(
                f"{int(neg.sum())} negative value(s); sizes (output, employment, firms) must be ≥ 0",
                received=[(v.index[i], v.columns[j]) for i, j in zip(r[:5], c[:5], strict=False)],
                fix="correct the source data; agglomeration measures need non-negative sizes",
            )
        for name, meta, idx in [
            ("regions", self.regions, v.index),
            ("industries", self.industries, v.columns),
        ]:
            if meta is not None and not meta.index.equals(idx):
                raise LabelError(
                    f"{name} metadata are not indexed like the matrix",
                    received=f"{len(meta)} rows vs {len(idx)} labels",
                    fix="index the metadata by the same labels in the same order",
                )
        self._check_extra()

    def _check_extra(self) -> None:
        for name, frame in self.extra.items():
            if not (
                isinstance(frame, pd.DataFrame)
                and frame.index.equals(self.values.index)
                and frame.columns.equals(self.values.columns)
            ):
                raise LabelError(
                    f"extra measure {name!r} is not indexed like the matrix",
                    received=type(frame).__name__,
                    fix="give every extra measure the same regions and industries, same order",
                )
            if not np.isfinite(frame.to_numpy(dtype=float)).all():
                raise NonFiniteError(
                    f"extra measure {name!r} has NaN or infinite values",
                    fix="fill true zeros with 0 and correct missing cells explicitly",
                )

    def measure_values(self, name: str) -> pd.DataFrame:
        """The regions × industries values of one measure: the main one or an :attr:`extra` one.

        Raises
        ------
        LabelError
            Unknown measure; the message lists the available ones.
        """
        if name == self.measure:
            return self.values.copy()
        if name not in self.extra:
            raise LabelError(
                f"no measure {name!r} in this region × industry table",
                received=name,
                fix="available: " + ", ".join([self.measure, *self.extra]),
            )
        return self.extra[name].copy()

    def with_measure(self, name: str) -> RegionIndustry:
        """A copy whose main measure is `name` (the others stay in :attr:`extra`).

        Raises
        ------
        LabelError
            Unknown measure.
        NegativeValueError
            The measure has negative cells (e.g. value added): it cannot be a size measure.
        """
        vals = self.measure_values(name)
        if name == self.measure:
            return self
        extra = {k: v for k, v in self.extra.items() if k != name}
        extra[self.measure] = self.values
        return self.replace(step=f"main measure: {name}", values=vals, measure=name, extra=extra)

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_long(
        cls,
        df: pd.DataFrame,
        *,
        measure: str,
        unit: str,
        source: str,
        region: str = "region",
        industry: str = "industry",
        value: str = "value",
        classification: str = "",
        duplicates: Literal["raise", "sum"] = "raise",
    ) -> RegionIndustry:
        """Build from long form: one row per (region, industry, value).

        Parameters
        ----------
        df : DataFrame
            Columns named by `region`, `industry`, `value`.
        duplicates : {"raise", "sum"}
            Duplicate (region, industry) rows raise by default; ``"sum"`` adds them (recorded
            in the provenance).

        Raises
        ------
        SchemaError
            Missing columns or non-numeric values.
        LabelError
            Duplicate (region, industry) rows with ``duplicates="raise"``.
        """
        check_option("duplicates", duplicates, ("raise", "sum"))
        missing = [c for c in (region, industry, value) if c not in df.columns]
        if missing:
            raise SchemaError(
                f"long-form table lacks column(s) {missing}",
                received=list(df.columns)[:20],
                fix="give columns region, industry, value (or name them with region=, "
                "industry=, value=)",
            )
        vals = pd.to_numeric(df[value], errors="coerce")
        nonnum = vals.isna() & df[value].notna()
        if nonnum.any():
            raise SchemaError(
                f"{int(nonnum.sum())} non-numeric value(s) in column {value!r}",
                received=df.loc[nonnum, value].head(5).tolist(),
                fix="clean the value column to numbers",
            )
        if len(df) == 0:
            raise DegenerateError(
                "the long-form table has no rows",
                received=list(df.columns)[:20],
                fix="give one row per (region, industry, value)",
            )
        nolabel = df[[region, industry]].isna().any(axis=1)
        if nolabel.any():
            raise LabelError(
                f"{int(nolabel.sum())} row(s) without a region or industry label",
                received=f"first at row(s) {df.index[nolabel][:5].tolist()}",
                fix="fill the labels, or drop those rows deliberately (nothing is dropped silently)",
            )
        key = df[[region, industry]].astype(str)
        dup = key.duplicated(keep=False)
        steps = []
        if dup.any():
            if duplicates == "raise":
                raise LabelError(
                    f"{int(dup.sum())} duplicate region-industry rows",
                    received=key[dup].drop_duplicates().head(5).values.tolist(),
                    fix="keep one row per (region, industry), or pass duplicates='sum'",
                )
            steps.append(f"summed {int(dup.sum())} duplicate region-industry rows")
        frame = pd.DataFrame({"r": key[region], "i": key[industry], "v": vals.astype(float)})
        if frame["v"].isna().any():
            bad = frame[frame["v"].isna()].head(5)[["r", "i"]].values.tolist()
            raise NonFiniteError(
                f"{int(frame['v'].isna().sum())} missing value(s)",
                received=bad,
                fix="fill true zeros with 0, or drop those rows deliberately",
            )
        wide = frame.pivot_table(index="r", columns="i", values="v", aggfunc="sum", fill_value=0.0)
        wide = wide.astype(float)
        wide.index.name = "region"
        wide.columns.name = "industry"
        prov = Provenance(source=source, steps=tuple(["pivoted long form", *steps]))
        return cls(
            values=wide, measure=measure, unit=unit, provenance=prov, classification=classification
        )

    @classmethod
    def read(cls, path: str | Path, **kwargs: object) -> RegionIndustry:
        """Read a long-form CSV, Excel or Parquet file (columns region, industry, value).

        Keyword arguments go to :meth:`from_long` (``measure`` and ``unit`` are required).

        Raises
        ------
        SchemaError
            Unknown file type or layout; a missing, empty, non-UTF-8 or unreadable file.
        """
        p = Path(path)
        suffix = p.suffix.lower()
        labels = {
            str(kwargs.get("region", "region")): str,
            str(kwargs.get("industry", "industry")): str,
        }
        if suffix not in (".csv", ".xlsx", ".xls", ".parquet"):
            raise SchemaError(
                "unknown file type for a region × industry table",
                received=str(p),
                fix="use .csv, .xlsx/.xls or .parquet in long form (region, industry, value)",
            )
        with reading(p, "a long-form region × industry table", error=SchemaError):
            if suffix == ".csv":  # codes such as "01" keep their leading zeros
                df = pd.read_csv(p, dtype=labels, encoding="utf-8-sig")
            elif suffix in (".xlsx", ".xls"):
                df = pd.read_excel(p, engine="calamine", dtype=labels)
            else:
                df = pd.read_parquet(p)
        kwargs.setdefault("source", str(p))
        return cls.from_long(df, **kwargs)  # type: ignore[arg-type]

    def replace(self, *, step: str, **changes: object) -> RegionIndustry:
        """A copy with `changes` and `step` added to the provenance."""
        return replace(self, provenance=self.provenance.with_step(step), **changes)  # type: ignore[arg-type]

    # ----------------------------------------------------------------- derived
    @cached_property
    def region_totals(self) -> pd.Series:
        """e_r: total of each region, shape (r,)."""
        return self.values.sum(axis=1).rename("total")

    @cached_property
    def industry_totals(self) -> pd.Series:
        """e_i: total of each industry, shape (i,)."""
        return self.values.sum(axis=0).rename("total")

    @property
    def shape(self) -> tuple[int, int]:
        """(regions, industries)."""
        return self.values.shape  # type: ignore[return-value]

    def zero_totals(self) -> tuple[list[str], list[str]]:
        """Regions and industries whose total is zero."""
        r = self.region_totals
        i = self.industry_totals
        return [str(x) for x in r.index[r.to_numpy() == 0]], [
            str(x) for x in i.index[i.to_numpy() == 0]
        ]

    def checked(self, policy: ZeroTotalsPolicy = "raise") -> RegionIndustry:
        """Return self when every region and industry total is positive.

        Parameters
        ----------
        policy : {"raise", "drop"}
            ``"raise"`` (default): raise :class:`ZeroTotalsError`. ``"drop"``: return a copy
            without those regions and industries, listed in ``dropped`` and the provenance.

        Raises
        ------
        ZeroTotalsError
            With ``policy="raise"`` when any total is zero: shares e_ri/e_r or e_ri/e_i and
            the LQ are then 0/0, undefined.
        """
        if policy not in ("raise", "drop"):
            raise InputError(
                "unknown zero-totals policy", received=policy, fix="use 'raise' or 'drop'"
            )
        zr, zi = self.zero_totals()
        if not zr and not zi:
            return self
        if policy == "drop" and (
            len(zr) == self.values.shape[0] or len(zi) == self.values.shape[1]
        ):
            raise ZeroTotalsError(
                "every region or every industry has a zero total: nothing is left to analyse",
                received=f"{len(zr)} of {self.values.shape[0]} regions, "
                f"{len(zi)} of {self.values.shape[1]} industries",
                fix="check the measure and the filters applied upstream",
            )
        if policy == "raise":
            raise ZeroTotalsError(
                "zero totals: the LQ (e_ri/e_r)/(e_i/e) is undefined (0/0) for "
                f"{len(zr)} region(s) and {len(zi)} industry(ies) with zero total",
                received={"regions": zr[:10], "industries": zi[:10]},
                fix="drop them, or pass zero_totals='drop' (the dropped ones are listed)",
            )
        keep_r = ~self.values.index.isin(zr)
        keep_i = ~self.values.columns.isin(zi)
        vals = self.values.loc[keep_r, keep_i]
        return self.replace(
            step=f"dropped zero-total regions {zr} and industries {zi}",
            values=vals,
            regions=None if self.regions is None else self.regions.loc[keep_r],
            industries=None if self.industries is None else self.industries.loc[keep_i],
            dropped=(*self.dropped, ("regions", tuple(zr)), ("industries", tuple(zi))),
            extra={k: v.loc[keep_r, keep_i] for k, v in self.extra.items()},
        )

    def aggregate_industries(
        self, groups: pd.Series, *, classification: str, step: str = ""
    ) -> RegionIndustry:
        """Sum industries into groups: `groups` maps each industry label to a group label.

        Industries absent from `groups` (or mapped to NaN) are left out.

        Raises
        ------
        LabelError
            When `groups` names industries the matrix does not have.
        """
        unknown = groups.index.difference(self.values.columns)
        if len(unknown):
            raise LabelError(
                "grouping names industries not in the matrix",
                received=unknown.tolist()[:10],
                fix="check the classification and vintage of the grouping",
            )
        g = groups.dropna()

        def agg(frame: pd.DataFrame) -> pd.DataFrame:
            out = frame[g.index].T.groupby(g.to_numpy()).sum().T
            out.columns.name = "industry"
            return out

        vals = agg(self.values)
        return self.replace(
            step=step or f"aggregated {len(g)} industries into {vals.shape[1]} groups",
            values=vals,
            classification=classification,
            industries=None,
            extra={k: agg(v) for k, v in self.extra.items()},
        )

    def to_long(self) -> pd.DataFrame:
        """Long form: columns region, industry, value (zeros kept)."""
        s = self.values.stack()
        s.index = s.index.set_names(["region", "industry"])
        return s.rename("value").reset_index()

    def __repr__(self) -> str:
        r, i = self.shape
        return (
            f"RegionIndustry({self.measure!r}, {r} regions × {i} industries, unit={self.unit!r}, "
            f"classification={self.classification!r}, source={self.provenance.source!r})"
        )
