"""Hidden tests for interview slot booking."""

import json
import sqlite3

from bookings import SCHEMA, app
from flask_lite import Request


def make_db():
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    return db


def book(db, start, interviewer="int-1", **extra):
    body = json.dumps({"start": start, "candidate_id": "cand-1", **extra}).encode()
    return app.handle(Request("POST", f"/interviewers/{interviewer}/bookings", body), db=db)


def test_utc_booking_is_stored():
    db = make_db()
    body, status = book(db, "2024-05-06T09:00:00+00:00")
    assert status == 201
    assert body["ends_at"] == "2024-05-06T09:45:00+00:00"
    assert db.execute("SELECT starts_at FROM bookings").fetchone() == ("2024-05-06T09:00:00+00:00",)


def test_start_without_offset_is_rejected():
    _, status = book(make_db(), "2024-05-06T09:00:00")
    assert status == 400


def test_start_is_converted_to_utc():
    body, status = book(make_db(), "2024-05-06T11:00:00+02:00")
    assert status == 201
    assert body["starts_at"] == "2024-05-06T09:00:00+00:00"
    assert body["ends_at"] == "2024-05-06T09:45:00+00:00"


def test_same_instant_in_other_zone_clashes():
    db = make_db()
    assert book(db, "2024-05-06T14:00:00+00:00")[1] == 201
    _, status = book(db, "2024-05-06T10:15:00-04:00")
    assert status == 409


def test_overlapping_booking_is_refused():
    db = make_db()
    book(db, "2024-05-06T09:00:00+00:00")
    body, status = book(db, "2024-05-06T09:30:00+00:00")
    assert status == 409 and body["error"] == "slot_taken"


def test_other_interviewer_is_independent():
    db = make_db()
    book(db, "2024-05-06T09:00:00+00:00")
    assert book(db, "2024-05-06T09:00:00+00:00", interviewer="int-2")[1] == 201


def test_back_to_back_after_is_allowed():
    db = make_db()
    book(db, "2024-05-06T09:00:00+00:00")
    assert book(db, "2024-05-06T09:45:00+00:00")[1] == 201


def test_back_to_back_before_is_allowed():
    db = make_db()
    book(db, "2024-05-06T09:00:00+00:00")
    assert book(db, "2024-05-06T08:30:00+00:00", duration_minutes=30)[1] == 201


def test_negative_duration_is_rejected():
    db = make_db()
    _, status = book(db, "2024-05-06T09:00:00+00:00", duration_minutes=-30)
    assert status == 400
    assert db.execute("SELECT COUNT(*) FROM bookings").fetchone() == (0,)


def test_non_integer_duration_is_rejected():
    db = make_db()
    assert book(db, "2024-05-06T09:00:00+00:00", duration_minutes="forty-five")[1] == 400
    assert book(db, "2024-05-06T11:00:00+00:00", duration_minutes=1000)[1] == 400
