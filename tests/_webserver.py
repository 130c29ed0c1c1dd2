"""One live web-atlas server per test process (uvicorn in a thread on 127.0.0.1, a free port).

Each xdist worker starts its own server; the servers of one run share a disk cache (with a lock
per page), so every page is computed once per test session.
"""

from __future__ import annotations

import atexit
import os
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ADMIN = "web-tests-admin-key"
K = 5
N_FIRMS = 40


@dataclass
class LiveServer:
    url: str
    app: Any
    server: Any
    db_dir: Path

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return httpx.get(self.url + path, timeout=300, **kw)


_LIVE: LiveServer | None = None
_LOCK = threading.Lock()


def _seed_sme(base: str) -> None:
    """Submit synthetic assessments through the SME service's own API (firm keys)."""
    from chainatlas.sme.schema import load_framework
    from chainatlas.sme.synthetic import synthetic_answers

    fw = load_framework("miit-2024")
    admin = {"X-API-Key": ADMIN}
    with httpx.Client(base_url=base + "/sme", timeout=60) as c:
        for row in synthetic_answers(fw, N_FIRMS, seed=7).to_dict(orient="records"):
            ans: dict[str, Any] = {}
            for it in fw.items:
                v = row[it.id]
                if it.type == "multi_select":
                    ans[it.id] = [] if v == "none" else v.split(";")
                elif it.type in ("scene_level", "scale_0_5"):
                    ans[it.id] = int(v)
                elif it.type == "numeric_band":
                    ans[it.id] = float(v)
                else:
                    ans[it.id] = v
            r = c.post("/keys", json={"role": "firm", "firm_id": row["firm_id"]}, headers=admin)
            assert r.status_code == 201, r.text
            body = {"firm_id": row["firm_id"], "framework": "miit-2024", "wave": "T0",
                    "province": row["province"], "industry": row["industry"],
                    "size": row["size"], "answers": ans}  # fmt: skip
            r = c.post("/assessments", json=body, headers={"X-API-Key": r.json()["key"]})
            assert r.status_code == 201, r.text
        r = c.post("/waves/miit-2024-manufacturing/T0/close", headers=admin)
        assert r.status_code == 200, r.text  # only closed waves are published


def live_server() -> LiveServer:
    """Start (once) and return the live server."""
    global _LIVE
    with _LOCK:
        if _LIVE is not None:
            return _LIVE
        import uvicorn

        from chainatlas.web import create_app

        db_dir = Path(tempfile.mkdtemp(prefix="chainatlas-web-tests-"))
        # xdist workers of one run share computed pages through one disk cache
        run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"pid{os.getpid()}")
        shared = Path(tempfile.gettempdir()) / f"chainatlas-web-cache-{run_id}"
        app = create_app(
            sme_db=f"sqlite:///{db_dir / 'sme.db'}",
            sme_admin_key=ADMIN,
            sme_k=K,
            disk_cache=shared,
        )
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        _seed_sme(url)
        _LIVE = LiveServer(url=url, app=app, server=server, db_dir=db_dir)

        def stop() -> None:
            server.should_exit = True
            thread.join(timeout=5)

        atexit.register(stop)
        return _LIVE


def screens_dir() -> Path:
    """Folder for the screenshots of every page type (printed by the tests)."""
    path = Path(os.environ.get("CHAINATLAS_SCREENS", tempfile.gettempdir())) / "chainatlas-screens"
    path.mkdir(parents=True, exist_ok=True)
    return path
