"""Example test the candidate may run."""

import json
import sqlite3

from bookings import SCHEMA, app
from flask_lite import Request


def test_booking_in_utc_is_created():
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    body = json.dumps({"start": "2024-05-06T13:00:00+00:00", "candidate_id": "c-1"}).encode()
    response, status = app.handle(Request("POST", "/interviewers/i-1/bookings", body), db=db)
    assert status == 201
    assert response["starts_at"] == "2024-05-06T13:00:00+00:00"
