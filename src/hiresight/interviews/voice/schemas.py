"""Request and response shapes of spoken answers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from hiresight.interviews.voice.models import RecordingState


class VoiceNotice(BaseModel):
    """What the candidate reads before the first recording, and whether they consented."""

    version: str
    text: str
    consented: bool


class VoiceConsentCreate(BaseModel):
    """Consent to the notice of this version."""

    version: str = Field(min_length=1, max_length=40)


class VoiceConsentPublic(BaseModel):
    """A stored consent."""

    model_config = ConfigDict(from_attributes=True)

    notice_version: str
    consented_at: dt.datetime


class RecordingCreate(BaseModel):
    """A recording of the answer to one question."""

    question_id: str = Field(min_length=1, max_length=80)
    mime_type: str = Field("audio/webm;codecs=opus", min_length=1, max_length=80)


class RecordingFinish(BaseModel):
    """How many chunks the client sent (sequence numbers 0 .. chunks-1)."""

    chunks: int = Field(ge=1, le=100_000)


class ChunkStored(BaseModel):
    """A chunk is stored (or was already)."""

    seq: int
    received: int = Field(description="Chunks stored so far.")


class TimedSentence(BaseModel):
    """A sentence (segment) of the transcript and when it starts."""

    text: str
    start: float
    end: float


class RecordingStatus(BaseModel):
    """Where a recording stands: chunks received and missing, then its transcript."""

    id: int
    attempt_id: int
    question_id: str
    state: RecordingState
    mime_type: str
    received: list[int] = Field(description="Sequence numbers stored (before finishing).")
    missing: list[int] = Field(
        description="Gaps below the highest sequence number received (or below `upto`)."
    )
    chunk_count: int | None
    size_bytes: int
    transcript: str | None = Field(description="The engine's raw text, once transcribed.")
    engine: str | None
    message: str | None = Field(description="Why there is no transcript, when there is none.")
    sentences: list[TimedSentence] = Field(default_factory=list)
    audio_url: str | None


class RecordingView(BaseModel):
    """A spoken answer on the scorecard: the audio, the engine's transcript with sentence times,
    and the text the candidate submitted after correcting it."""

    recording_id: int
    question_id: str
    question: str
    state: RecordingState
    audio_url: str | None
    transcript: str | None = Field(description="The engine's raw text.")
    answer: str | None = Field(description="The text submitted (the candidate's corrections).")
    sentences: list[TimedSentence]
