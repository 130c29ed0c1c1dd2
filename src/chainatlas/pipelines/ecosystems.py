"""Real-data runs (实证运行): WIOD production blocs, chain-KG communities and leaders, Apple geography.

Each function loads registered data through :func:`chainatlas.datasets.load` (or the chain-KG
parsing functions), runs the labelled ecosystems API and returns labelled results; the CLI and
the atlas report only format them.

Examples
--------
>>> bloc_label(pd.Series({"DEU": 34, "AUT": 30}))
'AUT+DEU'
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from chainatlas.ecosystems.apple import (
    SupplierList,
    country_concentration,
    entries_exits,
    merge_report,
)
from chainatlas.ecosystems.communities import communities
from chainatlas.ecosystems.evolution import Evolution, track_communities
from chainatlas.ecosystems.hubs import community_hubs, hub_dependence
from chainatlas.ecosystems.leaders import chain_leaders
from chainatlas.ecosystems.networks import (
    Network,
    company_chain_network,
    company_industry_membership,
    industry_chain_network,
    io_network,
)
from chainatlas.validation import validate_params

__all__ = [
    "WIOD_YEARS",
    "WiodBlocs",
    "wiod_blocs",
    "bloc_label",
    "ChainKGEcosystem",
    "chain_kg_ecosystem",
    "AppleGeography",
    "apple_geography",
    "network_for",
    "read_edge_file",
    "sankey_figure",
]

WIOD_YEARS: tuple[int, ...] = tuple(range(1995, 2012))


def bloc_label(country_counts: pd.Series) -> str:
    """Label of a bloc: its member countries, alphabetical, joined by ``+``."""
    return "+".join(sorted(str(c) for c in country_counts.index))


@dataclass(frozen=True, eq=False)
class WiodBlocs:
    """Communities of the WIOD country-sector network per year and their evolution.

    Attributes
    ----------
    memberships : dict year → Series
        (``"REGION / sector"`` node → community id), from Leiden per year.
    evolution : Evolution
        Greene tracking over the years (communities of ≥ ``min_size`` nodes).
    blocs : DataFrame
        One row per (year, community) of ≥ ``min_size`` nodes: ``size``, ``countries`` (those
        with at least half of their sectors in the community), ``bloc`` (label), ``dynamic``.
    params : dict
        Parameters used.
    """

    memberships: dict[Hashable, pd.Series]
    evolution: Evolution
    blocs: pd.DataFrame
    params: dict[str, Any]


def _blocs(year: int, m: pd.Series, min_size: int) -> pd.DataFrame:
    region = m.index.str.split(" / ").str[0]
    per_country = pd.Series(region).value_counts()
    rows = []
    for c, members in pd.Series(region, index=m.index).groupby(m.to_numpy()):
        if len(members) < min_size:
            continue
        counts = members.value_counts()
        major = counts[counts >= 0.5 * per_country.reindex(counts.index).to_numpy()]
        rows.append(
            {
                "year": year,
                "community": int(c),  # type: ignore[call-overload]  # a Leiden community id (int)
                "size": int(len(members)),
                "n_countries": int(len(major)),
                "countries": sorted(major.index.tolist()),
                "bloc": bloc_label(major) if len(major) else "(sector group)",
            }
        )
    return pd.DataFrame(rows)


def wiod_blocs(
    years: Sequence[int] = WIOD_YEARS,
    *,
    alpha: float = 0.05,
    resolution: float = 1.0,
    theta: float = 0.3,
    death_after: int = 3,
    min_size: int = 2,
    seed: int = 42,
    step: Callable[[str], None] | None = None,
    tables: dict[int, Any] | None = None,
) -> WiodBlocs:
    """Regional production blocs in WIOD: Leiden communities per year, tracked over the years.

    Per year: the country-sector network of all intermediate flows Z (diagonal left out), reduced
    to its disparity-filter backbone at `alpha` (Serrano et al. 2009), Leiden modularity
    communities (undirected, weighted, fixed `seed`); then Greene et al. (2010) tracking with
    Jaccard threshold `theta` over communities of at least `min_size` nodes.

    Parameters
    ----------
    years : sequence of int
        WIOD years (1995–2011).
    tables : dict year → IOTable, optional
        Already loaded tables (others are loaded with ``wiod-2013:YEAR``).

    Returns
    -------
    WiodBlocs
    """
    from chainatlas.datasets import load

    step = step or (lambda _m: None)
    memberships: dict[Hashable, pd.Series] = {}
    frames = []
    for y in years:
        step(f"WIOD {y}: network and communities")
        table = (tables or {}).get(y) or load(f"wiod-2013:{y}", progress=False)
        net = io_network(table, scope="all", backbone_method="disparity", alpha=alpha)
        m = communities(net, resolution=resolution, seed=seed)
        memberships[y] = m
        frames.append(_blocs(y, m, min_size))
    step("WIOD: tracking communities")
    evo = track_communities(memberships, theta=theta, death_after=death_after, min_size=min_size)
    blocs = pd.concat(frames, ignore_index=True)
    dyn = evo.timeline.set_index(["time", "community"])["dynamic"]
    blocs["dynamic"] = [
        dyn.get((y, c), -1) for y, c in zip(blocs["year"], blocs["community"], strict=True)
    ]
    return WiodBlocs(
        memberships=memberships,
        evolution=evo,
        blocs=blocs,
        params={
            "alpha": alpha,
            "resolution": resolution,
            "theta": theta,
            "death_after": death_after,
            "min_size": min_size,
            "seed": seed,
            "years": list(years),
        },
    )


@dataclass(frozen=True, eq=False)
class ChainKGEcosystem:
    """Industry-chain communities, hubs and chain leaders of the chain knowledge graph.

    Attributes
    ----------
    industry_net, company_net : Network
        Industry graph and the DERIVED company graph.
    membership : Series
        Company → industry.
    communities : Series
        Industry → community (Leiden).
    community_summary : DataFrame
        ``hub_dependence`` per community with its three top hubs.
    industry_leaders, company_leaders : DataFrame
        Chain leaders (reverse PageRank) among industries and listed companies.
    notes : tuple of str
    """

    industry_net: Network
    company_net: Network
    membership: pd.Series
    communities: pd.Series
    community_summary: pd.DataFrame
    industry_leaders: pd.DataFrame
    company_leaders: pd.DataFrame
    notes: tuple[str, ...]


@validate_params
def chain_kg_ecosystem(
    *,
    unknown: Literal["raise", "drop"] = "drop",
    method: Literal["reverse-pagerank", "flow-reach"] = "reverse-pagerank",
    seed: int = 42,
    top: int = 20,
) -> ChainKGEcosystem:
    """Communities and chain leaders of ``china-industry-chain-kg`` (level-3 Shenwan industries).

    Rows naming industries absent from the industry table are dropped by default
    (``unknown="drop"``) and counted in ``notes``.
    """
    from chainatlas.datasets.loaders import chain_kg as ck
    from chainatlas.datasets.registry import get_dataset
    from chainatlas.provenance import Provenance

    ds = get_dataset("china-industry-chain-kg")
    prov = Provenance(source=ds.name, licence=ds.licence, citation=ds.citation)
    ind = ck.industries(progress=False)
    level3 = ind.loc[ind["level"] == 3]
    net = industry_chain_network(
        ck.industry_upstream(progress=False), level3, unknown=unknown, provenance=prov
    )
    member = company_industry_membership(
        ck.company_industry(progress=False), level3, unknown=unknown
    )
    comp_net = company_chain_network(net, member)
    comm = communities(net, seed=seed)
    dep = hub_dependence(net, comm)
    hubs = community_hubs(net, comm, top=3)
    tops = hubs.groupby(level="community")["node"].agg(list)
    dep["hubs"] = tops.reindex(dep.index)
    dep = dep.loc[dep["size"] > 1]
    ind_lead = chain_leaders(net, method=method, top=top)
    comp_lead = chain_leaders(comp_net, method=method, top=top)
    comp_lead.insert(0, "name", comp_lead.index.map(member.attrs["company_name"]))
    comp_lead.insert(1, "industry", comp_lead.index.map(member))
    notes = [*net.provenance.steps, *member.attrs["notes"]]
    return ChainKGEcosystem(
        industry_net=net,
        company_net=comp_net,
        membership=member,
        communities=comm,
        community_summary=dep,
        industry_leaders=ind_lead,
        company_leaders=comp_lead,
        notes=tuple(notes),
    )


@dataclass(frozen=True, eq=False)
class AppleGeography:
    """Apple supplier geography: concentration by country per year, churn, merge decisions."""

    concentration: pd.DataFrame
    churn: pd.DataFrame
    merges: pd.DataFrame
    suppliers: SupplierList


def apple_geography() -> AppleGeography:
    """Country HHI of Apple's supplier facilities per year, entries and exits, merge report."""
    from chainatlas.datasets import load

    s = load("apple-suppliers", progress=False)
    return AppleGeography(
        concentration=country_concentration(s),
        churn=entries_exits(s),
        merges=merge_report(s),
        suppliers=s,
    )


