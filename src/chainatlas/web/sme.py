"""The SME assessment service under ``/sme`` and the public, k-suppressed SME page (中小企业).

The service keeps its own role-scoped API keys (firm, analyst, admin) in its store; the public
page reads only the k-suppressed regional picture of the latest assessments and never sees a key.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI

from chainatlas.web.pages import Page, Param, Progress, register

__all__ = ["mount_sme", "SME"]


class LazyService:
    """The SME service app, built on its first request (keeps ``chainatlas serve`` start fast)."""

    def __init__(self, db_url: str, *, admin_key: str | None, k: int | None) -> None:
        self.db_url = db_url
        self.admin_key = admin_key
        self.k = k
        self._app: Any = None
        self._lock = threading.Lock()

    def app(self) -> Any:
        with self._lock:
            if self._app is None:
                from chainatlas.service import create_app

                opts: dict[str, Any] = {"admin_key": self.admin_key}
                if self.k is not None:
                    opts["k"] = self.k
                self._app = create_app(self.db_url, **opts)
            return self._app

    @property
    def store(self) -> Any:
        return self.app().state.store

    @property
    def min_k(self) -> int:
        return int(self.app().state.k)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app()(scope, receive, send)


def mount_sme(app: FastAPI, db_url: str, *, admin_key: str | None, k: int | None) -> LazyService:
    """Mount the SME service at ``/sme`` (built lazily); return its handle."""
    service = LazyService(db_url, admin_key=admin_key, k=k)
    app.mount("/sme", service, name="sme")
    return service


def _store_version(service: Any) -> str:
    from sqlalchemy import func, select

    from chainatlas.service.store import StoredAssessment

    store = service.store
    with store.session() as s:
        n, last = s.execute(
            select(func.count(StoredAssessment.id), func.max(StoredAssessment.id))
        ).one()
    return f"sme:{n}:{last}:k={service.min_k}"


def _frameworks() -> list[str]:
    from chainatlas.sme.schema import list_frameworks

    return [str(x) for x in list_frameworks().index]


def _areas() -> list[str]:
    from chainatlas.geo import provinces

    return ["all", "东部", "中部", "西部", "东北", *provinces()["name_zh"].tolist()]


def _build(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from chainatlas.errors import InputError

    service = params.get("__store__")
    if service is None:
        raise InputError(
            "the SME service is not mounted", fix="start `chainatlas serve` with --sme-db URL"
        )
    from chainatlas.pipelines.sections.sme import region_report_context
    from chainatlas.sme.answers import assessments_frame
    from chainatlas.sme.schema import load_framework
    from chainatlas.sme.scoring import score_assessments

    fw = load_framework(params["framework"])
    progress("reading assessments", 0.1)
    # like the service's /aggregates, publish one closed wave only: a live or mixed-wave picture
    # could be differenced against another release to isolate a firm
    closed = service.store.closed_waves(fw.id)
    if not closed:
        raise InputError(
            f"no closed wave of {fw.id} yet: the SME picture is published per closed wave only",
            fix="an admin closes a wave with POST /sme/waves/FRAMEWORK/WAVE/close",
        )
    wave = closed[-1]
    rows = [r.to_assessment() for r in service.store.latest_assessments(fw.id, wave)]
    k = service.min_k
    if len(rows) < k:
        raise InputError(
            f"fewer than k={k} assessments for {fw.id}: nothing can be published",
            received=len(rows),
            fix="firms submit assessments through /sme (POST /sme/assessments with a firm key)",
        )
    progress("scoring", 0.4)
    scores = score_assessments(assessments_frame(rows), fw)
    ctx = region_report_context(
        scores, params["area"], by=params["by"], k=k, step=lambda m: progress(m, None)
    )
    ctx.setdefault("params", {})["wave"] = wave
    return ctx


SME = Page(
    slug="sme",
    title_zh="中小企业数字化",
    title_en="SME digital maturity",
    about_zh="各地区中小企业数字化水平（小于 k 家企业的格子不公布）。",
    about_en="SMEs' digital maturity by region (cells with fewer than k firms are suppressed).",
    params=(
        Param("framework", "miit-2024-manufacturing", "评测框架", "framework", _frameworks),
        Param("area", "all", "地区", "area", _areas),
        Param(
            "by", "province", "分组", "group by", lambda: ["province", "region", "division", "size"]
        ),
    ),
    build=_build,
    datasets=lambda _p: [],
    extra={"needs_store": True, "store_version": _store_version},
)

register(SME)
