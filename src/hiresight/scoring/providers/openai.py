"""Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, llama.cpp server).

The judge is held to the rubric engine's contract: it sees the same rubric points (ids and texts),
the bank's outline of a strong answer and the STAR descriptions, and must back every point it
credits with a span of the answer. Replies must be JSON matching a pydantic schema. A quoted span
that is not in the answer (after whitespace and quote-mark normalisation) voids the grade: the
rubric engine's score is used instead. Timeouts, HTTP errors, invalid JSON, schema errors, unknown
rubric points and refusals fall back the same way, and the Score records that it did and why.
"""

from __future__ import annotations

import json
import re
import string
from functools import cache
from importlib import resources
from typing import Any

import httpx
from pydantic import BaseModel, Field, ValidationError

from hiresight.scoring import nlp, text
from hiresight.scoring.errors import ProviderError
from hiresight.scoring.providers.base import AIProvider
from hiresight.scoring.providers.rubric import RubricProvider
from hiresight.scoring.providers.settings import AISettings
from hiresight.scoring.types import (
    RUBRIC_VERSIONS,
    Answer,
    AnswerKind,
    Evidence,
    Question,
    RubricPoint,
    Score,
)

GRADE_PROMPT = "grade_answer.v2.md"
FOLLOW_UP_PROMPT = "follow_up.v1.md"
QUESTION_PROMPT = "generate_question.v1.md"
MIN_WORDS_FOR_MODEL = 3


class LLMEvidence(BaseModel):
    """One quoted piece of evidence as the model returns it."""

    point: str
    quote: str = Field(min_length=1)


class LLMGrade(BaseModel):
    """The JSON a grading reply must contain."""

    score: float = Field(ge=0, le=100)
    evidence: list[LLMEvidence] = Field(default_factory=list)
    points_missed: list[str] = Field(default_factory=list)
    rationale: str = ""


class LLMFollowUp(BaseModel):
    """The JSON a follow-up reply must contain."""

    follow_up: str | None


class LLMQuestion(BaseModel):
    """The JSON a question-generation reply must contain."""

    question: str = Field(min_length=5)
    reference_answer: str = ""


@cache
def load_prompt(name: str) -> string.Template:
    """A versioned prompt file from scoring/prompts, as a `$name` template."""
    path = resources.files("hiresight.scoring").joinpath("prompts", name)
    return string.Template(path.read_text(encoding="utf-8"))


# Models often straighten or curl quote marks and re-flow whitespace when they copy a span.
_QUOTE_MARKS = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
     "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'}
)  # fmt: skip


