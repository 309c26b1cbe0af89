"""The server-written shapes: content (what the candidate sees), private data, and results.

Unknown keys are refused, so a row of another shape is caught; keys older rows lack have
defaults, and `stored()` leaves out what a row never had (see `interviews.attempt_data`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_serializer

from hiresight.grading.report import CandidateReport, GradeReport


class StoredData(BaseModel):
    """Server-written data: unknown keys are refused, so a row of another shape is caught."""

    model_config = ConfigDict(extra="forbid")

    def stored(self) -> dict[str, Any]:
        """The JSON stored for this model: only the keys that were set, as earlier code wrote."""
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)


# Content: what the candidate sees.


class McQuestion(StoredData):
    """A multiple-choice item of the English check (its right option stays private)."""

    id: str
    type: Literal["mc"]
    text: str
    options: list[str]
    passage: str | None = None


class TextQuestion(StoredData):
    """A free-text question; a drill-down follow-up names the question it follows."""

    id: str
    # Defaulted for rows written without one; new questions always store it.
    type: Literal["text"] = "text"
    text: str
    claim: str | None = None
    follow_up_of: str | None = None


class CodeReviewQuestion(StoredData):
    """The code review's one question: the challenge's scenario."""

    id: str
    type: Literal["code_review"]
    text: str


def _question_type(value: Any) -> str:
    # Rows built before every question carried a type are free-text questions.
    if isinstance(value, Mapping):
        return str(value.get("type", "text"))
    return str(getattr(value, "type", "text"))


Question = Annotated[
    Annotated[McQuestion, Tag("mc")]
    | Annotated[TextQuestion, Tag("text")]
    | Annotated[CodeReviewQuestion, Tag("code_review")],
    Discriminator(_question_type),
]


AskedQuestion = McQuestion | TextQuestion | CodeReviewQuestion


def follows(question: AskedQuestion) -> str | None:
    """The id of the question a drill-down follow-up follows (None for any other question)."""
    return question.follow_up_of if isinstance(question, TextQuestion) else None


class WritingTask(StoredData):
    """The English check's writing prompt and its word range."""

    id: str
    prompt: str
    min_words: int
    max_words: int


class ChallengeView(StoredData):
    """The code-review challenge as the candidate sees it: no hidden tests, no solution."""

    id: str
    title: str = ""
    language: str = ""
    scenario: str = ""
    stacks: list[str] = Field(default_factory=list)
    files: dict[str, str] = Field(default_factory=dict)
    visible_tests: list[str] = Field(default_factory=list)
    bug_classes: list[str] = Field(default_factory=list)


class StageContent(StoredData):
    """What every stage shows: instructions and its questions (more may be added as it runs)."""

    instructions: str = ""
    questions: list[Question] = Field(default_factory=list)

    def question(self, question_id: str) -> McQuestion | TextQuestion | CodeReviewQuestion | None:
        """The question with this id, if the stage asked it."""
        return next((q for q in self.questions if q.id == question_id), None)


class EnglishContent(StageContent):
    """Adaptive multiple-choice items (one at a time) and a writing task."""

    mc_total: int = 0
    writing: WritingTask | None = None
    # The spoken item of a stage answerable by voice: its fluency joins the CEFR estimate.
    speaking: TextQuestion | None = None


class ResumeContent(StageContent):
    """Questions on the candidate's own résumé claims, with drill-down follow-ups."""


class CodeReviewContent(StageContent):
    """The challenge to review, fix and explain."""

    challenge: ChallengeView


class SystemDesignContent(StageContent):
    """One design prompt, tied to the reviewed challenge when there was one."""


class BehavioralContent(StageContent):
    """One STAR question."""


# Private: what only the server keeps.


class McResponse(StoredData):
    """One answered multiple-choice item and whether the choice was right."""

    item_id: str
    choice: int | None = None
    correct: bool


class EnglishPrivate(StoredData):
    """The adaptive test's seed and length, and the responses so far."""

    # Optional only so that partial rows (responses alone) still read; the stage writes both.
    adaptive_seed: int | None = None
    max_items: int | None = None
    responses: list[McResponse] = Field(default_factory=list)


class ResumePrivate(StoredData):
    """Pending follow-ups per question, the answers given so far and each question's aim."""

    follow_ups: dict[str, list[str]] = Field(default_factory=dict)
    answered: dict[str, str] = Field(default_factory=dict)
    # Added later: rows written before it have no per-question rubric points.
    rubric_by_question: dict[str, list[str]] = Field(default_factory=dict)


class CodeReviewPrivate(StoredData):
    """The challenge's id: hidden tests and solution are re-loaded from the bank to grade."""

    challenge_id: str


class SystemDesignPrivate(StoredData):
    """The design prompt's rubric material (`banks.loader.system_design_material`)."""

    prompt_id: str | None = None
    rubric: list[str] = Field(default_factory=list)
    reference_outline: list[str] = Field(default_factory=list)
    trade_offs: list[str] = Field(default_factory=list)


class BehavioralPrivate(StoredData):
    """The STAR prompt's rubric material (`banks.loader.behavioral_material`)."""

    prompt_id: str | None = None
    rubric: list[str] = Field(default_factory=list)
    star: dict[str, str] = Field(default_factory=dict)
    model_answer: list[str] = Field(default_factory=list)
    claim: str | None = None


# Result: the grade and the practice feedback.


class MissedPoint(StoredData):
    """A rubric point the answer missed, with the candidate's sentence that came closest."""

    point: str
    closest: str | None = None


class ItemFeedback(StoredData):
    """One multiple-choice item of a practice English check: the choice, whether it was
    right, the right answer and why (the bank's one-line explanation)."""

    id: str
    prompt: str
    your_answer: str | None = None
    correct: bool
    right_answer: str
    why: str | None = None


class WritingNote(StoredData):
    """A sentence of the writing sample and what it shows (grammar, vocabulary, spelling)."""

    point: str
    quote: str


class WritingFeedback(StoredData):
    """The writing sample's own feedback: its score, length, sub-scores, notes and advice."""

    score: float
    words: int
    min_words: int | None = None
    max_words: int | None = None
    sub_scores: dict[str, float] = Field(default_factory=dict)
    notes: list[WritingNote] = Field(default_factory=list)
    advice: list[str] = Field(default_factory=list)


class PracticeFeedback(StoredData):
    """Immediate feedback on a practice attempt (`interviews.feedback.practice_feedback`)."""

    score: float
    points_missed: list[str] = Field(default_factory=list)
    missed: list[MissedPoint] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    model_outline: list[str] = Field(default_factory=list)
    pacing: float | None = None
    structure: dict[str, bool] | None = None
    # The English check: per item, and the writing sample apart.
    items: list[ItemFeedback] = Field(default_factory=list)
    writing: WritingFeedback | None = None


class StageResult(StoredData):
    """What assessing an answer stored: practice feedback, for practice sessions."""

    practice: PracticeFeedback | None = None


class CodeReviewResult(StageResult):
    """The sandbox grade in full (server side) and its candidate-safe view."""

    grade: GradeReport | None = None
    candidate: CandidateReport | None = None

    @field_serializer("grade", "candidate")
    def _whole(self, report: BaseModel | None) -> dict[str, Any] | None:
        # A grader's report is stored whole, defaults included, as the grader wrote it.
        return report.model_dump(mode="json") if report is not None else None
