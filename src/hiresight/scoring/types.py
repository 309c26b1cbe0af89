"""Plain pydantic inputs and outputs of the scoring library (no ORM rows).

Every `Score` carries the rubric version and the provider that produced it, so a stored score can
always be explained and re-run against the same rules (determinism habit: versions with results).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class AnswerKind(StrEnum):
    """The stage kinds whose answers the library scores."""

    RESUME = "resume"
    SYSTEM_DESIGN = "system_design"
    BEHAVIOURAL = "behavioural"
    CODE_REVIEW = "code_review"
    ENGLISH_WRITING = "english_writing"


# Bump a version whenever the scoring rules for that kind change: old scores keep the old label.
RUBRIC_VERSIONS: dict[AnswerKind, str] = {
    AnswerKind.RESUME: "resume-rubric.v2",
    AnswerKind.SYSTEM_DESIGN: "system-design-rubric.v2",
    AnswerKind.BEHAVIOURAL: "behavioural-star-rubric.v2",
    AnswerKind.CODE_REVIEW: "code-review-explanation-rubric.v1",
    AnswerKind.ENGLISH_WRITING: "english-writing-rubric.v1",
}
ENGLISH_MC_VERSION = "english-mc-rasch.v1"
CODE_REVIEW_FLAGS_VERSION = "code-review-flags.v1"
INTEGRITY_VERSION = "integrity.v1"
SCORECARD_VERSION = "scorecard.v1"


class RubricPoint(BaseModel):
    """One thing a good answer should cover, with its weight in the coverage score."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1, max_length=2000)
    weight: float = Field(1.0, gt=0, le=10)
    # Concrete lines that illustrate the point (a model answer's lines, a STAR description): an
    # abstract point ("uses evidence rather than authority") is recognised in a story through them.
    examples: tuple[str, ...] = ()


class Question(BaseModel):
    """A question as the scorer sees it: its text, the model answer and optional context."""

    text: str = Field(min_length=1, max_length=10_000)
    kind: AnswerKind
    reference_answer: str = Field("", max_length=20_000)
    # Résumé stage: the claim from the résumé that the question probes.
    claim: str | None = Field(None, max_length=5_000)
    time_allotted_s: float | None = Field(None, gt=0)
    # The bank's outline of a strong answer (model-answer lines, reference outline, trade-offs)
    # and, for behavioural prompts, what each STAR part should contain.
    outline: tuple[str, ...] = ()
    star: dict[str, str] | None = None


class Answer(BaseModel):
    """A candidate's answer and how long they took."""

    text: str = Field("", max_length=50_000)
    time_used_s: float | None = Field(None, ge=0)


class Evidence(BaseModel):
    """A quote from the answer supporting one rubric point, with its character offsets."""

    point: str
    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    similarity: float


class Score(BaseModel):
    """An explainable 0–100 score for one answer. Hiresight never rejects on it automatically."""

    value: float = Field(ge=0, le=100)
    kind: AnswerKind
    rubric_version: str
    provider: str
    evidence: list[Evidence] = Field(default_factory=list)
    points_missed: list[str] = Field(default_factory=list)
    # For each missed point, the answer's sentence that came closest (honest feedback).
    closest: list[Evidence] = Field(default_factory=list)
    sub_scores: dict[str, float] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    fallback: bool = False
    fallback_reason: str | None = None
