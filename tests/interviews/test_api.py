"""The interview API: sessions, stages, autosave, deadlines, attempts and hidden material."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from hiresight.challenges.loader import load_bank
from hiresight.interviews import grading
from hiresight.interviews.models import StageAttempt
from tests.interviews.conftest import Clock


def _start(client: TestClient, headers: dict[str, str], **body: object) -> dict:
    r = client.post("/api/v1/interviews", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def _stage(client: TestClient, headers: dict[str, str], interview_id: int, stage: str) -> dict:
    r = client.post(f"/api/v1/interviews/{interview_id}/stages/{stage}/start", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_default_interview_has_five_timed_stages(
    client: TestClient, headers: dict[str, str]
) -> None:
    """The shipped template: english, résumé, code review, system design, behavioural, ~29 min."""
    session = _start(client, headers)
    stages = [(s["kind"], s["minutes"]) for s in session["config"]["stages"]]
    assert stages == [
        ("english", 5),
        ("resume", 6),
        ("code_review", 10),
        ("system_design", 4),
        ("behavioral", 4),
    ]
    assert session["attempts_left"] == {k: 3 for k, _ in stages}


def test_autosave_and_resume_keep_draft_and_time(
    client: TestClient, headers: dict[str, str], clock: Clock
) -> None:
    """A reload resumes the same attempt with the saved draft and less time remaining."""
    interview = _start(client, headers)
    attempt = _stage(client, headers, interview["id"], "behavioral")
    saved = client.put(
        f"/api/v1/attempts/{attempt['id']}/draft",
        headers=headers,
        json={"revision": 1, "draft": {"answers": {"b1": "Situation: ..."}}},
    )
    assert saved.status_code == 200
    clock.advance(seconds=60)
    resumed = _stage(client, headers, interview["id"], "behavioral")
    assert resumed["id"] == attempt["id"]
    assert resumed["draft"] == {"answers": {"b1": "Situation: ..."}}
    assert resumed["remaining_seconds"] <= attempt["remaining_seconds"] - 59


def test_stale_autosave_is_refused_and_replay_is_idempotent(
    client: TestClient, headers: dict[str, str]
) -> None:
    """Revision 2 then 1 is refused (409 stale_revision); sending 2 again changes nothing."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    url = f"/api/v1/attempts/{attempt['id']}/draft"
    assert (
        client.put(url, headers=headers, json={"revision": 2, "draft": {"a": "new"}}).status_code
        == 200
    )
    stale = client.put(url, headers=headers, json={"revision": 1, "draft": {"a": "old"}})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_revision"
    again = client.put(url, headers=headers, json={"revision": 2, "draft": {"a": "new"}})
    assert again.status_code == 200
    assert again.json()["revision"] == 2
    stored = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json()
    assert stored["draft"] == {"a": "new"}


def test_late_answer_is_refused_but_draft_kept(
    client: TestClient, headers: dict[str, str], clock: Clock
) -> None:
    """After deadline + grace a save is refused; the last autosave became the answer."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "system_design")
    url = f"/api/v1/attempts/{attempt['id']}"
    client.put(f"{url}/draft", headers=headers, json={"revision": 1, "draft": {"x": "kept"}})
    clock.advance(minutes=4, seconds=11)
    late = client.put(f"{url}/draft", headers=headers, json={"revision": 2, "draft": {"x": "late"}})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "deadline_passed"
    final = client.get(url, headers=headers).json()
    assert final["state"] == "expired"
    assert final["answer"] == {"x": "kept"}
    assert final["counted"] is True


def test_answer_within_grace_is_accepted(
    client: TestClient, headers: dict[str, str], clock: Clock
) -> None:
    """The answer in flight when the clock runs out counts (grace period)."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "system_design")
    clock.advance(minutes=4, seconds=5)
    r = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"draft": {"x": "just in time"}},
    )
    assert r.status_code == 202
    assert r.json()["state"] == "submitted"


