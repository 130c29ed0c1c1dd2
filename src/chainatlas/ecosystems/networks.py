"""Weighted directed networks (加权有向网络): validated edge lists, from tables and from records.

A :class:`Network` is an immutable edge list ``source → target`` with positive weights (supplier →
customer, input → user), a node index (isolated nodes allowed) and a provenance. Builders:

* :func:`network_from_edges` — from any edge table; the bad-input policies are explicit;
* :func:`io_network` — sector → sector flows of an :class:`~chainatlas.io.table.IOTable` (Z),
  optionally reduced to a backbone (disparity filter or flow-share threshold);
* :func:`industry_chain_network`, :func:`company_industry_membership` and
  :func:`company_chain_network` — from the ``china-industry-chain-kg`` tables (parsed by
  :mod:`chainatlas.datasets.loaders.chain_kg`): the industry → upstream-industry graph, company →
  industry membership, and a company-level chain graph **derived** through industries.

Bad-input policies (政策):

* negative or NaN weights always raise;
* self-loops raise by default (``self_loops="drop"`` removes them and records how many);
* duplicate (source, target) rows are **summed** by default and the count is recorded in
  ``notes`` and the provenance (``duplicates="raise"`` refuses them);
* zero weights are dropped and recorded (a zero flow is not a tie);
* an edge table with no edges raises :class:`EmptyNetworkError` unless ``allow_empty=True``.

Examples
--------
>>> import pandas as pd
>>> e = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "b", "c"], "weight": [1, 2, 5]})
>>> net = network_from_edges(e)
>>> net.edges.to_dict("list")
{'source': ['a', 'b'], 'target': ['b', 'c'], 'weight': [3.0, 5.0]}
>>> net.notes
('aggregated 1 duplicate (source, target) row(s) by summing their weights',)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from chainatlas.errors import (
    DegenerateError,
    InputError,
    LabelError,
    NegativeValueError,
    NonFiniteError,
    SchemaError,
)
from chainatlas.kernels import networks as kn
from chainatlas.provenance import Provenance
from chainatlas.validation import validate_params

if TYPE_CHECKING:
    import igraph

    from chainatlas.io.table import IOTable

__all__ = [
    "Network",
    "EmptyNetworkError",
    "SelfLoopError",
    "DuplicateEdgeError",
    "network_from_edges",
    "io_network",
    "backbone",
    "industry_chain_network",
    "company_industry_membership",
    "company_chain_network",
    "UnknownNodeError",
]


class EmptyNetworkError(DegenerateError):
    """A network or snapshot with no edges where edges are required."""


class SelfLoopError(InputError):
    """An edge from a node to itself where self-loops are not allowed."""


class UnknownNodeError(LabelError):
    """A membership or edge table names nodes that are not in the node table."""


class DuplicateEdgeError(InputError):
    """Repeated (source, target) rows when ``duplicates="raise"``."""


@dataclass(frozen=True, eq=False)
class Network:
    """An immutable weighted directed network.

    Parameters
    ----------
    edges : DataFrame
        Columns ``source``, ``target``, ``weight`` (float > 0); (source, target) unique, no
        self-loops unless built with ``self_loops="keep"``.
    nodes : Index
        Every node (edge endpoints and isolated nodes), unique, in a fixed order.
    provenance : Provenance
        Source and steps.
    notes : tuple of str
        Policies applied while building (aggregated duplicates, dropped rows...).
    """

    edges: pd.DataFrame
    nodes: pd.Index
    provenance: Provenance
    notes: tuple[str, ...] = ()

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return len(self.edges)

    @cached_property
    def codes(self) -> tuple[np.ndarray, np.ndarray]:
        """Integer positions (in :attr:`nodes`) of each edge's source and target."""
        return (
            self.nodes.get_indexer(self.edges["source"]).astype(np.int64),
            self.nodes.get_indexer(self.edges["target"]).astype(np.int64),
        )

    @cached_property
    def W(self) -> sp.csr_matrix:
        """Sparse (n × n) weight matrix, ``W[i, j]`` = weight of i → j."""
        s, t = self.codes
        n = self.n_nodes
        return sp.csr_matrix((self.edges["weight"].to_numpy(float), (s, t)), shape=(n, n))

    def to_igraph(self, *, directed: bool = True) -> igraph.Graph:
        """The network as an igraph ``Graph`` with edge attribute ``weight``.

        Vertex ``i`` is ``nodes[i]``; with ``directed=False`` each edge becomes undirected (a pair
        i→j, j→i becomes two parallel edges whose weights add up in igraph's strength).
        """
        import igraph

        s, t = self.codes
        g = igraph.Graph(
            n=self.n_nodes, edges=list(zip(s.tolist(), t.tolist(), strict=True)), directed=directed
        )
        g.es["weight"] = self.edges["weight"].to_numpy(float).tolist()
        return g

    def subgraph(self, nodes: pd.Index | list[object], *, step: str) -> Network:
        """Edges among `nodes` only (nodes not in the network raise :class:`LabelError`)."""
        keep = pd.Index(nodes)
        missing = keep.difference(self.nodes)
        if len(missing):
            raise LabelError(
                f"{len(missing)} node(s) not in the network",
                received=list(missing[:5]),
                fix="pass node ids that appear in Network.nodes",
            )
        mask = self.edges["source"].isin(keep) & self.edges["target"].isin(keep)
        return Network(
            edges=self.edges.loc[mask].reset_index(drop=True),
            nodes=self.nodes[self.nodes.isin(keep)],
            provenance=self.provenance.with_step(step),
            notes=self.notes,
        )

    def __repr__(self) -> str:
        return (
            f"Network({self.n_nodes} nodes, {self.n_edges} edges, "
            f"source={self.provenance.source!r})"
        )


