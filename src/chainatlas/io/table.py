"""The IO table container (投入产出表对象): immutable, labelled, validated, with cached derivatives.

An :class:`IOTable` holds one input–output table in Miller & Blair (2009) notation:

* ``Z`` (n × n) intermediate transactions — for a non-competitive table, the *domestic* block;
* ``Y`` (n × k) final demand by category (exports included as a category);
* ``V`` (m × n) value-added components; ``v = V.sum(0)``;
* ``x`` (n,) gross output.

Layouts (``layout``):

* ``"competitive"`` — imports are a negative column ``imports`` (IM) on the row side:
  Z·1 + Y·1 − m (+ other) = x;
* ``"non-competitive"`` — imported intermediates ``Zm`` (n × n) and imported final use ``Ym``
  are separate blocks; the domestic rows balance without imports: Z·1 + Y·1 (+ other) = x, and
  columns balance as 1ᵀZ + 1ᵀZm + 1ᵀV = xᵀ;
* ``"multi-region"`` — labels are a (region, sector) MultiIndex and Y's columns are
  (region, category); imports are inside Z.

Derived matrices (A, L, B, G, f, v) are computed once on first access and cached on the frozen
object. Every table carries a :class:`~chainatlas.provenance.Provenance`.

Examples
--------
>>> import pandas as pd
>>> s = ["S1", "S2"]
>>> t = IOTable.from_arrays(
...     Z=[[150, 500], [200, 100]], Y=[[350], [1700]], V=[[650, 1400]], sectors=s,
...     final_demand=["f"], value_added=["v"], unit="USD", source="Miller & Blair Table 2.3")
>>> t.x.tolist()
[1000.0, 2000.0]
>>> t.A.round(2).values.tolist()
[[0.15, 0.25], [0.2, 0.05]]
"""

from __future__ import annotations

import numbers
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.errors import (
    BalanceError,
    InputError,
    LabelError,
    NegativeValueError,
    NonFiniteError,
    SchemaError,
    ShapeError,
    ZeroOutputError,
    check_option,
)
from chainatlas.kernels import io as k
from chainatlas.provenance import Provenance

__all__ = ["IOTable", "Layout", "negative_cells"]

Layout = Literal["competitive", "non-competitive", "multi-region"]
ZeroOutputPolicy = Literal["raise", "zero-coefficients"]
NegativeFlowPolicy = Literal["raise", "allow"]


def negative_cells(Z: np.ndarray, labels: pd.Index, limit: int = 10) -> str:
    """A short description of the negative cells of `Z` ("" when there are none), for
    provenance notes of loaders that keep them (``negative_flows="allow"``)."""
    rows, cols = np.nonzero(np.asarray(Z) < 0)
    if not rows.size:
        return ""
    shown = ", ".join(
        f"({labels[r]}, {labels[c]}) = {float(np.asarray(Z)[r, c]):g}"
        for r, c in zip(rows[:limit], cols[:limit], strict=True)
    )
    more = f" and {rows.size - limit} more" if rows.size > limit else ""
    return f"{rows.size} negative intermediate flows: {shown}{more}"


def _check_numeric(name: str, df: pd.DataFrame | pd.Series) -> None:
    """Raise unless every column of `df` has a numeric (int, float, bool) dtype."""
    dtypes = df.dtypes if isinstance(df, pd.DataFrame) else pd.Series({df.name: df.dtype})
    bad = [str(c) for c, dt in dtypes.items() if not pd.api.types.is_numeric_dtype(dt)]
    if bad:
        raise SchemaError(
            f"{name} has {len(bad)} non-numeric column(s) (text or object dtype)",
            received=f"columns {bad[:5]} with dtypes "
            f"{sorted({str(dtypes[c]) for c in dtypes.index if str(c) in bad[:5]})}",
            fix="convert the values to numbers first (e.g. pd.to_numeric) after checking "
            "which cells are text; nothing is converted silently",
        )