def test_stage_cut_short_without_an_answer_does_not_burn_an_attempt(
    client: TestClient, headers: dict[str, str], clock: Clock
) -> None:
    """A stage abandoned with nothing saved gives its attempt back."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    clock.advance(minutes=10)
    settled = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json()
    assert settled["state"] == "abandoned"
    assert settled["counted"] is False
    fresh = _start(client, headers)
    assert fresh["attempts_left"]["behavioral"] == 3


def test_attempt_limit_holds(client: TestClient, headers: dict[str, str]) -> None:
    """A fourth counted attempt at a stage is refused with attempt_limit_reached."""
    for _ in range(3):
        attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
        client.post(
            f"/api/v1/attempts/{attempt['id']}/submit",
            headers=headers,
            json={"draft": {"b1": "an answer"}},
        )
    fourth = _start(client, headers)
    r = client.post(f"/api/v1/interviews/{fourth['id']}/stages/behavioral/start", headers=headers)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "attempt_limit_reached"


def test_attempt_limit_holds_under_concurrency(client: TestClient, headers: dict[str, str]) -> None:
    """20 concurrent starts across fresh sessions never create more than 3 counted attempts."""
    sessions = [_start(client, headers)["id"] for _ in range(20)]

    def start(interview_id: int) -> int:
        return client.post(
            f"/api/v1/interviews/{interview_id}/stages/behavioral/start", headers=headers
        ).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(start, sessions))
    assert codes.count(200) <= 3
    assert set(codes) <= {200, 409}
    attempts = client.get("/api/v1/attempts", headers=headers).json()
    assert len([a for a in attempts if a["counted"]]) <= 3


def test_practice_sessions_are_unlimited_and_uncounted(
    client: TestClient, headers: dict[str, str]
) -> None:
    """Practice attempts never use up real attempts and never reach the attempts list."""
    for _ in range(4):
        _stage(client, headers, _start(client, headers, practice=True)["id"], "behavioral")
    assert client.get("/api/v1/attempts", headers=headers).json() == []


def test_resume_questions_come_from_the_candidates_claims(
    client: TestClient, headers: dict[str, str]
) -> None:
    """The résumé stage asks about the candidate's own specific claims and a vague line."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "resume")
    texts = " ".join(q["text"] for q in attempt["content"]["questions"])
    assert "Kafka" in texts or "p99" in texts
    assert any("claim" in q for q in attempt["content"]["questions"])


