"""Firm-to-firm records → period snapshots (企业间交易记录 → 分期网络快照), DuckDB or Spark.

Input: a table of transaction records with a supplier id, a customer id, a value and a date, in
CSV or Parquet, possibly larger than memory (a file, a glob such as ``"invoices/*.parquet"``, or a
pandas DataFrame for small inputs with DuckDB). Output: one aggregated edge list per period:
``period, supplier, customer, value, n_records`` — the value summed over the period's records.

Both engines run **the same SQL** (:data:`SNAPSHOT_SQL`) against a ``records`` view and a small
``periods`` table, so they give identical snapshots:

* ids are cast to ``STRING`` (``id_type="string"``, default) or ``BIGINT``;
* values are read as DOUBLE, converted to integer micro-units and summed as integers (exact, so
  summation order — which differs between engines and partitions — cannot change the total),
  then returned as DOUBLE; values are thereby rounded to 6 decimals;
* dates are read as timestamps and truncated to DATE; periods are half-open ``[start, end)``.

DuckDB (embedded, default) streams the files and spills to disk beyond ``memory_limit``. Spark
(:mod:`pyspark`) is for data beyond one machine; :func:`spark_session` starts a light local
session (``local[1]``, UI off, few shuffle partitions) when no session is passed.

Bad input (checked in one pass before aggregating; each raises :class:`RecordError` naming the
count and an example, unless a policy says otherwise):

* missing supplier / customer id, date or value → raise;
* negative values → raise;
* self-loops (supplier == customer) → raise, or ``self_loops="drop"`` (counted in ``notes``);
* dates outside every requested period → raise :class:`OutOfPeriodError`, or ``outside="drop"``
  (counted in ``notes``);
* repeated (supplier, customer) pairs within a period are the point: they are summed, and
  ``n_records`` says how many were aggregated;
* a period with no records is kept as an empty snapshot and listed in ``notes``.

Examples
--------
>>> import pandas as pd
>>> recs = pd.DataFrame({"supplier": ["a", "a", "b"], "customer": ["b", "b", "c"],
...                      "value": [1.0, 2.0, 5.0],
...                      "date": ["2020-03-01", "2020-07-01", "2021-01-02"]})
>>> snap = snapshot_records(recs, periods=make_periods("2020-01-01", "2022-01-01", freq="year"))
>>> snap.edges.values.tolist()
[['2020', 'a', 'b', 3.0, 2], ['2021', 'b', 'c', 5.0, 1]]
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.ecosystems.networks import Network, _from_codes
from chainatlas.errors import InputError, SchemaError
from chainatlas.provenance import Provenance
from chainatlas.validation import validate_params

__all__ = [
    "RecordError",
    "OutOfPeriodError",
    "RecordSnapshots",
    "make_periods",
    "snapshot_records",
    "spark_session",
    "SNAPSHOT_SQL",
    "clean_sql",
]


class RecordError(InputError):
    """Invalid transaction records (missing ids, negative values, self-loops...)."""


class OutOfPeriodError(RecordError):
    """Records dated outside every requested period."""


Period = tuple[str, str, str]

#: the aggregation both engines run, over the ``clean`` view (see :func:`clean_sql`)
SNAPSHOT_SQL = """
SELECT period, supplier, customer,
       CAST(SUM(value_micro) AS DOUBLE) / 1000000 AS value, COUNT(*) AS n_records
