"""Apple's supplier network 2012–2022 (苹果供应商网络): names, geography, concentration, churn.

Supplier-name normalisation (供应商名称归一化) — a deterministic token method, no fuzzy matching:

1. Unicode NFKC and case folding (``"ＮＶＩＤＩＡ"`` → ``"nvidia"``);
2. text in parentheses is removed (``"Hon Hai Precision Industry Co Ltd (Foxconn)"``,
   ``"China Circuit Technology (Shantou) Corporation"``);
3. Chinese legal forms are stripped from the end: 股份有限公司, 有限责任公司, 有限公司, 公司;
4. ``&`` and every other punctuation mark become spaces; whitespace (line breaks included) is
   collapsed;
5. trailing legal-form tokens are removed repeatedly (:data:`LEGAL_SUFFIXES`: co, company, ltd,
   limited, inc, incorporated, corp, corporation, plc, llc, gmbh, ag, sa, nv, bv, kk, pte,
   private, sdn, bhd, ...), so ``"Co., Ltd."``, ``"Company Limited"`` and ``"Corp."`` all go;
6. the key is the remaining tokens written without spaces (``"goer tek"`` = ``"goertek"``).

Names with the same key are one supplier; its display name is the variant used most often in
the latest year it appears (ties: alphabetical). :func:`merge_report` lists every key with more
than one published variant, so each merge decision can be read and checked.

Examples
--------
>>> normalise_supplier_name("Catcher Technology Co., Ltd.")
'catchertechnology'
>>> normalise_supplier_name("Catcher Technology Company Limited")
'catchertechnology'
>>> normalise_supplier_name("立讯精密工业股份有限公司")
'立讯精密工业'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.ecosystems.networks import Network, network_from_edges
from chainatlas.errors import InputError
from chainatlas.provenance import Provenance
from chainatlas.validation import validate_params

__all__ = [
    "SupplierList",
    "LEGAL_SUFFIXES",
    "normalise_supplier_name",
    "merge_report",
    "supplier_network",
    "country_concentration",
    "entries_exits",
    "CUSTOMER",
]

CUSTOMER = "Apple"

#: legal-form tokens stripped from the end of a name (after punctuation removal)
LEGAL_SUFFIXES: frozenset[str] = frozenset(
    {
        "co",
        "company",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "plc",
        "llc",
        "lp",
        "gmbh",
        "ag",
        "sa",
        "nv",
        "bv",
        "kk",
        "pte",
        "private",
        "sdn",
        "bhd",
        "spa",
        "srl",
        "sas",
        "de",
        "cv",
        "oy",
        "ab",
        "as",
    }
)
_ZH_SUFFIXES = ("股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "公司")
_PAREN = re.compile(r"[\(（][^\)）]*[\)）]")
_PUNCT = re.compile(r"[^\w\s]|_", flags=re.UNICODE)


def normalise_supplier_name(name: str) -> str:
    """Normalisation key of a supplier name (see the module notes for the rules).

    Raises
    ------
    InputError
        The name is empty or becomes empty (e.g. only legal-form words).
    """
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    text = _PAREN.sub(" ", text).strip()
    changed = True
    while changed:
        changed = False
        for suf in _ZH_SUFFIXES:
            if text.endswith(suf) and len(text) > len(suf):
                text = text[: -len(suf)].rstrip()
                changed = True
    tokens = _PUNCT.sub(" ", text).split()
    while len(tokens) > 1 and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    key = "".join(tokens)
    if not key:
        raise InputError(
            "supplier name is empty after normalisation",
            received=name,
            fix="drop the row or correct the name",
        )
    return key


@dataclass(frozen=True, eq=False)
class SupplierList:
    """Apple's supplier facilities by year, as published, with derived supplier keys.

    Parameters
    ----------
    facilities : DataFrame
        Columns ``year`` (int), ``supplier_name``, ``country_area``, ``country``, ``province``.
    provenance : Provenance
    """

    facilities: pd.DataFrame
    provenance: Provenance

    @cached_property
    def years(self) -> list[int]:
        """Published years in order (2019 is absent)."""
        return sorted(int(y) for y in self.facilities["year"].unique())

    @cached_property
    def keyed(self) -> pd.DataFrame:
        """:attr:`facilities` plus ``supplier_key`` and ``supplier`` (display name)."""
        f = self.facilities.copy()
        names = pd.Series(f["supplier_name"].unique())
        key_of = dict(zip(names, names.map(normalise_supplier_name), strict=True))
        f["supplier_key"] = f["supplier_name"].map(key_of)
        # display name: most used variant in the key's latest year (ties: alphabetical)
        last = f.groupby("supplier_key")["year"].transform("max")
        recent = f.loc[f["year"] == last]
        counts = recent.groupby(["supplier_key", "supplier_name"]).size().rename("n").reset_index()
        counts = counts.sort_values(
            ["supplier_key", "n", "supplier_name"], ascending=[True, False, True]
        )
        display = counts.drop_duplicates("supplier_key").set_index("supplier_key")["supplier_name"]
        f["supplier"] = f["supplier_key"].map(display).str.replace(r"\s+", " ", regex=True)
        return f


def merge_report(suppliers: SupplierList) -> pd.DataFrame:
    """Every merge decision: keys with more than one published name variant.

    Returns
    -------
    DataFrame indexed by ``supplier_key``: ``supplier`` (display name), ``n_variants``,
    ``variants`` (list of published names) and ``years`` (sorted years in which any variant
    appears).
    """
    f = suppliers.keyed
    g = f.groupby("supplier_key")
    out = pd.DataFrame(
        {
            "supplier": g["supplier"].first(),
            "n_variants": g["supplier_name"].nunique(),
            "variants": g["supplier_name"].agg(lambda s: sorted(s.unique())),
            "years": g["year"].agg(lambda s: sorted(int(y) for y in s.unique())),
        }
    )
    return out.loc[out["n_variants"] > 1].sort_values(
        ["n_variants", "supplier"], ascending=[False, True]
    )


def supplier_network(suppliers: SupplierList, year: int) -> Network:
    """Supplier → Apple network of one year; weight = number of listed facilities.

    Raises
    ------
    InputError
        `year` is not a published year (2019 was not published).
    """
    if year not in suppliers.years:
        raise InputError(
            f"no Apple supplier list for {year}",
            received=year,
            fix=f"use one of {suppliers.years} (Apple published no list for 2019)",
        )
    f = suppliers.keyed
    f = f.loc[f["year"] == year]
    edges = pd.DataFrame({"source": f["supplier"], "target": CUSTOMER, "weight": 1.0})
    return network_from_edges(
        edges,
        provenance=suppliers.provenance.with_step(
            f"supplier -> Apple network {year}: one row per facility, summed to facility counts"
        ),
    )


def _hhi(shares: np.ndarray) -> float:
    return float(np.sum(np.square(shares)))


@validate_params
def country_concentration(
    suppliers: SupplierList, *, level: Literal["country", "country_area"] = "country"
) -> pd.DataFrame:
    """Concentration of supplier facilities by country (or region) per year.

    ``HHI = Σ_c s_c²`` with ``s_c`` the share of the year's facilities located in country c
    (Herfindahl 1950; Hirschman 1945), on a 0–1 scale (×10,000 for the US DOJ/FTC scale).

    Parameters
    ----------
    level : {"country", "country_area"}
        Group by country (default) or by CommonWealth's region.

    Returns
    -------
    DataFrame indexed by year: ``facilities``, ``suppliers``, ``countries``, ``hhi``,
    ``top_country``, ``top_share``, ``china_share`` (mainland China, Hong Kong excluded).
    """
    if level not in ("country", "country_area"):
        raise InputError("level must be 'country' or 'country_area'", received=level)
    f = suppliers.keyed
    rows = []
    for year, g in f.groupby("year", sort=True):
        counts = g[level].value_counts()
        shares = counts.to_numpy(float) / counts.sum()
        rows.append(
            {
                "year": int(year),
                "facilities": int(len(g)),
                "suppliers": int(g["supplier_key"].nunique()),
                "countries": int(counts.size),
                "hhi": _hhi(shares),
                "top_country": counts.index[0],
                "top_share": float(shares[0]),
                "china_share": float((g["country"] == "China").mean()),
            }
        )
    return pd.DataFrame(rows).set_index("year")


def entries_exits(suppliers: SupplierList) -> pd.DataFrame:
    """Supplier entries and exits between consecutive published lists (by normalised key).

    The list after 2018 is 2020 (no 2019 list), so 2020's entries and exits are relative to 2018.

    Returns
    -------
    DataFrame indexed by year: ``previous`` (year compared with; None for the first),
    ``suppliers``, ``entries``, ``exits``, ``stayers``, ``entered`` and ``exited`` (lists of
    display names).
    """
    f = suppliers.keyed
    names = f.drop_duplicates("supplier_key").set_index("supplier_key")["supplier"]
    sets = {y: set(g["supplier_key"]) for y, g in f.groupby("year", sort=True)}
    rows = []
    prev: int | None = None
    for y in sorted(sets):
        cur = sets[y]
        before = sets[prev] if prev is not None else set()
        entered = sorted(names[k] for k in cur - before) if prev is not None else []
        exited = sorted(names[k] for k in before - cur)
        rows.append(
            {
                "year": int(y),
                "previous": prev,
                "suppliers": len(cur),
                "entries": len(entered),
                "exits": len(exited),
                "stayers": len(cur & before),
                "entered": entered,
                "exited": exited,
            }
        )
        prev = int(y)
    out = pd.DataFrame(rows).set_index("year")
    out["previous"] = pd.Series([r["previous"] for r in rows], index=out.index, dtype=object)
    return out
