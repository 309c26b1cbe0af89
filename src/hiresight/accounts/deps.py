"""Who is asking: the signed-in user of an API call or a page, and role checks.

The API takes a bearer token or the session cookie (a cookie-authenticated change must carry
the CSRF header of `web/csrf.py`); pages take only the session cookie and send an anonymous
visitor to the login page instead of answering 401. Role checks are dependencies too, so a
handler never branches on `user.role`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from hiresight.accounts import service as accounts
from hiresight.accounts.access import require_role
from hiresight.accounts.models import Role, User
from hiresight.deps import SessionDep, release
from hiresight.errors import AppError, UnauthorizedError
from hiresight.web.csrf import CSRF_HEADER, SESSION_COOKIE, CsrfError, csrf_ok
from hiresight.web.pages import LoginRequiredError, PageRedirectError

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
        if not session.in_transaction():
            # No transaction around the look-up: BEGIN and COMMIT were two more round trips to
            # the database on every API request (every autosave), each a wait for the database
            # process on a busy machine. Its one write (the token's last use, once a minute) is
            # a single statement, committed on its own.
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
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
        require_role(user, *roles)
        return user

    return dependency


StaffUser = Annotated[User, Depends(role_dependency(Role.recruiter, Role.admin))]
AdminUser = Annotated[User, Depends(role_dependency(Role.admin))]
CandidateUser = Annotated[User, Depends(role_dependency(Role.candidate))]


# Pages: the same policy as the API, for a user signed in with the session cookie. Pages never
# take bearer tokens, and an anonymous visitor is sent to the login page instead of a 401.


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
        require_role(user, *roles)
        return user

    return dependency


def page_home_dependency(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A page dependency for a role's home pages: anyone else goes to their own dashboard."""

    async def dependency(user: SignedInUser) -> User:
        try:
            require_role(user, *roles)
        except AppError:
            raise PageRedirectError(dashboard_path(user)) from None
        return user

    return dependency


PageCandidate = Annotated[User, Depends(page_role_dependency(Role.candidate))]
PageStaff = Annotated[User, Depends(page_role_dependency(Role.recruiter, Role.admin))]
PageAdmin = Annotated[User, Depends(page_role_dependency(Role.admin))]
PageCandidateHome = Annotated[User, Depends(page_home_dependency(Role.candidate))]
PageStaffHome = Annotated[User, Depends(page_home_dependency(Role.recruiter, Role.admin))]
