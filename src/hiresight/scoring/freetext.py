"""Free-text answers (résumé deep-dive, behavioural, system design): what the rubric asks for.

A rubric point is abstract ("uses evidence or an experiment rather than authority"); a good answer
is concrete ("I ran a two-day spike measuring both"). Cosine similarity between the two is weak,
and between the point and a generic sentence that reuses its words ("I believe in data, not
authority") it is strong. So a point is matched against its *anchors* (its own text plus the
bank's model-answer lines and STAR descriptions nearest to it) and against the concrete phrasings
of its concepts (`concepts`), and the credit a sentence earns is weighted by what the sentence
commits to (`facts`): an event, a figure, a name. Words the answer shares with the question (and,
except in design answers, which should name the rubric's mechanisms, with the rubric) earn
nothing by themselves.

For each point the evidence quoted is the sentence that earns the most credit, so a vague
sentence is never quoted while a specific one covers the point; a sentence serves at most two
points unless it is the only one that covers a third.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from hiresight.embeddings import Embedder
from hiresight.scoring import concepts, facts, nlp, similarity, star, text
from hiresight.scoring.types import AnswerKind, Evidence, Question, RubricPoint

# MiniLM cosine between an anchor and a sentence: unrelated text sits at 0.0–0.2, a sentence on
# the same matter at 0.35+. Credit ramps between LOW and HIGH; a point counts as covered (quoted)
# when its best credit reaches COVERED.
SIM_LOW, SIM_HIGH = 0.18, 0.50
COVERED = 0.30
# A sentence that shows one of the point's concepts in concrete words (`concepts`) gets this much
# added to its similarity: embeddings alone rate "I told finance the same day" as far from
# "communicates early with stakeholders".
INDICATOR_BONUS = 0.22
# A sentence quoted for this many points is not quoted again unless nothing else covers a point.
MAX_POINTS_PER_SENTENCE = 2
# Whole-answer relevance to the question and its anchors: the gate's band. Behavioural prompts are
# generic ("tell me about something you learned quickly"), so a relevant story sits lower.
RELEVANCE_BANDS: dict[AnswerKind, tuple[float, float]] = {
    AnswerKind.BEHAVIOURAL: (0.08, 0.25),
    AnswerKind.RESUME: (0.12, 0.32),
    AnswerKind.SYSTEM_DESIGN: (0.12, 0.32),
}
_CONTENT_ZIPF = 5.5  # words more frequent than this ("the", "with", "make") carry no content

_TRADEOFF_RE = re.compile(
    r"\b(trade[- ]?offs?|at the (cost|expense) of|instead of|rather than|versus|vs\.?|downsides?|"
    r"on the other hand|alternatively|the cost is|costs? (more|less)|compared (to|with)|whereas|"
    r"drawbacks?|pros and cons|cheaper|simpler but|more complex|in exchange|but (it|this|that) "
    r"(adds|means|costs|needs|requires)|the risk is|at the price of|which means)\b",
    re.I,
)


@dataclass
class Sentence:
    """An answer sentence with what it commits to and how novel its words are."""

    span: nlp.Span
    facts: facts.SentenceFacts
    novelty: float  # share of its content words not taken from the question or rubric
    weight: float  # how much coverage credit this sentence can earn, 0–1


@dataclass
class Coverage(text.Coverage):
    """Per-point coverage of an answer (the shared shape), with each point's credit."""

    point_credit: dict[str, float] = field(default_factory=dict)


def _is_content(word: str) -> bool:
    return len(word) > 2 and nlp.zipf(word) < _CONTENT_ZIPF


def _content(text: str) -> set[str]:
    return {w.lower() for w in nlp.words(text) if _is_content(w)}


