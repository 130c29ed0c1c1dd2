"""Dynamic chokepoint ranking (动态卡脖子排名): each foreign supplier stops selling for 90 days.

For every foreign economy-sector i that sells to the focus economy F (intermediate or final use),
the ARIO kernel simulates i stopping all sales to F from ``start_day`` for ``stop_days`` days and
records F's value-added loss day by day. F's orders for the product go to the remaining suppliers
in proportion to their capacity-weighted shares — ARIO's "alt" order rule, exactly what BoARIO
does for a supplier with no capacity left — so the loss measures how far the others' capacity,
overproduction and F's inventories fall short. (Without this re-weighting, an input of a few USD
million that BoARIO's 1e-5 technology threshold still counts would strangle large sectors: a
stop of GBR agriculture, 2 of the 3 USD million of c1 that China's finance sector uses, then
"costs" 0.38 % of China's GDP — a threshold artefact, not a chokepoint.) Candidates run in batches of ``batch`` scenarios
(one kernel call, scenarios on an extra array axis).

Per candidate: ``va_loss`` (F's cumulative value-added loss over the run, table unit),
``va_loss_pct_gdp`` (percent of F's annual GDP), ``peak_daily_va_loss`` and ``peak_day``, and
``recovery_days`` — days after the stop ends until F's daily value-added loss falls, for good,
below ``recovery_threshold`` (default 1 %) of its peak; missing (``recovered`` False) when it has
not by the last simulated day. Ranked by ``va_loss``; non-tradables are not candidates (as in the
static ranking, :data:`chainatlas.chains.chokepoints.NON_TRADABLE_WIOD`); RoW rows are flagged.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.chains._labels import mr_labels, resolve_economy, rest_of_world_mask, sector_names
from chainatlas.errors import InputError, ScenarioError, check_option
from chainatlas.io.table import IOTable
from chainatlas.kernels import ario as K
from chainatlas.resilience.dynamic import (
    PreparedARIO,
    ProgressCallback,
    kernel_params,
    prepare_ario,
)
from chainatlas.resilience.scenarios import MAX_SIMULATE_DAYS, ARIOParameters
from chainatlas.validation import validate_params

__all__ = ["dynamic_chokepoints", "recovery_days"]


def recovery_days(loss: np.ndarray, end: int, threshold: float) -> np.ndarray:
    """Days after `end` until each loss series (k, T) stays below `threshold` × its peak.

    Gains (negative losses, e.g. restocking after the stop) count as recovered. NaN: the loss is
    still above the threshold on the last day.

    Examples
    --------
    >>> recovery_days(np.array([[0, 5, 10, 4, 0.05, -1.0]]), 3, 0.01).tolist()
    [1.0]
    >>> recovery_days(np.array([[0, 5, 10, 4, 3.0, 2.0]]), 3, 0.01).tolist()
    [nan]
    """
    peak = loss.max(axis=1, keepdims=True)
    above = loss >= threshold * np.where(peak > 0, peak, np.inf)
    T = loss.shape[1]
    last = np.where(above.any(axis=1), T - 1 - np.argmax(above[:, ::-1], axis=1), -1)
    out = np.maximum(last + 1 - end, 0).astype(float)
    out[last >= T - 1] = np.nan
    return out


def _candidate(prep: PreparedARIO, lab: object, c: Sequence[str]) -> int:
    from chainatlas.chains._labels import check_label

    e, s = check_label(lab, str(c[0]), str(c[1]))  # type: ignore[arg-type]
    return int(prep.table.labels.get_loc((e, s)))


def _candidates(
    prep: PreparedARIO, focus: str, non_tradables: Sequence[str] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate rows, their annual flows to the focus economy, and zero-flow rows left out."""
    from chainatlas.chains.chokepoints import _non_tradable_mask

    t = prep.table
    lab = mr_labels(t)
    f = lab.economies.get_loc(focus)
    nt = _non_tradable_mask(lab, non_tradables)[lab.sector]
    flows = t.Z.to_numpy()[:, lab.region == f].sum(axis=1) + np.clip(
        t.Y.to_numpy()[:, lab.y_region == f].sum(axis=1), 0.0, None
    )
    foreign = (lab.region != f) & ~nt
    return np.flatnonzero(foreign & (flows > 0)), flows, np.flatnonzero(foreign & ~(flows > 0))


