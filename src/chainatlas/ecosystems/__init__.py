"""Ecosystems (生态群落): networks, communities and their evolution, hubs and chain leaders.

Modules: :mod:`~chainatlas.ecosystems.networks` (Network, builders, backbones),
:mod:`~chainatlas.ecosystems.records` (firm records → snapshots, DuckDB / Spark),
:mod:`~chainatlas.ecosystems.communities` (Leiden), :mod:`~chainatlas.ecosystems.evolution`
(Greene et al. 2010 tracking), :mod:`~chainatlas.ecosystems.hubs`,
:mod:`~chainatlas.ecosystems.leaders`, :mod:`~chainatlas.ecosystems.apple` and
:mod:`~chainatlas.pipelines.ecosystems` (real-data runs). See ``docs/ecosystems.md``.
"""

from chainatlas.ecosystems.communities import communities
from chainatlas.ecosystems.evolution import Evolution, track_communities
from chainatlas.ecosystems.hubs import community_hubs, hub_dependence
from chainatlas.ecosystems.leaders import chain_leaders
from chainatlas.ecosystems.networks import Network, backbone, io_network, network_from_edges
from chainatlas.ecosystems.records import make_periods, snapshot_records

__all__ = [
    "Evolution",
    "Network",
    "backbone",
    "chain_leaders",
    "communities",
    "community_hubs",
    "hub_dependence",
    "io_network",
    "make_periods",
    "network_from_edges",
    "snapshot_records",
    "track_communities",
]
