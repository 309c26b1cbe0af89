"""Factories for test data: organizations, users, tokens, jobs and applications."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from hiresight.accounts import service as accounts
from hiresight.accounts.models import Organization, Role, User
from hiresight.interviews import consent
from hiresight.jobs.models import Application, Job, JobStatus
from hiresight.profiles import service as profiles

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_org(session: Session, name: str | None = None) -> Organization:
    """An organization with a unique name."""
    return accounts.create_organization(session, name=name or f"Org {next(_seq)}")


def make_user(
    session: Session,
    role: Role = Role.candidate,
    org: Organization | None = None,
    email: str | None = None,
    password: str = PASSWORD,
    consented: bool = True,
) -> User:
    """A user; staff get an organization of their own unless one is given. A candidate has
    consented to the interview notice in force, as before a first interview, unless told not."""
    if role is not Role.candidate and org is None:
        org = make_org(session)
    user = accounts.create_user(
        session,
        email=email or f"user{next(_seq)}@example.com",
        full_name=f"Test {role.value.title()}",
        password=password,
        role=role,
        organization_id=org.id if org else None,
    )
    if role is Role.candidate:
        profiles.get_or_create(session, candidate=user)
        if consented:
            consent.give(session, candidate=user, version=consent.NOTICE_VERSION)
    return user


def make_job(session: Session, org: Organization, **fields: Any) -> Job:
    """An open job of the organization."""
    values: dict[str, Any] = {
        "title": f"Engineer {next(_seq)}",
        "description": "Build APIs.",
        "requirements": ["Python"],
        "status": JobStatus.open,
    }
    values.update(fields)
    job = Job(organization_id=org.id, **values)
    session.add(job)
    session.flush()
    return job


def make_application(session: Session, candidate: User, job: Job) -> Application:
    """An application of the candidate to the job."""
    app = Application(candidate_id=candidate.id, job_id=job.id)
    session.add(app)
    session.flush()
    return app


def bearer(session: Session, user: User) -> dict[str, str]:
    """Authorization headers with a fresh API token for the user."""
    token, _ = accounts.create_api_token(session, user=user, name="test")
    return {"Authorization": f"Bearer {token}"}
