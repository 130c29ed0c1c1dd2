"""Chain leaders (链主) as industrial policy means them: integrator firms of a chain.

Candidates are the listed firms of the chain's **integrator links** — the links a template marks
``integrator: true`` (e.g. vehicle assembly and traction batteries; never raw materials or the
chain's users such as builders or hospitals), or, when a template marks none, its midstream and
downstream links. Upstream commodity suppliers are not chain leaders. Each candidate's score is the number of the chain's
links its Shenwan industry draws on through the knowledge graph — an integrator buys from many
links of its chain:

    n_links(firm) = |{own link} ∪ {link(J) : J is upstream of I in industry_up, and link(J) is
                                  upstream of the firm's link in the template (any tier)}|

with I the firm's industry and J the chain's other KG industries. Only KG relations that run the
template's way count: counting the KG's downstream mentions too put small distributors above drug
makers, and its "outside"/"cycle" pairs (``kg_omitted``) put telecom contractors above network
equipment makers (the KG's industry_up is noisy in both directions). The KG holds no firm size and
links industries, not firms, so every firm of one industry gets the same score: **ties are shown
as ties** (dense rank, ``tied`` = True, label ``"=1"``), not as an order. A user attribute (e.g.
revenue, from a file the pipeline reads) breaks ties and re-ranks firms within the same n_links;
without one, ``attrs["note"]`` says that the ranking has no size information.

The old reverse-PageRank list (:func:`chainatlas.ecosystems.leaders.chain_leaders`) ranks nodes
by weighted downstream reach of the whole KG; it put coke and phosphate firms first and remains
only as the ``ecosystems leaders --method reverse-pagerank`` option.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from chainatlas.chains.gaps import EXCLUDE_FLAGS
from chainatlas.chains.templates import STAGES, ChainTemplate, chain_template
from chainatlas.errors import InputError, SchemaError
from chainatlas.validation import validate_params

__all__ = ["link_connections", "chain_leader_candidates", "dense_rank"]

NO_SIZE_NOTE = (
    "no firm attribute given: the data hold no firm size, so firms with the same number of "
    "linked links are tied (pass a firm attribute file, e.g. revenue, to re-rank them)"
)


def _ancestors(t: ChainTemplate) -> dict[str, set[str]]:
    """Every link's upstream links over all tiers (the template is acyclic)."""
    up = {ln.id: set(ln.upstream) for ln in t.links}
    out: dict[str, set[str]] = {}

    def visit(link: str) -> set[str]:
        if link not in out:
            acc: set[str] = set()
            for u in up[link]:
                acc |= {u} | visit(u)
            out[link] = acc
        return out[link]

    for link in up:
        visit(link)
    return out


def link_connections(template: ChainTemplate, upstream: pd.DataFrame) -> pd.DataFrame:
    """For every KG industry of the template: its link and the chain links it draws on.

    Returns
    -------
    DataFrame
        Indexed by industry: ``link``, ``stage``, ``connected`` (sorted tuple of link ids, own
        link included), ``n_links``.
    """
    where = {ind: ln.id for ln in template.links for ind in ln.kg_industries}
    stage = {ln.id: ln.stage for ln in template.links}
    above = _ancestors(template)
    u = upstream.loc[upstream["industry"].isin(where) & upstream["upstream"].isin(where)]
    conn: dict[str, set[str]] = {ind: {link} for ind, link in where.items()}
    for a, b in zip(u["industry"], u["upstream"], strict=True):
        if where[b] in above[where[a]]:
            conn[a].add(where[b])  # a buys from b, a supplier tier the template admits
    rows = [(ind, where[ind], stage[where[ind]], tuple(sorted(c))) for ind, c in conn.items()]
    out = pd.DataFrame(rows, columns=["industry", "link", "stage", "connected"])
    out["n_links"] = out["connected"].map(len)
    return out.set_index("industry")


def dense_rank(keys: pd.DataFrame) -> pd.Series:
    """Dense rank (1 = best) over the rows of `keys`, all columns descending; NaN last.

    Examples
    --------
    >>> dense_rank(pd.DataFrame({"a": [3, 3, 1, 2]})).tolist()
    [1, 1, 3, 2]
    """
    filled = keys.astype(float).fillna(-np.inf)
    tuples = list(map(tuple, filled.to_numpy()))
    order = sorted(set(tuples), reverse=True)
    pos = {t: i + 1 for i, t in enumerate(order)}
    return pd.Series([pos[t] for t in tuples], index=keys.index, dtype=int)


