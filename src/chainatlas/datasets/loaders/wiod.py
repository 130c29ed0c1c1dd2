"""Loader for the World Input–Output Database, 2013 release (世界投入产出数据库), 1995–2011.

Specs are ``wiod-2013:YEAR``. Each ``wiot_YEAR.RData`` (R package ``wiod``, bquast/wiod) is a list
with ``inter`` (1435 × 1435 = 41 economies incl. RoW × 35 ISIC Rev.3 sectors), ``final``
(1435 × 205 = 41 economies × 5 final-use categories), ``output`` (1435), ``countries`` and
``industries``; USD million, current prices, rounded to integers.

Mapping to :class:`~chainatlas.io.table.IOTable` (``layout="multi-region"``):

* labels: a (region, sector) MultiIndex, sectors ``c1``…``c35``;
* ``Y`` columns: (region, category) with WIOD's five final-use categories per economy, in
  WIOD's order — ``CONS_h`` (households), ``CONS_np`` (non-profit institutions serving
  households), ``CONS_g`` (government), ``GFCF`` (gross fixed capital formation) and ``INVEN``
  (changes in inventories and valuables). The order is verified on load: only ``INVEN`` and
  ``GFCF`` may be negative;
* ``x`` = ``output``; ``V`` is one row ``VA`` = x − 1ᵀZ, *derived* (the files carry no value
  added); international transport margins and taxes are therefore inside ``VA``;
* values are rounded to whole USD million, so rows balance only up to rounding (max measured
  gap 113 over 1995–2011): ``balance_atol`` = :data:`BALANCE_ATOL`;
* sectors with zero output (18–22 per year, e.g. c35 "private households" in many economies)
  are kept with ``zero_output="zero-coefficients"`` (pymrio's convention) and listed in the
  provenance.

Examples
--------
>>> SPECS()[0], SPECS()[-1]
('1995', '2011')
>>> FINAL_DEMAND_CATEGORIES[0]
'CONS_h'
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.datasets.registry import data_path, file_sha256, get_dataset
from chainatlas.errors import SchemaError, UnknownDatasetError, suggest
from chainatlas.io.table import IOTable
from chainatlas.provenance import Provenance

__all__ = [
    "SPECS",
    "load",
    "FINAL_DEMAND_CATEGORIES",
    "SECTOR_NAMES",
    "BALANCE_ATOL",
    "UNIT",
]

DATASET = "wiod-2013"
UNIT = "USD million"
YEARS = list(range(1995, 2012))

#: WIOD 2013 final-use categories, in the order of the ``final`` block (per economy)
FINAL_DEMAND_CATEGORIES: list[str] = ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"]
FINAL_DEMAND_NAMES: dict[str, tuple[str, str]] = {
    "CONS_h": ("Final consumption expenditure by households", "居民最终消费"),
    "CONS_np": (
        "Final consumption expenditure by non-profit organisations serving households",
        "为住户服务的非营利机构最终消费",
    ),
    "CONS_g": ("Final consumption expenditure by government", "政府最终消费"),
    "GFCF": ("Gross fixed capital formation", "固定资本形成总额"),
    "INVEN": ("Changes in inventories and valuables", "存货和贵重物品变动"),
}

#: absolute row-balance tolerance (USD million) for the rounded WIOD tables: the largest gap
#: measured over 1995–2011 is 113 (year 2000); 150 leaves a margin. Columns balance exactly
#: because VA is derived.
BALANCE_ATOL = 150.0

#: WIOD 2013 release, 35 sectors (ISIC Rev.3 codes), from the WIOD sector classification
#: (Timmer et al. 2015, Table 1; WIOD Working Paper 10).
SECTOR_NAMES: dict[str, tuple[str, str, str]] = {
    "c1": ("AtB", "Agriculture, hunting, forestry and fishing", "农林牧渔业"),
    "c2": ("C", "Mining and quarrying", "采矿业"),
    "c3": ("15t16", "Food, beverages and tobacco", "食品、饮料和烟草"),
    "c4": ("17t18", "Textiles and textile products", "纺织及纺织制品"),
    "c5": ("19", "Leather, leather products and footwear", "皮革、皮革制品和鞋类"),
    "c6": ("20", "Wood and products of wood and cork", "木材及木制品"),
    "c7": ("21t22", "Pulp, paper, printing and publishing", "纸浆、造纸、印刷和出版"),
    "c8": ("23", "Coke, refined petroleum and nuclear fuel", "焦炭、精炼石油和核燃料"),
    "c9": ("24", "Chemicals and chemical products", "化学品及化学制品"),
    "c10": ("25", "Rubber and plastics", "橡胶和塑料"),
    "c11": ("26", "Other non-metallic mineral", "其他非金属矿物制品"),
    "c12": ("27t28", "Basic metals and fabricated metal", "基本金属和金属制品"),
    "c13": ("29", "Machinery, nec", "其他机械"),
    "c14": ("30t33", "Electrical and optical equipment", "电气和光学设备"),
    "c15": ("34t35", "Transport equipment", "交通运输设备"),
    "c16": ("36t37", "Manufacturing, nec; recycling", "其他制造业和回收"),
    "c17": ("E", "Electricity, gas and water supply", "电力、燃气和水的供应"),
    "c18": ("F", "Construction", "建筑业"),
    "c19": (
        "50",
        "Sale, maintenance and repair of motor vehicles and motorcycles; retail sale of fuel",
        "机动车销售、维修及燃料零售",
    ),
    "c20": (
        "51",
        "Wholesale trade and commission trade, except of motor vehicles and motorcycles",
        "批发和佣金贸易",
    ),
    "c21": (
        "52",
        "Retail trade, except of motor vehicles and motorcycles; repair of household goods",
        "零售贸易和家用品修理",
    ),
    "c22": ("H", "Hotels and restaurants", "住宿和餐饮"),
    "c23": ("60", "Inland transport", "内陆运输"),
    "c24": ("61", "Water transport", "水上运输"),
    "c25": ("62", "Air transport", "航空运输"),
    "c26": (
        "63",
        "Other supporting and auxiliary transport activities; activities of travel agencies",
        "其他运输辅助活动和旅行社",
    ),
    "c27": ("64", "Post and telecommunications", "邮政和电信"),
    "c28": ("J", "Financial intermediation", "金融中介"),
    "c29": ("70", "Real estate activities", "房地产"),
    "c30": (
        "71t74",
        "Renting of machinery and equipment and other business activities",
        "机器设备租赁和其他商务活动",
    ),
    "c31": (
        "L",
        "Public administration and defence; compulsory social security",
        "公共管理和国防、强制性社会保障",
    ),
    "c32": ("M", "Education", "教育"),
    "c33": ("N", "Health and social work", "卫生和社会工作"),
    "c34": ("O", "Other community, social and personal services", "其他社区、社会和个人服务"),
    "c35": ("P", "Private households with employed persons", "雇佣人员的私人家庭"),
}

_CITATION_NOTE = "R package wiod (bquast/wiod)"


def SPECS() -> list[str]:  # noqa: N802 (name fixed by the loader protocol)
    """Return the loadable keys: the years ``"1995"`` … ``"2011"``."""
    return [str(y) for y in YEARS]


def _read(path: Path, year: int) -> dict[str, Any]:
    import rdata

    with warnings.catch_warnings():
        # the list carries R class "iot", for which rdata has no constructor; the plain list
        # it returns instead is what we want
        warnings.filterwarnings("ignore", message="Missing constructor", category=UserWarning)
        parsed = rdata.read_rda(str(path))
    obj = parsed.get(f"wiot_{year}")
    needed = {"inter", "final", "output", "countries", "industries"}
    if not isinstance(obj, dict) or not needed <= set(obj):
        raise SchemaError(
            f"{path.name} is not a WIOD table list",
            received=list(obj) if isinstance(obj, dict) else type(obj).__name__,
            fix="re-fetch the file (chainatlas datasets fetch wiod-2013)",
        )
    return obj


def load(key: str, *, progress: bool = True) -> IOTable:
    """Load the WIOD 2013-release world IO table of one year.

    Parameters
    ----------
    key : str
        The year, ``"1995"`` … ``"2011"``.
    progress : bool
        Show a download progress bar when the file is fetched.

    Returns
    -------
    IOTable
        ``layout="multi-region"``; ``Z`` 1435 × 1435, ``Y`` 1435 × 205 ((region, category)
        columns), ``V`` 1 × 1435 (``VA`` = x − 1ᵀZ, derived), ``x`` 1435, USD million.
        ``sectors`` holds ``code`` (c1…c35), ``isic`` (ISIC Rev.3), ``name_en``, ``name_zh``.

    Raises
    ------
    UnknownDatasetError
        Unknown year (close years are suggested).
    SchemaError
        The file does not have the expected shapes.

    Notes
    -----
    Source: Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J. (2015),
    An Illustrated User Guide to the World Input–Output Database, *Review of International
    Economics* 23: 575–605 (CC BY 4.0), via the R package wiod.
    """
    if key not in SPECS():
        raise UnknownDatasetError(
            f"unknown wiod-2013 year {key!r}",
            fix=suggest(key, SPECS()) + " Years: 1995 to 2011",
        )
    year = int(key)
    fname = f"wiot_{year}.RData"
    path = data_path(DATASET, fname, progress=progress)
    obj = _read(path, year)
    countries = [str(c) for c in np.asarray(obj["countries"]).ravel()]
    industries = [str(c) for c in np.asarray(obj["industries"]).ravel()]
    n = len(countries) * len(industries)
    Zv = np.asarray(obj["inter"], dtype=float)
    Fv = np.asarray(obj["final"], dtype=float)
    xv = np.asarray(obj["output"], dtype=float).ravel()
    ncat = len(FINAL_DEMAND_CATEGORIES)
    if Zv.shape != (n, n) or Fv.shape != (n, len(countries) * ncat) or xv.shape != (n,):
        raise SchemaError(
            f"{fname}: unexpected shapes",
            received={"inter": Zv.shape, "final": Fv.shape, "output": xv.shape},
            fix=f"expected inter {n}×{n}, final {n}×{len(countries) * ncat}, output {n}",
        )
    if industries != list(SECTOR_NAMES):
        raise SchemaError(f"{fname}: unexpected industries", received=industries[:5])
    negative_cols = {FINAL_DEMAND_CATEGORIES[j % ncat] for j in np.flatnonzero((Fv < 0).any(0))}
    if not negative_cols <= {"GFCF", "INVEN"}:
        raise SchemaError(
            f"{fname}: negative final demand outside GFCF/INVEN — category order not as expected",
            received=sorted(negative_cols),
        )
    labels = pd.MultiIndex.from_product([countries, industries], names=["region", "sector"])
    ycols = pd.MultiIndex.from_product(
        [countries, FINAL_DEMAND_CATEGORIES], names=["region", "category"]
    )
    Z = pd.DataFrame(Zv, index=labels, columns=labels)
    Y = pd.DataFrame(Fv, index=labels, columns=ycols)
    x = pd.Series(xv, index=labels, name="x")
    V = pd.DataFrame((xv - Zv.sum(axis=0))[np.newaxis, :], index=["VA"], columns=labels)
    sectors = pd.DataFrame(
        {
            "code": [s for _, s in labels],
            "isic": [SECTOR_NAMES[s][0] for _, s in labels],
            "name_en": [SECTOR_NAMES[s][1] for _, s in labels],
            "name_zh": [SECTOR_NAMES[s][2] for _, s in labels],
            "region": [r for r, _ in labels],
        },
        index=labels,
    )
    zero = labels[xv == 0]
    zero_list = ", ".join(f"{r}/{s}" for r, s in zero)
    ds = get_dataset(DATASET)
    provenance = Provenance(
        source=f"{DATASET}:{key}",
        files=((fname, file_sha256(path)),),
        steps=(
            f"read {fname} with rdata (R class 'iot' read as a plain list)",
            "inter -> Z; final -> Y with columns (region, CONS_h, CONS_np, CONS_g, GFCF, INVEN); "
            "output -> x",
            "derived V = one row VA = x - 1'Z (value added incl. taxes and margins; not in the file)",
            f"balance tolerance: atol {BALANCE_ATOL:g} USD million (values rounded to integers)",
            f"zero_output='zero-coefficients' (pymrio's convention) for {len(zero)} sector(s) "
            f"with x = 0: {zero_list}",
        ),
        licence=ds.licence,
        citation=f"{ds.citation}; {_CITATION_NOTE}",
        extra=(("unit", UNIT), ("zero_output_sectors", zero_list)),
    )
    return IOTable(
        Z=Z,
        Y=Y,
        V=V,
        x=x,
        unit=UNIT,
        layout="multi-region",
        provenance=provenance,
        sectors=sectors,
        balance_atol=BALANCE_ATOL,
        zero_output="zero-coefficients",
    )
