"""Apple supplier lists: name normalisation, concentration (HHI) and churn against references."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from chainatlas.datasets import data_path, load
from chainatlas.ecosystems.apple import (
    country_concentration,
    entries_exits,
    merge_report,
    normalise_supplier_name,
    supplier_network,
)
from chainatlas.errors import InputError


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Catcher Technology Co., Ltd.", "Catcher Technology Company Limited"),
        ("NVIDIA Corp.", "NVIDIA Corporation"),
        ("Analog Devices, Inc.", "Analog Devices Incorporated"),
        ("Dynapack International Technology\nCorporation", "Dynapack International Technology"),
        ("Hon Hai Precision Industry Co Ltd (Foxconn)", "Hon Hai Precision Industry Co., Ltd."),
        ("ＮＶＩＤＩＡ Corp", "nvidia"),
        ("立讯精密工业股份有限公司", "立讯精密工业有限公司"),
    ],
)
def test_variants_merge(a: str, b: str) -> None:
    assert normalise_supplier_name(a) == normalise_supplier_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("AAC Acoustic Technologies Holdings Inc.", "AAC Technologies Holdings Inc."),
        ("Samsung SDI Co., Ltd.", "Samsung Electro-Mechanics Co., Ltd."),
        ("LG Chem Ltd.", "LG Display Co., Ltd."),
    ],
)
def test_distinct_firms_stay_apart(a: str, b: str) -> None:
    assert normalise_supplier_name(a) != normalise_supplier_name(b)


def test_legal_words_alone_are_an_error() -> None:
    assert normalise_supplier_name("Company Limited") == "company"  # one token is kept
    with pytest.raises(InputError, match="empty after normalisation"):
        normalise_supplier_name(" ,. ")


@pytest.fixture(scope="module")
def suppliers():
    return load("apple-suppliers", progress=False)


def test_loader_reads_the_published_table(suppliers) -> None:
    f = suppliers.facilities
    assert len(f) == 7558 and suppliers.years == [
        2012,
        2013,
        2014,
        2015,
        2016,
        2017,
        2018,
        2020,
        2021,
        2022,
    ]
    assert f["province"].isna().sum() == 16 and (f.loc[f["province"].isna(), "year"] == 2020).all()
    assert suppliers.provenance.files[0][0] == "apple-supplier-list.csv"


def test_hhi_matches_csv_reference(suppliers) -> None:
    path = data_path("apple-suppliers", "apple-supplier-list.csv", progress=False)
    by_year: dict[int, Counter] = {}
    with open(path, encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            by_year.setdefault(int(row["year"]), Counter())[row["country"]] += 1
    conc = country_concentration(suppliers)
    for year, counts in by_year.items():
        total = sum(counts.values())
        hhi = sum((n / total) ** 2 for n in counts.values())
        assert conc.loc[year, "hhi"] == pytest.approx(hhi, rel=1e-12)
        assert conc.loc[year, "facilities"] == total
        assert conc.loc[year, "china_share"] == pytest.approx(counts["China"] / total)


def test_normalisation_gives_about_200_suppliers_a_year(suppliers) -> None:
    # Apple publishes its top-200 suppliers: raw names exceed that once variants are counted
    conc = country_concentration(suppliers)
    assert conc["suppliers"].between(185, 205).all()
    raw = suppliers.facilities["supplier_name"].nunique()
    assert suppliers.keyed["supplier_key"].nunique() < raw
    rep = merge_report(suppliers)
    catcher = rep.loc["catchertechnology", "variants"]
    assert "Catcher Technology Co., Ltd." in catcher and len(catcher) >= 2


def test_entries_and_exits_are_consistent(suppliers) -> None:
    ch = entries_exits(suppliers)
    assert ch.loc[2020, "previous"] == 2018 and ch.loc[2012, "previous"] is None
    prev = None
    for year, row in ch.iterrows():
        if prev is not None:
            assert row["suppliers"] == ch.loc[prev, "suppliers"] + row["entries"] - row["exits"]
            assert row["stayers"] + row["entries"] == row["suppliers"]
        prev = year


def test_supplier_network(suppliers) -> None:
    net = supplier_network(suppliers, 2022)
    assert set(net.edges["target"]) == {"Apple"}
    assert net.edges["weight"].sum() == 710
    assert any("aggregated" in n for n in net.notes)  # several facilities per supplier
    with pytest.raises(InputError, match="no Apple supplier list for 2019"):
        supplier_network(suppliers, 2019)
