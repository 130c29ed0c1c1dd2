"""Vectorised ARIO kernel against BoARIO's ARIOPsiModel on a real WIOD subset (1e-8 relative)."""

from __future__ import annotations

import logging
import tempfile
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from chainatlas.io.table import IOTable
from chainatlas.kernels import ario as K
from chainatlas.resilience.ario import _import_boario, _iosystem, prepare_for_boario

KEEP = ["CHN", "DEU", "JPN", "USA"]


def wiod_subset(t: IOTable, keep: list[str]) -> IOTable:
    """WIOD with every economy outside `keep` summed into one region "ZZZ" (closed world)."""
    reg = t.labels.get_level_values(0)
    lab = pd.MultiIndex.from_arrays(
        [np.where(reg.isin(keep), reg, "ZZZ"), t.labels.get_level_values(1)], names=t.labels.names
    )
    yc = t.Y.columns
    ylab = pd.MultiIndex.from_arrays(
        [np.where(yc.get_level_values(0).isin(keep), yc.get_level_values(0), "ZZZ"),
         yc.get_level_values(1)]
    )  # fmt: skip
    Z = t.Z.set_axis(lab, axis=0).set_axis(lab, axis=1)
    Z = Z.T.groupby(level=[0, 1], sort=False).sum().T.groupby(level=[0, 1], sort=False).sum()
    Y = t.Y.set_axis(lab, axis=0).set_axis(ylab, axis=1)
    Y = Y.T.groupby(level=[0, 1], sort=False).sum().T.groupby(level=[0, 1], sort=False).sum()
    Y = Y.loc[Z.index].clip(lower=0.0)
    x = Z.sum(axis=1) + Y.sum(axis=1)
    V = (x - Z.sum(axis=0)).to_frame().T.set_axis(["VA"], axis=0)
    return IOTable(
        Z=Z, Y=Y, V=V, x=x, unit=t.unit, layout="multi-region",
        zero_output="zero-coefficients", provenance=t.provenance.with_step("subset for tests"),
    )  # fmt: skip


@pytest.fixture(scope="module")
def small(mirror: object) -> IOTable:
    from chainatlas.datasets import load

    return prepare_for_boario(wiod_subset(load("wiod-2013:2011", progress=False), KEEP))


def run_boario(table: IOTable, hit: list[tuple[str, str]], loss: float, occ: int, dur: int,
               rec: int, days: int) -> tuple[Any, Any]:  # fmt: skip
    bevent, blogger, ARIOPsiModel, Simulation = _import_boario()
    io = _iosystem(table)
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        blogger.setLevel(logging.WARNING)
        model = ARIOPsiModel(io, psi_param=0.8)
        sim = Simulation(model, n_temporal_units_to_sim=days, boario_output_dir=tmp,
                         register_stocks=True)  # fmt: skip
        imp = pd.Series(loss, index=pd.MultiIndex.from_tuples(hit))
        sim.add_event(bevent.from_series(imp, event_type="arbitrary", occurrence=occ,
                                         duration=dur, recovery_tau=rec))  # fmt: skip
        for _ in range(days):
            assert sim.next_step() == 0
    return sim, model


def kernel_inputs(table: IOTable, model: Any) -> tuple[K.ARIOArrays, pd.MultiIndex]:
    ind = model.industries  # BoARIO's (sorted) order
    reg = pd.Index(model.regions).get_indexer(ind.get_level_values(0))
    sec = pd.Index(model.sectors).get_indexer(ind.get_level_values(1))
    yreg = pd.Index(model.regions).get_indexer(table.Y.columns.get_level_values(0))
    arr = K.prepare_arrays(
        table.Z.loc[ind, ind].to_numpy(), table.Y.loc[ind].to_numpy(),
        table.x.loc[ind].to_numpy(), reg, sec, yreg,
    )  # fmt: skip
    return arr, ind


def rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


MILD = [("JPN", "c14"), ("USA", "c9")]
WORLDWIDE = [(r, "c14") for r in [*KEEP, "ZZZ"]]  # no other supplier left: stocks run short