def test_resume_questions_keep_what_they_check_privately(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    """Each résumé question has a private rubric point (its template's aim), never shown."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "resume")
    stored = db.get(StageAttempt, attempt["id"])
    assert stored is not None
    points = stored.private["rubric_by_question"]
    assert set(points) == {q["id"] for q in attempt["content"]["questions"]}
    assert all(p and p[0] not in json.dumps(attempt) for p in points.values())


def test_vague_answers_get_at_most_two_follow_ups(
    client: TestClient, headers: dict[str, str]
) -> None:
    """A vague answer adds a drill-down follow-up; never more than two per question."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "resume")
    url = f"/api/v1/attempts/{attempt['id']}/questions"
    r = client.post(f"{url}/r1/answer", headers=headers, json={"text": "I did some work on it."})
    questions = r.json()["content"]["questions"]
    follow = [q for q in questions if q.get("follow_up_of") == "r1"]
    assert len(follow) == 1
    r = client.post(f"{url}/{follow[0]['id']}/answer", headers=headers, json={"text": "Stuff."})
    r = client.post(f"{url}/r1-f2/answer", headers=headers, json={"text": "Things."})
    follow = [q for q in r.json()["content"]["questions"] if q.get("follow_up_of") == "r1"]
    assert len(follow) == 2


def test_specific_answer_gets_no_follow_up(client: TestClient, headers: dict[str, str]) -> None:
    """An answer with numbers and first-person actions is not drilled down."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "resume")
    text = (
        "I led the migration of 14 services from RabbitMQ to Kafka over six months; I "
        "measured p99 latency before and after with our Prometheus dashboards and it fell "
        "from 480 ms to 330 ms, mostly because consumers stopped blocking on acks."
    )
    r = client.post(
        f"/api/v1/attempts/{attempt['id']}/questions/r1/answer",
        headers=headers,
        json={"text": text},
    )
    assert not [q for q in r.json()["content"]["questions"] if q.get("follow_up_of")]


def test_english_is_adaptive_and_hides_the_key(client: TestClient, headers: dict[str, str]) -> None:
    """Answering an item adds the next one; the correct option never reaches the client."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "english")
    first = attempt["content"]["questions"][0]
    assert "answer" not in first
    assert "correct" not in json.dumps(attempt)
    r = client.post(
        f"/api/v1/attempts/{attempt['id']}/questions/{first['id']}/answer",
        headers=headers,
        json={"choice": 0},
    )
    assert len(r.json()["content"]["questions"]) == 2
    again = client.post(
        f"/api/v1/attempts/{attempt['id']}/questions/{first['id']}/answer",
        headers=headers,
        json={"choice": 1},
    )
    assert again.status_code == 409


def test_hidden_tests_and_solution_never_reach_the_client(
    client: TestClient, headers: dict[str, str]
) -> None:
    """The code-review payloads hold the candidate's files but no hidden test or solution text."""
    interview = _start(client, headers)
    attempt = _stage(client, headers, interview["id"], "code_review")
    challenge = next(c for c in load_bank() if c.id == attempt["content"]["challenge"]["id"])
    payloads = (
        json.dumps(attempt)
        + client.get(f"/api/v1/interviews/{interview['id']}", headers=headers).text
    )
    for source in [*challenge.tests.values(), *challenge.solution.values()]:
        distinctive = [line.strip() for line in source.splitlines() if len(line.strip()) > 30]
        leaked = [
            line
            for line in distinctive
            if line in payloads and not any(line in src for src in challenge.src.values())
        ]
        assert leaked == []


def test_code_review_patch_is_graded(client: TestClient, headers: dict[str, str]) -> None:
    """Submitting the reference fix grades every bug fixed; the candidate sees a safe report."""
    interview = _start(client, headers)
    attempt = _stage(client, headers, interview["id"], "code_review")
    challenge = next(c for c in load_bank() if c.id == attempt["content"]["challenge"]["id"])
    r = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"draft": {"files": dict(challenge.solution), "flags": [], "explanation": "..."}},
    )
    assert r.status_code == 202
    assert r.json()["queued"] == ["grade"]
    assert r.json()["message"].startswith("Grading queued")
    assert grading.wait_for_grading(60)
    graded = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json()
    assert graded["feedback"]["bugs_fixed"] == graded["feedback"]["bugs_total"]
    assert graded["feedback"]["score"] >= 90


def test_system_design_is_tied_to_the_reviewed_code(
    client: TestClient, headers: dict[str, str]
) -> None:
    """After a code review, the design question names the challenge just reviewed."""
    interview = _start(client, headers)
    review = _stage(client, headers, interview["id"], "code_review")
    client.post(f"/api/v1/attempts/{review['id']}/submit", headers=headers, json={"draft": {}})
    design = _stage(client, headers, interview["id"], "system_design")
    assert review["content"]["challenge"]["title"] in design["content"]["questions"][0]["text"]


def test_end_interview_submits_the_running_stage(
    client: TestClient, headers: dict[str, str]
) -> None:
    """Ending the interview keeps the running stage's autosave as its answer."""
    interview = _start(client, headers)
    attempt = _stage(client, headers, interview["id"], "behavioral")
    client.put(
        f"/api/v1/attempts/{attempt['id']}/draft",
        headers=headers,
        json={"revision": 1, "draft": {"b1": "my story"}},
    )
    ended = client.post(f"/api/v1/interviews/{interview['id']}/end", headers=headers).json()
    assert ended["state"] == "completed"
    assert ended["attempts"][0]["answer"] == {"b1": "my story"}


