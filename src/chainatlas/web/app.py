"""The web atlas app (网页版产业图谱): one FastAPI app, HTML pages and the JSON behind them.

Routes (``SLUG`` is a page of :mod:`chainatlas.web.pages`):

* ``GET /`` — home; ``GET /SLUG?...`` — a page; ``GET /api/SLUG?...`` — its context as JSON
  (the same dict the page renders, same query parameters);
* ``GET /api/SLUG/tables/N.csv|N.xlsx`` and ``GET /api/SLUG/tables.xlsx`` — table downloads;
* ``GET /api/jobs/KEY`` — progress of a first computation (the page polls it);
* ``GET /api/pages`` — the page types and their parameters; ``/docs`` — OpenAPI;
* ``/static/...`` — CSS, JS and plotly.js (from the installed plotly package, never a CDN);
* ``/sme/...`` — the SME assessment service with its own role-scoped API keys.

Errors in a request (unknown dataset, province, parameter...) are 4xx with the message the CLI
prints: an HTML page on page routes, JSON on ``/api``. No route reads a file path from a request.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from chainatlas.errors import ChainAtlasError
from chainatlas.web.cache import ContextCache, Entry, cache_key
from chainatlas.web.pages import Page, ParamError, available_pages, get_page
from chainatlas.web.render import Renderer

__all__ = ["create_app", "MAX_QUERY_BYTES"]

#: longer query strings are refused with 414
MAX_QUERY_BYTES = 2048
#: a page waits this long for a first computation before it shows the progress page
PAGE_WAIT_S = 0.6
#: an /api request waits this long for a first computation before answering 202 + job status
API_WAIT_S = 300.0
LANGS = ("both", "zh", "en")


def _status(err: Exception) -> int:
    """404 for an unknown page, 400 for every other bad request."""
    if isinstance(err, ParamError) and str(err).startswith("unknown page"):
        return 404
    return 400


def _encode(ctx: dict[str, Any]) -> bytes:
    from chainatlas.report.render import to_jsonable

    def other(v: Any) -> Any:  # pandas NA/NaT and other scalars that to_jsonable leaves alone
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return None
        return str(v)

    return json.dumps(
        to_jsonable(ctx), ensure_ascii=False, separators=(",", ":"), default=other
    ).encode("utf-8")


def _data_hashes(names: list[str]) -> tuple[str, ...]:
    from chainatlas.datasets import get_dataset

    out = []
    for n in names:
        try:
            ds = get_dataset(n)
        except ChainAtlasError:
            out.append(n)
            continue
        out.extend(f.sha256 for f in ds.files)
    return tuple(out)


class Atlas:
    """State of one app: page contexts (cache + jobs) and the renderer."""

    def __init__(self, cache: ContextCache, renderer: Renderer, sme_store: Any = None) -> None:
        self.cache = cache
        self.renderer = renderer
        self.sme_store = sme_store

    def key(self, page: Page, params: dict[str, str]) -> str:
        hashes = _data_hashes(page.datasets(params))
        if page.extra.get("store_version") and self.sme_store is not None:
            hashes += (page.extra["store_version"](self.sme_store),)
        return cache_key(page.slug, params, hashes)

    def start(self, page: Page, params: dict[str, str]) -> tuple[str, Entry | None]:
        """The cache key and the entry if it is ready; otherwise the job is started."""
        key = self.key(page, params)
        entry = self.cache.get(key)
        if entry is not None:
            return key, entry
        job = self.cache.job(key)
        if job is not None and job.future.done() and job.future.exception() is not None:
            err = job.future.exception()
            self.cache.forget_job(key)  # the next request tries again
            assert err is not None
            raise err

        extra = {"__store__": self.sme_store} if page.extra.get("needs_store") else {}

        def compute(progress: Any) -> dict[str, Any]:
            return page.build({**params, **extra}, progress)

        self.cache.submit(key, page.slug, compute, _encode)
        return key, None

    async def wait(self, key: str, seconds: float) -> Entry | None:
        """Wait up to `seconds` for `key`'s job; re-raise its error."""
        job = self.cache.job(key)
        if job is None:
            return self.cache.get(key)
        deadline = time.monotonic() + seconds
        while not job.future.done() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if not job.future.done():
            return None
        err = job.future.exception()
        if err is not None:
            self.cache.forget_job(key)
            raise err
        return job.future.result()


def _query(request: Request) -> dict[str, str]:
    items = request.query_params.multi_items()
    names = [k for k, _ in items]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ParamError(
            f"parameter {dup[0]!r} given more than once",
            received=dup[0],
            fix="give each parameter once",
        )
    return dict(items)


def _lang(query: dict[str, str]) -> str:
    lang = query.get("lang", "both")
    if lang not in LANGS:
        raise ParamError(f"unknown lang {lang!r}", received=lang, fix="one of: both, zh, en")
    return lang


