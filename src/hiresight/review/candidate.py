"""What a candidate is told of their scorecard: scores and next steps, no rubric material.

Feedback is honest: a stage below 70 always names what to work on first, with the candidate's own
sentence that came closest; and a code review never shows its rubric text, which is the bank's
answer key. (Practice feedback on a single attempt is `interviews.feedback`.)
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from hiresight.interviews.config import StageKind
from hiresight.review.scorecard import ComponentResult, Scorecard, StageResult, shown_score
from hiresight.scoring import codereview
from hiresight.scoring.types import SCORECARD_VERSION

NEXT_STEPS = {
    "bug_identification": "Flag each bug at its exact lines and name its class.",
    "patch_design": "Keep patches small: fix the root cause without rewriting working code.",
    "explanation": "Explain each fix as problem, root cause, one-line fix, and its impact.",
    "communication": "Answer in a clear order and use most of the time you are given.",
    "specificity": "Give numbers, named technologies and what you did yourself.",
    "star": "Tell behavioural stories as Situation, Task, Action and Result.",
    "coverage": "Cover the main points the question asks about before going deep on one.",
}
# Below this stage score a candidate is always told what to work on first.
FEEDBACK_BAR = 70.0
# The English stage's weakest part, in the candidate's words.
ENGLISH_STEPS = {
    "mc": "Practise English grammar, vocabulary and reading questions: the multiple-choice "
    "part was your weakest.",
    "writing_accuracy": "Check the grammar and spelling of each sentence before you submit.",
    "writing_vocabulary": "Use more precise words where they fit, not only everyday ones.",
    "writing_diversity": "Vary your words rather than repeating the same ones.",
    "writing_complexity": "Join related ideas with linking words (because, although, which).",
    "writing_readability_grade": "Develop each idea in a full sentence or two.",
    "writing_length": "Write a longer sample that develops your points.",
}
GENERIC_STEP = "Go back over what this stage asked for and try it again in a practice session."
# A code review's rubric points are the reference explanation of its seeded bugs (the answer
# key), so its focus is the weakest part of the review in general words, never a point's text.
CODE_REVIEW_FOCUS = {
    "identification": NEXT_STEPS["bug_identification"],
    "patch": "Fix the root cause of each bug you find with a small patch that leaves working "
    "code as it is.",
    "explanation": NEXT_STEPS["explanation"],
    "part_problem": "For each fix, first say what goes wrong and why: the problem and its root "
    "cause.",
    "part_solution": "For each fix, say what you changed and why that removes the root cause.",
    "part_impact": "For each fix, say what the bug would cost users or the system if it shipped.",
}


class CandidateFocus(BaseModel):
    """What to work on first in a stage, and the candidate's own sentence that came closest."""

    point: str
    closest: str | None = None


class CandidateStage(BaseModel):
    """The candidate's own view of a stage: the score and what to work on, no rubric material."""

    stage: StageKind
    score: float | None
    focus: CandidateFocus | None = None
    next_steps: list[str]

    @property
    def score_shown(self) -> int | None:
        """The stage score as pages show it, the same as in the interview room."""
        return shown_score(self.score)


class CandidateScorecard(BaseModel):
    """The candidate's version of the scorecard."""

    version: str = SCORECARD_VERSION
    overall: float | None
    cefr: str | None
    stages: list[CandidateStage]


def _next_steps(stage: StageResult) -> list[str]:
    steps = []
    for name, component in stage.components.items():
        if name != "stage" and component.value < 60 and name in NEXT_STEPS:
            steps.append(NEXT_STEPS[name])
    subs = stage.components["stage"].sub_scores if "stage" in stage.components else {}
    if subs.get("specificity", 1.0) < 0.5:
        steps.append(NEXT_STEPS["specificity"])
    if stage.stage is StageKind.behavioral and any(
        subs.get(f"star_{p}", 1.0) < 0.5 for p in ("situation", "task", "action", "result")
    ):
        steps.append(NEXT_STEPS["star"])
    if subs.get("coverage", 1.0) < 0.5:
        steps.append(NEXT_STEPS["coverage"])
    return list(dict.fromkeys(steps))


