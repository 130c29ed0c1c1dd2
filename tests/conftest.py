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


@pytest.fixture()
def postgres_url() -> str:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards).

    ``./run test`` (and so ``.ci/run``) starts a throw-away server with
    ``scripts/test-postgres.sh`` and sets ``CHAINATLAS_TEST_POSTGRES_URL``; a test that needs it
    fails (never skips) when it is missing.
    """
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    base = os.environ.get("CHAINATLAS_TEST_POSTGRES_URL")
    assert base, (
        "PostgreSQL tests need a server: run the suite with `./run test`, which starts one "
        "(scripts/test-postgres.sh), or set CHAINATLAS_TEST_POSTGRES_URL"
    )
    url = make_url(base)
    host = url.query.get("host", url.host)
    name = f"t_{uuid.uuid4().hex[:12]}"
    conninfo = {"host": host, "user": url.username or "postgres", "dbname": url.database}
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