def sentences(question: Question, answer_text: str, rubric: list[RubricPoint]) -> list[Sentence]:
    """The answer's sentences with their facts, novelty and credit weight."""
    given = [question.text, question.claim or "", *(p.text for p in rubric)]
    # A design answer should name the rubric's mechanisms; a story repeating the rubric's words
    # has not told anything. Both lose credit for words taken from the question itself.
    own_words = given[:2] if question.kind is AnswerKind.SYSTEM_DESIGN else given
    borrowed = facts.vocabulary(*own_words)
    borrowed_content = set().union(*(_content(t) for t in own_words))
    out = []
    for span in nlp.sentences(answer_text):
        f = facts.facts(span.text, exclude=borrowed)
        content = _content(span.text)
        novelty = len(content - borrowed_content) / len(content) if content else 0.0
        weight = _weight(question.kind, f) * (0.3 + 0.7 * nlp.ramp(novelty, 0.15, 0.5))
        out.append(Sentence(span, f, novelty, weight))
    return out


def _weight(kind: AnswerKind, f: facts.SentenceFacts) -> float:
    """How much coverage credit a sentence can earn, from what it commits to."""
    if kind is AnswerKind.SYSTEM_DESIGN:
        # Design answers are rightly hypothetical ("I would add a cache"): what counts is naming
        # mechanisms, components and figures, not having done it.
        named = min(1.0, (f.named + f.mechanisms) / 2.0) + 0.5 * min(1.0, f.numbers)
        base = 0.45 + 0.55 * min(1.0, named)
        return base * (0.3 if f.evasive else 1.0)
    return 0.25 + 0.75 * f.concreteness


def _owners(vecs: similarity.Matrix, n_points: int) -> list[int]:
    """For each extra anchor (rows after the first `n_points`), the index of its nearest point."""
    if n_points == 0 or vecs.shape[0] == n_points:
        return []
    return [int(i) for i in (vecs[n_points:] @ vecs[:n_points].T).argmax(axis=1)]


def _pick_evidence(credit: NDArray[np.float32]) -> list[int]:
    """Per point, the sentence to quote: its best, unless that sentence already serves
    `MAX_POINTS_PER_SENTENCE` points and another sentence also covers this one."""
    uses: dict[int, int] = {}
    chosen = [0] * credit.shape[0]
    # Points with one clear best sentence pick first, so a shared sentence goes where it counts.
    for i in sorted(range(credit.shape[0]), key=lambda i: -float(credit[i].max())):
        ranked = [int(j) for j in np.argsort(-credit[i])]
        pick = ranked[0]
        if uses.get(pick, 0) >= MAX_POINTS_PER_SENTENCE:
            pick = next(
                (
                    j
                    for j in ranked[1:]
                    if credit[i, j] >= COVERED and uses.get(j, 0) < MAX_POINTS_PER_SENTENCE
                ),
                pick,
            )
        chosen[i] = pick
        uses[pick] = uses.get(pick, 0) + 1
    return chosen


