"""Retaking one stage: a new attempt alone in its own sitting, the limit, the clock, the
confirmation before a scored attempt could be replaced, which attempt counts, and the audit."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.audit.models import AuditLog
from hiresight.interviews.models import InterviewSession, StageAttempt
from hiresight.tasks import service as tasks
from tests.factories import bearer, make_user
from tests.interviews.conftest import Clock
from tests.interviews.test_pages import _sign_in
from tests.interviews.test_scoring import STAR


def _start(client: TestClient, headers: dict[str, str], **body: object) -> dict:
    r = client.post("/api/v1/interviews", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def _stage(client: TestClient, headers: dict[str, str], interview_id: int, stage: str) -> dict:
    r = client.post(f"/api/v1/interviews/{interview_id}/stages/{stage}/start", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _submit(client: TestClient, headers: dict[str, str], attempt_id: int, text: str) -> None:
    r = client.post(
        f"/api/v1/attempts/{attempt_id}/submit",
        headers=headers,
        json={"draft": {"answers": {"b1": text}}},
    )
    assert r.status_code == 202, r.text


def _scored_story(client: TestClient, headers: dict[str, str]) -> dict:
    """A whole interview's behavioural stage, answered and scored."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    _submit(client, headers, attempt["id"], STAR)
    assert tasks.wait(180)
    scored = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json()
    assert scored["score"] is not None
    return scored


def _retake(
    client: TestClient, headers: dict[str, str], attempt_id: int, **body: object
) -> tuple[int, dict]:
    r = client.post(f"/api/v1/attempts/{attempt_id}/retake", headers=headers, json=body)
    return r.status_code, r.json()


def _count(db: Session, table: type) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(table)) or 0


def test_a_retake_starts_that_stage_alone_with_its_own_clock(
    client: TestClient, headers: dict[str, str], db: Session, clock: Clock
) -> None:
    """Retaking the behavioural stage of a five-stage interview: one new attempt, running now,
    in a sitting holding that stage alone, with the stage's 4 minutes (+3 between stages)."""
    interview = _start(client, headers)
    first = _stage(client, headers, interview["id"], "behavioral")
    _submit(client, headers, first["id"], "")
    status, new = _retake(client, headers, first["id"], confirm=True)
    assert status == 201, new
    assert new["stage"] == "behavioral"
    assert new["state"] == "active"
    assert new["attempt_no"] == 2
    assert new["session_id"] != interview["id"]
    assert 230 <= new["remaining_seconds"] <= 240
    sitting = client.get(f"/api/v1/interviews/{new['session_id']}", headers=headers).json()
    assert [s["kind"] for s in sitting["config"]["stages"]] == ["behavioral"]
    assert sitting["state"] == "in_progress"
    assert sitting["attempts_left"] == {"behavioral": 1}
    deadline = dt.datetime.fromisoformat(sitting["deadline_at"])
    started = dt.datetime.fromisoformat(new["started_at"])
    assert abs(deadline - started - dt.timedelta(minutes=7)) < dt.timedelta(seconds=1)


def test_an_abandoned_attempt_can_be_retaken_without_using_an_attempt(
    client: TestClient, headers: dict[str, str], clock: Clock
) -> None:
    """A stage cut short with nothing saved gave its number back: the retake is attempt 1, and
    with no score to lose it needs no confirmation."""
    first = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    clock.advance(minutes=10)
    status, new = _retake(client, headers, first["id"])
    assert status == 201, new
    assert new["attempt_no"] == 1


