"""Interview pages: the candidate's interviews dashboard and the interview room (thin handlers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from hiresight.accounts.deps import PageCandidate, PageCandidateHome, PageStaff, SignedInUser
from hiresight.accounts.models import User
from hiresight.deps import SessionDep, SettingsDep
from hiresight.errors import AppError
from hiresight.interviews import consent, questions, service, sessions, templates
from hiresight.interviews.api import session_public
from hiresight.interviews.config import DEFAULT_TEMPLATE, StageKind, TemplateConfig
from hiresight.interviews.deps import (
    PageEditingTemplate,
    PageOwnAttempt,
    PageOwnInterview,
    PageStaffTemplates,
)
from hiresight.interviews.errors import ConsentRequiredError, RetakeConfirmationError
from hiresight.interviews.models import AttemptState, InterviewTemplate, StageAttempt
from hiresight.interviews.schemas import TemplateCreate, TemplateUpdate
from hiresight.interviews.scores import counted_attempts
from hiresight.jobs import service as jobs
from hiresight.settings import Settings
from hiresight.web.pages import PageRoute, check_csrf, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)


def _dashboard(
    request: Request,
    session: Session,
    settings: Settings,
    user: User,
    *,
    status_code: int = 200,
    error: str | None = None,
    confirm_retake: tuple[StageAttempt, str] | None = None,
) -> Response:
    attempts = service.get_attempts(session, candidate=user)
    return render(
        request,
        "interviews.html",
        settings,
        status_code=status_code,
        user=user,
        error=error,
        sessions=sessions.get_sessions(session, candidate=user),
        attempts=attempts,
        counting={a.id for a in counted_attempts(session, user.id).values()},
        retakes=_retakes(session, attempts),
        confirm_retake=confirm_retake,
    )


def _retakes(session: Session, attempts: list[StageAttempt]) -> dict[int, int]:
    """Per stage with attempts left and none running, its newest attempt offers a retake:
    attempt id → attempts left (the limit of that attempt's interview)."""
    running = {a.stage for a in attempts if a.state is AttemptState.active}
    offers: dict[int, int] = {}
    seen: set[StageKind] = set()
    for a in attempts:  # newest first
        if a.stage in seen:
            continue
        seen.add(a.stage)
        stage = sessions.config_of(a.session).stage(a.stage)
        limit = stage.attempts if stage is not None else 0
        left = service.attempts_left(
            session, candidate_id=a.candidate_id, kind=a.stage, limit=limit
        )
        if a.stage not in running and left > 0:
            offers[a.id] = left
    return offers


@router.get("/candidate/interviews")
def interviews_dashboard(
    request: Request, session: SessionDep, settings: SettingsDep, user: PageCandidateHome
) -> Response:
    """Start an interview or a practice session; every attempt with its status, score and note.

    Staff are sent to their own dashboard.
    """
    return _dashboard(request, session, settings, user)


_STAGE_LABELS = {
    StageKind.english: "English",
    StageKind.resume: "Résumé deep-dive",
    StageKind.code_review: "Code review",
    StageKind.system_design: "System design",
    StageKind.behavioral: "Behavioural",
}


@router.get("/candidate/interviews/instructions")
def instructions_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: PageCandidate
) -> Response:
    """Before the interview: time per stage, attempts left, retakes, and a system check."""
    stages = DEFAULT_TEMPLATE.stages
    left = {
        s.kind: service.attempts_left(session, candidate_id=user.id, kind=s.kind, limit=s.attempts)
        for s in stages
    }
    return render(
        request,
        "interview_instructions.html",
        settings,
        user=user,
        stages=stages,
        left=left,
        labels=_STAGE_LABELS,
    )


