"""Test set-up: read data from the shared mirror, never skip when data is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

if not os.environ.get("CHAINATLAS_DATA_MIRROR"):
    default = ROOT.parent / "shared" / "data"
    if default.is_dir():
        os.environ["CHAINATLAS_DATA_MIRROR"] = str(default)


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The data mirror folder; fails (does not skip) when it is not there."""
    value = os.environ.get("CHAINATLAS_DATA_MIRROR")
    assert value and Path(value).is_dir(), (
        "tests need the data mirror: set CHAINATLAS_DATA_MIRROR to a folder laid out like "
        "shared/data (CI sets it to ../shared/data)"
    )
    return Path(value)


@pytest.fixture(scope="session")
def reference_dir(mirror: Path) -> Path:
    """Folder of reference fixtures (not in the manifest), e.g. reference/ecomplexity."""
    path = mirror / "reference"
    assert path.is_dir(), f"reference fixtures missing at {path}"
    return path