def _openapi_params(page: Page) -> list[dict[str, Any]]:
    params = [
        {
            "name": p.name,
            "in": "query",
            "required": False,
            "description": f"{p.label_zh} {p.label_en} (default {p.default})",
            "schema": {"type": "string", "default": p.default, "maxLength": 60},
        }
        for p in page.params
    ]
    params.append(
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "description": "语言 language: both, zh or en",
            "schema": {"type": "string", "enum": list(LANGS), "default": "both"},
        }
    )
    return params


def _static_dir() -> Path:
    return Path(str(resources.files("chainatlas.web").joinpath("static")))


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _page_routes(app: FastAPI, atlas: Atlas) -> None:
    from chainatlas.web.pages import PAGES

    for slug, page in PAGES.items():
        _one_page(app, atlas, slug, page)


def _one_page(app: FastAPI, atlas: Atlas, slug: str, page: Page) -> None:
    extra = {"parameters": _openapi_params(page)}
    doc = f"{page.title_zh} · {page.title_en}: {page.about_en}"

    async def html_page(request: Request) -> Response:
        query = _query(request)
        lang = _lang(query)
        pg = get_page(slug)
        params = pg.parse(query)
        key, entry = atlas.start(pg, params)
        if entry is None:
            entry = await atlas.wait(key, PAGE_WAIT_S)
        if entry is None:
            job = atlas.cache.job(key)
            body = atlas.renderer.progress(pg, params, lang, key, job.status() if job else {})
            return HTMLResponse(body, status_code=202, headers={"Cache-Control": "no-store"})
        variant = f"{lang}"
        html = entry.rendered.get(variant)
        if html is None:
            html = atlas.renderer.page(pg, params, lang, entry.context).encode("utf-8")
            atlas.cache.remember_render(key, variant, html)
        return Response(html, media_type="text/html; charset=utf-8")

    async def api_page(request: Request) -> Response:
        query = _query(request)
        _lang(query)
        pg = get_page(slug)
        params = pg.parse(query)
        key, entry = atlas.start(pg, params)
        if entry is None:
            entry = await atlas.wait(key, API_WAIT_S)
        if entry is None:
            job = atlas.cache.job(key)
            return JSONResponse(job.status() if job else {}, status_code=202)
        return Response(entry.json_bytes, media_type="application/json")

    async def table_download(request: Request, n: int, ext: str) -> Response:
        query = _query(request)
        pg = get_page(slug)
        params = pg.parse(query)
        key, entry = atlas.start(pg, params)
        if entry is None:
            entry = await atlas.wait(key, API_WAIT_S)
        if entry is None:
            return JSONResponse({"detail": "still computing; try again"}, status_code=503)
        return atlas.renderer.download(pg, params, entry.context, n, ext)

    async def csv_table(request: Request, n: int) -> Response:
        return await table_download(request, n, "csv")

    async def xlsx_table(request: Request, n: int) -> Response:
        return await table_download(request, n, "xlsx")

    async def xlsx_all(request: Request) -> Response:
        return await table_download(request, -1, "xlsx")

    routes: list[tuple[str, Any, str, str, dict[str, Any]]] = [
        (f"/{slug}", html_page, "pages", doc,
         {"response_class": HTMLResponse, "name": f"page-{slug}"}),
        (f"/api/{slug}", api_page, "api", doc, {"name": f"api-{slug}"}),
        (f"/api/{slug}/tables/{{n}}.csv", csv_table, "downloads", f"{slug}: table N as CSV", {}),
        (f"/api/{slug}/tables/{{n}}.xlsx", xlsx_table, "downloads", f"{slug}: table N as xlsx", {}),
        (f"/api/{slug}/tables.xlsx", xlsx_all, "downloads", f"{slug}: every table as xlsx", {}),
    ]  # fmt: skip
    for path, endpoint, tag, summary, more in routes:
        app.add_api_route(
            path,
            endpoint,
            methods=["GET"],
            tags=[tag],
            summary=summary,
            openapi_extra=extra,
            **more,
        )


def _errors(app: FastAPI, renderer: Renderer) -> None:
    def wants_json(request: Request) -> bool:
        p = request.url.path
        return p.startswith("/api/") or p == "/api" or p.endswith((".csv", ".xlsx", ".json"))

    def error(request: Request, status: int, kind: str, message: str) -> Response:
        if wants_json(request):
            return JSONResponse({"error": kind, "detail": message}, status_code=status)
        return HTMLResponse(renderer.error(status, kind, message), status_code=status)

    @app.exception_handler(ChainAtlasError)
    async def _chainatlas(request: Request, err: ChainAtlasError) -> Response:
        return error(request, _status(err), type(err).__name__, str(err))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> Response:
        return error(request, err.status_code, "HTTPError", str(err.detail))

    @app.exception_handler(ValueError)
    @app.exception_handler(LookupError)
    async def _bad_value(request: Request, err: Exception) -> Response:
        # a pipeline refusing these parameters without a chainatlas error: still the caller's input
        return error(request, 400, type(err).__name__, f"cannot compute this page for these "
                     f"parameters: {err}")  # fmt: skip

    @app.exception_handler(Exception)
    async def _bug(request: Request, err: Exception) -> Response:
        return error(request, 500, "InternalError", f"internal error {type(err).__name__}; this is "
                     "a bug in chainatlas — please report it")  # fmt: skip

    from fastapi.exceptions import RequestValidationError

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> Response:
        msgs = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        return error(request, 422, "ValidationError", msgs)


