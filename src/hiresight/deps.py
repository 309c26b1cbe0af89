"""FastAPI dependencies: the database session, the current user, and authorized records.

`SessionDep`, `CurrentUser` and the record dependencies are the only way handlers get at
these, so authentication and authorization are never re-implemented in a handler.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

import anyio
from fastapi import Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session, sessionmaker

from hiresight import authz
from hiresight.accounts import service as accounts
from hiresight.accounts.models import Role, User
from hiresight.accounts.security import (
    constant_time_equal,
    csrf_token_for,
    is_anonymous_csrf_token,
    new_anonymous_csrf_token,
)
from hiresight.db import single_writer
from hiresight.errors import AppError, NotFoundError, UnauthorizedError
from hiresight.interviews.models import InterviewSession, InterviewTemplate, StageAttempt
from hiresight.jobs.models import Application, Job
from hiresight.profiles.models import CandidateProfile
from hiresight.settings import Settings

SESSION_COOKIE = "hs_session"
CSRF_COOKIE = "hs_csrf"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def _commit_and_close(session: Session) -> None:
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _rollback_and_close(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One database session per request: committed when the handler succeeds, else rolled back.

    The session is bound lazily: making it touches no database, and it takes a connection in
    the thread hop that first queries. Ending it costs a hop only while a transaction is still
    open; a handler that committed in its own hop, or read nothing, ends here at no cost.
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = factory()
    try:
        yield session
    except BaseException:
        if session.in_transaction():
            # Shielded: a client that went away must not leave the transaction open.
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(_rollback_and_close, session)
        else:
            session.close()
        raise
    if session.in_transaction():
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(_commit_and_close, session)
    else:
        session.close()


def release(session: Session) -> None:
    """Commit what the request did so far and give its connection back to the pool.

    FastAPI runs each sync dependency and the handler in a thread hop of its own. A connection
    held from one hop to the next waits for a free thread while holding a pool slot; with every
    thread waiting for a slot, the two pools deadlocked. Writes (a token's last use) commit
    through SQLite's single writer.
    """
    if session.new or session.dirty or session.deleted:
        with single_writer(session.get_bind()):
            session.commit()
    elif session.in_transaction():
        session.commit()


SettingsDep = Annotated[Settings, Depends(get_settings)]

# Record ids in paths are bounded to the 32-bit range every backend stores, so that an absurd id
# answers 422 (or 404) instead of overflowing the database driver.
MAX_ID = 2_147_483_647
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
# scope="function" commits before the response is sent. With the default ("request") the
# commit runs after the client already has its answer, so a browser following a login redirect
# could arrive before its session row exists.
SessionDep = Annotated[Session, Depends(get_db, scope="function")]


class CsrfError(AppError):
    """A cookie-authenticated change came without its CSRF token."""

    status_code = 403
    code = "csrf_failed"


def csrf_token(request: Request) -> str:
    """The CSRF token that pages answering this request carry (and the CSRF cookie holds).

    Signed in, it is the HMAC of the session cookie's token, so it is good for that session
    only; before signing in, it is the signed random token already in the CSRF cookie, or a
    new one.
    """
    secret = get_settings(request).secret_key.get_secret_value()
    session_token = request.cookies.get(SESSION_COOKIE)
    if session_token:
        return csrf_token_for(secret, session_token)
    current = request.cookies.get(CSRF_COOKIE, "")
    return current if is_anonymous_csrf_token(secret, current) else new_anonymous_csrf_token(secret)


def csrf_ok(request: Request, sent: str) -> bool:
    """Whether `sent` is this request's CSRF token: bound to its session when there is one,
    else equal to the signed anonymous token in its cookie (signed double-submit)."""
    secret = get_settings(request).secret_key.get_secret_value()
    session_token = request.cookies.get(SESSION_COOKIE)
    if session_token:
        expected = csrf_token_for(secret, session_token)
    else:
        expected = request.cookies.get(CSRF_COOKIE, "")
        if not is_anonymous_csrf_token(secret, expected):
            return False
    return bool(sent) and constant_time_equal(sent, expected)


def set_csrf_cookie(response: Response, token: str, settings: Settings) -> None:
    """Keep the page's CSRF token in a cookie: anonymous forms check against it."""
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="lax", secure=settings.cookie_secure
    )


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def optional_user(request: Request, session: SessionDep) -> User | None:
    """The caller from a bearer token or a session cookie, or None when anonymous."""
    token = _bearer_token(request)
    if token is not None:
        user = accounts.user_for_api_token(session, token)
        release(session)
        if user is None:
            raise UnauthorizedError(
                "The API token is invalid or revoked.", headers={"WWW-Authenticate": "Bearer"}
            )
        return user
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    user = accounts.user_for_session_token(session, cookie)
    release(session)
    # Browsers send cookies cross-site on some requests; a change must also prove it came from
    # our own page, which alone can read the token bound to this session (OWASP CSRF sheet).
    if (
        user is not None
        and request.method not in _SAFE_METHODS
        and not csrf_ok(request, request.headers.get(CSRF_HEADER, ""))
    ):
        raise CsrfError("Missing or wrong CSRF token.")
    return user


