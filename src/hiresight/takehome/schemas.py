"""The `takehome.toml` format and the shapes of evaluation and check reports (pydantic)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hiresight.portfolio.schemas import PortfolioReport

MetricName = Literal["precision", "recall", "map", "ndcg"]
METRIC_NAMES: tuple[MetricName, ...] = ("precision", "recall", "map", "ndcg")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS = frozenset({"input", "output", "k"})
_METRIC_KEY = re.compile(r"^(precision|recall|map|ndcg)@([1-9][0-9]*)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _relative(value: str) -> str:
    """A path inside the assignment or submission: relative, no `..`, no backslashes."""
    parts = value.split("/")
    if not value or value.startswith("/") or "\\" in value or "\x00" in value:
        raise ValueError(f"{value!r} must be a relative path inside the folder")
    if any(p in ("..", "") for p in parts):
        raise ValueError(f"{value!r} must not contain '..' or empty parts")
    return value


class Contract(_Strict):
    """How a submission is run and what it must write."""

    entrypoint: str = Field(description="The Python file the submission must ship, e.g. predict.py")
    args: list[str] = Field(
        default_factory=lambda: ["--input", "{input}", "--output", "{output}", "--k", "{k}"],
        description="Arguments after the entrypoint; {input}, {output} and {k} are filled in.",
    )
    k: int = Field(10, ge=1, le=100, description="How many predictions per user.")
    input: str = Field(description="Folder of the evaluation input, mounted read-only.")
    answers: str = Field(description="CSV of the hidden answers (user_id,job_id); never mounted.")
    history: str = Field(description="File in the input folder with user history (user_id first).")
    users: str = Field(description="File in the input folder listing the users to predict for.")

    @field_validator("entrypoint", "input", "answers")
    @classmethod
    def _inside(cls, value: str) -> str:
        return _relative(value)

    @field_validator("history", "users")
    @classmethod
    def _inside_input(cls, value: str) -> str:
        return _relative(value)

    @field_validator("entrypoint")
    @classmethod
    def _python(cls, value: str) -> str:
        if not value.endswith(".py"):
            raise ValueError("the entrypoint must be a Python file (*.py)")
        return value

    @field_validator("args")
    @classmethod
    def _known_placeholders(cls, value: list[str]) -> list[str]:
        for arg in value:
            unknown = set(_PLACEHOLDER.findall(arg)) - PLACEHOLDERS
            if unknown:
                raise ValueError(f"unknown placeholder(s) {sorted(unknown)} in {arg!r}")
        if not any("{output}" in a for a in value):
            raise ValueError("the arguments must pass {output}, where predictions are written")
        return value

    @model_validator(mode="after")
    def _answers_not_in_input(self) -> Contract:
        answers, folder = self.answers.rstrip("/"), self.input.rstrip("/")
        if answers == folder or answers.startswith(folder + "/"):
            raise ValueError("the answers must not lie inside the input folder (it is mounted)")
        if not self.answers.startswith("hidden/") or not self.input.startswith("hidden/"):
            raise ValueError("the evaluation input and answers must live under hidden/")
        return self


class Metrics(_Strict):
    """Which ranking metrics are reported, at which cut-offs."""

    names: list[MetricName] = Field(default_factory=lambda: list(METRIC_NAMES), min_length=1)
    ks: list[int] = Field(default_factory=list, description="Cut-offs; default: the contract's k.")

    @field_validator("ks")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if any(k < 1 or k > 100 for k in value):
            raise ValueError("each cut-off must be between 1 and 100")
        return sorted(set(value))


class Limits(_Strict):
    """What one run of a submission may use."""

    wall_seconds: float = Field(60.0, gt=0, le=600)
    memory_mb: int = Field(2048, ge=64, le=16384)
    processes: int = Field(32, ge=4, le=1024)
    disk_mb: int = Field(256, ge=8, le=4096, description="Writable scratch space (tmpfs).")


class Check(_Strict):
    """What `hiresight takehome check` expects of the shipped solutions."""

    reference: str = "solutions/reference"
    naive: str | None = "solutions/naive"
    broken: str | None = "solutions/broken"
    reference_min: dict[str, float] = Field(
        default_factory=dict, description='Metric floors for the reference, e.g. {"ndcg@10": 0.1}'
    )

    @field_validator("reference", "naive", "broken")
    @classmethod
    def _inside(cls, value: str | None) -> str | None:
        return None if value is None else _relative(value)

    @field_validator("reference_min")
    @classmethod
    def _metric_keys(cls, value: dict[str, float]) -> dict[str, float]:
        for key in value:
            if not _METRIC_KEY.match(key):
                raise ValueError(f"{key!r} is not a metric such as 'ndcg@10'")
        return value


class AssignmentSpec(_Strict):
    """The whole of `takehome.toml`."""

    title: str = Field(min_length=1, max_length=200)
    brief: str = Field("brief.md", description="The brief in Markdown, relative to the folder.")
    duration_days: float = Field(gt=0, le=60, description="Time from start to the deadline.")
    contract: Contract
    metrics: Metrics = Field(default_factory=Metrics)
    limits: Limits = Field(default_factory=Limits)
    check: Check = Field(default_factory=Check)

    @field_validator("brief")
    @classmethod
    def _inside(cls, value: str) -> str:
        return _relative(value)

    def cutoffs(self) -> list[int]:
        """The metric cut-offs: those listed, else the contract's k."""
        return self.metrics.ks or [self.contract.k]


