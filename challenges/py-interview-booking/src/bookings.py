"""Interview slot booking: candidates pick a start time in an interviewer's calendar."""

import sqlite3
from datetime import UTC, datetime, timedelta

from flask_lite import Flask, Request

app = Flask()
DEFAULT_MINUTES = 45

SCHEMA = """
CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    interviewer_id TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    starts_at TEXT NOT NULL,  -- ISO 8601, always UTC
    ends_at TEXT NOT NULL
);
"""


def parse_start(raw: object) -> datetime | None:
    """Parse the client's ISO 8601 start time; it must carry a UTC offset."""
    if not isinstance(raw, str):
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.replace(tzinfo=UTC)


@app.post("/interviewers/<interviewer_id>/bookings")
def create_booking(
    request: Request, db: sqlite3.Connection, interviewer_id: str
) -> tuple[dict[str, object], int]:
    data = request.json or {}
    start = parse_start(data.get("start"))
    if start is None:
        return {"error": "invalid_start", "detail": "start must be ISO 8601 with a UTC offset"}, 400
    minutes = data.get("duration_minutes", DEFAULT_MINUTES)
    end = start + timedelta(minutes=minutes)

    with db:
        clash = db.execute(
            "SELECT id FROM bookings WHERE interviewer_id = ?"
            " AND starts_at <= ? AND ends_at >= ?"
            " ORDER BY starts_at LIMIT 1",
            (interviewer_id, end.isoformat(), start.isoformat()),
        ).fetchone()
        if clash:
            return {"error": "slot_taken", "booking_id": clash[0]}, 409
        cursor = db.execute(
            "INSERT INTO bookings (interviewer_id, candidate_id, starts_at, ends_at)"
            " VALUES (?, ?, ?, ?)",
            (interviewer_id, data.get("candidate_id"), start.isoformat(), end.isoformat()),
        )
    return {"id": cursor.lastrowid, "starts_at": start.isoformat(), "ends_at": end.isoformat()}, 201