@validate_params
def network_from_edges(
    edges: pd.DataFrame,
    *,
    source: str = "source",
    target: str = "target",
    weight: str | None = "weight",
    nodes: pd.Index | list[object] | None = None,
    self_loops: Literal["raise", "drop", "keep"] = "raise",
    duplicates: Literal["sum", "raise"] = "sum",
    allow_empty: bool = False,
    provenance: Provenance | None = None,
) -> Network:
    """Build a :class:`Network` from an edge table, applying the documented input policies.

    Parameters
    ----------
    edges : DataFrame
        One row per edge (or per transaction when duplicates are summed).
    source, target, weight : str
        Column names; ``weight=None`` gives every row weight 1 (duplicate rows then count ties).
    nodes : Index or list, optional
        The full node set (isolated nodes allowed). Edge endpoints not in it raise
        :class:`LabelError`; by default the nodes are the endpoints in order of appearance.
    self_loops : {"raise", "drop", "keep"}
        Policy for rows with source == target (default: raise :class:`SelfLoopError`).
    duplicates : {"sum", "raise"}
        Repeated (source, target) rows are summed (default; recorded in ``notes``) or refused.
    allow_empty : bool
        Accept a table with no edges (e.g. an empty snapshot); otherwise raise
        :class:`EmptyNetworkError`.
    provenance : Provenance, optional
        Defaults to ``Provenance(source="user edge table")``.

    Returns
    -------
    Network

    Raises
    ------
    SchemaError
        A named column is missing.
    NonFiniteError, NegativeValueError
        NaN / infinite or negative weights, or missing node ids.
    SelfLoopError, DuplicateEdgeError, EmptyNetworkError, LabelError
        Per the policies above.
    """
    cols = [source, target] + ([weight] if weight is not None else [])
    missing = [c for c in cols if c not in edges.columns]
    if missing:
        raise SchemaError(
            f"edge table lacks column(s) {missing}",
            received=list(edges.columns),
            fix="name the columns with source=, target=, weight=",
        )
    e = pd.DataFrame(
        {
            "source": edges[source].to_numpy(),
            "target": edges[target].to_numpy(),
            "weight": edges[weight].to_numpy(float) if weight is not None else 1.0,
        }
    )
    prov = provenance or Provenance(source="user edge table")
    notes: list[str] = []
    if e["source"].isna().any() or e["target"].isna().any():
        bad = int((e["source"].isna() | e["target"].isna()).sum())
        raise NonFiniteError(
            f"{bad} edge(s) have a missing source or target id",
            fix="drop or complete those rows before building the network",
        )
    w = e["weight"].to_numpy()
    if not np.isfinite(w).all():
        raise NonFiniteError(
            f"{int((~np.isfinite(w)).sum())} edge weight(s) are NaN or infinite",
            received=e.loc[~np.isfinite(w)].head(3).to_dict("records"),
            fix="fill or drop those rows",
        )
    if (w < 0).any():
        raise NegativeValueError(
            f"{int((w < 0).sum())} negative edge weight(s)",
            received=e.loc[w < 0].head(3).to_dict("records"),
            fix="network weights are flows and must be ≥ 0; net out returns upstream or use "
            "absolute values deliberately",
        )
    loops = (e["source"] == e["target"]).to_numpy()
    if loops.any():
        if self_loops == "raise":
            raise SelfLoopError(
                f"{int(loops.sum())} self-loop(s) (source == target)",
                received=e.loc[loops, "source"].head(5).tolist(),
                fix="pass self_loops='drop' to remove them (recorded in notes) or 'keep'",
            )
        if self_loops == "drop":
            e = e.loc[~loops]
            notes.append(f"dropped {int(loops.sum())} self-loop(s)")
    zero = (e["weight"] == 0).to_numpy()
    if zero.any():
        e = e.loc[~zero]
        notes.append(f"dropped {int(zero.sum())} zero-weight edge(s)")
    dup = e.duplicated(["source", "target"])
    if dup.any():
        if duplicates == "raise":
            raise DuplicateEdgeError(
                f"{int(dup.sum())} repeated (source, target) row(s)",
                received=e.loc[dup, ["source", "target"]].head(3).to_dict("records"),
                fix="pass duplicates='sum' to aggregate them",
            )
        e = e.groupby(["source", "target"], sort=False, as_index=False)["weight"].sum()
        notes.append(
            f"aggregated {int(dup.sum())} duplicate (source, target) row(s) by summing their weights"
        )
    e = e.reset_index(drop=True)
    if len(e) == 0 and not allow_empty:
        raise EmptyNetworkError(
            "the edge table has no edges (after the policies above)",
            received=f"{len(edges)} row(s) in; notes: {notes}",
            fix="pass allow_empty=True to accept an empty snapshot",
        )
    ends = pd.Index(pd.unique(np.concatenate([e["source"].to_numpy(), e["target"].to_numpy()])))
    if nodes is None:
        node_index = ends
    else:
        node_index = pd.Index(nodes)
        if node_index.has_duplicates:
            raise LabelError("duplicate node ids", received=node_index[node_index.duplicated()][:5])
        unknown = ends.difference(node_index)
        if len(unknown):
            raise LabelError(
                f"{len(unknown)} edge endpoint(s) are not in `nodes`",
                received=list(unknown[:5]),
                fix="add them to `nodes` or drop those edges",
            )
    for n in notes:
        prov = prov.with_step(n)
    return Network(edges=e, nodes=node_index, provenance=prov, notes=tuple(notes))