def test_notes_and_choosing_the_attempt_that_counts(
    client: TestClient, headers: dict[str, str]
) -> None:
    """The candidate notes what changed and chooses which finished attempt counts."""
    ids = []
    for answer in ("first try", "second try"):
        attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
        client.post(
            f"/api/v1/attempts/{attempt['id']}/submit",
            headers=headers,
            json={"draft": {"b1": answer}},
        )
        ids.append(attempt["id"])
    client.put(
        f"/api/v1/attempts/{ids[1]}/note", headers=headers, json={"note": "Used STAR this time"}
    )
    client.post(f"/api/v1/attempts/{ids[0]}/select", headers=headers)
    attempts = {a["id"]: a for a in client.get("/api/v1/attempts", headers=headers).json()}
    assert attempts[ids[0]]["selected"]
    assert not attempts[ids[1]]["selected"]
    assert attempts[ids[1]]["note"] == "Used STAR this time"


def test_other_candidates_cannot_touch_an_attempt(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    """Another candidate reading or saving someone's attempt gets 404."""
    from tests.factories import bearer, make_user

    attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    other = bearer(db, make_user(db))
    db.commit()
    assert client.get(f"/api/v1/attempts/{attempt['id']}", headers=other).status_code == 404
    r = client.put(
        f"/api/v1/attempts/{attempt['id']}/draft", headers=other, json={"revision": 1, "draft": {}}
    )
    assert r.status_code == 404


def test_integrity_events_are_recorded(client: TestClient, headers: dict[str, str]) -> None:
    """Focus loss and paste events are accepted for an active attempt."""
    attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    r = client.post(
        f"/api/v1/attempts/{attempt['id']}/events",
        headers=headers,
        json={
            "events": [
                {"kind": "focus_lost", "data": {"ms": 4200}},
                {"kind": "paste", "data": {"chars": 812}},
            ]
        },
    )
    assert r.status_code == 202
    assert r.json() == {"recorded": 2}


def _events(client: TestClient, headers: dict[str, str], attempt_id: int, body: object) -> Response:
    return client.post(f"/api/v1/attempts/{attempt_id}/events", headers=headers, json=body)


def test_event_data_of_the_wrong_type_is_refused(
    client: TestClient, db: Session, headers: dict[str, str]
) -> None:
    """A focus_gained event whose `ms` is not a number answers 422 and stores nothing."""
    from sqlalchemy import func, select

    from hiresight.interviews.models import IntegrityEvent

    attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    body = {"events": [{"kind": "focus_gained", "data": {"ms": "not-a-number"}}]}
    r = _events(client, headers, attempt["id"], body)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
    assert db.scalar(select(func.count()).select_from(IntegrityEvent)) == 0


def test_unknown_event_kinds_are_refused_and_unknown_keys_dropped(
    client: TestClient, db: Session, headers: dict[str, str]
) -> None:
    """A kind the room never sends answers 422; keys a kind does not define are not stored."""
    from sqlalchemy import select

    from hiresight.interviews.models import IntegrityEvent

    attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    odd = _events(client, headers, attempt["id"], {"events": [{"kind": "visibility"}]})
    assert odd.status_code == 422
    body = {"events": [{"kind": "paste", "data": {"chars": 12, "clipboard": "secret" * 100}}]}
    assert _events(client, headers, attempt["id"], body).status_code == 202
    stored = db.scalars(select(IntegrityEvent.data)).all()
    assert stored == [{"chars": 12}]


def test_a_huge_event_batch_is_refused_before_it_is_stored(
    client: TestClient, db: Session, headers: dict[str, str]
) -> None:
    """20 MB of events in one request, or anything past the route's 64 KiB, answers 413
    `body_too_large`, whether its size is declared or it streams in chunks."""
    from sqlalchemy import func, select

    from hiresight.interviews.models import IntegrityEvent
    from hiresight.interviews.schemas import EVENTS_BODY_BYTES

    attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    url = f"/api/v1/attempts/{attempt['id']}/events"
    as_json = {**headers, "Content-Type": "application/json"}
    event = {"kind": "paste", "data": {"chars": 1, "pad": "x" * 100_000}}
    huge = json.dumps({"events": [event] * 200}).encode()
    assert len(huge) > 20_000_000
    small_event = {"kind": "paste", "data": {"chars": 1, "pad": "x" * 1_000}}
    over_route_cap = json.dumps({"events": [small_event] * 100}).encode()
    assert EVENTS_BODY_BYTES < len(over_route_cap) < 1024 * 1024

    def chunks(payload: bytes) -> Iterator[bytes]:
        for start in range(0, len(payload), 16 * 1024):
            yield payload[start : start + 16 * 1024]

    for payload in (huge, over_route_cap):
        declared = client.post(url, content=payload, headers=as_json)
        assert declared.status_code == 413
        assert declared.json()["error"]["code"] == "body_too_large"
        streamed = client.post(url, content=chunks(payload), headers=as_json)
        assert streamed.status_code == 413
    assert db.scalar(select(func.count()).select_from(IntegrityEvent)) == 0


def test_events_stop_at_the_per_attempt_cap(
    client: TestClient, db: Session, headers: dict[str, str]
) -> None:
    """A batch crossing the cap is stored up to it and counts the rest; then 409."""
    from hiresight.interviews.models import IntegrityEvent
    from hiresight.interviews.schemas import EVENTS_PER_ATTEMPT

    attempt = _stage(client, headers, _start(client, headers)["id"], "behavioral")
    db.add_all(
        IntegrityEvent(attempt_id=attempt["id"], kind="focus_lost", data={})
        for _ in range(EVENTS_PER_ATTEMPT - 1)
    )
    db.commit()
    body = {"events": [{"kind": "paste", "data": {"chars": 5}}] * 3}
    first = _events(client, headers, attempt["id"], body)
    assert first.status_code == 202
    assert first.json() == {"recorded": 1, "dropped": 2}
    full = _events(client, headers, attempt["id"], body)
    assert full.status_code == 409
    assert full.json()["error"]["code"] == "event_limit_reached"


def test_candidate_cannot_start_an_interview_for_a_draft_or_missing_job(
    client: TestClient, db: Session, headers: dict[str, str]
) -> None:
    """Another org's draft job, or a job id that does not exist, answers 404 with no trace."""
    from sqlalchemy import func, select

    from hiresight.audit.models import AuditLog
    from hiresight.engagement.models import EngagementEvent
    from hiresight.interviews.config import DEFAULT_TEMPLATE
    from hiresight.interviews.models import InterviewSession, InterviewTemplate
    from hiresight.jobs.models import JobStatus
    from tests.factories import make_job, make_org

    org = make_org(db)
    draft = make_job(db, org, status=JobStatus.draft)
    make_job(db, org)  # an open job makes the org's template startable
    template = InterviewTemplate(
        organization_id=org.id, name="Org", config=DEFAULT_TEMPLATE.model_dump(mode="json")
    )
    db.add(template)
    db.commit()
    for body in (
        {"template_id": template.id, "job_id": draft.id},
        {"job_id": draft.id},
        {"job_id": 999_999},
        {"template_id": template.id, "job_id": 999_999},
    ):
        r = client.post("/api/v1/interviews", headers=headers, json=body)
        assert r.status_code == 404, (body, r.text)
        assert r.json()["error"]["code"] == "not_found"
    for table in (InterviewSession, EngagementEvent):
        assert db.scalar(select(func.count()).select_from(table)) == 0
    assert db.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "interview.start")) == 0  # fmt: skip


def test_a_job_interview_needs_a_template_of_the_jobs_organization(
    client: TestClient, db: Session, headers: dict[str, str]
) -> None:
    """Org A's template with org B's open job answers 404: a session belongs to one org."""
    from hiresight.interviews.config import DEFAULT_TEMPLATE
    from hiresight.interviews.models import InterviewTemplate
    from tests.factories import make_job, make_org

    org_a, org_b = make_org(db), make_org(db)
    make_job(db, org_a)
    job_b = make_job(db, org_b)
    template = InterviewTemplate(
        organization_id=org_a.id, name="A", config=DEFAULT_TEMPLATE.model_dump(mode="json")
    )
    db.add(template)
    db.commit()
    body = {"template_id": template.id, "job_id": job_b.id}
    assert client.post("/api/v1/interviews", headers=headers, json=body).status_code == 404
    assert _start(client, headers, template_id=template.id)["job_id"] is None
