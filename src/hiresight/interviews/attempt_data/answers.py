"""The candidate's work as the client sends it: drafts and answers, per stage kind."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hiresight.interviews.errors import AnswerShapeError

# Draft and answer: the candidate's work, sent by the client.


class AnswerData(BaseModel):
    """Keys a stage reads from a draft or answer; others the client keeps are left as sent."""

    # Strict, so that what validates is stored and shown exactly as the client sent it.
    model_config = ConfigDict(extra="allow", populate_by_name=True, strict=True)

    def stored(self) -> dict[str, Any]:
        """The JSON stored for this draft: the keys that were sent, and nothing added."""
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)


class QuestionsAnswer(AnswerData):
    """Answers per question id: free text, or a chosen option's index."""

    answers: dict[str, str | int | None] = Field(default_factory=dict)

    def text(self, question_id: str) -> str:
        """The answer to one question as text ("" when there is none)."""
        value = self.answers.get(question_id)
        return str(value) if value is not None else ""


class EnglishAnswer(QuestionsAnswer):
    """Multiple-choice answers and the writing sample."""

    writing: str | None = None


class ResumeAnswer(QuestionsAnswer):
    """Answers to the résumé questions and their follow-ups."""


class SystemDesignAnswer(QuestionsAnswer):
    """The design answer."""


class BehavioralAnswer(QuestionsAnswer):
    """The STAR story."""


class FlagIn(AnswerData):
    """A flagged bug as the client sent it; an incomplete flag is kept, and never credited."""

    file: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    bug_class: str | None = Field(None, alias="class")


class CodeReviewAnswer(AnswerData):
    """The edited files, the flagged bugs and the explanation of the fixes."""

    files: dict[str, str] | None = None
    flags: list[FlagIn] | None = None
    explanation: str | None = None


class AnyAnswer(EnglishAnswer, CodeReviewAnswer):
    """Every key any stage reads: what an autosave is checked against before the stage is known."""


def checked_answer(draft: Mapping[str, Any]) -> dict[str, Any]:
    """A draft or answer from the client, checked before it is stored; stored exactly as sent.

    It is checked against every key any stage reads (the stage is not known on the fast
    autosave path); a key of the wrong type is refused with `invalid_answer` (422).
    """
    try:
        AnyAnswer.model_validate(draft)
    except ValidationError as exc:
        raise AnswerShapeError(
            "The answer has a field of the wrong type.",
            details=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()[:10]],
        ) from exc
    return dict(draft)
