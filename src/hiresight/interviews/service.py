"""What a candidate does within a stage: start it, autosave, answer, submit, and their notes.

Every action first settles the attempt by the server's clock (`interviews.sessions.settle`);
sessions, deadlines and the final-answer hooks are in `interviews.sessions`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import Update, bindparam, update

from hiresight.accounts.models import User
from hiresight.audit import service as audit
from hiresight.db import utcnow
from hiresight.errors import AppError, NotFoundError
from hiresight.interviews import accommodations, consent
from hiresight.interviews.attempt_data.answers import checked_answer
from hiresight.interviews.attempt_data.columns import Content, Private, set_content, set_private
from hiresight.interviews.config import StageKind, TemplateConfig
from hiresight.interviews.errors import (
    AttemptConflictError,
    AttemptLimitError,
    DeadlinePassedError,
    RetakeConfirmationError,
    StageStateError,
    StaleRevisionError,
)
from hiresight.interviews.models import (
    AttemptState,
    IntegrityEvent,
    InterviewSession,
    SessionState,
    StageAttempt,
)
from hiresight.interviews.schemas import EVENTS_PER_ATTEMPT
from hiresight.interviews.scores import counted_attempts
from hiresight.interviews.sessions import (
    FINAL_STATES,
    audit_attempt,
    close,
    config_of,
    finalised,
    maybe_complete,
    open_retake,
    organization_of,
    settle,
    settle_session,
)

# Builds a stage's questions: (session, interview, kind, config) -> (content, private).
ContentBuilder = Callable[
    [Session, InterviewSession, StageKind, TemplateConfig], tuple[Content, Private]
]


# A whole code-review answer (files, flags, explanation) fits easily; this only stops abuse.
MAX_DRAFT_BYTES = 512 * 1024


def _used_attempts(session: Session, candidate_id: int, kind: StageKind) -> set[int]:
    stmt = select(StageAttempt.attempt_no).where(
        StageAttempt.candidate_id == candidate_id,
        StageAttempt.stage == kind,
        StageAttempt.attempt_no.is_not(None),
    )
    return {n for n in session.scalars(stmt) if n is not None}


def attempts_left(session: Session, *, candidate_id: int, kind: StageKind, limit: int) -> int:
    """How many counted attempts at this stage the candidate still has."""
    return max(0, limit - len(_used_attempts(session, candidate_id, kind)))


def start_stage(
    session: Session,
    *,
    interview: InterviewSession,
    kind: StageKind,
    build_content: ContentBuilder,
) -> StageAttempt:
    """Start (or resume) a stage; the attempt limit holds even under concurrent requests."""
    settle_session(session, interview)
    if interview.state not in (SessionState.created, SessionState.in_progress):
        raise StageStateError("This interview has ended.")
    config = config_of(interview)
    stage = config.stage(kind)
    if stage is None:
        raise NotFoundError("This interview has no such stage.")
    existing = next((a for a in interview.attempts if a.stage is kind), None)
    if existing is not None:
        if existing.state is AttemptState.active:
            return existing
        raise StageStateError("This stage is over in this session; retake it from your dashboard.")
    active = [a for a in interview.attempts if a.state is AttemptState.active]
    if active:
        raise StageStateError(f"Finish the {active[0].stage.value} stage first.")
    attempt_no = None
    if not interview.practice:
        used = _used_attempts(session, interview.candidate_id, kind)
        free = [n for n in range(1, stage.attempts + 1) if n not in used]
        if not free:
            raise AttemptLimitError(f"You have used all {stage.attempts} attempts at this stage.")
        attempt_no = free[0]
    now = utcnow()
    content, private = build_content(session, interview, kind, config)
    extra = accommodations.extra_time(
        session, candidate_id=interview.candidate_id, job_id=interview.job_id
    )
    deadline = now + dt.timedelta(minutes=stage.minutes * extra.get(kind, 1.0))
    if interview.deadline_at is not None:
        deadline = min(deadline, interview.deadline_at)
    attempt = StageAttempt(
        session_id=interview.id,
        candidate_id=interview.candidate_id,
        stage=kind,
        attempt_no=attempt_no,
        state=AttemptState.active,
        started_at=now,
        deadline_at=deadline,
    )
    set_content(attempt, content)
    set_private(attempt, private)
    try:
        with session.begin_nested():
            session.add(attempt)
            session.flush()
    except IntegrityError as exc:
        raise AttemptConflictError(
            "This stage was started by another request at the same moment; reload to resume."
        ) from exc
    if interview.state is SessionState.created:
        interview.state = SessionState.in_progress
        interview.started_at = now
    audit_attempt(
        session,
        attempt,
        action="attempt.start",
        actor_id=interview.candidate_id,
        details={"deadline_at": deadline.isoformat()},
    )
    return attempt


def _running_attempt(session: Session, candidate_id: int) -> StageAttempt | None:
    """The candidate's real attempt still running by the server's clock, if any."""
    stmt = (
        select(StageAttempt)
        .join(InterviewSession)
        .where(
            StageAttempt.candidate_id == candidate_id,
            StageAttempt.state == AttemptState.active,
            InterviewSession.practice.is_(False),
        )
    )
    for attempt in session.scalars(stmt):
        settle(session, attempt)
        if attempt.state is AttemptState.active:
            return attempt
    return None


def _scored_attempts(session: Session, candidate_id: int, kind: StageKind) -> list[StageAttempt]:
    """The candidate's finished, counted attempts at a stage that have a score."""
    stmt = (
        select(StageAttempt)
        .join(InterviewSession)
        .where(
            StageAttempt.candidate_id == candidate_id,
            StageAttempt.stage == kind,
            StageAttempt.attempt_no.is_not(None),
            StageAttempt.state.in_(FINAL_STATES),
            StageAttempt.score.is_not(None),
            InterviewSession.practice.is_(False),
        )
        .order_by(StageAttempt.id)
    )
    return list(session.scalars(stmt))


