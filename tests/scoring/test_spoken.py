"""The spoken sub-score of the English check: known-answer fluency, bands and evidence times."""

from __future__ import annotations

import pytest

from hiresight.scoring.english import MCResponse, assess_english
from hiresight.scoring.spoken import SPOKEN_VERSION, assess_spoken
from hiresight.speech.types import Segment, Transcript, Word


def _timed(words: int, pauses_after: set[int], *, duration: float = 60.0) -> Transcript:
    """`words` words of 0.4 s with 0.1 s gaps; a 1 s silence after each index in the set."""
    out, t = [], 0.0
    for i in range(words):
        out.append(Word(text=f"w{i}", start=round(t, 3), end=round(t + 0.4, 3), probability=0.9))
        t += 0.5 + (1.0 if i in pauses_after else 0.0)
    segments = [Segment(text=" ".join(w.text for w in out[:10]), start=0.0, end=out[9].end)]
    return Transcript(words=out, segments=segments, language="en", duration=duration,
                      engine="test")  # fmt: skip


def test_known_answer_ninety_words_a_minute_with_eight_pauses() -> None:
    """90 words in 60 s with 8 one-second pauses: 90 wpm (B1), runs of 10 words (C1), 8 pauses
    a minute (B2): the median band is B2; sub-scores on their fixed scales; version stored."""
    pauses = {9, 19, 29, 39, 49, 59, 69, 79}
    spoken = assess_spoken(_timed(90, pauses))
    assert spoken.fluency.speech_rate == 90.0
    assert spoken.fluency.mean_length_of_run == 10.0
    assert spoken.fluency.pauses_per_minute == 8.0
    assert spoken.sub_scores == {"speech_rate": 41.67, "mean_length_of_run": 64.29, "pauses": 60.0}
    assert spoken.value == pytest.approx((41.67 + 64.29 + 60.0) / 3, abs=0.01)
    assert spoken.cefr == "B2"
    assert spoken.version == SPOKEN_VERSION


def test_pauses_are_quoted_with_their_time_in_the_recording() -> None:
    """Each silent pause is evidence at the second it starts, with the words either side."""
    spoken = assess_spoken(_timed(50, {9, 29, 39}))
    pauses = [e for e in spoken.evidence if e.point == "silent pause"]
    assert [e.time for e in pauses] == [4.9, 15.9, 21.9]
    assert pauses[0].quote == "w6 w7 w8 w9 … (1.1 s) … w10 w11 w12 w13"


def test_a_short_answer_is_capped_at_b1() -> None:
    """Fewer than 40 words cannot show more than B1, however quick and unbroken."""
    spoken = assess_spoken(_timed(30, set(), duration=15.0))
    assert spoken.fluency.speech_rate == 120.0
    assert spoken.cefr == "B1"
    assert spoken.notes


def test_the_spoken_band_joins_the_cefr_mean() -> None:
    """Multiple choice at about B1 and a C2 spoken item average to B2 (indexes 2 and 5 -> 3)."""
    mc = [MCResponse(difficulty=0.0, correct=c) for c in (True, False) * 4]
    fluent = assess_spoken(_timed(150, {74}, duration=60.0))
    assert fluent.cefr == "C2"
    combined = assess_english(mc, None, fluent)
    assert combined.mc is not None
    assert combined.mc.cefr == "B1"
    assert combined.cefr == "B2"
    assert combined.spoken is fluent
