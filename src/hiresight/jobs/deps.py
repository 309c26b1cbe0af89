"""Jobs, applications and applicants as dependencies: a handler gets only what the caller may see.

The rules are in `jobs/access.py`; these wrap them for the API and for pages, so a handler never
calls them itself. Ids come from the path, or, for an id named in a request body or a query,
through a look-up object (`JobLookup`) that applies the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy.orm import Session

from hiresight.accounts.deps import CurrentUser, PageCandidate, SignedInUser, StaffUser
from hiresight.accounts.models import User
from hiresight.deps import MAX_ID, IdPath, SessionDep
from hiresight.jobs import access
from hiresight.jobs.models import Application, Job
from hiresight.profiles.models import CandidateProfile


def readable_job(job_id: IdPath, user: CurrentUser, session: SessionDep) -> Job:
    """The job in the path, if the caller may read it."""
    return access.job_for_read(session, user, job_id)


def writable_job(job_id: IdPath, user: CurrentUser, session: SessionDep) -> Job:
    """The job in the path, if the caller may change it."""
    return access.job_for_write(session, user, job_id)


def readable_profile(
    candidate_id: IdPath, user: CurrentUser, session: SessionDep
) -> CandidateProfile:
    """The candidate profile in the path, if the caller may read it."""
    return access.profile_for_read(session, user, candidate_id)


def readable_application(
    application_id: IdPath, user: CurrentUser, session: SessionDep
) -> Application:
    """The application in the path, if the caller may read it."""
    return access.application_for_read(session, user, application_id)


def decidable_application(
    application_id: IdPath, user: CurrentUser, session: SessionDep
) -> Application:
    """The application in the path, if the caller may change its status."""
    return access.application_for_decision(session, user, application_id)


def staff_candidate(candidate_id: IdPath, user: StaffUser, session: SessionDep) -> User:
    """The candidate in the path, if they applied to the staff member's organization."""
    return access.candidate_for_staff(session, user, candidate_id)


@dataclass(frozen=True)
class JobLookup:
    """Reads jobs for the caller when the id comes late (from a request body): `get` applies
    `ReadableJob`'s rule, so a job the caller may not see answers 404."""

    user: User
    session: Session

    def get(self, job_id: int) -> Job:
        """The job, if the caller may read it; else 404."""
        return access.job_for_read(self.session, self.user, job_id)


async def job_lookup(user: CurrentUser, session: SessionDep) -> JobLookup:
    """Job look-ups for the caller."""
    return JobLookup(user, session)


ReadableJob = Annotated[Job, Depends(readable_job)]
WritableJob = Annotated[Job, Depends(writable_job)]
ReadableProfile = Annotated[CandidateProfile, Depends(readable_profile)]
ReadableApplication = Annotated[Application, Depends(readable_application)]
DecidableApplication = Annotated[Application, Depends(decidable_application)]
StaffCandidate = Annotated[User, Depends(staff_candidate)]
ReadableJobs = Annotated[JobLookup, Depends(job_lookup)]


# Pages: the same rules for the user signed in with the session cookie.


def page_candidate_job(job_id: IdPath, user: PageCandidate, session: SessionDep) -> Job:
    """The job in the path, for a candidate who may read it."""
    return access.job_for_read(session, user, job_id)


def page_writable_job(job_id: IdPath, user: SignedInUser, session: SessionDep) -> Job:
    """The job in the path, if the signed-in user may change it."""
    return access.job_for_write(session, user, job_id)


def page_readable_profile(
    candidate_id: IdPath, user: SignedInUser, session: SessionDep
) -> CandidateProfile:
    """The candidate profile in the path, if the signed-in user may read it."""
    return access.profile_for_read(session, user, candidate_id)


def page_decidable_application(
    application_id: IdPath, user: SignedInUser, session: SessionDep
) -> Application:
    """The application in the path, if the signed-in user may change its status."""
    return access.application_for_decision(session, user, application_id)


def page_candidate_for_staff(candidate_id: IdPath, user: SignedInUser, session: SessionDep) -> User:
    """The candidate in the path, if they applied to the signed-in staff member's organization."""
    return access.candidate_for_staff(session, user, candidate_id)


PageCandidateForStaff = Annotated[User, Depends(page_candidate_for_staff)]


def page_job_application(
    candidate: PageCandidateForStaff,
    user: SignedInUser,
    session: SessionDep,
    job: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Application | None:
    """The candidate's application to the job named by `?job=` (404 for a job the user may not
    change), or None when no job is named."""
    return None if job is None else access.job_application(session, user, candidate, job)


def page_compared_candidates(
    user: SignedInUser,
    session: SessionDep,
    a: Annotated[int, Query(ge=1, le=MAX_ID)],
    b: Annotated[int, Query(ge=1, le=MAX_ID)],
) -> list[User]:
    """The two candidates named by `?a=` and `?b=`, if both applied to the user's organization."""
    return [access.candidate_for_staff(session, user, cid) for cid in (a, b)]


PageCandidateJob = Annotated[Job, Depends(page_candidate_job)]
PageWritableJob = Annotated[Job, Depends(page_writable_job)]
PageReadableProfile = Annotated[CandidateProfile, Depends(page_readable_profile)]
PageDecidableApplication = Annotated[Application, Depends(page_decidable_application)]
PageJobApplication = Annotated[Application | None, Depends(page_job_application)]
PageComparedCandidates = Annotated[list[User], Depends(page_compared_candidates)]
