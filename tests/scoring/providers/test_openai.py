"""Contract tests of OpenAIProvider against a fake chat-completions server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from hiresight.scoring.providers import AISettings, OpenAIProvider, RubricProvider
from hiresight.scoring.providers.openai import load_prompt
from hiresight.scoring.types import Answer, AnswerKind, Question, RubricPoint
from tests.scoring.providers.fake_llm import FakeLLM, Reply, running

QUESTION = Question(
    text="How would you make a slow endpoint faster?",
    kind=AnswerKind.SYSTEM_DESIGN,
    reference_answer="Profile first, then cache repeated reads in Redis.",
)
RUBRIC = [
    RubricPoint(id="profile", text="Profile to find the bottleneck"),
    RubricPoint(id="cache", text="Cache repeated reads in Redis"),
]
ANSWER = Answer(text="I would profile it with py-spy first. Then I would cache reads in Redis.")


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    """A running fake endpoint."""
    with running() as server:
        yield server


@pytest.fixture
def provider(fake: FakeLLM) -> Iterator[OpenAIProvider]:
    """A provider pointed at the fake endpoint with a short timeout."""
    settings = AISettings(
        provider="openai",
        base_url=fake.base_url,
        model="test-model",
        api_key="sk-test",
        timeout=0.5,
    )
    p = OpenAIProvider(settings, fallback=RubricProvider())
    yield p
    p.close()


def _grade(score: float, evidence: list[dict[str, str]], missed: list[str]) -> str:
    return json.dumps(
        {
            "score": score,
            "evidence": evidence,
            "points_missed": missed,
            "rationale": "covers profiling and caching",
        }
    )


def test_valid_reply_is_used_with_located_quotes(fake: FakeLLM, provider: OpenAIProvider) -> None:
    """A valid JSON grade becomes the Score; quotes get their offsets in the answer."""
    fake.reply = Reply(
        content=_grade(82, [{"point": "cache", "quote": "cache reads in Redis"}], ["profile"])
    )
    score = provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    assert score.value == 82
    assert not score.fallback
    assert score.provider == "openai:test-model"
    ev = score.evidence[0]
    assert ANSWER.text[ev.start : ev.end] == "cache reads in Redis"
    assert ev.point == "Cache repeated reads in Redis"
    assert score.points_missed == ["Profile to find the bottleneck"]
    assert score.rubric_version.endswith("grade_answer.v1")


def test_request_carries_model_auth_and_versioned_prompt(
    fake: FakeLLM, provider: OpenAIProvider
) -> None:
    """The request sends the model, the bearer key, and the prompt built from the v1 file."""
    fake.reply = Reply(content=_grade(50, [], ["profile", "cache"]))
    provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    req = fake.requests[-1]
    assert req["path"] == "/v1/chat/completions"
    assert req["auth"] == "Bearer sk-test"
    assert req["body"]["model"] == "test-model"
    prompt = req["body"]["messages"][-1]["content"]
    assert ANSWER.text in prompt
    assert "cache: Cache repeated reads in Redis" in prompt
    assert "$answer" in load_prompt("grade_answer.v1.md").template


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(content="this is not json"), "invalid_json"),
        (Reply(content=json.dumps({"score": 250})), "invalid_schema"),
        (
            Reply(content=_grade(90, [{"point": "cache", "quote": "I used Memcached"}], [])),
            "fabricated_quote",
        ),
        (Reply(content=None, refusal="I can't help with grading people."), "refusal"),
        (Reply(content="{}", status=500), "http_error"),
        (Reply(content=_grade(90, [], []), delay_s=1.5), "timeout"),
    ],
    ids=["invalid-json", "schema", "fabricated-quote", "refusal", "http-500", "timeout"],
)
def test_failures_fall_back_to_rubric(
    fake: FakeLLM, provider: OpenAIProvider, reply: Reply, reason: str
) -> None:
    """Every failure mode returns the rubric engine's score, marked fallback with the reason."""
    fake.reply = reply
    score = provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    expected = RubricProvider().score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    assert score.fallback is True
    assert score.fallback_reason is not None
    assert score.fallback_reason.startswith(reason)
    assert score.provider == "rubric"
    assert score.value == expected.value


def test_follow_up_from_endpoint(fake: FakeLLM, provider: OpenAIProvider) -> None:
    """A follow-up question in the reply is returned; null means no follow-up."""
    fake.reply = Reply(content=json.dumps({"follow_up": "Which metric did you watch?"}))
    assert provider.generate_follow_up(QUESTION, ANSWER) == "Which metric did you watch?"
    fake.reply = Reply(content=json.dumps({"follow_up": None}))
    assert provider.generate_follow_up(QUESTION, ANSWER) is None


def test_follow_up_falls_back_on_refusal(fake: FakeLLM, provider: OpenAIProvider) -> None:
    """A refusal on follow-up falls back to the rubric rule (vague answer: drill down)."""
    fake.reply = Reply(content=None, refusal="no")
    vague = Answer(text="It went fine.")
    assert provider.generate_follow_up(QUESTION, vague) == RubricProvider().generate_follow_up(
        QUESTION, vague
    )


def test_generate_question_from_endpoint_and_fallback(
    fake: FakeLLM, provider: OpenAIProvider
) -> None:
    """Generated questions come from the endpoint, or from templates when it fails."""
    fake.reply = Reply(
        content=json.dumps(
            {"question": "Design a job queue with retries.", "reference_answer": "At-least-once."}
        )
    )
    q = provider.generate_question(AnswerKind.SYSTEM_DESIGN, topic="a job queue")
    assert q.text == "Design a job queue with retries."
    assert q.reference_answer == "At-least-once."
    fake.reply = Reply(content="garbage")
    fallback = provider.generate_question(AnswerKind.SYSTEM_DESIGN, topic="a job queue", seed=1)
    assert "a job queue" in fallback.text


def test_fenced_json_is_accepted(fake: FakeLLM, provider: OpenAIProvider) -> None:
    """A reply wrapped in a ```json fence is still parsed (common with local models)."""
    fake.reply = Reply(content="```json\n" + _grade(64, [], ["profile", "cache"]) + "\n```")
    score = provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    assert score.value == 64
    assert not score.fallback
