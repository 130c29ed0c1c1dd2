"""HTTP service for SME assessments (评测服务): FastAPI app, SQLAlchemy storage, role-based keys."""

from chainatlas.service.app import create_app
from chainatlas.service.store import Store

__all__ = ["create_app", "Store"]
