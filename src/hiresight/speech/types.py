"""What a transcription yields: words with times and confidence, segments, language, duration."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Word(BaseModel):
    """One recognised word. Times are seconds from the start of the audio."""

    text: str
    start: float = Field(ge=0)
    end: float = Field(ge=0)
    probability: float | None = Field(
        None, ge=0, le=1, description="The engine's confidence; None when it gives none."
    )


class Segment(BaseModel):
    """A stretch of speech as the engine split it (about a sentence)."""

    text: str
    start: float = Field(ge=0)
    end: float = Field(ge=0)


class Transcript(BaseModel):
    """The words, segments and metadata of one transcribed recording."""

    words: list[Word]
    segments: list[Segment]
    language: str
    duration: float = Field(ge=0, description="Seconds of audio, silence included.")
    engine: str = Field(description="Which engine produced it, e.g. faster-whisper:tiny.en.")

    @property
    def text(self) -> str:
        """The transcript as one line of text."""
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())