def _unconfirmed_retake(
    counting: StageAttempt | None, best: StageAttempt
) -> RetakeConfirmationError:
    """The refusal that tells the candidate which score a retake could replace."""
    details: dict[str, Any] = {
        "best": {"attempt_id": best.id, "attempt_no": best.attempt_no, "score": best.score},
        "counts": None,
        "retake_counts_when_finished": counting is None or not counting.selected,
    }
    if counting is not None:
        details["counts"] = {
            "attempt_id": counting.id,
            "attempt_no": counting.attempt_no,
            "score": counting.score,
            "chosen": counting.selected,
        }
    if counting is not None and counting.selected:
        scored = f", score {counting.score:.0f}" if counting.score is not None else ""
        message = (
            f"Attempt {counting.attempt_no}{scored} counts now, as you chose. A retake uses one"
            " of your attempts and counts only if you choose it. Confirm to retake."
        )
    else:
        message = (
            f"You have a scored attempt (best: attempt {best.attempt_no}, score"
            f" {best.score:.0f}). Once finished, a retake counts instead, even with a lower"
            " score, unless you choose another attempt. Confirm to retake."
        )
    return RetakeConfirmationError(message, details=details)


def retake_stage(
    session: Session,
    *,
    attempt: StageAttempt,
    candidate: User,
    confirm: bool,
    build_content: ContentBuilder,
) -> StageAttempt:
    """Start a new attempt at the stage of `attempt`, alone in a sitting of its own.

    The stage's attempt limit, minutes and the interview's clock rules hold as for any start.
    Once a scored attempt exists, the caller must confirm (409 `retake_confirmation_required`
    otherwise): the new attempt could replace the score that counts. Nothing is stored when a
    start is refused, and a retake is audited with the attempt it follows.
    """
    settle(session, attempt)
    if attempt.session.practice:
        raise StageStateError("Practice stages are retaken by starting another practice session.")
    running = _running_attempt(session, attempt.candidate_id)
    if running is not None:
        raise StageStateError(
            f"Finish the running {running.stage.value.replace('_', ' ')} stage first.",
            details={"attempt_id": running.id, "interview_id": running.session_id},
        )
    kind = attempt.stage
    stage = config_of(attempt.session).stage(kind)
    limit = stage.attempts if stage is not None else 0
    if attempts_left(session, candidate_id=attempt.candidate_id, kind=kind, limit=limit) == 0:
        raise AttemptLimitError(f"You have used all {limit} attempts at this stage.")
    scored = _scored_attempts(session, attempt.candidate_id, kind)
    counting = counted_attempts(session, attempt.candidate_id).get(kind)
    if scored and not confirm:
        raise _unconfirmed_retake(counting, max(scored, key=lambda a: a.score or 0.0))
    # Checked before the savepoint: on SQLite a read inside it would pin a snapshot that a
    # concurrent commit (scoring) makes unwritable, and the start would fail as "locked".
    consent.require(session, candidate_id=candidate.id)
    with session.begin_nested():  # a refused start leaves no empty sitting behind
        interview = open_retake(session, candidate=candidate, source=attempt.session, kind=kind)
        new = start_stage(session, interview=interview, kind=kind, build_content=build_content)
    audit.record(
        session,
        actor_id=candidate.id,
        organization_id=candidate.organization_id,
        action="interview.retake",
        entity_type="stage_attempt",
        entity_id=new.id,
        details={
            "stage": kind.value,
            "retake_of": attempt.id,
            "attempt_no": new.attempt_no,
            "interview_id": interview.id,
            "confirmed": confirm,
            "counted_before": counting.id if counting is not None else None,
        },
    )
    return new


