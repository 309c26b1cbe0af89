"""REST endpoints of spoken answers: the notice and consent, chunked upload, status, audio."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response, status

from hiresight.accounts.deps import CandidateUser, CurrentUser
from hiresight.deps import SessionDep
from hiresight.interviews.deps import OwnAttempt
from hiresight.interviews.voice import service
from hiresight.interviews.voice.deps import ChunkBody, ListenedRecording, OwnRecording
from hiresight.interviews.voice.notice import NOTICE_TEXT, NOTICE_VERSION
from hiresight.interviews.voice.schemas import (
    ChunkStored,
    RecordingCreate,
    RecordingFinish,
    RecordingStatus,
    VoiceConsentCreate,
    VoiceConsentPublic,
    VoiceNotice,
)

router = APIRouter(tags=["spoken answers"])
Seq = Annotated[int, Path(ge=0, le=100_000)]


@router.get("/voice/notice", response_model=VoiceNotice)
def get_notice(user: CurrentUser, session: SessionDep) -> VoiceNotice:
    """What is and is not measured in a spoken answer, and whether the caller consented."""
    given = service.current_consent(session, candidate_id=user.id)
    return VoiceNotice(version=NOTICE_VERSION, text=NOTICE_TEXT, consented=given is not None)


@router.post(
    "/voice/consent", response_model=VoiceConsentPublic, status_code=status.HTTP_201_CREATED
)
def give_consent(
    data: VoiceConsentCreate, user: CandidateUser, session: SessionDep
) -> VoiceConsentPublic:
    """Consent to the current notice (409 `voice_notice_changed` for an older version)."""
    given = service.consent(session, candidate=user, version=data.version)
    return VoiceConsentPublic.model_validate(given)


@router.post(
    "/attempts/{attempt_id}/recordings",
    response_model=RecordingStatus,
    status_code=status.HTTP_201_CREATED,
)
def create_recording(
    data: RecordingCreate, attempt: OwnAttempt, session: SessionDep
) -> RecordingStatus:
    """Start recording the answer to a question (403 `voice_consent_required` before consent)."""
    recording = service.create(
        session, attempt=attempt, question_id=data.question_id, mime_type=data.mime_type
    )
    return service.status(session, recording)


@router.put(
    "/attempts/{attempt_id}/recordings/{recording_id}/chunks/{seq}", response_model=ChunkStored
)
def put_chunk(seq: Seq, body: ChunkBody, ref: OwnRecording, session: SessionDep) -> ChunkStored:
    """Store chunk `seq` (raw bytes); sending the same chunk again is harmless."""
    service.put_chunk(session, attempt=ref.attempt, recording=ref.recording, seq=seq, data=body)
    return ChunkStored(seq=seq, received=len(service.received(session, ref.recording.id)))


@router.get("/attempts/{attempt_id}/recordings/{recording_id}", response_model=RecordingStatus)
def get_recording(
    ref: OwnRecording,
    session: SessionDep,
    upto: Annotated[int | None, Query(ge=0, le=100_000)] = None,
) -> RecordingStatus:
    """The chunks received and missing (below `upto`, the chunks the client made), then the
    transcript once it is ready."""
    return service.status(session, ref.recording, upto=upto)


@router.post(
    "/attempts/{attempt_id}/recordings/{recording_id}/finish",
    response_model=RecordingStatus,
    status_code=status.HTTP_202_ACCEPTED,
)
def finish_recording(
    data: RecordingFinish, ref: OwnRecording, session: SessionDep
) -> RecordingStatus:
    """Join the chunks and queue the transcription (409 `recording_incomplete` names gaps)."""
    recording = service.finish(
        session, attempt=ref.attempt, recording=ref.recording, chunks=data.chunks
    )
    return service.status(session, recording)


@router.get(
    "/recordings/{recording_id}/audio",
    response_class=Response,
    responses={
        200: {"content": {"audio/webm": {}}, "description": "The recorded audio."},
        204: {"description": "No audio yet: the recording is not finished."},
        206: {"description": "The byte range asked for (players seek with ranges)."},
    },
)
def get_audio(
    recording: ListenedRecording,
    range_header: Annotated[str | None, Header(alias="range", max_length=100)] = None,
) -> Response:
    """The recording as it was made (the candidate's own, or for staff who may read it)."""
    if recording.audio is None:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    audio, size = recording.audio, len(recording.audio)
    headers = {"Cache-Control": "private, max-age=0", "Accept-Ranges": "bytes"}
    media_type = recording.mime_type.split(";")[0]
    span = service.byte_range(range_header, size)
    if span is None:
        return Response(content=audio, media_type=media_type, headers=headers)
    start, end = span
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return Response(
        content=audio[start : end + 1],
        status_code=status.HTTP_206_PARTIAL_CONTENT,
        media_type=media_type,
        headers=headers,
    )
