"""Candidate requests: asked by a candidate, answered by a recruiter, every step audited.

A re-evaluation that changes a score adds a stored score row by the person (provider `human`)
beside the software's rows, which are never overwritten (`interviews.scores`), and makes it the
attempt's score; the software's score stays on the request and in the earlier rows.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.appeals import access
from hiresight.appeals.errors import (
    AlreadyResolvedError,
    NotScoredError,
    RequestExistsError,
    ResolutionError,
)
from hiresight.appeals.models import CandidateRequest, RequestKind, RequestState
from hiresight.audit import service as audit
from hiresight.db import utcnow
from hiresight.interviews import sessions
from hiresight.interviews.models import AttemptState, StageAttempt
from hiresight.interviews.scores import HUMAN_PROVIDER, AttemptScore, current_scores
from hiresight.jobs.models import Job
from hiresight.webhooks import service as webhooks

HUMAN_RUBRIC = "human-review"
Outcome = Literal["upheld", "score_changed", "answered"]


def _audit(
    session: Session, actor: User, request: CandidateRequest, action: str, **details: object
) -> None:
    audit.record(
        session,
        actor_id=actor.id,
        organization_id=request.organization_id,
        action=action,
        entity_type="candidate_request",
        entity_id=request.id,
        details={"kind": request.kind.value, "candidate_id": request.candidate_id, **details},
    )


def request_re_evaluation(
    session: Session, *, candidate: User, attempt: StageAttempt, reason: str
) -> CandidateRequest:
    """Ask a person to review one of the candidate's scored stage attempts.

    Only a finished, counted attempt of a real interview with a score qualifies (409
    `not_scored`); one request per attempt (409 `re_evaluation_exists`).
    """
    final = attempt.state in (AttemptState.submitted, AttemptState.expired)
    if attempt.session.practice or attempt.attempt_no is None or not final or attempt.score is None:
        raise NotScoredError("Only a finished, scored stage of a real interview can be reviewed.")
    taken = session.scalar(
        select(CandidateRequest.id).where(CandidateRequest.attempt_id == attempt.id)
    )
    if taken is not None:
        raise RequestExistsError(
            "You already asked for a review of this attempt.", details={"request_id": taken}
        )
    request = CandidateRequest(
        kind=RequestKind.re_evaluation,
        candidate_id=candidate.id,
        organization_id=sessions.organization_of(session, attempt.session),
        attempt_id=attempt.id,
        job_id=attempt.session.job_id,
        reason=reason,
        state=RequestState.open,
        ai_score=attempt.score,
        created_at=utcnow(),
    )
    session.add(request)
    session.flush()
    _audit(session, candidate, request, "re_evaluation.request", attempt_id=attempt.id,
           stage=attempt.stage.value, ai_score=attempt.score)  # fmt: skip
    return request


def request_alternative(
    session: Session, *, candidate: User, job: Job, reason: str
) -> CandidateRequest:
    """Ask the recruiters of a job the candidate applied to for another assessment process."""
    request = CandidateRequest(
        kind=RequestKind.alternative_process,
        candidate_id=candidate.id,
        organization_id=job.organization_id,
        job_id=job.id,
        reason=reason,
        state=RequestState.open,
        created_at=utcnow(),
    )
    session.add(request)
    session.flush()
    _audit(session, candidate, request, "alternative_process.request", job_id=job.id)
    return request


def get_for_candidate(session: Session, *, candidate: User) -> list[CandidateRequest]:
    """The candidate's own requests, newest first."""
    stmt = (
        select(CandidateRequest)
        .where(CandidateRequest.candidate_id == candidate.id)
        .order_by(CandidateRequest.id.desc())
    )
    return list(session.scalars(stmt))


