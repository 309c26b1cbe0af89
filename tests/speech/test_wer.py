"""Word error rate on known pairs."""

from __future__ import annotations

import pytest

from hiresight.speech.wer import edit_distance, normalize, word_error_rate


def test_normalize_drops_case_and_punctuation() -> None:
    assert normalize("Hello, World! It's fine.") == ["hello", "world", "it's", "fine"]


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ("a b c d", "a b c d", 0.0),
        ("a b c d", "a x c d", 0.25),  # one substitution
        ("a b c d", "a c d", 0.25),  # one deletion
        ("a b c d", "a b b c d", 0.25),  # one insertion
        ("a b c d", "", 1.0),
        ("", "", 0.0),
        ("the cat sat", "The cat, sat.", 0.0),
    ],
)
def test_word_error_rate(reference: str, hypothesis: str, expected: float) -> None:
    assert word_error_rate(reference, hypothesis) == pytest.approx(expected)


def test_edit_distance_counts_each_kind_once() -> None:
    assert edit_distance(["kitten", "sat"], ["sitting", "sat", "down"]) == 2