@validate_params
def backbone(
    net: Network,
    *,
    method: Literal["disparity", "flow-share"] = "disparity",
    alpha: float = 0.05,
    threshold: float = 0.05,
) -> Network:
    """Backbone of a network: the disparity filter or a flow-share threshold.

    Parameters
    ----------
    method : {"disparity", "flow-share"}
        ``"disparity"``: keep edges significant at level `alpha` from either end (Serrano, Boguñá
        & Vespignani 2009; see :func:`chainatlas.kernels.networks.disparity_alpha`).
        ``"flow-share"``: keep edges carrying ≥ `threshold` of the source's out-flow or the
        target's in-flow.
    alpha : float
        Disparity-filter significance level.
    threshold : float
        Flow-share threshold in (0, 1].

    Returns
    -------
    Network
        Same nodes (isolated nodes stay), fewer edges.
    """
    if method == "disparity":
        if not 0 < alpha <= 1:
            raise InputError("alpha must be in (0, 1]", received=alpha)
        M = kn.disparity_filter(net.W, alpha=alpha)
        step = f"disparity-filter backbone (Serrano et al. 2009), alpha={alpha}"
    elif method == "flow-share":
        if not 0 < threshold <= 1:
            raise InputError("threshold must be in (0, 1]", received=threshold)
        M = kn.flow_share_backbone(net.W, threshold=threshold)
        step = f"flow-share backbone, threshold={threshold}"
    else:
        raise InputError(
            "unknown backbone method", received=method, fix="use 'disparity' or 'flow-share'"
        )
    C = sp.coo_matrix(M)
    order = np.lexsort((C.col, C.row))
    return _from_codes(
        net.nodes,
        C.row[order],
        C.col[order],
        C.data[order],
        net.provenance.with_step(step),
        net.notes,
    )