def check_writable(session: Session, attempt: StageAttempt) -> None:
    """Settle the attempt, then refuse unless it is still active (deadline or submitted)."""
    settle(session, attempt)
    if attempt.state is not AttemptState.active:
        if attempt.ended_by == "deadline":
            raise DeadlinePassedError(
                "The time for this stage is over; your last autosaved answer was kept."
            )
        raise StageStateError("This stage has already been submitted.")


@dataclass(frozen=True)
class SavedDraft:
    """What an autosave stored: the revision now kept and when it was saved."""

    revision: int
    saved_at: dt.datetime


def _conditional_save(*, in_time: bool) -> Update:
    """The autosave's one statement, built once: a Core UPDATE of the attempts table.

    Built per request, the ORM statement cost more CPU than the rest of the save together
    (constructing the clauses, computing its cache key, the ORM bulk-update path); one object
    reused with bound parameters skips all three, and its compiled form is cached by the engine.
    """
    attempts = StageAttempt.metadata.tables[StageAttempt.__tablename__]
    conditions = [
        attempts.c.id == bindparam("attempt_id"),
        attempts.c.candidate_id == bindparam("owner_id"),
        attempts.c.state == AttemptState.active,
        attempts.c.draft_revision < bindparam("revision"),
    ]
    if in_time:
        conditions.append(attempts.c.deadline_at >= bindparam("in_time_by"))
    return (
        update(attempts)
        .where(*conditions)
        .values(
            draft=bindparam("saved_draft", type_=attempts.c.draft.type),
            draft_revision=bindparam("revision"),
            last_saved_at=bindparam("saved_at", type_=attempts.c.last_saved_at.type),
        )
        .returning(attempts.c.draft_revision)
    )


# Before the deadline, and after it (within the grace period, checked by `check_writable`).
_SAVE_IN_TIME = _conditional_save(in_time=True)
_SAVE_IN_GRACE = _conditional_save(in_time=False)


