"""Scorecards: a candidate's stage results with evidence, integrity flags and a recommendation.

A scorecard gathers, per stage, the attempt the candidate chose (else their latest finished,
counted attempt), so a stage taken once serves every job whose template has it. Beside it, every
counted attempt at the stage is listed with its score, time, integrity flags and the candidate's
note, marking the one that counts. The
recommendation is advice for a recruiter to confirm or override: nothing is auto-rejected.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from typing import Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.interviews.attempt_data.answers import (
    CodeReviewAnswer,
    EnglishAnswer,
    QuestionsAnswer,
)
from hiresight.interviews.attempt_data.columns import (
    attempt_answer,
    attempt_content,
    attempt_private,
    attempt_result,
)
from hiresight.interviews.attempt_data.stored import (
    CodeReviewContent,
    CodeReviewPrivate,
    CodeReviewResult,
    EnglishContent,
    McQuestion,
    TextQuestion,
)
from hiresight.interviews.config import StageKind
from hiresight.interviews.errors import AttemptDataError
from hiresight.interviews.models import AttemptState, IntegrityEvent, InterviewSession, StageAttempt
from hiresight.interviews.schemas import (
    EVENTS_PER_ATTEMPT,
    FocusGainedEvent,
    FocusLostEvent,
    IntegrityEventIn,
    PasteEvent,
)
from hiresight.interviews.scores import (
    counted_attempts,
    current_scores,
    scored_ids,
    stage_attempts,
    weighted_overall,
)
from hiresight.interviews.voice import service as voice
from hiresight.interviews.voice.schemas import RecordingView
from hiresight.jobs import access as job_access
from hiresight.scoring.integrity import (
    AnswerSignals,
    FocusLoss,
    Paste,
    duplicate_flag,
    near_duplicates,
    summarise,
)
from hiresight.scoring.types import SCORECARD_VERSION

# Stored signals are read back through the same shapes the API accepts; rows written before
# those shapes existed may not fit, and are skipped and flagged instead of failing the reader.
_EVENT: TypeAdapter[FocusLostEvent | FocusGainedEvent | PasteEvent] = TypeAdapter(IntegrityEventIn)
Recommendation = Literal["strong_yes", "yes", "lean_no", "no"]
THRESHOLDS: list[tuple[float, Recommendation]] = [(75, "strong_yes"), (60, "yes"), (45, "lean_no")]


class ComponentResult(BaseModel):
    """One scored component with its provenance."""

    value: float
    rubric_version: str
    provider: str
    fallback: bool = False
    fallback_reason: str | None = None
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    points_missed: list[str] = Field(default_factory=list)
    # For each missed point, the answer's sentence that came closest (an Evidence dict).
    closest: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    sub_scores: dict[str, Any] = Field(default_factory=dict)

    def missed_with_closest(self) -> list[tuple[str, dict[str, Any] | None]]:
        """Each missed point with the answer's sentence that came closest to it, if stored."""
        best: dict[str, dict[str, Any]] = {}
        for e in self.closest:
            point = str(e.get("point"))
            if point not in best or e.get("similarity", 0) > best[point].get("similarity", 0):
                best[point] = e
        return [(p, best.get(p)) for p in self.points_missed]


def shown_score(value: float | None) -> int | None:
    """A stored stage score as every page shows it: rounded half up, as the interview room's
    `Math.round` does. Python's `round` (and Jinja's) rounds half to even, so a stored 98.5 read
    98 on the scorecard and 99 in the room."""
    return None if value is None else math.floor(value + 0.5)


class StageResult(BaseModel):
    """A stage's counted attempt and its scores."""

    stage: StageKind
    attempt_id: int
    attempt_no: int | None
    state: AttemptState
    submitted_at: dt.datetime | None
    score: float | None
    components: dict[str, ComponentResult]
    # Every counted attempt at the stage, oldest first, the one above marked `counts`.
    attempts: list[AttemptRow] = Field(default_factory=list)
    transcript: list[dict[str, str]] = Field(default_factory=list)
    code: dict[str, Any] | None = None
    # Spoken answers: the audio, the timed transcript and the corrected text submitted.
    recordings: list[RecordingView] = Field(default_factory=list)

    @property
    def score_shown(self) -> int | None:
        """The stage score as pages show it (`shown_score`)."""
        return shown_score(self.score)


