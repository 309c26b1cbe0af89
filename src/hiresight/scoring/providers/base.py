"""The one interface every AI provider implements, for grading and for question generation."""

from __future__ import annotations

from abc import ABC, abstractmethod

from hiresight.scoring.types import Answer, AnswerKind, Question, RubricPoint, Score


class AIProvider(ABC):
    """Grades answers and writes questions; the rubric engine and LLM endpoints both fit here."""

    name: str = "provider"

    @abstractmethod
    def score_answer(
        self, kind: AnswerKind, question: Question, answer: Answer, rubric: list[RubricPoint]
    ) -> Score:
        """Score one answer 0–100 with quoted evidence and the points missed."""

    @abstractmethod
    def generate_question(
        self, kind: AnswerKind, *, topic: str = "", claim: str | None = None, seed: int = 0
    ) -> Question:
        """Write one question of `kind` about `topic` (or probing a résumé `claim`)."""

    @abstractmethod
    def generate_follow_up(
        self, question: Question, answer: Answer, claim: str | None = None
    ) -> str | None:
        """A drill-down question when the answer is vague, else None."""
