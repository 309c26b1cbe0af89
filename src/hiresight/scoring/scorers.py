"""Combine the measures into one explainable 0–100 score per answer kind (the rubric engine)."""

from __future__ import annotations

from hiresight.embeddings import Embedder
from hiresight.scoring import (
    communication,
    english,
    explanation,
    facts,
    freetext,
    nlp,
    similarity,
    text,
)
from hiresight.scoring.errors import UnknownKindError
from hiresight.scoring.types import (
    RUBRIC_VERSIONS,
    Answer,
    AnswerKind,
    Question,
    RubricPoint,
    Score,
)

# Weights of the free-text components per kind. The kind's own rubric is STAR structure for
# behavioural answers, named trade-offs and mechanisms for system design, and for the résumé what
# the answer adds beyond its claim with the candidate's own actions. Relevance is a gate
# (`text.gates`), never a term.
_WEIGHTS: dict[AnswerKind, dict[str, float]] = {
    AnswerKind.RESUME: {
        "coverage": 0.35,
        "specificity": 0.30,
        "kind_specific": 0.20,
        "communication": 0.15,
    },
    AnswerKind.SYSTEM_DESIGN: {
        "coverage": 0.45,
        "specificity": 0.20,
        "kind_specific": 0.25,
        "communication": 0.10,
    },
    AnswerKind.BEHAVIOURAL: {
        "coverage": 0.30,
        "specificity": 0.25,
        "kind_specific": 0.30,
        "communication": 0.15,
    },
}
# How far a fully vague answer (every sentence a habit, belief or evasion) is pulled down.
VAGUENESS_PENALTY = 0.5
# A behavioural answer must tell something that happened: the share of its words in such
# sentences, from which it counts in full, and what a non-story keeps.
STORY_BAND, STORY_FLOOR = (0.15, 0.45), 0.35
# Share of rubric points covered from which a quick answer is not "rushed".
COVERS_SHARE = 0.6
# The least an on-topic answer in real sentences scores (see `score_free_text`).
ANSWERED_FLOOR = 6.0
# Coverage credit from which the other components count in full, and their share below it.
TOPICAL_FULL, TOPICAL_FLOOR = 0.35, 0.4


def _kind_specific(
    kind: AnswerKind,
    question: Question,
    answer_text: str,
    cov: freetext.Coverage,
    sents: list[freetext.Sentence],
) -> dict[str, float]:
    if kind is AnswerKind.BEHAVIOURAL:
        subs = freetext.star_structure(answer_text)
        return {**subs, "story": freetext.story_share(sents), "kind_specific": subs["star"]}
    if kind is AnswerKind.SYSTEM_DESIGN:
        borrowed = facts.vocabulary(question.text)
        tradeoffs = freetext.tradeoff_count(answer_text)
        mechanisms = freetext.mechanism_count(answer_text, borrowed)
        return {
            "tradeoffs_named": float(tradeoffs),
            "mechanisms_named": float(mechanisms),
            "kind_specific": 0.5 * nlp.ramp(tradeoffs, 0, 2) + 0.5 * nlp.ramp(mechanisms, 1, 5),
        }
    # Résumé: does the answer go beyond the claim it is probing, with what the candidate did?
    # Restating the claim ("I reduced p95 from 1.2 s to 300 ms, so it was reduced by 75 %") is
    # close to the claim in every measure and says nothing new, so closeness earns nothing here.
    own = sum(1 for s in sents if s.facts.own_action and s.novelty >= 0.3)
    beyond = freetext.novelty(answer_text, question.text, question.claim or "")
    return {
        "claim_similarity": round(cov.claim_similarity or 0.0, 4),
        "beyond_claim": round(beyond, 4),
        "own_actions": float(own),
        "kind_specific": 0.5 * nlp.ramp(own, 0, 2) + 0.5 * nlp.ramp(beyond, 0.35, 0.7),
    }


