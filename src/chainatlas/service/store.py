"""Storage of the SME assessment service (SQLAlchemy): API keys and submitted assessments.

SQLite by default (a file; WAL journal and a busy timeout so concurrent requests queue instead of
failing), PostgreSQL (or any SQLAlchemy URL) by passing its URL. API keys are stored only as
SHA-256 hashes. Writes happen in one transaction each.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import secrets
from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    DateTime,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from chainatlas.errors import InputError

__all__ = [
    "Role",
    "Base",
    "ApiKey",
    "KeyAudit",
    "ClosedWave",
    "StoredAssessment",
    "Store",
    "hash_key",
]

Role = Literal["firm", "analyst", "admin"]


class Base(DeclarativeBase):
    """Declarative base of the service tables."""


class ApiKey(Base):
    """An API key (hash only) with its role and, for firms, the firm it belongs to."""

    __tablename__ = "sme_api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    prefix: Mapped[str] = mapped_column(String(12))
    role: Mapped[str] = mapped_column(String(16))
    firm_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class KeyAudit(Base):
    """Audit trail of key management: every key created or revoked, by whom, when."""

    __tablename__ = "sme_key_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    key_id: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    firm_id: Mapped[str | None] = mapped_column(String(128), nullable=True)


class ClosedWave(Base):
    """A wave closed for submissions: only closed waves' aggregates are published."""

    __tablename__ = "sme_closed_waves"
    __table_args__ = (UniqueConstraint("framework", "wave", name="uq_closed_wave"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    framework: Mapped[str] = mapped_column(String(128))
    wave: Mapped[str] = mapped_column(String(32))
    closed_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))


class StoredAssessment(Base):
    """One submitted assessment (answers as JSON); one per firm, framework and wave."""

    __tablename__ = "sme_assessments"
    __table_args__ = (
        UniqueConstraint("firm_id", "framework", "wave", name="uq_firm_framework_wave"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    firm_id: Mapped[str] = mapped_column(String(128), index=True)
    framework: Mapped[str] = mapped_column(String(128), index=True)
    wave: Mapped[str] = mapped_column(String(32))
    province: Mapped[str | None] = mapped_column(String(64), nullable=True)
    industry: Mapped[str | None] = mapped_column(String(16), nullable=True)
    size: Mapped[str | None] = mapped_column(String(16), nullable=True)
    answers_json: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))

    def to_assessment(self) -> dict[str, Any]:
        """The assessment as the dict layout of :class:`~chainatlas.sme.answers.Assessment`."""
        return {
            "firm_id": self.firm_id,
            "framework": self.framework,
            "wave": self.wave,
            "province": self.province,
            "industry": self.industry,
            "size": self.size,
            "answers": json.loads(self.answers_json),
        }


