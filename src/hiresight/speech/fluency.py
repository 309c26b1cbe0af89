"""Spoken fluency from word timestamps: rate, pauses, runs and filled pauses, with evidence.

Definitions (the temporal measures of second-language fluency research):

- speech rate: words per minute over the whole recording, silence included;
- articulation rate: words per minute of speaking time, i.e. from the first word's start to the
  last word's end, minus the silent pauses;
- silent pause: a gap between two consecutive words longer than `pause_threshold` (0.5 s);
  silence before the first word or after the last is not a pause;
- mean length of run: words between silent pauses (words / (pauses + 1));
- filled pause: a word such as "um", "uh", "erm", "er" or "hmm" (lengthened forms too).

Filled pauses are disfluencies, not words: they are counted on their own and left out of the
word counts of the rates and the runs. Only words and timing are measured, never the voice.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from hiresight.speech.types import Transcript, Word

PAUSE_THRESHOLD = 0.5
CONTEXT_WORDS = 4
_FILLED = re.compile(r"^(u+m+|u+h+|e+r+m*|h+m+)$")
_STRIP = re.compile(r"[^\w']+")


class Pause(BaseModel):
    """A silent pause and the words either side of it."""

    start: float
    end: float
    duration: float
    before: str = Field(description="The words just before the pause.")
    after: str = Field(description="The words just after the pause.")


class FilledPause(BaseModel):
    """A filled pause and its context."""

    word: str
    start: float
    end: float
    context: str = Field(description="The words around it, the filler marked [like this].")


class Fluency(BaseModel):
    """The fluency measures of one recording, with their evidence."""

    duration: float = Field(description="Seconds of audio.")
    words: int = Field(description="Words spoken, filled pauses not counted.")
    speaking_time: float = Field(description="Seconds from first to last word, minus pauses.")
    speech_rate: float = Field(description="Words per minute over the whole recording.")
    articulation_rate: float = Field(description="Words per minute of speaking time.")
    pause_threshold: float
    pauses: list[Pause]
    pauses_per_minute: float
    mean_length_of_run: float = Field(description="Words between silent pauses.")
    filled_pauses: list[FilledPause]
    filled_pauses_per_minute: float


def is_filled_pause(text: str) -> bool:
    """Whether a word is a filled pause ("um", "uh", "erm", "er", "hmm", ...)."""
    return bool(_FILLED.match(_STRIP.sub("", text.lower())))


def _span(words: list[Word], start: int, stop: int) -> str:
    return " ".join(w.text for w in words[max(0, start) : max(0, stop)])


def _per_minute(count: float, seconds: float) -> float:
    return round(count * 60.0 / seconds, 2) if seconds > 0 else 0.0


def measure(transcript: Transcript, *, pause_threshold: float = PAUSE_THRESHOLD) -> Fluency:
    """The fluency measures of a transcript's timed words."""
    words = sorted(transcript.words, key=lambda w: (w.start, w.end))
    duration = max(transcript.duration, words[-1].end if words else 0.0)
    pauses: list[Pause] = []
    filled: list[FilledPause] = []
    for i, word in enumerate(words):
        if is_filled_pause(word.text):
            before, after = (
                _span(words, i - CONTEXT_WORDS, i),
                _span(words, i + 1, i + 1 + CONTEXT_WORDS),
            )
            context = f"{before} [{word.text}] {after}".strip()
            filled.append(
                FilledPause(word=word.text, start=word.start, end=word.end, context=context)
            )
        if i and word.start - words[i - 1].end > pause_threshold:
            gap_start = words[i - 1].end
            pauses.append(
                Pause(
                    start=round(gap_start, 3),
                    end=round(word.start, 3),
                    duration=round(word.start - gap_start, 3),
                    before=_span(words, i - CONTEXT_WORDS, i),
                    after=_span(words, i, i + CONTEXT_WORDS),
                )
            )
    count = len(words) - len(filled)
    spoken_span = words[-1].end - words[0].start if words else 0.0
    speaking_time = max(0.0, spoken_span - sum(p.duration for p in pauses))
    return Fluency(
        duration=round(duration, 3),
        words=count,
        speaking_time=round(speaking_time, 3),
        speech_rate=_per_minute(count, duration),
        articulation_rate=_per_minute(count, speaking_time),
        pause_threshold=pause_threshold,
        pauses=pauses,
        pauses_per_minute=_per_minute(len(pauses), duration),
        mean_length_of_run=round(count / (len(pauses) + 1), 2) if count else 0.0,
        filled_pauses=filled,
        filled_pauses_per_minute=_per_minute(len(filled), duration),
    )
