"""Load test of the web atlas (not a test): ``./run bench web``.

Starts ``chainatlas serve`` on 127.0.0.1 (a free port, a temporary SME database), measures

* cold start: process start to the first answered request;
* first render of the national atlas page (computing its context, with progress);
* the page HTML size (plotly.js is a separate, cached static file);

then runs a bounded load: 20 concurrent httpx clients × 50 requests each over 5 page types, all
cached, and prints p50/p95/max latency. Exits non-zero on any error or if p95 > 300 ms.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CLIENTS = 20
REQUESTS = 50
P95_LIMIT_MS = 300.0
PAGES = [
    "/",
    "/atlas?spec=china-io:2020-42",
    "/mrio?spec=wiod-2013:2011",
    "/ecosystems?view=china",
    "/api/atlas?spec=china-io:2020-42",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(port: int, tmp: Path) -> tuple[subprocess.Popen[bytes], float]:
    exe = Path(sys.executable).with_name("chainatlas")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [
            str(exe),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--sme-db",
            f"sqlite:///{tmp / 'sme.db'}",
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    url = f"http://127.0.0.1:{port}/"
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return proc, time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.perf_counter() - t0 > 60:
            raise SystemExit("chainatlas serve did not start")
        time.sleep(0.02)


def _first_render(base: str, path: str) -> tuple[float, int, int]:
    """Seconds until `path` renders (following the progress page), progress polls, HTML bytes."""
    t0 = time.perf_counter()
    polls = 0
    while True:
        r = httpx.get(base + path, timeout=300)
        if r.status_code == 200:
            return time.perf_counter() - t0, polls, len(r.content)
        if r.status_code != 202:
            raise SystemExit(f"{path}: HTTP {r.status_code}: {r.text[:300]}")
        key = r.text.split('data-job="', 1)[1].split('"', 1)[0]
        while httpx.get(f"{base}/api/jobs/{key}", timeout=30).json()["state"] == "running":
            polls += 1
            time.sleep(0.25)


async def _client(base: str, i: int, lat: list[float], errors: list[str]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        for j in range(REQUESTS):
            path = PAGES[(i + j) % len(PAGES)]
            t0 = time.perf_counter()
            r = await c.get(path)
            lat.append((time.perf_counter() - t0) * 1000)
            if r.status_code != 200:
                errors.append(f"{path}: {r.status_code}")


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="chainatlas-bench-web-"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc, cold = _start(port, tmp)
    try:
        print(f"cold start (process start → first page): {cold:.2f} s")
        secs, polls, size = _first_render(base, PAGES[1])
        print(f"first render of the national atlas page: {secs:.1f} s ({polls} progress polls)")
        print(f"national atlas page HTML: {size / 1e6:.2f} MB (plotly.js served once, "
              f"{Path(__import__('plotly').__file__).parent.joinpath('package_data', 'plotly.min.js').stat().st_size / 1e6:.1f} MB, cached)")  # fmt: skip
        for p in PAGES[2:]:
            s, _, n = _first_render(base, p)
            print(f"warm-up {p}: {s:.1f} s, {n / 1e6:.2f} MB")
        lat: list[float] = []
        errors: list[str] = []
        t0 = time.perf_counter()

        async def run() -> None:
            await asyncio.gather(*(_client(base, i, lat, errors) for i in range(CLIENTS)))

        asyncio.run(run())
        wall = time.perf_counter() - t0
        lat.sort()
        p50, p95 = lat[len(lat) // 2], lat[int(len(lat) * 0.95) - 1]
        print(f"load: {CLIENTS} clients × {REQUESTS} requests over {len(PAGES)} page types = "
              f"{len(lat)} requests in {wall:.1f} s ({len(lat) / wall:.0f} req/s), "
              f"errors {len(errors)}")  # fmt: skip
        print(f"latency (cached pages): p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {lat[-1]:.0f} ms")
        stats = httpx.get(base + "/api/cache").json()
        print(f"cache: {stats['entries']} entries, {stats['bytes'] / 1e6:.1f} MB, "
              f"{stats['computations']} computations")  # fmt: skip
        if errors:
            raise SystemExit(f"errors: {errors[:5]}")
        if p95 > P95_LIMIT_MS:
            raise SystemExit(f"p95 {p95:.0f} ms > {P95_LIMIT_MS:.0f} ms")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
