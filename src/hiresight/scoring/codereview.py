"""Code review: bug flags against the challenge's bugs, the graded patch, and the explanation.

The ideal explanation from the challenge seed: "state the bug, the root cause, one-line fix, and
one sentence on impact".
"""

from __future__ import annotations

import re
from typing import Any, Literal, Self

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from hiresight.scoring import nlp
from hiresight.scoring.types import (
    CODE_REVIEW_FLAGS_VERSION,
    Evidence,
    Score,
)

Severity = Literal["low", "medium", "high", "critical"]
SEVERITY_WEIGHT: dict[str, float] = {"low": 1.0, "medium": 2.0, "high": 3.0, "critical": 4.0}
CLASS_BONUS = 0.25  # share of a bug's credit earned only by naming its class right
FLAG_SLACK_LINES = 5
# The challenge bank grades severity 1–3; "critical" is left for bugs added by hand.
_SEVERITY_BY_LEVEL: dict[int, Severity] = {1: "low", 2: "medium", 3: "high"}


def _check_range(start: int, end: int) -> None:
    if end < start:
        raise ValueError(f"end_line {end} is before start_line {start}")


class BugSpec(BaseModel):
    """A seeded bug of a challenge: where it is, its class and its severity."""

    id: str
    file: str
    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    bug_class: str
    severity: Severity = "medium"

    @classmethod
    def from_challenge_bug(cls, bug: Any) -> BugSpec:
        """From a `hiresight.challenges` Bug: `lines` (start, end) and severity 1–3."""
        start, end = bug.lines
        return cls(
            id=bug.id,
            file=bug.file,
            start_line=start,
            end_line=end,
            bug_class=bug.bug_class,
            severity=_SEVERITY_BY_LEVEL.get(int(bug.severity), "medium"),
        )

    @model_validator(mode="after")
    def _range(self) -> Self:
        _check_range(self.start_line, self.end_line)
        return self


class CandidateFlag(BaseModel):
    """A place the candidate marked as buggy, with the class they gave it (if any)."""

    file: str
    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    bug_class: str | None = None

    @model_validator(mode="after")
    def _range(self) -> Self:
        _check_range(self.start_line, self.end_line)
        return self


class FlagMatch(BaseModel):
    """One flag matched to one bug."""

    flag_index: int
    bug_id: str
    class_match: bool
    overlap_lines: int


class FlagResult(BaseModel):
    """Bug identification: precision, recall, severity-weighted credit and the matched pairs."""

    precision: float
    recall: float
    weighted_credit: float
    value: float
    matched: list[FlagMatch]
    missed_bugs: list[str]
    false_flags: list[int]


def _overlap(flag: CandidateFlag, bug: BugSpec) -> int:
    if flag.file != bug.file:
        return 0
    # A flag over half the file would "find" every bug in it; a flag must be about as narrow as
    # the bug (3x its length plus a few lines of context) to count.
    bug_len = bug.end_line - bug.start_line + 1
    if flag.end_line - flag.start_line + 1 > 3 * bug_len + FLAG_SLACK_LINES:
        return 0
    return max(0, min(flag.end_line, bug.end_line) - max(flag.start_line, bug.start_line) + 1)


