"""Spoken answers: consent, chunked upload with resume, stitching, and queuing transcription.

The browser's MediaRecorder hands out a chunk every few seconds; each is sent as it comes, by
sequence number, so a dropped connection loses at most the chunk in flight, which the client
sends again after asking which ones the server is missing. WebM chunks of one recording
concatenate into the original file, so finishing joins them in order and keeps that file.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.db import utcnow
from hiresight.interviews.attempt_data.answers import QuestionsAnswer
from hiresight.interviews.attempt_data.columns import attempt_answer, attempt_content
from hiresight.interviews.attempt_data.stored import EnglishContent, TextQuestion
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import StageAttempt
from hiresight.interviews.service import check_writable
from hiresight.interviews.sessions import config_of
from hiresight.interviews.voice.errors import (
    ChunkConflictError,
    ChunkTooLargeError,
    NotAnswerableByVoiceError,
    NoticeVersionError,
    RecordingIncompleteError,
    RecordingStateError,
    RecordingTooLargeError,
    VoiceConsentRequiredError,
)
from hiresight.interviews.voice.models import (
    AnswerRecording,
    RecordingChunk,
    RecordingState,
    VoiceConsent,
)
from hiresight.interviews.voice.notice import NOTICE_VERSION
from hiresight.interviews.voice.schemas import RecordingStatus, RecordingView, TimedSentence
from hiresight.tasks import outbox

TRANSCRIBE = "transcribe"
# 3 s of Opus is ~20 kB; a chunk of half a megabyte is far more than a browser sends, and a
# recording of 30 minutes at one chunk per 3 s is far longer than any answer.
MAX_CHUNK_BYTES = 512 * 1024
MAX_CHUNKS = 600
MAX_RECORDING_BYTES = 25 * 1024 * 1024
_MIME = re.compile(r'^audio/[a-z0-9.+-]{1,30}(;\s*codecs="?[a-z0-9.,-]{1,30}"?)?$')


def consent(session: Session, *, candidate: User, version: str) -> VoiceConsent:
    """Store the candidate's consent to the current notice (once per version)."""
    if version != NOTICE_VERSION:
        raise NoticeVersionError(
            "The voice notice has changed; read it again before consenting.",
            details={"current_version": NOTICE_VERSION},
        )
    existing = current_consent(session, candidate_id=candidate.id)
    if existing is not None:
        return existing
    given = VoiceConsent(candidate_id=candidate.id, notice_version=version)
    session.add(given)
    session.flush()
    return given


def current_consent(session: Session, *, candidate_id: int) -> VoiceConsent | None:
    """The candidate's consent to the current notice version, if given."""
    return session.scalar(
        select(VoiceConsent).where(
            VoiceConsent.candidate_id == candidate_id,
            VoiceConsent.notice_version == NOTICE_VERSION,
        )
    )


def voice_questions(attempt: StageAttempt) -> dict[str, str]:
    """The questions of the attempt that may be answered by voice, id -> text."""
    stage = config_of(attempt.session).stage(attempt.stage)
    if stage is None or not stage.voice:
        return {}
    content = attempt_content(attempt)
    if attempt.stage is StageKind.english:
        speaking = content.speaking if isinstance(content, EnglishContent) else None
        return {speaking.id: speaking.text} if speaking is not None else {}
    return {q.id: q.text for q in content.questions if isinstance(q, TextQuestion)}


def create(
    session: Session, *, attempt: StageAttempt, question_id: str, mime_type: str
) -> AnswerRecording:
    """Start a recording of an answer: the stage must be running and the notice consented."""
    check_writable(session, attempt)
    if question_id not in voice_questions(attempt):
        raise NotAnswerableByVoiceError("This question cannot be answered by voice.")
    given = current_consent(session, candidate_id=attempt.candidate_id)
    if given is None:
        raise VoiceConsentRequiredError(
            "Read the voice notice and consent before recording.",
            details={"notice_version": NOTICE_VERSION},
        )
    if not _MIME.match(mime_type.lower()):
        raise NotAnswerableByVoiceError("The recording must be an audio type, e.g. audio/webm.")
    recording = AnswerRecording(
        attempt_id=attempt.id, question_id=question_id, consent_id=given.id,
        mime_type=mime_type.lower(), state=RecordingState.recording,
    )  # fmt: skip
    session.add(recording)
    session.flush()
    return recording


