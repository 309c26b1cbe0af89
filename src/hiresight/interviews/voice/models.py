"""Voice consents, answer recordings and their uploaded chunks.

The audio lives in the database like a résumé's bytes, so backups, export and deletion treat it
as other candidate data: a chunk belongs to a recording, a recording to a stage attempt, an
attempt to its candidate, each by a cascading foreign key.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hiresight.db import Base, UTCDateTime, utcnow


class RecordingState(enum.StrEnum):
    """Where a recording stands, from the first chunk to its transcript."""

    recording = "recording"  # chunks arriving
    queued = "queued"  # stitched; transcription recorded as background work
    transcribed = "transcribed"
    failed = "failed"  # the engine could not transcribe it; typing stays possible
    unavailable = "unavailable"  # no transcriber is configured or installed


class VoiceConsent(Base):
    """A candidate's consent to the voice notice of one version."""

    __tablename__ = "voice_consents"
    __table_args__ = (UniqueConstraint("candidate_id", "notice_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    notice_version: Mapped[str] = mapped_column(String(40))
    consented_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AnswerRecording(Base):
    """One spoken answer to one question of an attempt: the stitched audio and its transcript."""

    __tablename__ = "answer_recordings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("stage_attempts.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(80))
    consent_id: Mapped[int] = mapped_column(ForeignKey("voice_consents.id", ondelete="CASCADE"))
    mime_type: Mapped[str] = mapped_column(String(80))
    state: Mapped[RecordingState] = mapped_column(
        Enum(RecordingState, native_enum=False, length=20), default=RecordingState.recording
    )
    chunk_count: Mapped[int | None] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    # The chunks joined in order, as the browser recorded them (the original is kept). Deferred:
    # the scorecard lists recordings without reading megabytes of audio.
    audio: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # The engine's raw transcript (`speech.types.Transcript`: words with times and confidence).
    transcript: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    transcript_text: Mapped[str | None] = mapped_column(Text)
    engine: Mapped[str | None] = mapped_column(String(80))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    transcribed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class RecordingChunk(Base):
    """A chunk of a recording as uploaded; a re-sent sequence number replaces nothing."""

    __tablename__ = "recording_chunks"
    __table_args__ = (UniqueConstraint("recording_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("answer_recordings.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