def _norm_class(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


def match_flags(flags: list[CandidateFlag], bugs: list[BugSpec]) -> FlagResult:
    """Match flags to bugs one-to-one (line ranges must overlap; the right class earns extra)."""
    gain = np.zeros((len(flags), len(bugs)))
    for i, flag in enumerate(flags):
        for j, bug in enumerate(bugs):
            lines = _overlap(flag, bug)
            if lines:
                same = _norm_class(flag.bug_class) == _norm_class(bug.bug_class)
                # Severity first, then class, then overlap: the assignment maximises total credit.
                gain[i, j] = SEVERITY_WEIGHT[bug.severity] * (1 + CLASS_BONUS * same) + lines * 1e-3
    matched: list[FlagMatch] = []
    if flags and bugs:
        # Imported here: scipy.optimize takes half a second, on every start of the web app.
        from scipy.optimize import linear_sum_assignment

        rows, cols = linear_sum_assignment(gain, maximize=True)
        for i, j in zip(rows, cols, strict=True):
            if gain[i, j] > 0:
                same = _norm_class(flags[i].bug_class) == _norm_class(bugs[j].bug_class)
                matched.append(
                    FlagMatch(
                        flag_index=int(i),
                        bug_id=bugs[j].id,
                        class_match=same,
                        overlap_lines=_overlap(flags[i], bugs[j]),
                    )
                )
    by_id = {b.id: b for b in bugs}
    total = sum(SEVERITY_WEIGHT[b.severity] for b in bugs) or 1.0
    credit = (
        sum(
            SEVERITY_WEIGHT[by_id[m.bug_id].severity]
            * ((1 - CLASS_BONUS) + CLASS_BONUS * m.class_match)
            for m in matched
        )
        / total
    )
    precision = len(matched) / len(flags) if flags else 0.0
    recall = len(matched) / len(bugs) if bugs else 0.0
    hit_bugs = {m.bug_id for m in matched}
    hit_flags = {m.flag_index for m in matched}
    return FlagResult(
        precision=precision,
        recall=recall,
        weighted_credit=credit,
        # Missing bugs costs more than a wrong flag: a reviewer's false alarm is cheap to dismiss.
        value=100.0 * (0.8 * credit + 0.2 * precision),
        matched=matched,
        missed_bugs=[b.id for b in bugs if b.id not in hit_bugs],
        false_flags=[i for i in range(len(flags)) if i not in hit_flags],
    )


def flag_evidence(
    flags: list[CandidateFlag], bugs: list[BugSpec], result: FlagResult
) -> tuple[list[Evidence], list[str], list[str]]:
    """What bug identification was scored on: each matched flag, each missed bug, false flags.

    Evidence names the bug (its id and class) and quotes the flagged `file:start-end`; flags
    quote no answer text, so their offsets are 0–0. Similarity is the share of the bug's credit
    earned (1 with the right class, 1 - CLASS_BONUS without). Returns (evidence, missed, notes).
    """
    by_id = {b.id: b for b in bugs}
    evidence = []
    for m in result.matched:
        flag, bug = flags[m.flag_index], by_id[m.bug_id]
        point = f"{bug.id} ({bug.bug_class})"
        if not m.class_match:
            point += f"; flagged as {flag.bug_class or 'no class'}"
        evidence.append(Evidence(
            point=point, quote=f"{flag.file}:{flag.start_line}-{flag.end_line}", start=0, end=0,
            similarity=1.0 if m.class_match else 1.0 - CLASS_BONUS,
        ))  # fmt: skip
    missed = [f"bug not flagged: {b} ({by_id[b].bug_class})" for b in result.missed_bugs]
    notes = [
        f"flag matching no bug: {flags[i].file}:{flags[i].start_line}-{flags[i].end_line}"
        for i in result.false_flags
    ]
    return evidence, missed, notes


class HiddenTest(BaseModel):
    """One hidden test's verdict (mirrors `GradeReport.tests`): which bug it checks, if any."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    passed: bool
    status: str
    bug: str | None = None


class BugFix(BaseModel):
    """Whether the graded patch fixed one bug (mirrors `GradeReport.bugs`)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    fixed: bool


class PatchResult(BaseModel):
    """What the grader reported about the candidate's patch."""

    model_config = ConfigDict(from_attributes=True)

    bugs: list[BugFix]
    regressions: list[Any] = Field(default_factory=list)
    tests: list[HiddenTest] = Field(default_factory=list)
    # Lines the candidate changed divided by lines the reference fix changes (1.0 = as small).
    minimality_ratio: float | None = Field(None, ge=0)

    @classmethod
    def from_grade_report(cls, report: Any, minimality_ratio: float | None = None) -> PatchResult:
        """Build from a `hiresight.grading` GradeReport (or any object with the same fields).

        The minimality ratio comes from the report's breakdown (changed lines over the reference
        fix's changed lines) unless given explicitly.
        """
        result = cls.model_validate(report)
        breakdown = getattr(report, "breakdown", None)
        if minimality_ratio is None and breakdown is not None:
            changed = getattr(breakdown, "changed_lines", None)
            reference = getattr(breakdown, "reference_changed_lines", None)
            if isinstance(changed, int) and isinstance(reference, int) and reference > 0:
                minimality_ratio = changed / reference
        if minimality_ratio is not None:
            result = result.model_copy(update={"minimality_ratio": minimality_ratio})
        return result


def patch_score(patch: PatchResult, bugs: list[BugSpec]) -> dict[str, float]:
    """Patch design 0–100: severity-weighted bugs fixed, less regressions and sprawl."""
    severity = {b.id: SEVERITY_WEIGHT[b.severity] for b in bugs}
    total = sum(severity.values()) or 1.0
    fixed = sum(severity.get(b.id, SEVERITY_WEIGHT["medium"]) for b in patch.bugs if b.fixed)
    fixed_share = min(1.0, fixed / total)
    regression_factor = max(0.0, 1.0 - 0.25 * len(patch.regressions))
    ratio = patch.minimality_ratio
    # Up to 1.5x the reference diff is normal; a rewrite 5x its size loses 30 %.
    minimality = 1.0 if ratio is None else 1.0 - 0.3 * nlp.ramp(ratio, 1.5, 5.0)
    return {
        "fixed_share": fixed_share,
        "regressions": float(len(patch.regressions)),
        "minimality": minimality,
        "value": 100.0 * fixed_share * regression_factor * minimality,
    }


def patch_evidence(patch: PatchResult) -> tuple[list[Evidence], list[str]]:
    """What patch design was scored on: each hidden test that passed, and each that did not.

    A test of a bug shows whether the patch fixed it; a test of no bug guards against
    regressions. Quotes are the test's id and verdict (no answer text: offsets 0–0).
    Returns (evidence, missed).
    """
    evidence = []
    missed = []
    for t in patch.tests:
        point = f"fixes {t.bug}" if t.bug else "no regression"
        evidence.append(Evidence(
            point=point, quote=f"test {t.id}: {t.status}", start=0, end=0,
            similarity=1.0 if t.passed else 0.0,
        ))  # fmt: skip
        if not t.passed:
            missed.append(f"{point}: test {t.id} {t.status}")
    return evidence, missed


# Stage weights: finding the bugs matters most, then fixing them, then explaining them.
STAGE_WEIGHTS = {"identification": 0.40, "patch": 0.35, "explanation": 0.25}


def score_stage(flags: FlagResult, patch: dict[str, float] | None, explanation: Score) -> Score:
    """One code-review stage score from its three parts; a missing patch counts as 0."""
    parts = {
        "identification": flags.value,
        "patch": patch["value"] if patch else 0.0,
        "explanation": explanation.value,
    }
    value = sum(STAGE_WEIGHTS[k] * v for k, v in parts.items())
    subs = {
        **{f"{k}_value": round(v, 2) for k, v in parts.items()},
        "flag_precision": round(flags.precision, 4),
        "flag_recall": round(flags.recall, 4),
        **{f"explanation_{k}": v for k, v in explanation.sub_scores.items()},
    }
    notes = [*explanation.notes]
    if flags.missed_bugs:
        notes.append("bugs not flagged: " + ", ".join(flags.missed_bugs))
    return explanation.model_copy(
        update={
            "value": round(value, 2),
            "rubric_version": f"{explanation.rubric_version}+{CODE_REVIEW_FLAGS_VERSION}",
            "sub_scores": subs,
            "notes": notes,
        }
    )
