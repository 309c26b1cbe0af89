"""REST endpoints for interviews: templates, sessions, stages, autosave, answers and notes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from hiresight.accounts.deps import CandidateUser, StaffUser
from hiresight.db import single_writer, utcnow
from hiresight.deps import SessionDep
from hiresight.errors import AppError
from hiresight.interviews import (
    accommodations,
    consent,
    grading,
    questions,
    service,
    sessions,
    templates,
)
from hiresight.interviews.attempt_data.answers import CodeReviewAnswer
from hiresight.interviews.attempt_data.columns import (
    attempt_answer,
    attempt_content,
    attempt_draft,
    attempt_result,
)
from hiresight.interviews.attempt_data.stored import CodeReviewResult
from hiresight.interviews.config import DEFAULT_TEMPLATE, StageKind
from hiresight.interviews.deps import (
    AdminWork,
    OwnAttempt,
    OwnAttemptRef,
    OwnInterview,
    StaffTemplate,
    StartableTemplates,
    VisibleWork,
)
from hiresight.interviews.errors import StageStateError
from hiresight.interviews.models import AttemptState, InterviewSession, StageAttempt
from hiresight.interviews.schemas import (
    EVENTS_BODY_BYTES,
    AttemptPublic,
    ConsentCreate,
    CountingAttempt,
    DraftSave,
    DraftSaved,
    EventsRecorded,
    IntegrityBatch,
    NoteUpdate,
    NoticePublic,
    QuestionAnswer,
    RetakeRequest,
    SessionCreate,
    SessionPublic,
    SubmitAccepted,
    SubmitRequest,
    TemplateCreate,
    TemplatePublic,
    TemplateUpdate,
)
from hiresight.interviews.scores import counted_attempts
from hiresight.jobs.deps import ReadableJobs
from hiresight.limits import capped_body_route
from hiresight.tasks import outbox
from hiresight.tasks.models import PendingWork, WorkState
from hiresight.tasks.schemas import PendingWorkPublic

router = APIRouter(tags=["interviews"])
QuestionId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[a-z0-9-]+$")]


def attempt_public(attempt: StageAttempt, *, counts: bool = False) -> AttemptPublic:
    """The candidate's view of an attempt; grader detail and rubric material stay server-side."""
    now = utcnow()
    remaining = (attempt.deadline_at - now).total_seconds()
    answer, result = attempt_answer(attempt), attempt_result(attempt)
    graded = result.candidate if isinstance(result, CodeReviewResult) else None
    practice = result.practice if result is not None and attempt.session.practice else None
    return AttemptPublic(
        id=attempt.id, session_id=attempt.session_id, stage=attempt.stage,
        attempt_no=attempt.attempt_no, counted=attempt.attempt_no is not None,
        state=attempt.state, started_at=attempt.started_at, deadline_at=attempt.deadline_at,
        remaining_seconds=max(0.0, remaining) if attempt.state is AttemptState.active else 0.0,
        server_time=now, submitted_at=attempt.submitted_at, last_saved_at=attempt.last_saved_at,
        content=attempt_content(attempt).stored(), draft=attempt_draft(attempt).stored(),
        draft_revision=attempt.draft_revision,
        answer=answer.stored() if answer is not None else None,
        feedback=graded.model_dump(mode="json") if graded is not None else None,
        practice_feedback=practice.stored() if practice is not None else None,
        score=attempt.score,
        note=attempt.note, selected=attempt.selected, ended_by=attempt.ended_by, counts=counts,
    )  # fmt: skip


