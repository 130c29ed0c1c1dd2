"""Communities (群落划分): Leiden on igraph, modularity or CPM, with a fixed seed.

Treatment of direction and weights (方向与权重):

* ``direction="undirected"`` (default): every edge i → j is treated as an undirected tie of
  weight w_ij; a reciprocal pair i → j, j → i becomes one tie of weight w_ij + w_ji. This is the
  usual choice for supply networks, where a community is a group of firms or sectors that trade
  mostly with each other in either direction.
* ``direction="directed"``: leidenalg's directed quality functions (directed modularity of
  Leicht & Newman 2008; CPM on directed edges), using the edge directions as given.
* Weights are the edge weights as given (flows in the network's unit); ``weighted=False`` treats
  every edge as weight 1.

Implementations: undirected runs use igraph's built-in Leiden (``Graph.community_leiden``, C
code by the Leiden authors) by default, and the ``leidenalg`` package on request
(``implementation="leidenalg"``) or for directed runs. The seed drives igraph's random number
generator (set for the call only and restored) or leidenalg's ``seed``.

Quality functions: ``"modularity"`` (Newman 2006, with resolution γ as in Reichardt & Bornholdt
2006) and ``"cpm"`` (Constant Potts Model, Traag, Van Dooren & Nesterov 2011), optimised by the
Leiden algorithm (Traag, Waltman & van Eck 2019, Scientific Reports 9: 5233). For CPM the
resolution is a density threshold in weight units, so rescale weights (e.g. to shares) first.

Community ids are renumbered 0, 1, ... by decreasing size (ties by the smallest node position), so
the result does not depend on leidenalg's internal numbering. With a fixed ``seed`` runs are
reproducible.

Examples
--------
>>> import pandas as pd
>>> from chainatlas.ecosystems.networks import network_from_edges
>>> e = pd.DataFrame({"source": list("abcdef") + ["a"], "target": list("bcaefd") + ["d"],
...                   "weight": [5, 5, 5, 5, 5, 5, 1]})
>>> communities(network_from_edges(e)).tolist()
[0, 0, 0, 1, 1, 1]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from chainatlas.ecosystems.networks import EmptyNetworkError, Network
from chainatlas.errors import InputError
from chainatlas.validation import validate_params

if TYPE_CHECKING:
    import igraph

__all__ = ["communities", "community_table", "renumber_by_size"]


def renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Relabel a membership vector 0, 1, ... by decreasing group size (ties: first position)."""
    labels = np.asarray(labels, dtype=np.int64)
    uniq, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    new = np.empty(uniq.size, dtype=np.int64)
    new[order] = np.arange(uniq.size)
    return new[np.searchsorted(uniq, labels)]


def _undirected(net: Network, weighted: bool) -> igraph.Graph:
    """Undirected igraph graph with w_ij + w_ji per pair (self-loops keep their weight)."""
    import igraph

    W = (
        net.W
        if weighted
        else sp.csr_matrix((np.ones(net.n_edges), net.codes), shape=(net.n_nodes, net.n_nodes))
    )
    U = sp.triu(W + W.T - sp.diags(W.diagonal()), format="coo")
    g = igraph.Graph(n=net.n_nodes, edges=list(zip(U.row.tolist(), U.col.tolist(), strict=True)))
    g.es["weight"] = U.data.tolist()
    return g


@validate_params
def communities(
    net: Network,
    *,
    quality: Literal["modularity", "cpm"] = "modularity",
    resolution: float = 1.0,
    direction: Literal["undirected", "directed"] = "undirected",
    weighted: bool = True,
    seed: int = 42,
    n_iterations: int = 2,
    implementation: Literal["igraph", "leidenalg"] = "igraph",
) -> pd.Series:
    """Leiden communities of a network.

    Parameters
    ----------
    net : Network
        Must have at least one edge.
    quality : {"modularity", "cpm"}
        Quality function (RBConfiguration = modularity with resolution; CPM).
    resolution : float
        γ for modularity (1 = standard modularity); density threshold for CPM.
    direction : {"undirected", "directed"}
        See the module notes.
    weighted : bool
        Use edge weights (default) or count edges.
    seed : int
        Random seed of leidenalg (fixed default 42).
    n_iterations : int
        Leiden iterations (the default 2 of both implementations); -1 iterates until no
        improvement.
    implementation : {"igraph", "leidenalg"}
        Undirected runs use igraph's C implementation of Leiden (``Graph.community_leiden``,
        also by Traag; about 20× faster than leidenalg on our firm-network benchmark) unless
        ``"leidenalg"`` is asked for; directed runs always use leidenalg. Both optimise the same
        quality function; partitions can differ in detail.

    Returns
    -------
    Series (n_nodes,), int
        Community id of each node (index = ``net.nodes``), 0 = largest. Isolated nodes form
        singleton communities.

    Raises
    ------
    EmptyNetworkError
        The network has no edges (communities are undefined).
    """
    if net.n_edges == 0:
        raise EmptyNetworkError(
            "cannot find communities in a network with no edges",
            received=repr(net),
            fix="drop empty snapshots or give them edges",
        )
    if quality not in ("modularity", "cpm"):
        raise InputError("unknown quality function", received=quality, fix="'modularity' or 'cpm'")
    if direction not in ("undirected", "directed"):
        raise InputError("unknown direction", received=direction, fix="'undirected' or 'directed'")
    if implementation not in ("igraph", "leidenalg"):
        raise InputError(
            "unknown Leiden implementation", received=implementation, fix="'igraph' or 'leidenalg'"
        )
    weights = "weight" if weighted else None
    if direction == "undirected" and implementation == "igraph":
        import random

        import igraph

        g = _undirected(net, weighted)
        igraph.set_random_number_generator(random.Random(seed))
        try:
            part = g.community_leiden(
                objective_function="modularity" if quality == "modularity" else "CPM",
                weights=weights,
                resolution=resolution,
                n_iterations=n_iterations,
            )
        finally:
            igraph.set_random_number_generator(random)
        membership = part.membership
    else:
        import leidenalg

        g = net.to_igraph(directed=True) if direction == "directed" else _undirected(net, weighted)
        cls = (
            leidenalg.RBConfigurationVertexPartition
            if quality == "modularity"
            else leidenalg.CPMVertexPartition
        )
        part = leidenalg.find_partition(
            g,
            cls,
            weights=weights,
            resolution_parameter=resolution,
            seed=seed,
            n_iterations=n_iterations,
        )
        membership = part.membership
    labels = renumber_by_size(np.asarray(membership))
    return pd.Series(labels, index=net.nodes, name="community")


def community_table(membership: pd.Series) -> pd.DataFrame:
    """Size and members of each community of a membership Series (index = node, value = id).

    Returns
    -------
    DataFrame indexed by community id: ``size``, ``members`` (list of node ids).
    """
    groups = membership.groupby(membership.to_numpy(), sort=True)
    out = pd.DataFrame(
        {
            "size": groups.size(),
            "members": groups.apply(lambda s: list(s.index)),
        }
    )
    out.index.name = "community"
    return out
