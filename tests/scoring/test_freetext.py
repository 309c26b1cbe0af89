"""Known answers for free-text scoring: specific beats vague, evidence is the best sentence,
the question is never a rubric point, and drill-down answers count for their question."""

from __future__ import annotations

import datetime as dt

import numpy as np

from hiresight.banks.loader import behavioral_material, prompt_by_id
from hiresight.banks.models import BehavioralPrompt
from hiresight.interviews import scoring as service
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import StageAttempt
from hiresight.scoring import freetext, scorers
from hiresight.scoring.providers import RubricProvider
from hiresight.scoring.rubrics import free_text_inputs
from hiresight.scoring.types import Answer, AnswerKind, Question, RubricPoint

SPECIFIC_CONFLICT = (
    "Last year on the payments team, Priya wanted to move our reconciliation job to a streaming "
    "design, and I thought the nightly batch was safer. Her point was fair: the batch finished at "
    "6 am, so finance saw errors a day late. I suggested we stop arguing in the abstract and spend "
    "two days on a spike measuring both. I built the batch variant with incremental checkpoints, "
    "she built the Kafka consumer, and we replayed a week of production traffic through each. "
    "Streaming caught mismatches within 4 minutes but cost about 30% more compute. We took the "
    "numbers to our lead and chose streaming for the card flows only. I lost the main argument "
    "and committed to it. We still pair on that service."
)
EVASIVE = (
    "I don't really have disagreements. I get along with everybody and if someone disagrees I "
    "just do what the manager says."
)


def _score(kind: AnswerKind, question: Question, text: str, rubric: list[RubricPoint]) -> float:
    return RubricProvider().score_answer(kind, question, Answer(text=text), rubric).value


def test_bank_conflict_prompt_ranks_the_specific_story_far_above_the_evasive_answer() -> None:
    """The bank's own conflict prompt: the specific story wins by at least 20 points."""
    prompt = prompt_by_id("bh-conflict")
    assert isinstance(prompt, BehavioralPrompt)
    question, rubric = free_text_inputs(
        AnswerKind.BEHAVIOURAL, prompt.generic, behavioral_material(prompt)
    )
    specific = _score(AnswerKind.BEHAVIOURAL, question, SPECIFIC_CONFLICT, rubric)
    evasive = _score(AnswerKind.BEHAVIOURAL, question, EVASIVE, rubric)
    assert specific >= 60
    assert evasive <= 35
    assert specific - evasive >= 20


def test_without_points_a_labelled_story_beats_a_slogan() -> None:
    """With no points or reference the kind's own rubric applies (STAR and specificity)."""
    question = Question(
        text="Tell me about a time you took ownership of a problem.", kind=AnswerKind.BEHAVIOURAL
    )
    story = (
        "Situation: our nightly invoice export failed twice in March and nobody owned it. "
        "Task: I volunteered to fix it before the quarter close. Action: I traced the failures to "
        "a timeout on the tax API, added retries with backoff and an alert. Result: the export "
        "has run 90 nights without a failure."
    )
    slogan = "I always take ownership and I work hard."
    scored = RubricProvider().score_answer(question.kind, question, Answer(text=story), [])
    assert scored.sub_scores["star"] == 1.0
    assert scored.points_missed == []  # the question itself is never a rubric point
    assert scored.value - _score(question.kind, question, slogan, []) >= 20


def test_long_generic_answer_scores_low_whatever_its_length() -> None:
    """Platitudes repeated at length stay under 35."""
    question = Question(
        text="Tell me about a time you disagreed with a teammate.", kind=AnswerKind.BEHAVIOURAL
    )
    generic = " ".join(
        [
            "I believe communication is key in any team and I always try to listen first.",
            "In my experience most disagreements come from misunderstandings.",
            "I make sure everyone feels heard and that we find a solution together.",
            "At the end of the day we all want the product to succeed.",
        ]
        * 3
    )
    rubric = [RubricPoint(id="p1", text="States the other person's view fairly.")]
    assert _score(question.kind, question, generic, rubric) <= 35


def test_evidence_quotes_the_specific_sentence_not_the_vague_one() -> None:
    """Both sentences are about measuring; the one with figures is quoted."""
    question = Question(text="How did you know the new ranking was better?", kind=AnswerKind.RESUME)
    answer = (
        "We measured it and it got better. On a 12-week holdout, conversion was 18.2% against "
        "11.1% for the control group."
    )
    point = RubricPoint(id="m", text="Explains how the result was measured")
    scored = RubricProvider().score_answer(question.kind, question, Answer(text=answer), [point])
    assert [e.quote for e in scored.evidence] == [
        "On a 12-week holdout, conversion was 18.2% against 11.1% for the control group."
    ]


def test_one_sentence_serves_at_most_two_points_when_another_covers_the_third() -> None:
    """Sentence 0 is best for all three points; the third goes to sentence 1, which covers it."""
    credit = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.6]], dtype=np.float32)
    assert freetext._pick_evidence(credit) == [0, 0, 1]


def test_one_sentence_may_serve_a_third_point_when_nothing_else_covers_it() -> None:
    """With no other covering sentence the best one is still quoted."""
    credit = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.1]], dtype=np.float32)
    assert freetext._pick_evidence(credit) == [0, 0, 0]


def test_missed_points_come_with_the_closest_sentence() -> None:
    """A point not covered names the sentence that came nearest, for honest feedback."""
    question = Question(text="How did you roll out the change?", kind=AnswerKind.RESUME)
    answer = "I shipped it behind a feature flag to 5% of users on Monday."
    rubric = [RubricPoint(id="r", text="Describes the rollback plan and who was told")]
    scored = scorers.score(question, Answer(text=answer), rubric)
    if scored.points_missed:
        assert [c.point for c in scored.closest] == scored.points_missed
        assert scored.closest[0].quote == answer


def _resume_attempt(answers: dict[str, str]) -> StageAttempt:
    start = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    return StageAttempt(
        stage=StageKind.resume,
        content={
            "questions": [
                {"id": "r1", "type": "text", "claim": "Cut checkout latency",
                 "text": "You wrote that you cut checkout latency. How did you measure it?"},
                {"id": "r1-f1", "type": "text", "follow_up_of": "r1",
                 "text": "What exactly did you measure before and after?"},
            ]
        },
        private={"follow_ups": {}, "answered": {}},
        answer={"answers": answers},
        started_at=start,
        deadline_at=start + dt.timedelta(minutes=6),
        submitted_at=start + dt.timedelta(minutes=5),
    )  # fmt: skip


def test_drill_down_answers_count_for_the_question_they_follow() -> None:
    """The follow-up's specific answer is evidence for, and coverage of, the first question."""
    vague = "We measured it and it got better."
    specific = (
        "I compared p95 from our Grafana dashboard over two weeks before and after: 820 ms fell "
        "to 310 ms on the same traffic."
    )
    alone = service.compute_scores(_resume_attempt({"r1": vague}), RubricProvider())["stage"]
    both = service.compute_scores(
        _resume_attempt({"r1": vague, "r1-f1": specific}), RubricProvider()
    )["stage"]
    assert both.value > alone.value + 20
    assert any("820 ms" in e.quote for e in both.evidence)
