"""Interview pages: the candidate's interviews dashboard and the interview room (thin handlers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from hiresight import authz
from hiresight.accounts.models import Role
from hiresight.deps import IdPath, SessionDep, SettingsDep
from hiresight.errors import AppError
from hiresight.interviews import service
from hiresight.interviews.api import session_public
from hiresight.interviews.config import StageKind
from hiresight.web.pages import SignedInUser, check_csrf, render

router = APIRouter(include_in_schema=False)


def _dashboard(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
    *,
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    return render(
        request,
        "interviews.html",
        settings,
        status_code=status_code,
        user=user,
        error=error,
        sessions=service.get_sessions(session, candidate=user),
        attempts=service.get_attempts(session, candidate=user),
    )


@router.get("/candidate/interviews")
def interviews_dashboard(
    request: Request, session: SessionDep, settings: SettingsDep, user: SignedInUser
) -> Response:
    """Start an interview or a practice session; every attempt with its status, score and note."""
    if user.role is not Role.candidate:
        return RedirectResponse("/recruiter", status_code=303)
    return _dashboard(request, session, settings, user)


@router.post("/candidate/interviews")
def start_interview_page(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    practice: Annotated[str, Form(max_length=5)] = "",
    stage: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Open a session (all stages, or one stage to retake) and go to the interview room."""
    check_csrf(request, csrf_token)
    authz.require_role(user, Role.candidate)
    stages = [StageKind(stage)] if stage in StageKind.__members__ else None
    interview = service.start_session(
        session, candidate=user, practice=bool(practice), stages=stages
    )
    return RedirectResponse(f"/interview/{interview.id}", status_code=303)


@router.post("/candidate/attempts/{attempt_id}/note")
def note_page(
    attempt_id: IdPath,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
    note: Annotated[str, Form(max_length=5000)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Save the candidate's note on an attempt."""
    check_csrf(request, csrf_token)
    attempt = authz.attempt_for_owner(session, user, attempt_id)
    service.set_note(session, attempt=attempt, note=note)
    return RedirectResponse("/candidate/interviews", status_code=303)


@router.post("/candidate/attempts/{attempt_id}/select")
def select_page(
    attempt_id: IdPath,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Choose which attempt at a stage counts."""
    check_csrf(request, csrf_token)
    attempt = authz.attempt_for_owner(session, user, attempt_id)
    try:
        service.select_attempt(session, attempt=attempt)
    except AppError as exc:
        return _dashboard(
            request, session, settings, user, status_code=exc.status_code, error=exc.message
        )
    return RedirectResponse("/candidate/interviews", status_code=303)


@router.get("/interview/{interview_id}")
def interview_room(
    interview_id: IdPath,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
) -> Response:
    """The interview room: the page's script drives it through the REST API."""
    interview = authz.interview_for_owner(session, user, interview_id)
    service.settle_session(session, interview)
    state = session_public(session, interview).model_dump(mode="json")
    return render(
        request, "interview_room.html", settings, user=user, interview=interview, state=state
    )
