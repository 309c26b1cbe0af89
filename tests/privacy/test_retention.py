"""Retention: only the organization's closed jobs past its period lose their candidate data;
open and recent jobs, other organizations and the candidates' accounts stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Organization, User
from hiresight.audit.models import AuditLog
from hiresight.jobs.models import Application, Job, JobStatus
from hiresight.models import Base
from hiresight.privacy import service
from hiresight.profiles.models import ResumeVersion
from tests.factories import make_job
from tests.privacy.factories import make_candidate, make_cast

NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)


def _closed(session: Session, org: Organization, days_ago: float) -> Job:
    """A job closed `days_ago` days before NOW, as its audited status change says."""
    job = make_job(session, org, status=JobStatus.closed)
    session.add(
        AuditLog(
            organization_id=org.id, actor_id=None, action="job.update", entity_type="job",
            entity_id=str(job.id), details={"fields": ["status"]},
            created_at=NOW - dt.timedelta(days=days_ago),
        )
    )  # fmt: skip
    session.flush()
    return job


def _set(session: Session, org: Organization, admin: User, days: int | None) -> None:
    assert admin.organization_id == org.id
    service.set_retention(session, actor=admin, days=days)


# What one known candidate leaves for one job (tests/privacy/factories.py).
PER_JOB = {
    "applications": 1, "application_moves": 1, "panel_scorecards": 1, "interview_sessions": 1,
    "stage_attempts": 2, "attempt_scores": 2, "integrity_events": 2, "pending_work": 1,
    "engagement_events": 1, "takehome_invitations": 1, "takehome_submissions": 1,
    "takehome_versions": 1,
}  # fmt: skip


def test_the_dry_run_lists_only_closed_jobs_past_the_period(db: Session, tmp_path: Path) -> None:
    """30 days: the job closed 40 days ago is listed with its rows per table (known counts);
    the one closed 10 days ago and the open one are not; nothing is deleted."""
    org, admin, recruiter = make_cast(db)
    old, recent = _closed(db, org, 40), _closed(db, org, 10)
    for job in (old, recent, make_job(db, org)):
        make_candidate(db, org, recruiter, job=job)
    _set(db, org, admin, 30)
    report = service.retention(
        db, organization_id=org.id, metadata=Base.metadata, files_root=tmp_path, now=NOW
    )
    assert [job.job_id for job in report.jobs] == [old.id]
    expected = dict(PER_JOB)
    if "answer_recordings" in Base.metadata.tables:
        expected["answer_recordings"] = 1
    assert report.counts == dict(sorted(expected.items()))
    assert db.scalar(select(func.count()).select_from(Application)) == 3


def test_applying_deletes_that_data_and_keeps_the_rest(db: Session, tmp_path: Path) -> None:
    """Applied: the old job's applications go; the recent job's, the other organization's
    (closed long ago, no period set), the candidate's account and résumé stay."""
    org, admin, recruiter = make_cast(db)
    other_org, _admin2, other_recruiter = make_cast(db)
    old, recent = _closed(db, org, 40), _closed(db, org, 10)
    theirs = _closed(db, other_org, 400)
    candidate = make_candidate(db, org, recruiter, job=old)
    kept = make_candidate(db, org, recruiter, job=recent)
    elsewhere = make_candidate(db, other_org, other_recruiter, job=theirs)
    _set(db, org, admin, 30)
    report = service.retention(
        db, organization_id=org.id, metadata=Base.metadata, files_root=tmp_path, now=NOW,
        apply=True,
    )  # fmt: skip
    assert report.applied
    assert report.counts["applications"] == 1
    remaining = set(db.scalars(select(Application.id)))
    assert remaining == {kept.application_id, elsewhere.application_id}
    assert db.get(User, candidate.user.id) is not None
    assert db.scalar(
        select(func.count()).select_from(ResumeVersion).where(
            ResumeVersion.candidate_id == candidate.user.id
        )
    ) == 1  # fmt: skip
    assert db.get(Job, old.id) is not None
    entry = db.scalars(select(AuditLog).where(AuditLog.action == "privacy.retention_applied")).one()
    assert entry.details["jobs"] == [old.id]


def test_no_period_keeps_everything(db: Session, tmp_path: Path) -> None:
    """An organization that set no period (or cleared it) has nothing listed."""
    org, admin, recruiter = make_cast(db)
    make_candidate(db, org, recruiter, job=_closed(db, org, 900))
    _set(db, org, admin, None)
    report = service.retention(
        db, organization_id=org.id, metadata=Base.metadata, files_root=tmp_path, now=NOW
    )
    assert (report.days, report.jobs, report.counts) == (None, [], {})


def test_a_job_without_an_audited_close_counts_from_its_last_update(db: Session) -> None:
    """Closed before status changes were audited: its last update stands for the close."""
    org, _admin, _recruiter = make_cast(db)
    job = make_job(db, org, status=JobStatus.closed)
    job.updated_at = NOW - dt.timedelta(days=5)
    db.flush()
    assert service.closed_at(db, job) == NOW - dt.timedelta(days=5)
