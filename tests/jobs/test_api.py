"""Jobs API: posting, listing, editing, applying and deciding (audited)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.audit.models import AuditLog
from hiresight.engagement.models import EngagementEvent
from hiresight.jobs.models import JobStatus
from tests.factories import bearer, make_job, make_org, make_user


def test_recruiter_posts_and_edits_a_job(client: TestClient, db: Session) -> None:
    """A recruiter's job belongs to their organization and can be edited."""
    recruiter = make_user(db, Role.recruiter)
    headers = bearer(db, recruiter)
    db.commit()
    r = client.post(
        "/api/v1/jobs",
        headers=headers,
        json={
            "title": "Backend Engineer",
            "requirements": ["Python"],
            "salary_min": 1,
            "salary_max": 2,
            "status": "open",
        },
    )
    assert r.status_code == 201
    job = r.json()
    assert job["organization_id"] == recruiter.organization_id
    patched = client.patch(f"/api/v1/jobs/{job['id']}", headers=headers, json={"remote": True})
    assert patched.json()["remote"] is True
    assert patched.json()["title"] == "Backend Engineer"


def test_salary_range_must_be_ordered(client: TestClient, db: Session) -> None:
    """salary_min above salary_max is refused on create and on edit."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization, salary_min=10, salary_max=20)
    headers = bearer(db, recruiter)
    db.commit()
    r = client.post(
        "/api/v1/jobs", headers=headers, json={"title": "X", "salary_min": 5, "salary_max": 1}
    )
    assert r.status_code == 422
    r = client.patch(f"/api/v1/jobs/{job.id}", headers=headers, json={"salary_min": 50})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_salary_range"


def test_candidate_applies_once(client: TestClient, db: Session) -> None:
    """Applying twice to the same job is a conflict."""
    job = make_job(db, make_org(db))
    headers = bearer(db, make_user(db))
    db.commit()
    assert client.post(f"/api/v1/jobs/{job.id}/applications", headers=headers).status_code == 201
    again = client.post(f"/api/v1/jobs/{job.id}/applications", headers=headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_applied"


def test_cannot_apply_to_a_closed_job(client: TestClient, db: Session) -> None:
    """A closed job refuses applications (404: candidates cannot see it)."""
    job = make_job(db, make_org(db), status=JobStatus.closed)
    headers = bearer(db, make_user(db))
    db.commit()
    assert client.post(f"/api/v1/jobs/{job.id}/applications", headers=headers).status_code == 404


def test_decision_is_audited_with_its_note(client: TestClient, db: Session) -> None:
    """A recruiter's decision changes the status and leaves an audit entry with the note."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization)
    candidate = make_user(db)
    staff_headers, cand_headers = bearer(db, recruiter), bearer(db, candidate)
    db.commit()
    app_id = client.post(f"/api/v1/jobs/{job.id}/applications", headers=cand_headers).json()["id"]
    r = client.patch(
        f"/api/v1/applications/{app_id}",
        headers=staff_headers,
        json={"status": "advanced", "note": "Strong code review"},
    )
    assert r.json()["status"] == "advanced"
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "application.decide"))
    assert entry is not None
    assert entry.actor_id == recruiter.id
    assert entry.details == {"from": "applied", "to": "advanced", "note": "Strong code review"}


def test_candidate_cannot_decide(client: TestClient, db: Session) -> None:
    """A candidate cannot change their own application's status (403)."""
    job = make_job(db, make_org(db))
    candidate = make_user(db)
    headers = bearer(db, candidate)
    db.commit()
    app_id = client.post(f"/api/v1/jobs/{job.id}/applications", headers=headers).json()["id"]
    r = client.patch(f"/api/v1/applications/{app_id}", headers=headers, json={"status": "hired"})
    assert r.status_code == 403


def test_failed_request_writes_nothing(client: TestClient, db: Session) -> None:
    """A request that fails part-way leaves no job and no audit entry behind."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization, salary_min=10, salary_max=20)
    headers = bearer(db, recruiter)
    db.commit()
    before = db.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()))
    r = client.patch(
        f"/api/v1/jobs/{job.id}", headers=headers, json={"salary_min": 50, "title": "New"}
    )
    assert r.status_code == 400
    db.expire_all()
    db.refresh(job)
    assert (job.title, job.salary_min) != ("New", 50)
    assert db.scalar(select(AuditLog.id).order_by(AuditLog.id.desc())) == before


def test_requirements_are_parsed_and_corrections_survive_edits(
    client: TestClient, db: Session
) -> None:
    """A new job gets structured requirements; a recruiter's correction outlives text edits."""
    recruiter = make_user(db, Role.recruiter)
    headers = bearer(db, recruiter)
    db.commit()
    job = client.post(
        "/api/v1/jobs",
        headers=headers,
        json={
            "title": "Senior Backend Engineer",
            "description": "FastAPI on PostgreSQL. Nice to have: Kafka.",
            "requirements": ["Python"],
        },
    ).json()
    assert job["structured"]["required_skills"] == ["Python", "FastAPI", "PostgreSQL"]
    assert job["structured"]["seniority"] == "senior"
    fixed = client.patch(
        f"/api/v1/jobs/{job['id']}/requirements",
        headers=headers,
        json={"preferred_skills": ["Apache Kafka", "Redis"]},
    ).json()
    assert fixed["structured"]["preferred_skills"] == ["Apache Kafka", "Redis"]
    edited = client.patch(
        f"/api/v1/jobs/{job['id']}", headers=headers, json={"description": "FastAPI on MySQL."}
    ).json()
    assert edited["structured"]["required_skills"] == ["Python", "FastAPI", "MySQL"]
    assert edited["structured"]["preferred_skills"] == ["Apache Kafka", "Redis"]


def test_applying_through_the_api_records_one_apply_event(client: TestClient, db: Session) -> None:
    """An API application joins the engagement log as the dashboard's does; a refused one
    (applied already, or a closed job) records nothing."""
    org = make_org(db)
    job = make_job(db, org)
    closed = make_job(db, org, status=JobStatus.closed)
    candidate = make_user(db)
    headers = bearer(db, candidate)
    db.commit()
    assert client.post(f"/api/v1/jobs/{job.id}/applications", headers=headers).status_code == 201
    assert client.post(f"/api/v1/jobs/{job.id}/applications", headers=headers).status_code == 409
    assert client.post(f"/api/v1/jobs/{closed.id}/applications", headers=headers).status_code == 404
    db.expire_all()
    events = db.scalars(
        select(EngagementEvent).where(EngagementEvent.candidate_id == candidate.id)
    ).all()
    assert [(e.job_id, e.kind, e.position, e.request_id) for e in events] == [
        (job.id, "apply", None, None)
    ]


def test_a_jobs_employer_name_is_not_parsed_as_a_skill(client: TestClient, db: Session) -> None:
    """A job posted by Oracle's recruiter does not ask for Oracle; one using it still does."""
    recruiter = make_user(db, Role.recruiter, org=make_org(db, "Oracle"))
    headers = bearer(db, recruiter)
    db.commit()

    def post(description: str) -> list[str]:
        job = client.post(
            "/api/v1/jobs", headers=headers,
            json={"title": "Backend Engineer", "description": description},
        ).json()  # fmt: skip
        return list(job["structured"]["required_skills"])

    assert post("Oracle builds its cloud APIs in Java.") == ["Java"]
    assert post("You tune Oracle Database schemas in Java.") == ["Oracle Database", "Java"]
