"""``chainatlas serve``: the web atlas and the SME service in one app (网页版产业图谱)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainatlas.cli import app


@app.command("serve")
def serve(
    host: Annotated[
        str, typer.Option("--host", help="address to bind (default: this machine only)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="port")] = 8000,
    sme_db: Annotated[
        str,
        typer.Option(
            "--sme-db",
            help="SQLAlchemy URL of the SME service mounted at /sme (sqlite:///sme.db or "
            "postgresql+psycopg://...); 'none' mounts no service",
        ),
    ] = "sqlite:///sme.db",
    admin_key_file: Annotated[
        Path | None,
        typer.Option("--admin-key-file", help="read the SME bootstrap admin key from this file"),
    ] = None,
    k: Annotated[int, typer.Option("--k", min=2, help="minimum firms per published SME cell")] = 5,
    cache_mb: Annotated[
        int, typer.Option("--cache-mb", min=16, help="size cap of the in-memory page cache")
    ] = 512,
    disk_cache: Annotated[
        bool,
        typer.Option("--disk-cache/--no-disk-cache", help="also keep computed pages on disk"),
    ] = False,
) -> None:
    """Serve the web atlas: pages, /api JSON, downloads, /docs, and the SME service at /sme."""
    import uvicorn

    from chainatlas.cli._output import console
    from chainatlas.web import create_app

    db = None if sme_db.lower() == "none" else sme_db
    admin = admin_key_file.read_text(encoding="utf-8").strip() if admin_key_file else None
    if db is not None and admin is None:
        from chainatlas.service import Store

        store = Store(db)
        if not store.has_admin():
            _, secret = store.create_key("admin", label="first start")
            console.print(f"[bold]SME admin key (shown once, keep it safe):[/] {secret}")
        store.dispose()
    disk = None
    if disk_cache:
        from chainatlas.datasets.registry import cache_dir

        disk = cache_dir() / "web"
    application = create_app(
        sme_db=db, sme_admin_key=admin, sme_k=k, cache_bytes=cache_mb << 20, disk_cache=disk
    )
    console.print(
        f"chainatlas web atlas on http://{host}:{port}/ — API docs at http://{host}:{port}/docs"
        + (f"; SME service at http://{host}:{port}/sme" if db else "")
    )
    uvicorn.run(application, host=host, port=port, log_level="warning")