# ---- reports ---------------------------------------------------------------------------------

RunStatus = Literal[
    "ok",
    "missing_entrypoint",
    "nonzero_exit",
    "timeout",
    "memory_limit",
    "no_output",
    "malformed_output",
    "invalid_predictions",
    "sandbox_error",
]


class Problem(BaseModel):
    """One thing wrong with a run or its output, with a stable code."""

    code: str
    message: str


class MetricRow(BaseModel):
    """Mean metrics over one user segment; keys like 'ndcg@10'."""

    users: int
    values: dict[str, float]


class Scores(BaseModel):
    """Metrics over all test users and over warm (some history) and cold (none) users apart."""

    all: MetricRow
    warm: MetricRow
    cold: MetricRow


class RunReport(BaseModel):
    """One sandboxed run of a solution and, when its output is valid, its scores."""

    status: RunStatus
    problems: list[Problem] = Field(default_factory=list)
    exit_code: int | None = None
    wall_ms: float = 0.0
    peak_memory_bytes: int | None = None
    stdout_tail: str = ""
    stderr_tail: str = ""
    rows: int = 0
    users_predicted: int = 0
    users_without_predictions: int = 0
    scores: Scores | None = None
    output_sha256: str | None = None


class Requirement(BaseModel):
    """One declared requirement and whether the sandbox environment has it."""

    line: str
    name: str
    available: bool
    installed_version: str | None = None
    note: str = ""


class TestCounts(BaseModel):
    """The candidate's own test run (pytest in the sandbox)."""

    status: Literal["ran", "no_tests", "timeout", "error"]
    tests: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    detail: str = ""


class Reproducibility(BaseModel):
    """Whether a second run wrote the same predictions."""

    same_output: bool
    second_status: RunStatus
    detail: str = ""


class EvaluationReport(BaseModel):
    """Everything the evaluation of one submission found."""

    assignment: str
    k: int
    cutoffs: list[int]
    run: RunReport
    baselines: dict[str, RunReport] = Field(default_factory=dict)
    reproducibility: Reproducibility | None = None
    tests: TestCounts | None = None
    requirements: list[Requirement] = Field(default_factory=list)
    environment: dict[str, str | None] = Field(default_factory=dict)
    review: PortfolioReport | None = Field(
        None, description="The portfolio checklist applied to the submission's code."
    )
    total_seconds: float = 0.0


class CheckItem(BaseModel):
    """One expectation of `takehome check`."""

    name: str
    passed: bool
    detail: str


class CheckReport(BaseModel):
    """The assignment check: every item must pass."""

    assignment: str
    items: list[CheckItem]

    @property
    def passed(self) -> bool:
        """Whether every check passed."""
        return all(item.passed for item in self.items)
