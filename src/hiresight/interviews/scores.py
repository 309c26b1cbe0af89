"""Stored scores: every score with its rubric version, provider and evidence, never overwritten.

Beside the table are its reads: the current score per component of an attempt, the attempts that
count for a candidate, and the overall score the scorecard and the job recommendations share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVarTuple

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    exists,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql import ColumnElement, Select

from hiresight.db import Base, UTCDateTime, utcnow
from hiresight.interviews import access
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import AttemptState, InterviewSession, StageAttempt

# The provider of a score a person set on re-evaluation: it stays current until a person changes it.
HUMAN_PROVIDER = "human"
# How much each stage weighs in the overall score; the code review is the heart of the interview.
STAGE_WEIGHTS = {
    StageKind.code_review: 0.35,
    StageKind.resume: 0.2,
    StageKind.system_design: 0.15,
    StageKind.behavioral: 0.15,
    StageKind.english: 0.15,
}
# Candidates per statement of `overall_scores`: one bound parameter each, well under SQLite's
# 32,766 and PostgreSQL's 65,535, so an audit of thousands of applicants is still one query.
_BATCH = 5000
# The row type of a statement `_finished_counted` filters.
SelectRow = TypeVarTuple("SelectRow")


class AttemptScore(Base):
    """One component score of one attempt (e.g. the stage, or bug identification).

    Re-scoring with a new rubric version adds rows; the newest row per component is current
    and older ones stay for comparison.
    """

    __tablename__ = "attempt_scores"
    __table_args__ = (Index("ix_attempt_scores_attempt_component", "attempt_id", "component"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("stage_attempts.id", ondelete="CASCADE"))
    component: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    rubric_version: Mapped[str] = mapped_column(String(60))
    provider: Mapped[str] = mapped_column(String(60))
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    points_missed: Mapped[list[str]] = mapped_column(JSON, default=list)
    # For each missed point, the answer's sentence that came closest to it (same shape as
    # `evidence`); rows scored before it existed hold an empty list.
    closest: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    sub_scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    fallback_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


def current_scores(session: Session, attempt_id: int) -> dict[str, AttemptScore]:
    """The newest score per component of an attempt."""
    rows = session.scalars(
        select(AttemptScore).where(AttemptScore.attempt_id == attempt_id).order_by(AttemptScore.id)
    )
    return {row.component: row for row in rows}


def _finished_counted(
    stmt: Select[*SelectRow], who: ColumnElement[bool], organization_id: int | None
) -> Select[*SelectRow]:
    """`stmt` over the finished attempts that count for `who` (practice and unnumbered attempts
    excluded), oldest first; for an organization's reader, only the results it may share.
    The one filter `counted_attempts` and `overall_scores` both read."""
    stmt = (
        stmt.join(InterviewSession)
        .where(
            who,
            InterviewSession.practice.is_(False),
            StageAttempt.attempt_no.is_not(None),
            StageAttempt.state.in_([AttemptState.submitted, AttemptState.expired]),
        )
        .order_by(StageAttempt.id)
    )
    if organization_id is not None:
        stmt = stmt.where(access.results_shared_with(organization_id))
    return stmt


def counted_attempts(
    session: Session, candidate_id: int, organization_id: int | None = None
) -> dict[StageKind, StageAttempt]:
    """Per stage, the chosen attempt, else the latest finished counted one (practice excluded).

    For an organization's reader only the results it may share count: the screening not tied
    to any job, and its own jobs' interviews (`access.results_shared_with`).
    """
    stmt = _finished_counted(
        select(StageAttempt), StageAttempt.candidate_id == candidate_id, organization_id
    )
    chosen: dict[StageKind, StageAttempt] = {}
    for attempt in session.scalars(stmt):
        current = chosen.get(attempt.stage)
        if current is None or not current.selected:
            chosen[attempt.stage] = attempt
    return chosen


def stage_attempts(
    session: Session, candidate_id: int, organization_id: int | None = None
) -> dict[StageKind, list[StageAttempt]]:
    """Per stage, every counted attempt (practice excluded), oldest first, as `counted_attempts`
    shares them: for an organization's reader only the results it may see."""
    stmt = (
        select(StageAttempt)
        .join(InterviewSession)
        .where(
            StageAttempt.candidate_id == candidate_id,
            InterviewSession.practice.is_(False),
            StageAttempt.attempt_no.is_not(None),
        )
        .order_by(StageAttempt.id)
    )
    if organization_id is not None:
        stmt = stmt.where(access.results_shared_with(organization_id))
    every: dict[StageKind, list[StageAttempt]] = {}
    for attempt in session.scalars(stmt):
        every.setdefault(attempt.stage, []).append(attempt)
    return every


