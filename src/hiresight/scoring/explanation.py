"""Code review: scoring the candidate's explanation of the bugs by Problem, Solution and Impact.

The ideal explanation from the challenge seed: "state the bug, the root cause, one-line fix, and
one sentence on impact". The references come from each bug's `explanation` in the challenge.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel

from hiresight.embeddings import Embedder
from hiresight.scoring import communication, nlp, text
from hiresight.scoring.types import (
    RUBRIC_VERSIONS,
    Answer,
    AnswerKind,
    Question,
    RubricPoint,
    Score,
)


class BugReference(BaseModel):
    """The reference explanation of one bug: problem, fix and impact (a sentence or two each)."""

    id: str
    problem: str
    fix: str
    impact: str

    @classmethod
    def from_challenge_bug(cls, bug: Any) -> BugReference:
        """From a `hiresight.challenges` Bug and its reference `explanation`."""
        exp = bug.explanation
        return cls(id=bug.id, problem=exp.problem, fix=exp.fix, impact=exp.impact)


def explanation_rubric(references: list[BugReference]) -> list[RubricPoint]:
    """Rubric points for an explanation: problem (weighted most), fix and impact of each bug."""
    points: list[RubricPoint] = []
    for ref in references:
        points.append(RubricPoint(id=f"{ref.id}.problem", text=ref.problem, weight=2.0))
        points.append(RubricPoint(id=f"{ref.id}.fix", text=ref.fix, weight=1.5))
        points.append(RubricPoint(id=f"{ref.id}.impact", text=ref.impact, weight=1.0))
    return points


_PART_CUES: dict[str, re.Pattern[str]] = {
    "problem": re.compile(
        r"\b(bug|problem|issue|root cause|fails?|breaks?|wrong|incorrect|missing|never|"
        r"doesn't|does not|isn't|forgets?|because|race|leaks?|blocks?|skips?|duplicates?)\b",
        re.I,
    ),
    "solution": re.compile(
        r"\b(fix|fixed|should|instead|change|replace|use|add|wrap|move|patch|switch|guard|"
        r"the fix|solution|one-line)\b",
        re.I,
    ),
    "impact": re.compile(
        r"\b(impact|which means|otherwise|users?|customers?|leads? to|results? in|causes?|"
        r"data loss|security|outage|slow|latency|charged twice|corrupt|crash|under load|"
        r"in production|at scale)\b",
        re.I,
    ),
}


def explanation_parts(answer_text: str) -> dict[str, bool]:
    """Which of Problem, Solution and Impact have a sentence in that role (most cue hits)."""
    found = dict.fromkeys(_PART_CUES, False)
    for sent in nlp.sentences(answer_text):
        hits = {part: len(rx.findall(sent.text)) for part, rx in _PART_CUES.items()}
        best = max(hits.values())
        if best:
            # A sentence may state the problem and its impact together; credit every tie.
            for part, count in hits.items():
                found[part] |= count == best
    return found


@cache
def _mechanism_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    terms = nlp.data_list("mechanisms.txt")
    return tuple((t, re.compile(rf"(?<!\w){re.escape(t)}(?!\w)", re.I)) for t in terms)


def mechanisms(answer_text: str) -> list[str]:
    """Named technical mechanisms ("event loop", "idempotency key", "OFFSET"...) in the text."""
    return [term for term, rx in _mechanism_patterns() if rx.search(answer_text)]


def score_explanation(
    question: Question,
    answer: Answer,
    rubric: list[RubricPoint],
    *,
    provider: str = "rubric",
    embedder: Embedder | None = None,
) -> Score:
    """Score a code-review explanation: parts present, reference coverage, technical precision."""
    cov = text.coverage(question, answer.text, rubric, embedder)
    parts = explanation_parts(answer.text)
    named = mechanisms(answer.text)
    expected = set(mechanisms(question.reference_answer + " " + " ".join(p.text for p in rubric)))
    precise = len(expected & set(named)) / len(expected) if expected else nlp.ramp(len(named), 0, 2)
    comm = communication.assess(answer.text, ideal_words=(25, 160))
    subs = {
        "coverage": cov.credit,
        "parts": sum(parts.values()) / len(parts),
        "technical_precision": precise,
        "communication": comm.overall,
        "relevance": cov.relevance,
        **{f"part_{k}": float(v) for k, v in parts.items()},
    }
    raw = (
        0.45 * subs["coverage"]
        + 0.2 * subs["parts"]
        + 0.2 * subs["technical_precision"]
        + 0.15 * subs["communication"]
    )
    factor, notes = text.gates(answer.text, cov.relevance)
    if named:
        notes.append("mechanisms named: " + ", ".join(named))
    return Score(
        value=round(100.0 * raw * factor, 2),
        kind=AnswerKind.CODE_REVIEW,
        rubric_version=RUBRIC_VERSIONS[AnswerKind.CODE_REVIEW],
        provider=provider,
        evidence=cov.evidence,
        points_missed=cov.missed,
        closest=cov.closest,
        sub_scores={k: round(v, 4) for k, v in subs.items()},
        notes=notes,
    )
