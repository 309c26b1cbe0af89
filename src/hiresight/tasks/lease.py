"""Claiming rows of a work table with a lease, atomically, on SQLite and PostgreSQL.

Shared by the outbox of background work and by webhook deliveries: a claim is one UPDATE that
moves a row to its running state, adds one to its try count (the fencing token) and sets
`lease_until`, guarded by the condition that made the row claimable, so two processes never
both win it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement


def claim_by_id(
    engine: Engine,
    *,
    key: InstrumentedAttribute[int],
    row_id: int,
    claimable: ColumnElement[bool],
    values: dict[str, Any],
    returning: Sequence[Any],
) -> Row[Any] | None:
    """Claim one row if it is still claimable: one conditional UPDATE, atomic on both databases."""
    with engine.begin() as conn:
        return conn.execute(
            update(key.class_)
            .where(key == row_id, claimable)
            .values(**values)
            .returning(*returning)
        ).first()


def claim_due(
    engine: Engine,
    *,
    key: InstrumentedAttribute[int],
    due: Select[Any],
    claimable: ColumnElement[bool],
    values: dict[str, Any],
    returning: Sequence[Any],
) -> list[Row[Any]]:
    """Claim the rows `due` selects (ids, ordered and limited by the caller).

    PostgreSQL locks them with SKIP LOCKED, so concurrent claimants take disjoint rows instead
    of queueing on locks; SQLite has one writer at a time, so each conditional UPDATE is the lock.
    """
    if engine.dialect.name != "postgresql":
        with engine.connect() as conn:
            ids = list(conn.scalars(due))
        claimed = (
            claim_by_id(
                engine,
                key=key,
                row_id=i,
                claimable=claimable,
                values=values,
                returning=returning,
            )
            for i in ids
        )
        return [row for row in claimed if row is not None]
    with engine.begin() as conn:
        ids = list(conn.scalars(due.with_for_update(skip_locked=True)))
        if not ids:
            return []
        return list(
            conn.execute(
                update(key.class_).where(key.in_(ids)).values(**values).returning(*returning)
            ).all()
        )
