"""Re-scoring stored final attempts under the current rubric versions.

When a rubric version is bumped, attempts scored under the old one keep their rows (scores are
never overwritten) and get new rows beside them; the newest row per component is current. An
attempt whose current stage score already carries the current version is skipped, so a run can be
repeated safely. Each attempt is scored outside any write transaction (on SQLite a write holds the
one writer lock) and stored in a transaction of its own: one attempt failing is reported and
the others go on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from hiresight.db import transaction
from hiresight.interviews import scoring
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import AttemptState, StageAttempt
from hiresight.interviews.scores import HUMAN_PROVIDER, current_scores
from hiresight.scoring.providers.base import AIProvider
from hiresight.scoring.types import (
    CODE_REVIEW_FLAGS_VERSION,
    ENGLISH_MC_VERSION,
    RUBRIC_VERSIONS,
    AnswerKind,
)

_FINAL = (AttemptState.submitted, AttemptState.expired)
_FREE_TEXT = {
    StageKind.resume: AnswerKind.RESUME,
    StageKind.system_design: AnswerKind.SYSTEM_DESIGN,
    StageKind.behavioral: AnswerKind.BEHAVIOURAL,
}


def current_version(stage: StageKind) -> str:
    """The rubric version a stage score of this kind gets today."""
    if stage is StageKind.english:
        return f"{ENGLISH_MC_VERSION}+{RUBRIC_VERSIONS[AnswerKind.ENGLISH_WRITING]}"
    if stage is StageKind.code_review:
        return f"{RUBRIC_VERSIONS[AnswerKind.CODE_REVIEW]}+{CODE_REVIEW_FLAGS_VERSION}"
    return RUBRIC_VERSIONS[_FREE_TEXT[stage]]


def is_current(rubric_version: str, stage: StageKind) -> bool:
    """Whether a stored stage score was made under today's rubric version.

    A score graded by a language model carries the rubric version plus its prompt version
    (`behavioural-star-rubric.v2+grade_answer.v2`); its rubric part is what counts here.
    """
    version = current_version(stage)
    return rubric_version == version or rubric_version.startswith(version + "+")


class RescoredAttempt(BaseModel):
    """One attempt re-scored (or, in a dry run, that would be)."""

    attempt_id: int
    old_version: str | None
    old_value: float | None
    new_value: float | None = None


class RescoreFailure(BaseModel):
    """An attempt that could not be re-scored, and why."""

    attempt_id: int
    error: str


class RescoreSummary(BaseModel):
    """What a re-scoring run did."""

    stage: StageKind
    rubric_version: str
    since: dt.date | None
    dry_run: bool
    considered: int = 0
    rescored: list[RescoredAttempt] = Field(default_factory=list)
    skipped: int = 0
    failed: list[RescoreFailure] = Field(default_factory=list)


def _candidates(session: Session, stage: StageKind, since: dt.date | None) -> list[int]:
    """Ids of the final attempts of `stage` with an answer, submitted on or after `since`."""
    query = select(StageAttempt.id).where(
        StageAttempt.stage == stage,
        StageAttempt.state.in_(_FINAL),
        StageAttempt.answer.is_not(None),
    )
    if since is not None:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
        query = query.where(
            func.coalesce(StageAttempt.submitted_at, StageAttempt.deadline_at) >= start
        )
    return list(session.scalars(query.order_by(StageAttempt.id)))


def rescore(
    factory: sessionmaker[Session],
    stage: StageKind,
    *,
    since: dt.date | None = None,
    dry_run: bool = False,
    ai: AIProvider | None = None,
    progress: Callable[[int], None] | None = None,
) -> RescoreSummary:
    """Re-score every final attempt of `stage` whose stage score predates today's rubric version.

    New `AttemptScore` rows are added and the attempt's score updated; old rows stay. With
    `dry_run` nothing is scored or written: the summary lists the attempts that would be.
    """
    summary = RescoreSummary(
        stage=stage, rubric_version=current_version(stage), since=since, dry_run=dry_run
    )
    with factory() as session:
        ids = _candidates(session, stage, since)
    summary.considered = len(ids)
    for attempt_id in ids:
        if progress is not None:
            progress(attempt_id)
        try:
            with factory() as session:
                attempt = session.get(StageAttempt, attempt_id)
                if attempt is None:  # deleted since the list was read
                    continue
                old = current_scores(session, attempt_id).get("stage")
                # A score a person set on re-evaluation is theirs: a new rubric does not undo it.
                human = old is not None and old.provider == HUMAN_PROVIDER
                if old is not None and (human or is_current(old.rubric_version, stage)):
                    summary.skipped += 1
                    continue
                item = RescoredAttempt(
                    attempt_id=attempt_id,
                    old_version=old.rubric_version if old else None,
                    old_value=old.value if old else None,
                )
                if dry_run:
                    summary.rescored.append(item)
                    continue
                scores = scoring.compute_scores(attempt, ai)
            with transaction(factory) as session:
                attempt = session.get(StageAttempt, attempt_id)
                if attempt is None:
                    continue
                scoring.store_scores(session, attempt, scores)
            item.new_value = scores["stage"].value
            summary.rescored.append(item)
        except Exception as exc:  # one bad attempt must not stop the run; it is reported
            summary.failed.append(
                RescoreFailure(attempt_id=attempt_id, error=f"{type(exc).__name__}: {exc}")
            )
    return summary