def coverage(
    question: Question,
    answer_text: str,
    rubric: list[RubricPoint],
    embedder: Embedder | None = None,
) -> tuple[Coverage, list[Sentence]]:
    """Match every rubric point to the answer sentence that earns it the most credit."""
    sents = sentences(question, answer_text, rubric)
    if not sents:
        return Coverage(missed=[p.text for p in rubric]), sents
    # Anchors: the points, then the bank's outline lines and STAR descriptions (each joins its
    # nearest point), then each point's own example lines.
    extra = [*question.outline, *(question.star or {}).values()]
    anchors = [*(p.text for p in rubric), *extra, *(ex for p in rubric for ex in p.examples)]
    contexts = [question.text, *([question.claim] if question.claim else [])]
    vecs = similarity.embed(
        [*anchors, *contexts, answer_text.strip(), *(s.span.text for s in sents)], embedder
    )
    n_points, n_anchors = len(rubric), len(anchors)
    anchor_vecs = vecs[:n_anchors]
    owner = list(range(n_points)) + _owners(anchor_vecs[: n_points + len(extra)], n_points)
    owner += [i for i, p in enumerate(rubric) for _ in p.examples]
    ctx_vecs = vecs[n_anchors : n_anchors + len(contexts)]
    whole_vec = vecs[n_anchors + len(contexts)]
    sent_vecs = vecs[n_anchors + len(contexts) + 1 :]
    out = Coverage()
    # Relevance: the answer as a whole, or its three best sentences, against the question and
    # every anchor; a concrete story can sit far from a generic question while its sentences
    # answer it.
    best = np.sort((sent_vecs @ np.vstack([ctx_vecs[:1], anchor_vecs]).T).max(axis=1))[::-1]
    out.relevance = max(float(ctx_vecs[0] @ whole_vec), float(best[:3].mean()))
    if question.claim:
        out.claim_similarity = float(ctx_vecs[1] @ whole_vec)
    if not rubric:
        return out, sents
    sims = anchor_vecs @ sent_vecs.T  # anchors x sentences
    point_sims = np.zeros((n_points, len(sents)), dtype=np.float32)
    point_texts: list[list[str]] = [[] for _ in rubric]
    for a_index, p_index in enumerate(owner):
        point_sims[p_index] = np.maximum(point_sims[p_index], sims[a_index])
        point_texts[p_index].append(anchors[a_index])
    for i, texts_of_point in enumerate(point_texts):
        wanted = concepts.called_for(*texts_of_point)
        for j, sent in enumerate(sents):
            if wanted and concepts.shown(sent.span.text, wanted):
                point_sims[i, j] += INDICATOR_BONUS
    weights = np.array([s.weight for s in sents], dtype=np.float32)
    ramp = np.clip((point_sims - SIM_LOW) / (SIM_HIGH - SIM_LOW), 0.0, 1.0)
    credit = ramp * weights[None, :]
    total_weight = sum(p.weight for p in rubric) or 1.0
    chosen = _pick_evidence(credit)
    for i, point in enumerate(rubric):
        j = chosen[i]
        value = float(credit[i].max())
        out.point_credit[point.text] = round(value, 4)
        out.credit += point.weight * value / total_weight
        span = sents[j].span
        ev = Evidence(
            point=point.text,
            quote=span.text,
            start=span.start,
            end=span.end,
            similarity=round(min(1.0, float(point_sims[i, j])), 4),
        )
        if float(credit[i, j]) >= COVERED:
            out.evidence.append(ev)
        else:
            out.missed.append(point.text)
            if float(point_sims[i, j]) > SIM_LOW:
                out.closest.append(ev)
    return out, sents


_WANTS_FIGURES_RE = re.compile(
    r"\b(how (much|many|long|big|fast|often|large)|what (was|were) the (number|numbers|baseline|"
    r"figures?|metrics?)|baseline|before and after|time window|by how much|what percentage|"
    r"how did you measure)\b",
    re.I,
)


def wants_figures(question_text: str) -> bool:
    """Whether the question asks for numbers (a baseline, a before and after, how much)."""
    return bool(_WANTS_FIGURES_RE.search(question_text))


def new_figures(answer_text: str, *given: str) -> int:
    """Figures in the answer that the question and claim do not already state."""
    known = facts.vocabulary(*given)
    return sum(1 for n in facts.numbers(answer_text) if n.lower().strip() not in known)


def novelty(answer_text: str, *given: str) -> float:
    """Share of the answer's content words (with repeats) that the given texts do not contain."""
    borrowed = set().union(*(_content(t) for t in given))
    words = [
        w.lower() for w in nlp.words(answer_text) if len(w) > 2 and nlp.zipf(w) < _CONTENT_ZIPF
    ]
    return sum(1 for w in words if w not in borrowed) / len(words) if words else 0.0


def specificity(kind: AnswerKind, sents: list[Sentence]) -> dict[str, float]:
    """Concrete detail across the answer, each 0–1, discounted for generic sentences."""
    if not sents:
        return {"numbers": 0.0, "named": 0.0, "actions": 0.0, "committed": 0.0}
    numbers = sum(s.facts.numbers for s in sents)
    named = sum(s.facts.named for s in sents)
    actions = len({s.facts.own_action for s in sents if s.facts.own_action})
    committed = sum(s.facts.concreteness for s in sents)
    out = {
        "numbers": nlp.ramp(numbers, 0, 3),
        "named": nlp.ramp(named, 0, 4),
        "actions": nlp.ramp(actions, 0, 4),
        "committed": nlp.ramp(committed, 0.3, 2.5),
    }
    if kind is AnswerKind.SYSTEM_DESIGN:
        out.pop("actions")  # "I would add" is right in a design answer
    return out


