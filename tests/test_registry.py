"""Dataset registry: mirror reading, sha256 checks (cache and mirror), suggestions, licence
notice, specs and the `chainatlas datasets` commands."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainatlas.datasets import available_specs, data_path, fetch, get_dataset, list_datasets, load
from chainatlas.datasets.registry import CACHE_ENV, MIRROR_ENV, file_sha256
from chainatlas.errors import ChecksumError, DataMissingError, UnknownDatasetError

FILE = "china_2005_42.rda"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_registry_matches_manifest(mirror):
    names = [d.name for d in list_datasets()]
    assert {"china-io", "wiod-2013", "bea-io", "eto-semiconductor"} <= set(names)
    manifest = (mirror / "MANIFEST.csv").read_text(encoding="utf-8").splitlines()
    assert sum(len(d.files) for d in list_datasets()) == len(manifest) - 1
    ds = get_dataset("china-io")
    entry = ds.file(FILE)
    assert entry.url.startswith("https://") and len(entry.sha256) == 64
    assert get_dataset("eto-semiconductor").non_commercial


def test_mirror_is_read_and_verified(mirror, cache):
    path = data_path("china-io", FILE, progress=False)
    assert path == (mirror / "china-io" / FILE).resolve()
    assert file_sha256(path) == get_dataset("china-io").file(FILE).sha256 == _sha(path)
    assert not (cache / "china-io").exists()  # nothing copied into the cache


def test_mirror_missing_file(tmp_path, cache, monkeypatch):
    (tmp_path / "m" / "china-io").mkdir(parents=True)
    monkeypatch.setenv(MIRROR_ENV, str(tmp_path / "m"))
    with pytest.raises(DataMissingError, match=f"china-io/{FILE} is not in the data mirror"):
        data_path("china-io", FILE, progress=False)


def test_corrupt_mirror_file_is_refused_and_left_alone(mirror, tmp_path, cache, monkeypatch):
    folder = tmp_path / "m" / "china-io"
    folder.mkdir(parents=True)
    bad = folder / FILE
    data = bytearray((mirror / "china-io" / FILE).read_bytes())
    data[100] ^= 0xFF
    bad.write_bytes(bytes(data))
    bad.chmod(0o444)
    before = _sha(bad)
    monkeypatch.setenv(MIRROR_ENV, str(tmp_path / "m"))
    with pytest.raises(ChecksumError, match=r"sha256 mismatch for mirror file.*never writes"):
        data_path("china-io", FILE, progress=False)
    assert bad.is_file() and _sha(bad) == before
    assert sorted(p.name for p in folder.iterdir()) == [FILE]


def test_corrupt_cached_file_is_moved_aside(mirror, cache, monkeypatch):
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    folder = cache / "china-io"
    folder.mkdir(parents=True)
    cached = folder / FILE
    cached.write_bytes(b"not the NBS table")
    with pytest.raises(ChecksumError, match=r"cached file .*moved aside \(kept for inspection\)"):
        data_path("china-io", FILE, progress=False)
    assert not cached.exists()
    aside = list(folder.glob(f"{FILE}.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == b"not the NBS table"


def test_good_cached_file_is_used_without_mirror(mirror, cache, monkeypatch):
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    (cache / "china-io").mkdir(parents=True)
    shutil.copyfile(mirror / "china-io" / FILE, cache / "china-io" / FILE)
    assert data_path("china-io", FILE, progress=False) == cache / "china-io" / FILE
    assert load("china-io:2005-42", progress=False).n == 42


def test_unknown_names_get_suggestions():
    with pytest.raises(UnknownDatasetError, match="did you mean 'china-io'"):
        get_dataset("china-oi")
    with pytest.raises(UnknownDatasetError, match="did you mean 'china-io:2020-42'"):
        load("china-io:2020-24")
    with pytest.raises(UnknownDatasetError, match="did you mean 'china_2005_42.rda'"):
        data_path("china-io", "china_2005_24.rda")
    with pytest.raises(UnknownDatasetError, match="did you mean 'wiod-2013'"):
        load("wiod-2031:2011")


def test_licence_printed_once_per_cache(mirror, cache, capsys):
    data_path("china-io", FILE, progress=False)
    data_path("china-io", FILE, progress=False)
    load("china-io:2005-42", progress=False)
    err = capsys.readouterr().err
    assert err.count("dataset china-io: licence:") == 1
    assert get_dataset("china-io").citation.split(",")[0] in err


def test_available_specs():
    specs = available_specs()
    assert "china-io:2020-42" in specs and "wiod-2013:2011" in specs
    assert available_specs("china-io")[0] == "china-io:2002-122"
    assert len(available_specs("wiod-2013")) == 17


def test_fetch_verifies_every_file(mirror, cache):
    paths = fetch("wiod-2013", progress=False)
    assert [p.name for p in paths] == [f.name for f in get_dataset("wiod-2013").files]


def test_cli_datasets_commands(mirror, cache):
    from chainatlas.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["datasets", "list", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {"china-io", "wiod-2013"} <= {r["dataset"] for r in rows}
    res = runner.invoke(app, ["datasets", "info", "china-io", "--format", "json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["specs"][0] == "china-io:2002-122" and len(info["files"]) == 15
    assert info["licence"] and info["citation"]
    res = runner.invoke(app, ["datasets", "list", "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.splitlines()[0].startswith("dataset,")
    res = runner.invoke(app, ["datasets", "fetch", "china-io"])
    assert res.exit_code == 0, res.output
    assert "15 file(s) verified for china-io" in res.output
    res = runner.invoke(app, ["datasets", "info", "china-oi"])
    assert res.exit_code != 0 and "did you mean 'china-io'" in str(res.exception)