def _from_codes(
    nodes: pd.Index,
    s: np.ndarray,
    t: np.ndarray,
    w: np.ndarray,
    provenance: Provenance,
    notes: tuple[str, ...] = (),
) -> Network:
    """Network from integer endpoint positions (already valid: unique pairs, w > 0)."""
    edges = pd.DataFrame({"source": nodes[s], "target": nodes[t], "weight": w})
    net = Network(edges=edges, nodes=nodes, provenance=provenance, notes=notes)
    net.__dict__["codes"] = (np.asarray(s, dtype=np.int64), np.asarray(t, dtype=np.int64))
    return net


def _flat_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.Index([" / ".join(map(str, t)) for t in index], name="node")
    return pd.Index([str(v) for v in index], name="node")


@validate_params
def io_network(
    table: IOTable,
    *,
    scope: Literal["all", "cross-region"] = "all",
    backbone_method: Literal["disparity", "flow-share", "none"] = "disparity",
    alpha: float = 0.05,
    threshold: float = 0.05,
) -> Network:
    """Sector → sector network of an IO table's intermediate flows Z (supplier row → user column).

    Diagonal flows (a sector's use of its own output) are not ties between nodes and are left
    out. Zero flows are not edges. Labels of a multi-region table become ``"region / sector"``.

    Parameters
    ----------
    table : IOTable
        Any table; for a non-competitive table Z is the domestic block.
    scope : {"all", "cross-region"}
        ``"cross-region"`` keeps only flows between different regions of a multi-region table
        (the trade network that shows regional production blocs).
    backbone_method : {"disparity", "flow-share", "none"}
        Backbone extraction (see :func:`backbone`).
    alpha, threshold : float
        Parameters of the backbone method.

    Returns
    -------
    Network
        Weights in the table's unit.

    Raises
    ------
    InputError
        ``scope="cross-region"`` on a table without regions.
    """
    Z = table.Z.to_numpy(dtype=float)
    labels = table.Z.index
    if (Z < 0).any():
        raise NegativeValueError(
            f"Z has {int((Z < 0).sum())} negative flow(s)",
            fix="networks need non-negative flows; correct the table first",
        )
    mask = Z > 0
    np.fill_diagonal(mask, False)
    if scope == "cross-region":
        if not isinstance(labels, pd.MultiIndex):
            raise InputError(
                "scope='cross-region' needs a multi-region table",
                received=table.layout,
                fix="use scope='all'",
            )
        reg = pd.factorize(labels.get_level_values(0))[0]
        mask &= reg[:, None] != reg[None, :]
    rows, cols = np.nonzero(mask)
    nodes = _flat_labels(labels)
    prov = table.provenance.with_step(
        f"IO network from Z ({scope} flows, diagonal left out), unit {table.unit}"
    )
    net = _from_codes(nodes, rows, cols, Z[rows, cols], prov)
    if backbone_method == "none":
        return net
    return backbone(net, method=backbone_method, alpha=alpha, threshold=threshold)


