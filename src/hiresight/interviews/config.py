"""Interview templates as data: which stages, how long, how many questions and attempts."""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import BaseModel, Field, model_validator


class StageKind(enum.StrEnum):
    """The five kinds of interview stage, in their default order."""

    english = "english"
    resume = "resume"
    code_review = "code_review"
    system_design = "system_design"
    behavioral = "behavioral"


# The stages whose questions may be answered by voice (the code review is code, not speech).
VOICE_STAGES = frozenset(
    {StageKind.english, StageKind.resume, StageKind.system_design, StageKind.behavioral}
)
Language = Literal["python", "javascript"]
ALL_LANGUAGES: tuple[Language, ...] = ("python", "javascript")


class StageConfig(BaseModel):
    """One stage of a template."""

    kind: StageKind
    minutes: float = Field(gt=0, le=60)
    questions: int = Field(1, ge=1, le=30)
    attempts: int = Field(3, ge=1, le=5)
    # Answerable by voice: spoken, transcribed offline, corrected and submitted as text (typing
    # stays possible). For the English check it adds a spoken item whose fluency is scored.
    voice: bool = False

    @model_validator(mode="after")
    def _voice_where_spoken(self) -> StageConfig:
        if self.voice and self.kind not in VOICE_STAGES:
            raise ValueError(f"the {self.kind.value} stage cannot be answered by voice")
        return self


class TemplateConfig(BaseModel):
    """A template's stages and options; snapshotted into every session that uses it."""

    stages: list[StageConfig] = Field(min_length=1, max_length=5)
    languages: list[Language] = Field(default_factory=lambda: list(ALL_LANGUAGES), min_length=1)
    # The answer in flight when the clock runs out still counts if it arrives this soon after.
    grace_seconds: int = Field(10, ge=0, le=120)

    @model_validator(mode="after")
    def _unique_stages(self) -> TemplateConfig:
        kinds = [s.kind for s in self.stages]
        if len(set(kinds)) != len(kinds):
            raise ValueError("each stage kind may appear once")
        return self

    def stage(self, kind: StageKind) -> StageConfig | None:
        """The stage of this kind, if the template has one."""
        return next((s for s in self.stages if s.kind is kind), None)

    @property
    def total_minutes(self) -> float:
        """The sum of the stages' durations."""
        return sum(s.minutes for s in self.stages)


DEFAULT_TEMPLATE = TemplateConfig(
    stages=[
        StageConfig(kind=StageKind.english, minutes=5, questions=12),
        StageConfig(kind=StageKind.resume, minutes=6, questions=3, voice=True),
        StageConfig(kind=StageKind.code_review, minutes=10, questions=1),
        StageConfig(kind=StageKind.system_design, minutes=4, questions=1, voice=True),
        StageConfig(kind=StageKind.behavioral, minutes=4, questions=1, voice=True),
    ]
)

# Time between stages (reading instructions, a short break) that the overall deadline allows.
BETWEEN_STAGES_MINUTES = 3.0
