"""Admins see their organization's failed background work and retry it; nobody else can."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Organization, Role
from hiresight.interviews.models import InterviewTemplate
from hiresight.tasks.models import PendingWork, WorkState
from tests.factories import bearer, make_org, make_user
from tests.tasks.helpers import start_code_review


def _failed_work(db: Session, org: Organization) -> int:
    """Failed grading of an attempt taken on `org`'s template."""
    attempt = start_code_review(db, make_user(db))
    template = InterviewTemplate(organization_id=org.id, name="Screening", config={})
    db.add(template)
    db.flush()
    attempt.session.template_id = template.id
    work = PendingWork(
        kind="grade", attempt_id=attempt.id, state=WorkState.failed, attempts=5,
        last_error="GradingBusyError: the grading pool stayed busy",
    )  # fmt: skip
    db.add(work)
    db.commit()
    return work.id


@pytest.fixture
def org(db: Session) -> Organization:
    """The admin's organization."""
    return make_org(db)


def test_an_admin_lists_failed_work_and_retries_it(
    client: TestClient, db: Session, org: Organization
) -> None:
    """GET ?state=failed shows the work with its error; POST retry makes it pending again."""
    work_id = _failed_work(db, org)
    headers = bearer(db, make_user(db, role=Role.admin, org=org))
    db.commit()
    listed = client.get("/api/v1/admin/pending-work?state=failed", headers=headers)
    assert listed.status_code == 200
    [row] = listed.json()
    assert (row["id"], row["state"], row["attempts"]) == (work_id, "failed", 5)
    assert "stayed busy" in row["last_error"]
    retried = client.post(f"/api/v1/admin/pending-work/{work_id}/retry", headers=headers)
    assert retried.status_code == 200
    assert (retried.json()["state"], retried.json()["attempts"]) == ("pending", 0)
    again = client.post(f"/api/v1/admin/pending-work/{work_id}/retry", headers=headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "work_not_failed"


def test_another_organizations_admin_sees_nothing_and_gets_404(
    client: TestClient, db: Session, org: Organization
) -> None:
    """Work on org A's interviews is invisible to org B's admin: an empty list, and 404."""
    work_id = _failed_work(db, org)
    other = bearer(db, make_user(db, role=Role.admin))
    db.commit()
    assert client.get("/api/v1/admin/pending-work", headers=other).json() == []
    r = client.post(f"/api/v1/admin/pending-work/{work_id}/retry", headers=other)
    assert r.status_code == 404


@pytest.mark.parametrize("role", [Role.recruiter, Role.candidate])
def test_only_admins_may_see_background_work(
    client: TestClient, db: Session, org: Organization, role: Role
) -> None:
    """Recruiters and candidates are refused (403)."""
    _failed_work(db, org)
    headers = bearer(db, make_user(db, role=role, org=org if role is Role.recruiter else None))
    db.commit()
    assert client.get("/api/v1/admin/pending-work", headers=headers).status_code == 403