class IntegrityItem(BaseModel):
    """One reason for a human to look closer; never part of a score."""

    stage: StageKind
    code: str
    message: str


class AttemptRow(BaseModel):
    """One counted attempt at a stage, as a recruiter compares a candidate's attempts."""

    attempt_id: int
    attempt_no: int | None
    state: AttemptState
    started_at: dt.datetime
    submitted_at: dt.datetime | None
    seconds: float | None = Field(description="Time from start to the final answer.")
    score: float | None
    integrity: list[IntegrityItem]
    note: str = Field(description="The candidate's own note on this attempt.")
    chosen: bool = Field(description="The candidate chose this attempt to count.")
    counts: bool = Field(description="The attempt this scorecard counts for the stage.")


StageResult.model_rebuild()


class Scorecard(BaseModel):
    """Everything a recruiter reviews about one candidate."""

    version: str = SCORECARD_VERSION
    candidate_id: int
    candidate_name: str
    stages: list[StageResult]
    missing_stages: list[StageKind]
    overall: float | None
    cefr: str | None
    recommendation: Recommendation | None
    reasons: list[str]
    integrity: list[IntegrityItem]


def _transcript(attempt: StageAttempt) -> list[dict[str, str]]:
    given = attempt_answer(attempt)
    content = attempt_content(attempt)
    answers = given.answers if isinstance(given, QuestionsAnswer) else {}
    rows = []
    for q in content.questions:
        if not isinstance(q, (McQuestion, TextQuestion)):
            continue
        answer = answers.get(q.id)
        if isinstance(q, McQuestion) and isinstance(answer, int):
            answer = q.options[answer] if 0 <= answer < len(q.options) else ""
        rows.append({"question": q.text, "answer": str(answer or "")})
    if isinstance(given, EnglishAnswer) and given.writing:
        task = content.writing if isinstance(content, EnglishContent) else None
        writing = task.prompt if task is not None else "Writing sample"
        rows.append({"question": writing, "answer": given.writing})
    if isinstance(given, CodeReviewAnswer) and given.explanation:
        rows.append({"question": "Explanation of the fixes", "answer": given.explanation})
    return rows


def _code(attempt: StageAttempt) -> dict[str, Any] | None:
    if attempt.stage is not StageKind.code_review:
        return None
    challenge = attempt_content(attempt, CodeReviewContent).challenge
    answer = attempt_answer(attempt, CodeReviewAnswer) or CodeReviewAnswer()
    result = attempt_result(attempt, CodeReviewResult)
    original = challenge.files
    files = answer.files or {}
    diff = "".join(
        "".join(
            difflib.unified_diff(
                original[name].splitlines(keepends=True),
                files.get(name, original[name]).splitlines(keepends=True),
                fromfile=f"a/{name}",
                tofile=f"b/{name}",
            )
        )
        for name in sorted(original)
    )
    return {
        "challenge_id": attempt_private(attempt, CodeReviewPrivate).challenge_id,
        "title": challenge.title,
        "diff": diff,
        "flags": [flag.stored() for flag in answer.flags or []],
        "grade": result.grade.model_dump(mode="json") if result and result.grade else None,
    }


def _answer_text(attempt: StageAttempt) -> str:
    try:
        answer = attempt_answer(attempt)
    except AttemptDataError:
        return ""  # a peer's unreadable answer adds nothing to the comparison, as none would
    parts = (
        [v for v in answer.answers.values() if isinstance(v, str)]
        if isinstance(answer, QuestionsAnswer)
        else []
    )
    if isinstance(answer, EnglishAnswer) and answer.writing:
        parts.append(answer.writing)
    if isinstance(answer, CodeReviewAnswer) and answer.explanation:
        parts.append(answer.explanation)
    return "\n".join(parts)


def _active_seconds(attempt: StageAttempt) -> float:
    end = attempt.submitted_at or attempt.deadline_at
    return max(1.0, (end - attempt.started_at).total_seconds())