def score_free_text(
    question: Question,
    answer: Answer,
    rubric: list[RubricPoint],
    *,
    provider: str = "rubric",
    embedder: Embedder | None = None,
) -> Score:
    """Score a résumé, system-design or behavioural answer (see `freetext`)."""
    kind = question.kind
    cov, sents = freetext.coverage(question, answer.text, rubric, embedder)
    spec = freetext.specificity(kind, sents)
    vague = freetext.vagueness(sents, hypothetical_is_vague=kind is not AnswerKind.SYSTEM_DESIGN)
    comm = communication.assess(
        answer.text,
        time_used_s=answer.time_used_s,
        time_allotted_s=question.time_allotted_s,
        covers_points=covers_points(cov, rubric),
    )
    subs: dict[str, float] = {
        "coverage": cov.credit,
        "specificity": sum(spec.values()) / len(spec),
        "communication": comm.overall,
        "relevance": cov.relevance,
        "vagueness": vague,
        **{f"specificity_{k}": v for k, v in spec.items()},
        **_kind_specific(kind, question, answer.text, cov, sents),
        "filler_count": float(comm.filler_count),
    }
    weights = dict(_WEIGHTS[kind])
    if not rubric:
        # No points and no reference: the kind's own rubric carries the score.
        weights.pop("coverage")
    # Detail, structure and delivery count in proportion to how much of the question the answer
    # addresses: a fluent, specific story about something else is not a good answer to this one.
    topical = (
        1.0
        if not rubric
        else TOPICAL_FLOOR + (1 - TOPICAL_FLOOR) * nlp.ramp(cov.credit, 0.0, TOPICAL_FULL)
    )
    subs["topical"] = topical
    raw = sum(
        w * subs[k] * (1.0 if k == "coverage" else topical) for k, w in weights.items()
    ) / sum(weights.values())
    band = freetext.RELEVANCE_BANDS[kind]
    factor, notes = text.gates(answer.text, cov.relevance, band)
    # Vagueness and the lack of a story are one failure seen twice (nothing happened, nothing
    # specific): the answer pays the larger of the two penalties, not their product.
    content = 1.0 - VAGUENESS_PENALTY * vague
    if vague >= 0.6:
        notes.append(f"mostly general statements, no specific example ({vague:.0%} of the words)")
    if kind is AnswerKind.BEHAVIOURAL:
        story = subs["story"]
        content = min(content, STORY_FLOOR + (1 - STORY_FLOOR) * nlp.ramp(story, *STORY_BAND))
        if story < STORY_BAND[0]:
            notes.append("tells no specific time it happened (a view or a plan, not a story)")
    factor *= content
    if kind is AnswerKind.RESUME:
        factor, more = _resume_checks(question, answer.text, factor, cov.claim_similarity)
        notes += more
    value = 100.0 * raw * factor
    if text.is_prose(answer.text):
        # An on-topic answer in real sentences has at least answered: it keeps a few points, so
        # an evasive answer to this question still ranks above a fluent one about something else.
        value = max(value, ANSWERED_FLOOR * nlp.ramp(cov.relevance, *band))
    return Score(
        value=round(value, 2),
        kind=kind,
        rubric_version=RUBRIC_VERSIONS[kind],
        provider=provider,
        # Without rubric points the kind's own rubric was applied: quote what it found.
        evidence=cov.evidence if rubric else freetext.kind_evidence(kind, answer.text, sents),
        points_missed=cov.missed,
        closest=cov.closest,
        sub_scores={k: round(v, 4) for k, v in subs.items()},
        notes=notes,
    )


# How much a résumé answer keeps when the question asks for figures and it gives none. (Requiring
# the claim's technology by name was tried and dropped: strong answers say "OIDC" for "OpenID
# Connect" or name the service instead of "AWS".)
MISSING_FIGURES_FACTOR = 0.65
# Similarity to a claim that names a technology, below which a résumé answer is about other work.
CLAIM_BAND = (0.15, 0.30)


def _resume_checks(
    question: Question, answer_text: str, factor: float, claim_similarity: float | None
) -> tuple[float, list[str]]:
    """A résumé question probes one claim: an answer that skips the figures it asks for, or
    that is about another technology than the one the claim names, loses."""
    notes: list[str] = []
    if (
        question.claim
        and claim_similarity is not None
        and facts.named_count(question.claim) > 0
        and claim_similarity < CLAIM_BAND[1]
    ):
        # A claim that names a technology ("designed the GraphQL API") is probed by an answer
        # about that work; vague claims ("drove data-driven decisions") sit far from any answer.
        factor *= 0.3 + 0.7 * nlp.ramp(claim_similarity, *CLAIM_BAND)
        notes.append(f"far from the claim it probes (similarity {claim_similarity:.2f})")
    given = (question.text, question.claim or "")
    if freetext.wants_figures(question.text) and not freetext.new_figures(answer_text, *given):
        factor *= MISSING_FIGURES_FACTOR
        notes.append("the question asks for figures; the answer gives none beyond the claim")
    if question.claim:
        mismatch = text.claim_number_mismatch(question.claim, answer_text)
        notes += [mismatch] if mismatch else []
    return factor, notes


def covers_points(cov: freetext.Coverage, rubric: list[RubricPoint]) -> bool:
    """Whether the answer covers most rubric points (so finishing early is no fault)."""
    return bool(rubric) and len(cov.evidence) >= COVERS_SHARE * len(rubric)


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
    if kind in (AnswerKind.RESUME, AnswerKind.SYSTEM_DESIGN, AnswerKind.BEHAVIOURAL):
        # The question is never a rubric point: without points, the reference's sentences are;
        # without either, the kind's own rubric applies.
        rubric = rubric or (
            text.rubric_from_reference(question) if question.reference_answer else []
        )
    else:
        rubric = rubric or text.rubric_from_reference(question)
    if kind in (AnswerKind.RESUME, AnswerKind.SYSTEM_DESIGN, AnswerKind.BEHAVIOURAL):
        return score_free_text(question, answer, rubric, provider=provider, embedder=embedder)
    if kind is AnswerKind.ENGLISH_WRITING:
        return score_english_writing(question, answer, provider=provider, embedder=embedder)
    if kind is AnswerKind.CODE_REVIEW:
        return explanation.score_explanation(
            question, answer, rubric, provider=provider, embedder=embedder
        )
    raise UnknownKindError(f"unknown answer kind {kind!r}")
