"""The default provider: offline, deterministic, built from the rubric scorers."""

from __future__ import annotations

import random

from hiresight.embeddings import Embedder
from hiresight.scoring import nlp, scorers, text
from hiresight.scoring.providers.base import AIProvider
from hiresight.scoring.types import Answer, AnswerKind, Question, RubricPoint, Score

# Question templates per kind; generated questions are only as good as these, which is why the
# interviews package prefers its curated bank and uses generation as a fallback.
_TEMPLATES: dict[AnswerKind, tuple[str, ...]] = {
    AnswerKind.RESUME: (
        'Your résumé says: "{claim}". Walk me through what you personally did, how you '
        "measured the result, and what you would do differently.",
        'Tell me more about "{claim}": what was the hardest technical problem, and how did you '
        "solve it?",
    ),
    AnswerKind.SYSTEM_DESIGN: (
        "Design {topic}. Describe the main components, how data flows between them, how it "
        "scales, and the trade-offs you would make.",
        "How would you build {topic} for ten times today's traffic? Name the bottleneck first "
        "and the trade-offs of your fix.",
    ),
    AnswerKind.BEHAVIOURAL: (
        "Tell me about a time you {topic}. What was the situation, what did you do, and what "
        "was the result?",
    ),
    AnswerKind.CODE_REVIEW: (
        "Explain the bug you found in {topic}: the root cause, your fix, and its impact.",
    ),
    AnswerKind.ENGLISH_WRITING: ("In about 150 words, write about {topic}.",),
}
_DEFAULT_TOPICS: dict[AnswerKind, str] = {
    AnswerKind.RESUME: "a project on your résumé",
    AnswerKind.SYSTEM_DESIGN: "a URL shortener",
    AnswerKind.BEHAVIOURAL: "disagreed with a teammate about a technical decision",
    AnswerKind.CODE_REVIEW: "the code you reviewed",
    AnswerKind.ENGLISH_WRITING: "a technical project you are proud of",
}
VAGUE_WORDS = 40
DENSE_MIN_WORDS = 20


class RubricProvider(AIProvider):
    """Deterministic offline grading and template questions; no network, no model download."""

    name = "rubric"

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder

    def score_answer(
        self, kind: AnswerKind, question: Question, answer: Answer, rubric: list[RubricPoint]
    ) -> Score:
        """Score with the rubric engine (semantic coverage plus cue lexicons)."""
        if question.kind is not kind:
            question = question.model_copy(update={"kind": kind})
        return scorers.score(question, answer, rubric, provider=self.name, embedder=self._embedder)

    def generate_question(
        self, kind: AnswerKind, *, topic: str = "", claim: str | None = None, seed: int = 0
    ) -> Question:
        """Fill a template for `kind`, chosen by `seed` so the same inputs give the same text."""
        templates = _TEMPLATES[kind]
        template = random.Random(seed).choice(templates)
        wording = template.format(
            topic=topic or _DEFAULT_TOPICS[kind], claim=claim or topic or _DEFAULT_TOPICS[kind]
        )
        return Question(text=wording, kind=kind, claim=claim)

    def generate_follow_up(
        self, question: Question, answer: Answer, claim: str | None = None
    ) -> str | None:
        """Drill down when the answer is vague: short, generic, no numbers/names/actions."""
        n_words = len(nlp.words(answer.text))
        spec = text.specificity(answer.text)
        concrete = spec["numbers"] + spec["named_technologies"] + spec["concrete_actions"]
        if n_words >= VAGUE_WORDS and concrete >= 1.0:
            return None
        # A compact answer dense with specifics (numbers, named systems, own actions) is not
        # vague just for being under the length bar.
        if n_words >= DENSE_MIN_WORDS and concrete >= 2.0:
            return None
        if n_words >= 2 * VAGUE_WORDS and concrete >= 0.5:
            return None
        subject = claim or question.claim
        missing = [
            label
            for key, label in (
                ("concrete_actions", "what you did yourself"),
                ("named_technologies", "which tools or systems were involved"),
                ("numbers", "what numbers showed the result"),
            )
            if spec[key] < 0.5
        ] or ["a concrete example"]
        about = f' about "{subject}"' if subject else ""
        return f"Could you be more specific{about}? Please tell me " + ", ".join(missing) + "."
