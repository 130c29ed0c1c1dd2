"""The product space (产品空间) and diversification opportunities (多样化机会 / 新赛道).

* :func:`product_space` — the backbone of Hidalgo et al. (2007): the maximum spanning tree of the
  proximity network plus the strongest remaining links (φ ≥ ``min_proximity``, strongest first,
  at most ``max_extra_edges``), exported as plain node and edge tables (no igraph/networkx
  object), with a force-directed layout (igraph's Fruchterman–Reingold, fixed seed) so that any
  plotting library can draw it.
* :func:`opportunities` — for one economy, the products it does not yet export with RCA ≥ 1,
  ranked by density (how close they are to current capabilities) and by COG (how much they would
  add to its complexity outlook).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.complexity.measures import ComplexityPanel, ComplexityResult
from chainatlas.errors import InputError, UnknownCodeError, suggest
from chainatlas.kernels import complexity as K
from chainatlas.validation import validate_params

__all__ = ["ProductSpace", "product_space", "opportunities"]


@dataclass(frozen=True)
class ProductSpace:
    """The product space as plain tables.

    Attributes
    ----------
    nodes : DataFrame
        Index ``product``; columns ``x``, ``y`` (layout), ``pci``, ``ubiquity``, ``degree``.
    edges : DataFrame
        Columns ``source``, ``target``, ``proximity``, ``kind`` (``"tree"`` or ``"strong"``).
    min_proximity : float
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    min_proximity: float

    def to_edge_list(self) -> list[tuple[str, str, float]]:
        """``[(source, target, proximity), ...]`` for any graph library."""
        return list(
            zip(
                self.edges["source"].astype(str),
                self.edges["target"].astype(str),
                self.edges["proximity"].astype(float),
                strict=True,
            )
        )


def _single(result: ComplexityResult | ComplexityPanel, time: object | None) -> ComplexityResult:
    if isinstance(result, ComplexityPanel):
        if time is None:
            raise InputError(
                "a panel needs a period",
                received=result.times,
                fix="pass time=<one of the periods>",
            )
        return result[time]
    if not isinstance(result, ComplexityResult):
        raise InputError(
            "expected a ComplexityResult (from chainatlas.complexity.complexity)",
            received=type(result).__name__,
            fix="compute it first: complexity(data, ...)",
        )
    return result


def product_space(
    result: ComplexityResult | ComplexityPanel,
    *,
    min_proximity: float = 0.55,
    max_extra_edges: int | None = None,
    layout: bool = True,
    seed: int = 0,
    time: object | None = None,
) -> ProductSpace:
    """Maximum spanning tree plus the strongest links of the proximity network.

    Parameters
    ----------
    result : ComplexityResult or ComplexityPanel
    min_proximity : float
        Extra (non-tree) links need φ ≥ this (0.55 in Hidalgo et al. 2007).
    max_extra_edges : int, optional
        Cap on extra links (strongest first); default: the number of products (Hidalgo et al.
        2007 drew 775 products with 1,525 links: a tree of 774 plus ~750).
    layout : bool
        Compute x, y positions (Fruchterman–Reingold, weights φ, fixed `seed`).
    time : optional
        The period when `result` is a panel.

    Returns
    -------
    ProductSpace

    Raises
    ------
    InputError
        If `min_proximity` is outside (0, 1].

    Examples
    --------
    >>> import pandas as pd
    >>> from chainatlas.complexity import complexity
    >>> df = pd.DataFrame({"location": list("aaaabcccc"), "product": list("wxyzwwxyz"),
    ...                    "value": [5.0, 3, 3, 1, 1, 1, 4, 3, 5]})
    >>> ps = product_space(complexity(df), layout=False)
    >>> ps.edges[["source", "target", "kind"]].values.tolist()[:2]
    [['w', 'y', 'tree'], ['x', 'y', 'tree']]
    """
    if not 0 < min_proximity <= 1:
        raise InputError("min_proximity must be in (0, 1]", received=min_proximity, fix="e.g. 0.55")
    res = _single(result, time)
    phi = res.proximity.to_numpy()
    prods = res.proximity.index
    p = len(prods)
    ti, tj, tw = K.maximum_spanning_tree(phi)
    in_tree = np.zeros((p, p), dtype=bool)
    in_tree[ti, tj] = True
    iu, ju = np.triu_indices(p, k=1)
    w = phi[iu, ju]
    cand = (w >= min_proximity) & ~in_tree[iu, ju]
    ci, cj, cw = iu[cand], ju[cand], w[cand]
    order = np.argsort(-cw, kind="stable")[: (p if max_extra_edges is None else max_extra_edges)]
    ci, cj, cw = ci[order], cj[order], cw[order]
    edges = pd.DataFrame(
        {
            "source": np.concatenate([prods[ti], prods[ci]]),
            "target": np.concatenate([prods[tj], prods[cj]]),
            "proximity": np.concatenate([tw, cw]),
            "kind": ["tree"] * len(ti) + ["strong"] * len(ci),
        }
    )
    src = np.concatenate([ti, ci])
    dst = np.concatenate([tj, cj])
    degree = np.bincount(np.concatenate([src, dst]), minlength=p)
    nodes = pd.DataFrame(
        {"pci": res.pci.reindex(prods), "ubiquity": res.ubiquity.reindex(prods), "degree": degree},
        index=prods,
    )
    if layout:
        import igraph as ig

        g = ig.Graph(n=p, edges=list(zip(src.tolist(), dst.tolist(), strict=True)))
        rng = np.random.default_rng(seed)
        start = rng.uniform(-1, 1, size=(p, 2)).tolist()
        pos = np.asarray(
            g.layout_fruchterman_reingold(
                weights=np.concatenate([tw, cw]).tolist(), seed=start, niter=500
            ).coords
        )
        nodes.insert(0, "y", pos[:, 1])
        nodes.insert(0, "x", pos[:, 0])
    nodes.index.name = "product"
    return ProductSpace(nodes, edges, min_proximity)


