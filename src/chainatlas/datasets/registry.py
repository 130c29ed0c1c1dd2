"""Registry of public datasets (数据集登记): pinned by URL and sha256, fetched and cached.

Each dataset is a set of files, each pinned to a public URL at a fixed commit and to its sha256.
Files are downloaded with :mod:`pooch` on first use into a user cache (``CHAINATLAS_CACHE`` or the
platform cache folder). When ``CHAINATLAS_DATA_MIRROR`` names a folder laid out like
``<mirror>/<dataset>/<file>``, files are read from there instead and never written to.

Every file is checked against its sha256 before it is read.

Examples
--------
>>> ds = get_dataset("china-io")
>>> ds.files[0].name
'china_2002_122.rda'
>>> get_dataset("china-oi")
Traceback (most recent call last):
...
chainatlas.errors.UnknownDatasetError: unknown dataset 'china-oi'; fix: did you mean 'china-io' or 'china-provincial-io' or 'china-provincial-io-2007'? Run `chainatlas datasets list` for all names
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from chainatlas._files import file_sha256
from chainatlas.errors import ChecksumError, DataMissingError, UnknownDatasetError, suggest
from chainatlas.progress import ByteProgress, as_progress
from chainatlas.provenance import Provenance

__all__ = [
    "DataFile",
    "Dataset",
    "register",
    "get_dataset",
    "list_datasets",
    "data_path",
    "fetch",
    "mirror_dir",
    "cache_dir",
    "file_sha256",
    "dataset_provenance",
]

MIRROR_ENV = "CHAINATLAS_DATA_MIRROR"
CACHE_ENV = "CHAINATLAS_CACHE"


@dataclass(frozen=True)
class DataFile:
    """One registered file: its name, pinned URL, sha256, size in bytes and licence."""

    name: str
    url: str
    sha256: str
    bytes: int
    licence: str


@dataclass(frozen=True)
class Dataset:
    """A registered dataset.

    Parameters
    ----------
    name : str
        Registry name, also the folder name in a mirror (e.g. ``"china-io"``).
    title : str
        Bilingual title.
    description : str
        What the data are: shape and units.
    licence : str
        Licence summary.
    citation : str
        How to cite the source.
    files : tuple of DataFile
        The pinned files.
    non_commercial : bool
        True when the licence forbids commercial use (shown with every output).
    specs : str
        How to address tables in this dataset (e.g. ``"china-io:YEAR-SECTORS"``).
    """

    name: str
    title: str
    description: str
    licence: str
    citation: str
    files: tuple[DataFile, ...]
    non_commercial: bool = False
    specs: str = ""

    def file(self, name: str) -> DataFile:
        """Return the registered file called `name`.

        Raises
        ------
        UnknownDatasetError
            If the dataset has no such file.
        """
        for f in self.files:
            if f.name == name:
                return f
        raise UnknownDatasetError(
            f"dataset {self.name!r} has no file {name!r}",
            fix=suggest(name, [f.name for f in self.files]),
        )


# Dataset-level descriptions; file pins come from the manifest shipped in the package.
_DESCRIPTIONS: dict[str, dict[str, object]] = {
    "china-io": {
        "title": "China national input–output tables (NBS) / 中国投入产出表",
        "description": "NBS national IO tables 2002–2020 (42 to 153 sectors), 10,000 yuan (万元), via the "
        "R package ionet; OECD 2021 IO tables for China and Japan (USD million); employment 1990–2018.",
        "citation": "National Bureau of Statistics of China, Input-Output Tables of China; "
        "ionet R package (Carol-seven/ionet).",
        "specs": "china-io:YEAR-SECTORS, e.g. china-io:2020-42",
    },
    "wiod-2013": {
        "title": "World Input-Output Database, 2013 release / 世界投入产出数据库",
        "description": "41 economies × 35 ISIC Rev.3 sectors, 1995–2011, USD million.",
        "citation": "Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J. (2015), "
        "An Illustrated User Guide to the World Input–Output Database, Review of International "
        "Economics 23: 575–605.",
        "specs": "wiod-2013:YEAR, e.g. wiod-2013:2011",
    },
    "bea-io": {
        "title": "US BEA input–output accounts / 美国经济分析局投入产出表",
        "description": "Summary Use/Make 2012–2023 (71 industries), Detail 2017 (402 industries), "
        "USD million, via USEPA useeior.",
        "citation": "U.S. Bureau of Economic Analysis, Input-Output Accounts; USEPA useeior.",
        "specs": "bea-io:2017-detail, bea-io:YEAR-summary",
    },
    "us-cluster-mapping": {
        "title": "US Cluster Mapping Project definitions / 美国集群图谱",
        "description": "NAICS → 51 traded and 19 local clusters; cluster linkages; related clusters.",
        "citation": "Delgado, M., Porter, M. E. and Stern, S. (2016), Defining clusters of related "
        "industries, Journal of Economic Geography 16(1): 1–38.",
    },
    "china-provincial-io-2007": {
        "title": "China provincial IO tables 2007 / 2007年中国省级投入产出表",
        "description": "30 provinces × 42 sectors, 10,000 yuan.",
        "citation": "Provincial statistics bureaus of China, 2007 input-output tables "
        "(compiled in zhangda1021/data).",
    },
    "china-provincial-io": {
        "title": "China provincial IO tables 2002–2017 / 中国省级投入产出表（2002–2017）",
        "description": "Provinces × 42 sectors: 2002 and 2007 (30, no Tibet), 2012 and 2017 (31); "
        "inflows (IF) and outflows (OF) between provinces and foreign imports (IM) and exports (EX) "
        "as separate columns; 10,000 yuan (万元), via the R package CHNIO.",
        "citation": "Provincial statistics bureaus of China, provincial input-output tables; "
        "CHNIO R package.",
        "specs": "china-provincial-io:YEAR (region × industry), china-provincial-io:YEAR-PROVINCE",
    },
    "cn-province-innovation": {
        "title": "China provincial innovation panels 2010–2023 / 中国分省创新与高技术产业面板",
        "description": "R&D spending and intensity, patents, high-tech industry operation and trade, "
        "technology markets, public budgets, high-tech enterprises, state key laboratories; "
        "province × year, units per indicator, via the R package techme.",
        "citation": "China Statistical Yearbook on Science and Technology; China High-tech Industry "
        "Statistics Yearbook; ministry notices; techme R package (huhuaping/techme).",
    },
    "world-trade-hs4-2017": {
        "title": "World trade by HS4, 2017 / 2017年世界贸易（HS四位）",
        "description": "Exports by country × HS 4-digit product in 2017, USD, with GDP and "
        "population 2017. Country totals run 1.1–1.3× official goods exports: use shares and RCA, "
        "not levels.",
        "citation": "economiccomplexity R package (Vargas, M., pachadotdev/economiccomplexity), "
        "world_trade_2017 and world_gdp_and_population_2017.",
    },
    "world-trade-sitc": {
        "title": "World trade by SITC Rev.2, 1998–2000 / 世界贸易数据",
        "description": "226 countries × 785 SITC Rev.2 four-digit products, average exports, USD.",
        "citation": "economiccomplexity R package (Vargas, M., pachadotdev/economiccomplexity).",
    },
    "eto-semiconductor": {
        "title": "Advanced semiconductor supply chain (CSET ETO) / 先进半导体供应链",
        "description": "Providers, inputs, market shares and the value-chain sequence.",
        "citation": "Center for Security and Emerging Technology, Emerging Technology Observatory, "
        "Advanced Semiconductor Supply Chain dataset.",
        "non_commercial": True,
    },
    "china-industry-chain-kg": {
        "title": "China A-share industry-chain knowledge graph / 产业链知识图谱",
        "description": "4,654 listed companies, Shenwan-2021 industries, upstream links, products.",
        "citation": "liuhuanyong, ChainKnowledgeGraph (2021).",
    },
    "gbt4754-2017": {
        "title": "GB/T 4754-2017 industrial classification / 国民经济行业分类",
        "description": "20 sections, 97 divisions, 1,380 classes.",
        "citation": "GB/T 4754-2017 Industrial classification for national economic activities.",
    },
    "concordance": {
        "title": "Classification concordances / 分类对照表",
        "description": "HS, SITC, ISIC, NAICS descriptions and concordances.",
        "citation": "Kim, I. S., Liao, S. and Imai, K., concordance R package.",
    },
    "us-state-industry": {
        "title": "US Statistics of US Businesses 2021 by state × NAICS sector / 美国分州分行业企业统计",
        "description": "Firms, establishments, employment, payroll ($1,000) by state and 2-digit NAICS.",
        "citation": "U.S. Census Bureau, Statistics of U.S. Businesses (SUSB) 2021.",
    },
    "cn-listed-companies": {
        "title": "Chinese A-share listed companies / A股上市公司",
        "description": "5,806 companies with province, vendor industry, listing dates (to March 2026).",
        "citation": "AFAN-LIFE/macropage, stock_basic.csv (Tushare data).",
    },
    "apple-suppliers": {
        "title": "Apple supplier lists 2012–2022 / 苹果供应商名单",
        "description": "7,558 supplier facilities by year with country and province/state.",
        "citation": "CommonWealth Magazine (cwgrouptw/data), Apple supplier lists.",
    },
}

_REGISTRY: dict[str, Dataset] = {}


def _load_manifest() -> None:
    rows: dict[str, list[DataFile]] = {}
    with (
        resources.files("chainatlas.datasets").joinpath("manifest.csv").open(encoding="utf-8") as fh
    ):
        for row in csv.DictReader(fh):
            rows.setdefault(row["dataset"], []).append(
                DataFile(row["file"], row["url"], row["sha256"], int(row["bytes"]), row["licence"])
            )
    for name, files in rows.items():
        meta = _DESCRIPTIONS.get(name, {})
        register(
            Dataset(
                name=name,
                title=str(meta.get("title", name)),
                description=str(meta.get("description", "")),
                licence=files[0].licence,
                citation=str(meta.get("citation", "")),
                files=tuple(files),
                non_commercial=bool(meta.get("non_commercial", False)),
                specs=str(meta.get("specs", name)),
            )
        )


def register(dataset: Dataset) -> None:
    """Add `dataset` to the registry (replacing one of the same name)."""
    _REGISTRY[dataset.name] = dataset


def list_datasets() -> list[Dataset]:
    """Return all registered datasets, sorted by name."""
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def get_dataset(name: str) -> Dataset:
    """Return the registered dataset `name`.

    Raises
    ------
    UnknownDatasetError
        If no dataset has that name; the message suggests close names.
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownDatasetError(
            f"unknown dataset {name!r}",
            fix=suggest(name, _REGISTRY) + " Run `chainatlas datasets list` for all names",
        ) from None


