"""Practice feedback on one attempt: points missed, structure, pacing and a model outline;
for the English check, each item (right or not, the right answer and why) and the writing
sample's own feedback.

Feedback is honest: each missed point comes with the candidate's own sentence that came closest;
a STAR part the story tells is never marked missing; and a code review never shows its rubric
text, which is the bank's answer key. (The candidate's view of a whole scorecard is
`review.candidate`.)
"""

from __future__ import annotations

from typing import Any

from hiresight.banks.loader import english_items
from hiresight.interviews.attempt_data.answers import (
    CodeReviewAnswer,
    EnglishAnswer,
    QuestionsAnswer,
)
from hiresight.interviews.attempt_data.columns import (
    attempt_answer,
    attempt_content,
    attempt_private,
    model_outline,
)
from hiresight.interviews.attempt_data.stored import EnglishContent, EnglishPrivate
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import StageAttempt
from hiresight.scoring import star
from hiresight.scoring.explanation import explanation_parts
from hiresight.scoring.types import Evidence, Score


def _missed_with_closest(score: Score) -> list[dict[str, Any]]:
    """Each missed point with the candidate's sentence that came closest to it (None if none)."""
    closest: dict[str, Evidence] = {}
    for e in score.closest:
        # A point missed in several answers of the stage: the nearest sentence of all of them.
        if e.point not in closest or e.similarity > closest[e.point].similarity:
            closest[e.point] = e
    return [
        {"point": p, "closest": closest[p].quote if p in closest else None}
        for p in score.points_missed
    ]


def _stage_answer_text(attempt: StageAttempt) -> str:
    """Every free-text answer of the stage, in question order, as one text."""
    answer = attempt_answer(attempt)
    answers = answer.answers if isinstance(answer, QuestionsAnswer) else {}
    order = [q.id for q in attempt_content(attempt).questions if q.id in answers]
    order += [k for k in answers if k not in order]
    return "\n\n".join(str(answers[k]) for k in order if isinstance(answers[k], str))


def practice_feedback(attempt: StageAttempt, scores: dict[str, Score]) -> dict[str, Any]:
    """Immediate practice feedback: points missed, structure, pacing and a model outline.

    Each missed point comes with the candidate's sentence that came closest to it (`missed`);
    a behavioural answer's structure is read from the answer itself, so a part the story tells
    is never marked missing.
    """
    stage = scores["stage"]
    missed, with_closest = stage.points_missed, _missed_with_closest(stage)
    if attempt.stage is StageKind.code_review:
        # A code review's rubric points are its answer key (each seeded bug's problem and fix):
        # practice says how much was missed, never what, so the bank stays worth using.
        missed, with_closest = _code_review_misses(scores), []
    feedback: dict[str, Any] = {
        "score": stage.value,
        "points_missed": missed,
        "missed": with_closest,
        "notes": stage.notes,
        "model_outline": model_outline(attempt_private(attempt)),
    }  # fmt: skip
    comm = scores.get("communication")
    if comm is not None:
        feedback["pacing"] = comm.sub_scores.get("pacing")
    if attempt.stage is StageKind.english:
        feedback["items"] = item_feedback(attempt)
        feedback["writing"] = writing_feedback(attempt, stage)
    elif attempt.stage is StageKind.behavioral:
        feedback["structure"] = star.present(_stage_answer_text(attempt))
    elif attempt.stage is StageKind.code_review:
        review = attempt_answer(attempt, CodeReviewAnswer)
        feedback["structure"] = explanation_parts((review.explanation if review else None) or "")
    return feedback


def _code_review_misses(scores: dict[str, Score]) -> list[str]:
    """What a code review missed, in counts: seeded bugs not flagged, fixes not explained."""
    flags, explanation = scores.get("bug_identification"), scores.get("explanation")
    unflagged = len(flags.points_missed) if flags else 0
    unexplained = len(explanation.points_missed) if explanation else 0
    out = []
    if unflagged:
        out.append(f"{unflagged} seeded bug(s) not flagged at the right lines")
    if unexplained:
        out.append(f"{unexplained} point(s) of the explanation not covered (problem, fix, impact)")
    return out


def item_feedback(attempt: StageAttempt) -> list[dict[str, Any]]:
    """Each answered multiple-choice item in the order given: the candidate's choice, whether
    it was right, the right answer and the bank's one-line why."""
    bank = {item.id: item for item in english_items()}
    out = []
    for response in attempt_private(attempt, EnglishPrivate).responses:
        item = bank.get(response.item_id)
        if item is None:
            continue  # an item since retired from the bank: nothing true to say about it
        choice = response.choice
        valid = isinstance(choice, int) and 0 <= choice < len(item.options)
        out.append({
            "id": item.id, "prompt": item.prompt,
            "your_answer": item.options[choice] if valid and choice is not None else None,
            "correct": response.correct, "right_answer": item.options[item.answer],
            "why": item.explanation or None,
        })  # fmt: skip
    return out


# What to work on when a writing sub-score is below half marks, weakest first.
_WRITING_ADVICE = {
    "accuracy": "Check verb forms, agreement and spelling: read each sentence once more before "
    "you submit.",
    "vocabulary": 'Use the precise word for the work ("postpone", "mitigate", "root cause") '
    "where an everyday one is vague.",
    "diversity": "Vary your words: the same few repeated make a text read as basic.",
    "complexity": "Join related ideas in one sentence with because, although, so that or which.",
    "readability_grade": "Write full sentences in a professional register, not notes.",
}


def writing_feedback(attempt: StageAttempt, stage: Score) -> dict[str, Any]:
    """The writing sample's own feedback: its score and length against the task, the
    sub-scores, the sentences that show them, and advice for the weakest."""
    answer = attempt_answer(attempt, EnglishAnswer)
    sample = ((answer.writing if answer is not None else None) or "").strip()
    task = attempt_content(attempt, EnglishContent).writing
    words = len(sample.split())
    subs = {
        key.removeprefix("writing_"): value
        for key, value in stage.sub_scores.items()
        if key.startswith("writing_")
    }
    # The stage's evidence also quotes missed items; only the sample's sentences have offsets.
    notes = [{"point": e.point, "quote": e.quote} for e in stage.evidence if e.end > e.start]
    advice = []
    if not sample:
        advice.append("No writing sample was submitted: the text counts as much as the items.")
    elif task is not None and words < task.min_words:
        advice.append(f"Write at least {task.min_words} words: this text has {words}.")
    elif task is not None and words > task.max_words:
        advice.append(f"Keep to {task.max_words} words: this text has {words}.")
    weak = sorted((v, k) for k, v in subs.items() if k in _WRITING_ADVICE and v < 0.5)
    advice += [_WRITING_ADVICE[k] for _, k in weak]
    return {
        "score": round(stage.sub_scores.get("writing", 0.0), 2), "words": words,
        "min_words": task.min_words if task else None,
        "max_words": task.max_words if task else None,
        "sub_scores": {k: round(v, 2) for k, v in subs.items()}, "notes": notes,
        "advice": advice,
    }  # fmt: skip
