"""Tests for the shared text helpers: sentence offsets, words, real-word share, ramps."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiresight.scoring import nlp


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_sentence_offsets_always_slice_the_text(text: str) -> None:
    """For any text, every sentence span is exactly text[start:end] and non-empty."""
    for span in nlp.sentences(text):
        assert text[span.start : span.end] == span.text
        assert span.text.strip()


def test_sentences_split_on_terminators_and_newlines() -> None:
    """Sentences end at . ! ? or a line break."""
    spans = nlp.sentences("First one. Second!\nThird line\n\nFourth?")
    assert [s.text for s in spans] == ["First one.", "Second!", "Third line", "Fourth?"]


def test_words_keep_contractions_and_hyphens() -> None:
    """Inner apostrophes and hyphens stay inside a word."""
    assert nlp.words("I don't use read-through caches.") == [
        "I", "don't", "use", "read-through", "caches"
    ]  # fmt: skip


def test_real_word_share_known_values() -> None:
    """Real English scores 1.0, keyboard mash 0.0; tech terms count as real."""
    assert nlp.real_word_share("the cache was warm") == 1.0
    assert nlp.real_word_share("qwxz plfk zzvb") == 0.0
    assert nlp.real_word_share("kubernetes hpa") == 1.0


def test_ramp_is_clamped_and_reversible() -> None:
    """ramp is 0 below lo, 1 above hi, linear between, and decreasing when lo > hi."""
    assert nlp.ramp(5, 0, 10) == 0.5
    assert nlp.ramp(-1, 0, 10) == 0.0
    assert nlp.ramp(11, 0, 10) == 1.0
    assert nlp.ramp(2, 10, 0) == 0.8


def test_data_lists_load() -> None:
    """The shipped lexicons load, lower-cased, without comments."""
    assert "kubernetes" in nlp.tech_terms()
    assert all(not t.startswith("#") for t in nlp.data_list("mechanisms.txt"))


def test_decimals_and_hostnames_do_not_split_sentences() -> None:
    """A full stop inside '0.4' or 'api.example.com' is not a sentence end."""
    spans = nlp.sentences("p95 fell from 0.4 s to 0.16 s on api.example.com. Then we shipped.")
    assert [s.text for s in spans] == [
        "p95 fell from 0.4 s to 0.16 s on api.example.com.",
        "Then we shipped.",
    ]


def test_ellipsis_inside_code_stays_in_sentence() -> None:
    """'parseInt(..., 10)' does not end a sentence."""
    spans = nlp.sentences("Parse it (Number.parseInt(..., 10)) first. Then use it.")
    assert [s.text for s in spans] == ["Parse it (Number.parseInt(..., 10)) first.", "Then use it."]


def test_grammar_engine_ignores_a_data_folder_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server started in a folder that has a `data` folder of its own (lt_py looked there
    first) still finds the grammar rules' data."""
    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    nlp.grammar_engine.cache_clear()
    try:
        engine = nlp.grammar_engine()
    finally:
        nlp.grammar_engine.cache_clear()
    assert engine is not None
