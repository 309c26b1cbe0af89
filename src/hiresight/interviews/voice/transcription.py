"""Transcribing finished recordings in the background (recorded work of kind `transcribe`).

The work is one row per attempt (`tasks.outbox`); a run transcribes every recording of the
attempt still queued, storing each transcript as it is made, and marks the work done in the
transaction that finds none left (see `service.schedule_transcription` for the lock that keeps
a recording finished meanwhile from being missed). Transcription runs outside any transaction:
on SQLite a write holds the one writer lock, and a minute of audio takes seconds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import structlog
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker, undefer

from hiresight.db import make_session_factory, transaction, utcnow
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import AttemptState, StageAttempt
from hiresight.interviews.scores import AttemptScore
from hiresight.interviews.scoring import SCORE
from hiresight.interviews.voice.models import AnswerRecording, RecordingState
from hiresight.interviews.voice.service import TRANSCRIBE
from hiresight.speech.base import Transcriber
from hiresight.speech.errors import (
    AudioFileError,
    SpeechConfigError,
    SpeechError,
    SpeechModelMissingError,
)
from hiresight.speech.types import Transcript
from hiresight.tasks import outbox
from hiresight.tasks.outbox import Claim
from hiresight.tasks.reconciler import handler

log = structlog.get_logger(__name__)
_SUFFIX = {"audio/webm": ".webm", "audio/ogg": ".ogg", "audio/wav": ".wav", "audio/mp4": ".m4a",
           "audio/mpeg": ".mp3", "audio/x-wav": ".wav", "audio/wave": ".wav"}  # fmt: skip


class TranscriberUnavailableError(Exception):
    """No speech engine can run in this process (not installed, or not configured)."""


def transcriber() -> Transcriber:
    """The configured engine, built from the process's settings (the composition root's)."""
    # Imported here: the root imports the interview modules, so this module sits below it.
    from hiresight.runtime import current_root

    try:
        from hiresight.speech.factory import get_transcriber
        from hiresight.speech.settings import SpeechSettings
        from hiresight.speech.whisper import model_dir

        settings = SpeechSettings(**current_root().settings.speech_options())
        if settings.provider == "whisper":
            model_dir()  # the weights' package must be installed; checked before any upload
        return get_transcriber(settings)
    except (ImportError, SpeechModelMissingError, SpeechConfigError) as exc:
        raise TranscriberUnavailableError(str(exc)) from exc


def transcribe_audio(engine: Transcriber, audio: bytes, mime_type: str) -> Transcript:
    """Transcribe bytes through a temporary file (the engines read files)."""
    suffix = _SUFFIX.get(mime_type.split(";")[0].strip(), ".webm")
    with tempfile.TemporaryDirectory(prefix="hiresight-voice-") as folder:
        path = Path(folder) / f"answer{suffix}"
        path.write_bytes(audio)
        return engine.transcribe(path)


def _next_queued(factory: sessionmaker[Session], attempt_id: int) -> AnswerRecording | None:
    with factory() as session:
        return session.scalar(
            select(AnswerRecording)
            .options(undefer(AnswerRecording.audio))
            .where(
                AnswerRecording.attempt_id == attempt_id,
                AnswerRecording.state == RecordingState.queued,
            )
            .order_by(AnswerRecording.id)
            .limit(1)
        )


def _store(
    factory: sessionmaker[Session],
    recording_id: int,
    state: RecordingState,
    transcript: Transcript | None = None,
    error: str | None = None,
) -> None:
    with transaction(factory) as session:
        recording = session.get(AnswerRecording, recording_id, with_for_update=True)
        if recording is None or recording.state is not RecordingState.queued:
            return  # another run stored it first
        recording.state = state
        recording.error = error
        if transcript is not None:
            recording.transcript = transcript.model_dump(mode="json")
            recording.transcript_text = transcript.text
            recording.engine = transcript.engine
        recording.transcribed_at = utcnow()
        if state is RecordingState.transcribed:
            _rescore_if_scored(session, recording.attempt_id)


def _rescore_if_scored(session: Session, attempt_id: int) -> None:
    """An English check scored before its spoken item was transcribed is scored again, so
    its CEFR estimate gets the spoken part (the first scores stay beside the new ones)."""
    attempt = session.get(StageAttempt, attempt_id)
    if attempt is None or attempt.stage is not StageKind.english:
        return
    if attempt.state not in (AttemptState.submitted, AttemptState.expired):
        return  # not final: its scoring, when recorded, reads the transcript
    scored = session.scalar(
        select(AttemptScore.id).where(AttemptScore.attempt_id == attempt_id).limit(1)
    )
    if scored is not None:
        outbox.rearm(session, kind=SCORE, attempt_id=attempt_id)


class _MoreQueuedError(Exception):
    """A recording was finished while the run was ending: undo the completion, go on."""


@handler(TRANSCRIBE)
def transcribe_attempt(engine: Engine, work: Claim) -> None:
    """Transcribe the attempt's queued recordings, then mark the work done."""
    factory = make_session_factory(engine)
    while True:
        _transcribe_queued(factory, work)
        try:
            with transaction(factory) as session:
                outbox.complete(session, work)  # locks the row: a finish racing this one waits
                left = session.scalar(
                    select(AnswerRecording.id).where(
                        AnswerRecording.attempt_id == work.attempt_id,
                        AnswerRecording.state == RecordingState.queued,
                    )
                )
                if left is not None:
                    raise _MoreQueuedError
            return
        except _MoreQueuedError:
            continue


def _transcribe_queued(factory: sessionmaker[Session], work: Claim) -> None:
    attempt_id = work.attempt_id
    speech: Transcriber | None = None
    unavailable: str | None = None
    while (recording := _next_queued(factory, attempt_id)) is not None:
        if speech is None and unavailable is None:
            try:
                speech = transcriber()
            except TranscriberUnavailableError as exc:
                unavailable = str(exc)
        if speech is None:
            log.warning("transcriber_unavailable", recording_id=recording.id, error=unavailable)
            _store(factory, recording.id, RecordingState.unavailable, error=unavailable)
            continue
        try:
            transcript = transcribe_audio(speech, recording.audio or b"", recording.mime_type)
        except AudioFileError as exc:
            # The bytes cannot be decoded: trying again cannot help, and typing still can.
            _store(factory, recording.id, RecordingState.failed, error=str(exc))
            continue
        except SpeechError as exc:
            # A remote endpoint down, a model refused: retried with backoff; after the last try
            # the recording says so, so the candidate is not left waiting.
            if work.token < outbox.config().max_failures:
                raise
            _store(factory, recording.id, RecordingState.failed, error=str(exc))
            continue
        _store(factory, recording.id, RecordingState.transcribed, transcript=transcript)
