"""Accommodations: a recruiter grants an applicant extra time per stage; the server's clock
extends that stage's deadline by exactly the multiplier, and still refuses a later answer."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
from hiresight.audit.models import AuditLog
from hiresight.interviews.config import DEFAULT_TEMPLATE, StageKind
from hiresight.jobs.models import Job
from tests.factories import bearer, make_application, make_job, make_user
from tests.interviews.conftest import Clock

BEHAVIOURAL = DEFAULT_TEMPLATE.stage(StageKind.behavioral)
assert BEHAVIOURAL is not None
MINUTES = BEHAVIOURAL.minutes  # 4: with 1.5, 6 minutes
GRACE = DEFAULT_TEMPLATE.grace_seconds


@pytest.fixture
def job(db: Session) -> Job:
    """An open job of a recruiter's organization."""
    recruiter = make_user(db, Role.recruiter, email="acc-rec@example.com")
    return make_job(db, recruiter.organization)


@pytest.fixture
def recruiter_headers(db: Session, job: Job) -> dict[str, str]:
    """The job's recruiter's bearer headers."""
    recruiter = db.scalar(select(User).where(User.email == "acc-rec@example.com"))
    assert recruiter is not None
    return bearer(db, recruiter)


def _grant(
    client: TestClient, headers: dict[str, str], job_id: int, candidate_id: int, **body: object
) -> tuple[int, dict]:
    body = {"multipliers": {"behavioral": 1.5}, "reason": "Dyslexia: extra reading time."} | body
    r = client.post(
        f"/api/v1/jobs/{job_id}/candidates/{candidate_id}/accommodations", headers=headers,
        json=body,
    )  # fmt: skip
    return r.status_code, r.json()


def _behavioural(client: TestClient, headers: dict[str, str], job_id: int | None) -> dict:
    body: dict[str, object] = {"stages": ["behavioral"]}
    if job_id is not None:
        body["job_id"] = job_id
    interview = client.post("/api/v1/interviews", headers=headers, json=body)
    assert interview.status_code == 201, interview.text
    url = f"/api/v1/interviews/{interview.json()['id']}/stages/behavioral/start"
    return client.post(url, headers=headers).json()


def _minutes(attempt: dict) -> float:
    started = dt.datetime.fromisoformat(attempt["started_at"])
    deadline = dt.datetime.fromisoformat(attempt["deadline_at"])
    return (deadline - started).total_seconds() / 60


@pytest.fixture
def granted(
    client: TestClient,
    db: Session,
    job: Job,
    recruiter_headers: dict[str, str],
    candidate: User,
    headers: dict[str, str],
) -> Job:
    """The candidate applied to the job and was granted 1.5x on the behavioural stage."""
    make_application(db, candidate, job)
    db.commit()
    status, body = _grant(client, recruiter_headers, job.id, candidate.id)
    assert status == 201, body
    return job


def test_the_stage_deadline_is_extended_exactly_by_the_multiplier(
    client: TestClient, headers: dict[str, str], granted: Job
) -> None:
    """4 minutes x 1.5 = 6 minutes for the job's interview; the room is told the multiplier."""
    attempt = _behavioural(client, headers, granted.id)
    assert _minutes(attempt) == pytest.approx(MINUTES * 1.5)
    interview = client.get(f"/api/v1/interviews/{attempt['session_id']}", headers=headers).json()
    assert interview["time_multipliers"] == {"behavioral": 1.5}


def test_the_grant_is_for_that_job_only(
    client: TestClient, headers: dict[str, str], granted: Job
) -> None:
    """An interview not taken for the job keeps the stage's own minutes."""
    assert _minutes(_behavioural(client, headers, None)) == pytest.approx(MINUTES)


def test_an_answer_in_the_extended_time_counts_and_one_after_it_is_refused(
    client: TestClient, headers: dict[str, str], granted: Job, clock: Clock
) -> None:
    """Past the stage's own minutes but inside the extension, the save is kept; past the
    extended deadline and its grace, the answer is refused (409 `deadline_passed`)."""
    attempt = _behavioural(client, headers, granted.id)
    draft_url = f"/api/v1/attempts/{attempt['id']}/draft"
    clock.advance(minutes=MINUTES, seconds=GRACE + 30)  # over the normal time and its grace
    saved = client.put(
        draft_url, headers=headers, json={"revision": 1, "draft": {"answers": {"b1": "x"}}}
    )
    assert saved.status_code == 200, saved.text
    clock.advance(minutes=MINUTES * 0.5, seconds=1)  # past 6 minutes + grace
    late = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit", headers=headers,
        json={"draft": {"answers": {"b1": "late"}}},
    )  # fmt: skip
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "deadline_passed"


def test_the_grant_is_audited_with_its_reason(db: Session, candidate: User, granted: Job) -> None:
    """Who granted what to whom, and why, is in the organization's audit log."""
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "interview.accommodation"))
    assert entry is not None
    assert entry.organization_id == granted.organization_id
    assert entry.details["multipliers"] == {"behavioral": 1.5}
    assert entry.details["candidate_id"] == candidate.id
    assert entry.details["reason"] == "Dyslexia: extra reading time."


def test_only_the_jobs_recruiters_may_grant_and_only_to_its_applicants(
    client: TestClient, db: Session, job: Job, recruiter_headers: dict[str, str], candidate: User
) -> None:
    """Another organization's recruiter gets 404; so does a candidate who did not apply; a
    multiplier out of bounds is 422."""
    outsider = bearer(db, make_user(db, Role.recruiter))
    db.commit()
    assert _grant(client, recruiter_headers, job.id, candidate.id)[0] == 404  # not applied
    make_application(db, candidate, job)
    db.commit()
    assert _grant(client, outsider, job.id, candidate.id)[0] == 404
    assert _grant(client, recruiter_headers, job.id, candidate.id,
                  multipliers={"behavioral": 5})[0] == 422  # fmt: skip
    assert _grant(client, recruiter_headers, job.id, candidate.id)[0] == 201