def _unknown(what: str, names: pd.Series, policy: str, notes: list[str]) -> None:
    if names.empty:
        return
    if policy == "raise":
        raise UnknownNodeError(
            f"{len(names)} {what} not in the industry table",
            received=sorted(pd.unique(names.astype(str)))[:8],
            fix="pass unknown='drop' to leave those rows out (counted in the provenance)",
        )
    notes.append(f"dropped {len(names)} row(s) whose {what} not in the industry table")


@validate_params
def industry_chain_network(
    upstream: pd.DataFrame,
    industries: pd.DataFrame,
    *,
    unknown: Literal["raise", "drop"] = "raise",
    provenance: Provenance | None = None,
) -> Network:
    """Industry → downstream-industry graph of the chain knowledge graph (产业链上下游图).

    Each row of ``industry_upstream`` says that ``upstream`` is an upstream industry of
    ``industry`` with an integer ``weight`` (the number of times the source graph links them);
    it becomes the edge ``upstream → industry`` (supplier → customer). Nodes are industry names
    (unique in ``industries``); all industries are nodes, so industries without links are
    isolated.

    Parameters
    ----------
    upstream : DataFrame
        ``chain_kg.industry_upstream()``: columns ``industry``, ``upstream``, ``weight``.
    industries : DataFrame
        ``chain_kg.industries()``: columns ``code``, ``name``.
    unknown : {"raise", "drop"}
        Rows naming industries absent from `industries` (the 2021 file has 48 + 37 such rows,
        ``其他建材Ⅲ`` and ``其他能源设备Ⅲ``) raise :class:`UnknownNodeError` or are dropped and
        counted in the provenance.

    Returns
    -------
    Network
        Weights are link counts (dimensionless). Duplicate links would be summed (none in 2021).
    """
    for col in ("industry", "upstream", "weight"):
        if col not in upstream.columns:
            raise SchemaError(
                f"upstream table lacks column {col!r}", received=list(upstream.columns)
            )
    names = pd.Index(industries["name"].astype(str))
    notes: list[str] = []
    bad = ~upstream["industry"].isin(names) | ~upstream["upstream"].isin(names)
    both = pd.concat([upstream.loc[bad, "industry"], upstream.loc[bad, "upstream"]])
    _unknown("industry names are", both[~both.isin(names)], unknown, notes)
    rows = upstream.loc[~bad]
    prov = provenance or Provenance(source="china-industry-chain-kg")
    for n in notes:
        prov = prov.with_step(n)
    prov = prov.with_step("industry graph: edge upstream -> industry, weight = link count")
    return network_from_edges(
        rows, source="upstream", target="industry", weight="weight", nodes=names, provenance=prov
    )


