"""Digital-economy core industries and digital clusters (数字经济核心产业与数字产业集群).

Mapping tables (shipped in ``chainatlas/clusters/data``, each with its source in a header):

* ``digital_economy_map.csv`` — China 42/149/153-sector IO tables, the 2007 provincial 42-sector
  tables, GB/T 4754-2017 divisions and the listed-firm vendor industries → NBS digital-economy
  core categories 01–04 (数字经济及其核心产业统计分类 2021), with ``membership`` full/partial
  and a ``note`` for every partial member;
* ``high_tech_map.csv`` — IO sectors → NBS high-tech manufacturing categories 01–06 (2017);
  GB/T divisions are derived from the official class list (:func:`high_tech_divisions`);
* ``strategic_emerging_map.csv`` — 42-sector tables → the 9 strategic emerging industries
  (2018), indicative links only.

:func:`digital_clusters` turns a province × sector output table into digital-cluster evidence:
the digital-core share of output, the LQ of each core category, CMP flags and European stars,
and (optionally) listed digital firms per province.

Examples
--------
>>> m = mapping_table("digital", "china-42")
>>> m.loc["31", ["major_code", "membership"]].tolist()
['03', 'full']
>>> classify_sectors(["20", "31", "01"], "china-42")["major_code"].tolist()
['01', '03', '']
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.clusters.agglomeration import location_quotient
from chainatlas.clusters.regional import RegionIndustry
from chainatlas.clusters.strength import cluster_stars, cmp_strength
from chainatlas.errors import InputError, LabelError, UnknownCodeError, check_option, suggest
from chainatlas.validation import validate_params

__all__ = [
    "CLASSIFICATIONS",
    "CORE_CATEGORIES",
    "VintageMismatchError",
    "mapping_table",
    "classification_for_spec",
    "classify_sectors",
    "high_tech_divisions",
    "digital_output",
    "digital_output_share",
    "digital_clusters",
    "listed_digital_firms",
]

Kind = Literal["digital", "high-tech", "strategic-emerging"]
Include = Literal["full", "full+partial"]

#: classifications with mapping tables and how their codes look
CLASSIFICATIONS: dict[str, str] = {
    "china-42": "NBS 42-sector tables 2017/2018/2020 (codes 01–42)",
    "china-149": "NBS 149-sector table 2017 (codes 001–149)",
    "china-153": "NBS 153-sector tables 2018/2020 (codes 001–153)",
    "china-provincial-2007-42": "2007 provincial 42-sector tables (codes 01–42)",
    "china-2012-42": "NBS 2012 42-sector scheme: china-provincial-io 2012 (codes 01–42)",
    "china-provincial-2002-42": "2002 provincial 42-sector scheme: china-provincial-io 2002",
    "gbt4754-2017-division": "GB/T 4754-2017 divisions (codes 01–97)",
    "tushare-industry": "cn-listed-companies vendor industries (open list)",
}

#: the four digital-economy core categories (NBS 2021)
CORE_CATEGORIES: dict[str, tuple[str, str]] = {
    "01": ("数字产品制造业", "digital product manufacturing"),
    "02": ("数字产品服务业", "digital product services"),
    "03": ("数字技术应用业", "digital technology application"),
    "04": ("数字要素驱动业", "digital-factor-driven industries"),
}

_FILES = {
    "digital": "digital_economy_map.csv",
    "high-tech": "high_tech_map.csv",
    "strategic-emerging": "strategic_emerging_map.csv",
}


class VintageMismatchError(LabelError):
    """A data table and a mapping table use different classifications or vintages."""


@functools.cache
def _read(kind: str) -> pd.DataFrame:
    path = resources.files("chainatlas.clusters") / "data" / _FILES[kind]
    with path.open(encoding="utf-8") as fh:
        return pd.read_csv(fh, comment="#", dtype=str)


def _valid_codes(classification: str) -> set[str] | None:
    if classification in (
        "china-42",
        "china-provincial-2007-42",
        "china-2012-42",
        "china-provincial-2002-42",
    ):
        return {f"{i:02d}" for i in range(1, 43)}
    if classification == "china-149":
        return {f"{i:03d}" for i in range(1, 150)}
    if classification == "china-153":
        return {f"{i:03d}" for i in range(1, 154)}
    if classification == "gbt4754-2017-division":
        return {f"{i:02d}" for i in range(1, 98)}  # GB/T 4754-2017 divisions run 01–97
    return None  # open list


def _check_classification(classification: str) -> None:
    if classification not in CLASSIFICATIONS:
        raise UnknownCodeError(
            f"no mapping tables for classification {classification!r}",
            fix=suggest(classification, CLASSIFICATIONS)
            + " Supported: "
            + ", ".join(CLASSIFICATIONS),
        )


@validate_params
def mapping_table(
    kind: Kind, classification: str, *, gbt: dict[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """The documented mapping of one classification, indexed by sector/division code.

    Parameters
    ----------
    kind : {"digital", "high-tech", "strategic-emerging"}
    classification : str
        One of :data:`CLASSIFICATIONS`.

    Returns
    -------
    DataFrame
        digital: ``name_zh``, ``major_code``, ``mid_codes``, ``membership``, ``note``;
        high-tech / strategic-emerging: ``name_zh``, ``category_codes``, ``membership``,
        ``note``.
    gbt : dict, optional
        ``{"classes": ..., "divisions": ...}`` from ``gbt4754-2017`` — required for
        high-tech GB/T divisions, which are derived (:func:`high_tech_divisions`).

    Raises
    ------
    UnknownCodeError
        Unknown classification, or no table of that kind for it.
    """
    _check_classification(classification)
    if kind == "high-tech" and classification == "gbt4754-2017-division":
        if gbt is None:
            raise UnknownCodeError(
                "high-tech GB/T divisions are derived from the GB/T 4754-2017 class list",
                fix="pass gbt={'classes': load('gbt4754-2017:classes'), "
                "'divisions': load('gbt4754-2017:divisions')}",
            )
        return high_tech_divisions(gbt["classes"], gbt["divisions"])
    d = _read(kind)
    d = d[d["classification"] == classification].drop(columns="classification")
    if d.empty:
        raise UnknownCodeError(
            f"no {kind} mapping for classification {classification!r}",
            fix="available: " + ", ".join(sorted(set(_read(kind)["classification"]))),
        )
    return d.set_index("code")


def classification_for_spec(spec: str) -> str:
    """The mapping classification of a china-io spec, e.g. ``"china-io:2020-42"`` → ``"china-42"``.

    Raises
    ------
    VintageMismatchError
        For tables with no mapping (e.g. the 2012 139-sector table or pre-2017 42-sector tables,
        whose sector lists differ).
    """
    name, _, key = spec.partition(":")
    table = {
        "2017-42": "china-42",
        "2018-42": "china-42",
        "2020-42": "china-42",
        "2017-149": "china-149",
        "2018-153": "china-153",
        "2020-153": "china-153",
    }
    if name == "china-provincial-io-2007":
        return "china-provincial-2007-42"
    provincial = {"2002": "china-provincial-2002-42", "2007": "china-provincial-2007-42"}
    provincial.update({"2012": "china-2012-42", "2017": "china-42"})
    if name == "china-provincial-io" and key[:4] in provincial:
        return provincial[key[:4]]
    if name != "china-io" or key not in table:
        raise VintageMismatchError(
            f"no digital-economy mapping for {spec!r}",
            fix="mappings exist for china-io:2017-42, 2018-42, 2020-42, 2017-149, 2018-153, "
            "2020-153, china-provincial-io (2002–2017) and china-provincial-io-2007 (other "
            "vintages use other sector lists)",
        )
    return table[key]


@validate_params
def classify_sectors(
    codes: list[str] | pd.Index,
    classification: str,
    *,
    kind: Kind = "digital",
    names: list[str] | pd.Series | None = None,
) -> pd.DataFrame:
    """Classify sector codes: core category (or ``""``), membership and note, one row per code.

    Parameters
    ----------
    codes : list of str
        Sector or division codes of a table, e.g. ``["01", ..., "42"]``.
    classification : str
        The classification the codes belong to.
    kind : {"digital", "high-tech", "strategic-emerging"}
    names : list of str, optional
        Chinese sector names in the same order; when given, the names of mapped codes must match
        the mapping table (guards against applying, say, a 153-sector mapping to a 149-sector
        table, whose codes are shifted).

    Returns
    -------
    DataFrame indexed by code
        digital: ``major_code``, ``mid_codes``, ``membership`` (``full``/``partial``/``""``),
        ``note``; other kinds: ``category_codes``, ``membership``, ``note``.

    Raises
    ------
    UnknownCodeError
        A code that does not exist in the classification.
    VintageMismatchError
        Names that differ from the mapping's (another vintage of the classification).
    """
    check_option("kind", kind, Kind)
    m = mapping_table(kind, classification)
    idx = pd.Index([str(c) for c in codes], name="code")
    valid = _valid_codes(classification)
    if valid is not None:
        bad = [c for c in idx if c not in valid]
        if bad:
            raise UnknownCodeError(
                f"{len(bad)} code(s) not in classification {classification!r}",
                received=bad[:10],
                fix=f"codes look like: {CLASSIFICATIONS[classification]}; check the table's "
                "classification and vintage",
            )
    if names is not None:
        nm = pd.Series(list(names), index=idx).astype(str).str.strip()
        both = m.index.intersection(idx)
        diff = [c for c in both if nm[c] != m.loc[c, "name_zh"]]
        if diff:
            raise VintageMismatchError(
                f"sector names differ from the {classification!r} mapping for {len(diff)} code(s)",
                received=[(c, nm[c], m.loc[c, "name_zh"]) for c in diff[:5]],
                fix="the table uses another vintage of the classification; pick the matching "
                "classification (e.g. china-149 for 2017, china-153 for 2018/2020)",
            )
    cols = [c for c in m.columns if c != "name_zh"]
    out = m[cols].reindex(idx).fillna("")
    return out


def high_tech_divisions(classes: pd.DataFrame, divisions: pd.DataFrame) -> pd.DataFrame:
    """GB/T 4754-2017 divisions in high-tech manufacturing, derived from the official classes.

    A division is ``full`` when every class of it (per ``gbt4754-2017``) is listed in the NBS
    2017 high-tech classification, ``partial`` otherwise; the note lists the classes.

    Parameters
    ----------
    classes, divisions : DataFrame
        ``gbt4754-2017:classes`` and ``gbt4754-2017:divisions``.

    Returns
    -------
    DataFrame indexed by division code: ``name_zh``, ``category_codes``, ``membership``, ``note``.
    """
    src = _high_tech_classes()
    src["division"] = src["class"].str[:2]
    rows = []
    for div, g in src.groupby("division"):
        all_cls = set(classes.loc[classes["division"] == div, "code"])
        listed = set(g["class"])
        rows.append(
            {
                "code": div,
                "name_zh": divisions.loc[div, "name"],
                "category_codes": ";".join(sorted(set(g["category_code"]))),
                "membership": "full" if all_cls <= listed else "partial",
                "note": f"{len(listed & all_cls)} of {len(all_cls)} classes: "
                + " ".join(sorted(listed)),
            }
        )
    return pd.DataFrame(rows).set_index("code")


@functools.cache
def _high_tech_classes() -> pd.DataFrame:
    """The NBS 2017 high-tech classes (transcribed from shared classifications, see docs)."""
    rows = [(cat, cls) for cat, classes in _HIGH_TECH.items() for cls in classes.split(";")]
    return pd.DataFrame(
        [(cat, c.lstrip("C")) for cat, c in rows], columns=["category_code", "class"]
    )


#: NBS 高技术产业(制造业)分类(2017): category → GB/T 4754-2017 classes (source:
#: shared/data/classifications/nbs_high_tech_manufacturing_2017.csv)
_HIGH_TECH: dict[str, str] = {
    "01": "C2710;C2720;C2730;C2740;C2750;C2761;C2762;C2770;C2780",
    "02": "C3741;C3742;C3743;C3744;C3749;C4343",
    "03": "C3562;C3563;C3569;C3832;C3833;C3841;C3921;C3922;C3940;C3931;C3932;C3933;C3934;"
    "C3939;C3951;C3952;C3953;C3971;C3972;C3973;C3974;C3975;C3976;C3979;C3981;C3982;C3983;"
    "C3984;C3985;C3989;C3961;C3962;C3963;C3969;C3990",
    "04": "C3911;C3912;C3913;C3914;C3915;C3919;C3474;C3475",
    "05": "C3581;C3582;C3583;C3584;C3585;C3586;C3589;C4011;C4012;C4013;C4014;C4015;C4016;"
    "C4019;C4021;C4022;C4023;C4024;C4025;C4026;C4027;C4028;C4029;C4040;C4090",
    "06": "C2664;C2665",
}


def _check_vintage(ri: RegionIndustry, classification: str) -> None:
    if ri.classification != classification:
        raise VintageMismatchError(
            "the data table and the mapping use different classifications",
            received=f"table {ri.classification or '(unset)'!r} vs mapping {classification!r}",
            fix="use the mapping of the table's classification (see CLASSIFICATIONS), or set "
            "the table's classification if it was left empty",
        )


@validate_params
def digital_output(
    ri: RegionIndustry, *, include: Include = "full", classification: str | None = None
) -> RegionIndustry:
    """Aggregate a region × sector table into the digital-core categories 01–04.

    Parameters
    ----------
    ri : RegionIndustry
        Sector-level sizes (e.g. provincial gross output).
    include : {"full", "full+partial"}
        ``"full"`` (default) counts only sectors wholly in the core — a lower bound;
        ``"full+partial"`` also counts partial sectors wholly — an upper bound.
    classification : str, optional
        The mapping to use; default: ``ri.classification``. They must agree.

    Returns
    -------
    RegionIndustry, regions × present categories (columns ``"01"``…``"04"``).

    Raises
    ------
    VintageMismatchError, UnknownCodeError
        As :func:`classify_sectors`.
    """
    check_option("include", include, Include)
    cls_ = classification or ri.classification
    _check_vintage(ri, cls_)
    names = None
    if ri.industries is not None and "name_zh" in ri.industries:
        names = ri.industries["name_zh"].tolist()
    c = classify_sectors(list(ri.values.columns), cls_, names=names)
    keep = c["membership"].eq("full") | (
        c["membership"].eq("partial") & (include == "full+partial")
    )
    groups = c.loc[keep, "major_code"].reindex(ri.values.columns)
    groups.index = ri.values.columns
    return ri.aggregate_industries(
        groups.where(keep.reindex(ri.values.columns, fill_value=False)),
        classification="nbs-digital-core-2021",
        step=f"aggregated to digital-core categories ({include} members, {cls_} mapping)",
    )


def digital_output_share(
    output: pd.Series,
    classification: str,
    *,
    names: list[str] | pd.Series | None = None,
) -> pd.Series:
    """Digital-core share of gross output in one table: lower (full) and upper (+partial) bound.

    Parameters
    ----------
    output : Series, shape (n,)
        Gross output x by sector code (any currency unit).
    classification : str
        The mapping the codes belong to (see :func:`classification_for_spec`).
    names : list of str, optional
        Chinese sector names, checked as in :func:`classify_sectors`.

    Returns
    -------
    Series indexed ``["full", "full+partial"]``: shares in [0, 1] of Σx.

    Raises
    ------
    InputError
        Total output not a positive finite number.
    VintageMismatchError, UnknownCodeError
        As :func:`classify_sectors`.

    Examples
    --------
    >>> x = pd.Series([10.0, 20.0, 10.0], index=["20", "17", "01"])  # full, partial, none
    >>> digital_output_share(x, "china-42").tolist()
    [0.25, 0.75]
    """
    c = classify_sectors(list(output.index), classification, names=names)
    x = output.to_numpy(dtype=float)
    total = float(x.sum())
    if not (np.isfinite(total) and total > 0):
        raise InputError(
            "total output must be a positive finite number",
            received=total,
            fix="check the gross-output vector x (NaN or all zero?)",
        )
    full = c["membership"].eq("full").to_numpy()
    part = c["membership"].eq("partial").to_numpy()
    return pd.Series(
        {"full": x[full].sum() / total, "full+partial": x[full | part].sum() / total},
        name="digital_share",
    )


@validate_params
def listed_digital_firms(firms: pd.DataFrame, *, include: Include = "full") -> pd.DataFrame:
    """Listed digital firms by province × core category from a firm table.

    Parameters
    ----------
    firms : DataFrame
        ``cn-listed-companies:table`` (columns ``province``, ``industry``).
    include : {"full", "full+partial"}

    Returns
    -------
    DataFrame, provinces × categories, counts of firms (0 filled). Firms outside the digital
    core or without a province are not counted.
    """
    check_option("include", include, Include)
    m = mapping_table("digital", "tushare-industry")
    ok = m["membership"].eq("full") | (m["membership"].eq("partial") & (include == "full+partial"))
    cat = firms["industry"].map(m.loc[ok, "major_code"])
    t = firms.assign(category=cat).dropna(subset=["category", "province"])
    return t.groupby(["province", "category"]).size().unstack(fill_value=0)


@validate_params
def digital_clusters(
    ri: RegionIndustry,
    *,
    include: Include = "full",
    firms: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Digital clusters by region: core share, LQ per category, CMP flags, stars, listed firms.

    Parameters
    ----------
    ri : RegionIndustry
        Region × sector sizes with a mapped classification (e.g.
        ``china-provincial-io:2017``).
    include : {"full", "full+partial"}
        Which sector memberships count (see :func:`digital_output`).
    firms : DataFrame, optional
        Firm table (``cn-listed-companies:table``) for listed digital firms per region.

    Returns
    -------
    dict
        ``summary`` (DataFrame by region: ``total``, ``digital``, ``digital_share``,
        ``size_share``, ``lq``, one ``lq_<cat>`` per present category, ``strong``, ``top10``,
        ``stars`` of the digital-core total, and ``listed_<cat>`` / ``listed_digital`` when
        `firms` is given), ``categories`` (RegionIndustry of the categories),
        ``strength`` (long table of flags and stars per category), ``include``.

    Raises
    ------
    VintageMismatchError, UnknownCodeError, ZeroTotalsError
    """
    check_option("include", include, Include)
    cats = digital_output(ri, include=include)
    total = ri.checked("raise").region_totals
    dig = cats.values.sum(axis=1)
    summary = pd.DataFrame({"total": total, "digital": dig})
    summary["digital_share"] = summary["digital"] / summary["total"]
    summary["size_share"] = summary["digital"] / summary["digital"].sum()
    # LQ of the digital core as a whole, with the rest of the economy as the other column
    two = RegionIndustry(
        values=pd.DataFrame({"digital": dig, "other": total - dig}),
        measure=ri.measure,
        unit=ri.unit,
        provenance=ri.provenance.with_step("digital core vs rest"),
    )
    summary["lq"] = location_quotient(two)["digital"]
    with_rest = RegionIndustry(
        values=cats.values.join((total - dig).rename("other")),
        measure=ri.measure,
        unit=ri.unit,
        provenance=cats.provenance.with_step("categories plus the rest of the economy"),
    )
    lq = location_quotient(with_rest)
    for c in cats.values.columns:
        summary[f"lq_{c}"] = lq[c]
    flags = cmp_strength(two)
    flags = flags[flags["industry"] == "digital"].set_index("region")
    stars = cluster_stars(two)
    stars = stars[stars["industry"] == "digital"].set_index("region")
    summary["strong"] = flags["strong"]
    summary["top10"] = flags["top10"]
    summary["stars"] = stars["stars"]
    if firms is not None:
        lf = listed_digital_firms(firms, include=include).reindex(summary.index, fill_value=0)
        for c in lf.columns:
            summary[f"listed_{c}"] = lf[c].astype(int)
        summary["listed_digital"] = lf.sum(axis=1).astype(int)
    strength = pd.concat(
        [
            cmp_strength(cats),
            cluster_stars(cats)[["size_star", "specialisation_star", "focus_star", "stars"]],
        ],
        axis=1,
    )
    summary.index.name = "region"
    return {
        "summary": summary,
        "categories": cats,
        "strength": strength,
        "include": include,
        "share_total": float(np.sum(dig) / np.sum(total)),
    }