def _guards(app: FastAPI) -> None:
    @app.middleware("http")
    async def _limits(request: Request, call_next: Any) -> Any:
        qs = request.scope.get("query_string", b"")
        path = request.scope.get("path", "")
        raw_path = request.scope.get("raw_path") or path.encode()
        if len(qs) > MAX_QUERY_BYTES or len(raw_path) > 1024:
            return JSONResponse(
                {
                    "error": "TooLong",
                    "detail": f"query or path longer than {MAX_QUERY_BYTES} bytes",
                },
                status_code=414,
            )
        low = raw_path.lower()
        if b".." in low or b"%2e%2e" in low or b"\\" in low or b"%5c" in low or b"\x00" in low:
            return JSONResponse(
                {"error": "Refused", "detail": "path traversal is refused"}, status_code=400
            )
        try:
            qs.decode("utf-8")
            from urllib.parse import unquote_to_bytes

            unquote_to_bytes(qs).decode("utf-8")
        except UnicodeDecodeError:
            return JSONResponse(
                {"error": "Malformed", "detail": "the query string is not valid UTF-8"},
                status_code=400,
            )
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not path.startswith(("/docs", "/redoc", "/sme/docs")):
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data: blob:; "
                "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; "
                "frame-ancestors 'none'",
            )
        return response


def create_app(
    *,
    sme_db: str | None = "sqlite:///sme.db",
    sme_admin_key: str | None = None,
    sme_k: int | None = None,
    cache_bytes: int = 512 << 20,
    disk_cache: Path | None = None,
) -> FastAPI:
    """Build the web atlas app.

    Parameters
    ----------
    sme_db : str, optional
        SQLAlchemy URL of the SME service's store, mounted under ``/sme``; ``None`` mounts nothing.
    sme_admin_key : str, optional
        Register this admin key in the SME store on start (bootstrap).
    sme_k : int, optional
        Minimum firms per published SME cell (default: the service default).
    cache_bytes : int
        Size cap of the in-memory context cache.
    disk_cache : Path, optional
        Keep computed contexts here too (gzip JSON per key).

    Returns
    -------
    FastAPI
        The app; run it with uvicorn (``chainatlas serve``).
    """
    from fastapi.staticfiles import StaticFiles

    import chainatlas.web.more_pages  # noqa: F401  (registers the pages of newer pipelines)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        yield
        _app.state.atlas.cache.shutdown()

    app = FastAPI(
        lifespan=lifespan,
        title="chainatlas web atlas (网页版产业图谱)",
        description=__doc__,
        version="1",
        docs_url="/docs",
        redoc_url=None,
    )
    renderer = Renderer()
    sme_store = None
    if sme_db is not None:
        from chainatlas.web.sme import mount_sme

        sme_store = mount_sme(app, sme_db, admin_key=sme_admin_key, k=sme_k)  # built lazily
    atlas = Atlas(ContextCache(max_bytes=cache_bytes, disk_dir=disk_cache), renderer, sme_store)
    app.state.atlas = atlas
    _guards(app)
    _errors(app, renderer)

    @app.get("/", response_class=HTMLResponse, tags=["pages"], summary="home")
    def home(request: Request) -> Response:
        lang = _lang(_query(request))
        return HTMLResponse(renderer.home(available_pages(), lang))

    @app.get("/api/pages", tags=["api"], summary="page types and their parameters")
    def pages() -> list[dict[str, Any]]:
        return [renderer.page_info(p) for p in available_pages()]

    @app.get("/api/jobs/{key}", tags=["api"], summary="progress of a first computation")
    def job(key: str) -> Response:
        if not key.isalnum() or len(key) > 64:
            raise ParamError("malformed job key", received=key[:80], fix="use the key a page gave")
        j = atlas.cache.job(key)
        if j is None:
            if atlas.cache.get(key) is not None:
                return JSONResponse({"key": key, "state": "done"})
            raise StarletteHTTPException(404, f"no job {key}")
        st = j.status()
        if st["state"] == "error":
            err = j.future.exception()
            st["detail"] = f"{type(err).__name__}: {err}"
        return JSONResponse(st, headers={"Cache-Control": "no-store"})

    @app.get("/api/cache", tags=["api"], summary="cache statistics")
    def cache_stats() -> dict[str, Any]:
        return atlas.cache.stats()

    @app.get("/healthz", tags=["meta"], summary="liveness")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return FileResponse(_static_dir() / "favicon.svg", media_type="image/svg+xml")

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        return FileResponse(
            _plotly_js(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    _page_routes(app, atlas)
    app.mount("/static", StaticFiles(directory=_static_dir()), name="static")

    return app


def query_string(params: dict[str, str], **more: str) -> str:
    """URL query of `params` (and `more`), for links that keep a page's parameters."""
    return urlencode({**params, **more})
