"""Integrity signals summarised into flags for a human reviewer.

Flags never change a score: they travel next to it (`ReviewedAnswer`) so a recruiter can look,
and Hiresight never rejects anyone automatically. Thresholds are deliberately loose; a flag is a
reason to read the answer, not evidence of cheating.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Mapping
from typing import Literal

from pydantic import BaseModel, Field

from hiresight.embeddings import Embedder
from hiresight.scoring import similarity
from hiresight.scoring.types import INTEGRITY_VERSION, Score

FlagCode = Literal["focus_loss", "large_paste", "typing_cadence", "near_duplicate"]
FOCUS_LOSS_COUNT = 3
FOCUS_LOSS_SECONDS = 60.0
LARGE_PASTE_CHARS = 200
ROBUST_Z = 3.5  # Iglewicz & Hoaglin (1993): |modified z| > 3.5 marks a likely outlier.
NEAR_DUPLICATE_COSINE = 0.95


class FocusLoss(BaseModel):
    """The interview window lost focus for `duration_s` seconds."""

    duration_s: float = Field(ge=0)


class Paste(BaseModel):
    """Text pasted into the answer box."""

    chars: int = Field(ge=0)


class AnswerSignals(BaseModel):
    """What the client recorded while one candidate answered one question."""

    candidate_id: str
    stage: str
    answer_chars: int = Field(ge=0)
    active_seconds: float = Field(ge=0)
    focus_losses: list[FocusLoss] = Field(default_factory=list)
    pastes: list[Paste] = Field(default_factory=list)


class IntegrityFlag(BaseModel):
    """One reason for a human to look at an answer."""

    code: FlagCode
    message: str
    value: float


class IntegrityReport(BaseModel):
    """All flags for one answer, with the rules version that raised them."""

    candidate_id: str
    flags: list[IntegrityFlag]
    version: str = INTEGRITY_VERSION


class ReviewedAnswer(BaseModel):
    """A score and its integrity flags side by side; the flags never alter the score."""

    score: Score
    integrity: IntegrityReport


def chars_per_second(signals: AnswerSignals) -> float:
    """Typing cadence of an answer (0 when no active time was recorded)."""
    return signals.answer_chars / signals.active_seconds if signals.active_seconds else 0.0


def robust_z(value: float, population: list[float]) -> float:
    """Modified z-score of `value` against `population` (median and MAD; 0 if MAD is 0)."""
    if len(population) < 3:
        return 0.0
    med = statistics.median(population)
    mad = statistics.median(abs(x - med) for x in population)
    return 0.6745 * (value - med) / mad if mad else 0.0


def summarise(signals: AnswerSignals, stage_cadences: list[float] | None = None) -> IntegrityReport:
    """Turn one answer's signals into flags; `stage_cadences` are peers' chars/second."""
    flags: list[IntegrityFlag] = []
    losses = len(signals.focus_losses)
    away = sum(f.duration_s for f in signals.focus_losses)
    if losses >= FOCUS_LOSS_COUNT or away >= FOCUS_LOSS_SECONDS:
        flags.append(
            IntegrityFlag(
                code="focus_loss",
                message=f"left the interview window {losses} times, {away:.0f} s in total",
                value=away,
            )
        )
    big = [p.chars for p in signals.pastes if p.chars >= LARGE_PASTE_CHARS]
    if big:
        flags.append(
            IntegrityFlag(
                code="large_paste",
                message=f"{len(big)} paste(s) of {LARGE_PASTE_CHARS}+ chars, largest {max(big)}",
                value=float(max(big)),
            )
        )
    if stage_cadences:
        rate = chars_per_second(signals)
        z = robust_z(rate, stage_cadences)
        if abs(z) > ROBUST_Z:
            flags.append(
                IntegrityFlag(
                    code="typing_cadence",
                    message=f"{rate:.1f} chars/s is unusual for this stage (robust z {z:+.1f})",
                    value=z,
                )
            )
    return IntegrityReport(candidate_id=signals.candidate_id, flags=flags)


def near_duplicates(
    answers: Mapping[str, str],
    threshold: float = NEAR_DUPLICATE_COSINE,
    embedder: Embedder | None = None,
) -> list[tuple[str, str, float]]:
    """Pairs of candidates (same stage) whose answers have embedding cosine >= `threshold`."""
    ids = [cid for cid, text in answers.items() if text.strip()]
    if len(ids) < 2:
        return []
    vecs = similarity.embed([answers[c] for c in ids], embedder)
    sims = vecs @ vecs.T
    pairs: list[tuple[str, str, float]] = []
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            if sims[i, j] >= threshold:
                pairs.append((ids[i], ids[j], float(sims[i, j])))
    return pairs


def duplicate_flag(
    candidate_id: str,
    pairs: list[tuple[str, str, float]],
    visible: Collection[str] = frozenset(),
) -> IntegrityFlag | None:
    """The near-duplicate flag for one candidate, naming the closest other candidate.

    The other candidate is named only when they are in `visible` (someone the reader may look
    up); otherwise the match is described without saying whose answer it was.
    """
    mine = [(b if a == candidate_id else a, s) for a, b, s in pairs if candidate_id in (a, b)]
    if not mine:
        return None
    other, sim = max(mine, key=lambda t: t[1])
    whose = f"candidate {other}'s" if other in visible else "another candidate's answer"
    return IntegrityFlag(
        code="near_duplicate",
        message=f"answer is near-identical to {whose} (cosine {sim:.3f})",
        value=sim,
    )


def review(score: Score, report: IntegrityReport) -> ReviewedAnswer:
    """Put flags next to a score for human review; the score is passed through unchanged."""
    return ReviewedAnswer(score=score, integrity=report)