def test_a_retake_that_could_replace_a_score_needs_confirmation(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    """Without `confirm`, 409 retake_confirmation_required naming the attempt that counts and
    its score, and nothing is stored; with it, the retake starts and is audited."""
    scored = _scored_story(client, headers)
    sessions_before = _count(db, InterviewSession)
    status, body = _retake(client, headers, scored["id"])
    assert status == 409
    assert body["error"]["code"] == "retake_confirmation_required"
    details = body["error"]["details"]
    assert details["counts"] == {
        "attempt_id": scored["id"],
        "attempt_no": 1,
        "score": scored["score"],
        "chosen": False,
    }
    assert details["best"]["attempt_id"] == scored["id"]
    assert details["retake_counts_when_finished"] is True
    assert _count(db, InterviewSession) == sessions_before
    assert _count(db, StageAttempt) == 1
    status, new = _retake(client, headers, scored["id"], confirm=True)
    assert status == 201, new
    assert new["attempt_no"] == 2
    entry = db.scalars(select(AuditLog).where(AuditLog.action == "interview.retake")).one()
    assert entry.entity_id == str(new["id"])
    assert entry.details["retake_of"] == scored["id"]
    assert entry.details["confirmed"] is True
    assert entry.details["counted_before"] == scored["id"]


def test_retakes_stop_at_the_attempt_limit_and_leave_nothing_behind(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    """After three counted attempts a retake answers 409 attempt_limit_reached, no new sitting."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    _submit(client, headers, attempt["id"], "")
    for _ in range(2):
        status, attempt = _retake(client, headers, attempt["id"], confirm=True)
        assert status == 201, attempt
        _submit(client, headers, attempt["id"], "")
    assert attempt["attempt_no"] == 3
    sessions_before = _count(db, InterviewSession)
    status, body = _retake(client, headers, attempt["id"], confirm=True)
    assert status == 409
    assert body["error"]["code"] == "attempt_limit_reached"
    assert _count(db, InterviewSession) == sessions_before


def test_no_retake_while_an_attempt_is_running(client: TestClient, headers: dict[str, str]) -> None:
    """A running stage (here the same one) must be finished first: 409 invalid_state."""
    first = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    _submit(client, headers, first["id"], "")
    status, running = _retake(client, headers, first["id"], confirm=True)
    assert status == 201
    status, body = _retake(client, headers, first["id"], confirm=True)
    assert status == 409
    assert body["error"]["code"] == "invalid_state"
    assert body["error"]["details"]["attempt_id"] == running["id"]


def test_practice_attempts_and_other_candidates_attempts_are_not_retaken(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    """A practice attempt answers 409 invalid_state; someone else's attempt 404."""
    practice = _stage(client, headers, _start(client, headers, practice=True)["id"], "behavioral")
    _submit(client, headers, practice["id"], "")
    status, body = _retake(client, headers, practice["id"])
    assert (status, body["error"]["code"]) == (409, "invalid_state")
    other = bearer(db, make_user(db, email="other@example.com"))
    db.commit()
    status, body = _retake(client, other, practice["id"], confirm=True)
    assert (status, body["error"]["code"]) == (404, "not_found")


def test_the_attempt_that_counts_is_marked_for_the_dashboard_and_the_room(
    client: TestClient, headers: dict[str, str]
) -> None:
    """The latest finished attempt counts until one is chosen; then the chosen one does, in the
    attempts list and in each session's `counting`."""
    first = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    _submit(client, headers, first["id"], "")
    status, second = _retake(client, headers, first["id"], confirm=True)
    assert status == 201
    _submit(client, headers, second["id"], "")

    def counts() -> dict[int, bool]:
        listed = client.get("/api/v1/attempts", headers=headers).json()
        return {a["id"]: a["counts"] for a in listed}

    assert counts() == {first["id"]: False, second["id"]: True}
    client.post(f"/api/v1/attempts/{first['id']}/select", headers=headers)
    assert counts() == {first["id"]: True, second["id"]: False}
    room = client.get(f"/api/v1/interviews/{second['session_id']}", headers=headers).json()
    assert room["counting"]["behavioral"]["attempt_id"] == first["id"]
    assert room["counting"]["behavioral"]["chosen"] is True
    assert [a["counts"] for a in room["attempts"]] == [False]


def test_the_dashboard_retakes_a_stage_after_a_confirmation_dialog(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    """The page's Retake asks first when a score could be replaced (409 with a dialog that
    names it), then opens the room of the new sitting."""
    scored = _scored_story(client, headers)
    client.headers.pop("Authorization", None)
    csrf = _sign_in(client, "zoe@example.com")
    dashboard = client.get("/candidate/interviews").text
    assert f'action="/candidate/attempts/{scored["id"]}/retake"' in dashboard
    assert 'class="counts-marker"' in dashboard
    url = f"/candidate/attempts/{scored['id']}/retake"
    asked = client.post(url, data={"csrf_token": csrf}, follow_redirects=False)
    assert asked.status_code == 409
    assert 'id="retake-confirm"' in asked.text
    assert f"score {scored['score']:.0f}" in asked.text
    assert _count(db, StageAttempt) == 1
    done = client.post(url, data={"csrf_token": csrf, "confirm": "1"}, follow_redirects=False)
    assert done.status_code == 303
    new = db.scalars(select(StageAttempt).order_by(StageAttempt.id.desc())).first()
    assert new is not None
    assert new.attempt_no == 2
    assert done.headers["location"] == f"/interview/{new.session_id}"


def test_a_chosen_attempt_keeps_counting_and_the_refusal_says_so(
    client: TestClient, headers: dict[str, str]
) -> None:
    """With a chosen, scored attempt the refusal says it keeps counting: the retake would count
    only if chosen (`retake_counts_when_finished` false)."""
    scored = _scored_story(client, headers)
    client.post(f"/api/v1/attempts/{scored['id']}/select", headers=headers)
    status, body = _retake(client, headers, scored["id"])
    assert status == 409
    error = body["error"]
    assert error["code"] == "retake_confirmation_required"
    assert error["details"]["counts"]["chosen"] is True
    assert error["details"]["retake_counts_when_finished"] is False
    assert f"Attempt 1, score {scored['score']:.0f} counts now, as you chose" in error["message"]
