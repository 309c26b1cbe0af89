"""The English writing sample: accuracy, range, diversity and complexity measures.

Accuracy counts only errors that can impede meaning: grammar-rule hits and misspellings with no
one-edit correction. Style, typography and informal tone are not counted, and British and American
spellings are both correct (the spelling dictionary holds both; the US-only dictionary rule of the
grammar engine is ignored).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from hiresight.scoring import nlp

# LanguageTool categories that mark real grammar problems; STYLE, TYPOGRAPHY, CASING, REDUNDANCY
# and PUNCTUATION are matters of register, which the brief says not to penalise.
_GRAMMAR_CATEGORIES = frozenset(
    {"GRAMMAR", "CONFUSED_WORDS", "COLLOCATIONS", "SEMANTICS", "TYPOS", "NONSTANDARD_PHRASES"}
)
# Dictionary rules duplicate the spelling check below and flag British spellings as errors.
_DICTIONARY_RULE_PREFIX = "MORFOLOGIK_RULE"
_SUBORDINATORS = frozenset(
    [
        "although",
        "though",
        "because",
        "since",
        "unless",
        "whereas",
        "while",
        "whilst",
        "which",
        "whose",
        "whom",
        "that",
        "if",
        "when",
        "whenever",
        "where",
        "wherever",
        "however",
        "therefore",
        "moreover",
        "furthermore",
        "nevertheless",
        "consequently",
        "despite",
        "until",
        "once",
    ]
)
MTLD_THRESHOLD = 0.72  # McCarthy & Jarvis (2010), the standard factor size.


class GrammarHit(BaseModel):
    """One grammar-rule hit: the rule, its message and the matched text's offsets."""

    rule: str
    message: str
    start: int
    end: int


class Finding(BaseModel):
    """A sentence of the sample that shows one sub-score, with exact offsets into the sample.

    `aspect` is grammar, vocabulary or spelling; `point` says what the sentence shows.
    """

    aspect: str
    point: str
    quote: str
    start: int
    end: int


class WritingMetrics(BaseModel):
    """Raw measures of a writing sample."""

    words: int
    sentences: int
    grammar_errors_per_100: float
    misspellings_per_100: float
    impeding_misspellings_per_100: float
    b2_plus_share: float
    mean_zipf: float
    mtld: float
    words_per_sentence: float
    subordination_per_sentence: float
    fk_grade: float
    grammar_issues: list[str]
    misspelled: list[str]
    # Where each grammar issue is, for quoting the sentence it sits in (not part of any score).
    grammar_hits: list[GrammarHit] = Field(default_factory=list)


def _mtld_pass(tokens: list[str], threshold: float) -> float:
    factors = 0.0
    types: set[str] = set()
    count = 0
    for tok in tokens:
        count += 1
        types.add(tok)
        if len(types) / count <= threshold:
            factors += 1
            types, count = set(), 0
    if count:
        ttr = len(types) / count
        factors += (1 - ttr) / (1 - threshold)
    # A text that never falls to the threshold has no full factor; by convention its MTLD is its
    # length (every word new), which keeps the measure monotone instead of dividing by zero.
    return len(tokens) / factors if factors > 0 else float(len(tokens))


def mtld(tokens: list[str], threshold: float = MTLD_THRESHOLD) -> float:
    """Measure of Textual Lexical Diversity: mean of forward and backward factor lengths.

    Written here because no maintained offline package offers it with a stable API.
    """
    if not tokens:
        return 0.0
    lowered = [t.lower() for t in tokens]
    return (_mtld_pass(lowered, threshold) + _mtld_pass(lowered[::-1], threshold)) / 2


def _is_exempt(word: str) -> bool:
    # Capitalised words are names or tech terms (Kubernetes, PostgreSQL); words with digits are
    # identifiers; neither is a spelling error in a candidate's writing.
    return (
        any(ch.isupper() for ch in word)
        or any(ch.isdigit() for ch in word)
        or word.lower() in nlp.tech_terms()
    )


def spelling_errors(text: str) -> tuple[list[str], list[str]]:
    """Misspelled words and, among them, those with no one-edit correction (meaning-impeding)."""
    from symspellpy import Verbosity

    checker = nlp.spell_checker()
    vocab = checker.words
    wrong: list[str] = []
    impeding: list[str] = []
    for word in nlp.words(text):
        if _is_exempt(word):
            continue
        low = word.lower().replace("’", "'")
        parts = [p for p in low.replace("'", " ").replace("-", " ").split() if p]
        # Contractions and hyphenated compounds: check the pieces; "don't" -> "don", "t".
        if all(p in vocab or len(p) <= 2 or nlp.zipf(p) >= 3.0 for p in parts):
            continue
        wrong.append(word)
        if not checker.lookup(low, Verbosity.TOP, max_edit_distance=1):
            impeding.append(word)
    return wrong, impeding


