"""Which rows hold a person's data, found from the foreign keys of the whole schema.

Nothing here names a domain's table: a row belongs to a person when a chain of foreign keys
leads from it to their `users` row (or to any other root row), so a table added later is covered
the day it is added. A foreign key that is `ON DELETE SET NULL` on a nullable column is a mere
mention (the job a recruiter created, the actor of an audit entry): erasing the person empties
that column and keeps the row. Every other foreign key makes the row part of what is erased.
A person's identity held without a foreign key must be declared in `UNLINKED`; a test lists the
columns that look like one and are not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Column, ForeignKey, MetaData, Table, select, update
from sqlalchemy.orm import Session

PERSON_TABLE = "users"
AUDIT_TABLE = "audit_log"
# Columns naming a person without a foreign key, and the users column whose value they hold;
# rows whose column holds the person's value belong to them.
UNLINKED: dict[tuple[str, str], str] = {
    # Failed logins are kept by address, not account, so that unknown addresses count too.
    ("login_attempts", "email"): "email",
    # An assessment sent from an applicant-tracking system names the candidate by address.
    ("partner_invitations", "candidate_email"): "email",
}
# `SET NULL` keys that nonetheless make the row the person's: the row is about them (it holds
# their name or address too), so emptying the key alone would keep their data.
OWNED_MENTIONS = frozenset({("partner_invitations", "candidate_id")})
# Column names that point at a file kept on disk beside the database (relative to the data
# directory); such files are removed with their rows.
FILE_COLUMN_SUFFIXES = ("_path",)
FILE_COLUMN_NAMES = frozenset({"path", "file_path", "storage_path"})
_CHUNK = 500


def is_mention(fk: ForeignKey) -> bool:
    """A reference that erasure empties rather than follows (nullable, `ON DELETE SET NULL`)."""
    if (fk.parent.table.name, fk.parent.name) in OWNED_MENTIONS:
        return False
    return (fk.ondelete or "").upper() == "SET NULL" and bool(fk.parent.nullable)


def key_of(table: Table) -> Column[Any]:
    """The table's one-column primary key (every table that can hold a person's rows has one)."""
    columns = list(table.primary_key.columns)
    if len(columns) != 1:
        raise ValueError(f"{table.name} needs a one-column primary key to be erasable")
    return columns[0]


def owning_keys(metadata: MetaData) -> Iterator[tuple[Table, ForeignKey]]:
    """Every (child table, foreign key) pair in the schema."""
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            yield table, fk


def reachable_tables(metadata: MetaData, root: str = PERSON_TABLE) -> set[str]:
    """The tables whose rows can belong to a person: reached from `root` by owning keys."""
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for table, fk in owning_keys(metadata):
            if fk.column.table.name == parent and not is_mention(fk) and table.name not in found:
                found.add(table.name)
                frontier.append(table.name)
    return found


def is_file_column(column: Column[Any]) -> bool:
    """Whether a column holds the path of a file on disk (by its name)."""
    return column.name in FILE_COLUMN_NAMES or column.name.endswith(FILE_COLUMN_SUFFIXES)


@dataclass
class RowSet:
    """Rows to erase (primary keys per table) and mentions to empty ((table, column) -> keys)."""

    delete: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    mention: dict[tuple[str, str], set[Any]] = field(default_factory=lambda: defaultdict(set))

    def counts(self) -> dict[str, int]:
        """Rows per table, and emptied mentions as `table.column`, sorted by name."""
        out = {name: len(keys) for name, keys in self.delete.items() if keys}
        for (name, column), keys in self.mention.items():
            kept = keys - self.delete.get(name, set())
            if kept:
                out[f"{name}.{column}"] = len(kept)
        return dict(sorted(out.items()))


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = sorted(values)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def collect(session: Session, metadata: MetaData, roots: dict[str, set[Any]]) -> RowSet:
    """Every row that belongs to the root rows, following owning keys down, and the mentions."""
    rows = RowSet()
    frontier: list[tuple[str, set[Any]]] = []
    for name, keys in roots.items():
        rows.delete[name] |= keys
        frontier.append((name, set(keys)))
    while frontier:
        parent_name, parent_keys = frontier.pop()
        parent = metadata.tables[parent_name]
        for table, fk in owning_keys(metadata):
            if fk.column.table is not parent or not parent_keys:
                continue
            values = _referenced_values(session, parent, fk.column, parent_keys)
            key = key_of(table)
            found: set[Any] = set()
            for chunk in _chunks(values):
                found |= set(session.scalars(select(key).where(fk.parent.in_(chunk))))
            if is_mention(fk):
                rows.mention[(table.name, fk.parent.name)] |= found
                continue
            new = found - rows.delete[table.name]
            if new:
                rows.delete[table.name] |= new
                frontier.append((table.name, new))
    return rows


def person_rows(session: Session, metadata: MetaData, person: dict[str, Any]) -> RowSet:
    """Every row of one person: their `users` row, rows naming them in an `UNLINKED` column
    (`person` maps users columns to their values), and all that belongs to those."""
    roots: dict[str, set[Any]] = {PERSON_TABLE: {person["id"]}}
    for (name, column), users_column in UNLINKED.items():
        if name in metadata.tables and person.get(users_column) is not None:
            table = metadata.tables[name]
            stmt = select(key_of(table)).where(table.c[column] == person[users_column])
            roots.setdefault(name, set()).update(session.scalars(stmt))
    return collect(session, metadata, roots)


def referencing(
    session: Session, metadata: MetaData, target: str, keys: set[Any], tables: set[str]
) -> dict[str, set[Any]]:
    """Rows of `tables` that refer to these rows of `target` by any foreign key."""
    found: dict[str, set[Any]] = defaultdict(set)
    for table, fk in owning_keys(metadata):
        if table.name in tables and table.name != target and fk.column.table.name == target:
            for chunk in _chunks(keys):
                stmt = select(key_of(table)).where(fk.parent.in_(chunk))
                found[table.name] |= set(session.scalars(stmt))
    return found


def _referenced_values(
    session: Session, parent: Table, column: Column[Any], keys: set[Any]
) -> set[Any]:
    key = key_of(parent)
    if column is key:
        return keys
    values: set[Any] = set()
    for chunk in _chunks(keys):
        values |= set(session.scalars(select(column).where(key.in_(chunk))))
    return values - {None}


def files_of(session: Session, metadata: MetaData, rows: RowSet, root: Path) -> list[Path]:
    """The files on disk that rows to be erased point at (inside `root` only)."""
    paths: list[Path] = []
    base = root.resolve()
    for name, keys in rows.delete.items():
        table = metadata.tables[name]
        for column in (c for c in table.columns if is_file_column(c)):
            for chunk in _chunks(keys):
                for value in session.scalars(select(column).where(key_of(table).in_(chunk))):
                    if not value:
                        continue
                    path = (base / str(value)).resolve()
                    # A stored path never leads outside the data directory, whatever it says.
                    if path.is_relative_to(base):
                        paths.append(path)
    return sorted(set(paths))


def erase(session: Session, metadata: MetaData, rows: RowSet) -> dict[str, int]:
    """Empty the mentions, then delete the rows, children first; the counts of `rows.counts`."""
    for (name, column_name), keys in rows.mention.items():
        table = metadata.tables[name]
        kept = keys - rows.delete.get(name, set())
        for chunk in _chunks(kept):
            session.execute(
                update(table).where(key_of(table).in_(chunk)).values({column_name: None})
            )
    for table in reversed(metadata.sorted_tables):
        for chunk in _chunks(rows.delete.get(table.name, set())):
            session.execute(table.delete().where(key_of(table).in_(chunk)))
    return rows.counts()
