"""pymrio conversion: round trips, and agreement with pymrio's own calculations on WIOD 2011
(1,435 sectors) for A, L, G and multipliers to a relative error of 1e-10."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pymrio
import pytest
from pymrio.tools import iomath

from chainatlas.datasets import load
from chainatlas.io.pymrio_convert import PymrioConversionError, from_pymrio, to_pymrio
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as k

RTOL = 1e-10


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.maximum(np.abs(b), np.abs(b).max() * 1e-12)
    return float(np.max(np.abs(a - b) / scale))


@pytest.fixture(scope="module")
def wiod_pair(mirror):
    t = load("wiod-2013:2011", progress=False)
    io = to_pymrio(t)
    io.calc_all()  # pymrio's own A, L and factor_inputs multipliers M = S L
    return t, io


def _same(a: IOTable, b: IOTable) -> None:
    for name in ["Z", "Y", "V"]:
        pd.testing.assert_frame_equal(getattr(b, name), getattr(a, name), check_names=False)
    pd.testing.assert_series_equal(b.x, a.x, check_names=False)
    for name in ["imports", "other"]:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            pd.testing.assert_series_equal(y, x, check_names=False)
    for name in ["Zm", "Ym"]:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            pd.testing.assert_frame_equal(y, x, check_names=False)
    assert b.layout == a.layout and b.unit == a.unit


@pytest.mark.parametrize("spec", ["china-io:2015-42", "china-io:2020-42", "china-io:2020-153"])
def test_round_trip_china(mirror, spec):
    t = load(spec, progress=False)
    io = to_pymrio(t, region="CN")
    assert io.get_regions().tolist() == ["CN"]
    back = from_pymrio(io, balance_rtol=t.balance_rtol, balance_atol=t.balance_atol)
    _same(t, back)
    if t.imports is not None:
        # IM is stored as a negative final-demand category, so pymrio's x = Z1 + Y1 holds
        np.testing.assert_allclose(
            iomath.calc_x(io.Z, io.Y).iloc[:, 0], t.x, rtol=t.balance_rtol, atol=t.balance_atol
        )
        assert (io.Y[("CN", "IM")] <= 0).all()


def test_round_trip_wiod(wiod_pair):
    t, io = wiod_pair
    back = from_pymrio(io, balance_atol=t.balance_atol, zero_output="zero-coefficients")
    _same(t, back)
    assert isinstance(back.labels, pd.MultiIndex) and len(back.regions) == 41


def test_agreement_A_L(wiod_pair):
    t, io = wiod_pair
    assert io.A.shape == (1435, 1435)
    assert _rel(t.A.to_numpy(), io.A.to_numpy()) < RTOL
    assert _rel(t.L.to_numpy(), io.L.to_numpy()) < RTOL


def test_agreement_multipliers(wiod_pair):
    t, io = wiod_pair
    A = t.A.to_numpy()
    # output multipliers 1ᵀL (without forming L) vs pymrio's M = S L with S = 1ᵀ
    ours = k.output_multipliers(A)
    theirs = iomath.calc_M(np.ones((1, t.n)), io.L.to_numpy()).ravel()
    assert _rel(ours, theirs) < RTOL
    # value-added multipliers vᵀ x̂⁻¹ L vs pymrio's factor_inputs.M
    va = k.input_multipliers(A, t.V.to_numpy()[0] / t.x_safe)
    assert _rel(va, io.factor_inputs.M.to_numpy()[0]) < RTOL


def test_ghosh_convention(wiod_pair):
    """M&B's G = (I − B)⁻¹ = x̂⁻¹Lx̂. pymrio's calc_G(B) inverts (I − B) and agrees; its shortcut
    calc_G(B, L, x) puts zeros (not a unit diagonal) at zero-output sectors (docs/datasets.md)."""
    t, io = wiod_pair
    B = iomath.calc_B(io.Z, io.x)
    G_inv = iomath.calc_G(B.to_numpy())
    assert _rel(t.G.to_numpy(), G_inv) < RTOL
    G_short = iomath.calc_G(B.to_numpy(), L=io.L.to_numpy(), x=io.x.to_numpy())
    zero = (t.x == 0).to_numpy()
    assert _rel(t.G.to_numpy()[np.ix_(~zero, ~zero)], G_short[np.ix_(~zero, ~zero)]) < RTOL
    assert not G_short[zero].any() and (np.diag(t.G.to_numpy())[zero] == 1).all()


def test_from_pymrio_derives_value_added_and_reads_units():
    Z = pd.DataFrame([[150.0, 500.0], [200.0, 100.0]])
    idx = pd.MultiIndex.from_product([["R"], ["s1", "s2"]], names=["region", "sector"])
    Z.index = Z.columns = idx
    Y = pd.DataFrame(
        [[350.0], [1700.0]], index=idx, columns=pd.MultiIndex.from_tuples([("R", "f")])
    )
    io = pymrio.IOSystem(Z=Z, Y=Y, unit=pd.DataFrame({"unit": ["EUR", "EUR"]}, index=idx))
    t = from_pymrio(io)
    assert t.unit == "EUR" and list(t.labels) == ["s1", "s2"]
    np.testing.assert_allclose(t.x, [1000.0, 2000.0])
    np.testing.assert_allclose(t.V.loc["VA"], [650.0, 1400.0])
    assert any("derived V" in s for s in t.provenance.steps)


def test_from_pymrio_bad_input():
    with pytest.raises(PymrioConversionError, match="lacks Z"):
        from_pymrio(pymrio.IOSystem())
    idx = pd.MultiIndex.from_product([["R"], ["s1", "s2"]], names=["region", "sector"])
    Z = pd.DataFrame(np.eye(2), index=idx, columns=idx)
    Y = pd.DataFrame(np.ones((2, 1)), index=idx, columns=pd.MultiIndex.from_tuples([("R", "f")]))
    mixed = pd.DataFrame({"unit": ["EUR", "t"]}, index=idx)
    with pytest.raises(PymrioConversionError, match="no single unit"):
        from_pymrio(pymrio.IOSystem(Z=Z, Y=Y, unit=mixed))
    flat = pymrio.IOSystem(Z=pd.DataFrame(np.eye(2)), Y=pd.DataFrame(np.ones((2, 1))))
    with pytest.raises(PymrioConversionError, match="MultiIndex"):
        from_pymrio(flat, unit="EUR")
