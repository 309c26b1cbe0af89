"""The engine's pool: sized above the in-flight cap, a short wait, no ping per checkout."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.pool import QueuePool

from hiresight.db import POOL_TIMEOUT_S, create_db_engine, single_writer
from hiresight.settings import Settings


def test_the_pool_holds_at_least_the_requests_in_flight(db_url: str) -> None:
    """Each request holds one connection at most, so a pool as large as the in-flight cap never
    makes a request wait for a connection that another request holds (both databases)."""
    engine = create_db_engine(db_url)
    try:
        pool = engine.pool
        assert isinstance(pool, QueuePool)
        assert pool.size() >= Settings().max_requests_in_flight
        assert pool.timeout() == POOL_TIMEOUT_S <= 2.0
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgresql_connections_are_recycled_not_pinged(postgres_url: str) -> None:
    """No pre-ping round trip per checkout on PostgreSQL; connections are replaced by age."""
    engine = create_db_engine(postgres_url)
    try:
        assert engine.pool._pre_ping is False
        assert engine.pool._recycle > 0
    finally:
        engine.dispose()


def test_an_exhausted_pool_gives_up_within_its_timeout(tmp_path: Path) -> None:
    """With every connection taken, the next checkout fails after the short timeout."""
    engine = create_db_engine(
        f"sqlite:///{tmp_path / 'p.db'}", pool_size=1, pool_timeout=0.2, max_overflow=0
    )
    try:
        with engine.connect(), pytest.raises(PoolTimeoutError):
            engine.connect()
    finally:
        engine.dispose()


def test_sqlite_writes_go_through_one_writer_and_postgresql_needs_none(db_url: str) -> None:
    """On SQLite a second writer waits for the first, and gives up (503) after the timeout;
    on PostgreSQL writers do not wait for each other here."""
    engine = create_db_engine(db_url)
    try:
        with single_writer(engine):
            if db_url.startswith("sqlite"):
                with pytest.raises(PoolTimeoutError), single_writer(engine, timeout=0.1):
                    pass
            else:
                with single_writer(engine, timeout=0.1):
                    pass
    finally:
        engine.dispose()
