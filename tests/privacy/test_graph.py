"""The schema walk: every table that can hold a candidate's rows is classified for export,
every column that names a person without a foreign key is declared, and the walk itself on a
small known schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, create_engine, insert
from sqlalchemy.orm import Session

from hiresight.models import Base
from hiresight.privacy import graph
from hiresight.privacy.export import EXPORT_POLICY

# Column names that say "this is a person" (an id, an address, a name of a candidate or user).
_PERSON_WORDS = ("email", "candidate", "user_id", "actor_id", "_by_id", "full_name")


def test_every_table_of_a_candidate_is_classified_for_export() -> None:
    """A table that can hold a candidate's rows and has no export policy is named here: decide
    what the candidate sees of it in privacy/export.py (EXPORT_POLICY)."""
    unclassified = graph.reachable_tables(Base.metadata) - set(EXPORT_POLICY)
    assert sorted(unclassified) == []


def test_every_person_column_without_a_key_is_declared() -> None:
    """A column that names a person without a foreign key is erased only if declared: either
    its table's rows are a person's (reached by keys) or it is in graph.UNLINKED."""
    reachable = graph.reachable_tables(Base.metadata)
    undeclared = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if any(word in column.name for word in _PERSON_WORDS)
        and not column.foreign_keys
        and table.name not in reachable
        and (table.name, column.name) not in graph.UNLINKED
    ]
    assert undeclared == []


def test_every_table_of_a_candidate_has_a_one_column_key() -> None:
    """Erasure deletes by primary key; a composite key would make it refuse."""
    for name in graph.reachable_tables(Base.metadata):
        graph.key_of(Base.metadata.tables[name])


def _tiny() -> MetaData:
    meta = MetaData()
    Table("users", meta, Column("id", Integer, primary_key=True), Column("email", String(50)))
    Table(
        "notes", meta, Column("id", Integer, primary_key=True),
        Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        Column("file_path", String(200)),
    )  # fmt: skip
    Table(
        "replies", meta, Column("id", Integer, primary_key=True),
        Column("note_id", ForeignKey("notes.id", ondelete="CASCADE"), nullable=False),
    )  # fmt: skip
    Table(
        "reports", meta, Column("id", Integer, primary_key=True),
        Column("author_id", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    )  # fmt: skip
    return meta


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[tuple[MetaData, Session]]:
    meta = _tiny()
    engine = create_engine(f"sqlite:///{tmp_path / 'tiny.db'}")
    meta.create_all(engine)
    with Session(engine) as session:
        t = meta.tables
        session.execute(insert(t["users"]), [{"id": 1, "email": "a@x"}, {"id": 2, "email": "b@x"}])
        session.execute(
            insert(t["notes"]),
            [
                {"id": 10, "user_id": 1, "file_path": "uploads/a.txt"},
                {"id": 11, "user_id": 2, "file_path": "uploads/b.txt"},
                {"id": 12, "user_id": 1, "file_path": "../outside.txt"},
            ],
        )
        session.execute(
            insert(t["replies"]), [{"id": 100, "note_id": 10}, {"id": 101, "note_id": 11}]
        )
        session.execute(
            insert(t["reports"]), [{"id": 7, "author_id": 1}, {"id": 8, "author_id": 2}]
        )
        yield meta, session
    engine.dispose()


def test_reachable_tables_follow_owning_keys_only() -> None:
    """Known answer: notes and their replies belong to a user; a report only mentions one."""
    assert graph.reachable_tables(_tiny()) == {"users", "notes", "replies"}


def test_collect_and_erase_on_a_known_schema(
    tiny: tuple[MetaData, Session], tmp_path: Path
) -> None:
    """User 1's rows are users 1, notes 10 and 12, reply 100; report 7 loses its author; user
    2's rows stay; only the file inside the data directory is listed."""
    meta, session = tiny
    rows = graph.collect(session, meta, {"users": {1}})
    assert dict(rows.delete) == {"users": {1}, "notes": {10, 12}, "replies": {100}}
    assert rows.counts() == {"notes": 2, "replies": 1, "reports.author_id": 1, "users": 1}
    root = tmp_path / "data"
    assert graph.files_of(session, meta, rows, root) == [(root / "uploads/a.txt").resolve()]
    graph.erase(session, meta, rows)
    t = meta.tables
    assert session.execute(t["users"].select()).all() == [(2, "b@x")]
    assert [r.id for r in session.execute(t["notes"].select())] == [11]
    assert [r.id for r in session.execute(t["replies"].select())] == [101]
    assert sorted(session.execute(t["reports"].select()).all()) == [(7, None), (8, 2)]
