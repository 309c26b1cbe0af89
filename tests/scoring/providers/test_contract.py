"""One contract every AIProvider meets, run against each implementation (rubric and OpenAI).

The OpenAI provider runs against the fake endpoint replying with a valid grade whose quote is
taken from the answer, so both implementations are held to the same observable behaviour.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from hiresight.scoring.providers import AIProvider, AISettings, OpenAIProvider, RubricProvider
from hiresight.scoring.types import RUBRIC_VERSIONS, Answer, AnswerKind, Question, RubricPoint
from tests.scoring.providers.fake_llm import Reply, running

QUESTION = Question(
    text="Design a rate limiter for a public API.",
    kind=AnswerKind.SYSTEM_DESIGN,
    reference_answer="Keep counters in Redis; use a sliding window; return 429 with Retry-After.",
)
RUBRIC = [
    RubricPoint(id="store", text="Counters in a shared store such as Redis"),
    RubricPoint(id="429", text="Return status 429 with Retry-After"),
]
ANSWER = Answer(
    text="I would keep per-key counters in Redis with a sliding window. Over the limit the API "
    "returns 429 with a Retry-After header."
)


@pytest.fixture(params=["rubric", "openai"])
def provider(request: pytest.FixtureRequest) -> Iterator[AIProvider]:
    """Each provider implementation in turn."""
    if request.param == "rubric":
        yield RubricProvider()
        return
    with running() as fake:
        fake.reply = Reply(
            content=json.dumps(
                {
                    "score": 75,
                    "evidence": [{"point": "store", "quote": "per-key counters in Redis"}],
                    "points_missed": ["429"],
                }
            )
        )
        settings = AISettings(provider="openai", base_url=fake.base_url, model="m", timeout=5)
        p = OpenAIProvider(settings)
        yield p
        p.close()


def test_score_is_in_range_and_labelled(provider: AIProvider) -> None:
    """Scores are 0–100 and carry the kind, a rubric version and a provider name."""
    score = provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    assert 0 <= score.value <= 100
    assert score.kind is AnswerKind.SYSTEM_DESIGN
    assert score.rubric_version.startswith(RUBRIC_VERSIONS[AnswerKind.SYSTEM_DESIGN])
    assert score.provider


def test_evidence_quotes_occur_in_the_answer(provider: AIProvider) -> None:
    """Every quote is the answer text at its offsets and names a rubric point."""
    score = provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    assert score.evidence
    for ev in score.evidence:
        assert ANSWER.text[ev.start : ev.end] == ev.quote
        assert ev.point in {p.text for p in RUBRIC}


def test_empty_answer_scores_zero(provider: AIProvider) -> None:
    """An empty answer scores 0 whatever the provider (never sent to a model)."""
    score = provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, Answer(text=""), RUBRIC)
    assert score.value == 0
    assert not score.fallback


def test_generates_a_question_of_the_kind(provider: AIProvider) -> None:
    """generate_question returns a Question of the requested kind."""
    question = provider.generate_question(AnswerKind.BEHAVIOURAL, topic="missed a deadline")
    assert question.kind is AnswerKind.BEHAVIOURAL
    assert question.text
