"""Candidate rights pages: the candidate's "Your data" (download, delete, cancel) and the
admin's retention setting with a preview of what it would delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from hiresight.accounts.deps import PageAdmin, PageCandidate
from hiresight.db import utcnow
from hiresight.deps import SessionDep, SettingsDep
from hiresight.errors import AppError
from hiresight.privacy import service
from hiresight.privacy.api import export_response, preview_of, privacy_status
from hiresight.privacy.deps import SchemaDep
from hiresight.privacy.schemas import RetentionUpdate
from hiresight.web.pages import PageRoute, check_csrf, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
CANDIDATE = "/candidate/privacy"
ADMIN = "/admin/retention"


def _candidate_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    *,
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    return render(
        request, "privacy_candidate.html", settings, user=user, status_code=status_code,
        status=privacy_status(session, settings, user.id), error=error,
        notice=request.query_params.get("notice"),
    )  # fmt: skip


@router.get(CANDIDATE)
def candidate_privacy(
    request: Request, session: SessionDep, settings: SettingsDep, user: PageCandidate
) -> Response:
    """Your data: download everything held about you, or ask for your account to be deleted."""
    return _candidate_page(request, session, settings, user)


@router.get(CANDIDATE + "/export")
def download_page(session: SessionDep, schema: SchemaDep, user: PageCandidate) -> Response:
    """The candidate's archive (data.json and files)."""
    return export_response(session, schema, user)


@router.post(CANDIDATE + "/delete")
def delete_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    password: Annotated[str, Form(max_length=200)] = "",
    phrase: Annotated[str, Form(max_length=100)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Schedule the erasure; a missing confirmation re-renders the page with the reason."""
    check_csrf(request, csrf_token)
    try:
        service.request_deletion(
            session, user=user, password=password, phrase=phrase,
            grace_days=settings.deletion_grace_days,
        )  # fmt: skip
    except AppError as exc:
        session.rollback()
        return _candidate_page(
            request, session, settings, user, status_code=exc.status_code, error=exc.message
        )
    session.commit()
    return RedirectResponse(f"{CANDIDATE}?notice=requested", status_code=303)


@router.post(CANDIDATE + "/cancel")
def cancel_page(
    request: Request,
    session: SessionDep,
    user: PageCandidate,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Cancel the pending deletion."""
    check_csrf(request, csrf_token)
    service.cancel_deletion(session, user=user)
    session.commit()
    return RedirectResponse(f"{CANDIDATE}?notice=cancelled", status_code=303)


def _admin_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageAdmin,
    schema: SchemaDep,
    *,
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    assert user.organization_id is not None  # guaranteed by the PageAdmin dependency
    report = service.retention(
        session, organization_id=user.organization_id, metadata=schema,
        files_root=settings.data_dir, now=utcnow(),
    )  # fmt: skip
    return render(
        request, "privacy_retention.html", settings, user=user, status_code=status_code,
        preview=preview_of(report), error=error, notice=request.query_params.get("notice"),
    )  # fmt: skip


@router.get(ADMIN)
def retention_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: PageAdmin, schema: SchemaDep
) -> Response:
    """The organization's retention period and what applying it now would delete."""
    return _admin_page(request, session, settings, user, schema)


@router.post(ADMIN)
def set_retention_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageAdmin,
    schema: SchemaDep,
    days: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Set the period (empty keeps the data); a bad number re-renders with the reason."""
    check_csrf(request, csrf_token)
    try:
        data = RetentionUpdate(days=int(days) if days.strip() else None)
    except ValueError:
        return _admin_page(
            request, session, settings, user, schema, status_code=422,
            error="Enter a whole number of days between 1 and 3650, or leave it empty.",
        )  # fmt: skip
    service.set_retention(session, actor=user, days=data.days)
    session.commit()
    return RedirectResponse(f"{ADMIN}?notice=saved", status_code=303)