def _attribute(attributes: pd.Series | None, codes: pd.Series) -> pd.Series | None:
    if attributes is None:
        return None
    if not isinstance(attributes, pd.Series) or not pd.api.types.is_numeric_dtype(attributes):
        raise SchemaError(
            "the firm attribute must be a numeric Series indexed by ts_code",
            received=type(attributes).__name__,
            fix="read the file with columns ts_code and one numeric column",
        )
    if attributes.index.has_duplicates:
        dup = attributes.index[attributes.index.duplicated()].unique()[:5].tolist()
        raise SchemaError("the firm attribute file repeats ts_codes", received=dup)
    return codes.map(attributes)


def _candidate_links(t: ChainTemplate, stages: Iterable[str] | None) -> list[str]:
    if stages is None:
        marked = [ln.id for ln in t.links if ln.integrator]
        if marked:
            return marked
        stages = ("中游", "下游")
    stages = list(stages)
    bad = [s for s in stages if s not in STAGES]
    if bad or not stages:
        raise InputError("unknown stages", received=bad or stages, fix=f"use some of {STAGES}")
    return [ln.id for ln in t.links if ln.stage in stages]


@validate_params
def chain_leader_candidates(
    chain: str | ChainTemplate,
    *,
    firms: pd.DataFrame,
    upstream: pd.DataFrame,
    attributes: pd.Series | None = None,
    province: str | None = None,
    stages: Iterable[str] | None = None,
    exclude: Iterable[str] = EXCLUDE_FLAGS,
) -> pd.DataFrame:
    """Chain-leader candidates of one chain, ranked with ties shown.

    Parameters
    ----------
    chain : str or ChainTemplate
    firms : DataFrame
        Firm table with ``ts_code``, ``name``, ``province``, ``kg_industry``, ``flag``.
    upstream : DataFrame
        KG ``industry_up`` relations (``industry``, ``upstream``, ``weight``).
    attributes : Series, optional
        A numeric firm attribute indexed by ``ts_code`` (name = the attribute's name, e.g.
        ``revenue``); breaks ties within equal n_links (larger first, missing last).
    province : str, optional
        Keep the firms of one province (io_code).
    stages : iterable of str, optional
        Take the candidates from the links of these stages instead of the integrator links.
    exclude : iterable of str
        Firm flags left out (default ST, *ST, delisted).

    Returns
    -------
    DataFrame
        rank, rank_label (``"=1"`` when tied), tied, ts_code, name, province, kg_industry, link,
        stage, n_links, connected, [attribute]; ``attrs["note"]`` when no attribute is given,
        ``attrs["matched"]`` (candidates with an attribute value) otherwise.

    Raises
    ------
    InputError
        An unknown stage; :class:`SchemaError` for a bad attribute series.
    """
    t = chain_template(chain)
    conn = link_connections(t, upstream)
    conn = conn.loc[conn["link"].isin(_candidate_links(t, stages))]
    f = firms.loc[firms["kg_industry"].isin(conn.index) & ~firms["flag"].isin(list(exclude))]
    if province is not None:
        f = f.loc[f["province"] == province]
    out = f[["ts_code", "name", "province", "kg_industry"]].reset_index(drop=True)
    out = out.join(conn, on="kg_industry")
    keys = out[["n_links"]].copy()
    attr = _attribute(attributes, out["ts_code"])
    name = None
    if attr is not None:
        name = str(attributes.name or "attribute")  # type: ignore[union-attr]
        out[name] = attr.to_numpy()
        keys[name] = attr.to_numpy()
    out.insert(0, "rank", dense_rank(keys))
    out.insert(1, "tied", out.duplicated("rank", keep=False))
    out.insert(1, "rank_label", np.where(out["tied"], "=", "") + out["rank"].astype(str))
    sort = ["rank", *([name] if name else []), "ts_code"]
    out = out.sort_values(sort, ascending=[True, *([False] if name else []), True])
    out = out.reset_index(drop=True)
    if attr is None:
        out.attrs["note"] = NO_SIZE_NOTE
    else:
        out.attrs["matched"] = int(attr.notna().sum())
    return out
