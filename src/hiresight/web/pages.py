"""Server-rendered pages: sign-up, login, logout and the two dashboards (thin handlers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from hiresight.accounts import service as accounts
from hiresight.accounts.api import client_ip
from hiresight.accounts.models import User
from hiresight.accounts.security import csrf_token_for
from hiresight.accounts.throttle import LoginThrottle
from hiresight.deps import (
    SESSION_COOKIE,
    LoginRequiredError,
    PageCandidate,
    PageCandidateHome,
    PageCandidateJob,
    PageRedirectError,
    PageStaffHome,
    PageUser,
    SessionDep,
    SettingsDep,
    csrf_ok,
    csrf_token,
    dashboard_path,
    set_csrf_cookie,
)
from hiresight.errors import AppError
from hiresight.jobs import service as jobs
from hiresight.profiles import service as profiles
from hiresight.settings import Settings

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def install_page_handlers(app: FastAPI) -> None:
    """Redirect to the login page when a page needs a user, and to the user's own side of the
    site when a page belongs to another role's."""

    @app.exception_handler(LoginRequiredError)
    async def _login_required(request: Request, exc: LoginRequiredError) -> RedirectResponse:
        return RedirectResponse(f"/login?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(PageRedirectError)
    async def _elsewhere(request: Request, exc: PageRedirectError) -> RedirectResponse:
        return RedirectResponse(exc.location, status_code=303)


def render(
    request: Request,
    name: str,
    settings: Settings,
    *,
    status_code: int = 200,
    user: User | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render a template with the CSRF token, and keep that token in a cookie."""
    token = csrf_token(request)
    response = templates.TemplateResponse(
        request, name, {"csrf_token": token, "user": user, **context}, status_code=status_code
    )
    set_csrf_cookie(response, token, settings)
    return response


_ERROR_TITLES = {
    403: "Not allowed",
    404: "Not found",
    409: "Already done",
    422: "Please check what you sent",
}


def error_page(request: Request, exc: AppError) -> HTMLResponse:
    """An AppError as an HTML page with the same status and stable code the API would send."""
    title = _ERROR_TITLES.get(exc.status_code, "Something went wrong")
    response = render(
        request,
        "error.html",
        request.app.state.settings,
        status_code=exc.status_code,
        title=title,
        code=exc.code,
        message=exc.message,
    )
    response.headers.update(exc.headers or {})
    return response


class PageRoute(APIRoute):
    """A server-rendered page: a refusal (404, 403, 409, 422...) answers an HTML page, never the
    API's JSON error body. The API's routes keep the JSON body (hiresight.errors)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, with AppErrors and invalid requests rendered as pages."""
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except AppError as exc:
                return error_page(request, exc)
            except RequestValidationError:
                invalid = AppError(
                    "This address or form is not valid.", code="validation_error", status_code=422
                )
                return error_page(request, invalid)

        return page_handler


router = APIRouter(include_in_schema=False, route_class=PageRoute)


def check_csrf(request: Request, form_token: str) -> None:
    """A form post must echo the token from its own page: bound to the session once signed in,
    the signed token of the CSRF cookie before (see deps.csrf_token)."""
    if not csrf_ok(request, form_token):
        raise AppError(
            "The form expired. Reload the page and try again.",
            code="csrf_failed",
            status_code=403,
        )


def _safe_next(next_path: str | None, user: User) -> str:
    # Only same-site paths: an open redirect would let a phishing link bounce through our login.
    if next_path and next_path.startswith("/") and not next_path.startswith("//"):
        return next_path
    return dashboard_path(user)


def _signed_in_response(user: User, token: str, target: str, settings: Settings) -> Response:
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


@router.get("/")
def home(request: Request, user: PageUser, settings: SettingsDep) -> Response:
    """The landing page; signed-in users go to their dashboard."""
    if user is not None:
        return RedirectResponse(dashboard_path(user), status_code=303)
    return render(request, "home.html", settings)


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
        user = accounts.authenticate(
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
    token = accounts.start_web_session(
        session, user=user, ttl=dt.timedelta(hours=settings.session_ttl_hours)
    )
    return _signed_in_response(user, token, _safe_next(next, user), settings)


@router.get("/signup")
def signup_form(request: Request, settings: SettingsDep) -> Response:
    """The candidate sign-up form."""
    return render(request, "signup.html", settings, form={})


@router.post("/signup")
def signup(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    full_name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Create a candidate account and sign in."""
    check_csrf(request, csrf_token)
    try:
        user = accounts.sign_up_candidate(
            session, email=email, full_name=full_name, password=password
        )
    except AppError as exc:
        # The service's message, shown on the form again with what was typed (never JSON).
        form = {"full_name": full_name, "email": email}
        return render(
            request,
            "signup.html",
            settings,
            status_code=exc.status_code,
            error=exc.message,
            form=form,
        )
    token = accounts.start_web_session(
        session, user=user, ttl=dt.timedelta(hours=settings.session_ttl_hours)
    )
    return _signed_in_response(user, token, dashboard_path(user), settings)


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
        accounts.end_web_session(session, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/candidate")
def candidate_dashboard(
    request: Request, user: PageCandidateHome, session: SessionDep, settings: SettingsDep
) -> Response:
    """The candidate's dashboard (staff are sent to theirs)."""
    profile = profiles.get_or_create(session, candidate=user)
    applications = jobs.get_for_candidate(session, candidate=user)
    open_jobs = jobs.get_all(session, user=user, limit=10)
    return render(
        request,
        "candidate_dashboard.html",
        settings,
        user=user,
        profile=profile,
        applications=applications,
        open_jobs=open_jobs,
        applied_ids={a.job_id for a in applications},
    )


@router.post("/candidate/jobs/{job_id}/apply")
def apply_page(
    job: PageCandidateJob,
    request: Request,
    session: SessionDep,
    user: PageCandidate,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Apply to an open job from the dashboard."""
    check_csrf(request, csrf_token)
    jobs.apply(session, candidate=user, job=job)
    return RedirectResponse("/candidate", status_code=303)


@router.get("/recruiter")
def recruiter_dashboard(
    request: Request, user: PageStaffHome, session: SessionDep, settings: SettingsDep
) -> Response:
    """The recruiter's dashboard (candidates are sent to theirs)."""
    org_jobs = jobs.get_all(session, user=user, limit=50)
    applicants = {job.id: jobs.get_for_job(session, job=job) for job in org_jobs}
    return render(
        request,
        "recruiter_dashboard.html",
        settings,
        user=user,
        jobs=org_jobs,
        applicants=applicants,
    )
