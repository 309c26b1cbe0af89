"""Authorization rules, one test each: cross-tenant reads answer 404 and reveal nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.jobs.models import JobStatus
from tests.factories import PASSWORD, bearer, make_application, make_job, make_org, make_user


def test_candidate_cannot_read_another_candidates_profile(client: TestClient, db: Session) -> None:
    """A candidate asking for someone else's profile gets 404, same as a missing one."""
    me, other = make_user(db), make_user(db)
    headers = bearer(db, me)
    db.commit()
    theirs = client.get(f"/api/v1/candidates/{other.id}/profile", headers=headers)
    missing = client.get("/api/v1/candidates/999999/profile", headers=headers)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert client.get(f"/api/v1/candidates/{me.id}/profile", headers=headers).status_code == 200


def test_recruiter_cannot_read_another_orgs_job(client: TestClient, db: Session) -> None:
    """Org A's recruiter reading org B's job (even an open one) gets 404."""
    org_a, org_b = make_org(db), make_org(db)
    recruiter_a = make_user(db, Role.recruiter, org_a)
    job_b = make_job(db, org_b, status=JobStatus.open)
    headers = bearer(db, recruiter_a)
    db.commit()
    r = client.get(f"/api/v1/jobs/{job_b.id}", headers=headers)
    assert r.status_code == 404
    assert "title" not in r.text


def test_recruiter_cannot_change_another_orgs_job(client: TestClient, db: Session) -> None:
    """Org A's recruiter changing org B's job gets 404 and the job is unchanged."""
    org_a, org_b = make_org(db), make_org(db)
    recruiter_a = make_user(db, Role.recruiter, org_a)
    job_b = make_job(db, org_b, title="Original")
    headers = bearer(db, recruiter_a)
    db.commit()
    r = client.patch(f"/api/v1/jobs/{job_b.id}", headers=headers, json={"title": "Hijacked"})
    assert r.status_code == 404
    db.expire_all()
    db.refresh(job_b)
    assert job_b.title == "Original"


def test_recruiter_cannot_list_another_orgs_applications(client: TestClient, db: Session) -> None:
    """Org A's recruiter asking for org B's job's applicants gets 404."""
    org_a, org_b = make_org(db), make_org(db)
    recruiter_a = make_user(db, Role.recruiter, org_a)
    job_b = make_job(db, org_b)
    make_application(db, make_user(db), job_b)
    headers = bearer(db, recruiter_a)
    db.commit()
    assert client.get(f"/api/v1/jobs/{job_b.id}/applications", headers=headers).status_code == 404


def test_recruiter_cannot_read_another_orgs_candidate(client: TestClient, db: Session) -> None:
    """A candidate who applied only to org B is invisible to org A's recruiter."""
    org_a, org_b = make_org(db), make_org(db)
    recruiter_a = make_user(db, Role.recruiter, org_a)
    recruiter_b = make_user(db, Role.recruiter, org_b)
    candidate = make_user(db)
    make_application(db, candidate, make_job(db, org_b))
    headers_a, headers_b = bearer(db, recruiter_a), bearer(db, recruiter_b)
    db.commit()
    path = f"/api/v1/candidates/{candidate.id}/profile"
    assert client.get(path, headers=headers_a).status_code == 404
    assert client.get(path, headers=headers_b).status_code == 200


def test_recruiter_cannot_decide_another_orgs_application(client: TestClient, db: Session) -> None:
    """Org A's recruiter cannot read or decide an application to org B's job."""
    org_a, org_b = make_org(db), make_org(db)
    recruiter_a = make_user(db, Role.recruiter, org_a)
    application = make_application(db, make_user(db), make_job(db, org_b))
    headers = bearer(db, recruiter_a)
    db.commit()
    path = f"/api/v1/applications/{application.id}"
    assert client.get(path, headers=headers).status_code == 404
    assert client.patch(path, headers=headers, json={"status": "rejected"}).status_code == 404


def test_candidate_sees_only_open_jobs(client: TestClient, db: Session) -> None:
    """Drafts and closed jobs are invisible to candidates."""
    org = make_org(db)
    open_job = make_job(db, org, status=JobStatus.open)
    draft = make_job(db, org, status=JobStatus.draft)
    headers = bearer(db, make_user(db))
    db.commit()
    ids = {j["id"] for j in client.get("/api/v1/jobs", headers=headers).json()}
    assert open_job.id in ids
    assert draft.id not in ids
    assert client.get(f"/api/v1/jobs/{draft.id}", headers=headers).status_code == 404


def test_candidate_cannot_post_or_change_jobs(client: TestClient, db: Session) -> None:
    """Posting a job needs a recruiter role (403); changing one answers 403 too."""
    job = make_job(db, make_org(db))
    headers = bearer(db, make_user(db))
    db.commit()
    assert client.post("/api/v1/jobs", headers=headers, json={"title": "X"}).status_code == 403
    r = client.patch(f"/api/v1/jobs/{job.id}", headers=headers, json={"title": "X"})
    assert r.status_code == 403