def read_edge_file(path: str) -> Network:
    """A user edge list (CSV or Parquet with columns ``source``, ``target``, ``weight``).

    Duplicate (source, target) rows are summed (said in ``notes``); self-loops raise.
    """
    from pathlib import Path

    from chainatlas.ecosystems.networks import network_from_edges
    from chainatlas.errors import SchemaError
    from chainatlas.provenance import Provenance

    p = Path(path)
    if p.suffix.lower() == ".parquet":
        frame = pd.read_parquet(p)
    elif p.suffix.lower() == ".csv":
        frame = pd.read_csv(p, dtype={"source": str, "target": str})
    else:
        raise SchemaError(
            "edge files must be .csv or .parquet", received=str(path), fix="convert the file"
        )
    return network_from_edges(frame, provenance=Provenance(source=str(path)))


@validate_params
def network_for(
    source: str,
    *,
    backbone_method: Literal["disparity", "flow-share", "none"] = "disparity",
    alpha: float = 0.05,
    level: Literal["industry", "company"] = "industry",
) -> Network:
    """The network a CLI source names: an IO dataset spec, the chain KG, or an edge file.

    * ``china-io:...``, ``wiod-2013:YEAR`` (any IO table spec): :func:`io_network` with the
      chosen backbone;
    * ``china-industry-chain-kg``: the industry graph (``level="industry"``) or the derived
      company graph (``level="company"``), dropping rows with unknown industries;
    * a path ending in ``.csv`` / ``.parquet``: :func:`read_edge_file`.
    """
    from chainatlas.datasets import load_io_table

    if source.lower().endswith((".csv", ".parquet")):
        return read_edge_file(source)
    if source.split(":")[0] == "china-industry-chain-kg":
        eco = chain_kg_ecosystem()
        return eco.industry_net if level == "industry" else eco.company_net
    obj = load_io_table(source, progress=True)
    return io_network(obj, backbone_method=backbone_method, alpha=alpha)