def hash_key(key: str) -> str:
    """SHA-256 hex digest of an API key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _private_sqlite_file(url: str) -> None:
    """Create the SQLite file owner-only (0600) before SQLite does, and tighten an existing one.

    SQLite creates the ``-wal`` and ``-shm`` files with the permissions of the database file, so
    answers and key hashes are never world-readable.
    """
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    for p in (path, path + "-wal", path + "-shm"):
        if os.path.exists(p) and os.stat(p).st_mode & 0o077:
            os.chmod(p, 0o600)


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        eng = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(eng, "connect")
        def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
            cur = dbapi_conn.cursor()
            if ":memory:" not in url and url != "sqlite://":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return eng
    return create_engine(url, pool_pre_ping=True)


def _audit(actor: str, action: str, row: ApiKey) -> KeyAudit:
    return KeyAudit(
        at=_dt.datetime.now(_dt.UTC),
        actor=actor[:64],
        action=action,
        key_id=row.id,
        role=row.role,
        firm_id=row.firm_id,
    )


class Store:
    """Database access for the service: keys and assessments.

    Parameters
    ----------
    url : str
        SQLAlchemy URL, e.g. ``sqlite:///sme.db`` (default in the CLI) or
        ``postgresql+psycopg://user@host/db``.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = _engine(url)
            Base.metadata.create_all(self.engine)
        except (SQLAlchemyError, OSError) as err:
            raise InputError(
                "cannot open the assessment database",
                received=f"{url!r}: {type(err).__name__}: {str(err).splitlines()[0]}",
                fix="pass a SQLAlchemy URL such as sqlite:///sme.db or "
                "postgresql+psycopg://user@host/db, for a database that exists and is writable",
            ) from err
        self.session: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    # -- keys -----------------------------------------------------------------------------------
    def create_key(
        self,
        role: Role,
        *,
        firm_id: str | None = None,
        label: str = "",
        key: str | None = None,
        actor: str = "cli",
    ) -> tuple[ApiKey, str]:
        """Create a key; returns the row and the secret (shown once, stored hashed).

        The creation is written to the audit table with ``actor`` in the same transaction.
        """
        secret = key or "sme_" + secrets.token_urlsafe(24)
        row = ApiKey(
            key_hash=hash_key(secret),
            prefix=secret[:10],
            role=role,
            firm_id=firm_id,
            label=label,
            created_at=_dt.datetime.now(_dt.UTC),
            revoked=False,
        )
        with self.session.begin() as s:
            s.add(row)
            s.flush()
            s.add(_audit(actor, "create", row))
        return row, secret

    def find_key(self, secret: str) -> ApiKey | None:
        """The active key row for a secret, or None."""
        with self.session() as s:
            row = s.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(secret)))
            return row if row is not None and not row.revoked else None

    def has_admin(self) -> bool:
        """Whether an active admin key exists."""
        with self.session() as s:
            return (
                s.scalar(
                    select(ApiKey.id)
                    .where(ApiKey.role == "admin", ApiKey.revoked.is_(False))
                    .limit(1)
                )
                is not None
            )

    def list_keys(self) -> list[ApiKey]:
        """All keys (hashes are never returned by the API)."""
        with self.session() as s:
            return list(s.scalars(select(ApiKey).order_by(ApiKey.id)))

    def revoke_key(self, key_id: int, *, actor: str = "cli") -> bool:
        """Revoke a key (audited); False when it does not exist."""
        with self.session.begin() as s:
            row = s.get(ApiKey, key_id)
            if row is None:
                return False
            row.revoked = True
            s.add(_audit(actor, "revoke", row))
            return True

    def firm_exists(self, firm_id: str) -> bool:
        """Whether the firm has any key (active or revoked) or any stored assessment."""
        with self.session() as s:
            has_key = s.scalar(select(ApiKey.id).where(ApiKey.firm_id == firm_id).limit(1))
            has_row = s.scalar(
                select(StoredAssessment.id).where(StoredAssessment.firm_id == firm_id).limit(1)
            )
            return has_key is not None or has_row is not None

    def close_wave(self, framework: str, wave: str, *, actor: str = "cli") -> None:
        """Close a wave for submissions (idempotent)."""
        if self.wave_closed(framework, wave):
            return
        with self.session.begin() as s:
            s.add(
                ClosedWave(
                    framework=framework,
                    wave=wave,
                    closed_at=_dt.datetime.now(_dt.UTC),
                    actor=actor[:64],
                )
            )

    def wave_closed(self, framework: str, wave: str) -> bool:
        """Whether the wave is closed (its aggregates may be published)."""
        with self.session() as s:
            q = select(ClosedWave.id).where(
                ClosedWave.framework == framework, ClosedWave.wave == wave
            )
            return s.scalar(q.limit(1)) is not None

    def closed_waves(self, framework: str) -> list[str]:
        """The framework's closed waves, oldest closure first."""
        with self.session() as s:
            q = select(ClosedWave.wave).where(ClosedWave.framework == framework)
            return list(s.scalars(q.order_by(ClosedWave.id)))

    def audit_log(self) -> list[KeyAudit]:
        """Every key creation and revocation, oldest first."""
        with self.session() as s:
            return list(s.scalars(select(KeyAudit).order_by(KeyAudit.id)))

    # -- assessments ----------------------------------------------------------------------------
    def add_assessment(self, a: dict[str, Any]) -> StoredAssessment:
        """Insert one validated assessment in its own transaction (IntegrityError on a repeat)."""
        row = StoredAssessment(
            firm_id=a["firm_id"],
            framework=a["framework"],
            wave=a["wave"],
            province=a.get("province"),
            industry=a.get("industry"),
            size=a.get("size"),
            answers_json=json.dumps(a["answers"], ensure_ascii=False, sort_keys=True),
            submitted_at=_dt.datetime.now(_dt.UTC),
        )
        with self.session.begin() as s:
            s.add(row)
        return row

    def firm_assessments(
        self, firm_id: str, framework: str | None = None
    ) -> list[StoredAssessment]:
        """A firm's assessments, oldest first."""
        with self.session() as s:
            q = select(StoredAssessment).where(StoredAssessment.firm_id == firm_id)
            if framework:
                q = q.where(StoredAssessment.framework == framework)
            return list(s.scalars(q.order_by(StoredAssessment.id)))

    def latest_assessments(self, framework: str, wave: str | None = None) -> list[StoredAssessment]:
        """One assessment per firm for a framework: the given wave, or each firm's latest."""
        with self.session() as s:
            q = select(StoredAssessment).where(StoredAssessment.framework == framework)
            if wave:
                q = q.where(StoredAssessment.wave == wave)
            latest: dict[str, StoredAssessment] = {}
            for row in s.scalars(q.order_by(StoredAssessment.id)):
                latest[row.firm_id] = row
            return list(latest.values())
