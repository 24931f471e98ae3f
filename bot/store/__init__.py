"""The application's own database: one lazily built engine, one session per call.

SQLAlchemy 1.4 in 2.0 style (`future=True`, `select()`). Schema changes go
through the Alembic migrations in `bot/store/migrations`.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator, Optional

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import settings as settings_module

_lock = threading.Lock()
_engine: Optional[Engine] = None
_sessionmaker: Optional[sessionmaker] = None


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, future=True, connect_args={"timeout": 15, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def get_engine() -> Engine:
    """The process-wide engine, built on first use from `DATABASE_URL`."""
    global _engine, _sessionmaker
    with _lock:
        if _engine is None:
            url = settings_module.load().database_url
            _engine = make_engine(url)
            _sessionmaker = sessionmaker(bind=_engine, future=True, expire_on_commit=False)
        return _engine


def configure(url: str) -> Engine:
    """Point the module at another database (tests, commands with --database-url)."""
    global _engine, _sessionmaker
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = make_engine(url)
        _sessionmaker = sessionmaker(bind=_engine, future=True, expire_on_commit=False)
        return _engine


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction: commit on success, roll back and re-raise on error."""
    get_engine()
    assert _sessionmaker is not None
    session = _sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
