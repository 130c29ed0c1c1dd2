"""Bad input: clear errors naming the problem, the offending labels and a fix (tested with match=)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import chainatlas.io as cio
from chainatlas.datasets import load
from chainatlas.errors import (
    BalanceError,
    ChainAtlasError,
    DegenerateError,
    InputError,
    LabelError,
    NonFiniteError,
    NonProductiveError,
    ShapeError,
    SingularMatrixError,
    UnknownCodeError,
    UnknownDatasetError,
    ZeroOutputError,
)
from chainatlas.io.table import IOTable
from chainatlas.provenance import Provenance

S = pd.Index(["S1", "S2"])


def make(Z, Y, V, x, **kw) -> IOTable:  # noqa: ANN001
    Zd = Z if isinstance(Z, pd.DataFrame) else pd.DataFrame(Z, index=S, columns=S, dtype=float)
    Yd = Y if isinstance(Y, pd.DataFrame) else pd.DataFrame({"f": Y}, index=Zd.index, dtype=float)
    Vd = V if isinstance(V, pd.DataFrame) else pd.DataFrame([V], index=["v"], columns=Zd.columns)
    xs = x if isinstance(x, pd.Series) else pd.Series(x, index=Zd.index, dtype=float)
    kw.setdefault("layout", "competitive")
    return IOTable(Z=Zd, Y=Yd, V=Vd, x=xs, unit="USD", provenance=Provenance("test"), **kw)


MB = {"Z": [[150, 500], [200, 100]], "Y": [350, 1700], "V": [650, 1400], "x": [1000, 2000]}


def test_non_square_Z() -> None:
    Z = pd.DataFrame(np.ones((2, 3)), index=S, columns=["S1", "S2", "S3"])
    V = pd.DataFrame([[1.0, 2.0, 3.0]], columns=Z.columns)
    with pytest.raises(ShapeError, match=r"Z must be square.*shape \(2, 3\)"):
        make(Z, MB["Y"], V, MB["x"])


def test_mismatched_row_and_column_labels() -> None:
    Z = pd.DataFrame(MB["Z"], index=S, columns=["S1", "X9"], dtype=float)
    with pytest.raises(LabelError, match=r"row and column labels differ.*X9"):
        make(Z, MB["Y"], pd.DataFrame([MB["V"]], columns=["S1", "X9"]), MB["x"])


def test_mismatched_final_demand_labels() -> None:
    Y = pd.DataFrame({"f": MB["Y"]}, index=["S1", "S3"], dtype=float)
    with pytest.raises(LabelError, match=r"Y rows do not match Z's labels.*S3"):
        make(MB["Z"], Y, MB["V"], MB["x"])


def test_duplicate_labels() -> None:
    D = pd.Index(["S1", "S1"])
    Z = pd.DataFrame(MB["Z"], index=D, columns=D, dtype=float)
    with pytest.raises(LabelError, match=r"duplicate labels in Z rows.*S1"):
        make(Z, MB["Y"], pd.DataFrame([MB["V"]], columns=D), pd.Series(MB["x"], index=D))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf(bad: float) -> None:
    Z = np.array(MB["Z"], dtype=float)
    Z[1, 0] = bad
    with pytest.raises(NonFiniteError, match=r"Z contains 1 NaN or infinite.*'S2', 'S1'"):
        make(Z, MB["Y"], MB["V"], MB["x"])


def test_negative_gross_output() -> None:
    with pytest.raises(ZeroOutputError, match=r"negative for 1 sector.*S2"):
        make(MB["Z"], MB["Y"], MB["V"], [1000, -2000], check_balance=False)


def test_zero_gross_output() -> None:
    with pytest.raises(ZeroOutputError, match=r"zero.*divide by zero.*S1.*zero_output"):
        make([[0, 500], [0, 100]], [-500, 1900], [0, 1400], [0, 2000])


def test_zero_output_policy_is_explicit() -> None:
    t = make(
        [[0, 500], [0, 100]], [-500, 1900], [0, 1400], [0, 2000], zero_output="zero-coefficients"
    )
    assert t.A["S1"].eq(0).all()
    assert t.L.loc["S1", "S1"] == 1.0


def test_singular_I_minus_A() -> None:
    # both columns of A sum to 1 (no value added): (I − A) is singular, ρ(A) = 1
    t = make([[500, 500], [500, 500]], [0, 0], [0, 0], [1000, 1000])
    with pytest.raises(SingularMatrixError, match=r"singular|spectral radius"):
        cio.output_multipliers(t)


def test_non_productive_I_minus_A() -> None:
    # A = [[0.9, 0.5], [0.5, 0.2]] has ρ(A) ≈ 1.16 (negative value added balances the table)
    t = make([[900, 500], [500, 200]], [-400, 300], [-400, 300], [1000, 1000])
    with pytest.raises(NonProductiveError, match=r"spectral radius of A is 1\.16\d* ≥ 1"):
        cio.linkages(t)
    with pytest.raises(NonProductiveError):
        cio.extraction_ranking(t)


def test_unbalanced_rows_report_the_gap() -> None:
    with pytest.raises(BalanceError, match=r"rows \(uses\) do not balance: gap 10 at sector 'S2'"):
        make(MB["Z"], [350, 1710], MB["V"], MB["x"])


def test_unbalanced_columns_report_the_gap() -> None:
    with pytest.raises(BalanceError, match=r"columns \(inputs\) do not balance: gap -50 at .*'S1'"):
        make(MB["Z"], MB["Y"], [600, 1400], MB["x"])


def test_unknown_dataset_spec_suggests_close_names() -> None:
    with pytest.raises(
        UnknownDatasetError, match=r"china-io:2020-24.*did you mean 'china-io:2020-42'"
    ):
        load("china-io:2020-24")
    with pytest.raises(UnknownDatasetError, match=r"china-oi.*china-io"):
        load("china-oi:2020-42")


# ---------------------------------------------------------------- analysis-level errors
@pytest.fixture()
def mb() -> IOTable:
    return make(MB["Z"], MB["Y"], MB["V"], MB["x"])


def test_import_dependence_needs_noncompetitive(mb: IOTable) -> None:
    with pytest.raises(cio.LayoutError, match=r"non-competitive.*layout 'competitive'.*2020-42"):
        cio.import_dependence(mb)


def test_unknown_sector_in_extraction(mb: IOTable) -> None:
    with pytest.raises(UnknownCodeError, match=r"unknown sector 'S3'.*did you mean 'S1'|'S2'"):
        cio.extraction_loss(mb, ["S3"])
    with pytest.raises(InputError, match=r"listed twice"):
        cio.extraction_loss(mb, ["S1", "S1"])
    with pytest.raises(InputError, match=r"no sectors given"):
        cio.extraction_loss(mb, [])


def test_employment_labels_must_match(mb: IOTable) -> None:
    with pytest.raises(LabelError, match=r"employment labels.*missing: \['S2'\].*extra: \['S9'\]"):
        cio.employment_multipliers(mb, pd.Series({"S1": 1.0, "S9": 2.0}))
    with pytest.raises(NonFiniteError, match=r"employment contains NaN"):
        cio.employment_multipliers(mb, pd.Series({"S1": 1.0, "S2": np.nan}))


def test_type_I_needs_nonzero_coefficients(mb: IOTable) -> None:
    with pytest.raises(DegenerateError, match=r"type-I employment.*0 for 1 sector.*S1"):
        cio.employment_multipliers(mb, pd.Series({"S1": 0.0, "S2": 5.0}), kind="type-I")


def test_classification_must_cover_the_table(mb: IOTable) -> None:
    with pytest.raises(LabelError, match=r"classification labels.*missing: \['S2'\]"):
        cio.servitisation(mb, classification=pd.Series({"S1": "manufacturing"}))
    with pytest.raises(InputError, match=r"no sector is classified as services"):
        cio.servitisation(mb, classification=pd.Series({"S1": "manufacturing", "S2": "x"}))
    with pytest.raises(ChainAtlasError, match=r"no sector names"):
        cio.classify_sectors(mb)


def test_structural_change_needs_two_years_and_same_labels(mb: IOTable) -> None:
    with pytest.raises(InputError, match=r"at least two years"):
        cio.structural_change({2020: mb})
    other = make(
        pd.DataFrame(MB["Z"], index=["A", "B"], columns=["A", "B"], dtype=float),
        pd.DataFrame({"f": MB["Y"]}, index=["A", "B"], dtype=float),
        pd.DataFrame([MB["V"]], columns=["A", "B"]),
        pd.Series(MB["x"], index=["A", "B"], dtype=float),
    )
    with pytest.raises(
        LabelError, match=r"sector labels of 2010 differ.*only in 2010: \['A', 'B'\]"
    ):
        cio.structural_change({2010: other, 2020: mb})


def test_upstreamness_with_nonpositive_absorption() -> None:
    # exports exceed output + imports for S1 → absorption x − X + M − N < 0
    Y = pd.DataFrame({"exports": [1200.0, 0.0], "c": [-850.0, 1700.0]}, index=S)
    t = make(MB["Z"], Y, MB["V"], MB["x"])
    with pytest.raises(DegenerateError, match=r"absorption.*≤ 0.*positions \[0\]"):
        cio.upstreamness(t)
    with pytest.raises(LabelError, match=r"exports column 'EXX' is not"):
        cio.upstreamness(t, exports="EXX")


def test_inputs_are_not_modified(mb: IOTable) -> None:
    before = {k: getattr(mb, k).copy() for k in ("Z", "Y", "V", "x")}
    cio.linkages(mb)
    cio.extraction_ranking(mb)
    cio.extraction_loss(mb, ["S1"])
    cio.positions(mb)
    cio.multiplier_table(mb)
    for k, v in before.items():
        assert getattr(mb, k).equals(v), k