def grammar_hits(text: str) -> list[GrammarHit]:
    """Grammar-rule hits from LingoTweaker that count against accuracy, with their offsets."""
    hits: list[GrammarHit] = []
    for match in nlp.grammar_engine().check(text):
        rule = str(match["rule_id"])
        if rule.startswith(_DICTIONARY_RULE_PREFIX):
            continue
        if match.get("category_id") not in _GRAMMAR_CATEGORIES:
            continue
        start, length = int(match["offset"]), int(match["length"])
        message = str(match.get("message") or match.get("short_message") or rule)
        hits.append(GrammarHit(rule=rule, message=message, start=start, end=start + length))
    return hits


def _issue_strings(text: str, hits: list[GrammarHit]) -> list[str]:
    return [f"{h.rule}: {text[h.start : h.end]}" for h in hits]


def grammar_issues(text: str) -> list[str]:
    """Grammar-rule hits from LingoTweaker, as 'RULE_ID: matched text' strings."""
    return _issue_strings(text, grammar_hits(text))


def measure(text: str) -> WritingMetrics:
    """Compute every raw measure of a writing sample."""
    toks = nlp.words(text)
    n = len(toks)
    sents = nlp.sentences(text)
    n_sent = max(1, len(sents))
    per100 = 100.0 / n if n else 0.0
    hits = grammar_hits(text) if n else []
    issues = _issue_strings(text, hits)
    wrong, impeding = spelling_errors(text) if n else ([], [])
    analyzer = nlp.cefr_analyzer()
    # Function words (Zipf >= 6: the, and, of, you...) say nothing about range; skip them.
    content = [t.lower() for t in toks if nlp.zipf(t) < 6.0 and t.isalpha()]
    levels = [analyzer.get_average_word_level_float(w) for w in content]
    known = [lv for lv in levels if lv is not None]
    b2_plus = sum(1 for lv in known if lv >= 4.0) / len(known) if known else 0.0
    zipfs = [nlp.zipf(w) for w in content if nlp.zipf(w) > 0]
    subordinators = sum(1 for t in toks if t.lower() in _SUBORDINATORS)
    textstat = nlp.textstat_offline()
    fk = float(textstat.flesch_kincaid_grade(text)) if n else 0.0
    return WritingMetrics(
        words=n,
        sentences=len(sents),
        grammar_errors_per_100=len(issues) * per100,
        misspellings_per_100=len(wrong) * per100,
        impeding_misspellings_per_100=len(impeding) * per100,
        b2_plus_share=b2_plus,
        mean_zipf=sum(zipfs) / len(zipfs) if zipfs else 0.0,
        mtld=mtld(toks),
        words_per_sentence=n / n_sent,
        subordination_per_sentence=subordinators / n_sent,
        fk_grade=fk,
        grammar_issues=issues,
        misspelled=wrong,
        grammar_hits=hits,
    )


# Enough quotes to show a pattern without repeating the whole sample back.
MAX_FINDINGS_PER_ASPECT = 3
_B2 = 4.0  # cefrpy's level scale: 1 = A1 ... 6 = C2


def _sentence_at(sents: list[nlp.Span], offset: int) -> nlp.Span | None:
    return next((s for s in sents if s.start <= offset < s.end), None)


def _finding(aspect: str, point: str, span: nlp.Span) -> Finding:
    return Finding(aspect=aspect, point=point, quote=span.text, start=span.start, end=span.end)


def _grammar_findings(sents: list[nlp.Span], m: WritingMetrics) -> list[Finding]:
    out: list[Finding] = []
    for hit in m.grammar_hits:
        span = _sentence_at(sents, hit.start)
        if span is not None and len(out) < MAX_FINDINGS_PER_ASPECT:
            out.append(_finding("grammar", f"grammar: {hit.message} [{hit.rule}]", span))
    if out or m.grammar_hits:
        return out

    # No rule fired: the most complex sentence shows the accuracy the sub-score credits.
    def complexity(span: nlp.Span) -> tuple[int, int]:
        toks = nlp.words(span.text)
        return (sum(1 for t in toks if t.lower() in _SUBORDINATORS), len(toks))

    best = max(sents, key=complexity, default=None)
    if best is None:
        return []
    kind = "a well-formed complex sentence" if complexity(best)[0] else "its longest sentence"
    return [_finding("grammar", f"grammar: no issue found; {kind}", best)]


