"""Loader for ``us-cluster-mapping``: US Cluster Mapping Project definitions (DPS 2016).

Specs (each a DataFrame)
------------------------
* ``us-cluster-mapping:naics`` — ``NAICS_crosswalks_to_Cluster_system.xlsx`` (read with
  python-calamine): ``naics`` (6-digit string), ``traded`` (bool), ``cluster``, ``subcluster``,
  ``nonstandard`` (True for the vendor-specific, non-NAICS codes), ``description``.
* ``us-cluster-mapping:linkage`` — ``ClusterLinkage.xlsx``: ``core``, ``linked``, ``strength``.
* ``us-cluster-mapping:related`` — ``relatedClusters.json``: one row per ordered pair of the 51
  traded clusters (2,601 rows): ``code_a``, ``code_b`` (CMP cluster codes), ``cluster_a``,
  ``cluster_b`` (names) and the relatedness measures as floats: ``cr_io`` (input–output),
  ``cr_occ`` (occupations), ``cr_lc`` (co-location), ``cr_lcemp``, ``cr_lcest``, ``cr_all``
  and their percentiles ``*_pc``.
"""

from __future__ import annotations

import functools
import json

import pandas as pd

from chainatlas.datasets.registry import data_path

DATASET = "us-cluster-mapping"

_MEASURES = ["cr_io", "cr_occ", "cr_lc", "cr_lcemp", "cr_lcest", "cr_all"]


@functools.cache
def naics_clusters(*, progress: bool = True) -> pd.DataFrame:
    """NAICS → traded/local cluster and subcluster (992 rows)."""
    path = data_path(DATASET, "NAICS_crosswalks_to_Cluster_system.xlsx", progress=progress)
    d = pd.read_excel(path, sheet_name="Emsi NAICS to Porter Cluster", engine="calamine", dtype=str)
    d.columns = [str(c).strip() for c in d.columns]
    return pd.DataFrame(
        {
            "naics": d["NAICS"].astype(str).str.strip(),
            "traded": d["TradedLocal"].astype(str).str.strip().eq("Traded"),
            "cluster": d["Cluster"].astype(str).str.strip(),
            "subcluster": d["SubclusterName"].astype(str).str.strip(),
            "nonstandard": d["EmsiSpecificNAICS (non standard)"].astype(str).str.strip().eq("True"),
            "description": d["Description"].astype(str),
        }
    )


def cluster_linkage(*, progress: bool = True) -> pd.DataFrame:
    """Core → linked traded clusters with a strength label (203 rows)."""
    path = data_path(DATASET, "ClusterLinkage.xlsx", progress=progress)
    d = pd.read_excel(path, sheet_name="Sheet1", engine="calamine")
    d.columns = [str(c).strip() for c in d.columns]
    return pd.DataFrame(
        {
            "core": d["Core Cluster"].astype(str).str.strip(),
            "linked": d["Linked Cluster"].astype(str).str.strip(),
            "strength": d["Strength"].astype(str).str.strip(),
        }
    )


@functools.cache
def related_clusters(*, progress: bool = True) -> pd.DataFrame:
    """Pairwise relatedness of the 51 traded clusters (2,601 ordered pairs)."""
    path = data_path(DATASET, "relatedClusters.json", progress=progress)
    recs = json.loads(path.read_text(encoding="utf-8"))
    d = pd.DataFrame.from_records(recs)
    out = pd.DataFrame(
        {
            "code_a": pd.to_numeric(d["clustera"]).astype(int),
            "code_b": pd.to_numeric(d["clusterb"]).astype(int),
            "cluster_a": d["cluster_name"].astype(str),
            "cluster_b": d["cluster_name_2"].astype(str),
        }
    )
    for m in _MEASURES:
        out[m] = pd.to_numeric(d[m].replace("", None), errors="coerce")
        out[m + "_pc"] = pd.to_numeric(d[m + "_pc"].replace("", None), errors="coerce")
    return out


def definition_inputs(*, progress: bool = True) -> dict[str, object]:
    """Everything :func:`chainatlas.clusters.definitions.cluster_definitions` needs.

    Returns ``{"sut": bea-io:2017-detail, "crosswalk": bea-io:crosswalk,
    "naics": us-cluster-mapping:naics, "related": us-cluster-mapping:related}``.
    """
    from chainatlas.datasets.loaders import bea

    return {
        "sut": bea.load("2017-detail", progress=progress),
        "crosswalk": bea.crosswalk(progress=progress),
        "naics": naics_clusters(progress=progress).copy(),
        "related": related_clusters(progress=progress).copy(),
    }


_SPECS = {"naics": naics_clusters, "linkage": cluster_linkage, "related": related_clusters}


def SPECS() -> list[str]:
    """Valid keys: naics, linkage, related."""
    return list(_SPECS)


def load(key: str, *, progress: bool = True) -> pd.DataFrame:
    """Load one of the CMP tables as a DataFrame (a copy)."""
    return _SPECS[key](progress=progress).copy()
