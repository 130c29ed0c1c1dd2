"""Context cache and background jobs of the web atlas (缓存与后台计算).

A page's context is computed once per key ``(pipeline, parameters, data hashes)`` — the data
hashes are the pinned sha256 of every file of the datasets the page reads, so a new data release
is a new key. Computed contexts live in an in-memory LRU capped in bytes (their JSON size) and,
optionally, on disk (one gzip JSON per key). The rendered HTML of each language is kept with the
context, so a repeated request does no computation and no rendering.

A first computation runs in a worker thread; its progress messages are readable while it runs
(``GET /api/jobs/{key}``) so a page shows progress instead of hanging.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Entry", "Job", "ContextCache", "cache_key"]


def cache_key(pipeline: str, params: dict[str, Any], data_hashes: tuple[str, ...]) -> str:
    """A short stable key of a computation.

    Examples
    --------
    >>> cache_key("atlas", {"spec": "china-io:2020-42"}, ("ab",)) == cache_key(
    ...     "atlas", {"spec": "china-io:2020-42"}, ("ab",))
    True
    """
    raw = json.dumps([pipeline, params, list(data_hashes)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


@dataclass
class Entry:
    """A computed context with its JSON bytes and rendered pages (by variant, e.g. language)."""

    context: dict[str, Any]
    json_bytes: bytes
    seconds: float
    rendered: dict[str, bytes] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.json_bytes) + sum(len(v) for v in self.rendered.values())


@dataclass
class Job:
    """A running or finished computation and its progress messages."""

    key: str
    pipeline: str
    started: float
    future: Future[Entry]
    messages: list[str] = field(default_factory=list)
    fraction: float | None = None

    def status(self) -> dict[str, Any]:
        done = self.future.done()
        err = self.future.exception() if done else None
        return {
            "key": self.key,
            "pipeline": self.pipeline,
            "state": "error" if err else ("done" if done else "running"),
            "elapsed_s": round(time.monotonic() - self.started, 2),
            "message": self.messages[-1] if self.messages else "starting",
            "steps": list(self.messages[-12:]),
            "fraction": self.fraction,
        }


class ContextCache:
    """In-memory LRU (capped in bytes) of contexts, optional disk copy, and a job pool.

    Parameters
    ----------
    max_bytes : int
        Cap on the summed size of cached entries; the least recently used are dropped first.
    disk_dir : Path, optional
        Keep a gzip JSON copy of every context here and read it back after a restart.
    workers : int
        Threads computing contexts (each page key is computed by at most one of them at a time).
    """

    def __init__(
        self, *, max_bytes: int = 512 << 20, disk_dir: Path | None = None, workers: int = 2
    ) -> None:
        self.max_bytes = max_bytes
        self.disk_dir = disk_dir
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chainatlas-web")
        self.computations = 0  #: contexts computed (not read from a cache) since start

    # -- entries -------------------------------------------------------------------------------
    def get(self, key: str) -> Entry | None:
        """The cached entry of `key` (memory, then disk), or ``None``."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry
        entry = self._read_disk(key)
        if entry is not None:
            self._put(key, entry, write_disk=False)
        return entry

    def _put(self, key: str, entry: Entry, *, write_disk: bool = True) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            self._evict()
        if write_disk:
            self._write_disk(key, entry)

    def _evict(self) -> None:
        total = sum(e.size for e in self._entries.values())
        while total > self.max_bytes and len(self._entries) > 1:
            _, old = self._entries.popitem(last=False)
            total -= old.size

    def remember_render(self, key: str, variant: str, data: bytes) -> None:
        """Keep a rendered page of a cached entry (counts towards the size cap)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                entry.rendered[variant] = data
                self._evict()

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "entries": len(self._entries),
                "bytes": sum(e.size for e in self._entries.values()),
                "max_bytes": self.max_bytes,
                "computations": self.computations,
                "running": sum(1 for j in self._jobs.values() if not j.future.done()),
            }

    # -- disk ----------------------------------------------------------------------------------
    def _disk_path(self, key: str) -> Path | None:
        return None if self.disk_dir is None else self.disk_dir / f"{key}.json.gz"

    def _read_disk(self, key: str) -> Entry | None:
        path = self._disk_path(key)
        if path is None or not path.is_file():
            return None
        try:
            raw = gzip.decompress(path.read_bytes())
            return Entry(context=json.loads(raw), json_bytes=raw, seconds=0.0)
        except (OSError, ValueError):
            return None  # a damaged cache file is recomputed, never served

    def _write_disk(self, key: str, entry: Entry) -> None:
        path = self._disk_path(key)
        if path is None:
            return
        from chainatlas._atomic import write_atomic

        try:
            write_atomic(path, gzip.compress(entry.json_bytes, compresslevel=5))
        except OSError:
            pass  # the disk cache is optional: a full or read-only disk only costs recomputation

    @contextlib.contextmanager
    def _disk_lock(self, key: str) -> Iterator[None]:
        """An exclusive lock on `key` across processes sharing the disk cache (no-op without)."""
        if self.disk_dir is None:
            yield
            return
        import fcntl

        self.disk_dir.mkdir(parents=True, exist_ok=True)
        with open(self.disk_dir / f"{key}.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- jobs ----------------------------------------------------------------------------------
    def job(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def forget_job(self, key: str) -> None:
        """Drop a finished job (a failed one is retried by the next request)."""
        with self._lock:
            self._jobs.pop(key, None)

    def submit(
        self,
        key: str,
        pipeline: str,
        compute: Callable[[Callable[[str, float | None], None]], dict[str, Any]],
        encode: Callable[[dict[str, Any]], bytes],
    ) -> Job:
        """Start computing `key` unless it is cached or already running; return its job."""
        holder: list[Job] = []

        def progress(message: str, fraction: float | None = None) -> None:
            holder[0].messages.append(str(message))
            holder[0].fraction = fraction

        def run() -> Entry:
            with self._disk_lock(key):  # another process (worker) may be computing this key
                entry = self._read_disk(key)
                if entry is not None:
                    self._put(key, entry, write_disk=False)
                    progress("done", 1.0)
                    return entry
                return compute_entry()

        def compute_entry() -> Entry:
            t0 = time.perf_counter()
            ctx = compute(progress)
            data = encode(ctx)
            entry = Entry(
                context=json.loads(data), json_bytes=data, seconds=time.perf_counter() - t0
            )
            self.computations += 1
            self._put(key, entry)
            with self._lock:  # finished: the entry is in the cache now
                if len(self._jobs) > 256:
                    for k in [k for k, j in self._jobs.items() if j.future.done()][:128]:
                        self._jobs.pop(k, None)
            progress("done", 1.0)
            return entry

        with self._lock:
            job = self._jobs.get(key)
            if job is not None and not (job.future.done() and job.future.exception()):
                return job
            job = Job(key=key, pipeline=pipeline, started=time.monotonic(), future=Future())
            holder.append(job)
            job.future = self._pool.submit(run)
            self._jobs[key] = job
        return job

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
