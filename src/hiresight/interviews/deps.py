"""Interviews, attempts, templates and background work as dependencies.

The rules are in `interviews/access.py`; these wrap them for the API and for pages, so a handler
never calls them itself. An id named in a request body or a form goes through a look-up object
(`TemplateLookup`, `StaffTemplates`) that applies the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy import Select
from sqlalchemy.orm import Session

from hiresight.accounts.deps import AdminUser, CurrentUser, PageStaff, SignedInUser
from hiresight.accounts.models import User
from hiresight.deps import MAX_ID, IdPath, SessionDep
from hiresight.errors import NotFoundError
from hiresight.interviews import access
from hiresight.interviews.models import InterviewSession, InterviewTemplate, StageAttempt
from hiresight.tasks.models import PendingWork


def own_interview(interview_id: IdPath, user: CurrentUser, session: SessionDep) -> InterviewSession:
    """The caller's own interview session in the path."""
    return access.interview_for_owner(session, user, interview_id)


def own_attempt(attempt_id: IdPath, user: CurrentUser, session: SessionDep) -> StageAttempt:
    """The caller's own stage attempt in the path."""
    return access.attempt_for_owner(session, user, attempt_id)


@dataclass(frozen=True)
class AttemptRef:
    """An attempt in the path and the caller, for a change made in one conditional statement.

    The statement scopes itself to the caller (`candidate_id == user.id`, the rule of
    `OwnAttempt`), so the hot path (autosave) loads no record; when it changes no row, `own()`
    loads the record through `OwnAttempt`'s check (404 for anyone else's) to explain why.
    """

    id: int
    user: User
    session: Session

    def own(self) -> StageAttempt:
        """The attempt, if it is the caller's own; else 404."""
        return access.attempt_for_owner(self.session, self.user, self.id)


async def own_attempt_ref(attempt_id: IdPath, user: CurrentUser, session: SessionDep) -> AttemptRef:
    """The attempt in the path, to be changed only where it is the caller's own."""
    return AttemptRef(attempt_id, user, session)


def staff_template(
    template_id: IdPath, user: CurrentUser, session: SessionDep
) -> InterviewTemplate:
    """An interview template of the caller's organization."""
    return access.template_for_staff(session, user, template_id)


@dataclass(frozen=True)
class TemplateLookup:
    """Templates a caller may start an interview on, when the id comes from a request body:
    `get` applies the rule of `access.template_for_session` (404 otherwise)."""

    user: User
    session: Session

    def get(self, template_id: int) -> InterviewTemplate:
        """The template, if the caller may start an interview on it; else 404."""
        return access.template_for_session(self.session, self.user, template_id)


async def template_lookup(user: CurrentUser, session: SessionDep) -> TemplateLookup:
    """Template look-ups for the caller."""
    return TemplateLookup(user, session)


async def visible_work(user: AdminUser) -> Select[PendingWork]:
    """The background work the admin's organization may see, as a query to filter further."""
    return access.visible_pending_work(user)


def admin_work(work_id: IdPath, user: AdminUser, session: SessionDep) -> PendingWork:
    """The background work in the path, if it is on the admin's organization's interviews."""
    return access.pending_work_for_admin(session, user, work_id)


OwnInterview = Annotated[InterviewSession, Depends(own_interview)]
OwnAttempt = Annotated[StageAttempt, Depends(own_attempt)]
OwnAttemptRef = Annotated[AttemptRef, Depends(own_attempt_ref)]
StaffTemplate = Annotated[InterviewTemplate, Depends(staff_template)]
StartableTemplates = Annotated[TemplateLookup, Depends(template_lookup)]
VisibleWork = Annotated[Select[PendingWork], Depends(visible_work)]
AdminWork = Annotated[PendingWork, Depends(admin_work)]


# Pages: the same rules for the user signed in with the session cookie.


def page_own_interview(
    interview_id: IdPath, user: SignedInUser, session: SessionDep
) -> InterviewSession:
    """The signed-in user's own interview session in the path."""
    return access.interview_for_owner(session, user, interview_id)


def page_own_attempt(attempt_id: IdPath, user: SignedInUser, session: SessionDep) -> StageAttempt:
    """The signed-in user's own stage attempt in the path."""
    return access.attempt_for_owner(session, user, attempt_id)


@dataclass(frozen=True)
class StaffTemplates:
    """Looks up interview templates for a staff member, for handlers that learn the id late
    (from a form body): `get` applies `StaffTemplate`'s rule (404 for another organization's)."""

    user: User
    session: Session

    def get(self, template_id: int | str) -> InterviewTemplate:
        """The template, if it belongs to the staff member's organization; else 404.

        A form sends the id as text: one that is not a stored id answers 404 like any other.
        """
        if isinstance(template_id, str):
            template_id = int(template_id) if template_id.isdigit() else 0
        if not 1 <= template_id <= MAX_ID:
            raise NotFoundError("No such template.")
        return access.template_for_staff(self.session, self.user, template_id)


async def page_staff_templates(user: PageStaff, session: SessionDep) -> StaffTemplates:
    """Template look-ups for the signed-in staff member (403 for anyone else)."""
    return StaffTemplates(user, session)


def page_editing_template(
    templates: Annotated[StaffTemplates, Depends(page_staff_templates)],
    edit: Annotated[int | None, Query(le=MAX_ID)] = None,
) -> InterviewTemplate | None:
    """The template named by `?edit=`, if the staff member's organization owns it."""
    return templates.get(edit) if edit else None


PageOwnInterview = Annotated[InterviewSession, Depends(page_own_interview)]
PageOwnAttempt = Annotated[StageAttempt, Depends(page_own_attempt)]
PageStaffTemplates = Annotated[StaffTemplates, Depends(page_staff_templates)]
PageEditingTemplate = Annotated[InterviewTemplate | None, Depends(page_editing_template)]
