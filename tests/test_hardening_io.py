"""Issue 13 §4 regressions for the IO kernels: coefficient checks and ill-conditioning."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from chainatlas.errors import IllConditionedWarning, NonProductiveError, NotCoefficientsError
from chainatlas.kernels import io as k


@pytest.mark.parametrize(
    ("A", "match"),
    [
        (np.array([[0.1, -0.2], [0.3, 0.2]]), "1 negative entries"),
        (np.array([[0.6, 0.1], [0.5, 0.2]]), "columns of A sum to 1 or more"),
        (np.array([[1.0, 0.0], [0.0, 0.5]]), "columns of A sum to 1 or more"),
        (np.array([[0.1, np.nan], [0.0, 0.1]]), "NaN or infinite"),
    ],
)
def test_kernels_refuse_what_is_not_a_coefficient_matrix(A: np.ndarray, match: str) -> None:
    with pytest.raises(Exception, match=match):
        k.leontief_inverse(A)
    with pytest.raises(Exception, match=match):
        k.output_multipliers(A)
    with pytest.raises(Exception, match=match):
        k.solve_output(A, np.ones(2))


def test_productive_check_allows_negative_value_added_but_not_rho_ge_1() -> None:
    # a column sum above 1 (negative value added, as in some provincial tables) that is still
    # productive: allowed only on request, and the answer is the exact inverse
    A = np.array([[0.2, 0.9], [0.3, 0.2]])
    with pytest.raises(NotCoefficientsError):
        k.leontief_lu(A)
    L = k.leontief_inverse(A, lu=k.leontief_lu(A, check="productive"))
    np.testing.assert_allclose(L, np.linalg.inv(np.eye(2) - A), rtol=1e-13)
    with pytest.raises(NonProductiveError, match="spectral radius"):
        k.leontief_lu(np.array([[0.5, 1.0], [0.6, 0.5]]), check="productive")
    with pytest.raises(Exception, match="unknown check 'productiv'"):
        k.leontief_lu(A, check="productiv")  # type: ignore[arg-type]


def test_ill_conditioned_table_warns_with_the_condition_number() -> None:
    eps = 1e-10  # two sectors selling almost everything to each other: ρ(A) = 1 − eps < 1
    A = np.array([[0.0, 1.0 - eps], [1.0 - eps, 0.0]]) * 0.5 + np.array([[0.5, 0.0], [0.0, 0.5]])
    A = A * (1 - eps)
    assert max(abs(np.linalg.eigvals(A))) < 1
    with pytest.warns(IllConditionedWarning, match=r"condition number \d\.\d+e\+\d+") as rec:
        k.leontief_lu(A, check="productive")
    cond = float(str(rec[0].message).split("condition number ")[1].split(" ")[0])
    assert cond == pytest.approx(np.linalg.cond(np.eye(2) - A, 1), rel=0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        k.leontief_lu(np.array([[0.15, 0.25], [0.2, 0.05]]))  # a normal table: no warning


def test_condition_estimate_matches_numpy_on_a_real_sized_matrix() -> None:
    rng = np.random.default_rng(3)
    A = rng.random((300, 300))
    A *= 0.9 / A.sum(axis=0)
    lu, _ = k.leontief_lu(A)
    M = np.eye(300) - A
    est = k.condition_number(lu, float(np.abs(M).sum(axis=0).max()))
    assert est == pytest.approx(np.linalg.cond(M, 1), rel=0.3)


def test_negative_intermediate_flows_are_refused_unless_allowed() -> None:
    import pandas as pd

    from chainatlas.errors import NegativeValueError
    from chainatlas.io.table import IOTable
    from chainatlas.provenance import Provenance

    lab = pd.Index(["S1", "S2"], name="sector")
    Z = pd.DataFrame([[150.0, -5.0], [200.0, 100.0]], index=lab, columns=lab)
    Y = pd.DataFrame({"f": [855.0, 1700.0]}, index=lab)
    x = Z.sum(axis=1) + Y["f"]
    V = pd.DataFrame([x - Z.sum(axis=0)], index=["va"], columns=lab)
    kw = dict(Z=Z, Y=Y, V=V, x=x, unit="u", layout="competitive", provenance=Provenance("t"))
    with pytest.raises(
        NegativeValueError, match=r"Z has 1 negative intermediate flows.*\(S1, S2\) = -5"
    ):
        IOTable(**kw)
    t = IOTable(**kw, negative_flows="allow")
    assert t.negative_flows == "allow" and (t.A.to_numpy() < 0).any()
    with pytest.raises(Exception, match="negative_flows"):
        IOTable(**kw, negative_flows="alow")


def test_real_provincial_tables_with_negative_cells_say_so() -> None:
    from chainatlas.datasets import load

    t = load("china-provincial-io:2002-浙江", progress=False)
    assert t.negative_flows == "allow"
    assert any("negative_flows='allow'" in s and "1 negative" in s for s in t.provenance.steps)
    clean = load("china-provincial-io:2012-浙江", progress=False)
    assert clean.negative_flows == "raise"
