"""What a free-text answer is scored against, built in one place from a stage's rubric material.

An interview stores its prompt's rubric material privately (`rubric`, `star`, `model_answer`,
`reference_outline`, `trade_offs`); the validity set names the same bank prompts. Both turn that
material into the scorer's `Question` and rubric points here, so the set measures exactly what a
stored attempt gets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hiresight.scoring.types import AnswerKind, Question, RubricPoint


def _lines(private: Mapping[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(x) for x in private.get(key) or () if str(x).strip())


def free_text_inputs(
    kind: AnswerKind,
    question_text: str,
    private: Mapping[str, Any],
    *,
    claim: str | None = None,
    time_allotted_s: float | None = None,
) -> tuple[Question, list[RubricPoint]]:
    """The scorer's question and rubric points for one free-text question of a stage."""
    outline = (_lines(private, "model_answer") or _lines(private, "reference_outline")) + _lines(
        private, "trade_offs"
    )
    star = private.get("star")
    star_map = {str(k): str(v) for k, v in star.items()} if isinstance(star, Mapping) else None
    question = Question(
        text=question_text,
        kind=kind,
        reference_answer=" ".join(outline),
        claim=claim or private.get("claim") or None,
        time_allotted_s=time_allotted_s,
        outline=outline,
        star=star_map,
    )
    rubric = [RubricPoint(id=f"p{i}", text=t) for i, t in enumerate(_lines(private, "rubric"))]
    return question, rubric
