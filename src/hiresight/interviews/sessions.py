"""Interview sessions and the server's clock: opening a session, deadlines, closing it.

The server's clock decides everything time-related. Deadlines are enforced lazily: every read
or write of an attempt first settles what the clock says has happened to it (`settle`), so a
server that was down when a deadline passed still applies the same rules when it comes back.
An answer that becomes final runs the registered final hooks (grading, scoring, feedback).
What a candidate does within a stage (start, autosave, submit) is in `interviews.service`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from hiresight.accounts.models import User
from hiresight.audit import service as audit
from hiresight.db import utcnow
from hiresight.engagement.models import outcome_event
from hiresight.errors import NotFoundError
from hiresight.interviews import accommodations, consent
from hiresight.interviews.config import (
    BETWEEN_STAGES_MINUTES,
    DEFAULT_TEMPLATE,
    StageKind,
    TemplateConfig,
)
from hiresight.interviews.errors import StageStateError
from hiresight.interviews.models import (
    AttemptState,
    InterviewSession,
    InterviewTemplate,
    SessionState,
    StageAttempt,
)
from hiresight.jobs import access as job_access
from hiresight.jobs.models import Job
from hiresight.webhooks import service as webhooks

# Runs when an answer becomes final (submitted, or expired with a draft): it enqueues grading,
# scoring or practice feedback. Registered once by the app, so every path to "final" runs it.
FinalHook = Callable[[Session, StageAttempt], None]
_final_hooks: list[FinalHook] = []
FINAL_STATES = (AttemptState.submitted, AttemptState.expired)


def register_final_hook(hook: FinalHook) -> None:
    """Run `hook` whenever an attempt's answer becomes final (idempotent per hook)."""
    if hook not in _final_hooks:
        _final_hooks.append(hook)


def unregister_final_hook(hook: FinalHook) -> None:
    """Stop running `hook` (tests use this)."""
    if hook in _final_hooks:
        _final_hooks.remove(hook)


def finalised(session: Session, attempt: StageAttempt) -> None:
    """Run every final hook on an attempt whose answer just became final."""
    for hook in list(_final_hooks):
        hook(session, attempt)


def organization_of(session: Session, interview: InterviewSession) -> int | None:
    """The organization an interview is for: its job's, else its template's; None for one
    the candidate sits on their own (the shipped template, no job)."""
    if interview.job_id is not None:
        return session.scalar(select(Job.organization_id).where(Job.id == interview.job_id))
    if interview.template_id is not None:
        return session.scalar(
            select(InterviewTemplate.organization_id).where(
                InterviewTemplate.id == interview.template_id
            )
        )
    return None