def _check_frame(name: str, df: pd.DataFrame | pd.Series) -> None:
    _check_numeric(name, df)
    values = np.asarray(df.to_numpy(), dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        if isinstance(df, pd.Series):
            where = df.index[bad].tolist()[:5]
        else:
            r, c = np.nonzero(bad)
            where = [(df.index[i], df.columns[j]) for i, j in zip(r[:5], c[:5], strict=False)]
        raise NonFiniteError(
            f"{name} contains {int(bad.sum())} NaN or infinite value(s)",
            received=f"first at {where}",
            fix="fill missing cells with 0 where a flow is truly zero, or correct the source",
        )


def _check_unique(name: str, index: pd.Index) -> None:
    if isinstance(index, pd.MultiIndex):
        missing = np.asarray(index.to_frame(index=False).isna().any(axis=1))
    else:
        missing = np.asarray(pd.isna(index))
    if missing.any():
        raise LabelError(
            f"missing (empty/NaN) labels in {name}",
            received=f"{int(missing.sum())} missing, first at position {int(missing.argmax())}",
            fix="give every row and column a non-empty label",
        )
    if index.has_duplicates:
        dup = index[index.duplicated()].unique().tolist()[:5]
        raise LabelError(
            f"duplicate labels in {name}",
            received=dup,
            fix="give every sector (and region) a unique label",
        )


_OWNED: weakref.WeakValueDictionary[int, np.ndarray] = weakref.WeakValueDictionary()


def _read_only(arr: np.ndarray) -> np.ndarray:
    """A read-only view of an array the table owns (derived matrices are owned already)."""
    _OWNED[id(arr)] = arr
    view = arr.view()
    view.flags.writeable = False
    return view


def _owned(arr: np.ndarray) -> bool:
    base: np.ndarray | None = arr
    while base is not None:
        if _OWNED.get(id(base)) is base:
            return True
        base = base.base if isinstance(base.base, np.ndarray) else None
    return False


def _private(values: np.ndarray) -> np.ndarray:
    """The table's own read-only float64 data: copied once from the caller, shared thereafter."""
    arr = np.asarray(values, dtype=float)
    if _owned(arr):
        return arr if not arr.flags.writeable else _read_only(arr)
    return _read_only(np.array(arr, dtype=float, copy=True))


def _read_only_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A DataFrame over the table's private, read-only copy of `df`'s values."""
    return pd.DataFrame(
        _private(df.to_numpy(dtype=float)), index=df.index, columns=df.columns, copy=False
    )


@dataclass(frozen=True, eq=False)
class IOTable:
    """An immutable input–output table with cached A, L, B, G.

    Parameters
    ----------
    Z : DataFrame, shape (n, n)
        Intermediate transactions (domestic block for a non-competitive table), in ``unit``.
    Y : DataFrame, shape (n, k)
        Final demand by category, in ``unit``.
    V : DataFrame, shape (m, n)
        Value-added components (rows) by sector, in ``unit``.
    x : Series, shape (n,)
        Gross output, in ``unit``; every entry must be > 0.
    unit : str
        Unit of all values, e.g. ``"10,000 yuan"`` or ``"USD million"``.
    layout : {"competitive", "non-competitive", "multi-region"}
        Import treatment (see module docs).
    provenance : Provenance
        Source, file hashes and steps.
    sectors : DataFrame, optional
        Per-label metadata, indexed like Z: columns ``code``, ``name_zh``, ``name_en``.
    imports : Series, optional
        Competitive tables: imports (IM) by product, a positive number subtracted on the row side.
    Zm, Ym : DataFrame, optional
        Non-competitive tables: imported intermediate (n × n) and final (n × k) use.
    other : Series, optional
        A published balancing column ("other"/errors), kept so rows balance exactly.
    balance_rtol, balance_atol : float
        Tolerance of the row/column balance check: a sector passes when
        ``|gap| <= balance_atol + balance_rtol * x`` (defaults: 1e-6 relative, 0 absolute).
        Published tables rounded to whole units need an absolute tolerance.
    check_balance : bool
        Raise :class:`BalanceError` when rows or columns do not balance.
    zero_output : {"raise", "zero-coefficients"}
        Policy for sectors with x = 0. ``"raise"`` (default) raises :class:`ZeroOutputError`.
        ``"zero-coefficients"`` accepts them and sets their coefficients to 0 (A column, B row), as
        pymrio does: any input flows recorded in their columns are ignored in A. L and G then have
        unit diagonal entries for those sectors. Loaders that choose this policy say so in the
        table's provenance.
    negative_flows : {"raise", "allow"}
        Policy for negative cells of Z (and Zm). ``"raise"`` (default) raises
        :class:`NegativeValueError` naming the cells; ``"allow"`` keeps them (some published
        provincial tables carry a few, e.g. from statistical discrepancies). Loaders that allow them
        list the cells in the table's provenance.

    Raises
    ------
    ShapeError, LabelError, NonFiniteError, ZeroOutputError, BalanceError, NegativeValueError
        On invalid input (empty or non-square Z, missing/duplicate/misaligned labels, NaN/inf,
        zero or negative x, negative intermediate flows, unbalanced rows/columns); nothing is
        repaired silently.
    SchemaError
        Text (object/str dtype) columns; values are never converted silently.
    InputError
        Unknown `layout` or `zero_output`, or a negative/non-finite tolerance.
    """

    Z: pd.DataFrame
    Y: pd.DataFrame
    V: pd.DataFrame
    x: pd.Series
    unit: str
    layout: Layout
    provenance: Provenance
    sectors: pd.DataFrame | None = None
    imports: pd.Series | None = None
    Zm: pd.DataFrame | None = None
    Ym: pd.DataFrame | None = None
    other: pd.Series | None = None
    balance_rtol: float = 1e-6
    balance_atol: float = 0.0
    check_balance: bool = True
    zero_output: ZeroOutputPolicy = "raise"
    negative_flows: NegativeFlowPolicy = "raise"

    def __post_init__(self) -> None:
        self._check_options()
        self._check_types()
        self._check_shape()
        self._check_labels()
        self._check_blocks()
        self._check_output()
        self._check_negative_flows()
        if self.check_balance:
            self._check_balance()
        self._freeze_values()

    def _check_negative_flows(self) -> None:
        """Negative intermediate flows (Z, Zm) are refused unless ``negative_flows="allow"``."""
        if self.negative_flows == "allow":
            return
        for name in ("Z", "Zm"):
            df = getattr(self, name)
            if df is None:
                continue
            values = df.to_numpy(dtype=float)
            neg = values < 0
            if neg.any():
                rows, cols = np.nonzero(neg)
                cells = [
                    f"({df.index[r]!s}, {df.columns[c]!s}) = {values[r, c]:g}"
                    for r, c in zip(rows[:5], cols[:5], strict=True)
                ]
                raise NegativeValueError(
                    f"{name} has {int(neg.sum())} negative intermediate flows; they give negative "
                    "coefficients and can give negative multipliers",
                    received="; ".join(cells) + (" ..." if neg.sum() > 5 else ""),
                    fix="correct those cells, or pass negative_flows='allow' if the source "
                    "publishes them on purpose (the table then records them in its provenance)",
                )

    def _check_types(self) -> None:
        """Z, Y, V are DataFrames and x a Series."""
        for name in ["Z", "Y", "V"]:
            if not isinstance(getattr(self, name), pd.DataFrame):
                raise ShapeError(
                    f"{name} must be a pandas DataFrame",
                    received=type(getattr(self, name)).__name__,
                    fix="use IOTable.from_arrays for plain arrays",
                )
        if not isinstance(self.x, pd.Series):
            raise ShapeError(
                "x must be a pandas Series",
                received=type(self.x).__name__,
                fix="use IOTable.from_arrays for plain arrays",
            )

    def _check_shape(self) -> None:
        """Z is square, non-empty, with unique labels equal on both axes."""
        Z = self.Z
        if Z.shape[0] == 0:
            raise ShapeError(
                "the table has no sectors (Z is 0 × 0)",
                received=f"shape {Z.shape}",
                fix="pass at least one sector",
            )
        if Z.shape[0] != Z.shape[1]:
            raise ShapeError(
                "Z must be square (n × n)",
                received=f"shape {Z.shape}",
                fix="give Z one row and one column per sector, in the same order",
            )
        _check_unique("Z rows", Z.index)
        _check_unique("Z columns", Z.columns)
        if not Z.index.equals(Z.columns):
            extra_r = Z.index.difference(Z.columns).tolist()[:5]
            extra_c = Z.columns.difference(Z.index).tolist()[:5]
            raise LabelError(
                "Z row and column labels differ",
                received=f"rows only: {extra_r}; columns only: {extra_c}"
                if extra_r or extra_c
                else "same labels in a different order",
                fix="use the same sector labels, in the same order, for rows and columns",
            )

    def _check_labels(self) -> None:
        """Multi-region labels are (region, sector); Y rows, V columns and x match Z."""
        Z = self.Z
        labels = Z.index
        if self.layout == "multi-region" and not (
            isinstance(labels, pd.MultiIndex) and labels.nlevels == 2
        ):
            raise LabelError(
                "a multi-region table needs (region, sector) labels",
                received=f"{type(labels).__name__} with {labels.nlevels} level(s)",
                fix="label Z with a 2-level pd.MultiIndex, or use layout='competitive'",
            )
        for name, obj, axis in [
            ("Y rows", self.Y.index, None),
            ("V columns", self.V.columns, None),
            ("x", self.x.index, None),
        ]:
            del axis
            if not obj.equals(labels):
                raise LabelError(
                    f"{name} do not match Z's labels",
                    received=f"{len(obj)} labels, first differing: "
                    f"{[a for a, b in zip(obj, labels, strict=False) if a != b][:3] or list(obj.difference(labels))[:3]}",
                    fix="align all blocks on the same sector labels (same order)",
                )

    def _check_blocks(self) -> None:
        """Block contents are finite and every optional block is aligned on Z's labels."""
        labels = self.Z.index
        _check_unique("Y columns", self.Y.columns)
        _check_unique("V rows", self.V.index)
        for name in ["Z", "Y", "V", "x", "imports", "Zm", "Ym", "other"]:
            obj = getattr(self, name)
            if obj is not None:
                _check_frame(name, obj)
        for name in ["imports", "other"]:
            obj = getattr(self, name)
            if obj is not None and not obj.index.equals(labels):
                raise LabelError(f"{name} labels do not match Z's labels", received=len(obj))
        for name in ["Zm", "Ym"]:
            obj = getattr(self, name)
            if obj is not None and not obj.index.equals(labels):
                raise LabelError(f"{name} rows do not match Z's labels", received=len(obj))
        if self.Zm is not None and not self.Zm.columns.equals(labels):
            raise LabelError("Zm columns do not match Z's labels", received=len(self.Zm.columns))

    def _check_output(self) -> None:
        """Gross output is non-negative, and zero only when the policy allows it."""
        xv = self.x.to_numpy(dtype=float)
        if (xv < 0).any():
            neg = xv < 0
            raise ZeroOutputError(
                f"gross output x is negative for {int(neg.sum())} sector(s)",
                received=self.x.index[neg].tolist()[:10],
                fix="correct the table: gross output cannot be negative",
            )
        bad = xv == 0
        if bad.any() and self.zero_output == "raise":
            raise ZeroOutputError(
                f"gross output x is zero or negative for {int(bad.sum())} sector(s); "
                "A = Z x̂⁻¹ would divide by zero",
                received=self.x.index[bad].tolist()[:10],
                fix="drop or aggregate those sectors before analysis, or pass "
                "zero_output='zero-coefficients' (pymrio's convention: their A columns become 0)",
            )

    def _freeze_values(self) -> None:
        """Hold every block as a private read-only copy, so ``t.Z.iloc[0, 0] = …`` raises and
        later edits of the caller's own frames cannot reach the table.

        Each block is copied once from the caller; tables derived with :meth:`replace` share the
        already private data without copying again.
        """
        for name in ["Z", "Y", "V", "Zm", "Ym"]:
            df = getattr(self, name)
            if df is not None:
                object.__setattr__(self, name, _read_only_frame(df))
        for name in ["x", "imports", "other"]:
            ser = getattr(self, name)
            if ser is not None:
                arr = _private(ser.to_numpy(dtype=float))
                object.__setattr__(
                    self, name, pd.Series(arr, index=ser.index, name=ser.name, copy=False)
                )

    def _check_options(self) -> None:
        check_option("layout", self.layout, Layout)
        check_option("zero_output", self.zero_output, ZeroOutputPolicy)
        check_option("negative_flows", self.negative_flows, NegativeFlowPolicy)
        for name in ["balance_rtol", "balance_atol"]:
            tol = getattr(self, name)
            if not (isinstance(tol, numbers.Real) and np.isfinite(tol) and tol >= 0):
                raise InputError(
                    f"{name} must be a finite number ≥ 0",
                    received=tol,
                    fix="pass e.g. balance_rtol=1e-6 or balance_atol=1.0 (in the table's unit)",
                )

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_arrays(
        cls,
        Z: Sequence[Sequence[float]] | np.ndarray,
        Y: Sequence[Sequence[float]] | np.ndarray,
        V: Sequence[Sequence[float]] | np.ndarray,
        *,
        sectors: Sequence[str],
        final_demand: Sequence[str],
        value_added: Sequence[str],
        unit: str,
        source: str,
        x: Sequence[float] | np.ndarray | None = None,
        layout: Layout = "competitive",
    ) -> IOTable:
        """Build a table from plain arrays; x defaults to row totals Z·1 + Y·1.

        Raises
        ------
        ShapeError
            If an array's shape does not match the label lists; plus everything the
            constructor raises.
        SchemaError
            If an array holds text.
        """
        idx = pd.Index(list(sectors), name="sector")
        n = len(idx)
        expected = {
            "Z": (n, n),
            "Y": (n, len(final_demand)),
            "V": (len(value_added), n),
        }
        arrays: dict[str, np.ndarray] = {}
        for name, arr in [("Z", Z), ("Y", Y), ("V", V)]:
            try:
                a = np.asarray(arr, dtype=float)
            except (TypeError, ValueError) as err:
                raise SchemaError(
                    f"{name} holds non-numeric values",
                    received=str(err),
                    fix="pass numbers only; convert or correct text cells first",
                ) from None
            if a.ndim != 2 or a.shape != expected[name]:
                raise ShapeError(
                    f"{name} has the wrong shape for the labels given",
                    received=f"shape {a.shape}, expected {expected[name]} from "
                    f"{n} sectors, {len(final_demand)} final-demand and "
                    f"{len(value_added)} value-added labels",
                    fix="give one row/column per label, in the same order",
                )
            arrays[name] = a
        Z, Y, V = arrays["Z"], arrays["Y"], arrays["V"]
        if x is not None and np.shape(x) != (n,):
            raise ShapeError(
                "x has the wrong length",
                received=f"shape {np.shape(x)}, expected ({n},)",
                fix="give one gross-output value per sector",
            )
        Zd = pd.DataFrame(np.asarray(Z, dtype=float), index=idx, columns=idx, copy=False)
        Yd = pd.DataFrame(
            np.asarray(Y, dtype=float), index=idx, columns=list(final_demand), copy=False
        )
        Vd = pd.DataFrame(
            np.asarray(V, dtype=float), index=list(value_added), columns=idx, copy=False
        )
        xs = (
            pd.Series(np.asarray(x, dtype=float), index=idx, name="x", copy=False)
            if x is not None
            else (Zd.sum(axis=1) + Yd.sum(axis=1)).rename("x")
        )
        return cls(Z=Zd, Y=Yd, V=Vd, x=xs, unit=unit, layout=layout, provenance=Provenance(source))

    def replace(self, *, step: str, **changes: object) -> IOTable:
        """Return a new table with `changes` and `step` added to the provenance."""
        return replace(self, provenance=self.provenance.with_step(step), **changes)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ balance
    def balance(self) -> pd.DataFrame:
        """Row and column balance: each side's total against x, absolute and relative.

        Returns
        -------
        DataFrame, index = sectors
            ``row_total``, ``row_gap`` (row_total − x), ``col_total``, ``col_gap`` and the
            relative gaps ``row_rgap``, ``col_rgap`` (gap / x). Units as the table.
        """
        row = self.Z.sum(axis=1) + self.Y.sum(axis=1)
        if self.imports is not None:
            row = row - self.imports
        if self.other is not None:
            row = row + self.other
        col = self.Z.sum(axis=0) + self.V.sum(axis=0)
        if self.Zm is not None:
            col = col + self.Zm.sum(axis=0)
        out = pd.DataFrame({"row_total": row, "col_total": col, "x": self.x})
        out["row_gap"] = out["row_total"] - out["x"]
        out["col_gap"] = out["col_total"] - out["x"]
        with np.errstate(divide="ignore", invalid="ignore"):
            out["row_rgap"] = out["row_gap"] / out["x"]
            out["col_rgap"] = out["col_gap"] / out["x"]
        return out

    def _check_balance(self) -> None:
        b = self.balance()
        allowed = self.balance_atol + self.balance_rtol * b["x"].abs()
        for side in ["row", "col"]:
            excess = b[f"{side}_gap"].abs() - allowed
            if float(excess.max()) > 0:
                lab = excess.idxmax()
                name = "rows (uses)" if side == "row" else "columns (inputs)"
                raise BalanceError(
                    f"table {name} do not balance: gap {b.loc[lab, side + '_gap']:.6g} at sector "
                    f"{lab!r} exceeds tolerance (atol {self.balance_atol:g} + rtol "
                    f"{self.balance_rtol:g} × x)",
                    received=f"total {b.loc[lab, side + '_total']:.6g} vs x "
                    f"{b.loc[lab, 'x']:.6g}; {int((excess > 0).sum())} sector(s) off",
                    fix="correct the table, raise balance_rtol, or pass check_balance=False "
                    "and inspect IOTable.balance()",
                )

    # ------------------------------------------------------------------ labels
    @property
    def labels(self) -> pd.Index:
        """Sector labels (an Index, or a (region, sector) MultiIndex)."""
        return self.Z.index

    @property
    def n(self) -> int:
        """Number of sectors (economy-sectors in a multi-region table)."""
        return self.Z.shape[0]

    @property
    def regions(self) -> pd.Index:
        """Regions of a multi-region table, in order.

        Raises
        ------
        LabelError
            If the table is not multi-region.
        """
        if not isinstance(self.labels, pd.MultiIndex):
            raise LabelError(
                "this table has one region", received=self.layout, fix="use a multi-region table"
            )
        return self.labels.get_level_values(0).unique()

    # ------------------------------------------------------------------ derived (cached)
    @cached_property
    def f(self) -> pd.Series:
        """Total final demand f = Y·1 (n,), in the table's unit."""
        return self.Y.sum(axis=1).rename("f")

    @cached_property
    def f_net(self) -> pd.Series:
        """Final demand net of the row-side import and balancing columns: x − Z·1 (n,).

        Equals Y·1 − m + other in a competitive table and Y·1 (+ other) otherwise, so that
        x = L f_net holds exactly up to the table's balance gap.
        """
        net = self.f.copy()
        if self.imports is not None:
            net = net - self.imports
        if self.other is not None:
            net = net + self.other
        return net.rename("f_net")

    @cached_property
    def _zero_x(self) -> np.ndarray:
        """Boolean mask of zero-output sectors (only non-empty under "zero-coefficients")."""
        return self.x.to_numpy(dtype=float) == 0

    @cached_property
    def x_safe(self) -> np.ndarray:
        """x as float array with zero-output sectors set to 1 (coefficients are then 0)."""
        xv = self.x.to_numpy(dtype=float).copy()
        xv[xv == 0] = 1.0
        return xv

    @cached_property
    def v(self) -> pd.Series:
        """Total value added v = 1ᵀV (n,), in the table's unit."""
        return self.V.sum(axis=0).rename("v")

    @cached_property
    def A(self) -> pd.DataFrame:
        """Technical coefficients A = Z x̂⁻¹ (M&B eq. 2.4), unit-free (n × n)."""
        a = k.technical_coefficients(self.Z.to_numpy(dtype=float), self.x_safe)
        a[:, self._zero_x] = 0.0
        return pd.DataFrame(_read_only(a), index=self.labels, columns=self.labels, copy=False)

    @cached_property
    def lu(self) -> k.LU:
        """LU factors of (I − A), checked for productiveness (ρ(A) < 1)."""
        a = self.A.to_numpy()
        # the table's own policies have screened Z and x; negative value added (a column sum
        # of A ≥ 1) is legitimate in real tables, so the spectral radius is what is checked
        return k.leontief_lu(a, check="productive")

    @cached_property
    def L(self) -> pd.DataFrame:
        """Leontief inverse L = (I − A)⁻¹ (M&B eq. 2.10), unit-free (n × n)."""
        inv = k.leontief_inverse(self.A.to_numpy(), lu=self.lu)
        return pd.DataFrame(_read_only(inv), index=self.labels, columns=self.labels, copy=False)

    @cached_property
    def B(self) -> pd.DataFrame:
        """Allocation coefficients B = x̂⁻¹ Z (M&B eq. 12.7), unit-free (n × n)."""
        b = k.allocation_coefficients(self.Z.to_numpy(dtype=float), self.x_safe)
        b[self._zero_x, :] = 0.0
        return pd.DataFrame(_read_only(b), index=self.labels, columns=self.labels, copy=False)

    @cached_property
    def G(self) -> pd.DataFrame:
        """Ghosh inverse G = (I − B)⁻¹ = x̂⁻¹ L x̂ (M&B eq. 12.10), derived from L.

        Zero-output sectors (policy ``"zero-coefficients"``) use x = 1 in the scaling, which gives
        their unit rows and columns of (I − B)⁻¹.
        """
        g = k.ghosh_inverse_from_leontief(self.L.to_numpy(), self.x_safe)
        zero = self._zero_x
        if zero.any():  # B rows of zero-output sectors are 0, so their G rows are unit rows
            g[zero, :] = 0.0
            g[zero, zero] = 1.0
        return pd.DataFrame(_read_only(g), index=self.labels, columns=self.labels, copy=False)

    def __repr__(self) -> str:
        return (
            f"IOTable({self.provenance.source!r}, n={self.n}, layout={self.layout!r}, "
            f"unit={self.unit!r}, final_demand={list(self.Y.columns)[:6]})"
        )