def mirror_dir() -> Path | None:
    """Return the mirror folder named by ``CHAINATLAS_DATA_MIRROR``, or None."""
    value = os.environ.get(MIRROR_ENV)
    return Path(value).expanduser().resolve() if value else None


def cache_dir() -> Path:
    """Return the user cache folder (``CHAINATLAS_CACHE`` or the platform default)."""
    value = os.environ.get(CACHE_ENV)
    if value:
        return Path(value).expanduser()
    import pooch

    return Path(pooch.os_cache("chainatlas"))


def _notice_licence(ds: Dataset) -> None:
    """Print the licence once per dataset and user cache (to stderr)."""
    stamp = cache_dir() / ".licence-shown" / ds.name
    if stamp.exists():
        return
    nc = " NON-COMMERCIAL USE ONLY / 仅限非商业用途." if ds.non_commercial else ""
    print(
        f"[chainatlas] dataset {ds.name}: licence: {ds.licence}.{nc} Cite: {ds.citation}",
        file=sys.stderr,
    )
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    except OSError:
        pass


def data_path(dataset: str, file: str, *, progress: bool = True) -> Path:
    """Return a verified local path to one registered file, downloading it if needed.

    Parameters
    ----------
    dataset : str
        Registry name, e.g. ``"china-io"``.
    file : str
        File name inside the dataset, e.g. ``"china_2020_42.rda"``.
    progress : bool
        Report download progress as plain lines on stderr.

    Returns
    -------
    pathlib.Path
        The mirror path when ``CHAINATLAS_DATA_MIRROR`` is set, else the cached download.

    Raises
    ------
    UnknownDatasetError
        Unknown dataset or file.
    DataMissingError
        The mirror is set but lacks the file.
    ChecksumError
        The file's sha256 differs from the registry. A bad cached file is moved aside
        (``*.corrupt-<time>``) and kept; a mirror file is never touched.
    """
    ds = get_dataset(dataset)
    entry = ds.file(file)
    mirror = mirror_dir()
    if mirror is not None:
        path = mirror / ds.name / entry.name
        if not path.is_file():
            raise DataMissingError(
                f"{ds.name}/{entry.name} is not in the data mirror",
                received=str(path),
                fix=f"copy the file from {entry.url} into the mirror, or unset {MIRROR_ENV} "
                "to download it into the user cache",
            )
        got = file_sha256(path)
        if got != entry.sha256:
            raise ChecksumError(
                f"sha256 mismatch for mirror file {path}: expected {entry.sha256}, got {got}",
                fix="the mirror copy differs from the pinned public file; restore it from "
                f"{entry.url} (chainatlas never writes into a mirror)",
            )
        _notice_licence(ds)
        return path

    folder = cache_dir() / ds.name
    path = folder / entry.name
    if path.is_file():
        got = file_sha256(path)
        if got == entry.sha256:
            _notice_licence(ds)
            return path
        aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
        shutil.move(path, aside)
        raise ChecksumError(
            f"sha256 mismatch for cached file {entry.name}: expected {entry.sha256}, got {got}",
            received=str(aside),
            fix="the cached copy was moved aside (kept for inspection); run the command again "
            f"to download a fresh copy from {entry.url}",
        )
    import pooch

    try:
        fetched = pooch.retrieve(
            entry.url,
            known_hash=f"sha256:{entry.sha256}",
            fname=entry.name,
            path=folder,
            progressbar=ByteProgress(f"{ds.name}/{entry.name}", as_progress(True))
            if progress
            else False,
        )
    except ValueError as err:  # pooch raises ValueError on hash mismatch
        raise ChecksumError(
            f"downloaded {entry.name} does not match its pinned sha256",
            received=str(err),
            fix=f"the server returned other bytes than the pinned file; check {entry.url}",
        ) from err
    except Exception as err:  # network errors from requests
        raise DataMissingError(
            f"could not download {ds.name}/{entry.name}",
            received=f"{type(err).__name__}: {err}",
            fix=f"check the network, or set {MIRROR_ENV} to a local copy of the data",
        ) from err
    _notice_licence(ds)
    return Path(fetched)


def dataset_provenance(
    dataset: str,
    files: tuple[str, ...],
    *,
    steps: tuple[str, ...] = (),
    source: str | None = None,
    extra: tuple[tuple[str, str], ...] = (),
) -> Provenance:
    """Provenance of an object read from registered `files` of `dataset`: pinned sha256s,
    licence and citation from the registry, and the loader's `steps`.

    Examples
    --------
    >>> p = dataset_provenance("eto-semiconductor", ("inputs.csv",), steps=("read",))
    >>> p.source, p.files[0][0], p.licence
    ('eto-semiconductor', 'inputs.csv', 'CC BY-NC 4.0 (non-commercial)')
    """
    ds = get_dataset(dataset)
    return Provenance(
        source=source or ds.name,
        files=tuple((f, ds.file(f).sha256) for f in files),
        steps=steps,
        licence=ds.licence,
        citation=ds.citation,
        extra=extra,
    )


def fetch(dataset: str, *, progress: bool = True) -> list[Path]:
    """Fetch and verify every file of `dataset`; return their local paths."""
    ds = get_dataset(dataset)
    return [data_path(ds.name, f.name, progress=progress) for f in ds.files]


_load_manifest()