def sankey_figure(
    evo: Evolution, *, max_communities: int = 12, min_size: int = 1, title: str = ""
) -> Any:
    """Alluvial (Sankey) figure of step communities across consecutive snapshots (plotly).

    Nodes are the step communities at each time (the `max_communities` largest, of size ≥
    `min_size`); a link's width is the number of nodes that move from one community to the next
    (``|C_t,a ∩ C_t+1,b|``). Nodes are coloured by their dynamic community.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.colors as pc
    import plotly.graph_objects as go

    tl = evo.timeline
    dyn_of: dict[tuple[Hashable, Hashable], int] = {
        (t, c): int(d)
        for t, c, d in zip(tl["time"], tl["community"], tl["dynamic"].to_numpy(), strict=True)
    }
    palette = pc.qualitative.Plotly + pc.qualitative.D3 + pc.qualitative.Set3
    labels: list[str] = []
    colors: list[str] = []
    xs: list[float] = []
    node_id: dict[tuple[int, Hashable], int] = {}
    nt = len(evo.times)
    for ti, (t, m) in enumerate(zip(evo.times, evo.memberships, strict=True)):
        sizes = m.value_counts()
        sizes = sizes[sizes >= min_size].head(max_communities)
        for c, size in sizes.items():
            node_id[(ti, c)] = len(labels)
            d = dyn_of.get((t, c), -1)
            labels.append(f"{t} · C{c} (D{d}, n={int(size)})")
            colors.append(palette[d % len(palette)] if d >= 0 else "#999999")
            xs.append(0.01 + 0.98 * ti / max(nt - 1, 1))
    src: list[int] = []
    tgt: list[int] = []
    val: list[int] = []
    for ti in range(nt - 1):
        a, b = evo.memberships[ti], evo.memberships[ti + 1]
        common = a.index.intersection(b.index)
        if not len(common):
            continue
        pairs = pd.DataFrame({"a": a.loc[common].to_numpy(), "b": b.loc[common].to_numpy()})
        flows = pairs.value_counts()
        for (ca, cb), v in zip(flows.index.tolist(), flows.to_numpy(), strict=True):
            if (ti, ca) in node_id and (ti + 1, cb) in node_id:
                src.append(node_id[(ti, ca)])
                tgt.append(node_id[(ti + 1, cb)])
                val.append(int(v))
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={"label": labels, "color": colors, "x": xs, "pad": 8, "thickness": 12},
            link={"source": src, "target": tgt, "value": val},
        )
    )
    fig.update_layout(title=title or None, height=520, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