@pytest.mark.parametrize(
    ("hit", "loss", "dur", "days"),
    [(MILD, 0.3, 20, 50), (WORLDWIDE, 0.6, 40, 90)],
    ids=["mild", "shortage"],
)
def test_kernel_reproduces_boario(
    small: IOTable, hit: list[tuple[str, str]], loss: float, dur: int, days: int
) -> None:
    sim, model = run_boario(small, hit, loss, 5, dur, 10, days)
    arr, ind = kernel_inputs(small, model)
    imp = np.zeros((1, len(ind)))
    imp[0, [ind.get_loc(h) for h in hit]] = loss
    delta = K.boario_event_schedule(imp, np.array([5]), np.array([dur]), np.array([10]), days)
    out = K.simulate(arr, delta, record_stocks=True)
    pb = sim.production_realised.to_numpy()[:days]
    fb = sim.final_demand_unmet.to_numpy()[:days]
    sb = sim.inputs_stocks.to_numpy().reshape(days, model.n_sectors, -1)
    assert rel(out["production"][0], pb) < 1e-8
    assert rel(out["final_demand_not_met"][0].reshape(days, -1), fb) < 1e-8
    assert rel(out["stocks"][0], sb) < 1e-8
    # the event shows one step after BoARIO's occurrence (its bookkeeping), and is a real shock
    world = pb.sum(axis=1)
    assert np.allclose(world[:6], world[0], rtol=1e-12) and world[6] < world[0] * (1 - 1e-4)
    assert model.had_shortage == (hit is WORLDWIDE)
    if hit is WORLDWIDE:
        assert fb.max() > 0.01 * world[0] / len(ind)


def test_batch_equals_single_runs(small: IOTable) -> None:
    _, model = run_boario(small, [("JPN", "c14")], 0.5, 1, 2, 2, 8)
    arr, ind = kernel_inputs(small, model)
    n = len(ind)
    imps = np.zeros((3, n))
    for k, lab in enumerate([("JPN", "c14"), ("CHN", "c2"), ("USA", "c30")]):
        imps[k, ind.get_loc(lab)] = 0.6 + 0.1 * k
    sched = np.stack(
        [K.boario_event_schedule(imps[k : k + 1], np.array([3]), np.array([15]),
                                 np.array([5]), 40) for k in range(3)]
    )  # fmt: skip
    batch = K.simulate(arr, sched)
    for k in range(3):
        one = K.simulate(arr, sched[k])
        np.testing.assert_allclose(batch["production"][k], one["production"][0], rtol=1e-13)
    # no event: the steady state holds to round-off
    calm = K.simulate(arr, np.zeros((30, n)))
    np.testing.assert_allclose(calm["production"][0], np.tile(arr.X0[np.argsort(arr.perm)], (30, 1)),
                               rtol=1e-10)  # fmt: skip


def test_final_demand_only_sector_does_not_crash(small: IOTable) -> None:
    # private households (c35) sell only to final demand: no intermediate buyers at all
    z_row = small.Z.loc[("DEU", "c35")].sum()
    assert z_row == 0 and small.Y.loc[("DEU", "c35")].sum() > 0
    _, model = run_boario(small, [("DEU", "c35")], 1.0, 2, 10, 2, 30)
    arr, ind = kernel_inputs(small, model)
    imp = np.zeros((1, len(ind)))
    imp[0, ind.get_loc(("DEU", "c35"))] = 1.0
    out = K.simulate(arr, K.boario_event_schedule(imp, np.array([2]), np.array([10]),
                                                  np.array([2]), 30))  # fmt: skip
    assert np.isfinite(out["production"]).all()
    j = ind.get_loc(("DEU", "c35"))
    assert out["production"][0, 5, j] == 0.0  # the sector stops
    usa = list(model.regions).index("DEU")
    sec = list(model.sectors).index("c35")
    assert out["final_demand_not_met"][0, 5, usa, sec] > 0  # its final demand goes unmet
