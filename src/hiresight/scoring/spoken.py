"""The English check's spoken sub-score: fluency from word timings, banded onto CEFR.

Three temporal measures (`speech.fluency`) make the score: speech rate (words per minute,
silence included), mean length of run (words between pauses over 0.5 s) and silent pauses per
minute. Each is mapped onto 0-100 between a floor and a ceiling and onto a CEFR band; the
spoken band is the median of the three. The bands follow the ranges reported for L2 English
monologues (de Jong et al. 2012; Tavakoli & Skehan 2005; Kormos & Dénes 2004): they are a
conservative first calibration, versioned so that a recalibration never rewrites old scores.

Filled pauses are quoted as evidence but not scored: Whisper leaves many out, so their count
is a lower bound. Only words and their timing are used: never the voice, affect or accent.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from hiresight.scoring.types import Evidence
from hiresight.speech.fluency import Fluency, measure
from hiresight.speech.types import Transcript

# Short: it is joined to the multiple-choice and writing versions in a 60-character column.
SPOKEN_VERSION = "spoken.v1"
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
# Lower bounds of A2..C2 for each measure (higher is better, pauses excepted).
_RATE_CUTS = (60.0, 80.0, 100.0, 120.0, 140.0)
_RUN_CUTS = (3.0, 5.0, 7.0, 10.0, 14.0)
# Upper bounds of pauses per minute for C2..A2 (fewer is better).
_PAUSE_CUTS = (4.0, 6.0, 9.0, 12.0, 16.0)
# Below this many words the measures say little: the band is capped at B1.
MIN_WORDS = 40


class TimedEvidence(Evidence):
    """A quote from the spoken transcript with the second at which it starts in the audio."""

    time: float = Field(ge=0, description="Seconds from the start of the recording.")


class SpokenAssessment(BaseModel):
    """The spoken item's fluency score, CEFR band, measures and quoted evidence."""

    value: float
    cefr: str
    sub_scores: dict[str, float]
    fluency: Fluency
    evidence: list[TimedEvidence]
    notes: list[str] = Field(default_factory=list)
    version: str = SPOKEN_VERSION


def _scale(value: float, low: float, high: float) -> float:
    return round(100.0 * min(1.0, max(0.0, (value - low) / (high - low))), 2)


def _rising_band(value: float, cuts: tuple[float, ...]) -> int:
    return sum(1 for cut in cuts if value >= cut)


def _falling_band(value: float, cuts: tuple[float, ...]) -> int:
    return sum(1 for cut in cuts if value <= cut)


def _evidence(fluency: Fluency, transcript: Transcript) -> list[TimedEvidence]:
    out = []
    for pause in fluency.pauses:
        quote = f"{pause.before} … ({pause.duration:.1f} s) … {pause.after}"
        out.append(TimedEvidence(point="silent pause", quote=quote, start=0, end=0,
                                 similarity=1.0, time=pause.start))  # fmt: skip
    for filled in fluency.filled_pauses:
        out.append(TimedEvidence(point="filled pause", quote=filled.context, start=0, end=0,
                                 similarity=1.0, time=filled.start))  # fmt: skip
    # The longest stretch spoken without a pause shows the candidate at their most fluent.
    runs = [s for s in transcript.segments if s.text.strip()]
    if runs:
        best = max(runs, key=lambda s: len(s.text.split()))
        out.append(TimedEvidence(point="longest sentence", quote=best.text.strip(), start=0,
                                 end=0, similarity=1.0, time=best.start))  # fmt: skip
    return out


def assess_spoken(transcript: Transcript) -> SpokenAssessment:
    """Score the fluency of a spoken answer from its timed transcript."""
    fluency = measure(transcript)
    subs = {
        "speech_rate": _scale(fluency.speech_rate, 40.0, 160.0),
        "mean_length_of_run": _scale(fluency.mean_length_of_run, 1.0, 15.0),
        "pauses": _scale(20.0 - fluency.pauses_per_minute, 0.0, 20.0),
    }
    bands = sorted([
        _rising_band(fluency.speech_rate, _RATE_CUTS),
        _rising_band(fluency.mean_length_of_run, _RUN_CUTS),
        _falling_band(fluency.pauses_per_minute, _PAUSE_CUTS),
    ])  # fmt: skip
    band = bands[1]
    notes = []
    if fluency.words < MIN_WORDS:
        band = min(band, 2)
        notes.append(f"only {fluency.words} words spoken: too short to show more than B1")
    value = round(sum(subs.values()) / len(subs), 2) if fluency.words else 0.0
    return SpokenAssessment(
        value=value, cefr=CEFR_LEVELS[band], sub_scores=subs, fluency=fluency,
        evidence=_evidence(fluency, transcript), notes=notes,
    )  # fmt: skip
