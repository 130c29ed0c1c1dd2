"""Records → period snapshots: DuckDB and Spark give identical snapshots; bad-input policies."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chainatlas.ecosystems.records import (
    OutOfPeriodError,
    RecordError,
    make_periods,
    snapshot_records,
    spark_session,
)
from chainatlas.errors import InputError, SchemaError

PERIODS = make_periods("2020-01-01", "2023-01-01", freq="year")


def _records(n: int = 600, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 3 * 365, n)
    return pd.DataFrame(
        {
            "supplier": rng.integers(0, 30, n).astype(str),
            "customer": rng.integers(30, 60, n).astype(str),
            # values with up to 3 decimals; some have many more digits than float sums keep
            "value": np.round(rng.random(n) * 1e6, 3) + 0.1,
            "date": (pd.Timestamp("2020-01-01") + pd.to_timedelta(days, unit="D")).strftime(
                "%Y-%m-%d"
            ),
        }
    )


def _reference(rec: pd.DataFrame) -> pd.DataFrame:
    """Slow reference: Python loop with exact decimal sums."""
    from decimal import Decimal

    acc: dict[tuple[str, str, str], list] = {}
    for r in rec.itertuples():
        key = (r.date[:4], r.supplier, r.customer)
        cur = acc.setdefault(key, [Decimal(0), 0])
        cur[0] += Decimal(repr(r.value)).quantize(Decimal("0.000001"))
        cur[1] += 1
    rows = [(p, s, c, float(v), n) for (p, s, c), (v, n) in sorted(acc.items())]
    return pd.DataFrame(rows, columns=["period", "supplier", "customer", "value", "n_records"])


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("records")
    rec = _records()
    rec.to_csv(d / "records.csv", index=False)
    rec.to_parquet(d / "records.parquet", index=False)
    return {"csv": d / "records.csv", "parquet": d / "records.parquet", "frame": rec}  # type: ignore[dict-item]


def test_duckdb_matches_slow_reference(files: dict) -> None:
    snap = snapshot_records(files["csv"], periods=PERIODS)
    ref = _reference(files["frame"])
    pd.testing.assert_frame_equal(snap.edges, ref, check_dtype=False)
    assert snap.edges["n_records"].sum() == len(files["frame"])
    assert any("aggregated" in n for n in snap.notes)
    pq = snapshot_records(files["parquet"], periods=PERIODS)
    pd.testing.assert_frame_equal(pq.edges, snap.edges)
    fr = snapshot_records(files["frame"], periods=PERIODS)
    pd.testing.assert_frame_equal(fr.edges, snap.edges)


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")
def test_spark_and_duckdb_give_identical_snapshots(files: dict) -> None:
    spark = spark_session(master="local[1]", driver_memory="512m", small=True)
    try:
        # CSV: every column arrives as text in both engines, the path most prone to differ
        duck = snapshot_records(files["csv"], periods=PERIODS, engine="duckdb")
        spk = snapshot_records(files["csv"], periods=PERIODS, engine="spark", spark=spark)
        pd.testing.assert_frame_equal(duck.edges, spk.edges, check_exact=True)
        assert duck.notes == spk.notes and spk.engine == "spark"
        assert len(spk.edges) > 500
    finally:
        spark.stop()


def test_dates_outside_periods(files: dict) -> None:
    with pytest.raises(OutOfPeriodError, match=r"record\(s\) are dated outside"):
        snapshot_records(files["csv"], periods=PERIODS[1:])
    snap = snapshot_records(files["csv"], periods=PERIODS[1:], outside="drop")
    n2020 = int(files["frame"]["date"].str.startswith("2020").sum())
    assert f"dropped {n2020} record(s) dated outside the periods" in snap.notes
    assert set(snap.edges["period"]) == {"2021", "2022"}


def test_bad_records(tmp_path: Path) -> None:
    base = pd.DataFrame(
        {
            "supplier": ["a", "b"],
            "customer": ["b", "c"],
            "value": [1.0, 2.0],
            "date": ["2020-02-01", "2020-03-01"],
        }
    )
    loop = base.assign(customer=["a", "c"])
    with pytest.raises(RecordError, match="1 of 2 record.* self-loops"):
        snapshot_records(loop, periods=PERIODS)
    snap = snapshot_records(loop, periods=PERIODS, self_loops="drop")
    assert (
        snap.edges["supplier"].tolist() == ["b"] and "dropped 1 self-loop record(s)" in snap.notes
    )
    with pytest.raises(RecordError, match="negative value"):
        snapshot_records(base.assign(value=[1.0, -2.0]), periods=PERIODS)
    with pytest.raises(RecordError, match="missing supplier or customer id"):
        snapshot_records(base.assign(supplier=["a", None]), periods=PERIODS)
    with pytest.raises(RecordError, match="missing or unreadable date"):
        snapshot_records(base.assign(date=["2020-02-01", None]), periods=PERIODS)
    with pytest.raises(SchemaError, match="could not read the records"):
        snapshot_records(base, periods=PERIODS, supplier="seller")
    with pytest.raises(InputError, match="periods overlap"):
        snapshot_records(
            base, periods=[("a", "2020-01-01", "2021-01-01"), ("b", "2020-06-01", "2021-06-01")]
        )
    with pytest.raises(InputError, match="Spark engine reads files"):
        snapshot_records(base, periods=PERIODS, engine="spark")


def test_empty_periods_are_kept_and_listed() -> None:
    recs = pd.DataFrame(
        {"supplier": ["a"], "customer": ["b"], "value": [1.0], "date": ["2022-05-01"]}
    )
    snap = snapshot_records(recs, periods=PERIODS)
    assert "period(s) with no records (empty snapshots): ['2020', '2021']" in snap.notes
    net = snap.network("2020")
    assert net.n_edges == 0
    assert snap.network("2022").edges.values.tolist() == [["a", "b", 1.0]]
    with pytest.raises(InputError, match="unknown period"):
        snap.network("1999")


def test_make_periods() -> None:
    assert make_periods("2020-01-01", "2020-03-01", freq="month")[1] == (
        "2020-02",
        "2020-02-01",
        "2020-03-01",
    )
    with pytest.raises(InputError, match="boundaries"):
        make_periods("2020-01-05", "2021-01-01")
