"""The schema of every question bank: pydantic models that validate the TOML data files."""

from __future__ import annotations

import re
import string
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hiresight.banks.errors import PlaceholderError

CefrLevel = Literal["A2", "B1", "B2", "C1", "C2"]
EnglishKind = Literal["grammar", "vocabulary", "reading"]
ResumeClaimKind = Literal["metric", "ownership", "technology", "vague"]

CEFR_LEVELS: tuple[CefrLevel, ...] = ("A2", "B1", "B2", "C1", "C2")
# Each level owns a slice of the Rasch logit scale; an item's difficulty must sit in its level's
# slice so that the bank's difficulty order and its CEFR order can never disagree. The slices
# split -3..+3 evenly, and the same cut points turn an ability estimate back into a CEFR band.
LEVEL_CUTS: tuple[float, ...] = (-1.8, -0.6, 0.6, 1.8)
LEVEL_RANGES: dict[CefrLevel, tuple[float, float]] = {
    "A2": (-3.0, -1.8),
    "B1": (-1.8, -0.6),
    "B2": (-0.6, 0.6),
    "C1": (0.6, 1.8),
    "C2": (1.8, 3.0),
}

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def placeholders(template: str) -> set[str]:
    """The `{name}` fields a format string uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def render_template(template: str, values: dict[str, str | None]) -> str:
    """Fill a template's placeholders; raise PlaceholderError naming any that has no value."""
    needed = placeholders(template)
    missing = sorted(name for name in needed if not values.get(name))
    if missing:
        raise PlaceholderError(f"template needs a value for {', '.join(missing)}: {template!r}")
    return template.format(**{name: values[name] for name in needed})


def claim_value(template: str, claim: str | None) -> str | None:
    """A résumé line fitted to the template: no final full stop, and after "you " no capital.

    "Led the move to Kafka." reads as "You wrote that you led the move to Kafka"; a first word
    with inner capitals or all capitals ("PostgreSQL", "API") keeps its spelling.
    """
    if not claim:
        return claim
    text = claim.strip().rstrip(".;")
    if "you {claim}" in template:
        first, sep, rest = text.partition(" ")
        if first[:1].isupper() and (first[1:].islower() or len(first) == 1):
            text = first.lower() + sep + rest
    return text


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(f"id {value!r} must be lowercase kebab-case")
    return value


def _check_fields(template: str, allowed: set[str], required: set[str]) -> str:
    used = placeholders(template)
    if used - allowed:
        raise ValueError(f"unknown placeholder(s) {sorted(used - allowed)} in {template!r}")
    if required and not required & used:
        raise ValueError(f"template must use one of {sorted(required)}: {template!r}")
    return template


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Passage(_Frozen):
    """A short workplace text shared by two or three reading items."""

    id: str
    title: str = Field(min_length=1)
    genre: str = Field(min_length=1)
    text: str

    _id = field_validator("id")(_check_id)

    @field_validator("text")
    @classmethod
    def _length(cls, value: str) -> str:
        words = len(value.split())
        if not 60 <= words <= 120:
            raise ValueError(f"passage has {words} words; it must have 60 to 120")
        return value


