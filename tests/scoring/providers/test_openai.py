"""Contract tests of OpenAIProvider against a fake chat-completions server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from hiresight.interviews.config import StageKind
from hiresight.interviews.models import AttemptState
from hiresight.review import scorecard
from hiresight.review.scorecard import ComponentResult, StageResult
from hiresight.scoring.providers import AISettings, OpenAIProvider, RubricProvider
from hiresight.scoring.providers.openai import load_prompt
from hiresight.scoring.types import RUBRIC_VERSIONS, Answer, AnswerKind, Question, RubricPoint
from tests.scoring.providers.fake_llm import FakeLLM, Reply, quoting_judge, running

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
    assert score.rubric_version == RUBRIC_VERSIONS[AnswerKind.SYSTEM_DESIGN] + "+grade_answer.v2"


def test_request_carries_model_auth_and_versioned_prompt(
    fake: FakeLLM, provider: OpenAIProvider
) -> None:
    """The request sends the model, the bearer key, and the prompt built from the v2 file."""
    fake.reply = Reply(content=_grade(50, [], ["profile", "cache"]))
    provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    req = fake.requests[-1]
    assert req["path"] == "/v1/chat/completions"
    assert req["auth"] == "Bearer sk-test"
    assert req["body"]["model"] == "test-model"
    prompt = req["body"]["messages"][-1]["content"]
    assert ANSWER.text in prompt
    assert "cache: Cache repeated reads in Redis" in prompt
    assert "$answer" in load_prompt("grade_answer.v2.md").template
    assert "$answer" in load_prompt("grade_answer.v1.md").template  # v1 stays for old scores


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(content="this is not json"), "invalid_json"),
        (Reply(content=json.dumps({"score": 250})), "invalid_schema"),
        (
            Reply(content=_grade(90, [{"point": "cache", "quote": "I used Memcached"}], [])),
            "invented_span: 1 of 1 quotes are not in the answer",
        ),
        (
            Reply(content=_grade(90, [{"point": "latency", "quote": "profile it"}], [])),
            "unknown_point: rubric point 'latency' is not one of profile, cache",
        ),
        (Reply(content=_grade(90, [], ["nope"])), "unknown_point"),
        (Reply(content=None, refusal="I can't help with grading people."), "refusal"),
        (Reply(content="{}", status=500), "http_error"),
        (Reply(content=_grade(90, [], []), delay_s=1.5), "timeout"),
    ],
    ids=[
        "invalid-json",
        "schema",
        "invented-span",
        "unknown-point",
        "unknown-missed-point",
        "refusal",
        "http-500",
        "timeout",
    ],
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


# --- the judge held to the rubric engine's contract ----------------------------------------

DESIGN = Question(
    text="A hot cache key expires and the database falls over. What would you do?",
    kind=AnswerKind.SYSTEM_DESIGN,
    reference_answer="Single-flight recompute. Jittered TTLs.",
    outline=("Single-flight recompute behind a lock", "Jittered TTLs"),
)
STORY = Question(
    text="Tell me about a time you disagreed with a teammate.",
    kind=AnswerKind.BEHAVIOURAL,
    star={"situation": "The disagreement and its stakes", "result": "What changed, measured"},
)


def test_prompt_carries_rubric_ids_outline_and_star(
    fake: FakeLLM, provider: OpenAIProvider
) -> None:
    """The judge sees the same rubric points (ids and texts), the outline and the STAR parts."""
    fake.reply = Reply(content=_grade(50, [], ["profile", "cache"]))
    provider.score_answer(AnswerKind.SYSTEM_DESIGN, DESIGN, ANSWER, RUBRIC)
    prompt = fake.requests[-1]["body"]["messages"][-1]["content"]
    assert "profile: Profile to find the bottleneck\ncache: Cache repeated reads in Redis" in prompt
    assert "- Single-flight recompute behind a lock\n- Jittered TTLs" in prompt
    assert f"<<<ANSWER\n{ANSWER.text}\nANSWER>>>" in prompt
    provider.score_answer(AnswerKind.BEHAVIOURAL, STORY, ANSWER, RUBRIC)
    prompt = fake.requests[-1]["body"]["messages"][-1]["content"]
    assert "situation: The disagreement and its stakes\nresult: What changed, measured" in prompt
    assert "$" not in prompt.replace("$answer", "")


def test_documented_shape_gives_evidence_at_the_right_offsets(
    fake: FakeLLM, provider: OpenAIProvider
) -> None:
    """Quotes re-flowed or with curly quote marks are found; offsets point at the answer's span."""
    answer = Answer(
        text='First I would profile it with  py-spy,\nthen cache the "hot" reads in Redis for 60 s.'
    )
    fake.reply = Reply(
        content=_grade(
            77,
            [
                {"point": "profile", "quote": "profile it with py-spy, then"},
                {"point": "cache", "quote": "“cache the \u201chot\u201d reads in Redis”"},
            ],
            [],
        )
    )
    score = provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, answer, RUBRIC)
    assert not score.fallback
    assert score.value == 77
    spans = [(ev.point, answer.text[ev.start : ev.end], ev.quote) for ev in score.evidence]
    assert spans == [
        ("Profile to find the bottleneck", *(["profile it with  py-spy,\nthen"] * 2)),
        ("Cache repeated reads in Redis", *(['cache the "hot" reads in Redis'] * 2)),
    ]
    assert score.points_missed == []


def test_one_invented_span_voids_the_grade(fake: FakeLLM, provider: OpenAIProvider) -> None:
    """A grade with one real and one invented quote is replaced by the rubric engine's score."""
    fake.reply = Reply(
        content=_grade(
            95,
            [
                {"point": "profile", "quote": "profile it with py-spy"},
                {"point": "cache", "quote": "cache reads in Memcached"},
            ],
            [],
        )
    )
    score = provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    expected = RubricProvider().score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    assert score.fallback is True
    assert score.fallback_reason == "invented_span: 1 of 2 quotes are not in the answer"
    assert score.value == expected.value
    assert score.provider == "rubric"


def test_scorecard_says_the_provider_fell_back(fake: FakeLLM, provider: OpenAIProvider) -> None:
    """A stage whose LLM grade was void is named in the scorecard's reasons."""
    fake.reply = Reply(content=_grade(95, [{"point": "cache", "quote": "invented words"}], []))
    score = provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    component = ComponentResult.model_validate(
        score.model_dump(include=set(ComponentResult.model_fields))
    )
    stage = StageResult(
        stage=StageKind.system_design,
        attempt_id=1,
        attempt_no=1,
        state=AttemptState.submitted,
        submitted_at=None,
        score=score.value,
        components={"stage": component},
    )
    reasons = scorecard._reasons([stage], [])
    assert "system_design: the AI provider fell back to the rubric engine" in reasons


def test_quoting_judge_is_accepted(fake: FakeLLM, provider: OpenAIProvider) -> None:
    """The fake judge used by the CLI tests meets the contract (its quotes are found)."""
    fake.responder = quoting_judge
    score = provider.score_answer(AnswerKind.SYSTEM_DESIGN, QUESTION, ANSWER, RUBRIC)
    assert not score.fallback
    assert score.value == 20
    assert score.evidence[0].quote == "I would profile it with py-spy"
