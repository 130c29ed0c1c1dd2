"""Cluster definitions from inter-industry linkages (基于产业关联的集群划分), after DPS (2016).

Delgado, Porter & Stern (2016), "Defining clusters of related industries", *Journal of
Economic Geography* 16(1): 1–38 (DPS), group industries into clusters by relatedness. This
module follows their input–output leg and validates against their published definitions:

1. :func:`industry_flows` — industry × industry flows from a Use (commodity × industry) and
   Make (industry × commodity) table, by the industry-technology (market-share)
   transformation Z = D U with D = Make q̂⁻¹ (Miller & Blair 2009, §5.3; q = commodity output).
2. :func:`io_relatedness` — IO_ij = max(in_ij, in_ji, out_ij, out_ji) (DPS §3.2): in_ij is the
   share of i's intermediate inputs bought from j, out_ij the share of i's output sold to j.
3. :func:`combined_relatedness` — when a region × industry matrix at the same granularity is
   given, the IO measure is averaged, on a percentile scale, with co-location (correlation
   across regions of the industries' LQs), as DPS combine their measures.
4. :func:`define_clusters` — hierarchical (scipy, average linkage on 1 − percentile
   relatedness) or Leiden (leidenalg, RB-configuration on the relatedness graph).
5. :func:`official_bea_clusters`, :func:`validate_clusters`, :func:`compare_cr_io` — map the
   official NAICS → 51 traded clusters onto BEA detail industries via ``MasterCrosswalk2017``;
   ARI and NMI (scikit-learn); correlation of cluster-to-cluster IO relatedness with the
   official ``cr_io``.

Examples
--------
>>> import pandas as pd
>>> Z = pd.DataFrame([[0.0, 5.0], [1.0, 0.0]], index=["a", "b"], columns=["a", "b"])
>>> io_relatedness(Z, pd.Series([10.0, 10.0], index=["a", "b"])).values.tolist()
[[0.0, 1.0], [1.0, 0.0]]
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.clusters.regional import RegionIndustry
from chainatlas.errors import (
    InputError,
    LabelError,
    NegativeValueError,
    NonFiniteError,
    check_option,
)
from chainatlas.kernels import clusters as k
from chainatlas.validation import validate_params

__all__ = [
    "industry_flows",
    "io_relatedness",
    "combined_relatedness",
    "define_clusters",
    "official_bea_clusters",
    "validate_clusters",
    "cluster_relatedness",
    "compare_cr_io",
    "cluster_definitions",
]

Method = Literal["hierarchical", "leiden"]


def industry_flows(use: pd.DataFrame, make: pd.DataFrame) -> pd.DataFrame:
    """Industry × industry intermediate flows Z = D U, D = Make q̂⁻¹ (industry technology).

    Parameters
    ----------
    use : DataFrame, (commodities, industries)
        Intermediate use of commodities by industries.
    make : DataFrame, (industries, commodities)
        Production of commodities by industries; columns must equal `use`'s rows.

    Returns
    -------
    DataFrame, (industries, industries)
        Z[j, i]: sales of industry j's output to industry i, in the tables' unit. Commodities
        nobody makes (q = 0, e.g. non-comparable imports) are left out.

    Raises
    ------
    LabelError
        When the commodity or industry labels of the two tables differ.
    """
    if not make.columns.equals(use.index) or not make.index.equals(use.columns):
        raise LabelError(
            "Use and Make tables are not aligned",
            received=f"use {use.shape}, make {make.shape}",
            fix="Use rows must equal Make columns (commodities) and Use columns equal Make "
            "rows (industries), in the same order",
        )
    q = make.to_numpy(dtype=float).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        D = np.where(q > 0, make.to_numpy(dtype=float) / q, 0.0)
    Z = D @ use.to_numpy(dtype=float)
    return pd.DataFrame(Z, index=make.index, columns=make.index)


def io_relatedness(Z: pd.DataFrame, x: pd.Series) -> pd.DataFrame:
    """DPS input–output relatedness IO_ij = max(in_ij, in_ji, out_ij, out_ji), symmetric.

    Parameters
    ----------
    Z : DataFrame, (n, n)
        Industry × industry flows (Z[j, i] = sales of j to i), non-negative.
    x : Series, (n,)
        Total output of each industry (denominator of output shares).

    Returns
    -------
    DataFrame, (n, n), values in [0, 1], zero diagonal.

    Raises
    ------
    LabelError, NonFiniteError, NegativeValueError
        Misaligned labels, NaN/inf, negative flows.
    """
    if not Z.index.equals(Z.columns) or not x.index.equals(Z.index):
        raise LabelError(
            "Z must be square with the same labels as x", fix="align Z rows, columns and x"
        )
    a = Z.to_numpy(dtype=float)
    xv = x.to_numpy(dtype=float)
    if not (np.isfinite(a).all() and np.isfinite(xv).all()):
        raise NonFiniteError("Z or x has NaN or infinite values", fix="clean the table")
    if (a < 0).any():
        raise NegativeValueError(
            f"{int((a < 0).sum())} negative flow(s) in Z",
            fix="relatedness shares need non-negative flows; clip or correct them explicitly",
        )
    R = k.io_relatedness(a, xv)
    return pd.DataFrame(R, index=Z.index, columns=Z.index)


def combined_relatedness(io_rel: pd.DataFrame, ri: RegionIndustry | None = None) -> pd.DataFrame:
    """IO relatedness, combined with co-location when a region × industry matrix is given.

    Without `ri`, returns the percentile rank (0–1] of the IO relatedness. With `ri` (columns
    must be exactly the industries of `io_rel`), returns the mean of the percentile ranks of
    IO relatedness and of co-location correlation (LQs across regions).

    Raises
    ------
    LabelError
        When `ri`'s industries differ from `io_rel`'s (granularity or vintage mismatch).
    """
    P = k.percentile_rank_offdiag(io_rel.to_numpy(dtype=float))
    if ri is not None:
        if set(ri.values.columns) != set(io_rel.index):
            raise LabelError(
                "the region × industry matrix is not at the relatedness matrix's granularity",
                received=f"{ri.values.shape[1]} industries ({ri.classification or 'unknown'}) "
                f"vs {len(io_rel)}",
                fix="aggregate both to the same industry codes first",
            )
        E = ri.checked("raise").values[io_rel.index].to_numpy(dtype=float)
        C = k.colocation_correlation(E)
        P = 0.5 * (P + k.percentile_rank_offdiag(C))
    return pd.DataFrame(P, index=io_rel.index, columns=io_rel.index)


@validate_params
def define_clusters(
    R: pd.DataFrame,
    *,
    method: Method = "hierarchical",
    n_clusters: int = 51,
    resolution: float | None = None,
    seed: int = 0,
) -> pd.Series:
    """Group industries into clusters from a symmetric relatedness matrix.

    Parameters
    ----------
    R : DataFrame, (n, n)
        Relatedness (higher = more related), symmetric, non-negative.
    method : {"hierarchical", "leiden"}
        ``"hierarchical"``: scipy average linkage on d = 1 − percentile rank of R (pairs with
        R = 0 at distance 1), cut into `n_clusters`. ``"leiden"``: leidenalg RB-configuration
        partition of the graph weighted by R, keeping each industry's 10 strongest links
        (k-nearest-neighbour sparsification; the union over both ends).
    n_clusters : int
        Number of clusters (DPS: 51 traded clusters): the hierarchical cut; for Leiden without
        a `resolution`, γ is found by bisection on log γ in [0.01, 100] (14 steps) so that
        the cluster count is as close as possible to `n_clusters`.
    resolution : float, optional
        Leiden resolution γ (higher → more, smaller clusters); overrides `n_clusters`.
    seed : int
        Leiden random seed (results are reproducible for a given seed).

    Returns
    -------
    Series, (n,), int cluster labels 0..k−1, indexed like R.

    Raises
    ------
    InputError
        Non-square or asymmetric R, or n_clusters outside [1, n].
    """
    check_option("method", method, Method)
    a = R.to_numpy(dtype=float)
    n = a.shape[0]
    if a.shape != (n, n) or not np.allclose(a, a.T, atol=1e-12):
        raise InputError("R must be a square symmetric matrix", received=a.shape)
    if not 1 <= n_clusters <= n:
        raise InputError(
            "n_clusters must be between 1 and the number of industries",
            received=n_clusters,
            fix=f"pick 1..{n}",
        )
    P = k.percentile_rank_offdiag(a)
    P[a <= 0] = 0.0
    if method == "hierarchical":
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import squareform

        D = 1.0 - P
        np.fill_diagonal(D, 0.0)
        Lk = linkage(squareform(D, checks=False), method="average")
        labels = fcluster(Lk, t=n_clusters, criterion="maxclust") - 1
    elif method == "leiden":
        labels = _leiden(a, n_clusters=n_clusters, resolution=resolution, seed=seed)
    else:
        raise InputError(f"unknown method {method!r}", fix="use 'hierarchical' or 'leiden'")
    return pd.Series(labels.astype(int), index=R.index, name="cluster")


def _leiden(
    a: np.ndarray, *, n_clusters: int, resolution: float | None, seed: int, neighbours: int = 10
) -> np.ndarray:
    import igraph as ig
    import leidenalg

    n = a.shape[0]
    kk = min(neighbours, n - 1)
    top = np.argpartition(-a, kk, axis=1)[:, :kk]  # each industry's strongest links
    keep = np.zeros_like(a, dtype=bool)
    keep[np.repeat(np.arange(n), kk), top.ravel()] = True
    keep = (keep | keep.T) & (a > 0)
    iu = np.nonzero(np.triu(keep, 1))
    g = ig.Graph(n=n, edges=np.column_stack(iu).tolist())
    g.es["weight"] = a[iu].tolist()

    def run(gamma: float) -> np.ndarray:
        part = leidenalg.find_partition(
            g,
            leidenalg.RBConfigurationVertexPartition,
            weights="weight",
            resolution_parameter=gamma,
            seed=seed,
        )
        return np.asarray(part.membership)

    if resolution is not None:
        return run(resolution)
    lo, hi = np.log(0.01), np.log(100.0)
    best = run(1.0)
    for _ in range(14):  # bisection on log γ: the cluster count grows with γ
        mid = 0.5 * (lo + hi)
        lab = run(float(np.exp(mid)))
        k_ = len(np.unique(lab))
        if abs(k_ - n_clusters) < abs(len(np.unique(best)) - n_clusters):
            best = lab
        if k_ == n_clusters:
            break
        if k_ < n_clusters:
            lo = mid
        else:
            hi = mid
    return best


def official_bea_clusters(
    industries: pd.Index, crosswalk: pd.DataFrame, naics: pd.DataFrame
) -> pd.DataFrame:
    """Official CMP traded cluster of each BEA detail industry, via ``MasterCrosswalk2017``.

    Each BEA detail industry takes the six-digit NAICS 2012 codes the crosswalk lists for it;
    those found in the CMP NAICS table vote. The industry is *traded* when its traded NAICS are
    at least half of its matched codes, and takes the most frequent traded cluster (ties: the
    alphabetically first).

    Returns
    -------
    DataFrame indexed by BEA code (only industries with ≥ 1 matched NAICS)
        ``cluster`` (official traded cluster name, NaN when local), ``n_naics``, ``n_traded``,
        ``purity`` (share of traded NAICS in the winning cluster).
    """
    cw = crosswalk[crosswalk["naics_2012"].str.len() == 6]
    cw = cw[cw["detail"].isin(industries)]
    j = cw.merge(naics, left_on="naics_2012", right_on="naics", how="inner")
    if j.empty:
        return pd.DataFrame(columns=["cluster", "n_naics", "n_traded", "purity"])
    n_naics = j.groupby("detail").size()
    tr = j[j["traded"]]
    n_traded = tr.groupby("detail").size().reindex(n_naics.index, fill_value=0)
    counts = tr.groupby(["detail", "cluster"]).size().rename("n").reset_index()
    counts = counts.sort_values(["detail", "n", "cluster"], ascending=[True, False, True])
    top = counts.drop_duplicates("detail").set_index("detail")
    out = pd.DataFrame({"n_naics": n_naics, "n_traded": n_traded})
    out["cluster"] = top["cluster"].reindex(out.index)
    out["purity"] = (top["n"].reindex(out.index) / out["n_traded"]).where(out["n_traded"] > 0)
    out.loc[out["n_traded"] * 2 < out["n_naics"], "cluster"] = np.nan
    out.index.name = "industry"
    return out[["cluster", "n_naics", "n_traded", "purity"]]


def validate_clusters(labels: pd.Series, official: pd.Series) -> dict[str, float]:
    """Agreement of `labels` with `official` on their common, non-missing industries.

    Returns
    -------
    dict
        ``ari`` (adjusted Rand index), ``nmi`` (normalised mutual information, arithmetic
        mean), ``n`` (industries compared), ``k_found``, ``k_official``.
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    off = official.dropna()
    common = labels.index.intersection(off.index)
    a = labels.loc[common].to_numpy()
    b = off.loc[common].astype(str).to_numpy()
    return {
        "ari": float(adjusted_rand_score(b, a)),
        "nmi": float(normalized_mutual_info_score(b, a)),
        "n": int(len(common)),
        "k_found": int(len(np.unique(a))),
        "k_official": int(len(np.unique(b))),
    }


