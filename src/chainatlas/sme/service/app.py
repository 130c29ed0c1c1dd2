"""The SME assessment service (评测服务): FastAPI app over :class:`~.store.Store`.

Roles (API key in the ``X-API-Key`` header):

* **firm** — submits and reads only its own assessments, results and guidance;
* **analyst** — reads only k-suppressed regional aggregates;
* **admin** — manages keys (and nothing else: firms' answers are confidential).

A submission is validated completely (schema, framework, every answer, province, industry and
size codes, scoring) before anything is written; the write is one transaction. OpenAPI docs are
served at ``/docs`` (Swagger UI) and ``/openapi.json``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from chainatlas.errors import ChainAtlasError, UnknownCodeError
from chainatlas.report.render import to_jsonable
from chainatlas.sme.aggregate import DEFAULT_K, group_labels, maturity_summary
from chainatlas.sme.answers import Assessment, assessments_frame, validate_assessment
from chainatlas.sme.guidance import compare_waves, next_steps
from chainatlas.sme.schema import list_frameworks, load_framework
from chainatlas.sme.scoring import MaturityScores, score_assessments
from chainatlas.sme.service.store import ApiKey, Store

__all__ = ["create_app", "KeyRequest"]

_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="API key (firm, analyst or admin)"
)


class KeyRequest(BaseModel):
    """Body of ``POST /keys``."""

    role: Literal["firm", "analyst", "admin"]
    firm_id: str | None = None
    label: str = ""


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


def _score(rows: list[dict[str, Any]], framework_id: str) -> MaturityScores:
    fw = load_framework(framework_id)
    return score_assessments(assessments_frame(rows), fw)


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
    store = Store(db_url)
    if admin_key and store.find_key(admin_key) is None:
        store.create_key("admin", label="bootstrap", key=admin_key)
    app = FastAPI(
        title="chainatlas SME digital maturity service (中小企业数字化水平评测服务)",
        version="1",
        description=__doc__,
    )
    app.state.store = store
    app.state.k = k

    @app.middleware("http")
    async def _limit_body(request: Request, call_next: Any) -> Any:
        if request.method in ("POST", "PUT", "PATCH"):
            declared = request.headers.get("content-length")
            if declared is not None and declared.isdigit():
                size = int(declared)
            else:  # chunked upload: read it (bounded by the server) and measure
                size = len(await request.body())
            if size > max_body_bytes:
                return JSONResponse(
                    status_code=413,
                    content={
                        "error": "PayloadTooLarge",
                        "detail": f"request body of {size} bytes exceeds the limit of "
                        f"{max_body_bytes} bytes; fix: send one assessment per request",
                    },
                )
        return await call_next(request)

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
        fw = load_framework(body.framework)
        fw.require_complete()
        clean = validate_assessment(body.answers, fw)
        record = {**body.model_dump(exclude={"name"}), "framework": fw.id, "answers": clean}
        meta = pd.DataFrame([record]).set_index("firm_id")
        for by, col in (("province", "province"), ("division", "industry"), ("size", "size")):
            if record.get(col) is not None:
                group_labels(meta, by)  # type: ignore[arg-type]
        scores = _score([record], fw.id)
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
        fid = load_framework(framework).id if framework else None
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
            if r.wave == wave and (framework is None or r.framework == load_framework(framework).id)
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
        framework: str = "miit-2024-manufacturing",
        by: Literal["province", "region", "division", "size"] = "region",
        wave: str | None = None,
    ) -> dict[str, Any]:
        """k-suppressed aggregates by province, NBS region, GB/T 4754 division or size (analyst key)."""
        need(key, "analyst")
        fw = load_framework(framework)
        rows = [r.to_assessment() for r in store.latest_assessments(fw.id, wave)]
        if len(rows) < app.state.k:
            return {
                "framework": fw.id,
                "by": by,
                "k": app.state.k,
                "suppressed": True,
                "detail": f"fewer than k={app.state.k} assessments",
            }
        summary = maturity_summary(_score(rows, fw.id), by=by, k=app.state.k)
        return to_jsonable(summary.to_dict())  # type: ignore[no-any-return]

    @app.post("/keys", status_code=201, tags=["admin"])
    def new_key(body: KeyRequest, key: Key) -> dict[str, Any]:
        """Create a key (admin key). The secret is returned once."""
        need(key, "admin")
        if body.role == "firm" and not body.firm_id:
            raise HTTPException(422, "a firm key needs firm_id")
        if body.role != "firm" and body.firm_id:
            raise HTTPException(422, "only firm keys carry a firm_id")
        row, secret = store.create_key(body.role, firm_id=body.firm_id, label=body.label)
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
        if not store.revoke_key(key_id):
            raise HTTPException(404, f"no key with id {key_id}")
        return {"id": key_id, "revoked": True}

    return app
