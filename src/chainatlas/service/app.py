"""The SME assessment service (评测服务): FastAPI app over :class:`~.store.Store`.

Roles (API key in the ``X-API-Key`` header):

* **firm** — submits and reads only its own assessments, results and guidance;
* **analyst** — reads only k-suppressed regional aggregates;
* **admin** — manages keys (and nothing else: firms' answers are confidential).

**Who may mint a firm key.** An admin onboards a firm by minting its *first* key, only while the
firm has no key and no stored assessment. Once a firm exists, only the firm itself mints further
keys (``POST /firms/{firm_id}/keys`` with its own key, e.g. to rotate) — an admin who minted a
key for an existing firm could read its answers, so the service refuses it (409). Every key
creation and revocation is written to an audit table (``sme_key_audit``: who, what, when).

**Input the service never trusts.** Frameworks are named by registered id only (never a file
path); a request body is refused (401) before it is read when its key is missing or wrong, and
is read as a stream with a running size limit (413), so an unauthenticated or oversized upload
costs the server nothing. The SQLite database and its WAL/SHM files are created owner-only
(0600).

A submission is validated completely (schema, framework, every answer, province, industry and
size codes, scoring) before anything is written; the write is one transaction. OpenAPI docs are
served at ``/docs`` (Swagger UI) and ``/openapi.json``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, ConfigDict, StringConstraints
from sqlalchemy.exc import IntegrityError

from chainatlas.errors import ChainAtlasError, InputError, UnknownCodeError
from chainatlas.pipelines.sme import division_names
from chainatlas.report.render import to_jsonable
from chainatlas.service.store import ApiKey, Store
from chainatlas.sme.aggregate import DEFAULT_K, group_labels, maturity_summary
from chainatlas.sme.answers import (
    ID_PATTERN,
    MAX_ID,
    Assessment,
    assessments_frame,
    validate_assessment,
)
from chainatlas.sme.guidance import compare_waves, next_steps
from chainatlas.sme.schema import Framework, list_frameworks, load_framework
from chainatlas.sme.scoring import MaturityScores, score_assessments

__all__ = ["create_app", "KeyRequest", "FirmKeyRequest", "MIN_ADMIN_KEY"]

_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="API key (firm, analyst or admin)"
)


class KeyRequest(BaseModel):
    """Body of ``POST /keys``."""

    model_config = ConfigDict(extra="forbid")
    role: Literal["firm", "analyst", "admin"]
    firm_id: (
        Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID, pattern=ID_PATTERN)]
        | None
    ) = None
    label: Annotated[str, StringConstraints(max_length=200)] = ""


class FirmKeyRequest(BaseModel):
    """Body of ``POST /firms/{firm_id}/keys``."""

    model_config = ConfigDict(extra="forbid")
    label: Annotated[str, StringConstraints(max_length=200)] = ""


def _auth(request: Request, key: Annotated[str | None, Depends(_header)]) -> ApiKey:
    if not key:
        raise HTTPException(401, "missing X-API-Key header")
    row = request.app.state.store.find_key(key)
    if row is None:
        raise HTTPException(401, "unknown or revoked API key")
    return row  # type: ignore[no-any-return]


Key = Annotated[ApiKey, Depends(_auth)]

#: default request-body limit of the service (bytes)
MAX_BODY_BYTES = 1 << 20


#: shortest bootstrap admin key accepted (characters)
MIN_ADMIN_KEY = 16


def _framework(name: str) -> Framework:
    """A registered framework by id or alias; file paths are refused."""
    return load_framework(name, allow_paths=False)


def _score(rows: list[dict[str, Any]], framework_id: str) -> MaturityScores:
    fw = _framework(framework_id)
    return score_assessments(assessments_frame(rows), fw)


def _check_admin_key(admin_key: str | None) -> None:
    if admin_key is not None and len(admin_key.strip()) < MIN_ADMIN_KEY:
        raise InputError(
            "the bootstrap admin key is too short",
            received=f"{len(admin_key.strip())} characters",
            fix=f"use a random secret of at least {MIN_ADMIN_KEY} characters "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)",
        )


class _BodyLimit:
    """ASGI middleware: authenticate, then stream the request body with a running size limit.

    A body-carrying request without a valid ``X-API-Key`` is answered 401 before one byte of
    its body is read; a body that grows past ``limit`` bytes (declared or chunked) is answered
    413 as soon as the limit is crossed, without buffering the rest.
    """

    def __init__(self, app: Any, *, store: Store, limit: int) -> None:
        self.app, self.store, self.limit = app, store, limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        key = headers.get("x-api-key")
        if not key or self.store.find_key(key) is None:
            await _send_json(send, 401, "Unauthorized", "missing, unknown or revoked X-API-Key")
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            await _send_json(send, 413, "PayloadTooLarge", self._too_large(int(declared)))
            return
        # read the body here, at most `limit` + one chunk, and replay it to the app: an oversized
        # body is answered 413 as soon as the limit is crossed, whatever the app would do
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.limit:
                await _send_json(send, 413, "PayloadTooLarge", self._too_large(received))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Any:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _too_large(self, size: int) -> str:
        return (
            f"request body of at least {size} bytes exceeds the limit of {self.limit} bytes; "
            "fix: send one assessment per request"
        )


async def _send_json(send: Any, status: int, error: str, detail: str) -> None:
    body = json.dumps({"error": error, "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(body)),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _result(scores: MaturityScores, firm_id: str, *, guidance: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = scores.explain(firm_id)
    i = scores.position(firm_id)
    out["dimensions"] = scores.dimensions.iloc[i].to_dict()
    out["profile"] = scores.profile.iloc[i].to_dict()
    out["subdimensions"] = scores.subdimensions.iloc[i].to_dict()
    if len(scores.scenes.columns):
        out["scenes"] = scores.scenes.iloc[i].astype(int).to_dict()
    if guidance:
        out["next_steps"] = (
            next_steps(scores, firm_id, top=8).reset_index().to_dict(orient="records")
        )
    return to_jsonable(out)  # type: ignore[no-any-return]


def create_app(
    db_url: str = "sqlite:///sme.db",
    *,
    k: int = DEFAULT_K,
    admin_key: str | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> FastAPI:
    """Build the service app.

    Parameters
    ----------
    db_url : str
        SQLAlchemy URL (SQLite file by default; ``postgresql+psycopg://...`` for PostgreSQL).
    k : int
        Minimum firms per published aggregate cell.
    admin_key : str, optional
        Register this secret as an admin key if it is not registered yet (bootstrap).
    max_body_bytes : int
        Larger request bodies are refused with 413 before they are parsed (default 1 MiB; one
        assessment is a few KB).
    """
    _check_admin_key(admin_key)
    store = Store(db_url)
    if admin_key and store.find_key(admin_key.strip()) is None:
        store.create_key("admin", label="bootstrap", key=admin_key.strip(), actor="bootstrap")
    app = FastAPI(
        title="chainatlas SME digital maturity service (中小企业数字化水平评测服务)",
        version="1",
        description=__doc__,
    )
    app.state.store = store
    app.state.k = k

    app.add_middleware(_BodyLimit, store=store, limit=max_body_bytes)

    @app.exception_handler(ChainAtlasError)
    async def _chainatlas_error(_req: Request, err: ChainAtlasError) -> JSONResponse:
        status = 404 if isinstance(err, UnknownCodeError) and "firm" in err.problem else 422
        return JSONResponse(
            status_code=status, content={"error": type(err).__name__, "detail": str(err)}
        )

    def need(key: ApiKey, role: str, firm_id: str | None = None) -> None:
        if key.role != role:
            raise HTTPException(403, f"this endpoint needs a {role} key; yours is a {key.role} key")
        if firm_id is not None and key.firm_id != firm_id:
            raise HTTPException(403, "a firm key reads and writes only its own firm's assessments")

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        """Liveness check (no key needed)."""
        return {"status": "ok"}

    @app.get("/frameworks", tags=["meta"])
    def frameworks(_key: Key) -> list[dict[str, Any]]:
        """The frameworks this service knows."""
        return to_jsonable(list_frameworks().drop(columns=["path"]))  # type: ignore[no-any-return]

    @app.post("/assessments", status_code=201, tags=["firm"])
    def submit(body: Assessment, key: Key) -> dict[str, Any]:
        """Submit one assessment (firm key, own firm only). Validated fully before the write."""
        need(key, "firm", body.firm_id)
        fw = _framework(body.framework)
        fw.require_complete()
        clean = validate_assessment(body.answers, fw)
        record = {**body.model_dump(exclude={"name"}), "framework": fw.id, "answers": clean}
        meta = pd.DataFrame([record]).set_index("firm_id")
        for by, col in (("province", "province"), ("division", "industry"), ("size", "size")):
            if record.get(col) is not None:
                group_labels(meta, by, division_names=division_names())  # type: ignore[arg-type]
        scores = _score([record], fw.id)
        if store.wave_closed(fw.id, body.wave):
            raise HTTPException(
                409, f"wave {body.wave!r} of {fw.id} is closed; submit to a new wave id"
            )
        try:
            row = store.add_assessment(record)
        except IntegrityError:
            raise HTTPException(
                409,
                f"firm {body.firm_id!r} already submitted wave {body.wave!r} of {fw.id}; use a new wave id",
            ) from None
        return {
            "id": row.id,
            "firm_id": row.firm_id,
            "framework": fw.id,
            "wave": row.wave,
            "result": _result(scores, body.firm_id, guidance=False),
        }

    @app.get("/firms/{firm_id}/assessments", tags=["firm"])
    def list_own(firm_id: str, key: Key, framework: str | None = None) -> list[dict[str, Any]]:
        """A firm's assessments with total and level (firm key, own firm only)."""
        need(key, "firm", firm_id)
        fid = _framework(framework).id if framework else None
        out = []
        for row in store.firm_assessments(firm_id, fid):
            s = _score([row.to_assessment()], row.framework)
            out.append(
                {
                    "id": row.id,
                    "framework": row.framework,
                    "wave": row.wave,
                    "submitted_at": row.submitted_at.isoformat(),
                    "total": float(s.total[0]),
                    "level": int(s.level[0]),
                }
            )
        return out

    def _one(firm_id: str, wave: str, framework: str | None) -> dict[str, Any]:
        rows = [
            r
            for r in store.firm_assessments(firm_id)
            if r.wave == wave and (framework is None or r.framework == _framework(framework).id)
        ]
        if not rows:
            raise HTTPException(404, f"no assessment of firm {firm_id!r} for wave {wave!r}")
        return rows[-1].to_assessment()

    @app.get("/firms/{firm_id}/assessments/{wave}", tags=["firm"])
    def result(firm_id: str, wave: str, key: Key, framework: str | None = None) -> dict[str, Any]:
        """Result, level with reason and ranked guidance for one wave (firm key, own firm only)."""
        need(key, "firm", firm_id)
        a = _one(firm_id, wave, framework)
        out = _result(_score([a], a["framework"]), firm_id)
        out["wave"] = wave
        out["answers"] = a["answers"]
        return out

    @app.get("/firms/{firm_id}/compare", tags=["firm"])
    def compare(
        firm_id: str, before: str, after: str, key: Key, framework: str | None = None
    ) -> dict[str, Any]:
        """Progress between two waves of the firm (firm key, own firm only)."""
        need(key, "firm", firm_id)
        a0, a1 = _one(firm_id, before, framework), _one(firm_id, after, framework)
        cmp = compare_waves(_score([a0], a0["framework"]), _score([a1], a1["framework"]))
        return to_jsonable(cmp.iloc[0].to_dict())  # type: ignore[no-any-return]

    @app.get("/aggregates", tags=["analyst"])
    def aggregates(
        key: Key,
        wave: str | None = None,
        framework: str = "miit-2024-manufacturing",
        by: Literal["province", "region", "division", "size"] = "region",
    ) -> dict[str, Any]:
        """k-suppressed aggregates of one closed wave by province, NBS region, GB/T 4754
        division or size (analyst key).

        Aggregates are published per wave, and only once an admin has closed the wave
        (``POST /waves/{framework}/{wave}/close``): a release that mixed waves, or that changed as
        single firms submit, could be differenced against another release to isolate one firm.
        """
        need(key, "analyst")
        fw = _framework(framework)
        if wave is None:
            closed = store.closed_waves(fw.id)
            raise HTTPException(
                422,
                "pass wave=…: aggregates are published per closed wave (a release mixing waves "
                "could be differenced against a per-wave one to isolate a firm); closed waves of "
                f"{fw.id}: {closed or 'none yet'}",
            )
        if not store.wave_closed(fw.id, wave):
            raise HTTPException(
                409,
                f"wave {wave!r} of {fw.id} is still open: aggregates are published only for "
                "closed waves, so that no two releases differ by a few firms; an admin closes it "
                f"with POST /waves/{fw.id}/{wave}/close",
            )
        rows = [r.to_assessment() for r in store.latest_assessments(fw.id, wave)]
        if len(rows) < app.state.k:
            return {
                "framework": fw.id,
                "wave": wave,
                "by": by,
                "k": app.state.k,
                "suppressed": True,
                "detail": f"fewer than k={app.state.k} assessments",
            }
        summary = maturity_summary(
            _score(rows, fw.id), by=by, k=app.state.k, division_names=division_names()
        )
        return {"wave": wave, **to_jsonable(summary.to_dict())}  # type: ignore[dict-item]

    @app.post("/waves/{framework}/{wave}/close", tags=["admin"])
    def close_wave(framework: str, wave: str, key: Key) -> dict[str, Any]:
        """Close a wave (admin key): no more submissions; its aggregates can be published."""
        need(key, "admin")
        fw = _framework(framework)
        store.close_wave(fw.id, wave, actor=f"admin key {key.id}")
        return {"framework": fw.id, "wave": wave, "closed": True}

    @app.post("/keys", status_code=201, tags=["admin"])
    def new_key(body: KeyRequest, key: Key) -> dict[str, Any]:
        """Create a key (admin key). The secret is returned once."""
        need(key, "admin")
        if body.role == "firm" and not body.firm_id:
            raise HTTPException(422, "a firm key needs firm_id")
        if body.role != "firm" and body.firm_id:
            raise HTTPException(422, "only firm keys carry a firm_id")
        if body.role == "firm" and body.firm_id and store.firm_exists(body.firm_id):
            raise HTTPException(
                409,
                f"firm {body.firm_id!r} already has a key or assessments: an admin mints only a "
                "new firm's first key; further keys are minted by the firm itself "
                f"(POST /firms/{body.firm_id}/keys with its own key)",
            )
        row, secret = store.create_key(
            body.role, firm_id=body.firm_id, label=body.label, actor=f"admin key {key.id}"
        )
        return {"id": row.id, "key": secret, "role": row.role, "firm_id": row.firm_id}

    @app.post("/firms/{firm_id}/keys", status_code=201, tags=["firm"])
    def firm_new_key(firm_id: str, key: Key, body: FirmKeyRequest | None = None) -> dict[str, Any]:
        """Mint another key for the firm itself (firm key, own firm only), e.g. to rotate."""
        need(key, "firm", firm_id)
        label = body.label if body else ""
        row, secret = store.create_key(
            "firm", firm_id=firm_id, label=label, actor=f"firm key {key.id}"
        )
        return {"id": row.id, "key": secret, "role": row.role, "firm_id": row.firm_id}

    @app.get("/keys", tags=["admin"])
    def keys(key: Key) -> list[dict[str, Any]]:
        """List keys without secrets (admin key)."""
        need(key, "admin")
        return [
            {
                "id": r.id,
                "prefix": r.prefix,
                "role": r.role,
                "firm_id": r.firm_id,
                "label": r.label,
                "revoked": r.revoked,
            }
            for r in store.list_keys()
        ]

    @app.delete("/keys/{key_id}", tags=["admin"])
    def revoke(key_id: int, key: Key) -> dict[str, Any]:
        """Revoke a key (admin key)."""
        need(key, "admin")
        if not store.revoke_key(key_id, actor=f"admin key {key.id}"):
            raise HTTPException(404, f"no key with id {key_id}")
        return {"id": key_id, "revoked": True}

    return app