@validate_params
def dynamic_chokepoints(
    table: IOTable,
    economy: str = "CHN",
    *,
    stop_days: int = 90,
    start_day: int = 5,
    after_days: int = 45,
    batch: int = 16,
    recovery_threshold: float = 0.01,
    non_tradables: Sequence[str] | None = None,
    rest_of_world: Literal["flag", "exclude"] = "flag",
    candidates: Sequence[tuple[str, str]] | None = None,
    parameters: ARIOParameters | None = None,
    progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """Rank foreign supplier sectors by the focus economy's value-added loss when each stops.

    Parameters
    ----------
    table : IOTable
        Multi-region table (e.g. wiod-2013:2011).
    economy : str
        Focus economy F.
    stop_days, start_day, after_days : int
        Each candidate stops selling to F on days start_day … start_day + stop_days − 1; the run
        lasts start_day + stop_days + after_days days (≤ 3,650).
    batch : int
        Scenarios per kernel call (memory ~ batch × S × n floats per array).
    recovery_threshold : float
        Share of the peak daily loss below which F counts as recovered.
    non_tradables : sequence of str, optional
        Sectors left out (default: the WIOD non-tradables).
    rest_of_world : {"flag", "exclude"}
        RoW candidates flagged (default) or left out.
    candidates : sequence of (economy, sector), optional
        Run these only (default: every foreign tradable economy-sector that sells to F).
    parameters : ARIOParameters, optional
        ARIO parameters (default: BoARIO's, ``negative_final_demand: clip``).
    progress : callable(message, fraction), optional
        Called after every batch.

    Returns
    -------
    DataFrame, index (economy, sector), sorted by ``va_loss``
        ``name_en``, ``name_zh``, ``rank``, ``va_loss``, ``va_loss_pct_gdp``,
        ``peak_daily_va_loss``, ``peak_day``, ``recovery_days``, ``recovered``, ``flow_to_focus``
        (annual, table unit), ``rest_of_world``. ``attrs``: ``no_flows`` (candidates that sell
        nothing to F, not run), ``seconds``, ``days``.

    Raises
    ------
    UnknownCodeError
        Unknown economy or candidate.
    InputError
        Invalid durations or batch.
    """
    check_option("rest_of_world", rest_of_world, ("flag", "exclude"))
    for name, v, lo in (("stop_days", stop_days, 1), ("start_day", start_day, 1),
                        ("after_days", after_days, 0), ("batch", batch, 1)):  # fmt: skip
        if isinstance(v, bool) or not isinstance(v, int) or v < lo:
            raise InputError(f"{name} must be a whole number ≥ {lo}", received=v)
    days = start_day + stop_days + after_days
    if days > MAX_SIMULATE_DAYS:
        raise InputError(
            f"the run would last {days} days, over the maximum of {MAX_SIMULATE_DAYS}",
            received=days,
            fix="shorten stop_days or after_days",
        )
    t0 = time.perf_counter()
    p = parameters or ARIOParameters(negative_final_demand="clip")
    prep = prepare_ario(table, p)
    lab = mr_labels(prep.table)
    focus = resolve_economy(lab, economy)
    rows, flows, no_flow = _candidates(prep, focus, non_tradables)
    if candidates is not None:
        rows = np.array([_candidate(prep, lab, c) for c in candidates], dtype=int)
        dry = [tuple(map(str, prep.table.labels[i])) for i in rows if not flows[i] > 0]
        if dry:
            raise ScenarioError(
                f"{dry[0][0]} {dry[0][1]} sells nothing to {focus} in this table: stopping it "
                "would cost nothing for want of flows",
                received=dry[:5],
                fix="drop these candidates",
            )
    is_row = rest_of_world_mask(lab.economies)[lab.region]
    if rest_of_world == "exclude":
        rows = rows[~is_row[rows]]
    fmask = lab.region == lab.economies.get_loc(focus)
    cols = np.array([prep.table.labels.get_loc((focus, s)) for s in lab.sectors])
    Z0 = prep.table.Z.to_numpy(dtype=float)[:, cols] / 365.0
    Yf = np.clip(prep.table.Y.to_numpy()[:, lab.y_region == lab.economies.get_loc(focus)]
                 .sum(axis=1), 0.0, None) / 365.0  # fmt: skip
    X0 = prep.table.x.to_numpy(dtype=float) / 365.0
    va_f = prep.va_coef * fmask
    n, S = prep.table.n, lab.n_sectors
    loss = np.zeros((rows.size, days))
    for b0 in range(0, rows.size, batch):
        idx = rows[b0 : b0 + batch]
        k = idx.size
        delta = np.zeros((k, n, S))
        dy = np.zeros((k, n))
        delta[np.arange(k), idx] = -Z0[idx]
        dy[np.arange(k), idx] = -Yf[idx]
        active = np.zeros((k, days), dtype=bool)
        active[:, start_day : start_day + stop_days] = True
        cut = K.BilateralCut(
            buyer=int(lab.economies.get_loc(focus)), delta=delta,
            delta_den=delta, dy=dy, active=active,
        )  # fmt: skip
        out = K.simulate(prep.arrays, np.zeros((days, n)), params=kernel_params(p), cut=cut)
        loss[b0 : b0 + k] = (X0[None, None, :] - out["production"]) @ va_f
        if progress is not None:
            done = b0 + k
            progress(f"dynamic chokepoints {done}/{rows.size}", done / rows.size)
    x = prep.table.x.to_numpy(dtype=float)
    gdp = float(((x - prep.table.Z.to_numpy().sum(axis=0)) * fmask).sum())
    rec = recovery_days(loss, start_day + stop_days, recovery_threshold)
    index = prep.table.labels[rows]
    df = pd.DataFrame(
        {
            "va_loss": loss.sum(axis=1),
            "va_loss_pct_gdp": 100.0 * loss.sum(axis=1) / gdp,
            "peak_daily_va_loss": loss.max(axis=1),
            "peak_day": loss.argmax(axis=1),
            "recovery_days": rec,
            "recovered": ~np.isnan(rec),
            "flow_to_focus": flows[rows],
            "rest_of_world": is_row[rows],
        },
        index=index,
    )
    df = pd.concat([sector_names(prep.table, index), df], axis=1)
    df = df.sort_values("va_loss", ascending=False, kind="stable")
    df.insert(df.columns.get_loc("va_loss"), "rank", np.arange(1, len(df) + 1))
    df.attrs.update(
        no_flows=[tuple(map(str, prep.table.labels[i])) for i in no_flow],
        seconds=time.perf_counter() - t0,
        days=days,
        focus=focus,
        gdp=gdp,
    )
    return df
