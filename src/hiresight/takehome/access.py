"""Access policy for stored take-homes: assignments, invitations, submissions and versions.

Staff manage their organization's assignments and read the versions submitted to them; a
candidate sees only the take-homes assigned to them, and only their own submission. A record
the caller may not see answers 404, exactly like one that does not exist. Handlers receive
these records through `takehome/deps.py`.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from hiresight.accounts.access import is_staff
from hiresight.accounts.models import Role, User
from hiresight.errors import NotFoundError
from hiresight.jobs import access as jobs_access
from hiresight.jobs.models import Application, Job
from hiresight.takehome.models import (
    TakehomeAssignment,
    TakehomeInvitation,
    TakehomeSubmission,
    TakehomeVersion,
)


def assignments_for_staff(user: User) -> Select[TakehomeAssignment]:
    """The assignments of the staff member's organization (none for anyone else)."""
    stmt = select(TakehomeAssignment).order_by(TakehomeAssignment.id.desc())
    if not is_staff(user):
        return stmt.where(TakehomeAssignment.id.is_(None))
    return stmt.where(TakehomeAssignment.organization_id == user.organization_id)


def assignment_for_staff(session: Session, user: User, assignment_id: int) -> TakehomeAssignment:
    """An assignment of the caller's organization, or 404."""
    row = session.get(TakehomeAssignment, assignment_id)
    if row is None or not is_staff(user) or row.organization_id != user.organization_id:
        raise NotFoundError("No such take-home.")
    return row


def invitations_for_candidate(user: User) -> Select[TakehomeInvitation]:
    """The take-homes assigned to the caller (none unless a candidate)."""
    stmt = select(TakehomeInvitation).order_by(TakehomeInvitation.id)
    if user.role is not Role.candidate:
        return stmt.where(TakehomeInvitation.id.is_(None))
    return stmt.where(TakehomeInvitation.candidate_id == user.id)


def assignment_for_candidate(
    session: Session, user: User, assignment_id: int
) -> TakehomeAssignment:
    """An assignment assigned to the calling candidate, or 404."""
    invited = session.scalar(
        invitations_for_candidate(user).where(TakehomeInvitation.assignment_id == assignment_id)
    )
    if invited is None:
        raise NotFoundError("No such take-home.")
    return session.get_one(TakehomeAssignment, assignment_id)


def candidate_for_invitation(session: Session, user: User, candidate_id: int) -> User:
    """A candidate the staff member may assign work to: an applicant to their organization."""
    return jobs_access.candidate_for_staff(session, user, candidate_id)


def application_for_invitation(
    session: Session, user: User, application_id: int, candidate_id: int
) -> Application:
    """The named application, if it is the candidate's, to a job of the caller's organization."""
    app = session.get(Application, application_id)
    if app is None or app.candidate_id != candidate_id or not is_staff(user):
        raise NotFoundError("No such application.")
    job = session.get_one(Job, app.job_id)
    if job.organization_id != user.organization_id:
        raise NotFoundError("No such application.")
    return app


def version_for_staff(session: Session, user: User, version_id: int) -> TakehomeVersion:
    """A version submitted to an assignment of the caller's organization, or 404."""
    version = session.get(TakehomeVersion, version_id)
    if version is None or not is_staff(user):
        raise NotFoundError("No such version.")
    submission = session.get_one(TakehomeSubmission, version.submission_id)
    assignment = session.get_one(TakehomeAssignment, submission.assignment_id)
    if assignment.organization_id != user.organization_id:
        raise NotFoundError("No such version.")
    return version


def version_of_same_submission(
    session: Session, user: User, version: TakehomeVersion, number: int
) -> TakehomeVersion:
    """Another version (by number) of the same submission, under the same rule, or 404."""
    other = session.scalar(
        select(TakehomeVersion).where(
            TakehomeVersion.submission_id == version.submission_id,
            TakehomeVersion.number == number,
        )
    )
    if other is None:
        raise NotFoundError("No such version.")
    return version_for_staff(session, user, other.id)


def submission_for_staff(session: Session, user: User, submission_id: int) -> TakehomeSubmission:
    """A submission to an assignment of the caller's organization, or 404."""
    submission = session.get(TakehomeSubmission, submission_id)
    if submission is None:
        raise NotFoundError("No such submission.")
    assignment_for_staff(session, user, submission.assignment_id)
    return submission
