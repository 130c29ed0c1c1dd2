"""Dynamic chokepoint ranking: each supplier stops selling to the focus economy (ARIO kernel)."""

from __future__ import annotations

import numpy as np
import pytest

from chainatlas.errors import InputError, ScenarioError, UnknownCodeError
from chainatlas.io.table import IOTable
from chainatlas.kernels import ario as K
from chainatlas.resilience.dynamic import prepare_ario
from chainatlas.resilience.dynamic_ranking import dynamic_chokepoints, recovery_days
from chainatlas.resilience.scenarios import ARIOParameters


@pytest.fixture(scope="module")
def wiod(mirror: object) -> IOTable:
    from chainatlas.datasets import load

    return load("wiod-2013:2011", progress=False)


def test_recovery_days() -> None:
    loss = np.array([[0, 4, 10, 6, 0.2, 0.05, -1], [0, 1, 5, 5, 5, 5, 5], [0, 0, 0, 0, 0, 0, 0]])
    got = recovery_days(loss, 3, 0.01)
    assert got[0] == 2.0 and np.isnan(got[1]) and got[2] == 0.0


def test_dynamic_ranking_matches_single_kernel_runs(wiod: IOTable) -> None:
    cands = [("KOR", "c14"), ("RoW", "c2"), ("AUS", "c2")]
    seen: list[float] = []
    df = dynamic_chokepoints(wiod, "CHN", candidates=cands, stop_days=20, after_days=15,
                             batch=2, progress=lambda m, f: seen.append(f))  # fmt: skip
    assert seen[-1] == 1.0 and len(seen) == 2  # two batches
    assert list(df["rank"]) == [1, 2, 3] and df["va_loss"].is_monotonic_decreasing
    assert df.loc[("RoW", "c2"), "rest_of_world"] and df.attrs["days"] == 40
    # one candidate by hand: a single kernel run with the cut, CHN's value-added loss summed
    prep = prepare_ario(wiod, ARIOParameters(negative_final_demand="clip"))
    lab = prep.table.labels
    i = lab.get_loc(("KOR", "c14"))
    chn = np.asarray(lab.get_level_values(0) == "CHN")
    cols = np.flatnonzero(chn)
    n = prep.table.n
    delta = np.zeros((1, n, 35))
    delta[0, i] = -prep.table.Z.to_numpy()[i, cols] / 365
    dy = np.zeros((1, n))
    dy[0, i] = -max(prep.table.Y.loc[("KOR", "c14"), "CHN"].sum(), 0) / 365
    active = np.zeros((1, 40), dtype=bool)
    active[0, 5:25] = True
    regions = list(dict.fromkeys(lab.get_level_values(0)))
    cut = K.BilateralCut(regions.index("CHN"), delta, delta, dy, active)
    out = K.simulate(prep.arrays, np.zeros((40, n)), cut=cut)
    x0 = prep.table.x.to_numpy() / 365
    want = float(((x0 - out["production"][0]) * prep.va_coef * chn).sum())
    assert df.loc[("KOR", "c14"), "va_loss"] == pytest.approx(want, rel=1e-9)
    assert df.loc[("KOR", "c14"), "va_loss"] > 0


def test_dynamic_ranking_bad_input(wiod: IOTable) -> None:
    with pytest.raises(ScenarioError, match="LUX c35 sells nothing to CHN"):
        dynamic_chokepoints(wiod, "CHN", candidates=[("LUX", "c35")])
    with pytest.raises(UnknownCodeError, match="unknown economy code 'XYZ'"):
        dynamic_chokepoints(wiod, "XYZ", candidates=[("KOR", "c14")])
    with pytest.raises(InputError, match="over the maximum of 3650"):
        dynamic_chokepoints(wiod, "CHN", stop_days=3000, after_days=1000)
    with pytest.raises(InputError, match="stop_days must be a whole number"):
        dynamic_chokepoints(wiod, "CHN", stop_days=True)  # type: ignore[arg-type]
