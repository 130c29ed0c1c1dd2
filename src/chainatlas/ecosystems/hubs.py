"""Hubs and platforms (枢纽与平台): per-community hubs and the community's dependence on its top hub.

For each community c of a network (a membership Series from
:func:`~chainatlas.ecosystems.communities.communities`), only the edges *inside* c count:

* **weighted degree** (strength) ``s_i = Σ_j w_ij + Σ_j w_ji`` over intra-community edges;
* **PageRank** (Brin & Page 1998, damping 0.85) of the intra-community subgraph, directed and
  weighted, computed by igraph;
* **dependence on the top hub** (对头部平台的依赖度) = share of the community's intra-community
  edge weight carried by edges incident to the top hub (by weighted degree):
  ``dep_c = Σ_{(i,j) ∈ E_c, i = h or j = h} w_ij / Σ_{(i,j) ∈ E_c} w_ij``. It is 1 for a star
  around the hub ("big platform + small organisations") and 2/n for a uniform ring of n nodes.

Examples
--------
>>> import pandas as pd
>>> from chainatlas.ecosystems.networks import network_from_edges
>>> e = pd.DataFrame({"source": ["h", "h", "h", "a"], "target": ["a", "b", "c", "b"],
...                   "weight": [3.0, 3.0, 3.0, 1.0]})
>>> net = network_from_edges(e)
>>> m = pd.Series(0, index=net.nodes)
>>> r = hub_dependence(net, m).loc[0]
>>> r["top_hub"], float(r["dependence"])
('h', 0.9)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from chainatlas.ecosystems.networks import Network, UnknownNodeError

__all__ = ["community_hubs", "hub_dependence", "UnknownNodeError"]


def _aligned(net: Network, membership: pd.Series) -> np.ndarray:
    unknown = membership.index.difference(net.nodes)
    if len(unknown):
        raise UnknownNodeError(
            f"{len(unknown)} node id(s) in the membership table are not in the network",
            received=list(unknown[:5]),
            fix="build the membership from this network, or drop those ids",
        )
    missing = net.nodes.difference(membership.index)
    if len(missing):
        raise UnknownNodeError(
            f"{len(missing)} network node(s) have no community",
            received=list(missing[:5]),
            fix="give every node a community (isolated nodes may be singletons)",
        )
    return membership.reindex(net.nodes).to_numpy()


def _intra(
    net: Network, membership: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    comm = _aligned(net, membership)
    s, t = net.codes
    w = net.edges["weight"].to_numpy(float)
    inside = comm[s] == comm[t]
    return comm, s[inside], t[inside], w[inside]


def community_hubs(net: Network, membership: pd.Series, *, top: int = 5) -> pd.DataFrame:
    """The `top` hubs of every community by intra-community weighted degree, with PageRank.

    Parameters
    ----------
    net : Network
    membership : Series
        node → community id, covering exactly the network's nodes.
    top : int
        Hubs listed per community.

    Returns
    -------
    DataFrame
        Rows (community, rank): ``node``, ``strength`` (intra-community weighted degree, in the
        network's weight unit), ``strength_share`` (of twice the community's intra weight, so
        shares sum to 1), ``pagerank`` (within the community subgraph, sums to 1 per community).

    Raises
    ------
    UnknownNodeError
        The membership names unknown nodes or misses some.
    """
    import igraph

    comm, s, t, w = _intra(net, membership)
    n = net.n_nodes
    strength = np.bincount(s, w, minlength=n) + np.bincount(t, w, minlength=n)
    rows = []
    for c in pd.unique(comm):
        idx = np.nonzero(comm == c)[0]
        local = pd.Series(np.arange(idx.size), index=idx)
        mask = comm[s] == c
        total = 2.0 * w[mask].sum()
        if mask.any():
            g = igraph.Graph(
                n=idx.size,
                edges=np.column_stack(
                    [local[s[mask]].to_numpy(), local[t[mask]].to_numpy()]
                ).tolist(),
                directed=True,
            )
            pr = np.asarray(g.pagerank(weights=w[mask].tolist(), damping=0.85))
        else:
            pr = np.full(idx.size, 1.0 / idx.size)
        st = strength[idx]
        order = np.lexsort((idx, -st))[:top]
        for rank, k in enumerate(order, start=1):
            rows.append(
                {
                    "community": c,
                    "rank": rank,
                    "node": net.nodes[idx[k]],
                    "strength": float(st[k]),
                    "strength_share": float(st[k] / total) if total > 0 else np.nan,
                    "pagerank": float(pr[k]),
                }
            )
    out = pd.DataFrame(rows).sort_values(["community", "rank"]).set_index(["community", "rank"])
    return out


def hub_dependence(net: Network, membership: pd.Series) -> pd.DataFrame:
    """Each community's dependence on its top hub (share of intra-community weight via the hub).

    Returns
    -------
    DataFrame indexed by community: ``size``, ``intra_weight`` (Σ w inside, network unit),
    ``top_hub`` (node with the highest intra-community weighted degree; ties: first node),
    ``dependence`` in [0, 1] (NaN for a community without internal edges).

    Raises
    ------
    UnknownNodeError
        The membership names unknown nodes or misses some.
    """
    comm, s, t, w = _intra(net, membership)
    n = net.n_nodes
    strength = np.bincount(s, w, minlength=n) + np.bincount(t, w, minlength=n)
    codes, uniq = pd.factorize(comm)
    k = len(uniq)
    size = np.bincount(codes, minlength=k)
    intra = np.bincount(codes[s], w, minlength=k)
    # top hub per community: max strength, ties by first node position
    order = np.lexsort((np.arange(n), -strength, codes))
    first = np.ones(n, dtype=bool)
    first[1:] = codes[order][1:] != codes[order][:-1]
    hub = np.empty(k, dtype=np.int64)
    hub[codes[order][first]] = order[first]
    via = np.bincount(codes[s], w * ((s == hub[codes[s]]) | (t == hub[codes[s]])), minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        dep = np.where(intra > 0, via / np.where(intra > 0, intra, 1.0), np.nan)
    out = pd.DataFrame(
        {
            "size": size,
            "intra_weight": intra,
            "top_hub": net.nodes[hub],
            "dependence": dep,
        },
        index=pd.Index(uniq, name="community"),
    ).sort_index()
    return out