def _store_if_newer(
    session: Session,
    *,
    attempt_id: int,
    candidate_id: int,
    revision: int,
    draft: dict[str, Any],
    now: dt.datetime,
    in_time_by: dt.datetime | None,
) -> SavedDraft | None:
    """Store the draft in one statement, only over an older revision of an active attempt.

    A check against a copy loaded earlier lost an acknowledged save under load: an older
    revision, delayed, overwrote a newer one committed in between. The database decides here,
    atomically, on both SQLite and PostgreSQL (row lock, condition re-checked after the wait).
    """
    params = {
        "attempt_id": attempt_id,
        "owner_id": candidate_id,
        "revision": revision,
        "saved_draft": draft,
        "saved_at": now,
    }
    stmt = _SAVE_IN_GRACE
    if in_time_by is not None:
        stmt, params["in_time_by"] = _SAVE_IN_TIME, in_time_by
    stored = session.execute(stmt, params).scalar()
    return SavedDraft(revision=stored, saved_at=now) if stored is not None else None


def autosave(
    session: Session,
    *,
    attempt_id: int,
    candidate_id: int,
    revision: int,
    draft: dict[str, Any],
    load: Callable[[], StageAttempt],
) -> SavedDraft:
    """Autosave: store the draft if its revision is newer; a replay of the same save is a no-op.

    The usual save is one conditional UPDATE, before the deadline, with no record loaded. When
    it changes nothing, `load` fetches the attempt (404 unless it is the caller's) and the
    reason is given: the deadline (grace included) has passed, the stage was submitted, a newer
    revision is stored (409 `stale_revision`), or this very save was already stored.
    """
    if len(json.dumps(draft)) > MAX_DRAFT_BYTES:
        raise AppError("The answer is too large to save.", code="draft_too_large", status_code=413)
    draft = checked_answer(draft)
    now = utcnow()
    args = {"attempt_id": attempt_id, "candidate_id": candidate_id, "revision": revision}
    saved = _store_if_newer(session, **args, draft=draft, now=now, in_time_by=now)
    if saved is not None:
        return saved
    attempt = load()
    session.refresh(attempt)  # the row as the failed statement saw it, not an earlier copy
    for _ in range(2):
        check_writable(session, attempt)  # settles: past the grace period the draft is final
        if revision < attempt.draft_revision or (
            revision == attempt.draft_revision and draft != attempt.draft
        ):
            raise StaleRevisionError(
                f"A newer save (revision {attempt.draft_revision}) is already stored.",
                details={"stored_revision": attempt.draft_revision},
            )
        if revision == attempt.draft_revision:
            return SavedDraft(revision=revision, saved_at=attempt.last_saved_at or now)
        # Within the grace period after the deadline: still writable, so store it after all.
        saved = _store_if_newer(session, **args, draft=draft, now=now, in_time_by=None)
        if saved is not None:
            _loaded(attempt, draft, saved)
            return saved
        session.refresh(attempt)  # a concurrent save or submit won; explain that one
    raise StageStateError("This stage changed while saving; reload it.")


def _loaded(attempt: StageAttempt, draft: dict[str, Any], saved: SavedDraft) -> None:
    """Make a loaded attempt show what the conditional UPDATE stored, without reading it back."""
    set_committed_value(attempt, "draft", draft)
    set_committed_value(attempt, "draft_revision", saved.revision)
    set_committed_value(attempt, "last_saved_at", saved.saved_at)


def save_draft(
    session: Session, *, attempt: StageAttempt, revision: int, draft: dict[str, Any]
) -> StageAttempt:
    """`autosave` for an attempt already loaded (submit, example tests); it shows the result."""
    saved = autosave(
        session,
        attempt_id=attempt.id,
        candidate_id=attempt.candidate_id,
        revision=revision,
        draft=draft,
        load=lambda: attempt,
    )
    if attempt.draft_revision != saved.revision:
        _loaded(attempt, draft, saved)
    return attempt


def submit(
    session: Session,
    *,
    attempt: StageAttempt,
    revision: int | None = None,
    answer: dict[str, Any] | None = None,
    ended_by: str = "candidate",
) -> StageAttempt:
    """Make the answer final (the given one, else the latest draft) and run the stage's hook."""
    check_writable(session, attempt)
    if answer is not None:
        next_revision = revision if revision is not None else attempt.draft_revision + 1
        save_draft(session, attempt=attempt, revision=next_revision, draft=answer)
    attempt.answer = attempt.draft
    attempt.state = AttemptState.submitted
    attempt.submitted_at = utcnow()
    attempt.ended_by = ended_by
    audit_attempt(
        session,
        attempt,
        action="attempt.submit",
        actor_id=attempt.candidate_id,
        details={"ended_by": ended_by, "revision": attempt.draft_revision},
    )
    finalised(session, attempt)
    maybe_complete(attempt.session)
    return attempt


