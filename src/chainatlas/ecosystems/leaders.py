"""Chain leaders (链主): nodes ranked by weighted downstream reach.

Edges run supplier → customer with weight w_ij (flow). Two documented scores:

* ``"reverse-pagerank"`` (default): PageRank of the reversed graph (customer → supplier). A random
  walker at a customer moves to one of its suppliers with probability ``w_ij / s_in_j`` (the
  customer's input share bought from i) with damping 0.85, restarting uniformly (or at the
  ``personalization`` nodes). A node scores high when large, themselves central, downstream parts
  of the chain buy from it — the chain leader is the node the rest of the chain leans on
  (Brin & Page 1998; reversed PageRank as in Gleich 2015). Scores sum to 1.
* ``"flow-reach"``: with input shares ``a_ij = w_ij / s_in_j``, the discounted total dependence
  ``D = Σ_{k≥1} decay^(k−1) A^k`` and ``reach_i = Σ_j D_ij``: the number of customer-equivalents
  whose inputs trace back to i, directly or through tiers (each tier discounted by `decay`,
  default 0.5). Self-loops are ignored.

Examples
--------
>>> import pandas as pd
>>> from chainatlas.ecosystems.networks import network_from_edges
>>> e = pd.DataFrame({"source": ["chip", "chip", "board"], "target": ["board", "phone", "phone"],
...                   "weight": [1.0, 1.0, 1.0]})
>>> chain_leaders(network_from_edges(e), method="flow-reach")["reach"].tolist()
[1.75, 0.5, 0.0]
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.ecosystems.networks import EmptyNetworkError, Network
from chainatlas.errors import InputError, LabelError
from chainatlas.kernels import networks as kn
from chainatlas.validation import validate_params

__all__ = ["chain_leaders"]


@validate_params
def chain_leaders(
    net: Network,
    *,
    method: Literal["reverse-pagerank", "flow-reach"] = "reverse-pagerank",
    damping: float = 0.85,
    decay: float = 0.5,
    personalization: pd.Series | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Rank nodes as chain leaders by weighted downstream reach.

    Parameters
    ----------
    net : Network
        Supplier → customer network with at least one edge.
    method : {"reverse-pagerank", "flow-reach"}
        Score (see module notes).
    damping : float
        PageRank damping in (0, 1).
    decay : float
        Per-tier discount of flow-reach in (0, 1).
    personalization : Series, optional
        Restart weights by node for reverse PageRank (e.g. final demand); non-negative,
        unknown nodes raise :class:`LabelError`, absent nodes get 0.
    top : int, optional
        Keep the first `top` rows.

    Returns
    -------
    DataFrame
        Indexed by node, sorted by score (descending; ties by node order): ``score`` column named
        ``pagerank`` or ``reach``, plus ``out_strength`` (total sales) and ``n_customers``.

    Raises
    ------
    EmptyNetworkError, InputError, LabelError
    """
    if net.n_edges == 0:
        raise EmptyNetworkError("chain leaders need a network with edges", received=repr(net))
    W = net.W
    if method == "reverse-pagerank":
        if not 0 < damping < 1:
            raise InputError("damping must be in (0, 1)", received=damping)
        v = None
        if personalization is not None:
            unknown = personalization.index.difference(net.nodes)
            if len(unknown):
                raise LabelError("personalization names unknown nodes", received=list(unknown[:5]))
            v = personalization.reindex(net.nodes, fill_value=0.0).to_numpy(float)
            if (v < 0).any() or v.sum() <= 0:
                raise InputError(
                    "personalization must be non-negative with a positive sum",
                    received=personalization.describe().to_dict(),
                )
        score = kn.reverse_pagerank(W, damping=damping, personalization=v)
        name = "pagerank"
    elif method == "flow-reach":
        if not 0 < decay < 1:
            raise InputError("decay must be in (0, 1)", received=decay)
        score = kn.downstream_reach(W, decay=decay)
        name = "reach"
    else:
        raise InputError(
            "unknown chain-leader method",
            received=method,
            fix="use 'reverse-pagerank' or 'flow-reach'",
        )
    s, _ = net.codes
    out = pd.DataFrame(
        {
            name: score,
            "out_strength": np.asarray(W.sum(axis=1)).ravel(),
            "n_customers": np.bincount(s, minlength=net.n_nodes),
        },
        index=net.nodes,
    )
    out.index.name = net.nodes.name or "node"
    order = np.lexsort((np.arange(net.n_nodes), -score))
    out = out.iloc[order]
    return out.head(top) if top is not None else out