class EnglishItem(_Frozen):
    """One multiple-choice English item, calibrated on the Rasch logit scale."""

    id: str
    kind: EnglishKind
    level: CefrLevel
    difficulty: float = Field(ge=-3.0, le=3.0)
    prompt: str = Field(min_length=1)
    options: tuple[str, str, str, str]
    answer: int = Field(ge=0, le=3)
    explanation: str = Field(min_length=1)
    passage: str | None = None

    _id = field_validator("id")(_check_id)

    @field_validator("options")
    @classmethod
    def _distinct(cls, value: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
        normalised = {v.strip().casefold() for v in value}
        if len(normalised) != 4 or "" in normalised:
            raise ValueError("the 4 options must be non-empty and distinct")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> EnglishItem:
        low, high = LEVEL_RANGES[self.level]
        if not low <= self.difficulty <= high:
            raise ValueError(
                f"difficulty {self.difficulty} is outside {self.level}'s range [{low}, {high}]"
            )
        if (self.kind == "reading") != (self.passage is not None):
            raise ValueError("reading items, and only they, must name a passage")
        return self

    @property
    def correct_option(self) -> str:
        """The text of the correct option."""
        return self.options[self.answer]


class EnglishBank(_Frozen):
    """The English multiple-choice bank: reading passages and every item."""

    passages: list[Passage] = Field(default_factory=list)
    items: list[EnglishItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> EnglishBank:
        passage_ids = [p.id for p in self.passages]
        if len(passage_ids) != len(set(passage_ids)):
            raise ValueError("passage ids must be unique")
        for passage_id in passage_ids:
            count = sum(item.passage == passage_id for item in self.items)
            if not 2 <= count <= 3:
                raise ValueError(f"passage {passage_id!r} has {count} items; it needs 2 or 3")
        for item in self.items:
            if item.passage is not None and item.passage not in passage_ids:
                raise ValueError(f"item {item.id!r} names unknown passage {item.passage!r}")
        return self


class WritingPrompt(_Frozen):
    """A short workplace writing task scored for CEFR level."""

    id: str
    title: str = Field(min_length=1)
    level: CefrLevel
    prompt: str = Field(min_length=1)
    min_words: int = Field(ge=40, le=200)
    max_words: int = Field(ge=60, le=250)
    minutes: int = Field(ge=1, le=30)
    covers: list[str] = Field(min_length=3, max_length=6)

    _id = field_validator("id")(_check_id)

    @model_validator(mode="after")
    def _range(self) -> WritingPrompt:
        if self.min_words >= self.max_words:
            raise ValueError("min_words must be below max_words")
        return self


class SystemDesignPrompt(_Frozen):
    """A scaling/situational question, tied to the reviewed code or standalone."""

    id: str
    title: str = Field(min_length=1)
    prompt: str
    standalone: str = Field(min_length=1)
    tags: list[str] = Field(min_length=1)
    rubric: list[str] = Field(min_length=4, max_length=7)
    reference_outline: list[str] = Field(min_length=5, max_length=8)
    trade_offs: list[str] = Field(min_length=2)
    minutes: int = Field(ge=2, le=10)

    _id = field_validator("id")(_check_id)

    @field_validator("prompt")
    @classmethod
    def _tied(cls, value: str) -> str:
        fields = {"challenge_title", "endpoint"}
        return _check_fields(value, allowed=fields, required=fields)

    @field_validator("standalone")
    @classmethod
    def _plain(cls, value: str) -> str:
        return _check_fields(value, allowed=set(), required=set())

    def render(self, *, challenge_title: str | None = None, endpoint: str | None = None) -> str:
        """The prompt tied to the reviewed code, or the standalone variant without context."""
        values = {"challenge_title": challenge_title, "endpoint": endpoint}
        if all(values.get(name) for name in placeholders(self.prompt)):
            return render_template(self.prompt, values)
        return self.standalone


class StarRubric(_Frozen):
    """What a strong Situation, Task, Action and Result each contain."""

    situation: str = Field(min_length=1)
    task: str = Field(min_length=1)
    action: str = Field(min_length=1)
    result: str = Field(min_length=1)


class BehavioralPrompt(_Frozen):
    """A STAR question about one competency, tied to a résumé claim when there is one."""

    id: str
    competency: str = Field(min_length=1)
    prompt: str
    generic: str = Field(min_length=1)
    star: StarRubric
    rubric: list[str] = Field(min_length=4, max_length=6)
    model_answer: list[str] = Field(min_length=4, max_length=8)
    minutes: int = Field(ge=2, le=10)

    _id = field_validator("id")(_check_id)

    @field_validator("prompt")
    @classmethod
    def _tied(cls, value: str) -> str:
        return _check_fields(value, allowed={"claim"}, required={"claim"})

    @field_validator("generic")
    @classmethod
    def _plain(cls, value: str) -> str:
        return _check_fields(value, allowed=set(), required=set())

    def render(self, claim: str | None = None) -> str:
        """The prompt tied to `claim`, or the generic variant when there is no claim."""
        if not claim:
            return self.generic
        return render_template(self.prompt, {"claim": claim_value(self.prompt, claim)})


RESUME_FIELDS = {"claim", "skill", "project"}


class ResumeTemplate(_Frozen):
    """A résumé deep-dive question for one kind of claim, with at most two follow-ups."""

    id: str
    claim_kind: ResumeClaimKind
    prompt: str
    follow_ups: list[str] = Field(default_factory=list, max_length=2)
    aims: str = Field(min_length=1)

    _id = field_validator("id")(_check_id)

    @field_validator("prompt")
    @classmethod
    def _prompt_fields(cls, value: str) -> str:
        return _check_fields(value, allowed=RESUME_FIELDS, required=RESUME_FIELDS)

    @field_validator("follow_ups")
    @classmethod
    def _follow_up_fields(cls, value: list[str]) -> list[str]:
        for template in value:
            _check_fields(template, allowed=RESUME_FIELDS, required=set())
        return value

    @property
    def fields(self) -> set[str]:
        """Every placeholder the prompt and its follow-ups need."""
        needed = placeholders(self.prompt)
        for template in self.follow_ups:
            needed |= placeholders(template)
        return needed

    def render(self, **values: str | None) -> str:
        """The question with `claim`, `skill` and `project` filled in."""
        return render_template(self.prompt, _fit(self.prompt, values))

    def render_follow_ups(self, **values: str | None) -> list[str]:
        """The follow-up questions with the same values filled in."""
        return [render_template(t, _fit(t, values)) for t in self.follow_ups]


def _fit(template: str, values: dict[str, str | None]) -> dict[str, str | None]:
    return {**values, "claim": claim_value(template, values.get("claim"))}


class QuestionBanks(_Frozen):
    """Every bank, loaded and validated, plus a content hash stored with interview results."""

    version: str
    english: EnglishBank
    writing: list[WritingPrompt]
    system_design: list[SystemDesignPrompt]
    behavioral: list[BehavioralPrompt]
    resume: list[ResumeTemplate]