def session_public(session: Any, interview: InterviewSession) -> SessionPublic:
    """A session with its attempts and the attempts left per stage."""
    config = sessions.config_of(interview)
    now = utcnow()
    left = {
        s.kind: service.attempts_left(
            session, candidate_id=interview.candidate_id, kind=s.kind, limit=s.attempts
        )
        for s in config.stages
    }
    remaining = (interview.deadline_at - now).total_seconds() if interview.deadline_at else None
    counted = {} if interview.practice else counted_attempts(session, interview.candidate_id)
    counting = {
        s.kind: CountingAttempt(
            attempt_id=a.id, session_id=a.session_id, attempt_no=a.attempt_no, score=a.score,
            chosen=a.selected,
        )
        for s in config.stages
        if (a := counted.get(s.kind)) is not None
    }  # fmt: skip
    counting_ids = {c.attempt_id for c in counting.values()}
    return SessionPublic(
        id=interview.id, state=interview.state, practice=interview.practice,
        job_id=interview.job_id, config=config, created_at=interview.created_at,
        started_at=interview.started_at, deadline_at=interview.deadline_at,
        ended_at=interview.ended_at,
        remaining_seconds=max(0.0, remaining) if remaining is not None else None,
        server_time=now,
        attempts=[attempt_public(a, counts=a.id in counting_ids) for a in interview.attempts],
        attempts_left=left, counting=counting,
        time_multipliers=accommodations.extra_time(
            session, candidate_id=interview.candidate_id, job_id=interview.job_id
        ),
    )  # fmt: skip


@router.get("/interview-templates/default", response_model=TemplatePublic)
def default_template() -> TemplatePublic:
    """The template that ships with Hiresight."""
    return TemplatePublic(
        id=None, organization_id=None, job_id=None, name="Default", config=DEFAULT_TEMPLATE
    )


@router.get("/interview-templates", response_model=list[TemplatePublic])
def list_templates(user: StaffUser, session: SessionDep) -> list[TemplatePublic]:
    """The organization's templates."""
    return [TemplatePublic.model_validate(t) for t in templates.get_all(session, user=user)]


@router.post(
    "/interview-templates", response_model=TemplatePublic, status_code=status.HTTP_201_CREATED
)
def create_template(data: TemplateCreate, user: StaffUser, session: SessionDep) -> TemplatePublic:
    """A new template for the organization (optionally for one of its jobs)."""
    return TemplatePublic.model_validate(templates.create(session, actor=user, data=data))


@router.patch("/interview-templates/{template_id}", response_model=TemplatePublic)
def update_template(
    data: TemplateUpdate, template: StaffTemplate, user: StaffUser, session: SessionDep
) -> TemplatePublic:
    """Change a template; sessions already started keep their snapshot."""
    updated = templates.update(session, actor=user, template=template, data=data)
    return TemplatePublic.model_validate(updated)


def _notice(consented: consent.InterviewConsent | None) -> NoticePublic:
    return NoticePublic(
        notice_version=consent.NOTICE_VERSION,
        notice_url=consent.NOTICE_URL,
        consented_at=consented.consented_at if consented is not None else None,
    )


@router.get("/interview-notice", response_model=NoticePublic)
def get_notice(user: CandidateUser, session: SessionDep) -> NoticePublic:
    """The interview notice in force (read it at `notice_url`) and the caller's consent to it."""
    return _notice(consent.current(session, candidate_id=user.id))


@router.post(
    "/interview-notice/consent", response_model=NoticePublic, status_code=status.HTTP_201_CREATED
)
def give_consent(data: ConsentCreate, user: CandidateUser, session: SessionDep) -> NoticePublic:
    """Consent to the notice version read; 409 `stale_notice` for one no longer in force."""
    return _notice(consent.give(session, candidate=user, version=data.notice_version))


@router.post("/interviews", response_model=SessionPublic, status_code=status.HTTP_201_CREATED)
def start_interview(
    data: SessionCreate,
    user: CandidateUser,
    startable: StartableTemplates,
    jobs: ReadableJobs,
    session: SessionDep,
) -> SessionPublic:
    """Start an interview (or a practice session) on the default, an org's, or a job's template.

    A real interview needs consent to the notice in force (409 `consent_required`, with the
    notice's address in `details.notice_url`); practice needs none.
    """
    template = None
    if data.template_id is not None:
        template = startable.get(data.template_id)
    elif data.job_id is not None:
        job = jobs.get(data.job_id)
        template = templates.for_job(session, job=job)
    interview = sessions.start_session(
        session,
        candidate=user,
        template=template,
        job_id=data.job_id,
        practice=data.practice,
        stages=data.stages,
    )
    return session_public(session, interview)


