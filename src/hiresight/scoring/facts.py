"""What one sentence of an answer commits to: events, figures, names, or only generalities.

A recruiter trusts an answer for the things it commits to: something that happened ("I ran a
two-day spike"), a figure ("p95 fell to 210 ms"), a named system. Habits ("I always take
ownership"), beliefs ("communication is key"), hypotheticals ("I would talk to them") and
evasions ("I don't really have disagreements") commit to nothing, however fluent. These facts
feed the STAR detector, specificity and the weight a sentence's coverage earns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from hiresight.scoring import nlp

_NUMBER_RE = re.compile(
    r"(?<![A-Za-z])\d+(?:[.,]\d+)?\s*(?:%|ms|s|x|k|m|gb|mb|tb|rps|qps|min|h)?(?![A-Za-z])"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|thousand|million|half|double|doubled|tripled|halved|dozen|twice|"
    r"a (?:third|fifth|quarter|tenth))\b",
    re.I,
)
_TIME_RE = re.compile(
    r"\b(?:last|this|next|that|the following|the next|previous|same)\s+(?:year|quarter|month|"
    r"week|sprint|spring|summer|autumn|fall|winter|release|day|morning|night)\b|"
    r"\b(?:19|20)\d\d\b|\bQ[1-4]\b|\b(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday)\b|\b(?:at|in) my (?:previous|last|current|first|old) (?:job|company|team|role|"
    r"employer|startup)\b|\bwhen I (?:was|joined|worked|started)\b|\bat the time\b|"
    r"\b\w+\s+(?:days?|weeks?|months?|hours?|minutes?|years?)\s+(?:ago|later|before|after|in)\b|"
    r"\bone (?:day|night|morning|evening|afternoon|weekend)\b|\bduring (?:a|an|the|our)\b|"
    r"\b(?:a|an|one|two|three|four|five|six|few|couple of|about a|within a|in a)\s+"
    r"(?:days?|weeks?|months?|hours?|sprints?|quarters?|minutes?)\b",
    re.I,
)
# Verbs of being, having and thinking tell a state, not an action the candidate took.
_STATES = (
    "be", "have", "do", "feel", "think", "believe", "know", "want", "need", "like", "seem", "get",
    "become", "remain", "keep", "use", "try", "mean", "hope", "wish", "guess", "suppose", "will",
    "can", "shall", "may", "must",
)  # fmt: skip
# Light verbs: "I worked on", "I collaborated with", "I learned a lot" say someone was there, not
# what they did.
_LIGHT = (
    "work", "collaborate", "participate", "contribute", "help", "support", "handle", "deal",
    "focus", "involve", "engage", "ensure", "enjoy", "gain", "grow", "understand", "learn", "see",
    "realise", "realize", "experience", "manage",
)  # fmt: skip
# Buzzword verbs: "I empowered stakeholders", "I spearheaded alignment".
_BUZZ_VERBS = (
    "empower", "champion", "spearhead", "leverage", "align", "facilitate", "foster", "streamline",
    "orchestrate", "evangelize", "evangelise", "strategize", "strategise", "synergize",
)  # fmt: skip
_STATE_LEMMAS = frozenset((*_STATES, *_LIGHT, *_BUZZ_VERBS))
_GENERIC_RE = re.compile(
    r"\b(?:always|usually|generally|typically|normally|often|in general|whenever|every time|"
    r"everyone|everybody|anyone|anybody|nobody|any (?:problem|issue|situation|conflict)|"
    r"I believe|I feel|I think it is|I think it's|is key|are key|is important|is essential|"
    r"is crucial|is vital|it's important|it is important|I tend to|I try to|I make sure|"
    r"I like to|I love to|I always|my approach|my philosophy|best practices?|"
    r"at the end of the day|team player|go the extra mile|hard[- ]working|passionate|"
    r"in any case|in my experience|as a rule|great (?:experience|team|learning)|"
    r"learning experience)\b",
    re.I,
)
_EVASIVE_RE = re.compile(
    r"\b(?:don't really|do not really|never really|never had|can't (?:really )?(?:think|recall|"
    r"remember)|cannot (?:think|recall|remember)|hard to say|not sure|team effort|"
    r"just do what|I just follow|I don't (?:have|get) (?:many|much|any|into)|"
    r"nothing (?:really|comes to mind)|it depends|doesn't really matter|don't remember)\b",
    re.I,
)
_HYPOTHETICAL_RE = re.compile(
    r"\b(?:I would|I'd|we would|we'd|I will|I'll|I could|if I were|I should|you should|"
    r"one should|you would|you need to|you have to|you must)\b",
    re.I,
)
_FIRST_PERSON_RE = re.compile(r"\b(?:I|me|my|I'm|I've|I'd|myself)\b")


# Modals inflect like verbs in the lexicon ("would" as the past of "will") but tell no event.
_MODALS = frozenset(["would", "could", "should", "might", "must", "ought"])


@cache
def _past_forms(lemma: str) -> frozenset[str]:
    from lemminflect import getInflection

    return frozenset(f.lower() for f in getInflection(lemma, tag="VBD") or ())


@cache
def past_lemma(word: str) -> str | None:
    """The verb lemma when `word` is a simple-past form ("ran" -> "run"), else None."""
    from lemminflect import getAllLemmas

    low = word.lower()
    if low in _MODALS:
        return None
    for lemma in getAllLemmas(low, upos="VERB").get("VERB", ()):
        if low in _past_forms(lemma) and low != lemma:
            return str(lemma)
    # Verbs whose past equals the base ("cut", "set", "put", "split") read as past in a story.
    if low in {"cut", "set", "put", "split", "shut", "hit", "let", "read", "quit", "spread"}:
        return low
    return None


@dataclass(frozen=True)
class SentenceFacts:
    """What one sentence commits to (see the module docstring)."""

    words: int
    numbers: int
    named: int
    mechanisms: int  # named engineering mechanisms ("connection pool", "keyset pagination")
    time_anchor: bool
    first_person: bool
    own_action: str | None  # lemma of an action the speaker (or their team) took, past tense
    event: bool  # anyone did something, in the past tense ("the privacy officer agreed")
    past: bool  # any simple-past verb: the sentence tells something that happened
    generic: bool
    evasive: bool
    hypothetical: bool
    rare: float  # share of content words that are uncommon in English (Zipf < 4): specific nouns

    @property
    def concreteness(self) -> float:
        """0–1: how much the sentence commits to (events, figures, names, a time)."""
        raw = (
            0.35 * min(1.0, self.numbers / 1.0)
            + 0.25 * min(1.0, self.named / 2.0)
            # "I collaborated with stakeholders" is an action in plain words; "I rewrote the
            # invoice renderer" names uncommon things. Plain-worded actions earn half.
            + (
                0.35 * (0.5 + 0.5 * nlp.ramp(self.rare, 0.05, 0.25))
                if self.own_action is not None
                else 0.2 * self.event
            )
            + 0.15 * self.time_anchor
            + 0.10 * self.past
        )
        if self.evasive:
            raw *= 0.2
        elif (self.generic or self.hypothetical) and not (
            self.numbers or self.named or (self.own_action and self.past)
        ):
            # "I always take ownership" is a habit; "I brought numbers on how often it failed"
            # is an event that happens to contain "often".
            raw *= 0.4
        return min(1.0, raw)


def named_count(text: str, exclude: frozenset[str] = frozenset()) -> int:
    """Technologies, products and names in `text` (tech terms, capitalised mid-sentence words)."""
    terms = nlp.tech_terms()
    starts = {s.start for s in nlp.sentences(text)}
    named = {t.lower() for t in nlp.words(text) if t.lower() in terms}
    named |= {
        w.text.lower()
        for w in nlp.word_spans(text)
        if w.text[0].isupper()
        and w.start not in starts
        and w.text not in {"I", "I'm", "I've", "I'd", "I'll"}
    }
    return len(named - exclude)


@cache
def _mechanism_re() -> re.Pattern[str]:
    # The code-review list and the system-design list together: both name checkable mechanisms.
    vocabulary = set(nlp.data_list("mechanisms.txt")) | set(nlp.data_list("design_terms.txt"))
    terms = sorted(vocabulary, key=len, reverse=True)
    return re.compile(
        r"(?<![a-z0-9])(?:" + "|".join(re.escape(t) for t in terms) + r")(?![a-z0-9])", re.I
    )


def mechanism_count(text: str) -> int:
    """How many distinct named mechanisms ("connection pool", "retry", "index") `text` names."""
    return len({m.group(0).lower() for m in _mechanism_re().finditer(text)})


def numbers(text: str) -> list[str]:
    """The figures in `text` (digits with units, and number words such as "two")."""
    return [m.group(0) for m in _NUMBER_RE.finditer(text)]


# A past form after these is a participle or an adjective ("is randomised", "the most
# misunderstood"), not something that happened. After "was"/"were" it is a past passive ("the
# invoices were rejected"), which is an event.
_NOT_FINITE_AFTER = frozenset((
    "is", "are", "am", "be", "been", "being", "'s", "'re", "get", "gets", "getting", "become",
    "becomes", "most", "more", "less", "least", "very", "the", "a", "an", "well", "often",
    "badly", "poorly", "commonly", "widely", "so", "too", "also", "fully", "partly", "newly",
))  # fmt: skip


def past_verbs(toks: list[str]) -> list[str]:
    """Lemmas of the simple-past (finite) verbs among the tokens."""
    out = []
    for i, tok in enumerate(toks):
        lemma = past_lemma(tok)
        if lemma is None:
            continue
        if i > 0 and toks[i - 1].lower() in _NOT_FINITE_AFTER:
            continue
        out.append(lemma)
    return out


_SUBJECTS = frozenset({"I", "we", "We"})
# Words that may sit between the subject and its verb: "I had already started", "we then paused".
_BETWEEN = frozenset((
    "had", "have", "'ve", "'d", "also", "then", "already", "just", "quickly", "finally", "first",
    "eventually", "immediately", "both", "all", "together", "still", "later", "never", "actually",
    "personally", "myself", "ourselves", "instead", "soon", "again", "slowly", "carefully",
    "simply",
))  # fmt: skip


def own_action(sentence: str) -> str | None:
    """The lemma of a past action whose subject is the speaker or their team, if any."""
    toks = nlp.words(sentence)
    for i, tok in enumerate(toks):
        if tok not in _SUBJECTS:
            continue
        for nxt in toks[i + 1 : i + 4]:
            if nxt.lower() in _BETWEEN or nxt.lower().endswith("ly"):
                continue
            lemma = past_lemma(nxt)
            if lemma is not None and lemma not in _STATE_LEMMAS:
                return lemma
            break
    return None


def facts(sentence: str, exclude: frozenset[str] = frozenset()) -> SentenceFacts:
    """The facts of one sentence; words in `exclude` (the question's own) earn nothing."""
    toks = nlp.words(sentence)
    finite = past_verbs(toks)
    figures = [n for n in numbers(sentence) if n.lower().strip() not in exclude]
    return SentenceFacts(
        words=len(toks),
        numbers=len(figures),
        named=named_count(sentence, exclude),
        mechanisms=mechanism_count(sentence),
        time_anchor=bool(_TIME_RE.search(sentence)),
        first_person=bool(_FIRST_PERSON_RE.search(sentence)),
        own_action=own_action(sentence),
        past=bool(finite),
        event=any(lemma not in _STATE_LEMMAS for lemma in finite),
        generic=bool(_GENERIC_RE.search(sentence)) or buzzword_count(sentence) >= 2,
        evasive=bool(_EVASIVE_RE.search(sentence)),
        hypothetical=bool(_HYPOTHETICAL_RE.search(sentence)),
        rare=rare_share(sentence),
    )


def rare_share(text: str) -> float:
    """Share of content words (not the commonest English words) with Zipf frequency below 4.

    Buzzwords ("stakeholders", "alignment", "KPIs") are uncommon but name nothing, so they count
    as common here.
    """
    content = [w.lower() for w in nlp.words(text) if len(w) > 2 and nlp.zipf(w) < 5.5]
    buzz = buzzwords()
    rare = sum(1 for w in content if nlp.zipf(w) < 4.0 and w not in buzz)
    return rare / len(content) if content else 0.0


@cache
def buzzwords() -> frozenset[str]:
    """Corporate buzzwords (`data/buzzwords.txt`), lower-cased."""
    return frozenset(nlp.data_list("buzzwords.txt"))


def buzzword_count(text: str) -> int:
    """How many buzzwords the text leans on ("drove alignment with stakeholders" has two)."""
    low = text.lower()
    buzz = buzzwords()
    singles = sum(1 for w in nlp.words(low) if w in buzz)
    phrases = sum(low.count(p) for p in buzz if " " in p)
    return singles + phrases


def vocabulary(*texts: str) -> frozenset[str]:
    """Lower-cased words and figures of the given texts (what an answer cannot earn credit for)."""
    out: set[str] = set()
    for t in texts:
        out |= {w.lower() for w in nlp.words(t)}
        out |= {n.lower().strip() for n in numbers(t)}
    return frozenset(out)