@router.post("/candidate/interviews")
def start_interview_page(
    request: Request,
    session: SessionDep,
    user: PageCandidate,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    practice: Annotated[str, Form(max_length=5)] = "",
    stage: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Open a session (all stages, or one stage to retake) and go to the interview room.

    Without consent to the notice in force, the candidate reads the notice first; agreeing there
    starts the same interview.
    """
    check_csrf(request, csrf_token)
    stages = [StageKind(stage)] if stage in StageKind.__members__ else None
    try:
        interview = sessions.start_session(
            session, candidate=user, practice=bool(practice), stages=stages
        )
    except ConsentRequiredError:
        query = f"?start=1&stage={stages[0].value}" if stages else "?start=1"
        return RedirectResponse(consent.NOTICE_URL + query, status_code=303)
    return RedirectResponse(f"/interview/{interview.id}", status_code=303)


@router.get("/candidate/interviews/notice")
def notice_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    start: Annotated[str, Query(max_length=1)] = "",
    stage: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """What is assessed and how, who decides, what is recorded and kept, and how to ask for
    another process; the candidate consents here before their first interview."""
    return render(
        request,
        "interview_notice.html",
        settings,
        user=user,
        stages=DEFAULT_TEMPLATE.stages,
        labels=_STAGE_LABELS,
        notice_version=consent.NOTICE_VERSION,
        consented=consent.current(session, candidate_id=user.id),
        applications=jobs.get_for_candidate(session, candidate=user),
        start=bool(start),
        stage=stage if stage in StageKind.__members__ else "",
    )


@router.post("/candidate/interviews/notice")
def consent_page(
    request: Request,
    session: SessionDep,
    user: PageCandidate,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    notice_version: Annotated[str, Form(max_length=40)] = "",
    start: Annotated[str, Form(max_length=1)] = "",
    stage: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Store the consent; then start the interview the candidate was starting, if any."""
    check_csrf(request, csrf_token)
    consent.give(session, candidate=user, version=notice_version)
    if not start:
        return RedirectResponse("/candidate/interviews", status_code=303)
    stages = [StageKind(stage)] if stage in StageKind.__members__ else None
    interview = sessions.start_session(session, candidate=user, stages=stages)
    return RedirectResponse(f"/interview/{interview.id}", status_code=303)


@router.post("/candidate/attempts/{attempt_id}/note")
def note_page(
    attempt: PageOwnAttempt,
    request: Request,
    session: SessionDep,
    note: Annotated[str, Form(max_length=5000)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Save the candidate's note on an attempt."""
    check_csrf(request, csrf_token)
    service.set_note(session, attempt=attempt, note=note)
    return RedirectResponse("/candidate/interviews", status_code=303)


@router.post("/candidate/attempts/{attempt_id}/retake")
def retake_page(
    attempt: PageOwnAttempt,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    confirm: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Retake one stage and go to the room; a retake that could replace a scored attempt asks
    for confirmation first (the dashboard again, with a dialog, 409)."""
    check_csrf(request, csrf_token)
    try:
        new = service.retake_stage(
            session,
            attempt=attempt,
            candidate=user,
            confirm=bool(confirm),
            build_content=questions.build_content,
        )
    except RetakeConfirmationError as exc:
        return _dashboard(
            request, session, settings, user, status_code=409, confirm_retake=(attempt, exc.message)
        )
    except ConsentRequiredError:
        return RedirectResponse(consent.NOTICE_URL, status_code=303)
    except AppError as exc:
        return _dashboard(
            request, session, settings, user, status_code=exc.status_code, error=exc.message
        )
    return RedirectResponse(f"/interview/{new.session_id}", status_code=303)


@router.post("/candidate/attempts/{attempt_id}/select")
def select_page(
    attempt: PageOwnAttempt,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Choose which attempt at a stage counts."""
    check_csrf(request, csrf_token)
    try:
        service.select_attempt(session, attempt=attempt)
    except AppError as exc:
        return _dashboard(
            request, session, settings, user, status_code=exc.status_code, error=exc.message
        )
    return RedirectResponse("/candidate/interviews", status_code=303)


@router.get("/interview/{interview_id}")
def interview_room(
    interview: PageOwnInterview,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
) -> Response:
    """The interview room: the page's script drives it through the REST API."""
    sessions.settle_session(session, interview)
    state = session_public(session, interview).model_dump(mode="json")
    return render(
        request, "interview_room.html", settings, user=user, interview=interview, state=state
    )


def _template_config_from_form(form: dict[str, str]) -> TemplateConfig:
    """A template config from the console form's fields (raises ValidationError when wrong)."""
    stages = []
    for kind in StageKind:
        if form.get(f"{kind.value}_enabled"):
            stages.append({
                "kind": kind.value,
                "minutes": form.get(f"{kind.value}_minutes") or 0,
                "questions": form.get(f"{kind.value}_questions") or 1,
                "attempts": form.get(f"{kind.value}_attempts") or 3,
                "voice": bool(form.get(f"{kind.value}_voice")),
            })  # fmt: skip
    languages = [lang for lang in ("python", "javascript") if form.get(f"lang_{lang}")]
    return TemplateConfig.model_validate(
        {"stages": stages, "languages": languages, "grace_seconds": form.get("grace_seconds") or 10}
    )


def _templates_page(
    request: Request,
    session: Session,
    settings: Settings,
    user: User,
    *,
    status_code: int = 200,
    error: str | None = None,
    editing: InterviewTemplate | None = None,
) -> Response:
    config = TemplateConfig.model_validate(editing.config) if editing else DEFAULT_TEMPLATE
    return render(
        request,
        "templates.html",
        settings,
        status_code=status_code,
        user=user,
        error=error,
        templates=templates.get_all(session, user=user),
        editing=editing,
        config=config,
        jobs=jobs.get_all(session, user=user, limit=200),
        kinds=list(StageKind),
        defaults={s.kind: s for s in DEFAULT_TEMPLATE.stages},
    )


@router.get("/recruiter/templates")
def templates_console(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageStaff,
    editing: PageEditingTemplate,
) -> Response:
    """The organization's interview templates, with a form to edit the one named by `?edit=`."""
    return _templates_page(request, session, settings, user, editing=editing)


@router.post("/recruiter/templates")
async def save_template_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageStaff,
    staff_templates: PageStaffTemplates,
) -> Response:
    """Create a template, or update the one named by `template_id`."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, form.get("csrf_token", ""))
    editing = None
    if form.get("template_id"):
        editing = staff_templates.get(form["template_id"])
    try:
        config = _template_config_from_form(form)
        name = form.get("name", "").strip() or "Interview"
        job_id = int(form["job_id"]) if form.get("job_id") else None
        if editing is None:
            templates.create(
                session, actor=user, data=TemplateCreate(name=name, job_id=job_id, config=config)
            )
        else:
            templates.update(
                session, actor=user, template=editing, data=TemplateUpdate(name=name, config=config)
            )
    except (ValidationError, ValueError) as exc:
        message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        return _templates_page(
            request,
            session,
            settings,
            user,
            status_code=422,
            error=str(message).removeprefix("Value error, "),
            editing=editing,
        )
    return RedirectResponse("/recruiter/templates", status_code=303)
