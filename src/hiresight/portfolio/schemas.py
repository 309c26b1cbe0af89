"""The shape of a portfolio review, JSON-serialisable for the API, the CLI and storage."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class CheckResult(BaseModel):
    """One line of the checklist. `max` is 0 when the check could not apply (e.g. no history)."""

    name: str
    passed: bool
    points: int
    max: int
    evidence: str


class LanguageStat(BaseModel):
    """Source files and non-blank lines of one language."""

    language: str
    files: int
    lines: int


class TestStats(BaseModel):
    """Test files and test functions found, per language and in total."""

    __test__ = False  # a pydantic model, not a pytest test class

    test_files: int = 0
    test_functions: int = 0
    by_language: dict[str, int] = Field(
        default_factory=dict, description="Test functions per language."
    )


class GitActivity(BaseModel):
    """Commit history of the default branch (HEAD)."""

    commits: int
    authors: int
    first_commit: datetime | None
    last_commit: datetime | None
    active_weeks: int = Field(description="Distinct ISO weeks with at least one commit.")


class PortfolioReport(BaseModel):
    """The scored checklist for one repository."""

    version: str
    source: Literal["directory", "archive"]
    score: int = Field(ge=0, le=100, description="Points earned over points applicable, 0..100.")
    checks: list[CheckResult]
    languages: list[LanguageStat]
    total_files: int
    total_lines: int
    tests: TestStats
    git: GitActivity | None
    notes: list[str] = Field(default_factory=list, description="Limits hit while scanning.")
