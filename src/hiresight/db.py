"""Database engine, session factory and the declarative base shared by every domain's models."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Connection, Dialect, Engine, make_url
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that Alembic migrations can drop and alter them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC: the server's clock is the source of truth."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, so naive values read from it are UTC by construction.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use hiresight.db.utcnow()")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """The declarative base of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers proceed while a writer commits; foreign keys are off by default in SQLite;
    # busy_timeout makes concurrent writers wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


# The web app's pool: a request holds at most one connection, and the in-flight cap
# (settings.max_requests_in_flight, 40 by default: anyio's thread limit) keeps requests below
# the pool's size, so a request never waits for a connection another request holds while that
# one waits for a thread. The overflow covers background threads and health checks.
POOL_SIZE = 40
POOL_OVERFLOW = 10
# Waiting longer than this for a connection answers 503 `server_busy` (retry later) instead of
# letting requests pile up behind the pool for SQLAlchemy's default 30 s.
POOL_TIMEOUT_S = 2.0
# PostgreSQL connections are replaced after this many seconds instead of being pinged before
# every checkout: a ping is a round trip per request, and a dropped connection already fails
# the request that meets it with a retryable error.
POOL_RECYCLE_S = 1800


def create_db_engine(
    url: str,
    *,
    pool_size: int = POOL_SIZE,
    pool_timeout: float = POOL_TIMEOUT_S,
    **kwargs: Any,
) -> Engine:
    """An engine for SQLite (the default) or PostgreSQL through psycopg 3."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            pooled = {
                "pool_size": pool_size,
                "max_overflow": POOL_OVERFLOW,
                "pool_timeout": pool_timeout,
            }
            kwargs = {**pooled, **kwargs}
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options: dict[str, Any] = {
        "pool_size": pool_size,
        "max_overflow": POOL_OVERFLOW,
        "pool_timeout": pool_timeout,
        "pool_pre_ping": False,
        "pool_recycle": POOL_RECYCLE_S,
    }
    return create_engine(url, **{**options, **kwargs})


# SQLite takes one writer at a time and makes the others sleep in growing steps (busy_timeout),
# so concurrent autosaves queued behind each other for tens of milliseconds. One lock per
# process hands the write over as soon as it is free. PostgreSQL needs none: rows lock alone.
_sqlite_writer = threading.Lock()


@contextmanager
def single_writer(bind: Engine | Connection, timeout: float = POOL_TIMEOUT_S) -> Iterator[None]:
    """Serialise write transactions on SQLite; a no-op on other databases.

    Waiting longer than `timeout` raises the pool's TimeoutError, answered 503 `server_busy`
    like a pool wait: a writer stuck behind SQLite's own lock must not hold every thread.
    """
    if bind.dialect.name != "sqlite":
        yield
        return
    if not _sqlite_writer.acquire(timeout=timeout):
        raise PoolTimeoutError("the SQLite writer stayed busy")
    try:
        yield
    finally:
        _sqlite_writer.release()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on error."""
    with factory() as session, session.begin():
        yield session