def received(session: Session, recording_id: int) -> dict[int, int]:
    """The sequence numbers stored so far and each chunk's size."""
    rows = session.execute(
        select(RecordingChunk.seq, RecordingChunk.data).where(
            RecordingChunk.recording_id == recording_id
        )
    )
    return {seq: len(data) for seq, data in rows}


def missing(seqs: set[int], upto: int | None = None) -> list[int]:
    """The gaps below the highest sequence number received (or below `upto`)."""
    end = upto if upto is not None else (max(seqs) + 1 if seqs else 0)
    return [n for n in range(end) if n not in seqs]


def put_chunk(
    session: Session, *, attempt: StageAttempt, recording: AnswerRecording, seq: int, data: bytes
) -> None:
    """Store chunk `seq`; the same bytes again change nothing (a retry after a lost reply)."""
    if not 0 <= seq < MAX_CHUNKS:
        raise RecordingTooLargeError(f"A recording has at most {MAX_CHUNKS} chunks.")
    if len(data) > MAX_CHUNK_BYTES:
        raise ChunkTooLargeError(f"A chunk may hold at most {MAX_CHUNK_BYTES} bytes.")
    if not data:
        raise NotAnswerableByVoiceError("An empty chunk holds no audio.")
    stored = session.scalar(
        select(RecordingChunk).where(
            RecordingChunk.recording_id == recording.id, RecordingChunk.seq == seq
        )
    )
    if stored is not None or recording.state is not RecordingState.recording:
        _same_again(stored, data, recording)
        return
    check_writable(session, attempt)
    if sum(received(session, recording.id).values()) + len(data) > MAX_RECORDING_BYTES:
        raise RecordingTooLargeError(f"A recording may hold at most {MAX_RECORDING_BYTES} bytes.")
    try:
        with session.begin_nested():
            session.add(RecordingChunk(recording_id=recording.id, seq=seq, data=data))
    except IntegrityError:
        # The same chunk arrived twice at once (a retry racing the original): one row wins.
        again = session.scalar(
            select(RecordingChunk).where(
                RecordingChunk.recording_id == recording.id, RecordingChunk.seq == seq
            )
        )
        _same_again(again, data, recording)


def _same_again(stored: RecordingChunk | None, data: bytes, recording: AnswerRecording) -> None:
    if stored is None:
        # Finished already: its chunks are stitched, so a late re-send only needs an answer.
        if recording.state is RecordingState.recording:
            raise RecordingStateError("The chunk could not be stored; send it again.")
        return
    if stored.data != data:
        raise ChunkConflictError("This chunk was already received with different bytes.")


def finish(
    session: Session, *, attempt: StageAttempt, recording: AnswerRecording, chunks: int
) -> AnswerRecording:
    """Join the `chunks` chunks in order, keep the file, and queue its transcription once."""
    if recording.state is not RecordingState.recording:
        if recording.chunk_count == chunks:
            return recording  # a replayed finish
        raise RecordingStateError("This recording is already finished.")
    check_writable(session, attempt)
    if not 1 <= chunks <= MAX_CHUNKS:
        raise RecordingIncompleteError("A recording has at least one chunk.")
    have = received(session, recording.id)
    absent = missing(set(have), chunks)
    if absent:
        raise RecordingIncompleteError(
            f"{len(absent)} chunk(s) are missing; send them again, then finish.",
            details={"missing": absent},
        )
    parts = session.execute(
        select(RecordingChunk.data)
        .where(RecordingChunk.recording_id == recording.id, RecordingChunk.seq < chunks)
        .order_by(RecordingChunk.seq)
    ).scalars()
    recording.audio = b"".join(parts)
    recording.size_bytes = len(recording.audio)
    recording.chunk_count = chunks
    recording.finished_at = utcnow()
    recording.state = RecordingState.queued
    # The joined file is the original; the pieces would only double what is kept.
    session.execute(delete(RecordingChunk).where(RecordingChunk.recording_id == recording.id))
    session.flush()
    schedule_transcription(session, attempt_id=attempt.id)
    return recording