def cluster_relatedness(R: pd.DataFrame, assignment: pd.Series) -> pd.DataFrame:
    """Mean industry-pair relatedness between every two clusters (cluster × cluster).

    Diagonal cells average the off-diagonal pairs inside the cluster. Industries missing from
    `assignment` (or NaN) are left out.
    """
    a = assignment.dropna()
    idx = R.index.intersection(a.index)
    lab = a.loc[idx].astype(str)
    codes, uniq = pd.factorize(lab, sort=True)
    M = np.zeros((len(uniq), len(idx)))
    M[codes, np.arange(len(idx))] = 1.0
    Rv = R.loc[idx, idx].to_numpy(dtype=float)
    sums = M @ Rv @ M.T
    cnt = M.sum(axis=1)
    pairs = np.outer(cnt, cnt) - np.diag(cnt)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(pairs > 0, sums / pairs, np.nan)
    return pd.DataFrame(out, index=uniq, columns=uniq)


def compare_cr_io(R: pd.DataFrame, official: pd.Series, related: pd.DataFrame) -> dict[str, Any]:
    """Correlate cluster-to-cluster IO relatedness (from R) with the CMP ``cr_io``.

    Parameters
    ----------
    R : DataFrame
        Industry IO relatedness (e.g. :func:`io_relatedness` on BEA detail 2017).
    official : Series
        Official traded cluster name of each industry (:func:`official_bea_clusters`).
    related : DataFrame
        ``us-cluster-mapping:related`` (columns ``cluster_a``, ``cluster_b``, ``cr_io``).

    Returns
    -------
    dict
        ``pearson``, ``spearman`` over distinct cluster pairs (a ≠ b) present in both,
        ``n_pairs``, ``n_clusters``.
    """
    from scipy.stats import pearsonr, spearmanr

    C = cluster_relatedness(R, official)
    rel = related[related["cluster_a"] != related["cluster_b"]]
    rel = rel[rel["cluster_a"].isin(C.index) & rel["cluster_b"].isin(C.index)]
    ours = C.to_numpy()[
        C.index.get_indexer(rel["cluster_a"]), C.columns.get_indexer(rel["cluster_b"])
    ]
    theirs = rel["cr_io"].to_numpy(dtype=float)
    ok = np.isfinite(ours) & np.isfinite(theirs)
    return {
        "pearson": float(pearsonr(ours[ok], theirs[ok])[0]),
        "spearman": float(spearmanr(ours[ok], theirs[ok])[0]),
        "n_pairs": int(ok.sum()),
        "n_clusters": int(C.shape[0]),
    }


