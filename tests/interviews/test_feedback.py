"""Practice feedback on the English check: each item (right or not, the right answer and why)
and the writing sample's own feedback."""

from __future__ import annotations

from typing import Any

from hiresight.banks.loader import english_items
from hiresight.interviews.attempt_data.stored import PracticeFeedback
from hiresight.interviews.config import StageKind
from hiresight.interviews.feedback import item_feedback, practice_feedback, writing_feedback
from hiresight.interviews.models import StageAttempt
from hiresight.scoring.types import AnswerKind, Evidence, Score

BANK = {item.id: item for item in english_items()}
HAS, WROTE = BANK["g-a2-has"], BANK["g-a2-wrote"]


def _english(writing: str, responses: list[dict[str, Any]]) -> StageAttempt:
    content = {
        "instructions": "Answer each multiple-choice question, then write the short text.",
        "questions": [
            {"id": i, "type": "mc", "text": BANK[i].prompt, "options": list(BANK[i].options)}
            for i in ("g-a2-has", "g-a2-wrote")
        ],
        "mc_total": 2,
        "writing": {"id": "w1", "prompt": "Write", "min_words": 20, "max_words": 150},
    }
    private = {"adaptive_seed": 1, "max_items": 2, "responses": responses}
    answer = {"answers": {}, "writing": writing}
    return StageAttempt(
        id=7, stage=StageKind.english, content=content, private=private, answer=answer
    )


def _score(subs: dict[str, float]) -> Score:
    return Score(
        value=50.0,
        kind=AnswerKind.ENGLISH_WRITING,
        rubric_version="test",
        provider="rubric",
        sub_scores=subs,
        evidence=[
            # A missed item's evidence (no offsets) and a sentence of the sample.
            Evidence(point=HAS.prompt, quote="chose “have”", start=0, end=0, similarity=0.0),
            Evidence(point="spelling: misspelled: teh", quote="I fixed teh bug.", start=0,
                     end=16, similarity=1.0),
        ],
    )  # fmt: skip


def test_each_item_says_right_or_not_with_the_right_answer_and_why() -> None:
    """The bank's items in the order answered: the choice, the verdict, the answer, the why."""
    attempt = _english("", [
        {"item_id": "g-a2-has", "choice": 1, "correct": False},
        {"item_id": "g-a2-wrote", "choice": 1, "correct": True},
        {"item_id": "retired-item", "choice": 0, "correct": True},
    ])  # fmt: skip
    assert item_feedback(attempt) == [
        {"id": "g-a2-has", "prompt": HAS.prompt, "your_answer": "have", "correct": False,
         "right_answer": "has", "why": HAS.explanation},
        {"id": "g-a2-wrote", "prompt": WROTE.prompt, "your_answer": "wrote", "correct": True,
         "right_answer": "wrote", "why": WROTE.explanation},
    ]  # fmt: skip


def test_an_item_without_a_valid_choice_says_so() -> None:
    """A choice outside the options is no answer, and the right one is still given."""
    attempt = _english("", [{"item_id": "g-a2-has", "choice": 9, "correct": False}])
    (item,) = item_feedback(attempt)
    assert (item["your_answer"], item["right_answer"]) == (None, "has")


def test_the_writing_sample_gets_its_own_feedback() -> None:
    """Score, words against the task, sub-scores, the sample's sentences (not the items'), and
    advice for each sub-score under half, weakest first."""
    attempt = _english("I fixed teh bug.", [])
    subs = {
        "mc": 60.0, "writing": 41.26, "writing_accuracy": 0.9, "writing_vocabulary": 0.3,
        "writing_diversity": 0.45, "writing_length": 0.1,
    }  # fmt: skip
    feedback = writing_feedback(attempt, _score(subs))
    assert feedback["score"] == 41.26
    assert (feedback["words"], feedback["min_words"], feedback["max_words"]) == (4, 20, 150)
    assert feedback["sub_scores"] == {
        "accuracy": 0.9, "vocabulary": 0.3, "diversity": 0.45, "length": 0.1,
    }  # fmt: skip
    assert feedback["notes"] == [
        {"point": "spelling: misspelled: teh", "quote": "I fixed teh bug."}
    ]
    advice = feedback["advice"]
    assert advice[0] == "Write at least 20 words: this text has 4."
    assert advice[1].startswith("Use the precise word")
    assert advice[2].startswith("Vary your words")
    assert len(advice) == 3


def test_no_writing_sample_is_said_plainly() -> None:
    """An empty sample scores nothing and says that no text was submitted."""
    feedback = writing_feedback(_english("   ", []), _score({}))
    assert (feedback["score"], feedback["words"]) == (0.0, 0)
    assert feedback["advice"] == [
        "No writing sample was submitted: the text counts as much as the items."
    ]


def test_practice_feedback_on_the_english_check_is_stored_whole() -> None:
    """The stored practice feedback holds the items and the writing apart."""
    attempt = _english("I fixed teh bug.", [{"item_id": "g-a2-has", "choice": 0, "correct": True}])
    stored = PracticeFeedback.model_validate(
        practice_feedback(attempt, {"stage": _score({"writing": 30.0})})
    )
    assert [(i.id, i.correct, i.right_answer) for i in stored.items] == [("g-a2-has", True, "has")]
    assert stored.writing is not None
    assert (stored.writing.score, stored.writing.words) == (30.0, 4)
