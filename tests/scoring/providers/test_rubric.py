"""Tests for RubricProvider: grading, seeded question templates and drill-down follow-ups."""

from __future__ import annotations

from hiresight.scoring.providers import RubricProvider
from hiresight.scoring.types import Answer, AnswerKind, Question

QUESTION = Question(
    text="Your résumé says you cut latency by 60%. How?",
    kind=AnswerKind.RESUME,
    claim="Cut API latency by 60% with a Redis cache",
)


def test_scores_with_rubric_provider_name() -> None:
    """Scores carry provider 'rubric' and the kind passed in."""
    score = RubricProvider().score_answer(
        AnswerKind.RESUME, QUESTION, Answer(text="I added a Redis cache and p95 fell 60%."), []
    )
    assert score.provider == "rubric"
    assert score.kind is AnswerKind.RESUME


def test_vague_answer_gets_drill_down() -> None:
    """A short generic answer gets a follow-up naming what is missing and the claim."""
    follow = RubricProvider().generate_follow_up(QUESTION, Answer(text="We made it faster."))
    assert follow is not None
    assert "Cut API latency by 60% with a Redis cache" in follow
    assert "what numbers showed the result" in follow


def test_concrete_answer_needs_no_follow_up() -> None:
    """A detailed answer with numbers, tools and actions gets no follow-up."""
    answer = Answer(
        text=(
            "I profiled the catalogue endpoint with py-spy and found 70% of time in three "
            "Postgres queries. I added a Redis read-through cache with a 10 minute TTL and "
            "invalidated keys on writes. p95 went from 410 ms to 165 ms over two weeks of "
            "Grafana data, and I alerted on the hit rate."
        )
    )
    assert RubricProvider().generate_follow_up(QUESTION, answer) is None


def test_generated_questions_are_seeded() -> None:
    """The same seed gives the same question; the claim is quoted in résumé questions."""
    provider = RubricProvider()
    a = provider.generate_question(AnswerKind.RESUME, claim="Led the Postgres migration", seed=3)
    b = provider.generate_question(AnswerKind.RESUME, claim="Led the Postgres migration", seed=3)
    assert a == b
    assert "Led the Postgres migration" in a.text
    assert a.claim == "Led the Postgres migration"


def test_short_but_dense_answer_gets_no_follow_up() -> None:
    """A 38-word answer with numbers, named systems and own actions is specific enough."""
    from hiresight.scoring.providers.rubric import RubricProvider
    from hiresight.scoring.types import Answer, AnswerKind, Question

    dense = (
        "I led the migration of 14 services from RabbitMQ to Kafka over six months; I "
        "measured p99 latency before and after with our Prometheus dashboards and it fell "
        "from 480 ms to 330 ms, mostly because consumers stopped blocking on acks."
    )
    question = Question(text="Tell me about the migration.", kind=AnswerKind.RESUME)
    assert RubricProvider().generate_follow_up(question, Answer(text=dense)) is None
    assert RubricProvider().generate_follow_up(question, Answer(text="I helped.")) is not None