# Dependencies that touch no database are async: a sync one costs a thread hop of its own.
async def require_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    """The caller, or 401 for anonymous requests."""
    if user is None:
        raise UnauthorizedError(
            "Sign in or send an API token.", headers={"WWW-Authenticate": "Bearer"}
        )
    return user


CurrentUser = Annotated[User, Depends(require_user)]


def role_dependency(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A dependency that admits only callers with one of `roles`."""

    async def dependency(user: CurrentUser) -> User:
        authz.require_role(user, *roles)
        return user

    return dependency


StaffUser = Annotated[User, Depends(role_dependency(Role.recruiter, Role.admin))]
AdminUser = Annotated[User, Depends(role_dependency(Role.admin))]
CandidateUser = Annotated[User, Depends(role_dependency(Role.candidate))]


def readable_job(job_id: IdPath, user: CurrentUser, session: SessionDep) -> Job:
    """The job in the path, if the caller may read it."""
    return authz.job_for_read(session, user, job_id)


def writable_job(job_id: IdPath, user: CurrentUser, session: SessionDep) -> Job:
    """The job in the path, if the caller may change it."""
    return authz.job_for_write(session, user, job_id)


def readable_profile(
    candidate_id: IdPath, user: CurrentUser, session: SessionDep
) -> CandidateProfile:
    """The candidate profile in the path, if the caller may read it."""
    return authz.profile_for_read(session, user, candidate_id)


def readable_application(
    application_id: IdPath, user: CurrentUser, session: SessionDep
) -> Application:
    """The application in the path, if the caller may read it."""
    return authz.application_for_read(session, user, application_id)


def decidable_application(
    application_id: IdPath, user: CurrentUser, session: SessionDep
) -> Application:
    """The application in the path, if the caller may change its status."""
    return authz.application_for_decision(session, user, application_id)


def own_interview(interview_id: IdPath, user: CurrentUser, session: SessionDep) -> InterviewSession:
    """The caller's own interview session in the path."""
    return authz.interview_for_owner(session, user, interview_id)


def own_attempt(attempt_id: IdPath, user: CurrentUser, session: SessionDep) -> StageAttempt:
    """The caller's own stage attempt in the path."""
    return authz.attempt_for_owner(session, user, attempt_id)


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
        return authz.attempt_for_owner(self.session, self.user, self.id)


async def own_attempt_ref(attempt_id: IdPath, user: CurrentUser, session: SessionDep) -> AttemptRef:
    """The attempt in the path, to be changed only where it is the caller's own."""
    return AttemptRef(attempt_id, user, session)


def staff_template(
    template_id: IdPath, user: CurrentUser, session: SessionDep
) -> InterviewTemplate:
    """An interview template of the caller's organization."""
    return authz.template_for_staff(session, user, template_id)


OwnInterview = Annotated[InterviewSession, Depends(own_interview)]
OwnAttempt = Annotated[StageAttempt, Depends(own_attempt)]
OwnAttemptRef = Annotated[AttemptRef, Depends(own_attempt_ref)]
StaffTemplate = Annotated[InterviewTemplate, Depends(staff_template)]
ReadableJob = Annotated[Job, Depends(readable_job)]
WritableJob = Annotated[Job, Depends(writable_job)]
ReadableProfile = Annotated[CandidateProfile, Depends(readable_profile)]
ReadableApplication = Annotated[Application, Depends(readable_application)]
DecidableApplication = Annotated[Application, Depends(decidable_application)]


# Pages: the same policy as the API, for a user signed in with the session cookie. Pages never
# take bearer tokens, and an anonymous visitor is sent to the login page instead of a 401.


class LoginRequiredError(Exception):
    """A page needs a signed-in user; the page handlers redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageRedirectError(Exception):
    """A page belongs to another role's side of the site; the page handlers redirect there."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def page_user(request: Request, session: SessionDep) -> User | None:
    """The user behind the session cookie, if any (pages never take bearer tokens)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    return accounts.user_for_session_token(session, cookie) if cookie else None


PageUser = Annotated[User | None, Depends(page_user)]


async def require_page_user(request: Request, user: PageUser) -> User:
    """The signed-in user, or a redirect to the login page."""
    if user is None:
        raise LoginRequiredError(request.url.path)
    return user


SignedInUser = Annotated[User, Depends(require_page_user)]


def dashboard_path(user: User) -> str:
    """Where a user lands after signing in: candidates and staff have a dashboard each."""
    return "/candidate" if user.role is Role.candidate else "/recruiter"


def page_role_dependency(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A page dependency that admits only signed-in users with one of `roles` (else 403)."""

    async def dependency(user: SignedInUser) -> User:
        authz.require_role(user, *roles)
        return user

    return dependency


def page_home_dependency(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A page dependency for a role's home pages: anyone else goes to their own dashboard."""

    async def dependency(user: SignedInUser) -> User:
        try:
            authz.require_role(user, *roles)
        except AppError:
            raise PageRedirectError(dashboard_path(user)) from None
        return user

    return dependency


PageCandidate = Annotated[User, Depends(page_role_dependency(Role.candidate))]
PageStaff = Annotated[User, Depends(page_role_dependency(Role.recruiter, Role.admin))]
PageAdmin = Annotated[User, Depends(page_role_dependency(Role.admin))]
PageCandidateHome = Annotated[User, Depends(page_home_dependency(Role.candidate))]
PageStaffHome = Annotated[User, Depends(page_home_dependency(Role.recruiter, Role.admin))]


def page_candidate_job(job_id: IdPath, user: PageCandidate, session: SessionDep) -> Job:
    """The job in the path, for a candidate who may read it."""
    return authz.job_for_read(session, user, job_id)


def page_writable_job(job_id: IdPath, user: SignedInUser, session: SessionDep) -> Job:
    """The job in the path, if the signed-in user may change it."""
    return authz.job_for_write(session, user, job_id)


def page_readable_profile(
    candidate_id: IdPath, user: SignedInUser, session: SessionDep
) -> CandidateProfile:
    """The candidate profile in the path, if the signed-in user may read it."""
    return authz.profile_for_read(session, user, candidate_id)


def page_decidable_application(
    application_id: IdPath, user: SignedInUser, session: SessionDep
) -> Application:
    """The application in the path, if the signed-in user may change its status."""
    return authz.application_for_decision(session, user, application_id)


def page_own_interview(
    interview_id: IdPath, user: SignedInUser, session: SessionDep
) -> InterviewSession:
    """The signed-in user's own interview session in the path."""
    return authz.interview_for_owner(session, user, interview_id)


def page_own_attempt(attempt_id: IdPath, user: SignedInUser, session: SessionDep) -> StageAttempt:
    """The signed-in user's own stage attempt in the path."""
    return authz.attempt_for_owner(session, user, attempt_id)


def page_candidate_for_staff(candidate_id: IdPath, user: SignedInUser, session: SessionDep) -> User:
    """The candidate in the path, if they applied to the signed-in staff member's organization."""
    return authz.candidate_for_staff(session, user, candidate_id)


PageCandidateForStaff = Annotated[User, Depends(page_candidate_for_staff)]


def page_job_application(
    candidate: PageCandidateForStaff,
    user: SignedInUser,
    session: SessionDep,
    job: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Application | None:
    """The candidate's application to the job named by `?job=` (404 for a job the user may not
    change), or None when no job is named."""
    return None if job is None else authz.job_application(session, user, candidate, job)


def page_compared_candidates(
    user: SignedInUser,
    session: SessionDep,
    a: Annotated[int, Query(ge=1, le=MAX_ID)],
    b: Annotated[int, Query(ge=1, le=MAX_ID)],
) -> list[User]:
    """The two candidates named by `?a=` and `?b=`, if both applied to the user's organization."""
    return [authz.candidate_for_staff(session, user, cid) for cid in (a, b)]


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
        return authz.template_for_staff(self.session, self.user, template_id)


async def page_staff_templates(user: PageStaff, session: SessionDep) -> StaffTemplates:
    """Template look-ups for the signed-in staff member (403 for anyone else)."""
    return StaffTemplates(user, session)


def page_editing_template(
    templates: Annotated[StaffTemplates, Depends(page_staff_templates)],
    edit: Annotated[int | None, Query(le=MAX_ID)] = None,
) -> InterviewTemplate | None:
    """The template named by `?edit=`, if the staff member's organization owns it."""
    return templates.get(edit) if edit else None


PageCandidateJob = Annotated[Job, Depends(page_candidate_job)]
PageWritableJob = Annotated[Job, Depends(page_writable_job)]
PageReadableProfile = Annotated[CandidateProfile, Depends(page_readable_profile)]
PageDecidableApplication = Annotated[Application, Depends(page_decidable_application)]
PageOwnInterview = Annotated[InterviewSession, Depends(page_own_interview)]
PageOwnAttempt = Annotated[StageAttempt, Depends(page_own_attempt)]
PageJobApplication = Annotated[Application | None, Depends(page_job_application)]
PageComparedCandidates = Annotated[list[User], Depends(page_compared_candidates)]
PageStaffTemplates = Annotated[StaffTemplates, Depends(page_staff_templates)]
PageEditingTemplate = Annotated[InterviewTemplate | None, Depends(page_editing_template)]
