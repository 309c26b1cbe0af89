"""Recordings as dependencies: the candidate's own (in their attempt), or one they may hear."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request

from hiresight.accounts.deps import CurrentUser
from hiresight.deps import IdPath, SessionDep
from hiresight.interviews.models import StageAttempt
from hiresight.interviews.voice import access
from hiresight.interviews.voice.errors import ChunkTooLargeError
from hiresight.interviews.voice.models import AnswerRecording
from hiresight.interviews.voice.service import MAX_CHUNK_BYTES


@dataclass(frozen=True)
class OwnRecordingRef:
    """The caller's own attempt and its recording in the path."""

    attempt: StageAttempt
    recording: AnswerRecording


def own_recording(
    attempt_id: IdPath,
    recording_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    user: CurrentUser,
    session: SessionDep,
) -> OwnRecordingRef:
    """The recording in the path, if it is of the caller's own attempt in the path; else 404."""
    attempt, recording = access.recording_for_owner(session, user, attempt_id, recording_id)
    return OwnRecordingRef(attempt, recording)


def listened_recording(
    recording_id: IdPath, user: CurrentUser, session: SessionDep
) -> AnswerRecording:
    """A recording the caller may listen to (`access.recording_for_listener`)."""
    return access.recording_for_listener(session, user, recording_id)


async def chunk_body(request: Request) -> bytes:
    """The request body, refused once it grows past the chunk limit (never read whole first)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_CHUNK_BYTES:
        raise ChunkTooLargeError(f"A chunk may hold at most {MAX_CHUNK_BYTES} bytes.")
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > MAX_CHUNK_BYTES:
            raise ChunkTooLargeError(f"A chunk may hold at most {MAX_CHUNK_BYTES} bytes.")
    return bytes(body)


OwnRecording = Annotated[OwnRecordingRef, Depends(own_recording)]
ListenedRecording = Annotated[AnswerRecording, Depends(listened_recording)]
ChunkBody = Annotated[bytes, Depends(chunk_body)]
