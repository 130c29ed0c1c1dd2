"""Community evolution (群落演化): dynamic community tracking after Greene, Doyle & Cunningham (2010).

Greene, D., Doyle, D. and Cunningham, P. (2010), *Tracking the evolution of communities in dynamic
social networks*, Proc. ASONAM 2010, 176–183.

Each snapshot t has its *step communities* (a membership Series node → community). A *dynamic
community* is a sequence of step communities; its *front* is its most recent step community. At
each step the step communities are matched to the fronts of the live dynamic communities by the
Jaccard similarity ``J(F, C) = |F ∩ C| / |F ∪ C|`` and a match is a pair with ``J ≥ θ``
(default **θ = 0.3**, the value Greene et al. report as working well on their benchmarks).

Events (事件) emitted at time step t, each with the step communities and members involved:

==============  ==================================================================================
birth (诞生)      a step community matches no front: a new dynamic community starts.
death (消亡)      a dynamic community has matched nothing for ``death_after`` consecutive steps
                 (Greene's d; default 3) — reported at the step where that count is reached.
merge (合并)      two or more dynamic communities have the same step community as best match: it
                 continues the one with the highest Jaccard (ties: the oldest); the others end.
split (分裂)      a dynamic community matches two or more step communities; the best match
                 continues it, each other match that is no dynamic community's best match starts a
                 new dynamic community whose ``parent`` is the split one.
expansion (扩张)  one-to-one continuation with ``|C| > (1 + size_tolerance) · |F|``.
contraction (收缩) one-to-one continuation with ``|C| < (1 − size_tolerance) · |F|``.
continuation (延续) any other one-to-one continuation.
==============  ==================================================================================

Difference from Greene et al.: their matching lets one step community extend several dynamic
communities at once; here the best-matching dynamic community continues and the others end with a
``merge`` event, so every step community continues at most one dynamic community and a merged
pair is not reported as merging again at every later step. The first snapshot's communities are
births. An empty snapshot (no nodes) is allowed: nothing is matched at that step.

Examples
--------
>>> import pandas as pd
>>> s1 = pd.Series([0, 0, 0, 1, 1, 1], index=list("abcdef"))
>>> s2 = pd.Series([0, 0, 0, 0, 0, 0], index=list("abcdef"))
>>> ev = track_communities({2001: s1, 2002: s2})
>>> ev.events[["time", "event", "dynamic"]].values.tolist()
[[2001, 'birth', [0]], [2001, 'birth', [1]], [2002, 'merge', [0, 1]]]
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from chainatlas.errors import InputError, LabelError, NonFiniteError
from chainatlas.kernels import networks as kn

__all__ = ["Evolution", "track_communities", "EVENTS"]

EVENTS = ("birth", "death", "merge", "split", "expansion", "contraction", "continuation")


@dataclass(frozen=True, eq=False)
class Evolution:
    """Result of dynamic community tracking.

    Attributes
    ----------
    events : DataFrame
        One row per event: ``time``, ``event``, ``dynamic`` (ids of the dynamic communities
        involved), ``communities`` (step-community ids at ``time``; for a death, the last front),
        ``size`` and ``members`` (node ids).
    timeline : DataFrame
        One row per (dynamic community, time observed): ``dynamic``, ``time``, ``community``,
        ``size``, ``jaccard`` (with the previous front; NaN at birth).
    dynamic : DataFrame
        One row per dynamic community: ``born``, ``last_seen``, ``end`` ("death", "merge" or
        ""), ``ended_at``, ``parent`` (split origin or -1), ``max_size``, ``observations``.
    times : tuple
        The snapshot time labels, in order.
    theta, death_after, size_tolerance : float, int, float
        Parameters used.
    memberships : tuple of Series
        The input step memberships (for the alluvial figure).
    """

    events: pd.DataFrame
    timeline: pd.DataFrame
    dynamic: pd.DataFrame
    times: tuple[Hashable, ...]
    theta: float
    death_after: int
    size_tolerance: float
    memberships: tuple[pd.Series, ...]

    def event_counts(self) -> pd.DataFrame:
        """Count of each event type per time step (time × event), all seven types as columns."""
        c = pd.crosstab(self.events["time"], self.events["event"])
        c = c.reindex(index=list(self.times), columns=list(EVENTS), fill_value=0)
        c.index.name = "time"
        c.columns.name = None
        return c


def _check_membership(t: Hashable, m: pd.Series) -> None:
    if not isinstance(m, pd.Series):
        raise InputError(
            f"snapshot {t!r} is not a pandas Series (node → community)",
            received=type(m).__name__,
            fix="pass {time: Series indexed by node id with community ids as values}",
        )
    if m.index.has_duplicates:
        raise LabelError(
            f"snapshot {t!r} lists a node more than once",
            received=list(m.index[m.index.duplicated()][:5]),
            fix="each node belongs to one community per snapshot",
        )
    if m.isna().any():
        raise NonFiniteError(
            f"snapshot {t!r} has {int(m.isna().sum())} node(s) without a community",
            received=list(m.index[m.isna()][:5]),
            fix="drop those nodes or assign them a community",
        )


def track_communities(
    snapshots: Mapping[Hashable, pd.Series],
    *,
    theta: float = 0.3,
    death_after: int = 3,
    size_tolerance: float = 0.1,
    min_size: int = 1,
) -> Evolution:
    """Track communities across snapshots (Greene, Doyle & Cunningham 2010).

    Parameters
    ----------
    snapshots : mapping time → Series
        In time order; each Series maps node id → step-community id (any hashable). Node ids are
        matched across snapshots by equality.
    theta : float
        Jaccard matching threshold θ in (0, 1]; default 0.3 (Greene et al. 2010).
    death_after : int
        Steps without a match after which a dynamic community dies (≥ 1; default 3).
    size_tolerance : float
        Relative size change separating expansion / contraction from continuation (default 0.1).
    min_size : int
        Step communities smaller than this are left out before matching (e.g. ``2`` ignores the
        singletons Leiden gives isolated nodes); they are neither born nor matched.

    Returns
    -------
    Evolution

    Raises
    ------
    InputError
        No snapshots, or parameters out of range.
    LabelError, NonFiniteError
        A snapshot lists a node twice or has nodes without a community.
    """
    _check_tracking_options(theta, death_after, size_tolerance)
    times = tuple(snapshots)
    if not times:
        raise InputError("no snapshots given", fix="pass at least one {time: membership}")
    for t in times:
        _check_membership(t, snapshots[t])
    if min_size > 1:
        snapshots = {t: m[m.map(m.value_counts()) >= min_size] for t, m in snapshots.items()}
    tracker = _Tracker(snapshots, times, theta, death_after, size_tolerance)
    for ti in range(len(times)):
        tracker.step(ti)
    ev, tl, dyn = tracker.frames()
    return Evolution(
        events=ev,
        timeline=tl,
        dynamic=dyn,
        times=times,
        theta=theta,
        death_after=death_after,
        size_tolerance=size_tolerance,
        memberships=tuple(snapshots[t] for t in times),
    )


def _check_tracking_options(theta: float, death_after: int, size_tolerance: float) -> None:
    if not 0 < theta <= 1:
        raise InputError("theta must be in (0, 1]", received=theta, fix="e.g. theta=0.3")
    if death_after < 1:
        raise InputError("death_after must be ≥ 1", received=death_after)
    if size_tolerance < 0:
        raise InputError("size_tolerance must be ≥ 0", received=size_tolerance)


@dataclass
class _Matches:
    """Jaccard matches (≥ θ) between the live dynamic communities and one step's communities."""

    best: dict[int, tuple[int, float]]  # dynamic → (best community, J)
    of_d: dict[int, list[int]]  # dynamic → matched communities
    of_c: dict[int, list[tuple[int, float]]]  # community → (dynamic, J)
    claimants: dict[int, list[tuple[int, float]]]  # community → dynamics whose best it is


