"""Profile pages: candidate sign-up, the résumé upload and review, and the recruiter's evidence
view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hiresight import currencies
from hiresight.accounts.deps import PageCandidate, PageCandidateHome, dashboard_path
from hiresight.accounts.models import User
from hiresight.accounts.pages import sign_in
from hiresight.deps import SessionDep, SettingsDep
from hiresight.errors import AppError
from hiresight.profiles import service
from hiresight.profiles.api import parse_upload, read_upload, review_upload
from hiresight.profiles.corrections import AddSkill, Correction, EditRole, RemoveSkill
from hiresight.profiles.schemas import JobPreferences
from hiresight.settings import Settings
from hiresight.web.pages import PageRoute, check_csrf, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
_PROFILE = "/candidate/profile"


def _review(
    request: Request,
    session: Session,
    settings: Settings,
    user: User,
    *,
    status_code: int = 200,
    error: str | None = None,
    notice: str | None = None,
) -> Response:
    profile = service.get_or_create(session, candidate=user)
    return render(
        request,
        "profile_review.html",
        settings,
        status_code=status_code,
        user=user,
        profile=profile,
        parsed=service.effective_profile(profile),
        versions=service.get_resume_versions(session, candidate=user),
        portfolio=service.get_portfolio_reviews(session, candidate_id=user.id),
        unmatched=service.unmatched_corrections(session, profile),
        salary_currency=service.shown_salary_currency(profile),
        currencies=currencies.KNOWN,
        error=error,
        notice=notice,
    )


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
        user = service.sign_up_candidate(
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
    return sign_in(session, user, dashboard_path(user), settings)


@router.get("/candidate/profile")
def review_profile(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidateHome,
    uploaded: Annotated[str, Query(max_length=12)] = "",
    reviewed: Annotated[str, Query(max_length=12)] = "",
    saved: Annotated[str, Query(max_length=12)] = "",
) -> Response:
    """The candidate's parsed profile, with upload and correction forms (staff go home).

    The forms post, store and redirect here (post/redirect/get), naming what they stored in
    the query, so a reload shows the same status and never stores anything twice.
    """
    notice = _status(session, user, uploaded=uploaded, reviewed=reviewed, saved=saved)
    return _review(request, session, settings, user, notice=notice)


def _status(
    session: Session, user: User, *, uploaded: str, reviewed: str, saved: str
) -> str | None:
    """The status line for what a form just stored, if the query names one of the user's."""
    if uploaded.isdecimal():
        versions = service.get_resume_versions(session, candidate=user)
        if any(v.version == int(uploaded) for v in versions):
            return f"Résumé version {int(uploaded)} uploaded and parsed."
    if reviewed.isdecimal():
        reviews = service.get_portfolio_reviews(session, candidate_id=user.id)
        review = next((r for r in reviews if r.id == int(reviewed)), None)
        if review is not None:
            return f"Repository reviewed: {review.score}/100."
    if saved == "correction":
        return "Correction saved."
    if saved == "preferences":
        return "Job preferences saved."
    return None


def _store(
    request: Request, session: Session, settings: Settings, user: User, store: Callable[[], str]
) -> Response:
    """Run `store` (which stores an upload and names it in a query) and redirect to the page.

    A refused upload re-renders the page with the reason instead: nothing was stored.
    """
    try:
        query = store()
    except AppError as exc:
        session.rollback()
        return _review(
            request, session, settings, user, status_code=exc.status_code, error=exc.message
        )
    return RedirectResponse(f"{_PROFILE}?{query}", status_code=303)


@router.post("/candidate/profile/resume")
async def upload_resume_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    file: UploadFile,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Upload a résumé from the page; a bad file re-renders the page with the reason.

    The parse runs in a worker process and the page renders in a thread: nothing here blocks
    the event loop.
    """
    check_csrf(request, csrf_token)
    filename = file.filename or "resume"
    try:
        data = await read_upload(file)
        parsed = await parse_upload(data, filename, settings)
    except AppError as exc:
        return await run_in_threadpool(
            partial(_review, status_code=exc.status_code, error=exc.message),
            request, session, settings, user,
        )  # fmt: skip

    def store() -> str:
        version = service.upload_resume(
            session, candidate=user, data=data, filename=filename, parsed=parsed
        )
        return f"uploaded={version.version}"

    return await run_in_threadpool(_store, request, session, settings, user, store)


@router.post("/candidate/profile/portfolio")
async def attach_portfolio_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    file: UploadFile,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Attach a repository archive from the profile page; problems re-render with the reason."""
    check_csrf(request, csrf_token)
    try:
        data = await read_upload(
            file, limit=service.MAX_PORTFOLIO_BYTES, code="portfolio_too_large"
        )
        report = await review_upload(data, settings)
    except AppError as exc:
        return await run_in_threadpool(
            partial(_review, status_code=exc.status_code, error=exc.message),
            request, session, settings, user,
        )  # fmt: skip
    filename = file.filename or "repository.zip"

    def store() -> str:
        review = service.attach_portfolio(
            session, candidate=user, data=data, filename=filename, report=report
        )
        return f"reviewed={review.id}"

    return await run_in_threadpool(_store, request, session, settings, user, store)


@router.post("/candidate/profile/corrections")
def correct_profile_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    op: Annotated[str, Form(max_length=20)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    name: Annotated[str, Form(max_length=100)] = "",
    match_employer: Annotated[str, Form(max_length=200)] = "",
    match_title: Annotated[str, Form(max_length=200)] = "",
    title: Annotated[str, Form(max_length=200)] = "",
    employer: Annotated[str, Form(max_length=200)] = "",
    start: Annotated[str, Form(max_length=7)] = "",
    end: Annotated[str, Form(max_length=7)] = "",
    current: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Apply one correction from the review page's forms."""
    check_csrf(request, csrf_token)
    try:
        correction: Correction
        if op == "add_skill":
            correction = AddSkill(name=name)
        elif op == "remove_skill":
            correction = RemoveSkill(name=name)
        else:
            correction = EditRole(
                match_employer=match_employer or None,
                match_title=match_title or None,
                title=title or None,
                employer=employer or None,
                start=_month(start),
                end=_month(end),
                current=True if current else None,
            )
    except (ValidationError, ValueError) as exc:
        return _review(request, session, settings, user, status_code=422, error=_first_error(exc))
    service.add_correction(session, candidate=user, correction=correction)
    return RedirectResponse(f"{_PROFILE}?saved=correction", status_code=303)


@router.post("/candidate/profile/preferences")
def job_preferences_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    salary_min: Annotated[str, Form(max_length=12)] = "",
    salary_currency: Annotated[str, Form(max_length=12)] = "",
    remote_preference: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Save the job preferences form (empty fields clear a preference)."""
    check_csrf(request, csrf_token)
    try:
        preferences = JobPreferences(
            salary_min=salary_min.strip() or None,
            salary_currency=salary_currency.strip() or None,
            remote_preference=remote_preference or None,
        )
    except ValidationError as exc:
        return _review(request, session, settings, user, status_code=422, error=_first_error(exc))
    service.set_job_preferences(session, candidate=user, preferences=preferences)
    return RedirectResponse(f"{_PROFILE}?saved=preferences", status_code=303)


def _month(value: str) -> dt.date | None:
    """A form's YYYY-MM month input as the first day of that month."""
    if not value:
        return None
    year, _, month = value.partition("-")
    return dt.date(int(year), int(month), 1)


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
    return "Please check the dates (YYYY-MM)."
