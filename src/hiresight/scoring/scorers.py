"""Combine the measures into one explainable 0–100 score per answer kind (the rubric engine)."""

from __future__ import annotations

from hiresight.embeddings import Embedder
from hiresight.scoring import codereview, english, nlp, similarity, text
from hiresight.scoring.errors import UnknownKindError
from hiresight.scoring.types import (
    RUBRIC_VERSIONS,
    Answer,
    AnswerKind,
    Question,
    RubricPoint,
    Score,
)

# Weights of the free-text components per kind. The kind-specific part is STAR for behavioural
# answers, named trade-offs for system design and consistency with the claim for the résumé.
# Behavioural rubric points are generic ("the outcome and what was learned"), so embeddings match
# them weakly against a concrete story; structure and specificity carry more of that score.
_WEIGHTS: dict[AnswerKind, dict[str, float]] = {
    AnswerKind.RESUME: {
        "coverage": 0.40,
        "reference_similarity": 0.10,
        "specificity": 0.25,
        "kind_specific": 0.10,
        "communication": 0.15,
    },
    AnswerKind.SYSTEM_DESIGN: {
        "coverage": 0.40,
        "reference_similarity": 0.15,
        "specificity": 0.15,
        "kind_specific": 0.20,
        "communication": 0.10,
    },
    AnswerKind.BEHAVIOURAL: {
        "coverage": 0.25,
        "reference_similarity": 0.05,
        "specificity": 0.25,
        "kind_specific": 0.30,
        "communication": 0.15,
    },
}


def _kind_specific(kind: AnswerKind, answer_text: str, cov: text.Coverage) -> dict[str, float]:
    if kind is AnswerKind.BEHAVIOURAL:
        parts = text.star_parts(answer_text)
        subs = {f"star_{k}": float(v) for k, v in parts.items()}
        subs["kind_specific"] = sum(parts.values()) / len(parts)
        return subs
    if kind is AnswerKind.SYSTEM_DESIGN:
        count = text.tradeoff_count(answer_text)
        return {"tradeoffs_named": float(count), "kind_specific": nlp.ramp(count, 0, 3)}
    # Résumé: does the answer stay consistent with the claim it is probing?
    sim = cov.claim_similarity if cov.claim_similarity is not None else cov.reference_similarity
    return {"claim_consistency": sim, "kind_specific": nlp.ramp(sim, 0.2, 0.6)}


def score_free_text(
    question: Question,
    answer: Answer,
    rubric: list[RubricPoint],
    *,
    provider: str = "rubric",
    embedder: Embedder | None = None,
) -> Score:
    """Score a résumé, system-design or behavioural answer."""
    kind = question.kind
    cov = text.coverage(question, answer.text, rubric, embedder)
    spec = text.specificity(answer.text)
    if kind is AnswerKind.SYSTEM_DESIGN:
        spec.pop("ownership")  # design answers are rightly about the system, not "I"
    comm = text.delivery(question, answer)
    subs: dict[str, float] = {
        "coverage": cov.credit,
        "reference_similarity": nlp.ramp(cov.reference_similarity, 0.3, 0.75),
        "specificity": sum(spec.values()) / len(spec),
        "communication": comm.overall,
        "relevance": cov.relevance,
        **{f"specificity_{k}": v for k, v in spec.items()},
        **_kind_specific(kind, answer.text, cov),
        "filler_count": float(comm.filler_count),
    }
    raw = sum(w * subs[k] for k, w in _WEIGHTS[kind].items())
    factor, notes = text.gates(answer.text, cov.relevance)
    if kind is AnswerKind.RESUME and question.claim:
        mismatch = text.claim_number_mismatch(question.claim, answer.text)
        notes += [mismatch] if mismatch else []
    return Score(
        value=round(100.0 * raw * factor, 2),
        kind=kind,
        rubric_version=RUBRIC_VERSIONS[kind],
        provider=provider,
        evidence=cov.evidence,
        points_missed=cov.missed,
        sub_scores={k: round(v, 4) for k, v in subs.items()},
        notes=notes,
    )


WRITING_RELEVANCE_BAND = (0.10, 0.30)


def _writing_relevance(question: Question, answer_text: str, embedder: Embedder | None) -> float:
    """Best similarity of the essay, or any of its sentences, to the prompt or its reference."""
    spans = [s.text for s in nlp.sentences(answer_text)]
    if not spans:
        return 0.0
    prompts = [question.text, question.reference_answer or question.text]
    vecs = similarity.embed([*prompts, answer_text.strip(), *spans], embedder)
    whole = vecs[2] @ vecs[:2].T
    sentences = vecs[3:] @ vecs[0]
    return float(max(whole.max(), sentences.max()))


def score_english_writing(
    question: Question,
    answer: Answer,
    *,
    provider: str = "rubric",
    embedder: Embedder | None = None,
) -> Score:
    """Score an English writing sample: language quality, gated by relevance to the prompt."""
    assessment = english.assess_writing(answer.text)
    relevance = _writing_relevance(question, answer.text, embedder)
    # Writing prompts are generic ("describe a project you are proud of"), so a relevant essay
    # sits lower in embedding space than a relevant technical answer; off-topic ones stay < 0.1.
    factor, notes = text.gates(answer.text, relevance, WRITING_RELEVANCE_BAND)
    subs = {**assessment.sub_scores, "relevance": relevance, "writing_value": assessment.value}
    notes.append(f"CEFR estimate {assessment.cefr}")
    return Score(
        value=round(assessment.value * factor, 2),
        kind=AnswerKind.ENGLISH_WRITING,
        rubric_version=RUBRIC_VERSIONS[AnswerKind.ENGLISH_WRITING],
        provider=provider,
        sub_scores={k: round(v, 4) for k, v in subs.items()},
        notes=notes,
    )


def score(
    question: Question,
    answer: Answer,
    rubric: list[RubricPoint],
    *,
    provider: str = "rubric",
    embedder: Embedder | None = None,
) -> Score:
    """Score any answer kind with the deterministic rubric engine."""
    kind = question.kind
    rubric = rubric or text.rubric_from_reference(question)
    if kind in (AnswerKind.RESUME, AnswerKind.SYSTEM_DESIGN, AnswerKind.BEHAVIOURAL):
        return score_free_text(question, answer, rubric, provider=provider, embedder=embedder)
    if kind is AnswerKind.ENGLISH_WRITING:
        return score_english_writing(question, answer, provider=provider, embedder=embedder)
    if kind is AnswerKind.CODE_REVIEW:
        return codereview.score_explanation(
            question, answer, rubric, provider=provider, embedder=embedder
        )
    raise UnknownKindError(f"unknown answer kind {kind!r}")