def scored_ids(session: Session, attempt_ids: list[int]) -> set[int]:
    """The attempts among these with a stored score row (a stage counts once it has one)."""
    if not attempt_ids:
        return set()
    stmt = select(AttemptScore.attempt_id).where(AttemptScore.attempt_id.in_(attempt_ids))
    return set(session.scalars(stmt.distinct()))


def weighted_overall(scores: dict[StageKind, float | None]) -> float | None:
    """The overall score: the STAGE_WEIGHTS mean of the scored stages (None if none is scored).

    Stages are summed in StageKind order whoever calls, so every reader rounds the same sum.
    """
    scored = {kind: v for kind in StageKind if (v := scores.get(kind)) is not None}
    if not scored:
        return None
    total = sum(STAGE_WEIGHTS[kind] * v for kind, v in scored.items())
    return round(total / sum(STAGE_WEIGHTS[kind] for kind in scored), 1)


def overall_score(
    session: Session, candidate_id: int, organization_id: int | None = None
) -> float | None:
    """A candidate's overall score as the scorecard gives it, read from the stored scores alone.

    The same counted attempts and weights as the scorecard, without its transcript, evidence or
    integrity checks, for readers that need only the number (recommendations, ranking). A stage
    counts once it has a stored score row, as on the scorecard.
    """
    attempts = counted_attempts(session, candidate_id, organization_id)
    if not attempts:
        return None
    with_rows = scored_ids(session, [a.id for a in attempts.values()])
    return weighted_overall(
        {kind: a.score if a.id in with_rows else None for kind, a in attempts.items()}
    )


def overall_scores(
    session: Session, candidate_ids: Iterable[int], organization_id: int | None = None
) -> dict[int, float | None]:
    """`overall_score` of many candidates at once: one statement per 5,000 candidates.

    The same rules as `counted_attempts` and `scored_ids` (practice excluded, a selected attempt
    before the latest, a stage counting once it has a score row) read in one pass: each counted
    attempt comes with whether a score row exists. Reports over every applicant of an
    organization called `overall_score` per candidate, two statements each. Every candidate
    asked about is in the result, None for those without a scored stage.
    """
    ids = sorted(set(candidate_ids))
    chosen: dict[int, dict[StageKind, tuple[bool, float | None, bool]]] = {i: {} for i in ids}
    has_row = exists().where(AttemptScore.attempt_id == StageAttempt.id)
    for start in range(0, len(ids), _BATCH):
        columns = select(
            StageAttempt.candidate_id,
            StageAttempt.stage,
            StageAttempt.selected,
            StageAttempt.score,
            has_row,
        )
        batch = StageAttempt.candidate_id.in_(ids[start : start + _BATCH])
        for candidate_id, stage, selected, score, scored in session.execute(
            _finished_counted(columns, batch, organization_id)
        ):
            stages = chosen[candidate_id]
            current = stages.get(stage)
            if current is None or not current[0]:
                stages[stage] = (selected, score, scored)
    return {
        candidate_id: weighted_overall(
            {kind: score if scored else None for kind, (_, score, scored) in stages.items()}
        )
        for candidate_id, stages in chosen.items()
    }