def get_for_staff(
    session: Session, *, user: User, state: RequestState | None = None, limit: int = 200
) -> list[CandidateRequest]:
    """The requests addressed to the staff member's organization: open ones first, oldest first
    among them (the longest waiting is answered first), then the resolved, newest first."""
    stmt = access.visible_requests(user)
    if state is not None:
        stmt = stmt.where(CandidateRequest.state == state)
    rows = list(session.scalars(stmt.order_by(CandidateRequest.id.desc()).limit(limit)))
    open_rows = sorted((r for r in rows if r.state is RequestState.open), key=lambda r: r.id)
    return open_rows + [r for r in rows if r.state is not RequestState.open]


def open_count(session: Session, *, user: User, job_id: int | None = None) -> int:
    """How many requests wait for the staff member's organization (optionally for one job)."""
    visible = access.visible_requests(user).where(CandidateRequest.state == RequestState.open)
    if job_id is not None:
        visible = visible.where(CandidateRequest.job_id == job_id)
    return session.scalar(select(func.count()).select_from(visible.subquery())) or 0


def _human_score(
    session: Session, request: CandidateRequest, attempt: StageAttempt, score: float, note: str
) -> None:
    """A stage score set by a person: a new current row beside the software's rows, sent to
    the organization's `attempt.scored` webhooks like any other stored score."""
    ai = current_scores(session, attempt.id).get("stage")
    session.add(
        AttemptScore(
            attempt_id=attempt.id,
            component="stage",
            value=score,
            rubric_version=HUMAN_RUBRIC,
            provider=HUMAN_PROVIDER,
            evidence=list(ai.evidence) if ai is not None else [],
            points_missed=list(ai.points_missed) if ai is not None else [],
            closest=list(ai.closest) if ai is not None else [],
            sub_scores=dict(ai.sub_scores) if ai is not None else {},
            notes=[f"Score set by a person on re-evaluation: {note}"],
            created_at=utcnow(),
        )
    )
    attempt.score = score
    stage = {"value": score, "rubric_version": HUMAN_RUBRIC, "model": HUMAN_PROVIDER,
             "fallback": False}  # fmt: skip
    if request.organization_id is None:
        return  # addressed to no one organization: nothing to send
    webhooks.emit(
        session,
        organization_id=request.organization_id,
        event_type=webhooks.ATTEMPT_SCORED,
        data={
            "attempt_id": attempt.id,
            "interview_id": attempt.session_id,
            "candidate_id": attempt.candidate_id,
            "job_id": request.job_id,
            "stage": attempt.stage.value,
            "score": score,
            "components": {"stage": stage},
        },
    )


def resolve(
    session: Session,
    *,
    actor: User,
    request: CandidateRequest,
    outcome: Outcome,
    note: str,
    score: float | None = None,
) -> CandidateRequest:
    """Resolve an open request with a note; a re-evaluation is upheld or its score changed.

    A changed score needs the new score (422 `invalid_resolution` otherwise) and is recorded as
    a human override: the person, their reason, the software's score and theirs, audited.
    """
    if request.state is not RequestState.open:
        raise AlreadyResolvedError("This request has been resolved already.")
    if request.kind is RequestKind.alternative_process and outcome != "answered":
        raise ResolutionError("A request for another process is answered with a note.")
    if request.kind is RequestKind.re_evaluation and outcome == "answered":
        raise ResolutionError("A re-evaluation is upheld, or its score is changed.")
    if (outcome == "score_changed") != (score is not None):
        raise ResolutionError("Give the new score exactly when the score is changed.")
    if outcome == "score_changed" and request.attempt is not None and score is not None:
        _human_score(session, request, request.attempt, score, note)
        request.human_score = score
    request.state = RequestState(outcome)
    request.resolution_note = note
    request.resolved_by_id = actor.id
    request.resolved_at = utcnow()
    _audit(session, actor, request, f"{request.kind.value}.resolve", outcome=outcome, note=note,
           attempt_id=request.attempt_id, ai_score=request.ai_score, human_score=score)  # fmt: skip
    return request