def _vocabulary_findings(sents: list[nlp.Span]) -> list[Finding]:
    analyzer = nlp.cefr_analyzer()
    best: tuple[tuple[float, int], nlp.Span, list[tuple[float, str]]] | None = None
    for span in sents:
        # The same words `measure` rates: function words (Zipf >= 6) say nothing about range.
        leveled = {}
        for tok in nlp.words(span.text):
            word = tok.lower()
            if tok.isalpha() and nlp.zipf(word) < 6.0:
                level = analyzer.get_average_word_level_float(word)
                if level is not None:
                    leveled[word] = float(level)
        if not leveled:
            continue
        ranked = sorted(((lv, w) for w, lv in leveled.items()), reverse=True)
        key = (ranked[0][0], sum(1 for lv, _ in ranked if lv >= _B2))
        if best is None or key > best[0]:
            best = (key, span, ranked)
    if best is None:
        return []
    _, span, ranked = best
    top = ranked[0][0]
    shown = [w for lv, w in ranked if lv >= min(top, _B2)][:5]
    named = ", ".join(f"{w} ({analyzer.get_average_word_level_CEFR(w)})" for w in shown)
    return [_finding("vocabulary", f"vocabulary: highest-level words: {named}", span)]


def _spelling_findings(sents: list[nlp.Span], m: WritingMetrics) -> list[Finding]:
    wrong = set(m.misspelled)
    out: list[Finding] = []
    for span in sents:
        here = list(dict.fromkeys(w for w in nlp.words(span.text) if w in wrong))
        if here and len(out) < MAX_FINDINGS_PER_ASPECT:
            out.append(_finding("spelling", "spelling: misspelled: " + ", ".join(here), span))
    return out


def findings(text: str, m: WritingMetrics) -> list[Finding]:
    """Sentences of the sample that show its grammar, vocabulary and spelling sub-scores.

    Grammar: each sentence with a counted grammar issue and the rule's message (the first few),
    or, with none, its most complex sentence. Vocabulary: the sentence with the highest-level
    words, naming them with their CEFR level. Spelling: each sentence with a misspelled word.
    Quotes are whole sentences with exact offsets into `text`; `m` is `measure(text)`.
    """
    sents = nlp.sentences(text)
    return [
        *_grammar_findings(sents, m),
        *_vocabulary_findings(sents),
        *_spelling_findings(sents, m),
    ]


def sub_scores(m: WritingMetrics) -> dict[str, float]:
    """Map raw measures to 0–1 sub-scores (accuracy, vocabulary, diversity, complexity, length)."""
    # Anchors follow CEFR descriptors and learner-corpus ranges (MTLD ~40 for elementary writers,
    # 150+ for short proficient texts). They were widened once, when the first draft put every
    # error-free text at C2; they are round numbers, not values fitted to the known-answer samples.
    errors = m.grammar_errors_per_100 + 0.5 * m.misspellings_per_100
    errors += 1.5 * m.impeding_misspellings_per_100
    return {
        "accuracy": nlp.ramp(errors, 12.0, 0.5),
        "vocabulary": 0.6 * nlp.ramp(m.b2_plus_share, 0.05, 0.40)
        + 0.4 * nlp.ramp(m.mean_zipf, 5.5, 4.0),
        "diversity": nlp.ramp(m.mtld, 30.0, 180.0),
        "complexity": 0.5 * nlp.ramp(m.words_per_sentence, 6.0, 26.0)
        + 0.5 * nlp.ramp(m.subordination_per_sentence, 0.1, 1.2),
        "readability_grade": nlp.ramp(m.fk_grade, 2.0, 18.0),
        "length": nlp.ramp(float(m.words), 15.0, 120.0),
    }


_WEIGHTS = {
    "accuracy": 0.30,
    "vocabulary": 0.22,
    "diversity": 0.14,
    "complexity": 0.12,
    "readability_grade": 0.10,
    "length": 0.12,
}


def writing_value(subs: dict[str, float]) -> float:
    """Weighted 0–100 writing score from sub-scores."""
    return 100.0 * sum(_WEIGHTS[k] * subs[k] for k in _WEIGHTS)