@validate_params
def company_industry_membership(
    company_industry: pd.DataFrame,
    industries: pd.DataFrame,
    *,
    unknown: Literal["raise", "drop"] = "raise",
) -> pd.Series:
    """Company → industry membership (公司所属行业), checked against the industry table.

    Parameters
    ----------
    company_industry : DataFrame
        ``chain_kg.company_industry()``: ``ts_code``, ``company_name``, ``industry_code``.
    industries : DataFrame
        ``chain_kg.industries()``: ``code``, ``name``.
    unknown : {"raise", "drop"}
        Rows whose industry code is not in `industries` (170 rows in the 2021 file, codes of
        retired Shenwan industries such as 金属制品) raise :class:`UnknownNodeError` or are dropped
        (counted in ``attrs["notes"]``).

    Returns
    -------
    Series
        Index ``ts_code`` (company), values industry names; ``attrs["company_name"]`` maps codes
        to short names and ``attrs["notes"]`` lists dropped rows.

    Raises
    ------
    LabelError
        A company listed in two industries.
    """
    codes = industries.set_index(industries["code"].astype(str))["name"]
    ok = company_industry["industry_code"].astype(str).isin(codes.index)
    notes: list[str] = []
    _unknown("industry codes are", company_industry.loc[~ok, "industry_code"], unknown, notes)
    rows = company_industry.loc[ok]
    if rows["ts_code"].duplicated().any():
        raise LabelError(
            "a company is listed in more than one industry",
            received=rows.loc[rows["ts_code"].duplicated(), "ts_code"].head(5).tolist(),
            fix="keep one industry per company",
        )
    out = pd.Series(
        rows["industry_code"].astype(str).map(codes).to_numpy(),
        index=pd.Index(rows["ts_code"].to_numpy(), name="company"),
        name="industry",
    )
    out.attrs["company_name"] = dict(zip(rows["ts_code"], rows["company_name"], strict=True))
    out.attrs["notes"] = notes
    return out


def company_chain_network(industry_net: Network, membership: pd.Series) -> Network:
    """Company-level chain graph **derived** through industries (not observed firm ties).

    The knowledge graph has no firm-to-firm transactions. This graph links every company of an
    upstream industry U to every company of a downstream industry I whenever U → I is an industry
    link, with weight ``w_UI / (n_U · n_I)`` so that the total weight between two industries
    equals the industry link weight (n = listed companies in the industry). Companies in the same
    industry are therefore structurally identical in it: any ranking separates industries, and
    ties within an industry are broken only by order. Use it to place listed companies on the
    chain, not to infer who trades with whom.

    Parameters
    ----------
    industry_net : Network
        From :func:`industry_chain_network`.
    membership : Series
        From :func:`company_industry_membership` (company → industry name).

    Returns
    -------
    Network
        Nodes = companies; edges between companies of linked industries.

    Raises
    ------
    UnknownNodeError
        The membership names industries that are not nodes of `industry_net`.
    """
    bad = ~membership.isin(industry_net.nodes)
    if bad.any():
        raise UnknownNodeError(
            f"{int(bad.sum())} company(ies) belong to industries not in the industry graph",
            received=sorted(set(membership[bad]))[:5],
        )
    comp = membership.index.to_numpy()
    ind_codes = industry_net.nodes.get_indexer(membership.to_numpy())
    n_ind = np.bincount(ind_codes, minlength=industry_net.n_nodes)
    # companies grouped by industry
    order = np.argsort(ind_codes, kind="stable")
    starts = np.concatenate([[0], np.cumsum(n_ind)])
    s, t = industry_net.codes
    w = industry_net.edges["weight"].to_numpy(float)
    keep = (n_ind[s] > 0) & (n_ind[t] > 0)
    src_parts, tgt_parts, w_parts = [], [], []
    for u, i, wi in zip(s[keep], t[keep], w[keep], strict=True):
        cu = order[starts[u] : starts[u + 1]]
        cv = order[starts[i] : starts[i + 1]]
        src_parts.append(np.repeat(cu, cv.size))
        tgt_parts.append(np.tile(cv, cu.size))
        w_parts.append(np.full(cu.size * cv.size, wi / (cu.size * cv.size)))
    si = np.concatenate(src_parts) if src_parts else np.zeros(0, dtype=np.int64)
    ti = np.concatenate(tgt_parts) if tgt_parts else np.zeros(0, dtype=np.int64)
    wi = np.concatenate(w_parts) if w_parts else np.zeros(0)
    keep = si != ti
    prov = industry_net.provenance.with_step(
        "company chain graph DERIVED through industries: company(U) -> company(I) for each "
        "industry link U -> I, weight w_UI / (n_U n_I); not observed firm ties"
    )
    return _from_codes(pd.Index(comp, name="company"), si[keep], ti[keep], wi[keep], prov)
