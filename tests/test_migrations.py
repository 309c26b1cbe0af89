"""Migrations: upgrade from empty, downgrade and upgrade again, and models match migrations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from hiresight import migrate
from hiresight.db import create_db_engine
from hiresight.models import Base
from tests.conftest import postgres_schema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    with postgres_schema("hs_mig") as url:
        yield url


def _tables(url: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_every_table(empty_db_url: str) -> None:
    """`db upgrade` on an empty database creates every model's table."""
    migrate.upgrade(empty_db_url)
    assert _tables(empty_db_url) == set(Base.metadata.tables)


def test_downgrade_then_upgrade_again(empty_db_url: str) -> None:
    """Every migration can be reverted to empty and applied again."""
    migrate.upgrade(empty_db_url)
    migrate.downgrade(empty_db_url, "base")
    assert _tables(empty_db_url) == set()
    migrate.upgrade(empty_db_url)
    assert _tables(empty_db_url) == set(Base.metadata.tables)


def test_models_match_the_migrations(empty_db_url: str) -> None:
    """The migrated schema equals the models: no change is missing a migration."""
    migrate.upgrade(empty_db_url)
    engine = create_db_engine(empty_db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
