"""Question generation goes through the AI-provider interface, so an LLM can word questions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hiresight.interviews import questions
from hiresight.scoring.providers.base import AIProvider
from hiresight.scoring.types import Answer, AnswerKind, Question, RubricPoint, Score


class ScriptedLLM(AIProvider):
    """A provider standing in for an LLM: it words every question and follow-up itself."""

    def score_answer(
        self, kind: AnswerKind, question: Question, answer: Answer, rubric: list[RubricPoint]
    ) -> Score:
        raise NotImplementedError

    def generate_question(
        self, kind: AnswerKind, *, topic: str = "", claim: str | None = None, seed: int = 0
    ) -> Question:
        return Question(text=f"LLM asks about: {claim}", kind=kind, claim=claim)

    def generate_follow_up(
        self, question: Question, answer: Answer, claim: str | None = None
    ) -> str | None:
        return "LLM follow-up: which numbers?" if len(answer.text) < 40 else None


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Route the interview's question generation to the scripted provider."""
    monkeypatch.setattr(questions, "provider", ScriptedLLM)


def test_llm_words_resume_questions_and_follow_ups(
    client: TestClient, headers: dict[str, str], llm: None
) -> None:
    """With an LLM provider the résumé questions and the drill-down come from it."""
    session = client.post("/api/v1/interviews", headers=headers, json={"stages": ["resume"]})
    attempt = client.post(
        f"/api/v1/interviews/{session.json()['id']}/stages/resume/start", headers=headers
    ).json()
    first = attempt["content"]["questions"][0]
    assert first["text"].startswith("LLM asks about: ")
    r = client.post(
        f"/api/v1/attempts/{attempt['id']}/questions/{first['id']}/answer",
        headers=headers,
        json={"text": "Some work."},
    )
    assert r.json()["content"]["questions"][-1]["text"] == "LLM follow-up: which numbers?"