def audit_attempt(
    session: Session,
    attempt: StageAttempt,
    *,
    action: str,
    actor_id: int | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Audit a change of an attempt's state, under the organization the interview is for.

    `actor_id` is None when the server's clock made the change (a deadline passed).
    """
    session.flush()  # the attempt's id
    audit.record(
        session,
        actor_id=actor_id,
        organization_id=organization_of(session, attempt.session),
        action=action,
        entity_type="stage_attempt",
        entity_id=attempt.id,
        details={
            "interview_id": attempt.session_id,
            "stage": attempt.stage.value,
            "state": attempt.state.value,
            "attempt_no": attempt.attempt_no,
            **(details or {}),
        },
    )


def config_of(interview: InterviewSession) -> TemplateConfig:
    """The template snapshot the session runs on."""
    return TemplateConfig.model_validate(interview.config)


def _grace(interview: InterviewSession) -> dt.timedelta:
    return dt.timedelta(seconds=config_of(interview).grace_seconds)


def start_session(
    session: Session,
    *,
    candidate: User,
    template: InterviewTemplate | None = None,
    job_id: int | None = None,
    practice: bool = False,
    stages: list[StageKind] | None = None,
) -> InterviewSession:
    """Open a session on a template (the shipped default unless given), optionally fewer stages.

    A job must be one the candidate may see (an open job; 404 otherwise, as for one that does
    not exist), and a template given with it must belong to the job's organization.
    """
    if job_id is not None:
        job = job_access.job_for_read(session, candidate, job_id)
        if template is not None and template.organization_id != job.organization_id:
            raise NotFoundError("No such job.")
    config = TemplateConfig.model_validate(template.config) if template else DEFAULT_TEMPLATE
    if stages:
        wanted = set(stages)
        kept = [s for s in config.stages if s.kind in wanted]
        if not kept:
            raise StageStateError("None of those stages is in this interview.")
        config = config.model_copy(update={"stages": kept})
    if not practice:
        consent.require(session, candidate_id=candidate.id)
    extra = accommodations.extra_time(session, candidate_id=candidate.id, job_id=job_id)
    now = utcnow()
    stage_minutes = sum(s.minutes * extra.get(s.kind, 1.0) for s in config.stages)
    total = stage_minutes + BETWEEN_STAGES_MINUTES * len(config.stages)
    interview = InterviewSession(
        candidate_id=candidate.id,
        template_id=template.id if template else None,
        job_id=job_id,
        config=config.model_dump(mode="json"),
        practice=practice,
        state=SessionState.created,
        created_at=now,
        deadline_at=now + dt.timedelta(minutes=total),
    )
    session.add(interview)
    session.flush()
    audit.record(
        session,
        actor_id=candidate.id,
        organization_id=candidate.organization_id,
        action="interview.start",
        entity_type="interview_session",
        entity_id=interview.id,
        details={"practice": practice},
    )
    return interview


def open_retake(
    session: Session, *, candidate: User, source: InterviewSession, kind: StageKind
) -> InterviewSession:
    """A session to retake one stage of `source`: the same template snapshot, job and clock
    rules (that stage's minutes plus the break), with that stage alone.

    A sitting holds one attempt per stage, so a retake is a new sitting. Its job must still be
    one the candidate may see (404 otherwise, as when starting an interview).
    """
    if source.job_id is not None:
        job_access.job_for_read(session, candidate, source.job_id)
    config = config_of(source)
    stage = config.stage(kind)
    if stage is None:
        raise NotFoundError("This interview has no such stage.")
    config = config.model_copy(update={"stages": [stage]})
    extra = accommodations.extra_time(session, candidate_id=candidate.id, job_id=source.job_id)
    minutes = stage.minutes * extra.get(kind, 1.0)
    now = utcnow()
    interview = InterviewSession(
        candidate_id=candidate.id,
        template_id=source.template_id,
        job_id=source.job_id,
        config=config.model_dump(mode="json"),
        practice=False,
        state=SessionState.created,
        created_at=now,
        deadline_at=now + dt.timedelta(minutes=minutes + BETWEEN_STAGES_MINUTES),
    )
    session.add(interview)
    session.flush()
    return interview


def settle(session: Session, attempt: StageAttempt, *, now: dt.datetime | None = None) -> None:
    """Apply the deadline to an active attempt whose time (plus grace) is over.

    An autosaved draft becomes the answer (`expired`, counted). With nothing saved the attempt
    was cut short without an answer: it is `abandoned` and gives its attempt number back.
    """
    now = now or utcnow()
    if attempt.state is not AttemptState.active:
        return
    if now <= attempt.deadline_at + _grace(attempt.session):
        return
    attempt.ended_by = "deadline"
    if attempt.draft:
        attempt.state = AttemptState.expired
        attempt.answer = attempt.draft
        attempt.submitted_at = attempt.deadline_at
        audit_attempt(session, attempt, action="attempt.expired", actor_id=None)
        finalised(session, attempt)
        maybe_complete(attempt.session)
    else:
        attempt.state = AttemptState.abandoned
        attempt.attempt_no = None
        audit_attempt(session, attempt, action="attempt.abandoned", actor_id=None)


def settle_session(session: Session, interview: InterviewSession) -> None:
    """Settle every attempt, then close the session if its overall deadline has passed."""
    now = utcnow()
    for attempt in interview.attempts:
        settle(session, attempt, now=now)
    if (
        interview.state in (SessionState.created, SessionState.in_progress)
        and interview.deadline_at is not None
        and now > interview.deadline_at + _grace(interview)
    ):
        close(interview, now)


def close(interview: InterviewSession, now: dt.datetime) -> None:
    """Close the session now: completed if any stage was answered, else abandoned."""
    answered = any(a.state in FINAL_STATES for a in interview.attempts)
    if answered:
        _completed(interview, now)
    else:
        interview.state = SessionState.abandoned
        interview.ended_at = now
        session = object_session(interview)
        if session is not None:
            _record_end(session, interview)


def _completed(interview: InterviewSession, now: dt.datetime) -> None:
    """Close a finished interview; for a job's interview, tell the recommender too."""
    interview.state = SessionState.completed
    interview.ended_at = now
    session = object_session(interview)
    if interview.job_id is not None and not interview.practice and session is not None:
        session.add(outcome_event(
            candidate_id=interview.candidate_id, job_id=interview.job_id,
            kind="interview_completed",
        ))  # fmt: skip
    if session is not None:
        _record_end(session, interview)


def _record_end(session: Session, interview: InterviewSession) -> None:
    """Audit an interview's end; a completed one of an organization is a webhook event too."""
    organization_id = organization_of(session, interview)
    stages = [
        {"attempt_id": a.id, "stage": a.stage.value, "state": a.state.value}
        for a in sorted(interview.attempts, key=lambda a: a.id or 0)
    ]
    audit.record(
        session,
        actor_id=None,
        organization_id=organization_id,
        action=f"interview.{interview.state.value}",
        entity_type="interview_session",
        entity_id=interview.id,
        details={"practice": interview.practice, "stages": stages},
    )
    if (
        interview.state is SessionState.completed
        and organization_id is not None
        and not interview.practice
    ):
        webhooks.emit(
            session,
            organization_id=organization_id,
            event_type=webhooks.INTERVIEW_COMPLETED,
            data={
                "interview_id": interview.id,
                "candidate_id": interview.candidate_id,
                "job_id": interview.job_id,
                "ended_at": interview.ended_at.isoformat() if interview.ended_at else None,
                "stages": stages,
            },
        )


def maybe_complete(interview: InterviewSession) -> None:
    """Complete the session once every stage of its template has a final answer."""
    kinds = {s.kind for s in config_of(interview).stages}
    done = {a.stage for a in interview.attempts if a.state in FINAL_STATES}
    if kinds <= done and interview.state is SessionState.in_progress:
        _completed(interview, utcnow())


def get_sessions(session: Session, *, candidate: User) -> list[InterviewSession]:
    """The candidate's sessions, newest first, with their deadlines settled."""
    stmt = (
        select(InterviewSession)
        .where(InterviewSession.candidate_id == candidate.id)
        .order_by(InterviewSession.id.desc())
    )
    sessions = list(session.scalars(stmt))
    for interview in sessions:
        settle_session(session, interview)
    return sessions