def vagueness(sents: list[Sentence], *, hypothetical_is_vague: bool = True) -> float:
    """Share of the answer's words in sentences that commit to nothing (habits, beliefs, evasion).

    A hypothetical ("I would talk to them") is vague in a story but the normal mood of a design
    answer, so design answers pass `hypothetical_is_vague=False`.
    """
    total = sum(s.facts.words for s in sents) or 1
    vague = 0
    for s in sents:
        f = s.facts
        if hypothetical_is_vague:
            loose = f.generic or f.hypothetical
            empty = f.concreteness < 0.2 and not f.named
        else:
            loose = f.generic and not (f.mechanisms or f.named or f.numbers)
            empty = not (f.mechanisms or f.named or f.numbers)
        if f.evasive or (loose and f.concreteness < 0.3) or empty:
            vague += f.words
    return vague / total


def story_share(sents: list[Sentence]) -> float:
    """Share of the answer's words in sentences that tell something that happened.

    A behavioural question asks for a time it happened; a lecture on the topic ("retries should
    back off with jitter") or a plan ("I would talk to them") is not a story, however expert.
    """
    total = sum(s.facts.words for s in sents) or 1
    # What others did counts once the candidate is narrating ("the privacy officer agreed");
    # in an answer with no action of the speaker's, past forms are a lecture's examples.
    narrated = sum(1 for s in sents if s.facts.own_action) >= 2
    told = sum(
        s.facts.words
        for s in sents
        if not s.facts.hypothetical
        and (s.facts.own_action or (narrated and (s.facts.event or s.facts.time_anchor)))
    )
    return told / total


def kind_evidence(kind: AnswerKind, answer_text: str, sents: list[Sentence]) -> list[Evidence]:
    """Evidence for the kind's own rubric, used when a question has no rubric points.

    Behavioural: the first sentence telling each STAR part. Résumé: the two most specific
    sentences. System design: sentences naming trade-offs, then mechanisms.
    """

    def quote(point: str, span: nlp.Span) -> Evidence:
        return Evidence(point=point, quote=span.text, start=span.start, end=span.end, similarity=0)

    if kind is AnswerKind.BEHAVIOURAL:
        first: dict[str, nlp.Span] = {}
        for seg in star.segments(answer_text):
            if seg.part and seg.part not in first:
                first[seg.part] = seg.span
        return [quote(f"STAR: {part}", first[part]) for part in star.PARTS if part in first]
    if kind is AnswerKind.SYSTEM_DESIGN:
        trade = [s for s in sents if _TRADEOFF_RE.search(s.span.text)]
        named = [s for s in sents if s.facts.mechanisms and s not in trade]
        return [quote("trade-off named", s.span) for s in trade[:2]] + [
            quote("mechanism named", s.span) for s in named[:2]
        ]
    specific = sorted(sents, key=lambda s: -s.facts.concreteness)
    return [quote("specific detail", s.span) for s in specific[:2] if s.facts.concreteness >= 0.3]


def star_structure(answer_text: str) -> dict[str, float]:
    """STAR parts present (1/0 each) and their share."""
    parts = star.present(answer_text)
    subs = {f"star_{k}": float(v) for k, v in parts.items()}
    subs["star"] = sum(parts.values()) / len(parts)
    return subs


def tradeoff_count(text: str) -> int:
    """How many trade-off cues ("at the cost of", "instead of", "versus"...) the answer names."""
    return len(_TRADEOFF_RE.findall(text))


def mechanism_count(text: str, exclude: frozenset[str] = frozenset()) -> int:
    """Named mechanisms and technologies ("connection pool", "keyset pagination", "Redis")."""
    named = {w.lower() for w in nlp.words(text) if w.lower() in nlp.tech_terms()} - exclude
    return facts.mechanism_count(text) + len(named)