@router.get("/interviews", response_model=list[SessionPublic])
def list_interviews(user: CandidateUser, session: SessionDep) -> list[SessionPublic]:
    """The caller's interview sessions, newest first."""
    return [session_public(session, i) for i in sessions.get_sessions(session, candidate=user)]


@router.get("/interviews/{interview_id}", response_model=SessionPublic)
def get_interview(interview: OwnInterview, session: SessionDep) -> SessionPublic:
    """One session, with every deadline settled by the server's clock."""
    sessions.settle_session(session, interview)
    return session_public(session, interview)


@router.post("/interviews/{interview_id}/stages/{stage}/start", response_model=AttemptPublic)
def start_stage(stage: StageKind, interview: OwnInterview, session: SessionDep) -> AttemptPublic:
    """Start a stage, or resume it with its remaining time if it is already running."""
    attempt = service.start_stage(
        session, interview=interview, kind=stage, build_content=questions.build_content
    )
    return attempt_public(attempt)


@router.post("/interviews/{interview_id}/end", response_model=SessionPublic)
def end_interview(interview: OwnInterview, session: SessionDep) -> SessionPublic:
    """End the interview now; a running stage is submitted with its latest autosave."""
    return session_public(session, service.end_interview(session, interview=interview))


@router.get("/attempts", response_model=list[AttemptPublic])
def list_attempts(user: CandidateUser, session: SessionDep) -> list[AttemptPublic]:
    """Every real attempt of the caller (the dashboard), newest first; `counts` marks, per
    stage, the one that counts now."""
    attempts = service.get_attempts(session, candidate=user)
    counting = {a.id for a in counted_attempts(session, user.id).values()}
    return [attempt_public(a, counts=a.id in counting) for a in attempts]


@router.get("/attempts/{attempt_id}", response_model=AttemptPublic)
def get_attempt(attempt: OwnAttempt, session: SessionDep) -> AttemptPublic:
    """One attempt, settled by the server's clock."""
    sessions.settle(session, attempt)
    return attempt_public(attempt)


@router.put("/attempts/{attempt_id}/draft", response_model=DraftSaved)
def save_draft(data: DraftSave, attempt: OwnAttemptRef, session: SessionDep) -> Response:
    """Autosave; idempotent for a replayed revision, refused for a stale one."""
    # The write and its commit in this one thread hop, SQLite's writers one at a time: the save
    # is durable before it is acknowledged, and it holds no connection while waiting for a thread.
    with single_writer(session.get_bind()):
        saved = service.autosave(
            session,
            attempt_id=attempt.id,
            candidate_id=attempt.user.id,
            revision=data.revision,
            draft=data.draft,
            load=attempt.own,
        )
        session.commit()
    answer = DraftSaved(revision=saved.revision, saved_at=saved.saved_at, server_time=utcnow())
    # Encoded once here: every candidate sends one every few seconds, and FastAPI would
    # validate the model it was just built from again before encoding it.
    return Response(answer.model_dump_json(), media_type="application/json")


@router.post("/attempts/{attempt_id}/questions/{question_id}/answer", response_model=AttemptPublic)
def answer_question(
    question_id: QuestionId, data: QuestionAnswer, attempt: OwnAttempt, session: SessionDep
) -> AttemptPublic:
    """Answer one question; the next adaptive item or a drill-down follow-up may be added."""
    service.check_writable(session, attempt)
    questions.answer_question(attempt, question_id, data.text, data.choice)
    return attempt_public(attempt)


@router.post("/attempts/{attempt_id}/run-tests")
def run_example_tests(data: DraftSave, attempt: OwnAttempt, session: SessionDep) -> dict[str, Any]:
    """Run the challenge's visible example tests on the current code (saves it first)."""
    if attempt.stage is not StageKind.code_review:
        raise StageStateError("Only the code review has example tests.")
    service.save_draft(session, attempt=attempt, revision=data.revision, draft=data.draft)
    return grading.run_examples(
        attempt, grading.patched_files(attempt_draft(attempt, CodeReviewAnswer))
    )


