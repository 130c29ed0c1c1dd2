"""Greene et al. (2010) tracking: every event type on hand-built snapshot sequences."""

from __future__ import annotations

import pandas as pd
import pytest

from chainatlas.ecosystems.evolution import EVENTS, track_communities
from chainatlas.errors import InputError, LabelError, NonFiniteError
from chainatlas.pipelines.ecosystems import sankey_figure


def snap(groups: dict[int, str]) -> pd.Series:
    """{community: "abc"} -> Series node -> community."""
    return pd.Series({n: c for c, nodes in groups.items() for n in nodes}, dtype="int64")


def events(evo, kind: str) -> list[dict]:
    return evo.events.loc[evo.events["event"] == kind].to_dict("records")


def test_continuation() -> None:
    evo = track_communities({1: snap({0: "abcde"}), 2: snap({0: "abcde"})})
    (e,) = events(evo, "continuation")
    assert (e["time"], e["dynamic"], sorted(e["members"])) == (2, [0], list("abcde"))
    assert evo.timeline["jaccard"].tolist()[1] == 1.0


def test_expansion_and_contraction() -> None:
    evo = track_communities({1: snap({0: "abcde"}), 2: snap({0: "abcdefg"}), 3: snap({0: "abcde"})})
    assert [e["time"] for e in events(evo, "expansion")] == [2]
    assert [e["time"] for e in events(evo, "contraction")] == [3]
    assert evo.dynamic.loc[0, "max_size"] == 7
    # a small change within the size tolerance is a continuation
    evo2 = track_communities({1: snap({0: "abcdefghij"}), 2: snap({0: "abcdefghijk"})})
    assert evo2.events["event"].tolist() == ["birth", "continuation"]


def test_birth() -> None:
    evo = track_communities({1: snap({0: "abc"}), 2: snap({0: "abc", 1: "xyz"})})
    births = events(evo, "birth")
    assert [(e["time"], e["dynamic"], sorted(e["members"])) for e in births] == [
        (1, [0], ["a", "b", "c"]),
        (2, [1], ["x", "y", "z"]),
    ]


def test_death_after_d_unobserved_steps() -> None:
    seq = {1: snap({0: "abc", 1: "xyz"}), 2: snap({0: "abc"}), 3: snap({0: "abc"})}
    evo1 = track_communities(seq, death_after=1)
    (d,) = events(evo1, "death")
    assert (d["time"], d["dynamic"], sorted(d["members"])) == (2, [1], ["x", "y", "z"])
    evo2 = track_communities(seq, death_after=2)
    assert [e["time"] for e in events(evo2, "death")] == [3]
    evo3 = track_communities(seq, death_after=3)
    assert events(evo3, "death") == []
    assert evo3.dynamic.loc[1, "end"] == ""


def test_revival_before_death() -> None:
    # unobserved at t=2 (not yet dead with d=3), matched again at t=3: no birth, no death
    seq = {1: snap({0: "abc", 1: "xyz"}), 2: snap({0: "abc"}), 3: snap({0: "abc", 1: "xyz"})}
    evo = track_communities(seq, death_after=3)
    assert evo.events["event"].tolist() == [
        "birth",
        "birth",
        "continuation",
        "continuation",
        "continuation",
    ]
    assert evo.dynamic.loc[1, "observations"] == 2


def test_merge() -> None:
    evo = track_communities({1: snap({0: "abcd", 1: "efgh"}), 2: snap({0: "abcdefgh"})})
    (m,) = events(evo, "merge")
    assert (m["time"], m["dynamic"], sorted(m["members"])) == (2, [0, 1], list("abcdefgh"))
    # the absorbed dynamic community ends with a merge, not a death
    assert evo.dynamic["end"].tolist() == ["", "merge"]
    assert events(evo, "death") == []
    # the merged community continues as ONE dynamic community afterwards
    evo2 = track_communities(
        {1: snap({0: "abcd", 1: "efgh"}), 2: snap({0: "abcdefgh"}), 3: snap({0: "abcdefgh"})}
    )
    assert [e["event"] for e in evo2.events.to_dict("records")] == [
        "birth",
        "birth",
        "merge",
        "continuation",
    ]


def test_split() -> None:
    evo = track_communities({1: snap({0: "abcdefgh"}), 2: snap({0: "abcd", 1: "efgh"})})
    (s,) = events(evo, "split")
    assert s["time"] == 2 and s["dynamic"] == [0, 1]
    assert sorted(s["members"]) == list("abcdefgh")
    assert evo.dynamic.loc[1, "parent"] == 0
    assert events(evo, "birth")[-1]["time"] == 1  # the branch is not a birth


def test_theta_decides_match() -> None:
    # J = 2/6 = 0.33: a match at θ = 0.3, a death + birth at θ = 0.5
    seq = {1: snap({0: "abcd"}), 2: snap({0: "abxy"})}
    assert track_communities(seq, theta=0.3).events["event"].tolist()[-1] == "continuation"
    evo = track_communities(seq, theta=0.5, death_after=1)
    assert sorted(evo.events["event"].tolist()) == ["birth", "birth", "death"]


def test_empty_snapshot_is_an_observation_with_no_communities() -> None:
    empty = pd.Series([], dtype="int64")
    seq = {1: snap({0: "abc"}), 2: empty, 3: snap({0: "abc"})}
    evo = track_communities(seq, death_after=2)
    assert evo.events["event"].tolist() == ["birth", "continuation"]
    evo1 = track_communities(seq, death_after=1)
    assert evo1.events["event"].tolist() == ["birth", "death", "birth"]
    counts = evo1.event_counts()
    assert list(counts.columns) == list(EVENTS) and counts.loc[2, "death"] == 1


def test_min_size_ignores_small_communities() -> None:
    evo = track_communities({1: snap({0: "abc", 1: "z"}), 2: snap({0: "abc", 1: "z"})}, min_size=2)
    assert evo.events["event"].tolist() == ["birth", "continuation"]


def test_bad_input() -> None:
    dup = pd.Series([0, 1], index=["a", "a"])
    with pytest.raises(LabelError, match="lists a node more than once"):
        track_communities({1: dup})
    with pytest.raises(NonFiniteError, match="without a community"):
        track_communities({1: pd.Series([0.0, None], index=["a", "b"])})
    with pytest.raises(InputError, match="theta must be in"):
        track_communities({1: snap({0: "ab"})}, theta=0)
    with pytest.raises(InputError, match="no snapshots"):
        track_communities({})
    with pytest.raises(InputError, match="not a pandas Series"):
        track_communities({1: {"a": 0}})  # type: ignore[dict-item]


def test_sankey_links_are_intersections() -> None:
    evo = track_communities({1: snap({0: "abcd", 1: "efgh"}), 2: snap({0: "abcdef", 1: "gh"})})
    fig = sankey_figure(evo)
    link = fig.data[0].link
    flows = sorted(zip(link.source, link.target, link.value, strict=True))
    # 1·C0 -> 2·C0: abcd (4); 1·C1 -> 2·C0: ef (2); 1·C1 -> 2·C1: gh (2)
    assert flows == [(0, 2, 4), (1, 2, 2), (1, 3, 2)]
