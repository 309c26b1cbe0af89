"""Pages: a candidate asks for a review and sees the answer; the recruiters' task list resolves
it; a job's recruiter grants extra time from the job's page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.appeals.models import CandidateRequest
from hiresight.interviews import accommodations
from hiresight.interviews.config import StageKind
from tests.appeals.conftest import scored_attempt
from tests.factories import make_application, make_job, make_user
from tests.interviews.test_pages import _sign_in


def test_a_review_asked_on_a_page_is_resolved_on_the_recruiters_list(
    client: TestClient, db: Session
) -> None:
    """The candidate's form files the request; the recruiter sees it as an open task with the
    count, changes the score with a note, and the candidate reads the new score and the note."""
    recruiter = make_user(db, Role.recruiter, email="pages-rec@example.com")
    job = make_job(db, recruiter.organization)
    candidate = make_user(db, email="pages-cand@example.com")
    make_application(db, candidate, job)
    attempt = scored_attempt(db, candidate, job)
    db.commit()
    csrf = _sign_in(client, "pages-cand@example.com")
    assert "Ask for a review" in client.get("/candidate/requests").text
    r = client.post(
        f"/candidate/attempts/{attempt.id}/re-evaluation",
        data={"csrf_token": csrf, "reason": "I gave the result."}, follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    client.cookies.clear()
    csrf = _sign_in(client, "pages-rec@example.com")
    tasks = client.get("/recruiter/requests").text
    assert "1 open" in tasks
    assert "I gave the result." in tasks
    assert "1 open" in client.get(f"/recruiter/jobs/{job.id}").text
    request_id = db.scalar(select(CandidateRequest.id))
    r = client.post(
        f"/recruiter/requests/{request_id}/resolve",
        data={"csrf_token": csrf, "outcome": "score_changed", "score": "81", "note": "Fair point."},
        follow_redirects=False,
    )
    assert r.status_code == 303
    client.cookies.clear()
    _sign_in(client, "pages-cand@example.com")
    mine = client.get("/candidate/requests").text
    assert "New score 81. Fair point." in mine


def test_another_organizations_recruiter_cannot_resolve_on_a_page(
    client: TestClient, db: Session
) -> None:
    """The resolve form of a request addressed elsewhere answers 404."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization)
    make_user(db, Role.recruiter, email="elsewhere@example.com")
    candidate = make_user(db)
    make_application(db, candidate, job)
    attempt = scored_attempt(db, candidate, job)
    db.add(CandidateRequest(kind="re_evaluation", candidate_id=candidate.id,
                            organization_id=job.organization_id, attempt_id=attempt.id,
                            reason="Why?", ai_score=attempt.score))  # fmt: skip
    db.commit()
    csrf = _sign_in(client, "elsewhere@example.com")
    request_id = db.scalar(select(CandidateRequest.id))
    r = client.post(
        f"/recruiter/requests/{request_id}/resolve",
        data={"csrf_token": csrf, "outcome": "upheld", "note": "No."},
    )
    assert r.status_code == 404


def test_extra_time_is_granted_from_the_jobs_page(client: TestClient, db: Session) -> None:
    """The form's per-stage fields become the grant; empty fields keep the stage's time."""
    recruiter = make_user(db, Role.recruiter, email="grant-rec@example.com")
    job = make_job(db, recruiter.organization)
    candidate = make_user(db)
    make_application(db, candidate, job)
    db.commit()
    csrf = _sign_in(client, "grant-rec@example.com")
    r = client.post(
        f"/recruiter/jobs/{job.id}/accommodations",
        data={"csrf_token": csrf, "candidate_id": str(candidate.id), "code_review": "1.5",
              "english": "", "reason": "Screen reader."},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    assert accommodations.extra_time(db, candidate_id=candidate.id, job_id=job.id) == {
        StageKind.code_review: 1.5
    }
    assert "code review ×1.5" in client.get(f"/recruiter/jobs/{job.id}/accommodations").text
