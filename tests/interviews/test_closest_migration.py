"""Revision 0009 adds each score's closest sentences; scores stored before it get none."""

from __future__ import annotations

import sqlalchemy as sa

from hiresight import migrate
from hiresight.db import create_db_engine, make_session_factory
from hiresight.interviews.scores import current_scores
from tests.factories import make_user
from tests.tasks.helpers import start_code_review


def test_scores_stored_before_the_revision_get_an_empty_closest_list(db_url: str) -> None:
    """A score row written under 0008 reads back with `closest == []` after upgrading, and the
    upgraded table stores closest sentences again (SQLite and PostgreSQL)."""
    engine = create_db_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            attempt_id = start_code_review(session, make_user(session)).id
        engine.dispose()
        migrate.downgrade(db_url, "0008")
        old_scores = sa.table(
            "attempt_scores",
            *(sa.column(c) for c in ("attempt_id", "component", "value", "rubric_version",
                                     "provider", "fallback", "created_at")),
            sa.column("evidence", sa.JSON()), sa.column("points_missed", sa.JSON()),
            sa.column("sub_scores", sa.JSON()), sa.column("notes", sa.JSON()),
        )  # fmt: skip
        with engine.begin() as conn:
            conn.execute(sa.insert(old_scores).values(
                attempt_id=attempt_id, component="stage", value=42.0, rubric_version="v1",
                provider="rubric", fallback=False, created_at=sa.func.now(), evidence=[],
                points_missed=["Say why"], sub_scores={}, notes=[],
            ))  # fmt: skip
        engine.dispose()
        migrate.upgrade(db_url)
        with make_session_factory(engine)() as session:
            row = current_scores(session, attempt_id)["stage"]
            assert row.points_missed == ["Say why"]
            assert row.closest == []
            row.closest = [{"point": "Say why", "quote": "It was slow.", "start": 0, "end": 12,
                            "similarity": 0.4}]  # fmt: skip
            session.commit()
            assert current_scores(session, attempt_id)["stage"].closest[0]["end"] == 12
    finally:
        engine.dispose()
