"""The calibration set: answers at known levels with expected score bands, and the agreement check.

Cases live in `scoring/data/calibration/*.toml`, one question per case, answers labelled strong,
average, weak, off_topic, empty or nonsense. The scorer is never tuned per answer; this module only
measures how often scores land in their honest bands and whether levels are ordered.
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from hiresight.scoring.errors import CalibrationDataError
from hiresight.scoring.explanation import BugReference, explanation_rubric
from hiresight.scoring.types import Answer, AnswerKind, Question, RubricPoint, Score

LEVELS = ("strong", "average", "weak", "off_topic", "empty", "nonsense")
ORDERED_LEVELS = ("strong", "average", "weak", "off_topic")

Scorer = Callable[[Question, Answer, list[RubricPoint]], Score]


class CalibrationAnswer(BaseModel):
    """One answer with its level and the band its score should land in."""

    level: str = Field(pattern="^(" + "|".join(LEVELS) + ")$")
    band: tuple[float, float]
    text: str


class CalibrationCase(BaseModel):
    """One question with its rubric and answers at known levels."""

    id: str
    kind: AnswerKind
    question: str
    reference: str = ""
    claim: str | None = None
    points: list[str] = Field(default_factory=list)
    bugs: list[BugReference] = Field(default_factory=list)
    answers: list[CalibrationAnswer]

    def to_question(self) -> Question:
        """The scorer's view of this case's question."""
        return Question(
            text=self.question, kind=self.kind, reference_answer=self.reference, claim=self.claim
        )

    def rubric(self) -> list[RubricPoint]:
        """Rubric points: the listed points, or the bugs' reference explanations."""
        if self.bugs:
            return explanation_rubric(self.bugs)
        return [RubricPoint(id=f"p{i + 1}", text=t) for i, t in enumerate(self.points)]


class Row(BaseModel):
    """One scored calibration answer."""

    case_id: str
    kind: AnswerKind
    level: str
    band: tuple[float, float]
    value: float
    in_band: bool


class Report(BaseModel):
    """Agreement of the scorer with the calibration set."""

    rows: list[Row]
    agreement: float
    ordering_violations: list[str]
    low_junk_violations: list[str]


def default_dir() -> Path:
    """The calibration folder shipped with the package."""
    return Path(str(resources.files("hiresight.scoring").joinpath("data", "calibration")))


def load_cases(directory: Path | None = None) -> list[CalibrationCase]:
    """Read every calibration TOML file in `directory` (default: the shipped set)."""
    folder = directory or default_dir()
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise CalibrationDataError(f"no calibration files (*.toml) in {folder}")
    cases: list[CalibrationCase] = []
    for path in files:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
            cases.extend(CalibrationCase.model_validate(c) for c in raw.get("case", []))
        except (tomllib.TOMLDecodeError, ValidationError) as exc:
            raise CalibrationDataError(f"{path.name}: {exc}") from exc
    return cases


def evaluate(cases: list[CalibrationCase], scorer: Scorer) -> Report:
    """Score every calibration answer and check bands, level ordering and junk answers."""
    rows: list[Row] = []
    ordering: list[str] = []
    junk: list[str] = []
    for case in cases:
        question, rubric = case.to_question(), case.rubric()
        by_level: dict[str, float] = {}
        for item in case.answers:
            value = scorer(question, Answer(text=item.text), rubric).value
            lo, hi = item.band
            rows.append(
                Row(
                    case_id=case.id,
                    kind=case.kind,
                    level=item.level,
                    band=item.band,
                    value=value,
                    in_band=lo <= value <= hi,
                )
            )
            by_level[item.level] = value
            if item.level in ("empty", "nonsense") and value >= 10:
                junk.append(f"{case.id}/{item.level}: {value:.1f} >= 10")
        present = [lv for lv in ORDERED_LEVELS if lv in by_level]
        for better, worse in itertools.pairwise(present):
            if by_level[better] <= by_level[worse]:
                ordering.append(
                    f"{case.id}: {better} {by_level[better]:.1f} <= {worse} {by_level[worse]:.1f}"
                )
    agreement = sum(r.in_band for r in rows) / len(rows) if rows else 0.0
    return Report(
        rows=rows, agreement=agreement, ordering_violations=ordering, low_junk_violations=junk
    )


def markdown_table(report: Report) -> str:
    """The agreement table as Markdown: one row per answer, then the summary."""
    lines = ["| case | kind | level | band | score | in band |", "|---|---|---|---|---|---|"]
    for r in report.rows:
        lines.append(
            f"| {r.case_id} | {r.kind.value} | {r.level} | {r.band[0]:.0f}–{r.band[1]:.0f} "
            f"| {r.value:.1f} | {'yes' if r.in_band else 'NO'} |"
        )
    lines.append("")
    lines.append(f"Agreement: {report.agreement:.0%} of {len(report.rows)} answers in band.")
    lines.append(f"Ordering violations: {len(report.ordering_violations)}.")
    lines.extend(f"- {v}" for v in report.ordering_violations + report.low_junk_violations)
    return "\n".join(lines)
