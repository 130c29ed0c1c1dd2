"""IOTable is immutable: its blocks and cached matrices cannot be edited in place."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainatlas.io.table import IOTable
from chainatlas.provenance import Provenance


def _table(Z: pd.DataFrame) -> IOTable:
    idx = Z.index
    Y = pd.DataFrame({"f": [350.0, 1700.0]}, index=idx)
    V = pd.DataFrame([[650.0, 1400.0]], index=["va"], columns=idx)
    x = pd.Series([1000.0, 2000.0], index=idx)
    return IOTable(
        Z=Z, Y=Y, V=V, x=x, unit="USD", layout="competitive", provenance=Provenance("test")
    )


def test_blocks_and_cached_matrices_are_read_only() -> None:
    idx = pd.Index(["S1", "S2"])
    Z = pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=idx, columns=idx)
    t = _table(Z)
    L_before = t.L.to_numpy().copy()
    for frame in (t.Z, t.Y, t.V, t.A, t.L, t.B, t.G):
        with pytest.raises(ValueError, match="read-only"):
            frame.iloc[0, 0] = 99.0
    with pytest.raises(ValueError, match="read-only"):
        t.x.iloc[0] = 1.0
    np.testing.assert_array_equal(t.L.to_numpy(), L_before)
    # the caller's own frame stays editable, and editing it does not reach the table
    Z.iloc[0, 0] = 151.0
    assert Z.iloc[0, 0] == 151.0
    assert t.Z.iloc[0, 0] == 150.0
    np.testing.assert_array_equal(t.L.to_numpy(), L_before)
    # a derived table shares the private data instead of copying it again
    t2 = t.replace(step="same data")
    assert np.shares_memory(t2.Z.to_numpy(), t.Z.to_numpy())
