"""Revision 0021 adds the profile's salary currency: a minimum stored before it keeps its
number and gets no currency (it is not guessed); the downgrade drops the column alone."""

from __future__ import annotations

import sqlalchemy as sa

from hiresight import migrate
from hiresight.db import create_db_engine, make_session_factory
from hiresight.profiles import service
from tests.factories import make_user


def _columns(engine: sa.Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("candidate_profiles")}


def test_0021_adds_and_drops_the_salary_currency(db_url: str) -> None:
    """Up from 0020: the column appears, NULL for the existing row whose 70,000 is kept, and
    it stores a code; down to 0020: the column goes, the minimum stays (SQLite and PostgreSQL)."""
    engine = create_db_engine(db_url)
    profiles = sa.table(
        "candidate_profiles", sa.column("user_id"), sa.column("salary_min"),
        sa.column("salary_currency"),
    )  # fmt: skip
    try:
        with make_session_factory(engine)() as session:
            user = make_user(session)
            service.get_or_create(session, candidate=user).salary_min = 70_000
            session.commit()
            user_id = user.id
        engine.dispose()
        migrate.downgrade(db_url, "0020")
        assert "salary_currency" not in _columns(engine)
        assert "salary_min" in _columns(engine)
        engine.dispose()

        migrate.upgrade(db_url, "0021")
        assert migrate.current_heads(db_url) == {"0021"}
        with engine.begin() as conn:
            row = conn.execute(
                sa.select(profiles.c.salary_min, profiles.c.salary_currency).where(
                    profiles.c.user_id == user_id
                )
            ).one()
            assert tuple(row) == (70_000, None)
            conn.execute(
                sa.update(profiles)
                .where(profiles.c.user_id == user_id)
                .values(salary_currency="GBP")
            )
            stored = conn.execute(
                sa.select(profiles.c.salary_currency).where(profiles.c.user_id == user_id)
            ).scalar_one()
            assert stored == "GBP"
        engine.dispose()

        migrate.downgrade(db_url, "0020")
        assert "salary_currency" not in _columns(engine)
        with engine.connect() as conn:
            kept = conn.execute(
                sa.select(profiles.c.salary_min).where(profiles.c.user_id == user_id)
            ).scalar_one()
            assert kept == 70_000
        engine.dispose()
    finally:
        engine.dispose()
        migrate.upgrade(db_url)  # the shared test database goes back to the head
