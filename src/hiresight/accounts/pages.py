"""Account pages: the landing page, log in and log out, and the signed-in redirect that sign-up
shares."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from hiresight.accounts import service
from hiresight.accounts.api import client_ip
from hiresight.accounts.deps import PageAdmin, PageUser, dashboard_path
from hiresight.accounts.models import User
from hiresight.accounts.throttle import LoginThrottle
from hiresight.audit import service as audit
from hiresight.deps import SessionDep, SettingsDep
from hiresight.errors import AppError
from hiresight.settings import Settings
from hiresight.web.csrf import SESSION_COOKIE, csrf_token_for, set_csrf_cookie
from hiresight.web.pages import PageRoute, check_csrf, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)


@router.get("/")
def home(request: Request, user: PageUser, settings: SettingsDep) -> Response:
    """The landing page; signed-in users go to their dashboard."""
    if user is not None:
        return RedirectResponse(dashboard_path(user), status_code=303)
    return render(request, "home.html", settings)


def _safe_next(next_path: str | None, user: User) -> str:
    # Only same-site paths: an open redirect would let a phishing link bounce through our login.
    if next_path and next_path.startswith("/") and not next_path.startswith("//"):
        return next_path
    return dashboard_path(user)


def sign_in(session: Session, user: User, target: str, settings: Settings) -> Response:
    """Start a web session for `user` and redirect to `target` with the session cookie."""
    token = service.start_web_session(
        session, user=user, ttl=dt.timedelta(hours=settings.session_ttl_hours)
    )
    response = RedirectResponse(target, status_code=303)
    # The anonymous CSRF token of the login form is no good from now on; this one is.
    secret = settings.secret_key.get_secret_value()
    set_csrf_cookie(response, csrf_token_for(secret, token), settings)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=settings.session_ttl_hours * 3600,
    )
    return response


@router.get("/login")
def login_form(request: Request, settings: SettingsDep, next: str = "") -> Response:
    """The login form."""
    return render(request, "login.html", settings, next=next, email="")


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Check the credentials and start a session."""
    check_csrf(request, csrf_token)
    try:
        user = service.authenticate(
            session,
            email=email,
            password=password,
            client_ip=client_ip(request),
            throttle=LoginThrottle.from_settings(settings),
        )
    except AppError as exc:
        response = render(
            request,
            "login.html",
            settings,
            status_code=exc.status_code,
            error=exc.message,
            email=email,
            next=next,
        )
        response.headers.update(exc.headers or {})
        return response
    return sign_in(session, user, _safe_next(next, user), settings)


SearchField = Annotated[str, Query(max_length=80)]


@router.get("/admin/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageAdmin,
    action: SearchField = "",
    entity_type: SearchField = "",
    entity_id: SearchField = "",
    actor_id: SearchField = "",
    since: SearchField = "",
    until: SearchField = "",
) -> Response:
    """Admins: search the organization's audit log and download what matches."""
    form = {
        "action": action, "entity_type": entity_type, "entity_id": entity_id,
        "actor_id": actor_id, "since": since, "until": until,
    }  # fmt: skip
    query = audit.parse_query(form)
    assert user.organization_id is not None
    entries = audit.search(session, organization_id=user.organization_id, query=query, limit=200)
    export = urlencode({k: v for k, v in form.items() if v.strip()})
    return render(
        request, "audit_admin.html", settings, user=user, form=form, entries=entries,
        export_query=export,
    )  # fmt: skip


@router.post("/logout")
def logout(
    request: Request,
    session: SessionDep,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """End the session."""
    check_csrf(request, csrf_token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        service.end_web_session(session, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
