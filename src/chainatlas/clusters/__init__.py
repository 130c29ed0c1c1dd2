"""Clusters (产业集群): where clusters are, how strong they are, how industries relate.

* :mod:`~chainatlas.clusters.regional` — the region × industry container :class:`RegionIndustry`;
* :mod:`~chainatlas.clusters.agglomeration` — LQ, Krugman, Hoover, Gini, HHI;
* :mod:`~chainatlas.clusters.strength` — US Cluster Mapping flags and European stars;
* :mod:`~chainatlas.clusters.definitions` — cluster definitions from IO linkages (DPS 2016);
* :mod:`~chainatlas.clusters.digital` — digital-economy core industries and digital clusters;
* :mod:`~chainatlas.clusters.geese` — the flying-geese typology (头雁/雁阵).
"""

from chainatlas.clusters.agglomeration import (
    agglomeration_summary,
    gini_localisation,
    hhi_concentration,
    hoover_localisation,
    krugman_specialisation,
    location_quotient,
)
from chainatlas.clusters.definitions import (
    cluster_definitions,
    combined_relatedness,
    define_clusters,
    io_relatedness,
    validate_clusters,
)
from chainatlas.clusters.digital import (
    VintageMismatchError,
    classify_sectors,
    digital_clusters,
    mapping_table,
)
from chainatlas.clusters.geese import flying_geese
from chainatlas.clusters.regional import RegionIndustry, ZeroTotalsError
from chainatlas.clusters.strength import cluster_stars, cmp_strength, strength_table

__all__ = [
    "RegionIndustry",
    "ZeroTotalsError",
    "VintageMismatchError",
    "location_quotient",
    "krugman_specialisation",
    "hoover_localisation",
    "gini_localisation",
    "hhi_concentration",
    "agglomeration_summary",
    "cmp_strength",
    "cluster_stars",
    "strength_table",
    "io_relatedness",
    "combined_relatedness",
    "define_clusters",
    "validate_clusters",
    "cluster_definitions",
    "mapping_table",
    "classify_sectors",
    "digital_clusters",
    "flying_geese",
]