def test_anonymous_gets_401_everywhere(client: TestClient, db: Session) -> None:
    """Every protected endpoint answers 401 to an anonymous caller."""
    job = make_job(db, make_org(db))
    db.commit()
    for method, path in [
        ("GET", "/api/v1/jobs"),
        ("GET", f"/api/v1/jobs/{job.id}"),
        ("GET", "/api/v1/candidates/me/profile"),
        ("GET", "/api/v1/candidates/1/profile"),
        ("GET", "/api/v1/applications"),
        ("GET", "/api/v1/organizations/me"),
    ]:
        r = client.request(method, path)
        assert r.status_code == 401, path
        assert r.json()["error"]["code"] == "unauthorized"


def test_cookie_session_writes_need_the_csrf_header(client: TestClient, db: Session) -> None:
    """A change made with the session cookie but without the CSRF token answers 403."""
    make_user(db, email="c@example.com")
    db.commit()
    page = client.get("/login")
    csrf = client.cookies.get("hs_csrf")
    assert page.status_code == 200
    assert csrf
    client.post(
        "/login",
        data={"email": "c@example.com", "password": "correct horse battery", "csrf_token": csrf},
        follow_redirects=False,
    )
    csrf = client.cookies.get("hs_csrf")  # signed in: the token bound to the session
    body = {"headline": "x", "summary": "", "location": "", "skills": []}
    without = client.put("/api/v1/candidates/me/profile", json=body)
    assert without.status_code == 403
    assert without.json()["error"]["code"] == "csrf_failed"
    with_token = client.put(
        "/api/v1/candidates/me/profile", json=body, headers={"X-CSRF-Token": csrf}
    )
    assert with_token.status_code == 200


def test_job_application_is_looked_up_only_in_the_callers_org(
    db: Session, client: TestClient
) -> None:
    """The policy finds a candidate's application to the caller's own job; another org's job
    is a 404, whether or not the candidate applied there."""
    import pytest

    from hiresight.errors import NotFoundError
    from hiresight.jobs import access

    org_a, org_b = make_org(db), make_org(db)
    recruiter_a = make_user(db, Role.recruiter, org_a)
    job_a, job_b = make_job(db, org_a), make_job(db, org_b)
    candidate = make_user(db)
    mine = make_application(db, candidate, job_a)
    make_application(db, candidate, job_b)
    assert access.job_application(db, recruiter_a, candidate, job_a.id) == mine
    with pytest.raises(NotFoundError):
        access.job_application(db, recruiter_a, candidate, job_b.id)
    assert access.applicant_ids(db, org_a.id, {candidate.id, recruiter_a.id}) == {candidate.id}


def test_results_are_shared_only_from_the_screening_or_the_orgs_own_interviews(
    db: Session, client: TestClient
) -> None:
    """A session for no job and no org template is shared; one for org B's job or on org B's
    template belongs to org B alone."""
    from sqlalchemy import select

    from hiresight.interviews import access
    from hiresight.interviews.config import DEFAULT_TEMPLATE
    from hiresight.interviews.models import InterviewSession, InterviewTemplate
    from hiresight.interviews.sessions import start_session

    org_a, org_b = make_org(db), make_org(db)
    job_b = make_job(db, org_b)
    template_b = InterviewTemplate(
        organization_id=org_b.id, name="B", config=DEFAULT_TEMPLATE.model_dump(mode="json")
    )
    db.add(template_b)
    candidate = make_user(db)
    shared = start_session(db, candidate=candidate)
    for_job = start_session(db, candidate=candidate, job_id=job_b.id)
    on_template = start_session(db, candidate=candidate, template=template_b)
    db.flush()

    def visible(org_id: int) -> set[int]:
        stmt = select(InterviewSession.id).where(access.results_shared_with(org_id))
        return set(db.scalars(stmt))

    assert visible(org_a.id) == {shared.id}
    assert visible(org_b.id) == {shared.id, for_job.id, on_template.id}


def test_pages_and_the_api_refuse_the_same_records_alike(client: TestClient, db: Session) -> None:
    """Pages authorize through the same policy as the API: org A's recruiter, signed in with
    the session cookie, gets the same status from a page as from the API for org B's records,
    the page as HTML and the API as its JSON error body."""
    org_a, org_b = make_org(db), make_org(db)
    recruiter_a = make_user(db, Role.recruiter, org_a)
    candidate_b = make_user(db)
    job_b = make_job(db, org_b, status=JobStatus.open)
    make_application(db, candidate_b, job_b)
    db.commit()
    client.get("/login")
    form = {
        "email": recruiter_a.email,
        "password": PASSWORD,
        "csrf_token": client.cookies["hs_csrf"],
    }
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303
    pairs = [
        (f"/api/v1/jobs/{job_b.id}", f"/recruiter/jobs/{job_b.id}"),
        (f"/api/v1/candidates/{candidate_b.id}/profile", f"/recruiter/candidates/{candidate_b.id}"),
    ]
    for api_path, page_path in pairs:
        api, page = client.get(api_path), client.get(page_path)
        assert api.status_code == page.status_code == 404, page_path
        assert api.json()["error"]["code"] == "not_found"
        assert page.headers["content-type"].startswith("text/html")
        assert 'data-error-code="not_found"' in page.text
