"""Provincial analyses (省级分析): interprovincial dependence, groupings, the digital core over time.

* :mod:`~chainatlas.regions.dependence` — inflow and import shares of each province's use
  (direct and total, through the province's Leontief inverse), net suppliers;
* :mod:`~chainatlas.regions.groups` — NBS four regions, 西南/西北 and 中西部;
* :mod:`~chainatlas.regions.digital` — the digital-economy core by province and the
  flying-geese typology over time, with transitions.

Domain layer: labelled pandas objects in, no dataset loading (the loaders are in
:mod:`chainatlas.datasets.loaders.china_provincial_io`).
"""

from chainatlas.regions.dependence import (
    dependence_profile,
    local_table,
    net_suppliers,
    supply_shares,
    top_dependent,
    total_dependence,
)
from chainatlas.regions.digital import digital_core, digital_over_time, geese_transitions
from chainatlas.regions.groups import GROUPS, group_members, group_of, group_table

__all__ = [
    "supply_shares",
    "total_dependence",
    "dependence_profile",
    "top_dependent",
    "net_suppliers",
    "local_table",
    "digital_core",
    "digital_over_time",
    "geese_transitions",
    "GROUPS",
    "group_members",
    "group_of",
    "group_table",
]
