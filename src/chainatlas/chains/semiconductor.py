"""Firm-level chokepoints in the semiconductor chain (半导体产业链卡脖子与链主分析).

Data: CSET ETO Advanced Semiconductor Supply Chain (``eto-semiconductor``), CC BY-NC 4.0 —
non-commercial use only. Every result carries :data:`LICENCE_NOTE`.

The chain graph (directed, built with igraph) has one node per input (``N…``) and per stage
(``S…``). Edges, and how a disruption propagates along them:

* ``goes_into`` A → B (``sequence.csv``): B uses A; losing A hurts B and everything downstream;
* ``is_type_of`` A → B (``sequence.csv``): A is a kind of B (EUV scanners → advanced
  photolithography equipment); losing A removes part of B's supply, so it propagates to B and
  B's downstream. It does not propagate from B to its other kinds;
* ``part_of`` P → S: a process input P belongs to stage S (``inputs.csv`` stage_id).

Downstream reach of a node = its descendants (inputs and stages) in this graph, itself excluded. A
stage provider (e.g. a foundry providing "Fabrication") is treated as providing the stage's
processes: a stage's reach is the union of its processes and their descendants. The data have no
edge from design to fabrication, so design's reach stays inside design.

Shares. Market shares come as country rows (most inputs) or, for a few inputs, firm rows.

* Country shares of an input: the country rows' shares when given; otherwise firm shares summed
  by the firm's country; otherwise unknown (NaN). "Various" is an unattributed remainder: it stays
  in the denominator and adds nothing to HHI (many small suppliers). Shares are divided by their
  sum (the source rounds them; sums are 0.99–1.04, shown as ``share_sum``). Negligible providers
  count 0.
* Firm shares of an input (``firm_basis``): ``"given"`` when the source gives firm shares;
  ``"country split"`` when only country shares are given — each country's share split equally
  among its non-negligible firms for that input (a country share with no listed firm stays
  unattributed); ``"equal"`` when no shares are given — equal shares among non-negligible firms.
  The basis is shown beside every firm-level figure.

Chokepoint score of an input = weighted geometric mean of max-normalised (firm HHI, country
HHI, downstream reach) (:func:`chainatlas.kernels.mrio.chokepoint_score`), equal weights.
Chain leader score of a provider p = Σ_i s_pi (1 + reach_i): firm shares weighted by the
downstream reach of what they supply (the input itself counted once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, UnknownCodeError, suggest
from chainatlas.kernels import mrio
from chainatlas.provenance import Provenance

__all__ = [
    "SemiconductorChain",
    "LICENCE_NOTE",
    "chain_graph",
    "downstream_reach",
    "input_concentration",
    "chokepoint_inputs",
    "country_stop_scenario",
    "chain_leaders",
    "input_names_zh",
    "country_names_zh",
]

LICENCE_NOTE = (
    "ETO Advanced Semiconductor Supply Chain data (CSET, Georgetown): CC BY-NC 4.0 — "
    "non-commercial use only / 仅限非商业用途"
)
VARIOUS = "Various"


@dataclass(frozen=True, eq=False)
class SemiconductorChain:
    """The ETO semiconductor supply-chain tables (immutable container).

    Attributes
    ----------
    inputs, stages, providers, provision, sequence : DataFrame
        The CSV files; ``provision`` has parsed ``share`` (fraction, NaN when not given) and
        ``negligible`` (bool).
    provenance : Provenance
    """

    inputs: pd.DataFrame
    stages: pd.DataFrame
    providers: pd.DataFrame
    provision: pd.DataFrame
    sequence: pd.DataFrame
    provenance: Provenance

    licence_note: str = LICENCE_NOTE
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def _cached(self, key: str, fn: Any) -> Any:
        """Memoise a derived table on this (immutable) container; callers get a copy."""
        if key not in self._memo:
            self._memo[key] = fn()
        val = self._memo[key]
        return val.copy() if hasattr(val, "copy") else val

    @cached_property
    def names(self) -> pd.Series:
        """Name of every input and stage, by id."""
        a = self.inputs.set_index("input_id")["input_name"]
        b = self.stages.set_index("stage_id")["stage_name"]
        return pd.concat([a, b]).rename("name")

    @cached_property
    def kinds(self) -> pd.Series:
        """Node kind: the input ``type`` (process, tool_resource, ...) or ``stage``."""
        a = self.inputs.set_index("input_id")["type"]
        b = pd.Series("stage", index=self.stages["stage_id"])
        return pd.concat([a, b]).rename("kind")

    @cached_property
    def supply(self) -> pd.DataFrame:
        """Provision rows joined with provider type and country (organisations' own country;
        a country provider's own code)."""
        p = self.provision.merge(
            self.providers[["provider_id", "provider_type", "country"]],
            on="provider_id",
            how="left",
        )
        p["country"] = np.where(p["provider_type"] == "country", p["provider_name"], p["country"])
        return p

    def __repr__(self) -> str:
        return (
            f"SemiconductorChain({len(self.inputs)} inputs, {len(self.stages)} stages, "
            f"{len(self.providers)} providers, {len(self.provision)} provision rows; {LICENCE_NOTE})"
        )


# ---------------------------------------------------------------------------- graph and reach
def chain_graph(chain: SemiconductorChain) -> Any:
    """The directed chain graph (igraph.Graph) with vertex attributes ``name``, ``label``, ``kind``
    and edge attribute ``kind`` (goes_into, is_type_of, part_of).

    Raises
    ------
    InputError
        If an edge names an id that is neither an input nor a stage.
    """
    import igraph as ig

    ids = list(chain.names.index)
    pos = {v: i for i, v in enumerate(ids)}
    edges: list[tuple[int, int]] = []
    kinds: list[str] = []
    seq = chain.sequence
    for col, kind in [("goes_into_id", "goes_into"), ("is_type_of_id", "is_type_of")]:
        sub = seq[seq[col].notna()]
        for a, b in zip(sub["input_id"], sub[col], strict=True):
            if a not in pos or b not in pos:
                raise InputError(
                    "sequence.csv names an unknown input id",
                    received=[a, b],
                    fix="check the sequence file against inputs.csv",
                )
            edges.append((pos[a], pos[b]))
            kinds.append(kind)
    procs = chain.inputs[chain.inputs["stage_id"].notna()]
    for a, s in zip(procs["input_id"], procs["stage_id"], strict=True):
        edges.append((pos[a], pos[s]))
        kinds.append("part_of")
    g = ig.Graph(n=len(ids), edges=edges, directed=True)
    g.vs["name"] = ids
    g.vs["label"] = [str(chain.names[i]) for i in ids]
    g.vs["kind"] = [str(chain.kinds[i]) for i in ids]
    g.es["kind"] = kinds
    return g


def _descendants(chain: SemiconductorChain) -> dict[str, set[str]]:
    return chain._cached("descendants", lambda: _descendants_uncached(chain))


def _descendants_uncached(chain: SemiconductorChain) -> dict[str, set[str]]:
    g = chain_graph(chain)
    names = g.vs["name"]
    out = {
        names[v]: {names[u] for u in g.subcomponent(v, mode="out")} - {names[v]}
        for v in range(g.vcount())
    }
    procs = chain.inputs[chain.inputs["stage_id"].notna()]
    for s in chain.stages["stage_id"]:
        members = set(procs.loc[procs["stage_id"] == s, "input_id"])
        reach: set[str] = set(members)
        for m in members:
            reach |= out[m]
        out[s] = reach - {s}
    return out


def downstream_reach(chain: SemiconductorChain) -> pd.DataFrame:
    """Downstream reach of every input and stage through the value chain (see module docs).

    Returns
    -------
    DataFrame, index = input/stage id
        ``name``, ``kind``, ``reach_inputs`` (number of downstream inputs), ``reach_stages``
        (number of downstream stages), ``reach`` (their sum) and ``downstream`` (the ids, sorted).
    """
    return chain._cached("reach", lambda: _reach_uncached(chain))


def _reach_uncached(chain: SemiconductorChain) -> pd.DataFrame:
    desc = _descendants(chain)
    kinds = chain.kinds.to_dict()
    names = chain.names.to_dict()
    rows = []
    for node, d in desc.items():
        n_st = sum(1 for u in d if kinds[u] == "stage")
        rows.append(
            {
                "id": node,
                "name": names[node],
                "kind": kinds[node],
                "reach_inputs": len(d) - n_st,
                "reach_stages": n_st,
                "reach": len(d),
                "downstream": sorted(d, key=lambda u: (u[0], int(u[1:]) if u[1:].isdigit() else 0)),
            }
        )
    return pd.DataFrame(rows).set_index("id")


# ---------------------------------------------------------------------------- shares
def _country_shares(chain: SemiconductorChain) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """(item × country) share table (fractions summing to 1 per item), basis, raw sum."""
    return chain._cached("country_shares", lambda: _country_shares_uncached(chain))


def _country_shares_uncached(
    chain: SemiconductorChain,
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    sup = chain.supply
    rows = []
    basis = {}
    raw = {}
    for item, grp in sup.groupby("provided_id", sort=False):
        c = grp[grp["provider_type"] == "country"]
        c_sh = c["share"].where(~c["negligible"], 0.0)
        f = grp[grp["provider_type"] != "country"]
        f_sh = f["share"].where(~f["negligible"], 0.0)
        if c_sh.notna().any() and c_sh.sum() > 0:
            s = c_sh.fillna(0.0).groupby(c["country"]).sum()
            basis[item] = "country shares"
        elif f_sh.notna().any() and f_sh.sum() > 0:
            s = f_sh.fillna(0.0).groupby(f["country"].fillna(VARIOUS)).sum()
            basis[item] = "firm shares by country"
        else:
            basis[item] = "not given"
            raw[item] = np.nan
            continue
        raw[item] = float(s.sum())
        for ctry, v in (s / s.sum()).items():
            rows.append((item, ctry, v))
    tab = pd.DataFrame(rows, columns=["id", "country", "share"])
    wide = tab.pivot_table(
        index="id", columns="country", values="share", aggfunc="sum", fill_value=0.0
    )
    return wide, pd.Series(basis, name="country_basis"), pd.Series(raw, name="share_sum")


def firm_shares(chain: SemiconductorChain) -> pd.DataFrame:
    """Firm (organisation) shares of every input and stage, with their basis (module docs).

    Returns
    -------
    DataFrame, one row per (id, provider)
        ``id``, ``provider_id``, ``provider_name``, ``country``, ``share`` (fraction),
        ``firm_basis`` ("given", "country split" or "equal").
    """
    return chain._cached("firm_shares", lambda: _firm_shares_uncached(chain))


def _firm_shares_uncached(chain: SemiconductorChain) -> pd.DataFrame:
    sup = chain.supply
    wide, cbasis, _ = _country_shares(chain)
    out = []
    for item, grp in sup.groupby("provided_id", sort=False):
        f = grp[grp["provider_type"] != "country"].drop_duplicates("provider_id").copy()
        if f.empty:
            continue
        active = ~f["negligible"]
        if f["share"].notna().any() and f["share"].fillna(0).sum() > 0:
            f["value"] = f["share"].fillna(0.0).where(active, 0.0)
            f["value"] = f["value"] / f["value"].sum()
            basis = "given"
        elif cbasis.get(item) == "country shares" and item in wide.index:
            cs = wide.loc[item]
            n_by_c = f[active].groupby("country").size()
            f["value"] = [
                float(cs.get(c, 0.0)) / n_by_c[c] if a and c in n_by_c.index else 0.0
                for c, a in zip(f["country"], active, strict=True)
            ]
            basis = "country split"
        else:
            k = int(active.sum())
            f["value"] = np.where(active, 1.0 / k, 0.0) if k else 0.0
            basis = "equal"
        f["firm_basis"] = basis
        f["id"] = item
        out.append(f[["id", "provider_id", "provider_name", "country", "value", "firm_basis"]])
    df = pd.concat(out, ignore_index=True).rename(columns={"value": "share"})
    return df


def input_concentration(chain: SemiconductorChain) -> pd.DataFrame:
    """Per input (and stage): providers, firm HHI and top-1 share, country concentration, reach.

    Returns
    -------
    DataFrame, index = input/stage id
        ``name``, ``kind``; ``n_providers`` (organisations), ``n_significant`` (not negligible);
        ``firm_hhi``, ``top_firm``, ``top_firm_share`` with ``firm_basis``; ``n_countries``,
        ``country_hhi``, ``top_country``, ``top_country_share`` with ``country_basis`` and
        ``share_sum`` (raw sum of the source's rounded shares); ``reach_inputs``,
        ``reach_stages``, ``reach``. Shares and HHI are fractions (0–1).
    """
    sup = chain.supply
    orgs = sup[sup["provider_type"] != "country"]
    n_prov = orgs.groupby("provided_id")["provider_id"].nunique()
    n_sig = orgs[~orgs["negligible"]].groupby("provided_id")["provider_id"].nunique()
    fs = firm_shares(chain)
    g = fs.groupby("id")
    firm_hhi = g["share"].apply(lambda s: float((s**2).sum()))
    top_idx = fs.loc[fs.groupby("id")["share"].idxmax()].set_index("id")
    wide, cbasis, raw = _country_shares(chain)
    named = wide.drop(columns=[VARIOUS], errors="ignore")
    reach = downstream_reach(chain)
    df = reach[["name", "kind"]].copy()
    df["n_providers"] = n_prov.reindex(df.index).fillna(0).astype(int)
    df["n_significant"] = n_sig.reindex(df.index).fillna(0).astype(int)
    df["firm_hhi"] = firm_hhi.reindex(df.index)
    df["top_firm"] = top_idx["provider_name"].reindex(df.index)
    df["top_firm_share"] = top_idx["share"].reindex(df.index)
    df["firm_basis"] = top_idx["firm_basis"].reindex(df.index)
    df["n_countries"] = (named > 0).sum(axis=1).reindex(df.index)
    df["country_hhi"] = (named**2).sum(axis=1).reindex(df.index)
    df["top_country"] = named.idxmax(axis=1).reindex(df.index)
    df["top_country_share"] = named.max(axis=1).reindex(df.index)
    df["country_basis"] = cbasis.reindex(df.index).fillna("not given")
    df["share_sum"] = raw.reindex(df.index)
    df[["reach_inputs", "reach_stages", "reach"]] = reach[["reach_inputs", "reach_stages", "reach"]]
    return df


def chokepoint_inputs(
    chain: SemiconductorChain, *, weights: tuple[float, float, float] = (1 / 3, 1 / 3, 1 / 3)
) -> pd.DataFrame:
    """Chokepoint ranking of inputs (the finished chip and stages excluded).

    score = Π_k (c_k / max c_k)^{w_k} over c = (firm_hhi, country_hhi, reach); an input with an
    unknown concentration scores 0 and is listed last. Columns as
    :func:`input_concentration`, plus ``score`` and ``rank``.

    Raises
    ------
    InputError
        Invalid weights.
    """
    w = np.asarray(weights, dtype=float)
    if w.shape != (3,) or (w < 0).any() or not np.isclose(w.sum(), 1.0):
        raise InputError(
            "weights must be three non-negative numbers summing to 1",
            received=weights,
            fix="weights for (firm_hhi, country_hhi, reach)",
        )
    df = input_concentration(chain)
    df = df[~df["kind"].isin(["stage", "ultimate_output"])].copy()
    comps = df[["firm_hhi", "country_hhi", "reach"]].to_numpy(dtype=float).T
    score, _ = mrio.chokepoint_score(comps, w)
    df.insert(0, "score", score)
    df = df.sort_values(["score", "reach"], ascending=False, kind="stable")
    df.insert(1, "rank", np.arange(1, len(df) + 1))
    return df


def _countries(chain: SemiconductorChain) -> list[str]:
    sup = chain.supply
    return sorted({str(c) for c in sup["country"].dropna()} - {VARIOUS})


def input_names_zh() -> pd.Series:
    """Chinese names of the ETO inputs and stages (id → 中文名), shipped with the package.

    Translations by chainatlas (standard Chinese semiconductor terms), not part of the CSET data.
    """
    from importlib import resources

    path = resources.files("chainatlas.chains").joinpath("data/eto_names_zh.csv")
    with path.open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str).set_index("id")["name_zh"]


#: ETO country codes that are not ISO 3166-1 alpha-3 (for names only)
_ISO_FIX = {"MAL": "MYS"}


def country_names_zh(codes: Any) -> list[str]:
    """Chinese names of provider countries and regions (国家/地区); TWN is 中国台湾."""
    from chainatlas.geo import country_labels

    return country_labels([_ISO_FIX.get(str(c), str(c)) for c in codes], "zh")


def _coalition(chain: SemiconductorChain, country: str | Sequence[str]) -> list[str]:
    codes = _countries(chain)
    items = [country] if isinstance(country, str) else list(country)
    out: list[str] = []
    for c in items:
        key = c if c in codes else str(c).upper()
        if key not in codes:
            raise UnknownCodeError(
                f"unknown provider country {c!r}",
                received=c,
                fix=suggest(str(c).upper(), codes) + f" Countries in the data: {', '.join(codes)}",
            )
        if key in out:
            raise InputError(f"country {key} is listed twice", received=items)
        out.append(key)
    if not out:
        raise InputError("give at least one country", received=items, fix="e.g. USA,NLD,JPN")
    return out


def country_stop_scenario(
    chain: SemiconductorChain, country: str | Sequence[str], *, threshold: float = 0.5
) -> dict[str, Any]:
    """Scenario: every provider of `country` — one country or a coalition — stops supplying.

    For each input and stage, the supply lost is the country's share, or the sum of the
    coalition's shares (country shares as in :func:`input_concentration`). Inputs losing at least
    `threshold` of supply are "lost"; everything downstream of them (module docs) is affected.

    Parameters
    ----------
    chain : SemiconductorChain
    country : str or sequence of str
        Provider country code, e.g. ``"NLD"``, or a coalition such as ``["USA", "NLD", "JPN"]``.
    threshold : float
        Share of supply lost (0–1] that counts as losing the input; default 0.5.

    Returns
    -------
    dict
        ``country`` ("USA+NLD+JPN" for a coalition), ``coalition`` (list), ``country_zh``
        (Chinese names, 国家/地区), ``threshold``, ``licence``, ``supply_lost`` (DataFrame of
        every input and stage with a share lost > 0, with ``name_zh``), ``lost`` (the inputs at
        or above the threshold), ``affected_inputs`` and ``affected_stages`` (DataFrames: id,
        name, name_zh, kind, ``via`` — the lost inputs they depend on), ``unknown_share`` (ids
        where a coalition country provides but no share is given).

    Raises
    ------
    UnknownCodeError
        Unknown country code (close codes suggested).
    InputError
        Threshold outside (0, 1]; a country listed twice; an empty coalition.
    """
    coalition = _coalition(chain, country)
    if not 0.0 < threshold <= 1.0:
        raise InputError(
            "threshold must be in (0, 1]", received=threshold, fix="e.g. threshold=0.5 for 50 %"
        )
    wide, cbasis, _ = _country_shares(chain)
    present_cols = [c for c in coalition if c in wide.columns]
    lost_share = wide[present_cols].sum(axis=1) if present_cols else pd.Series(dtype=float)
    lost_share = lost_share[lost_share > 0].sort_values(ascending=False)
    names, kinds = chain.names, chain.kinds
    zh = input_names_zh()
    supply_lost = pd.DataFrame(
        {
            "name": names.reindex(lost_share.index),
            "name_zh": zh.reindex(lost_share.index),
            "kind": kinds.reindex(lost_share.index),
            "share_lost": lost_share,
            "basis": cbasis.reindex(lost_share.index),
        }
    )
    supply_lost.index.name = "id"
    lost = supply_lost[supply_lost["share_lost"] >= threshold - 1e-12]
    desc = _descendants(chain)
    via: dict[str, list[str]] = {}
    for item in lost.index:
        for d in desc.get(item, set()):
            via.setdefault(d, []).append(item)
    aff = pd.DataFrame(
        {
            "name": [names[d] for d in via],
            "name_zh": [zh.get(d, "") for d in via],
            "kind": [kinds[d] for d in via],
            "via": [", ".join(sorted(v)) for v in via.values()],
        },
        index=pd.Index(list(via), name="id"),
    ).sort_index()
    sup = chain.supply
    mine = sup[sup["country"].isin(coalition) & ~sup["negligible"]]["provided_id"].unique()
    unknown = sorted(set(mine) - set(wide.index[wide.sum(axis=1) > 0]))
    return {
        "country": "+".join(coalition),
        "coalition": coalition,
        "country_zh": "、".join(country_names_zh(coalition)),
        "threshold": threshold,
        "licence": LICENCE_NOTE,
        "supply_lost": supply_lost,
        "lost": lost,
        "affected_inputs": aff[aff["kind"] != "stage"],
        "affected_stages": aff[aff["kind"] == "stage"],
        "unknown_share": unknown,
    }


def chain_leaders(chain: SemiconductorChain) -> pd.DataFrame:
    """Chain leaders (链主): providers ranked by share-weighted downstream reach.

    leader_score_p = Σ_i s_pi (1 + reach_i), with firm shares s_pi on the basis of
    :func:`firm_shares` and reach_i from :func:`downstream_reach`.

    Returns
    -------
    DataFrame, index = provider name, sorted by ``leader_score``
        ``country``, ``leader_score``, ``rank``, ``n_inputs`` (inputs/stages supplied, not
        negligible), ``share_sum`` (Σ_i s_pi), ``top_input`` (largest contribution), and
        ``given_share`` (fraction of the score from shares the source gives, not estimated).
    """
    fs = firm_shares(chain)
    reach = downstream_reach(chain)["reach"]
    fs = fs[fs["share"] > 0].copy()
    fs["contrib"] = fs["share"] * (1.0 + reach.reindex(fs["id"]).to_numpy())
    fs["given"] = np.where(fs["firm_basis"] == "given", fs["contrib"], 0.0)
    g = fs.groupby("provider_name")
    top = fs.loc[g["contrib"].idxmax()].set_index("provider_name")["id"]
    df = pd.DataFrame(
        {
            "country": g["country"].first(),
            "leader_score": g["contrib"].sum(),
            "n_inputs": g["id"].nunique(),
            "share_sum": g["share"].sum(),
            "top_input": chain.names.reindex(top).to_numpy(),
            "given_share": g["given"].sum() / g["contrib"].sum(),
        }
    )
    df.index = pd.Index([str(i) for i in df.index], name="provider")
    df["top_input"] = chain.names.reindex(top.reindex(df.index)).to_numpy()
    df = df.sort_values("leader_score", ascending=False, kind="stable")
    df.insert(2, "rank", np.arange(1, len(df) + 1))
    return df