@validate_params
def cluster_definitions(
    sut: Any,
    crosswalk: pd.DataFrame,
    naics: pd.DataFrame,
    related: pd.DataFrame,
    *,
    industries: Literal["traded", "all"] = "traded",
    n_clusters: int | None = None,
    resolution: float | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Define clusters from Use/Make tables and validate them against the CMP definitions.

    Parameters
    ----------
    sut : SupplyUseTables
        ``bea-io:2017-detail`` (attributes ``use``, ``make``, ``industries``).
    crosswalk, naics, related : DataFrame
        ``bea-io:crosswalk``, ``us-cluster-mapping:naics``, ``us-cluster-mapping:related``
        (see :func:`chainatlas.datasets.loaders.cluster_mapping.definition_inputs`).
    industries : {"traded", "all"}
        Cluster only the industries that map to an official traded cluster (default, as DPS
        cluster traded industries) or all of them.
    n_clusters : int, optional
        Number of clusters; default = the number of official clusters represented.
    resolution, seed : Leiden options (see :func:`define_clusters`).

    Returns
    -------
    dict
        ``relatedness`` (DataFrame), ``official`` (DataFrame of :func:`official_bea_clusters`),
        ``hierarchical`` and ``leiden`` (label Series), ``validation`` (DataFrame: method ×
        ari, nmi, n, k_found, k_official, within, between, ratio), ``cr_io`` (dict of
        :func:`compare_cr_io`), ``industries`` (code-name table).
    """
    check_option("industries", industries, ("traded", "all"))
    Z = industry_flows(sut.use, sut.make)
    x = sut.make.sum(axis=1)
    R = io_relatedness(Z.clip(lower=0.0), x)
    official = official_bea_clusters(R.index, crosswalk, naics)
    traded = official["cluster"].dropna()
    Rs = R.loc[traded.index, traded.index] if industries == "traded" else R
    k_off = int(traded.nunique())
    kk = n_clusters or k_off
    hier = define_clusters(Rs, method="hierarchical", n_clusters=kk)
    leid = define_clusters(Rs, method="leiden", n_clusters=kk, resolution=resolution, seed=seed)
    rows = []
    Rv = Rs.to_numpy(dtype=float)
    for name, lab in [("hierarchical", hier), ("leiden", leid)]:
        v = validate_clusters(lab, traded)
        w, b = k.within_between(Rv, lab.to_numpy())
        rows.append({"method": name, **v, "within": w, "between": b, "ratio": w / b})
    off_lab = traded.reindex(Rs.index)
    codes = pd.Series(pd.factorize(off_lab)[0], index=Rs.index)
    w, b = k.within_between(Rv, codes.to_numpy())
    rows.append(
        {
            "method": "official (CMP)",
            "ari": 1.0,
            "nmi": 1.0,
            "n": int(off_lab.notna().sum()),
            "k_found": k_off,
            "k_official": k_off,
            "within": w,
            "between": b,
            "ratio": w / b,
        }
    )
    return {
        "relatedness": R,
        "official": official,
        "hierarchical": hier,
        "leiden": leid,
        "validation": pd.DataFrame(rows).set_index("method"),
        "cr_io": compare_cr_io(R, traded, related),
        "industries": sut.industries,
    }