class _Tracker:
    """State of the Greene et al. (2010) tracking: fronts, ages, events and the timeline."""

    def __init__(
        self,
        snapshots: Mapping[Hashable, pd.Series],
        times: tuple[Hashable, ...],
        theta: float,
        death_after: int,
        size_tolerance: float,
    ) -> None:
        self.times = times
        self.theta = theta
        self.death_after = death_after
        self.size_tolerance = size_tolerance
        self.all_nodes = pd.Index(
            pd.unique(np.concatenate([np.asarray(snapshots[t].index, dtype=object) for t in times]))
        )
        n = len(self.all_nodes)
        self.steps: list[tuple[sp.csc_matrix, np.ndarray, list[Hashable]]] = []
        for t in times:
            m = snapshots[t]
            codes, uniq = pd.factorize(m.to_numpy(), sort=True)
            pos = self.all_nodes.get_indexer(m.index)
            vec = np.full(n, -1, dtype=np.int64)
            vec[pos] = codes
            S = kn.indicator_matrix(vec, len(uniq))
            self.steps.append((S, np.asarray(S.sum(axis=0)).ravel().astype(np.int64), list(uniq)))
        self.front: list[tuple[int, int]] = []  # (time index, step-community index)
        self.missing: list[int] = []
        self.alive: list[bool] = []
        self.dyn_rows: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.timeline: list[dict[str, Any]] = []

    def members(self, ti: int, c: int) -> list[Any]:
        S = self.steps[ti][0]
        return self.all_nodes[S.indices[S.indptr[c] : S.indptr[c + 1]]].tolist()

    def new_dynamic(self, ti: int, c: int, parent: int) -> int:
        d = len(self.front)
        self.front.append((ti, c))
        self.missing.append(0)
        self.alive.append(True)
        size = int(self.steps[ti][1][c])
        self.dyn_rows.append(
            {
                "born": self.times[ti],
                "last_seen": self.times[ti],
                "end": "",
                "ended_at": None,
                "parent": parent,
                "max_size": size,
                "observations": 1,
            }
        )
        self.timeline.append(
            {
                "dynamic": d,
                "time": self.times[ti],
                "community": self.steps[ti][2][c],
                "size": size,
                "jaccard": np.nan,
            }
        )
        return d

    def event(self, ti: int, kind: str, dyn: list[int], comms: list[tuple[int, int]]) -> None:
        mem: list[Any] = []
        for tj, c in comms:
            mem.extend(self.members(tj, c))
        self.events.append(
            {
                "time": self.times[ti],
                "event": kind,
                "dynamic": sorted(dyn),
                "communities": [self.steps[tj][2][c] for tj, c in comms],
                "size": len(mem),
                "members": mem,
            }
        )

    def size_event(self, old: float, new: float) -> str:
        """Expansion, contraction or continuation by the relative size change."""
        if new > (1 + self.size_tolerance) * old:
            return "expansion"
        if new < (1 - self.size_tolerance) * old:
            return "contraction"
        return "continuation"

    def match(self, ti: int, live: list[int]) -> _Matches:
        S = self.steps[ti][0]
        if live and S.shape[1]:
            F = sp.hstack(
                [self.steps[self.front[d][0]][0][:, [self.front[d][1]]] for d in live],
                format="csc",
            )
            fi, ci, J = kn.jaccard_overlap(F, S)
            ok = J >= self.theta
            fi, ci, J = fi[ok], ci[ok], J[ok]
            di = np.asarray(live, dtype=np.int64)[fi]
        else:
            di = ci = np.zeros(0, dtype=np.int64)
            J = np.zeros(0)
        # best match of each dynamic community (highest J, ties: smallest community index)
        m = _Matches(best={}, of_d={}, of_c={}, claimants={})
        for d, c, j in zip(di.tolist(), ci.tolist(), J.tolist(), strict=True):
            m.of_d.setdefault(d, []).append(c)
            m.of_c.setdefault(c, []).append((d, j))
            if d not in m.best or j > m.best[d][1]:
                m.best[d] = (c, j)
        for d, (c, j) in m.best.items():
            m.claimants.setdefault(c, []).append((d, j))
        return m

    def continue_or_merge(
        self, ti: int, m: _Matches, prev_front: dict[int, tuple[int, int]], split_dyn: set[int]
    ) -> None:
        sizes = self.steps[ti][1]
        for c in sorted(m.claimants):
            cl = sorted(m.claimants[c], key=lambda x: (-x[1], x[0]))
            winner, jw = cl[0]
            self.front[winner] = (ti, c)
            self.missing[winner] = 0
            row = self.dyn_rows[winner]
            row["last_seen"] = self.times[ti]
            row["max_size"] = max(row["max_size"], int(sizes[c]))
            row["observations"] += 1
            self.timeline.append(
                {
                    "dynamic": winner,
                    "time": self.times[ti],
                    "community": self.steps[ti][2][c],
                    "size": int(sizes[c]),
                    "jaccard": jw,
                }
            )
            if len(cl) >= 2:
                for d, _ in cl[1:]:
                    self.end(d, ti, "merge")
                self.event(ti, "merge", [d for d, _ in cl], [(ti, c)])
            elif winner not in split_dyn:
                pt, pc = prev_front[winner]
                kind = self.size_event(self.steps[pt][1][pc], sizes[c])
                self.event(ti, kind, [winner], [(ti, c)])

    def splits(
        self, ti: int, m: _Matches, prev_front: dict[int, tuple[int, int]], split_dyn: set[int]
    ) -> None:
        """Matches that are nobody's best start new dynamic communities."""
        for d in sorted(split_dyn):
            branches = [m.best[d][0]]
            new_ids = []
            for c in sorted(m.of_d[d]):
                if c == m.best[d][0] or c in m.claimants:
                    continue
                parent = sorted(m.of_c[c], key=lambda x: (-x[1], x[0]))[0][0]
                if parent != d:
                    continue
                new_ids.append(self.new_dynamic(ti, c, d))
                m.claimants[c] = [(new_ids[-1], 1.0)]
                branches.append(c)
            if new_ids:
                self.event(ti, "split", [d, *new_ids], [(ti, c) for c in branches])
            elif d in m.best and len(m.claimants.get(m.best[d][0], [])) == 1:
                # all extra matches continue other dynamic communities: d itself continues
                pt, pc = prev_front[d]
                c = m.best[d][0]
                kind = self.size_event(self.steps[pt][1][pc], self.steps[ti][1][c])
                self.event(ti, kind, [d], [(ti, c)])

    def end(self, d: int, ti: int, how: str) -> None:
        self.alive[d] = False
        self.dyn_rows[d]["end"] = how
        self.dyn_rows[d]["ended_at"] = self.times[ti]

    def step(self, ti: int) -> None:
        """Match one snapshot to the live dynamic communities and record the events."""
        live = [d for d in range(len(self.front)) if self.alive[d]]
        m = self.match(ti, live)
        prev_front = {d: self.front[d] for d in live}
        split_dyn = {d for d, cs in m.of_d.items() if len(cs) >= 2}
        self.continue_or_merge(ti, m, prev_front, split_dyn)
        self.splits(ti, m, prev_front, split_dyn)
        for c in range(self.steps[ti][0].shape[1]):  # births
            if c not in m.of_c:
                d = self.new_dynamic(ti, c, -1)
                self.event(ti, "birth", [d], [(ti, c)])
        for d in live:  # deaths
            if d in m.best or not self.alive[d]:
                continue
            self.missing[d] += 1
            if self.missing[d] >= self.death_after:
                self.end(d, ti, "death")
                self.event(ti, "death", [d], [self.front[d]])

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Events, timeline and dynamic-community tables, in time order."""
        ev = pd.DataFrame(
            self.events, columns=["time", "event", "dynamic", "communities", "size", "members"]
        )
        order = {t: i for i, t in enumerate(self.times)}
        kind_order = {k: i for i, k in enumerate(("birth", *EVENTS[1:]))}
        if len(ev):
            ev = (
                ev.assign(
                    _t=ev["time"].map(order),
                    _k=ev["event"].map(kind_order),
                    _d=ev["dynamic"].map(min),
                )
                .sort_values(["_t", "_d", "_k"], kind="stable")
                .drop(columns=["_t", "_k", "_d"])
                .reset_index(drop=True)
            )
        tl = pd.DataFrame(
            self.timeline, columns=["dynamic", "time", "community", "size", "jaccard"]
        )
        tl = (
            tl.assign(_t=tl["time"].map(order))
            .sort_values(["dynamic", "_t"])
            .drop(columns="_t")
            .reset_index(drop=True)
        )
        dyn = pd.DataFrame(self.dyn_rows)
        dyn.index.name = "dynamic"
        return ev, tl, dyn
