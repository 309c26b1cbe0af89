"""Example tests the candidate may run."""

import sqlite3

from audit_export import list_events


def make_db(events):
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE audit_events (id INTEGER PRIMARY KEY, org_id TEXT, created_at TEXT,"
        " actor TEXT, action TEXT, target TEXT)"
    )
    db.executemany(
        "INSERT INTO audit_events (id, org_id, created_at, actor, action, target)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        events,
    )
    return db


def distinct_events(org="org-a", count=6, start_id=1):
    return [
        (start_id + n, org, f"2024-06-01T10:00:{n:02d}Z", "ana", "user.login", f"user-{n}")
        for n in range(count)
    ]


def test_first_page_is_oldest_first():
    page = list_events(make_db(distinct_events()), "org-a", limit=4)
    assert [event["id"] for event in page["events"]] == [1, 2, 3, 4]
    assert page["has_more"] is True and page["next_cursor"]