def end_interview(session: Session, *, interview: InterviewSession) -> InterviewSession:
    """End the session now: an active stage is submitted with its latest draft."""
    settle_session(session, interview)
    if interview.state not in (SessionState.created, SessionState.in_progress):
        raise StageStateError("This interview has already ended.")
    for attempt in interview.attempts:
        if attempt.state is AttemptState.active:
            submit(session, attempt=attempt, ended_by="end_interview")
    if interview.state not in (SessionState.completed, SessionState.abandoned):
        close(interview, utcnow())
    audit.record(
        session,
        actor_id=interview.candidate_id,
        organization_id=organization_of(session, interview),
        action="interview.end",
        entity_type="interview_session",
        entity_id=interview.id,
        details={"state": interview.state.value},
    )
    return interview


def set_note(session: Session, *, attempt: StageAttempt, note: str) -> StageAttempt:
    """The candidate's own note on an attempt (what they would change next time)."""
    attempt.note = note
    return attempt


def select_attempt(session: Session, *, attempt: StageAttempt) -> StageAttempt:
    """Choose which finished attempt at a stage counts; the others are unselected."""
    settle(session, attempt)
    if attempt.state not in FINAL_STATES or attempt.attempt_no is None:
        raise StageStateError("Only a finished, counted attempt can be chosen.")
    siblings = session.scalars(
        select(StageAttempt).where(
            StageAttempt.candidate_id == attempt.candidate_id,
            StageAttempt.stage == attempt.stage,
        )
    )
    previous: list[int] = []
    for other in siblings:
        if other.selected and other.id != attempt.id:
            previous.append(other.id)
        other.selected = other.id == attempt.id
    audit_attempt(
        session,
        attempt,
        action="attempt.select",
        actor_id=attempt.candidate_id,
        details={"unselected": previous},
    )
    return attempt


def record_events(
    session: Session,
    *,
    attempt: StageAttempt,
    events: list[tuple[str, dict[str, Any], dt.datetime | None]],
) -> tuple[int, int]:
    """Store integrity signals for human review, at most `EVENTS_PER_ATTEMPT` per attempt.

    Returns (recorded, dropped): a batch that crosses the cap is stored up to it and the rest
    counted as dropped; once the attempt is full, a further batch is refused (409). Scorecards
    flag an attempt that reached the cap, so the refused signals are not silently forgotten.
    """
    stored = session.scalar(
        select(func.count())
        .select_from(IntegrityEvent)
        .where(IntegrityEvent.attempt_id == attempt.id)
    )
    room = EVENTS_PER_ATTEMPT - (stored or 0)
    if room <= 0 and events:
        raise AppError(
            f"This stage already holds {EVENTS_PER_ATTEMPT} integrity signals.",
            code="event_limit_reached",
            status_code=409,
        )
    kept = events[: max(room, 0)]
    for kind, data, client_at in kept:
        session.add(
            IntegrityEvent(attempt_id=attempt.id, kind=kind, data=data, client_at=client_at)
        )
    return len(kept), len(events) - len(kept)


def get_attempts(session: Session, *, candidate: User) -> list[StageAttempt]:
    """Every real (non-practice) attempt of the candidate, newest first, for the dashboard."""
    stmt = (
        select(StageAttempt)
        .join(InterviewSession)
        .where(StageAttempt.candidate_id == candidate.id, InterviewSession.practice.is_(False))
        .order_by(StageAttempt.id.desc())
    )
    attempts = list(session.scalars(stmt))
    for attempt in attempts:
        settle(session, attempt)
    return attempts
