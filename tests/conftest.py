"""Shared fixtures: a migrated database per backend, an app on it, a client, and factories.

Storage and API tests take the `db_url` fixture, which runs them on SQLite always and on
PostgreSQL too: the server HIRESIGHT_TEST_POSTGRES_URL names, or else the local one at its
default address when it answers (see `service_url`; under CI a missing server fails the run
instead of skipping). Each test run migrates its own SQLite file and its own
PostgreSQL schema, so concurrent runs never collide; tables are emptied between tests.
"""

from __future__ import annotations

import contextlib
import functools
import os
import uuid
import weakref
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from hiresight import migrate
from hiresight.app import create_app
from hiresight.db import create_db_engine, make_session_factory
from hiresight.models import Base
from hiresight.settings import Settings
from hiresight.tasks import service as tasks

POSTGRES_ENV = "HIRESIGHT_TEST_POSTGRES_URL"
REDIS_ENV = "HIRESIGHT_TEST_REDIS_URL"
# The servers `make test` uses when the variables are unset: PostgreSQL and Redis at their
# default local addresses (trust auth, database `test`; Redis database 15, kept for tests).
LOCAL_SERVICES = {
    POSTGRES_ENV: "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    REDIS_ENV: "redis://127.0.0.1:6379/15",
}


@functools.cache
def _answers(url: str) -> bool:
    """Whether the server at `url` answers within a second (probed once per process)."""
    try:
        if url.startswith("redis"):
            client = redis.Redis.from_url(url, socket_connect_timeout=1)
            try:
                return bool(client.ping())
            finally:
                client.close()
        engine = create_engine(url, connect_args={"connect_timeout": 1})
        try:
            with engine.connect():
                return True
        finally:
            engine.dispose()
    except (OSError, SQLAlchemyError, redis.RedisError):
        return False


def service_url(env: str) -> str | None:
    """The server the scale-path tests use: the one `env` names, else the local one if it
    answers, else None (the tests skip). Under CI a missing server fails the run instead."""
    url = os.environ.get(env) or (LOCAL_SERVICES[env] if _answers(LOCAL_SERVICES[env]) else None)
    if not url and os.environ.get("CI"):
        pytest.fail(f"{env} must be set in CI: these tests may not be skipped")
    return url


def postgres_base_url() -> str | None:
    """The PostgreSQL server tests may use, or None."""
    return service_url(POSTGRES_ENV)


@contextlib.contextmanager
def postgres_schema(prefix: str) -> Iterator[str]:
    """A PostgreSQL schema of its own, dropped afterwards: yields a URL whose search_path is it."""
    base = postgres_base_url()
    if base is None:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} or a local server")
    schema = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class _Databases:
    """Lazily created, migrated databases for this test run, one per backend."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.urls: dict[str, str] = {}
        self.engines: dict[str, Engine] = {}
        self.pg_schema = f"hs_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"

    def url(self, backend: str) -> str:
        if backend not in self.urls:
            if backend == "sqlite":
                url = f"sqlite:///{self.tmp / 'test.db'}"
            else:
                base = postgres_base_url()
                if base is None:
                    pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} or a local server")
                admin = create_engine(base)
                with admin.begin() as conn:
                    conn.execute(text(f'CREATE SCHEMA "{self.pg_schema}"'))
                admin.dispose()
                sep = "&" if "?" in base else "?"
                url = f"{base}{sep}options={quote(f'-csearch_path={self.pg_schema}')}"
            migrate.upgrade(url)
            self.urls[backend] = url
            self.engines[backend] = create_db_engine(url)
        return self.urls[backend]

    def truncate(self, backend: str) -> None:
        engine = self.engines[backend]
        with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())

    def close(self) -> None:
        for engine in self.engines.values():
            engine.dispose()
        if "postgres" in self.urls:
            base = postgres_base_url()
            assert base is not None
            admin = create_engine(base)
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.pg_schema}" CASCADE'))
            admin.dispose()


# The sessions `db` handed out and not yet garbage-collected (see `client`).
_db_sessions: weakref.WeakSet[Session] = weakref.WeakSet()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Databases]:
    """The run's databases, dropped at the end."""
    dbs = _Databases(tmp_path_factory.mktemp("db"))
    yield dbs
    dbs.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, databases: _Databases) -> Iterator[str]:
    """A migrated, empty database on each backend; emptied again after the test."""
    backend: str = request.param
    url = databases.url(backend)
    yield url
    databases.truncate(backend)


@pytest.fixture
def postgres_url(databases: _Databases) -> Iterator[str]:
    """The migrated, empty PostgreSQL database alone, for behaviour only PostgreSQL has."""
    yield databases.url("postgres")
    databases.truncate("postgres")


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Test settings on the test database."""
    return Settings(
        env="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        log_json=True,
        log_level="WARNING",
        # The daily maintenance would erase, delete and prune the test's own data at the app's
        # start; its tests turn it on where they check it.
        scheduled_maintenance=False,
        # The scoring warm-up scores three throwaway answers in every app (about 0.25 s of CPU
        # once the models are loaded), beside the test; tests/tasks/test_runtime.py checks it.
        scoring_warm_up=False,
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    """The app on the test database."""
    application = create_app(settings)
    yield application
    # Background tasks still running use the engine; let them finish before it goes away.
    tasks.wait(120)
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An HTTP client for the app; server errors come back as responses, not exceptions."""
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
        # Leaving the client runs the app's shutdown, which disposes its engine. A `db` session
        # set up before this client is torn down after it; its connection would then go back to
        # the discarded pool and be dropped unclosed. Close those sessions first (only them:
        # other sessions may belong to background work still running).
        for session in list(_db_sessions):
            if session.get_bind() is app.state.engine:
                session.close()


@pytest.fixture
def session_factory(app: FastAPI) -> sessionmaker[Session]:
    """Sessions on the app's database, for arranging data."""
    factory: sessionmaker[Session] = app.state.session_factory
    return factory


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for arranging and checking data; commit to make data visible to the app."""
    with session_factory() as session:
        _db_sessions.add(session)
        yield session


@pytest.fixture
def sqlite_session(tmp_path: Path) -> Iterator[Session]:
    """A session on a fresh, migrated SQLite database, for pure service tests."""
    url = f"sqlite:///{tmp_path / 'svc.db'}"
    migrate.upgrade(url)
    engine = create_db_engine(url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()
