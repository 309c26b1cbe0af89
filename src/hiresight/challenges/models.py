"""The challenge manifest (`challenge.toml`) schema and the loaded challenge."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hiresight.sandbox import SandboxLimits

BugClass = Literal[
    "off-by-one",
    "unhandled-async-error",
    "resource-leak",
    "race-condition",
    "wrong-status-code",
    "pagination",
    "injection",
    "missing-validation",
    "error-swallowing",
    "blocking-io-in-async",
    "n-plus-one",
    "idempotency",
    "time-handling",
    "authorization",
    "other",
]
Language = Literal["python", "javascript"]

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TEST_ID_SEPARATOR = "::"


class Explanation(BaseModel):
    """What a recruiter reads about one bug (never shown to candidates: it is the answer key)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    problem: str = Field(min_length=1)
    fix: str = Field(min_length=1)
    impact: str = Field(min_length=1)


class Bug(BaseModel):
    """One planted bug: where it is, what kind, and which hidden tests catch it."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str
    file: str
    lines: tuple[int, int]
    bug_class: BugClass = Field(alias="class")
    severity: int = Field(ge=1, le=3)
    tests: list[str] = Field(min_length=1)
    explanation: Explanation

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(f"bug id {value!r} must be lowercase kebab-case")
        return value

    @field_validator("lines")
    @classmethod
    def _range(cls, value: tuple[int, int]) -> tuple[int, int]:
        if value[0] < 1 or value[1] < value[0]:
            raise ValueError(f"lines {list(value)} must be [first, last] with 1 <= first <= last")
        return value

    @field_validator("tests")
    @classmethod
    def _test_ids(cls, value: list[str]) -> list[str]:
        for test_id in value:
            file, sep, name = test_id.partition(TEST_ID_SEPARATOR)
            if not sep or not file or not name:
                raise ValueError(f"test id {test_id!r} must look like FILE::TEST_NAME")
        return value


class Manifest(BaseModel):
    """The parsed `challenge.toml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str = Field(min_length=1)
    language: Language
    stacks: list[str] = Field(default_factory=list)
    difficulty: int = Field(ge=1, le=5)
    minutes: int = Field(ge=1, le=120)
    scenario: str = Field(min_length=1)
    limits: SandboxLimits = Field(default_factory=SandboxLimits)
    bugs: list[Bug] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(f"challenge id {value!r} must be lowercase kebab-case")
        return value

    @model_validator(mode="after")
    def _unique_bugs(self) -> Manifest:
        ids = [b.id for b in self.bugs]
        if len(ids) != len(set(ids)):
            raise ValueError("bug ids must be unique within a challenge")
        return self


class Challenge(BaseModel):
    """A loaded challenge: the manifest plus every file, as text, keyed by relative path."""

    model_config = ConfigDict(frozen=True)

    manifest: Manifest
    root: Path
    src: dict[str, str]
    tests: dict[str, str]
    solution: dict[str, str]
    visible_tests: dict[str, str] = Field(default_factory=dict)

    @property
    def id(self) -> str:
        """The challenge id (== folder name)."""
        return self.manifest.id

    @property
    def language(self) -> Language:
        """python or javascript."""
        return self.manifest.language

    def bug_for_test(self) -> dict[str, str]:
        """Map each test id a bug lists to that bug's id."""
        return {t: bug.id for bug in self.manifest.bugs for t in bug.tests}