@validate_params
def opportunities(
    result: ComplexityResult | ComplexityPanel,
    economy: str,
    *,
    by: Literal["density", "cog"] = "density",
    n: int | None = None,
    names: pd.Series | None = None,
    time: object | None = None,
    pci_floor: Literal["eci"] | float | None = "eci",
) -> pd.DataFrame:
    """Products an economy does not yet export with RCA ≥ 1, ranked by density or by COG.

    By default only products **more complex than the economy** (PCI ≥ its ECI) are listed — the
    Atlas's "new tracks" that raise complexity; without the floor, density ranks nearby but
    simple products first (for China on 2017 HS4: copra, lard, palm oil). The floor used is in
    ``out.attrs["pci_floor"]`` so headings can state it.

    Parameters
    ----------
    result : ComplexityResult or ComplexityPanel
    economy : str
        Location label (e.g. ``"chn"``); matched case-insensitively.
    by : {"density", "cog"}
        Sort key (descending); both ranks are always given.
    n : int, optional
        Keep the top `n`.
    names : Series, optional
        Product code → name, added as a ``name`` column.
    time : optional
        Period for a panel.
    pci_floor : "eci", float or None
        Keep products with PCI ≥ the economy's ECI (``"eci"``, default), ≥ a number, or all
        (``None``).

    Returns
    -------
    DataFrame
        Index ``product``; columns ``rca``, ``density``, ``distance`` (1 − density), ``cog``,
        ``pci``, ``rank_density``, ``rank_cog`` (and ``name``); rank 1 = best among the listed
        products.

    Raises
    ------
    UnknownCodeError
        If `economy` is not among the locations (suggests close codes).
    InputError
        If `by` is not "density" or "cog".
    """
    if by not in ("density", "cog"):
        raise InputError("by must be 'density' or 'cog'", received=by, fix="by='density'")
    res = _single(result, time)
    locs = [str(x) for x in res.eci.index]
    match = [x for x in locs if x.lower() == str(economy).lower()]
    if not match:
        raise UnknownCodeError(
            f"unknown economy {economy!r}",
            received=economy,
            fix=suggest(str(economy).lower(), locs) + " (it may have been removed by cleaning)",
        )
    c = res.eci.index[locs.index(match[0])]
    m = res.mcp.loc[c]
    out = pd.DataFrame(
        {
            "rca": res.rca.loc[c],
            "density": res.density.loc[c],
            "distance": 1.0 - res.density.loc[c],
            "cog": res.cog.loc[c],
            "pci": res.pci,
        }
    )[m.to_numpy() == 0]
    floor = float(res.eci[c]) if pci_floor == "eci" else pci_floor
    if floor is not None:
        if not isinstance(floor, int | float) or not np.isfinite(floor):
            raise InputError(
                "pci_floor must be 'eci', a number or None", received=pci_floor, fix="'eci'"
            )
        out = out[out["pci"] >= floor]
    out["rank_density"] = out["density"].rank(ascending=False, method="min").astype(int)
    out["rank_cog"] = out["cog"].rank(ascending=False, method="min").astype(int)
    out = out.sort_values([by, "pci"], ascending=False)
    if names is not None:
        out.insert(0, "name", names.reindex(out.index.astype(str)).to_numpy())
    out.index.name = "product"
    out = out if n is None else out.head(n)
    out.attrs["pci_floor"] = floor
    out.attrs["pci_floor_rule"] = (
        "PCI ≥ economy's ECI"
        if pci_floor == "eci"
        else ("none" if floor is None else f"PCI ≥ {floor:g}")
    )
    return out
