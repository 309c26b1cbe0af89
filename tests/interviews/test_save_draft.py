"""Autosave as one conditional statement: no lost revision, fast answers, and why a save failed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from hiresight.interviews import service
from hiresight.interviews.errors import StaleRevisionError
from hiresight.interviews.models import StageAttempt
from tests.factories import bearer, make_user
from tests.interviews.conftest import Clock


def _attempt(client: TestClient, headers: dict[str, str], stage: str = "behavioral") -> int:
    r = client.post("/api/v1/interviews", headers=headers, json={})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/interviews/{r.json()['id']}/stages/{stage}/start", headers=headers)
    assert r.status_code == 200, r.text
    return int(r.json()["id"])


def _stored(factory: sessionmaker[Session], attempt_id: int) -> tuple[int, dict[str, object]]:
    with factory() as s:
        row = s.execute(
            select(StageAttempt.draft_revision, StageAttempt.draft).where(
                StageAttempt.id == attempt_id
            )
        ).one()
        return row[0], row[1]


def test_a_delayed_older_revision_never_overwrites_a_newer_one(
    client: TestClient, headers: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    """Revision 1 read the attempt before revision 9 committed, and arrives after it: refused."""
    attempt_id = _attempt(client, headers)
    with session_factory() as old, session_factory() as new:
        delayed = old.get(StageAttempt, attempt_id)  # the older save's earlier view: revision 0
        assert delayed is not None
        assert delayed.draft_revision == 0
        newer = new.get(StageAttempt, attempt_id)
        assert newer is not None
        service.save_draft(new, attempt=newer, revision=9, draft={"a": "nine"})
        new.commit()
        with pytest.raises(StaleRevisionError):
            service.save_draft(old, attempt=delayed, revision=1, draft={"a": "one"})
        old.commit()
    assert _stored(session_factory, attempt_id) == (9, {"a": "nine"})


def test_an_older_revision_waiting_on_the_newer_ones_lock_is_refused(
    client: TestClient, headers: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    """The older save's statement runs while the newer save is uncommitted; after the newer
    commits, the database re-checks the condition and the older one changes nothing."""
    attempt_id = _attempt(client, headers)
    candidate_id = client.get("/api/v1/me", headers=headers).json()["id"]
    started = threading.Event()

    def older() -> str:
        with session_factory() as s:
            started.set()
            try:
                service.autosave(
                    s, attempt_id=attempt_id, candidate_id=candidate_id, revision=1,
                    draft={"a": "one"}, load=lambda: s.get_one(StageAttempt, attempt_id),
                )  # fmt: skip
                s.commit()
                return "stored"
            except StaleRevisionError:
                return "stale"

    with session_factory() as new, ThreadPoolExecutor(1) as pool:
        service.autosave(
            new, attempt_id=attempt_id, candidate_id=candidate_id, revision=9,
            draft={"a": "nine"}, load=lambda: new.get_one(StageAttempt, attempt_id),
        )  # fmt: skip
        future = pool.submit(older)  # blocks on the row (PostgreSQL) or the writer (SQLite)
        assert started.wait(5)
        threading.Event().wait(0.3)
        new.commit()
        assert future.result(timeout=20) == "stale"
    assert _stored(session_factory, attempt_id) == (9, {"a": "nine"})


def test_concurrent_saves_keep_the_highest_revision(
    client: TestClient, headers: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    """Twenty saves sent at once in random order: the stored revision is the highest one."""
    attempt_id = _attempt(client, headers)
    url = f"/api/v1/attempts/{attempt_id}/draft"
    revisions = [7, 3, 20, 1, 15, 9, 12, 2, 18, 5, 11, 19, 4, 16, 8, 13, 6, 17, 10, 14]

    def put(rev: int) -> int:
        r = client.put(url, headers=headers, json={"revision": rev, "draft": {"r": rev}})
        return r.status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(put, revisions))
    assert set(codes) <= {200, 409}
    assert _stored(session_factory, attempt_id) == (20, {"r": 20})


def test_a_save_answers_only_its_revision_and_time(
    client: TestClient, headers: dict[str, str]
) -> None:
    """The autosave answer is small: the revision kept, when it was saved, the server's time."""
    attempt_id = _attempt(client, headers)
    r = client.put(
        f"/api/v1/attempts/{attempt_id}/draft",
        headers=headers,
        json={"revision": 3, "draft": {"b1": "x" * 1500}},
    )
    assert r.status_code == 200
    assert set(r.json()) == {"revision", "saved_at", "server_time"}
    assert r.json()["revision"] == 3


