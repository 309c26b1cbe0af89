"""Tests for the rubric engine's dispatch and the English-writing scorer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hiresight.scoring import scorers
from hiresight.scoring.types import Answer, AnswerKind, Question

WRITING_Q = Question(
    text="In about 150 words, describe a technical project you are proud of.",
    kind=AnswerKind.ENGLISH_WRITING,
)
ESSAY = (
    "I am proud of a booking system I built for a small hotel. I wrote the API in Python and "
    "designed the database, because the old spreadsheet allowed double bookings. The hardest "
    "part was handling time zones correctly. I learned to test early and to talk with the "
    "people who use the system every day, since they understood the problem better than I did."
)


def test_english_writing_scored_with_cefr_note() -> None:
    """A relevant essay gets a language score and a CEFR note, under its version label."""
    score = scorers.score(WRITING_Q, Answer(text=ESSAY), [])
    assert score.value > 30
    assert any(n.startswith("CEFR estimate") for n in score.notes)
    assert score.rubric_version == "english-writing-rubric.v1"


def test_english_writing_off_topic_gated() -> None:
    """Fluent writing about something else scores far lower than the relevant essay."""
    off = scorers.score(
        WRITING_Q,
        Answer(text="Cats sleep most of the day and like to sit in the sun near the window."),
        [],
    )
    on = scorers.score(WRITING_Q, Answer(text=ESSAY), [])
    assert off.value < on.value / 3


def test_each_kind_dispatches_to_its_rubric() -> None:
    """Every answer kind is scored under its own rubric version."""
    for kind in AnswerKind:
        q = Question(
            text="Explain how you would cache reads.",
            kind=kind,
            reference_answer="Use Redis with a TTL.",
        )
        score = scorers.score(q, Answer(text="I would cache reads in Redis with a TTL."), [])
        assert score.kind is kind
        assert score.rubric_version.split(".")[0] in {
            "resume-rubric", "system-design-rubric", "behavioural-star-rubric",
            "code-review-explanation-rubric", "english-writing-rubric",
        }  # fmt: skip


@settings(max_examples=15, deadline=None)
@given(st.text(max_size=200))
def test_any_text_scores_within_range(answer: str) -> None:
    """Whatever the candidate types, the score is a number in 0–100."""
    q = Question(text="How would you scale a read-heavy API?", kind=AnswerKind.SYSTEM_DESIGN)
    score = scorers.score(q, Answer(text=answer), [])
    assert 0 <= score.value <= 100
