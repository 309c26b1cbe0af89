"""How an answer is delivered: structure, concision, filler words and pacing (each 0–1)."""

from __future__ import annotations

import re

from pydantic import BaseModel

from hiresight.scoring import nlp
from hiresight.scoring.types import Evidence

# Fillers of spoken English as they appear in transcripts. "like" and "so" are fillers only in
# some positions; we count "like" only when set off by commas, where it is not a verb or a
# preposition ("I, like, tried"), to avoid penalising ordinary use.
_FILLER_PATTERNS = [
    r"\bum+\b",
    r"\buh+\b",
    r"\berm+\b",
    r"\bbasically\b",
    r"\byou know\b",
    r"\bI mean\b",
    r"\bkind of\b",
    r"\bsort of\b",
    r"(?:^|,)\s*like\s*,",
    r"\bliterally\b",
    r"\bactually\b",
]
_FILLER_RE = re.compile("|".join(_FILLER_PATTERNS), re.IGNORECASE | re.MULTILINE)
_MARKERS = re.compile(
    r"\b(first(ly)?|second(ly)?|then|next|finally|because|so that|therefore|as a result|"
    r"for example|for instance|in short|overall|to summari[sz]e|the reason|which meant)\b",
    re.IGNORECASE,
)


class Communication(BaseModel):
    """Delivery sub-scores in 0–1 and the counts behind them."""

    structure: float
    concision: float
    fillers: float
    pacing: float | None
    filler_count: int
    overall: float


def filler_count(text: str) -> int:
    """How many filler words or phrases the text contains."""
    return len(_FILLER_RE.findall(text))


def pacing(
    time_used_s: float | None, time_allotted_s: float | None, *, covers_points: bool = False
) -> float | None:
    """1 when the answer used a sensible share of the time; lower when rushed or over time.

    Using 25–100 % of the allotted time is fine; a few seconds suggests a paste or no thought,
    and going over the limit is penalised in proportion to the overrun. An answer that covers
    the points (`covers_points`, the content scorer's verdict) is not penalised for finishing
    early: being quick and complete is good delivery. Going over time still costs.
    """
    if time_used_s is None or not time_allotted_s:
        return None
    share = time_used_s / time_allotted_s
    if share > 1.0:
        return max(0.0, 1.0 - (share - 1.0) * 2)
    if covers_points:
        return 1.0
    return nlp.ramp(share, 0.02, 0.25)


def assess(
    text: str,
    *,
    time_used_s: float | None = None,
    time_allotted_s: float | None = None,
    ideal_words: tuple[int, int] = (60, 300),
    covers_points: bool = False,
) -> Communication:
    """Score the delivery of `text`; content quality is scored elsewhere.

    `covers_points` says the answer covers the rubric's points, so finishing early is not
    penalised in pacing (see `pacing`).
    """
    toks = nlp.words(text)
    n = len(toks)
    sents = nlp.sentences(text)
    if n == 0:
        return Communication(
            structure=0.0, concision=0.0, fillers=0.0, pacing=None, filler_count=0, overall=0.0
        )
    lengths = [len(nlp.words(s.text)) for s in sents] or [n]
    mean_len = sum(lengths) / len(lengths)
    # Structure: several sentences of readable length, joined by discourse markers.
    structure = (
        0.4 * nlp.ramp(len(sents), 1, 4)
        + 0.3 * nlp.ramp(len(_MARKERS.findall(text)), 0, 3)
        + 0.3 * (1.0 - nlp.ramp(mean_len, 30, 60))
    )
    lo, hi = ideal_words
    # Concision: too short says little, far too long rambles; repeated sentences also ramble.
    unique_share = len({s.text.lower() for s in sents}) / max(1, len(sents))
    concision = min(nlp.ramp(n, lo * 0.25, lo), 1.0 - nlp.ramp(n, hi, hi * 3)) * unique_share
    fillers = filler_count(text)
    filler_score = 1.0 - nlp.ramp(100.0 * fillers / n, 1.0, 8.0)
    pace = pacing(time_used_s, time_allotted_s, covers_points=covers_points)
    parts = [structure, concision, filler_score] + ([pace] if pace is not None else [])
    return Communication(
        structure=structure,
        concision=concision,
        fillers=filler_score,
        pacing=pace,
        filler_count=fillers,
        overall=sum(parts) / len(parts),
    )


LONG_SENTENCE_WORDS = 40


def findings(text: str, *, limit: int = 3) -> list[Evidence]:
    """The passages behind the delivery sub-scores, quoted with offsets into `text`.

    Structure: the sentences that carry discourse markers ("first", "because", "as a result").
    Fillers: each filler phrase. Concision: sentences over 40 words. Empty when none apply.
    """
    out: list[Evidence] = []
    sentences = nlp.sentences(text)
    marked = [s for s in sentences if _MARKERS.search(s.text)][:limit]
    out += [
        Evidence(point="structure: discourse markers", quote=s.text, start=s.start, end=s.end,
                 similarity=0.0)
        for s in marked
    ]  # fmt: skip
    for m in list(_FILLER_RE.finditer(text))[:limit]:
        quote = m.group(0).strip(" ,")
        start = m.start() + m.group(0).find(quote)
        out.append(Evidence(point="fillers", quote=quote, start=start, end=start + len(quote),
                            similarity=0.0))  # fmt: skip
    long = [s for s in sentences if len(nlp.words(s.text)) > LONG_SENTENCE_WORDS][:limit]
    out += [
        Evidence(point=f"concision: a sentence over {LONG_SENTENCE_WORDS} words", quote=s.text,
                 start=s.start, end=s.end, similarity=0.0)
        for s in long
    ]  # fmt: skip
    if not out and sentences:
        # Nothing stood out either way: say what was measured, quoting where the answer starts.
        first = sentences[0]
        point = f"structure: {len(sentences)} sentence(s), no discourse markers or fillers"
        out.append(Evidence(point=point, quote=first.text, start=first.start, end=first.end,
                            similarity=0.0))  # fmt: skip
    return out