def test_a_replayed_save_is_a_no_op_and_a_different_one_is_stale(
    client: TestClient, headers: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    """The same revision with the same draft answers 200; with another draft, 409."""
    attempt_id = _attempt(client, headers)
    url = f"/api/v1/attempts/{attempt_id}/draft"
    first = client.put(url, headers=headers, json={"revision": 2, "draft": {"a": 1}})
    again = client.put(url, headers=headers, json={"revision": 2, "draft": {"a": 1}})
    assert (again.status_code, again.json()["saved_at"]) == (200, first.json()["saved_at"])
    other = client.put(url, headers=headers, json={"revision": 2, "draft": {"a": 2}})
    assert other.status_code == 409
    assert other.json()["error"]["details"] == {"stored_revision": 2}
    assert _stored(session_factory, attempt_id) == (2, {"a": 1})


def test_a_save_within_the_grace_period_is_stored(
    client: TestClient,
    headers: dict[str, str],
    clock: Clock,
    session_factory: sessionmaker[Session],
) -> None:
    """Past the deadline but within the grace period, the save still counts."""
    attempt_id = _attempt(client, headers, "system_design")
    clock.advance(minutes=4, seconds=2)  # 4 minutes, 10 s of grace
    r = client.put(
        f"/api/v1/attempts/{attempt_id}/draft",
        headers=headers,
        json={"revision": 1, "draft": {"x": "in grace"}},
    )
    assert r.status_code == 200, r.text
    assert _stored(session_factory, attempt_id) == (1, {"x": "in grace"})


def test_a_save_to_a_submitted_stage_is_refused(
    client: TestClient, headers: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    """After submit, a save answers 409 invalid_state and stores nothing."""
    attempt_id = _attempt(client, headers)
    url = f"/api/v1/attempts/{attempt_id}"
    submitted = client.post(f"{url}/submit", headers=headers, json={"draft": {"b": 1}})
    assert submitted.status_code in (200, 202)
    r = client.put(f"{url}/draft", headers=headers, json={"revision": 5, "draft": {"b": 2}})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invalid_state"
    assert _stored(session_factory, attempt_id)[1] == {"b": 1}


def test_another_candidates_attempt_is_neither_found_nor_written(
    client: TestClient, headers: dict[str, str], db: Session, session_factory: sessionmaker[Session]
) -> None:
    """The conditional statement is scoped to the caller: someone else's save is 404 and no-op."""
    attempt_id = _attempt(client, headers)
    intruder = bearer(db, make_user(db, email="mallory@example.com"))
    db.commit()
    r = client.put(
        f"/api/v1/attempts/{attempt_id}/draft",
        headers=intruder,
        json={"revision": 1, "draft": {"x": "forged"}},
    )
    assert r.status_code == 404
    assert _stored(session_factory, attempt_id) == (0, {})


@pytest.fixture
def statements(app: FastAPI) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs while the test records."""
    seen: list[str] = []

    def record(conn: object, cursor: object, sql: str, *args: object) -> None:
        seen.append(sql.split()[0].upper())

    event.listen(app.state.engine, "before_cursor_execute", record)
    yield seen
    event.remove(app.state.engine, "before_cursor_execute", record)


def test_an_autosave_runs_two_statements(
    client: TestClient, headers: dict[str, str], statements: list[str]
) -> None:
    """Token and user in one query, then one conditional UPDATE: nothing else per save."""
    attempt_id = _attempt(client, headers)
    url = f"/api/v1/attempts/{attempt_id}/draft"
    client.put(url, headers=headers, json={"revision": 1, "draft": {"a": 1}})  # token last used
    statements.clear()
    r = client.put(url, headers=headers, json={"revision": 2, "draft": {"a": 2}})
    assert r.status_code == 200
    assert [s for s in statements if s not in ("BEGIN", "COMMIT")] == ["SELECT", "UPDATE"]


def test_two_candidates_saving_in_turn_keep_their_own_rows(
    client: TestClient, headers: dict[str, str], db: Session, session_factory: sessionmaker[Session]
) -> None:
    """One statement object serves every save: each save writes its own values to its own row,
    and a revision is stale only against that attempt's own stored revision."""
    other = bearer(db, make_user(db, email="noor@example.com"))
    db.commit()
    mine, theirs = _attempt(client, headers), _attempt(client, other)
    put = client.put
    assert put(f"/api/v1/attempts/{mine}/draft", headers=headers,
               json={"revision": 5, "draft": {"who": "zoe"}}).status_code == 200  # fmt: skip
    assert put(f"/api/v1/attempts/{theirs}/draft", headers=other,
               json={"revision": 2, "draft": {"who": "noor"}}).status_code == 200  # fmt: skip
    stale = put(f"/api/v1/attempts/{mine}/draft", headers=headers,
                json={"revision": 3, "draft": {"who": "zoe, late"}})  # fmt: skip
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "stale_revision")
    newer = put(f"/api/v1/attempts/{theirs}/draft", headers=other,
                json={"revision": 3, "draft": {"who": "noor, again"}})  # fmt: skip
    assert newer.status_code == 200
    assert _stored(session_factory, mine) == (5, {"who": "zoe"})
    assert _stored(session_factory, theirs) == (3, {"who": "noor, again"})


@pytest.fixture
def updates(app: FastAPI) -> Iterator[list[tuple[str, object]]]:
    """The attempts' UPDATE statements the app's engine runs while the test records."""
    seen: list[tuple[str, object]] = []

    def record(conn: object, cursor: object, sql: str, params: object, *args: object) -> None:
        if sql.lstrip().upper().startswith("UPDATE STAGE_ATTEMPTS"):
            seen.append((sql, params))

    event.listen(app.state.engine, "before_cursor_execute", record)
    yield seen
    event.remove(app.state.engine, "before_cursor_execute", record)


def test_every_value_of_a_save_is_a_bound_parameter(
    client: TestClient, headers: dict[str, str], updates: list[tuple[str, object]]
) -> None:
    """Two saves run the same SQL text: the draft, revision and ids travel as parameters, so the
    statement is compiled once (and prepared once on PostgreSQL) and no value is spliced in."""
    attempt_id = _attempt(client, headers)
    url = f"/api/v1/attempts/{attempt_id}/draft"
    for revision, text in ((1, "first-draft-text"), (2, "second-draft-text")):
        r = client.put(url, headers=headers, json={"revision": revision, "draft": {"t": text}})
        assert r.status_code == 200
    assert len(updates) == 2
    (first_sql, first_params), (second_sql, second_params) = updates
    assert first_sql == second_sql
    assert "draft-text" not in first_sql
    assert "first-draft-text" in str(first_params)
    assert "second-draft-text" in str(second_params)


def test_the_save_answer_is_json_and_documented(
    client: TestClient, headers: dict[str, str]
) -> None:
    """The answer encoded by the handler is JSON, and the API schema still names its shape."""
    attempt_id = _attempt(client, headers)
    r = client.put(
        f"/api/v1/attempts/{attempt_id}/draft",
        headers=headers,
        json={"revision": 1, "draft": {"a": 1}},
    )
    assert r.headers["content-type"] == "application/json"
    assert r.json()["saved_at"].endswith("Z") or r.json()["saved_at"].endswith("+00:00")
    operation = client.get("/api/openapi.json").json()["paths"][
        "/api/v1/attempts/{attempt_id}/draft"
    ]["put"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/DraftSaved"}
