"""Cursor-paginated export of an organisation's audit log (GET /orgs/{org_id}/audit-events)."""

import base64
import binascii
import json
import sqlite3
from typing import Any

MAX_LIMIT = 500


class InvalidCursor(ValueError):
    code = "invalid_cursor"


def encode_cursor(state: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, sort_keys=True).encode()).decode()


def decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidCursor("cursor is not valid") from exc
    if not isinstance(state, dict) or not {"org", "after", "id"} <= state.keys():
        raise InvalidCursor("cursor is not valid")
    return state


def list_events(
    db: sqlite3.Connection,
    org_id: str,
    limit: int = 100,
    cursor: str | None = None,
    action: str | None = None,
) -> dict[str, Any]:
    """One page of audit events, oldest first, plus the cursor for the next page."""
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor is not None:
        # The cursor carries the query state so later pages keep the same filters.
        state = decode_cursor(cursor)
        org_id, action = state["org"], state.get("action")

    clauses, params = ["org_id = ?"], [org_id]
    if action is not None:
        clauses.append("action = ?")
        params.append(action)
    if cursor is not None:
        clauses.append("created_at > ?")
        params.append(state["after"])

    rows = db.execute(
        "SELECT id, created_at, actor, action, target FROM audit_events"
        f" WHERE {' AND '.join(clauses)} ORDER BY created_at, id LIMIT ?",
        [*params, limit + 1],
    ).fetchall()

    has_more = len(rows) >= limit
    page = rows[:limit]
    next_cursor = None
    if has_more and page:
        last = page[-1]
        next_cursor = encode_cursor(
            {"org": org_id, "action": action, "after": last[1], "id": last[0]}
        )
    return {
        "events": [
            {"id": r[0], "created_at": r[1], "actor": r[2], "action": r[3], "target": r[4]}
            for r in page
        ],
        "has_more": has_more,
        "next_cursor": next_cursor,
    }
