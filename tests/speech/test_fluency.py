"""Fluency measures on hand-built word lists (known answers) and on a clip with three pauses."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.speech.fluency import is_filled_pause, measure
from hiresight.speech.types import Transcript, Word
from tests.speech.conftest import Speak


def _transcript(words: list[tuple[str, float, float]], duration: float) -> Transcript:
    return Transcript(
        words=[Word(text=t, start=s, end=e, probability=0.9) for t, s, e in words],
        segments=[],
        language="en",
        duration=duration,
        engine="test",
    )


def test_steady_speech_without_pauses() -> None:
    """60 words, one every 0.5 s with 0.1 s gaps, over 30 s of audio: 120 wpm, no pause."""
    words = [(f"w{i}", i * 0.5, i * 0.5 + 0.4) for i in range(60)]
    result = measure(_transcript(words, 30.0))
    assert result.words == 60
    assert result.speech_rate == pytest.approx(120.0)
    # speaking time: 0.0 .. 29.9 s, no pause to take out
    assert result.speaking_time == pytest.approx(29.9)
    assert result.articulation_rate == pytest.approx(60 * 60 / 29.9, abs=0.01)
    assert result.pauses == []
    assert result.pauses_per_minute == 0.0
    assert result.mean_length_of_run == 60.0
    assert result.filled_pauses == []


def test_pauses_runs_and_evidence() -> None:
    """Two pauses (2.0 s and 1.0 s) over 20 s split 9 words into runs of 3, 4 and 2."""
    words = [
        ("I", 1.0, 1.2), ("led", 1.3, 1.6), ("the", 1.7, 1.8),
        ("team", 3.8, 4.1), ("that", 4.2, 4.4), ("built", 4.5, 4.8), ("search", 4.9, 5.4),
        ("in", 6.4, 6.5), ("Go", 6.6, 7.0),
    ]  # fmt: skip
    result = measure(_transcript(words, 20.0))
    assert [(p.start, p.end, p.duration) for p in result.pauses] == [
        (1.8, 3.8, 2.0),
        (5.4, 6.4, 1.0),
    ]
    assert result.pauses[0].before == "I led the"
    assert result.pauses[0].after == "team that built search"
    assert result.pauses[1].before == "team that built search"
    assert result.pauses[1].after == "in Go"
    assert result.pauses_per_minute == pytest.approx(6.0)  # 2 pauses in 1/3 minute
    assert result.mean_length_of_run == 3.0  # 9 words / 3 runs
    assert result.speech_rate == pytest.approx(27.0)  # 9 words in 20 s
    # speaking time: 1.0 .. 7.0 = 6.0 s minus 3.0 s of pauses = 3.0 s, 9 words: 180 wpm
    assert result.speaking_time == pytest.approx(3.0)
    assert result.articulation_rate == pytest.approx(180.0)


def test_gap_at_the_threshold_is_not_a_pause() -> None:
    """A 0.5 s gap is not a pause; 0.6 s is; silence before the first word never is."""
    words = [("a", 3.0, 3.25), ("b", 3.75, 3.9), ("c", 4.5, 4.7)]
    result = measure(_transcript(words, 10.0))
    assert [(p.start, p.end) for p in result.pauses] == [(3.9, 4.5)]


def test_filled_pauses_are_counted_and_not_words() -> None:
    """'um' and 'Uh,' are filled pauses; 'hum' and 'error' are words. 4 words, 2 fillers, 30 s."""
    words = [
        ("So", 0.0, 0.2), ("um", 0.3, 0.6), ("I", 0.7, 0.8), ("Uh,", 0.9, 1.2),
        ("fixed", 1.3, 1.6), ("error", 1.7, 2.0),
    ]  # fmt: skip
    result = measure(_transcript(words, 30.0))
    assert [f.word for f in result.filled_pauses] == ["um", "Uh,"]
    assert result.filled_pauses[0].context == "So [um] I Uh, fixed error"
    assert result.filled_pauses_per_minute == pytest.approx(4.0)
    assert result.words == 4
    assert result.speech_rate == pytest.approx(8.0)


@pytest.mark.parametrize(
    ("word", "filled"),
    [("um", True), ("Umm", True), ("uh", True), ("erm", True), ("er", True), ("hmm", True),
     ("hum", False), ("error", False), ("a", False), ("I", False)],
)  # fmt: skip
def test_is_filled_pause(word: str, filled: bool) -> None:
    assert is_filled_pause(word) is filled


def test_empty_transcript_measures_zero() -> None:
    result = measure(_transcript([], 5.0))
    assert (result.words, result.speech_rate, result.articulation_rate) == (0, 0.0, 0.0)
    assert result.mean_length_of_run == 0.0


def test_clip_with_three_inserted_silences_shows_three_pauses(speak: Speak) -> None:
    """Four sentences joined by 1 s of silence: exactly three pauses, each about 1 s long."""
    from hiresight.speech.whisper import WhisperTranscriber

    sentences = [
        "I have worked as a software engineer for five years.",
        "Most of my time was spent building web services.",
        "I enjoy working with a small team.",
        "Clear tests make changes safe.",
    ]
    path: Path = speak(sentences, 1.0)
    result = measure(WhisperTranscriber().transcribe(path))
    assert len(result.pauses) == 3, result.pauses
    for pause in result.pauses:
        assert 0.8 <= pause.duration <= 2.0
    assert [p.before.split()[-1].strip(".") for p in result.pauses] == [
        "years",
        "services",
        "team",
    ]