@router.post(
    "/attempts/{attempt_id}/submit",
    response_model=SubmitAccepted,
    status_code=status.HTTP_202_ACCEPTED,
)
def submit_attempt(data: SubmitRequest, attempt: OwnAttempt, session: SessionDep) -> SubmitAccepted:
    """End the stage with this answer (or the latest autosave); 202: grading is queued.

    The answer and its grading and scoring work commit together, so once the answer is stored
    the work cannot be lost, whatever happens to the queue or this process.
    """
    service.submit(session, attempt=attempt, revision=data.revision, answer=data.draft)
    queued = outbox.kinds_for(session, attempt_id=attempt.id)
    what = "Grading" if "grade" in queued else "Scoring"
    return SubmitAccepted(
        **attempt_public(attempt).model_dump(),
        queued=queued,
        message=f"{what} queued: your answer is saved and will be assessed shortly.",
    )


@router.post(
    "/attempts/{attempt_id}/retake",
    response_model=AttemptPublic,
    status_code=status.HTTP_201_CREATED,
)
def retake_stage(
    data: RetakeRequest, attempt: OwnAttempt, user: CandidateUser, session: SessionDep
) -> AttemptPublic:
    """Retake this attempt's stage alone: a new attempt starts now, in a sitting of its own.

    The attempt limit (409 `attempt_limit_reached`) and the stage's minutes hold. Once the stage
    has a scored attempt, `confirm: true` is required (409 `retake_confirmation_required`, with
    the attempt that counts and the best one in `details`): the retake could replace it.
    """
    new = service.retake_stage(
        session,
        attempt=attempt,
        candidate=user,
        confirm=data.confirm,
        build_content=questions.build_content,
    )
    return attempt_public(new)


@router.put("/attempts/{attempt_id}/note", response_model=AttemptPublic)
def set_note(data: NoteUpdate, attempt: OwnAttempt, session: SessionDep) -> AttemptPublic:
    """The candidate's own note on an attempt."""
    return attempt_public(service.set_note(session, attempt=attempt, note=data.note))


@router.post("/attempts/{attempt_id}/select", response_model=AttemptPublic)
def select_attempt(attempt: OwnAttempt, session: SessionDep) -> AttemptPublic:
    """Choose this attempt as the one that counts for its stage."""
    return attempt_public(service.select_attempt(session, attempt=attempt))


def record_events(data: IntegrityBatch, attempt: OwnAttempt, session: SessionDep) -> EventsRecorded:
    """Integrity signals for human review (focus loss, pastes); they never change scores."""
    if attempt.state is not AttemptState.active:
        raise AppError("This stage is over.", code="invalid_state", status_code=409)
    recorded, dropped = service.record_events(
        session,
        attempt=attempt,
        events=[(e.kind, e.data.model_dump(mode="json"), e.client_at) for e in data.events],
    )
    return EventsRecorded(recorded=recorded, dropped=dropped)


# Typed, bounded events: the body is refused past EVENTS_BODY_BYTES while it streams in.
router.add_api_route(
    "/attempts/{attempt_id}/events",
    record_events,
    methods=["POST"],
    status_code=status.HTTP_202_ACCEPTED,
    response_model=EventsRecorded,
    response_model_exclude_defaults=True,  # `dropped` appears only when the cap turned some away
    route_class_override=capped_body_route(EVENTS_BODY_BYTES),
)


# Background work on the organization's interviews (grading and scoring): admins see what is
# pending or failed and retry what failed. The outbox is generic (`tasks/`); which work an
# organization may see follows its interviews, so the endpoints live here.
work_router = APIRouter(prefix="/admin/pending-work", tags=["admin"])


@work_router.get("", response_model=list[PendingWorkPublic])
def list_work(
    visible: VisibleWork,
    session: SessionDep,
    state: WorkState | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[PendingWork]:
    """Background work on the organization's interviews, newest first (filter by `state`)."""
    return outbox.get_all(session, visible, state=state, limit=limit)


@work_router.post("/{work_id}/retry", response_model=PendingWorkPublic)
def retry_work(work: AdminWork, session: SessionDep) -> PendingWork:
    """Give failed work a fresh set of tries now; 409 `work_not_failed` for other work."""
    return outbox.retry(session, work=work)