def _normalised(text: str) -> tuple[str, list[int]]:
    """`text` with straight quote marks and single spaces, and each character's original index."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch.translate(_QUOTE_MARKS))
        where.append(i)
    return "".join(chars), where


def _locate(quote: str, answer: str) -> tuple[int, int] | None:
    """Offsets in `answer` of the span `quote` copies, or None when the answer has no such span.

    The match is exact but for whitespace and quote marks; quote marks the model wrapped around
    the whole span are ignored.
    """
    start = answer.find(quote)
    if quote.strip() and start >= 0:
        return start, start + len(quote)
    haystack, where = _normalised(answer)
    needle = _normalised(quote)[0].strip()
    for candidate in (needle, needle.strip("\"'").strip()):
        found = haystack.find(candidate) if candidate else -1
        if found >= 0:
            return where[found], where[found + len(candidate) - 1] + 1
    return None


def _outline(question: Question) -> str:
    lines = question.outline or ((question.reference_answer,) if question.reference_answer else ())
    return "\n".join(f"- {line}" for line in lines)


def _star(question: Question) -> str:
    return "\n".join(f"{part}: {text}" for part, text in (question.star or {}).items())


class OpenAIProvider(AIProvider):
    """Grades with a rubric prompt on a chat-completions endpoint, falling back to the rubric."""

    def __init__(
        self,
        settings: AISettings,
        *,
        fallback: AIProvider | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not settings.base_url or not settings.model:
            raise ProviderError(
                "OpenAIProvider needs base_url and model", code="scoring_provider_config"
            )
        self.settings = settings
        self.name = f"openai:{settings.model}"
        self.fallback = fallback or RubricProvider()
        headers: dict[str, str] = {}
        if settings.api_key is not None:
            headers["Authorization"] = f"Bearer {settings.api_key.get_secret_value()}"
        self._client = httpx.Client(
            base_url=settings.base_url.rstrip("/"),
            headers=headers,
            timeout=settings.timeout,
            transport=transport,
        )

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()

    def _chat(self, prompt: str) -> dict[str, Any]:
        """Send one prompt; return the parsed JSON object of the reply or raise ProviderError."""
        body = {
            "model": self.settings.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": "You reply with one JSON object only."},
                {"role": "user", "content": prompt},
            ],
        }
        try:
            resp = self._client.post("/chat/completions", json=body)
            resp.raise_for_status()
            choice = resp.json()["choices"][0]
            message = choice["message"]
            choice_finish = choice.get("finish_reason")
            if not isinstance(message, dict):
                raise TypeError("message is not an object")
        except httpx.TimeoutException as exc:
            raise ProviderError(f"timeout after {self.settings.timeout}s", code="timeout") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"HTTP error: {exc}", code="http_error") from exc
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ProviderError("malformed chat-completions reply", code="invalid_reply") from exc
        # OpenAI puts refusals in message.refusal; other servers report a content filter.
        if message.get("refusal") or choice_finish == "content_filter":
            raise ProviderError(
                f"model refused: {message.get('refusal') or choice_finish}", code="refusal"
            )
        content = str(message.get("content") or "").strip()
        # Many local models wrap JSON in a Markdown fence even when asked not to.
        fenced = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", content, re.DOTALL)
        try:
            data = json.loads(fenced.group(1) if fenced else content)
        except json.JSONDecodeError as exc:
            raise ProviderError("reply is not valid JSON", code="invalid_json") from exc
        if not isinstance(data, dict):
            raise ProviderError("reply JSON is not an object", code="invalid_json")
        if data.get("refusal"):
            raise ProviderError(f"model refused: {data['refusal']}", code="refusal")
        return data

    def _grade(
        self, kind: AnswerKind, question: Question, answer: Answer, rubric: list[RubricPoint]
    ) -> Score:
        prompt = load_prompt(GRADE_PROMPT).safe_substitute(
            kind=kind.value,
            question=question.text,
            claim=question.claim or "",
            outline=_outline(question),
            star=_star(question),
            rubric="\n".join(f"{p.id}: {p.text}" for p in rubric),
            answer=answer.text,
        )
        data = self._chat(prompt)
        try:
            grade = LLMGrade.model_validate(data)
        except ValidationError as exc:
            raise ProviderError(
                f"reply does not match the schema: {exc.error_count()} errors",
                code="invalid_schema",
            ) from exc
        texts = {p.id: p.text for p in rubric} | {p.text: p.text for p in rubric}
        unknown = [
            point
            for point in [*(e.point for e in grade.evidence), *grade.points_missed]
            if point not in texts
        ]
        if unknown:
            raise ProviderError(
                f"rubric point {unknown[0]!r} is not one of {', '.join(p.id for p in rubric)}",
                code="unknown_point",
            )
        located = [(item, _locate(item.quote, answer.text)) for item in grade.evidence]
        invented = sum(where is None for _, where in located)
        if invented:
            # A judge that quotes words the candidate never wrote cannot be trusted on the rest.
            raise ProviderError(
                f"{invented} of {len(located)} quotes are not in the answer", code="invented_span"
            )
        evidence: list[Evidence] = []
        for item, where in located:
            if where is None:
                continue
            evidence.append(
                Evidence(
                    point=texts[item.point],
                    quote=answer.text[where[0] : where[1]],
                    start=where[0],
                    end=where[1],
                    similarity=1.0,
                )
            )
        covered = {e.point for e in evidence}
        return Score(
            value=grade.score,
            kind=kind,
            rubric_version=RUBRIC_VERSIONS[kind] + "+" + GRADE_PROMPT.removesuffix(".md"),
            provider=self.name,
            evidence=evidence,
            points_missed=[p.text for p in rubric if p.text not in covered],
            notes=[grade.rationale] if grade.rationale else [],
        )

    def score_answer(
        self, kind: AnswerKind, question: Question, answer: Answer, rubric: list[RubricPoint]
    ) -> Score:
        """Grade on the endpoint; on any failure return the rubric score marked as a fallback."""
        rubric = rubric or text.rubric_from_reference(question)
        if len(nlp.words(answer.text)) < MIN_WORDS_FOR_MODEL:
            # Nothing to grade: the rubric engine scores it 0 without spending a model call or
            # risking a model that rewards an empty answer.
            score = self.fallback.score_answer(kind, question, answer, rubric)
            return score.model_copy(update={"notes": [*score.notes, "not sent to the model"]})
        try:
            return self._grade(kind, question, answer, rubric)
        except ProviderError as exc:
            score = self.fallback.score_answer(kind, question, answer, rubric)
            return score.model_copy(
                update={"fallback": True, "fallback_reason": f"{exc.code}: {exc.message}"}
            )

    def generate_question(
        self, kind: AnswerKind, *, topic: str = "", claim: str | None = None, seed: int = 0
    ) -> Question:
        """Ask the endpoint for a question; fall back to the rubric templates on failure."""
        prompt = load_prompt(QUESTION_PROMPT).safe_substitute(
            kind=kind.value, topic=topic, claim=claim or ""
        )
        try:
            reply = LLMQuestion.model_validate(self._chat(prompt))
        except (ProviderError, ValidationError):
            return self.fallback.generate_question(kind, topic=topic, claim=claim, seed=seed)
        return Question(
            text=reply.question, kind=kind, reference_answer=reply.reference_answer, claim=claim
        )

    def generate_follow_up(
        self, question: Question, answer: Answer, claim: str | None = None
    ) -> str | None:
        """Ask the endpoint whether to drill down; fall back to the rubric rule on failure."""
        prompt = load_prompt(FOLLOW_UP_PROMPT).safe_substitute(
            question=question.text, claim=claim or question.claim or "", answer=answer.text
        )
        try:
            reply = LLMFollowUp.model_validate(self._chat(prompt))
        except (ProviderError, ValidationError):
            return self.fallback.generate_follow_up(question, answer, claim)
        return reply.follow_up.strip() if reply.follow_up and reply.follow_up.strip() else None
