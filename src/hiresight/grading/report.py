"""The grade report (full, for recruiters and storage) and its candidate-safe view."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from hiresight.grading.execute import TestStatus

# 1.1: one process per test (file), verdicts on a private channel.
GRADER_VERSION = "grader-1.1"
RUBRIC_VERSION = "rubric-2026.11-1"

GradeStatus = Literal["ok", "syntax-error", "infrastructure-error"]

# What the candidate sees instead of the hidden test's own failure message, which can quote
# expected values from the hidden test (an assert message, an assert.equal diff).
GENERIC_MESSAGES: dict[str, str] = {
    "passed": "",
    "failed": "an assertion in this hidden test failed",
    "error": "this hidden test raised an error",
    "timeout": "this hidden test did not finish in time",
    "memory-limit": "this hidden test ran out of memory",
    "output-limit": "this hidden test printed too much output",
}


class GradedTest(BaseModel):
    """One hidden test: did it pass, and which bug (None: a regression test) it checks."""

    id: str
    passed: bool
    status: TestStatus
    bug: str | None
    message: str = ""


class BugResult(BaseModel):
    """One planted bug: fixed when every test it lists passes."""

    id: str
    fixed: bool
    severity: int
    bug_class: str


class SyntaxProblem(BaseModel):
    """Where the candidate's code fails to compile."""

    file: str
    line: int | None
    message: str


class Usage(BaseModel):
    """Resources used by the sandbox runs of one grade."""

    sandbox_runs: int
    cpu_ms: float
    peak_memory_bytes: int


class ScoreBreakdown(BaseModel):
    """How the score was made: bug points + minimality points - regression penalty."""

    bugs: float
    minimality: float
    regression_penalty: float
    changed_lines: int
    reference_changed_lines: int


class CandidateTest(BaseModel):
    """A hidden test as the candidate may see it: its id and a generic verdict."""

    id: str
    passed: bool
    status: TestStatus
    message: str


class CandidateReport(BaseModel):
    """The candidate-safe view: no hidden test source, failure details, bug notes or solution."""

    grader_version: str
    challenge_id: str
    status: GradeStatus
    syntax_error: SyntaxProblem | None
    tests: list[CandidateTest]
    bugs_fixed: int
    bugs_total: int
    score: float


class GradeReport(BaseModel):
    """Everything the grader found; JSON-serialisable and stored with the attempt."""

    grader_version: str = GRADER_VERSION
    rubric_version: str = RUBRIC_VERSION
    challenge_id: str
    status: GradeStatus
    syntax_error: SyntaxProblem | None = None
    error: str | None = None
    tests: list[GradedTest] = Field(default_factory=list)
    bugs: list[BugResult] = Field(default_factory=list)
    regressions: list[str] = Field(default_factory=list)
    score: float = 0.0
    breakdown: ScoreBreakdown | None = None
    wall_ms: float = 0.0
    usage: Usage | None = None

    def for_candidate(self) -> CandidateReport:
        """The view safe to show the candidate during the interview."""
        return CandidateReport(
            grader_version=self.grader_version,
            challenge_id=self.challenge_id,
            status=self.status,
            syntax_error=self.syntax_error,
            tests=[
                CandidateTest(
                    id=t.id, passed=t.passed, status=t.status, message=GENERIC_MESSAGES[t.status]
                )
                for t in self.tests
            ],
            bugs_fixed=sum(b.fixed for b in self.bugs),
            bugs_total=len(self.bugs),
            score=self.score,
        )