def schedule_transcription(session: Session, *, attempt_id: int) -> None:
    """Make sure transcription work on the attempt is pending or running (the attempt's later
    recordings re-arm its one row)."""
    outbox.rearm(session, kind=TRANSCRIBE, attempt_id=attempt_id)


def recordings_of(session: Session, attempt_id: int) -> list[AnswerRecording]:
    """The attempt's recordings, oldest first."""
    return list(
        session.scalars(
            select(AnswerRecording)
            .where(AnswerRecording.attempt_id == attempt_id)
            .order_by(AnswerRecording.id)
        )
    )


_RANGE = re.compile(r"^bytes=(\d{0,15})-(\d{0,15})$")


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte of a single `Range: bytes=a-b` a player asks for; None for the
    whole file (no header, or one that cannot be served as one range: RFC 9110, 14.2)."""
    match = _RANGE.match(header.strip()) if header else None
    if match is None or size == 0 or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        return max(0, size - int(last)), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end else None


def audio_url(recording: AnswerRecording) -> str | None:
    """Where the stitched audio is served, once there is some."""
    finished = recording.finished_at is not None
    return f"/api/v1/recordings/{recording.id}/audio" if finished else None


_MESSAGES = {
    RecordingState.recording: "Recording: chunks are arriving.",
    RecordingState.queued: "Transcribing your answer…",
    RecordingState.unavailable: "Speech to text is not available on this server: type your "
    "answer instead (your recording is kept).",
    RecordingState.failed: "Your recording could not be transcribed: type your answer instead "
    "(your recording is kept).",
}


def _sentences(recording: AnswerRecording) -> list[TimedSentence]:
    if recording.transcript is None:
        return []
    return [
        TimedSentence(text=s["text"], start=s["start"], end=s["end"])
        for s in recording.transcript.get("segments", [])
        if str(s.get("text", "")).strip()
    ]


def status(
    session: Session, recording: AnswerRecording, *, upto: int | None = None
) -> RecordingStatus:
    """The recording's state, the chunks it holds and lacks, and its transcript when made."""
    seqs = (
        set(received(session, recording.id))
        if recording.state is RecordingState.recording
        else set()
    )
    sentences = _sentences(recording)
    return RecordingStatus(
        id=recording.id, attempt_id=recording.attempt_id, question_id=recording.question_id,
        state=recording.state, mime_type=recording.mime_type, received=sorted(seqs),
        missing=missing(seqs, upto) if recording.state is RecordingState.recording else [],
        chunk_count=recording.chunk_count, size_bytes=recording.size_bytes,
        transcript=recording.transcript_text, engine=recording.engine,
        message=_MESSAGES.get(recording.state), sentences=sentences,
        audio_url=audio_url(recording),
    )  # fmt: skip


def scorecard_recordings(session: Session, attempt: StageAttempt) -> list[RecordingView]:
    """The attempt's spoken answers for the scorecard: per question, the latest finished one."""
    latest: dict[str, AnswerRecording] = {}
    for recording in recordings_of(session, attempt.id):
        if recording.state is not RecordingState.recording:
            latest[recording.question_id] = recording
    if not latest:
        return []  # most attempts: nothing else of the attempt is read
    given = attempt_answer(attempt)
    answers = given.answers if isinstance(given, QuestionsAnswer) else {}
    content = attempt_content(attempt)
    asked = {q.id: q.text for q in content.questions}
    if isinstance(content, EnglishContent) and content.speaking is not None:
        asked[content.speaking.id] = content.speaking.text
    return [
        RecordingView(
            recording_id=r.id,
            question_id=q,
            question=asked.get(q, ""),
            state=r.state,
            audio_url=audio_url(r),
            transcript=r.transcript_text,
            answer=str(answers[q]) if answers.get(q) is not None else None,
            sentences=_sentences(r),
        )
        for q, r in latest.items()
    ]
