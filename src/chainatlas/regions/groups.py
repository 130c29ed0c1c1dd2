"""Regional groupings of China's provinces (区域划分): NBS four regions and policy groupings.

* the NBS four economic regions (国家统计局四大经济区域, 2011): 东部 East, 中部 Central,
  西部 West, 东北 Northeast — from :func:`chainatlas.geo.provinces`;
* 西南 Southwest: 重庆, 四川, 贵州, 云南, 西藏 (the five south-western provinces of the western
  development strategy's usual grouping); 西北 Northwest: 陕西, 甘肃, 青海, 宁夏, 新疆 (西北五省区).
  广西 and 内蒙古 are western (西部) but in neither;
* 中西部 Central and West: the provinces policy documents highlight (中部 + 西部).

Examples
--------
>>> group_members("西南")
['CHQ', 'SIC', 'GZH', 'YUN', 'XIZ']
>>> group_of("四川")
['西部', '西南', '中西部']
"""

from __future__ import annotations

import functools

import pandas as pd

from chainatlas.errors import UnknownCodeError, suggest
from chainatlas.geo import provinces, to_province_code

__all__ = ["GROUPS", "group_members", "group_of", "group_table", "HIGHLIGHT"]

#: group name (中文) -> (English, how it is defined)
GROUPS: dict[str, tuple[str, str]] = {
    "东部": ("East", "NBS four regions"),
    "中部": ("Central", "NBS four regions"),
    "西部": ("West", "NBS four regions"),
    "东北": ("Northeast", "NBS four regions"),
    "西南": ("Southwest", "重庆, 四川, 贵州, 云南, 西藏"),
    "西北": ("Northwest", "陕西, 甘肃, 青海, 宁夏, 新疆"),
    "中西部": ("Central and West", "中部 + 西部"),
}
_EXPLICIT = {
    "西南": ("CHQ", "SIC", "GZH", "YUN", "XIZ"),
    "西北": ("SHA", "GAN", "QIH", "NXA", "XIN"),
}

#: the groups reports highlight (central and western provinces)
HIGHLIGHT = "中西部"


def _canonical(name: str) -> str:
    key = "".join(str(name).split()).casefold().removesuffix("地区")
    for zh, (en, _) in GROUPS.items():
        if key in {zh, en.casefold().replace(" ", ""), zh + "部"}:  # 西南部 = 西南
            return zh
    raise UnknownCodeError(
        f"unknown regional group {name!r}",
        received=name,
        fix=suggest(str(name), [*GROUPS, *(en for en, _ in GROUPS.values())])
        + " Groups: "
        + ", ".join(f"{zh} ({en})" for zh, (en, _) in GROUPS.items()),
    )


@functools.cache
def _members(group: str) -> tuple[str, ...]:
    p = provinces()
    if group in _EXPLICIT:
        return _EXPLICIT[group]
    if group == "中西部":
        return tuple(p.index[p["region_zh"].isin(["中部", "西部"])])
    return tuple(p.index[p["region_zh"] == group])


def group_members(group: str) -> list[str]:
    """The io_codes of a group's provinces (Chinese or English group name).

    Raises
    ------
    UnknownCodeError
        Unknown group; close names are suggested and every group listed.
    """
    return list(_members(_canonical(group)))


def group_of(province: str) -> list[str]:
    """Every group a province belongs to (its NBS region first)."""
    code = to_province_code(province)
    return [g for g in GROUPS if code in _members(g)]


def group_table() -> pd.DataFrame:
    """One row per province: io_code, short_zh, name_en, region_zh, and a bool column per group."""
    p = provinces()[["io_code", "short_zh", "name_en", "region_zh"]]
    for g in GROUPS:
        p[g] = p.index.isin(_members(g))
    return p
