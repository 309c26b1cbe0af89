"""Hidden tests for the audit log export."""

import sqlite3

from audit_export import InvalidCursor, decode_cursor, encode_cursor, list_events


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


def export_all(db, org, limit, **kwargs):
    ids, cursor, requests = [], None, 0
    while True:
        page = list_events(db, org, limit=limit, cursor=cursor, **kwargs)
        requests += 1
        ids += [event["id"] for event in page["events"]]
        if not page["has_more"]:
            return ids, requests
        cursor = page["next_cursor"]


def test_first_page_is_oldest_first():
    page = list_events(make_db(distinct_events()), "org-a", limit=4)
    assert [event["id"] for event in page["events"]] == [1, 2, 3, 4]
    assert page["has_more"] is True and page["next_cursor"]


def test_events_sharing_a_timestamp_are_not_skipped():
    burst = [
        (n, "org-a", "2024-06-01T10:00:00Z", "import", "user.created", f"u{n}") for n in range(1, 8)
    ]
    ids, _ = export_all(make_db(burst), "org-a", limit=3)
    assert ids == [1, 2, 3, 4, 5, 6, 7]


def test_page_boundary_inside_a_burst():
    events = distinct_events(count=2) + [
        (10 + n, "org-a", "2024-06-01T11:00:00Z", "import", "user.created", f"u{n}")
        for n in range(3)
    ]
    db = make_db(events)
    first = list_events(db, "org-a", limit=3)
    second = list_events(db, "org-a", limit=3, cursor=first["next_cursor"])
    assert [e["id"] for e in first["events"]] == [1, 2, 10]
    assert [e["id"] for e in second["events"]] == [11, 12]


def test_exactly_full_last_page_has_no_more():
    db = make_db(distinct_events(count=6))
    first = list_events(db, "org-a", limit=3)
    second = list_events(db, "org-a", limit=3, cursor=first["next_cursor"])
    assert [e["id"] for e in second["events"]] == [4, 5, 6]
    assert second["has_more"] is False and second["next_cursor"] is None


def test_single_page_of_limit_events_has_no_cursor():
    page = list_events(make_db(distinct_events(count=5)), "org-a", limit=5)
    assert len(page["events"]) == 5
    assert page["has_more"] is False and page["next_cursor"] is None


def test_export_makes_no_extra_requests_when_pages_are_partial():
    ids, requests = export_all(make_db(distinct_events(count=7)), "org-a", limit=3)
    assert ids == list(range(1, 8)) and requests == 3


def test_action_filter_survives_pagination():
    events = distinct_events(count=6)
    events[1] = (2, "org-a", "2024-06-01T10:00:01Z", "ana", "user.deleted", "user-1")
    events[4] = (5, "org-a", "2024-06-01T10:00:04Z", "ana", "user.deleted", "user-4")
    ids, _ = export_all(make_db(events), "org-a", limit=1, action="user.deleted")
    assert ids == [2, 5]


def test_cursor_for_other_org_is_not_honoured():
    db = make_db(distinct_events("org-a", 4) + distinct_events("org-b", 4, start_id=100))
    forged = encode_cursor(
        {"org": "org-b", "action": None, "after": "2000-01-01T00:00:00Z", "id": 0}
    )
    try:
        page = list_events(db, "org-a", limit=10, cursor=forged)
    except InvalidCursor:
        return
    assert all(event["id"] < 100 for event in page["events"])


def test_cursor_reused_across_orgs_leaks_nothing():
    db = make_db(distinct_events("org-a", 4) + distinct_events("org-b", 4, start_id=100))
    cursor_a = list_events(db, "org-a", limit=1)["next_cursor"]
    try:
        page = list_events(db, "org-b", limit=10, cursor=cursor_a)
    except InvalidCursor:
        return
    assert [event["id"] for event in page["events"]] and all(
        event["id"] >= 100 for event in page["events"]
    )


def test_garbage_cursor_is_rejected():
    try:
        list_events(make_db([]), "org-a", cursor="not base64 json!")
    except InvalidCursor as exc:
        assert exc.code == "invalid_cursor"
    else:
        raise AssertionError("expected InvalidCursor")


def test_cursor_round_trips():
    state = {"org": "o", "action": None, "after": "t", "id": 3}
    assert decode_cursor(encode_cursor(state)) == state
