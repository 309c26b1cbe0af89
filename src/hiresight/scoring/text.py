"""Shared free-text measures: the gates every written answer passes, and the semantic coverage
of a code-review explanation.

`coverage` compares each rubric point with every answer sentence and quotes the best one; the
code-review explanation's points are concrete ("the cursor carries the organisation id"), so
similarity alone matches them. Résumé, behavioural and system-design answers use `freetext`,
which weights each sentence by what it commits to. `specificity` tells the résumé stage whether
to drill down with a follow-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hiresight.embeddings import Embedder
from hiresight.scoring import nlp, similarity
from hiresight.scoring.types import Evidence, Question, RubricPoint

# MiniLM cosine: unrelated sentences sit near 0.0–0.2, paraphrases at 0.6+. A point earns no credit
# below LOW and full credit from HIGH up; it counts as covered (quoted) from COVERED up.
SIM_LOW, SIM_HIGH, SIM_COVERED = 0.25, 0.60, 0.40
# The answer as a whole must relate to the question or model answer, or it is off-topic.
RELEVANCE_LOW, RELEVANCE_HIGH = 0.15, 0.40
NONSENSE_REAL_WORD_SHARE = 0.6
KEYWORD_LIST_SHARE, PROSE_SHARE = 0.10, 0.22

_NUMBER_RE = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:%|ms|s|x|k|m|gb|mb|tb|rps|qps)?\b", re.I)
# Verb stems of concrete engineering actions, in any tense: design answers say "I would cache",
# stories say "I cached".
_ACTION_STEMS = (
    "build|built|wrote|write|implement|design|measur|profil|migrat|add|remov|reduc|deploy|"
    "refactor|fix|introduc|benchmark|automat|configur|test|roll(?:ed)? out|monitor|split|cach|"
    "index|replac|rewr|led|lead|propos|negotiat|schedul|set up|trac|debug|optimi[sz]|ship|launch|"
    "partition|shard|replicat|tun|queue|batch|paginat|retr(?:y|ied)|alert|load.test"
)
_ACTION_RE = re.compile(rf"\b(?:{_ACTION_STEMS})(?:e|ed|es|s|ing|t)?\b", re.I)
_I_RE = re.compile(r"\b(I|my|me|I'm|I've|I'd)\b")
_WE_RE = re.compile(r"\b(we|our|us|we're|we've)\b", re.I)


@dataclass
class Coverage:
    """Per-point semantic coverage of an answer, with quoted evidence."""

    evidence: list[Evidence] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    # For each missed point, the sentence that came closest (when above SIM_LOW): feedback only.
    closest: list[Evidence] = field(default_factory=list)
    credit: float = 0.0  # weighted mean point credit, 0–1
    reference_similarity: float = 0.0
    relevance: float = 0.0
    claim_similarity: float | None = None


def specificity(text: str) -> dict[str, float]:
    """Concrete detail, each 0–1: numbers, named technologies, actions, first-person ownership."""
    toks = nlp.words(text)
    terms = nlp.tech_terms()
    named = {t.lower() for t in toks if t.lower() in terms}
    # Capitalised words not starting a sentence are usually product or project names.
    starts = {s.start for s in nlp.sentences(text)}
    named |= {
        w.text.lower()
        for w in nlp.word_spans(text)
        if w.text[0].isupper() and w.start not in starts and w.text not in {"I", "I'm", "I've"}
    }
    i_count, we_count = len(_I_RE.findall(text)), len(_WE_RE.findall(text))
    ownership = i_count / (i_count + we_count) if i_count + we_count else 0.0
    return {
        "numbers": nlp.ramp(len(_NUMBER_RE.findall(text)), 0, 3),
        "named_technologies": nlp.ramp(len(named), 0, 4),
        "concrete_actions": nlp.ramp(len(_ACTION_RE.findall(text)), 0, 4),
        "ownership": ownership,
    }


def coverage(
    question: Question,
    answer_text: str,
    rubric: list[RubricPoint],
    embedder: Embedder | None = None,
) -> Coverage:
    """Match every rubric point to its best answer sentence; measure overall relevance."""
    # Sentence pairs as extra evidence windows were tried: +1 calibration answer in band for
    # ~1.8x the embedding time, so evidence stays one sentence.
    spans = nlp.sentences(answer_text)
    if not spans:
        return Coverage(missed=[p.text for p in rubric])
    contexts = [question.text, question.reference_answer or question.text]
    if question.claim:
        contexts.append(question.claim)
    # One embedding batch for everything; the embedder caches repeated rubric texts.
    vecs = similarity.embed(
        [*(p.text for p in rubric), *contexts, answer_text.strip(), *(s.text for s in spans)],
        embedder,
    )
    n_points, n_ctx = len(rubric), len(contexts)
    point_vecs = vecs[:n_points]
    ctx_vecs = vecs[n_points : n_points + n_ctx]
    whole_vec = vecs[n_points + n_ctx]
    sent_vecs = vecs[n_points + n_ctx + 1 :]
    out = Coverage()
    total_weight = sum(p.weight for p in rubric) or 1.0
    best_point_sim = 0.0
    for point, row in zip(rubric, point_vecs @ sent_vecs.T, strict=True):
        idx, sim = int(row.argmax()), float(row.max())
        best_point_sim = max(best_point_sim, sim)
        out.credit += point.weight * nlp.ramp(sim, SIM_LOW, SIM_HIGH) / total_weight
        span = spans[idx]
        best = Evidence(
            point=point.text,
            quote=span.text,
            start=span.start,
            end=span.end,
            similarity=round(sim, 4),
        )
        if sim >= SIM_COVERED:
            out.evidence.append(best)
        else:
            out.missed.append(point.text)
            # Below SIM_LOW the "closest" sentence is unrelated: quoting it would mislead.
            if sim > SIM_LOW:
                out.closest.append(best)
    ctx_sims = ctx_vecs @ whole_vec
    out.reference_similarity = float(ctx_sims[1])
    # A concrete story can sit far from a generic question as a whole while one of its sentences
    # answers it directly ("I missed the deadline because..."), so sentences count for relevance.
    sentence_relevance = float((sent_vecs @ ctx_vecs[0]).max())
    out.relevance = max(float(ctx_sims.max()), sentence_relevance, best_point_sim)
    if question.claim:
        out.claim_similarity = float(ctx_sims[2])
    return out


def claim_number_mismatch(claim: str, answer_text: str) -> str | None:
    """A note when the answer quotes figures but none of the résumé claim's figures.

    Only a note for the recruiter: "60 %" on the résumé and "20 %" in the interview deserve a
    question, not an automatic penalty (the candidate may be describing a different metric).
    """
    numeric = re.compile(r"\d+(?:[.,]\d+)?")
    claimed = set(numeric.findall(claim))
    said = set(numeric.findall(answer_text))
    if claimed and said and not claimed & said:
        return (
            f"figures differ from the résumé claim (claim: {', '.join(sorted(claimed))}; "
            f"answer: {', '.join(sorted(said))})"
        )
    return None


def rubric_from_reference(question: Question) -> list[RubricPoint]:
    """Rubric points when none were given: each sentence of the reference answer (or question)."""
    source = question.reference_answer or question.text
    return [
        RubricPoint(id=f"ref{i + 1}", text=span.text)
        for i, span in enumerate(nlp.sentences(source))
    ]


def is_prose(answer_text: str) -> bool:
    """Real sentences: at least three words, mostly real, with the function words of prose."""
    toks = nlp.words(answer_text)
    if len(toks) < 3 or nlp.real_word_share(answer_text) < NONSENSE_REAL_WORD_SHARE:
        return False
    function_share = sum(1 for t in toks if nlp.zipf(t) >= 6.0) / len(toks)
    return function_share >= PROSE_SHARE


def gates(
    answer_text: str,
    relevance: float,
    relevance_band: tuple[float, float] = (RELEVANCE_LOW, RELEVANCE_HIGH),
) -> tuple[float, list[str]]:
    """Multiplier for empty, nonsense and off-topic answers, with the reasons as notes."""
    toks = nlp.words(answer_text)
    if len(toks) < 3:
        return 0.0, ["empty or near-empty answer"]
    notes: list[str] = []
    factor = 1.0
    share = nlp.real_word_share(answer_text)
    if share < NONSENSE_REAL_WORD_SHARE:
        factor *= 0.05
        notes.append(f"mostly not real words ({share:.0%} real): treated as nonsense")
    # Prose is ~40 % function words (Zipf >= 6: the, of, to, is); a bare list of keywords has
    # almost none. Keyword stuffing would otherwise score well on semantic coverage alone.
    function_share = sum(1 for t in toks if nlp.zipf(t) >= 6.0) / len(toks)
    prose = nlp.ramp(function_share, KEYWORD_LIST_SHARE, PROSE_SHARE)
    if prose < 1.0 and share >= NONSENSE_REAL_WORD_SHARE:
        factor *= 0.3 + 0.7 * prose
        notes.append(f"reads as a keyword list ({function_share:.0%} function words)")
    on_topic = nlp.ramp(relevance, *relevance_band)
    if on_topic < 1.0:
        notes.append(f"low relevance to the question (similarity {relevance:.2f})")
    # Off-topic answers keep a sliver of credit for delivery, never enough to pass a weak one.
    factor *= 0.1 + 0.9 * on_topic
    return factor, notes