FROM clean
WHERE period IS NOT NULL AND supplier <> customer
GROUP BY pidx, period, supplier, customer
ORDER BY pidx, supplier, customer
"""

_CHECK_SQL = """
SELECT COUNT(*) AS n,
  SUM(CASE WHEN supplier IS NULL OR customer IS NULL THEN 1 ELSE 0 END) AS null_ids,
  SUM(CASE WHEN d IS NULL THEN 1 ELSE 0 END) AS null_dates,
  SUM(CASE WHEN value_micro IS NULL THEN 1 ELSE 0 END) AS null_values,
  SUM(CASE WHEN value_micro < 0 THEN 1 ELSE 0 END) AS negative,
  SUM(CASE WHEN supplier = customer THEN 1 ELSE 0 END) AS self_loops,
  SUM(CASE WHEN d IS NOT NULL AND period IS NULL THEN 1 ELSE 0 END) AS outside,
  MIN(CASE WHEN d IS NOT NULL AND period IS NULL THEN d END) AS first_outside,
  MAX(CASE WHEN d IS NOT NULL AND period IS NULL THEN d END) AS last_outside
FROM clean
"""


@validate_params
def clean_sql(
    periods: Sequence[Period],
    *,
    supplier: str,
    customer: str,
    value: str,
    date: str,
    id_type: Literal["string", "integer"],
    quote: str,
) -> str:
    """The typed projection both engines aggregate: ids, value in micro-units, date, period.

    Values are read as DOUBLE and converted to integer micro-units
    (``CAST(ROUND(value * 10^6) AS BIGINT)``); sums of integers are exact and independent of the
    summation order, so both engines give bit-identical totals (values are thereby rounded to 6
    decimals, and a period's total per pair must stay below 9.2 × 10^12 value units). The
    period is a CASE over the half-open ranges (no join).
    """

    def q(name: str) -> str:
        return f"{quote}{name}{quote}"

    cases = " ".join(
        f"WHEN d >= DATE '{a}' AND d < DATE '{b}' THEN '{label.replace(chr(39), chr(39) * 2)}'"
        for label, a, b in periods
    )
    index = " ".join(
        f"WHEN d >= DATE '{a}' AND d < DATE '{b}' THEN {i}" for i, (_, a, b) in enumerate(periods)
    )
    typ = "STRING" if id_type == "string" else "BIGINT"
    return f"""
SELECT supplier, customer, value_micro, d, CASE {cases} END AS period,
       CASE {index} END AS pidx
FROM (
  SELECT CAST({q(supplier)} AS {typ}) AS supplier, CAST({q(customer)} AS {typ}) AS customer,
         CAST(ROUND(CAST({q(value)} AS DOUBLE) * 1000000) AS BIGINT) AS value_micro,
         CAST(CAST({q(date)} AS TIMESTAMP) AS DATE) AS d
  FROM records
) r
"""


@validate_params
def make_periods(
    start: str, end: str, *, freq: Literal["year", "quarter", "month"] = "year"
) -> list[Period]:
    """Consecutive half-open periods ``(label, start, end)`` covering ``[start, end)``.

    Labels: ``"2020"``, ``"2020Q1"``, ``"2020-01"``.

    Examples
    --------
    >>> make_periods("2020-01-01", "2020-07-01", freq="quarter")
    [('2020Q1', '2020-01-01', '2020-04-01'), ('2020Q2', '2020-04-01', '2020-07-01')]
    """
    code = {"year": "YS", "quarter": "QS", "month": "MS"}.get(freq)
    if code is None:
        raise InputError("unknown period frequency", received=freq, fix="year, quarter or month")
    edges = pd.date_range(start, end, freq=code)
    if len(edges) < 2 or edges[0] != pd.Timestamp(start) or edges[-1] != pd.Timestamp(end):
        raise InputError(
            f"start and end must fall on {freq} boundaries and span at least one period",
            received=(start, end),
        )
    out = []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        label = (
            str(a.year)
            if freq == "year"
            else f"{a.year}Q{a.quarter}"
            if freq == "quarter"
            else f"{a.year}-{a.month:02d}"
        )
        out.append((label, a.strftime("%Y-%m-%d"), b.strftime("%Y-%m-%d")))
    return out


def _check_periods(periods: Sequence[Period]) -> pd.DataFrame:
    if not periods:
        raise InputError("no periods given", fix="e.g. periods=make_periods(..., freq='year')")
    frame = pd.DataFrame(list(periods), columns=["label", "p_start", "p_end"])
    frame["label"] = frame["label"].astype(str)
    if frame["label"].duplicated().any():
        raise InputError("duplicate period labels", received=frame["label"].tolist())
    s = pd.to_datetime(frame["p_start"])
    e = pd.to_datetime(frame["p_end"])
    if (e <= s).any():
        raise InputError("every period needs start < end", received=periods)
    order = np.argsort(s.to_numpy())
    if (s.to_numpy()[order][1:] < e.to_numpy()[order][:-1]).any():
        raise InputError("periods overlap", received=periods, fix="use non-overlapping periods")
    frame["p_start"] = s.dt.date
    frame["p_end"] = e.dt.date
    return frame


@dataclass(frozen=True, eq=False)
class RecordSnapshots:
    """Aggregated period snapshots of firm-to-firm records.

    Attributes
    ----------
    edges : DataFrame
        ``period, supplier, customer, value, n_records`` sorted by period order, supplier,
        customer; values in the records' unit.
    periods : tuple of (label, start, end)
    engine : str
        ``"duckdb"`` or ``"spark"``.
    notes : tuple of str
        Policies applied (dropped rows, empty periods).
    provenance : Provenance
    """

    edges: pd.DataFrame
    periods: tuple[Period, ...]
    engine: str
    notes: tuple[str, ...]
    provenance: Provenance

    @property
    def labels(self) -> list[str]:
        """Period labels in order."""
        return [p[0] for p in self.periods]

    def network(self, period: str) -> Network:
        """The snapshot of one period as a :class:`Network` (may have no edges).

        Raises
        ------
        InputError
            Unknown period label.
        """
        if period not in self.labels:
            raise InputError("unknown period", received=period, fix=f"one of {self.labels}")
        e = self.edges.loc[self.edges["period"] == period]
        # the SQL guarantees unique pairs, no self-loops, no missing ids and values ≥ 0
        zero = (e["value"] == 0).to_numpy()
        notes = (f"dropped {int(zero.sum())} zero-value edge(s)",) if zero.any() else ()
        e = e.loc[~zero]
        m = len(e)
        codes, nodes = pd.factorize(
            np.concatenate([e["supplier"].to_numpy(), e["customer"].to_numpy()])
        )
        prov = self.provenance.with_step(f"snapshot {period}")
        for n in notes:
            prov = prov.with_step(n)
        return _from_codes(
            pd.Index(nodes, name="firm"),
            codes[:m],
            codes[m:],
            e["value"].to_numpy(float),
            prov,
            notes,
        )


def _java_env() -> None:
    """Point Spark at Java when JAVA_HOME is unset (java on PATH), and bind locally."""
    if not os.environ.get("JAVA_HOME"):
        java = shutil.which("java")
        if java:
            os.environ["JAVA_HOME"] = str(Path(java).resolve().parent.parent)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")


def spark_session(
    *,
    master: str = "local[1]",
    driver_memory: str = "1g",
    small: bool = False,
) -> Any:
    """A light local Spark session (UI off, 2 shuffle partitions), created or reused.

    ``small=True`` tunes the JVM and Spark for tiny inputs (tests, demos): client JIT only, serial
    GC, no whole-stage code generation and no adaptive execution — faster start, slower on big
    data.
    """
    _java_env()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    if small:
        builder = (
            builder.config(
                "spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
            )
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.sql.adaptive.enabled", "false")
        )
    return (
        builder.master(master)
        .appName("chainatlas-records")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def _fmt(source: str | Path | pd.DataFrame, fmt: str | None) -> str:
    if isinstance(source, pd.DataFrame):
        return "frame"
    if fmt:
        return fmt
    s = str(source).lower()
    if s.endswith(".parquet") or s.endswith(".pq"):
        return "parquet"
    if s.endswith(".csv") or s.endswith(".csv.gz"):
        return "csv"
    raise SchemaError(
        "cannot tell the file format from the name", received=str(source), fix="pass fmt="
    )


def _quote(path: str | Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _run_duckdb(
    source: str | Path | pd.DataFrame,
    fmt: str,
    clean: str,
    memory_limit: str | None,
    threads: int | None,
    progress: bool,
) -> tuple[dict[str, Any], pd.DataFrame]:
    import duckdb

    con = duckdb.connect()
    try:
        if memory_limit:
            con.execute(f"SET memory_limit = '{memory_limit}'")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute("SET preserve_insertion_order = false")
        con.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
        if fmt == "frame":
            con.register("records_df", source)
            con.execute("CREATE VIEW records AS SELECT * FROM records_df")
        elif fmt == "csv":
            con.execute(
                f"CREATE VIEW records AS SELECT * FROM read_csv({_quote(source)}, header = true, "
                "all_varchar = true)"
            )
        else:
            con.execute(f"CREATE VIEW records AS SELECT * FROM read_parquet({_quote(source)})")
        con.execute(f"CREATE VIEW clean AS {clean}")
        cur = con.execute(_CHECK_SQL)
        cols = [d[0] for d in cur.description]
        check = dict(zip(cols, cur.fetchone(), strict=True))
        out = con.execute(SNAPSHOT_SQL).df()
    finally:
        con.close()
    return check, out


def _run_spark(
    source: str | Path | pd.DataFrame, fmt: str, clean: str, spark: Any
) -> tuple[dict[str, Any], pd.DataFrame]:
    session = spark or spark_session()
    if fmt == "frame":
        raise InputError(
            "the Spark engine reads files, not in-memory frames",
            fix="write the records to CSV/Parquet or use engine='duckdb'",
        )
    reader = session.read
    if fmt == "csv":
        df = reader.option("header", "true").option("inferSchema", "false").csv(str(source))
    else:
        df = reader.parquet(str(source))
    df.createOrReplaceTempView("records")
    session.sql(clean).createOrReplaceTempView("clean")
    check = session.sql(_CHECK_SQL).collect()[0].asDict()
    rows = session.sql(SNAPSHOT_SQL).collect()
    out = pd.DataFrame(
        [tuple(r) for r in rows], columns=["period", "supplier", "customer", "value", "n_records"]
    )
    return check, out


@validate_params
def snapshot_records(
    source: str | Path | pd.DataFrame,
    *,
    periods: Sequence[Period],
    supplier: str = "supplier",
    customer: str = "customer",
    value: str = "value",
    date: str = "date",
    id_type: Literal["string", "integer"] = "string",
    engine: Literal["duckdb", "spark"] = "duckdb",
    fmt: Literal["csv", "parquet"] | None = None,
    outside: Literal["raise", "drop"] = "raise",
    self_loops: Literal["raise", "drop"] = "raise",
    memory_limit: str | None = None,
    threads: int | None = None,
    spark: Any = None,
    progress: bool = False,
) -> RecordSnapshots:
    """Aggregate firm-to-firm records into period snapshots with DuckDB or Spark.

    Parameters
    ----------
    source : path, glob or DataFrame
        CSV (header row) or Parquet file(s); a DataFrame is accepted by DuckDB only.
    periods : sequence of (label, start, end)
        Half-open date ranges, non-overlapping (see :func:`make_periods`).
    supplier, customer, value, date : str
        Column names in the records.
    id_type : {"string", "integer"}
        Type ids are cast to (both engines).
    engine : {"duckdb", "spark"}
        DuckDB (embedded) or Spark (PySpark; local session unless `spark` is given).
    fmt : {"csv", "parquet"}, optional
        File format when the name does not tell.
    outside : {"raise", "drop"}
        Policy for records dated outside every period.
    self_loops : {"raise", "drop"}
        Policy for records with supplier == customer.
    memory_limit, threads : optional
        DuckDB settings (e.g. ``"8GB"``); DuckDB spills to disk beyond the limit.
    spark : SparkSession, optional
        An existing session (e.g. on a cluster).
    progress : bool
        Show DuckDB's progress bar (on stdout; off by default so JSON output stays clean).

    Returns
    -------
    RecordSnapshots

    Raises
    ------
    RecordError, OutOfPeriodError
        Bad records (see module notes).
    SchemaError
        Unknown format; missing columns surface as the engine's binder error wrapped here.
    """
    per = _check_periods(periods)
    kind = _fmt(source, fmt)
    if id_type not in ("string", "integer"):
        raise InputError("id_type must be 'string' or 'integer'", received=id_type)
    clean = clean_sql(
        [(str(r.label), str(r.p_start), str(r.p_end)) for r in per.itertuples()],
        supplier=supplier,
        customer=customer,
        value=value,
        date=date,
        id_type=id_type,
        quote="`" if engine == "spark" else '"',
    )
    try:
        if engine == "duckdb":
            check, out = _run_duckdb(source, kind, clean, memory_limit, threads, progress)
        elif engine == "spark":
            check, out = _run_spark(source, kind, clean, spark)
        else:
            raise InputError("unknown engine", received=engine, fix="'duckdb' or 'spark'")
    except InputError:
        raise
    except Exception as err:  # engine errors: missing columns, unreadable values
        text = str(err).splitlines()[0][:300]
        raise SchemaError(
            f"the {engine} engine could not read the records: {text}",
            received=str(source) if not isinstance(source, pd.DataFrame) else "DataFrame",
            fix=f"check the file and the column names ({supplier}, {customer}, {value}, {date})",
        ) from err
    check = {k: (int(v) if isinstance(v, (int, np.integer)) else v) for k, v in check.items()}
    n = int(check["n"] or 0)
    for key, what in (
        ("null_ids", "missing supplier or customer id"),
        ("null_dates", "missing or unreadable date"),
        ("null_values", "missing value"),
        ("negative", "negative value"),
    ):
        bad = int(check[key] or 0)
        if bad:
            raise RecordError(
                f"{bad} of {n} record(s) have a {what}",
                fix="clean the records first (values are flows ≥ 0, every record needs ids and a date)",
            )
    notes: list[str] = []
    loops = int(check["self_loops"] or 0)
    if loops:
        if self_loops == "raise":
            raise RecordError(
                f"{loops} of {n} record(s) are self-loops (supplier == customer)",
                fix="pass self_loops='drop' to leave them out (counted in notes)",
            )
        notes.append(f"dropped {loops} self-loop record(s)")
    out_n = int(check["outside"] or 0)
    if out_n:
        if outside == "raise":
            raise OutOfPeriodError(
                f"{out_n} of {n} record(s) are dated outside the requested periods",
                received=f"first {check['first_outside']}, last {check['last_outside']}; "
                f"periods {[tuple(p) for p in periods]}",
                fix="widen the periods or pass outside='drop' (counted in notes)",
            )
        notes.append(f"dropped {out_n} record(s) dated outside the periods")
    labels = per["label"].tolist()
    out = out.reset_index(drop=True)
    out["value"] = out["value"].astype(float)
    out["n_records"] = out["n_records"].astype(np.int64)
    present = set(out["period"].unique().tolist())
    empty = [lab for lab in labels if lab not in present]
    if empty:
        notes.append(f"period(s) with no records (empty snapshots): {empty}")
    dup = int(out["n_records"].sum() - len(out))
    if dup:
        notes.append(f"aggregated {dup} repeated (supplier, customer) record(s) within periods")
    prov = Provenance(
        source=str(source) if not isinstance(source, pd.DataFrame) else "user records (DataFrame)",
        steps=(f"aggregated records into {len(labels)} period snapshot(s) with {engine}", *notes),
    )
    return RecordSnapshots(
        edges=out,
        periods=tuple((r.label, str(r.p_start), str(r.p_end)) for r in per.itertuples()),
        engine=engine,
        notes=tuple(notes),
        provenance=prov,
    )
