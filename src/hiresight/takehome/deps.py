"""Take-home assignments, submissions and versions as dependencies.

The rules are in `takehome/access.py`; these wrap them for the API and for pages, so a handler
never calls them itself. Ids named in a request body go through `InvitationLookup`, which
applies the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from hiresight.accounts.deps import CurrentUser, PageCandidate, PageStaff, SignedInUser, StaffUser
from hiresight.accounts.models import User
from hiresight.deps import MAX_ID, IdPath, SessionDep
from hiresight.jobs.models import Application
from hiresight.scoring.providers.base import AIProvider
from hiresight.takehome import access
from hiresight.takehome.models import TakehomeAssignment, TakehomeInvitation, TakehomeVersion


def staff_assignment(
    assignment_id: IdPath, user: CurrentUser, session: SessionDep
) -> TakehomeAssignment:
    """An assignment of the caller's organization."""
    return access.assignment_for_staff(session, user, assignment_id)


def candidate_assignment(
    assignment_id: IdPath, user: CurrentUser, session: SessionDep
) -> TakehomeAssignment:
    """An assignment assigned to the calling candidate."""
    return access.assignment_for_candidate(session, user, assignment_id)


def staff_version(version_id: IdPath, user: CurrentUser, session: SessionDep) -> TakehomeVersion:
    """A version submitted to an assignment of the caller's organization."""
    return access.version_for_staff(session, user, version_id)


def other_version(
    version: Annotated[TakehomeVersion, Depends(staff_version)],
    user: CurrentUser,
    session: SessionDep,
    against: int = Query(..., ge=1, le=MAX_ID, description="The other version's number."),
) -> TakehomeVersion:
    """The version numbered `against` of the same submission."""
    return access.version_of_same_submission(session, user, version, against)


@dataclass(frozen=True)
class InvitationLookup:
    """Whom the caller may assign a take-home to, when the ids come from a request body."""

    user: User
    session: Session

    def candidate(self, candidate_id: int) -> User:
        """An applicant to the caller's organization; else 404."""
        return access.candidate_for_invitation(self.session, self.user, candidate_id)

    def application(self, application_id: int, candidate_id: int) -> Application:
        """The candidate's application to a job of the caller's organization; else 404."""
        return access.application_for_invitation(
            self.session, self.user, application_id, candidate_id
        )


async def invitation_lookup(user: StaffUser, session: SessionDep) -> InvitationLookup:
    """Invitation look-ups for the calling staff member."""
    return InvitationLookup(user, session)


def staff_assignments(user: StaffUser, session: SessionDep) -> list[TakehomeAssignment]:
    """The caller's organization's assignments, newest first."""
    return list(session.scalars(access.assignments_for_staff(user)))


def candidate_invitations(user: CurrentUser, session: SessionDep) -> list[TakehomeInvitation]:
    """The take-homes assigned to the caller."""
    return list(session.scalars(access.invitations_for_candidate(user)))


StaffAssignment = Annotated[TakehomeAssignment, Depends(staff_assignment)]
CandidateAssignment = Annotated[TakehomeAssignment, Depends(candidate_assignment)]
StaffVersion = Annotated[TakehomeVersion, Depends(staff_version)]
OtherVersion = Annotated[TakehomeVersion, Depends(other_version)]
Invitations = Annotated[InvitationLookup, Depends(invitation_lookup)]
StaffAssignments = Annotated[list[TakehomeAssignment], Depends(staff_assignments)]
CandidateInvitations = Annotated[list[TakehomeInvitation], Depends(candidate_invitations)]


# Pages: the same rules for the user signed in with the session cookie.


def page_staff_assignment(
    assignment_id: IdPath, user: SignedInUser, session: SessionDep
) -> TakehomeAssignment:
    """An assignment of the signed-in staff member's organization."""
    return access.assignment_for_staff(session, user, assignment_id)


def page_candidate_assignment(
    assignment_id: IdPath, user: PageCandidate, session: SessionDep
) -> TakehomeAssignment:
    """An assignment assigned to the signed-in candidate."""
    return access.assignment_for_candidate(session, user, assignment_id)


def page_staff_version(
    version_id: IdPath, user: SignedInUser, session: SessionDep
) -> TakehomeVersion:
    """A version the signed-in staff member may review."""
    return access.version_for_staff(session, user, version_id)


def page_staff_assignments(user: PageStaff, session: SessionDep) -> list[TakehomeAssignment]:
    """The signed-in staff member's organization's assignments."""
    return list(session.scalars(access.assignments_for_staff(user)))


def page_candidate_invitations(
    user: PageCandidate, session: SessionDep
) -> list[TakehomeInvitation]:
    """The take-homes assigned to the signed-in candidate."""
    return list(session.scalars(access.invitations_for_candidate(user)))


PageStaffAssignment = Annotated[TakehomeAssignment, Depends(page_staff_assignment)]
PageCandidateAssignment = Annotated[TakehomeAssignment, Depends(page_candidate_assignment)]
PageStaffVersion = Annotated[TakehomeVersion, Depends(page_staff_version)]
PageStaffAssignments = Annotated[list[TakehomeAssignment], Depends(page_staff_assignments)]
PageCandidateInvitations = Annotated[list[TakehomeInvitation], Depends(page_candidate_invitations)]


def ai_provider(request: Request) -> AIProvider | None:
    """The app's AI provider (the offline rubric engine unless an LLM is configured)."""
    root = getattr(request.app.state, "root", None)
    provider = getattr(root, "ai", None) if root is not None else None
    return provider if isinstance(provider, AIProvider) else None


Provider = Annotated[AIProvider | None, Depends(ai_provider)]


async def page_invitation_lookup(user: PageStaff, session: SessionDep) -> InvitationLookup:
    """Invitation look-ups for the signed-in staff member."""
    return InvitationLookup(user, session)


PageInvitations = Annotated[InvitationLookup, Depends(page_invitation_lookup)]