def _peers(session: Session, attempt: StageAttempt, limit: int = 200) -> list[StageAttempt]:
    """Other candidates' finished attempts at the same stage (the comparison population)."""
    stmt = (
        select(StageAttempt)
        .join(InterviewSession)
        .where(
            StageAttempt.stage == attempt.stage,
            StageAttempt.candidate_id != attempt.candidate_id,
            StageAttempt.state.in_([AttemptState.submitted, AttemptState.expired]),
            InterviewSession.practice.is_(False),
        )
        .order_by(StageAttempt.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def _signals(
    session: Session, attempt: StageAttempt
) -> tuple[list[FocusLoss], list[Paste], int, int]:
    """The attempt's focus losses and pastes, the count of rows that could not be read, and
    the count of rows stored."""
    stmt = select(IntegrityEvent.kind, IntegrityEvent.data).where(
        IntegrityEvent.attempt_id == attempt.id
    )
    losses: list[FocusLoss] = []
    pastes: list[Paste] = []
    unreadable = stored = 0
    for kind, data in session.execute(stmt):
        stored += 1
        try:
            event = _EVENT.validate_python({"kind": kind, "data": data})
        except ValidationError:
            unreadable += 1
            continue
        if isinstance(event, FocusGainedEvent):
            losses.append(FocusLoss(duration_s=event.data.ms / 1000))
        elif isinstance(event, PasteEvent):
            pastes.append(Paste(chars=event.data.chars))
    return losses, pastes, unreadable, stored


def _signal_items(stage: StageKind, unreadable: int, stored: int) -> list[IntegrityItem]:
    """Flags about the recording itself: rows skipped as unreadable, or the cap reached."""
    items = []
    if unreadable:
        items.append(IntegrityItem(
            stage=stage, code="unreadable_signals",
            message=f"{unreadable} recorded signal(s) could not be read and were skipped",
        ))  # fmt: skip
    if stored >= EVENTS_PER_ATTEMPT:
        items.append(IntegrityItem(
            stage=stage, code="signal_limit",
            message=f"the stage reached its limit of {EVENTS_PER_ATTEMPT} signals; "
            "later ones were refused",
        ))  # fmt: skip
    return items


def _integrity(
    session: Session, attempt: StageAttempt, organization_id: int | None
) -> list[IntegrityItem]:
    losses, pastes, unreadable, stored = _signals(session, attempt)
    text = _answer_text(attempt)
    peers = _peers(session, attempt)
    cadences = [len(_answer_text(p)) / _active_seconds(p) for p in peers]
    signals = AnswerSignals(
        candidate_id=str(attempt.candidate_id),
        stage=attempt.stage.value,
        answer_chars=len(text),
        active_seconds=_active_seconds(attempt),
        focus_losses=losses,
        pastes=pastes,
    )
    report = summarise(signals, stage_cadences=cadences)
    flags = [
        IntegrityItem(stage=attempt.stage, code=f.code, message=f.message) for f in report.flags
    ]
    flags += _signal_items(attempt.stage, unreadable, stored)
    if text.strip() and peers:
        answers = {str(p.candidate_id): _answer_text(p) for p in peers}
        answers[str(attempt.candidate_id)] = text
        # Name a matching candidate only to a reader who may look them up.
        named = (
            job_access.applicant_ids(session, organization_id, {p.candidate_id for p in peers})
            if organization_id is not None
            else set()
        )
        duplicate = duplicate_flag(
            str(attempt.candidate_id), near_duplicates(answers), {str(c) for c in named}
        )
        if duplicate is not None:
            flags.append(
                IntegrityItem(stage=attempt.stage, code=duplicate.code, message=duplicate.message)
            )
    return flags


def _attempt_rows(
    session: Session,
    attempts: list[StageAttempt],
    counted: StageAttempt,
    counted_flags: list[IntegrityItem],
    organization_id: int | None,
) -> list[AttemptRow]:
    """Each counted attempt at a stage with its score (once stored), time, integrity flags and
    note; the counted attempt's flags are the ones the scorecard already raised."""
    scored = scored_ids(session, [a.id for a in attempts])
    rows = []
    for a in attempts:
        flags = counted_flags if a.id == counted.id else _integrity(session, a, organization_id)
        seconds = (a.submitted_at - a.started_at).total_seconds() if a.submitted_at else None
        rows.append(AttemptRow(
            attempt_id=a.id, attempt_no=a.attempt_no, state=a.state, started_at=a.started_at,
            submitted_at=a.submitted_at, seconds=seconds,
            score=a.score if a.id in scored else None, integrity=flags, note=a.note,
            chosen=a.selected, counts=a.id == counted.id,
        ))  # fmt: skip
    return rows


def recommend(overall: float | None, missing: list[StageKind]) -> Recommendation | None:
    """The advisory label for an overall score (none until a stage is scored)."""
    if overall is None:
        return None
    return next((label for cut, label in THRESHOLDS if overall >= cut), "no")


def build(session: Session, candidate: User, *, organization_id: int | None = None) -> Scorecard:
    """The scorecard of a candidate, as an organization's staff may read it.

    With `organization_id` only the results shared with that organization count, and integrity
    flags name only its own applicants; without it (the candidate's own view) every result
    counts and no one else is named.
    """
    attempts = counted_attempts(session, candidate.id, organization_id)
    every = stage_attempts(session, candidate.id, organization_id)
    stages: list[StageResult] = []
    integrity: list[IntegrityItem] = []
    for kind in StageKind:
        attempt = attempts.get(kind)
        if attempt is None:
            continue
        rows = current_scores(session, attempt.id)
        components = {
            name: ComponentResult(
                value=row.value, rubric_version=row.rubric_version, provider=row.provider,
                fallback=row.fallback, fallback_reason=row.fallback_reason, evidence=row.evidence,
                points_missed=row.points_missed, closest=row.closest, notes=row.notes,
                sub_scores=row.sub_scores,
            )
            for name, row in rows.items()
        }  # fmt: skip
        flags = _integrity(session, attempt, organization_id)
        stages.append(StageResult(
            stage=kind, attempt_id=attempt.id, attempt_no=attempt.attempt_no, state=attempt.state,
            submitted_at=attempt.submitted_at, score=attempt.score if rows else None,
            components=components, transcript=_transcript(attempt), code=_code(attempt),
            recordings=voice.scorecard_recordings(session, attempt),
            attempts=_attempt_rows(session, every.get(kind, []), attempt, flags, organization_id),
        ))  # fmt: skip
        integrity += flags
    # The same helper as `interviews.scores.overall_score`, so the card and the cheap read never
    # disagree.
    overall = weighted_overall({s.stage: s.score for s in stages})
    missing = [kind for kind in StageKind if kind not in attempts]
    return Scorecard(
        candidate_id=candidate.id, candidate_name=candidate.full_name, stages=stages,
        missing_stages=missing, overall=overall, cefr=_cefr(stages),
        recommendation=recommend(overall, missing), reasons=_reasons(stages, missing),
        integrity=integrity,
    )  # fmt: skip


def _cefr(stages: list[StageResult]) -> str | None:
    for stage in stages:
        if stage.stage is StageKind.english and "stage" in stage.components:
            for note in stage.components["stage"].notes:
                if note.startswith("CEFR "):
                    return note.removeprefix("CEFR ")
    return None


def _reasons(stages: list[StageResult], missing: list[StageKind]) -> list[str]:
    reasons = []
    scored = sorted((s for s in stages if s.score is not None), key=lambda s: -(s.score or 0))
    if scored:
        best = scored[0]
        reasons.append(
            f"strongest stage: {best.stage.value.replace('_', ' ')} ({best.score_shown})"
        )
        worst = scored[-1]
        if len(scored) > 1:
            reasons.append(
                f"weakest stage: {worst.stage.value.replace('_', ' ')} ({worst.score_shown})"
            )
    for stage in stages:
        if any(c.fallback for c in stage.components.values()):
            reasons.append(f"{stage.stage.value}: the AI provider fell back to the rubric engine")
    if missing:
        reasons.append("not taken yet: " + ", ".join(k.value.replace("_", " ") for k in missing))
    return reasons