def _english_focus(component: ComponentResult) -> CandidateFocus | None:
    """The English stage's weakest part; for accuracy, a sentence of theirs with an issue."""
    subs = component.sub_scores
    parts = {k: float(subs[k]) for k in ENGLISH_STEPS if k.startswith("writing_") and k in subs}
    if "mc" in subs and ("writing" not in subs or float(subs["mc"]) < float(subs["writing"])):
        return CandidateFocus(point=ENGLISH_STEPS["mc"])
    if not parts:
        return None
    weakest = min(parts, key=lambda k: parts[k])
    sentence = None
    if weakest == "writing_accuracy":
        sentence = next(
            (e["quote"] for e in component.evidence
             if str(e.get("point", "")).startswith(("grammar: ", "spelling: "))
             and not str(e.get("point", "")).startswith("grammar: no issue")),
            None,
        )  # fmt: skip
    return CandidateFocus(point=ENGLISH_STEPS[weakest], closest=sentence)


def _weakest_closest(component: ComponentResult) -> dict[str, Any] | None:
    """The closest sentence of the missed point it came least close to (None if none stored)."""
    missed = set(component.points_missed)
    near = [e for e in component.closest if e.get("point") in missed] or component.closest
    return min(near, key=lambda e: float(e.get("similarity", 0.0))) if near else None


def _code_review_focus(component: ComponentResult) -> CandidateFocus:
    """The part of a code review that lost the most weighted points, in general words.

    For the explanation: a part it never stated (problem, fix or impact), else the general
    advice with the candidate's own sentence that came least close to a missed point.
    """
    subs = component.sub_scores
    lost = {
        part: weight * (100.0 - float(subs[f"{part}_value"]))
        for part, weight in codereview.STAGE_WEIGHTS.items()
        if f"{part}_value" in subs
    }
    weakest = max(lost, key=lambda part: lost[part]) if lost else "explanation"
    if weakest != "explanation":
        return CandidateFocus(point=CODE_REVIEW_FOCUS[weakest])
    for part in ("problem", "solution", "impact"):
        if float(subs.get(f"explanation_part_{part}", 1.0)) < 0.5:
            return CandidateFocus(point=CODE_REVIEW_FOCUS[f"part_{part}"])
    near = _weakest_closest(component)
    return CandidateFocus(
        point=CODE_REVIEW_FOCUS["explanation"], closest=str(near["quote"]) if near else None
    )


def _focus(stage: StageResult) -> CandidateFocus | None:
    """For a stage below the bar: its weakest point and the sentence that came closest to it.

    The weakest point is the missed point whose closest sentence is least similar; without
    closest sentences (older scores), the first point missed. Only the point's text and the
    candidate's own sentence are shown, never scores or weights behind them. A code review
    names its weakest part instead: its points are the answer key (`_code_review_focus`).
    """
    component = stage.components.get("stage")
    if stage.score is None or stage.score >= FEEDBACK_BAR or component is None:
        return None
    if stage.stage is StageKind.code_review:
        return _code_review_focus(component)
    weakest = _weakest_closest(component)
    if weakest is not None:
        return CandidateFocus(point=str(weakest["point"]), closest=str(weakest["quote"]))
    if component.points_missed:
        return CandidateFocus(point=component.points_missed[0])
    if stage.stage is StageKind.english:
        return _english_focus(component)
    return None


def _candidate_stage(stage: StageResult) -> CandidateStage:
    focus = _focus(stage)
    # Advice already given as the focus is not repeated in the list below it.
    steps = [s for s in _next_steps(stage) if focus is None or s != focus.point]
    # A stage below the bar always says what to work on, never "nothing stood out".
    if stage.score is not None and stage.score < FEEDBACK_BAR and focus is None and not steps:
        steps = [GENERIC_STEP]
    return CandidateStage(stage=stage.stage, score=stage.score, focus=focus, next_steps=steps)


def for_candidate(card: Scorecard) -> CandidateScorecard:
    """The candidate's version: scores and next steps, without evidence or rubric material.

    A stage scored below 70 names its weakest point and the candidate's closest sentence.
    """
    return CandidateScorecard(
        overall=card.overall, cefr=card.cefr, stages=[_candidate_stage(s) for s in card.stages]
    )
