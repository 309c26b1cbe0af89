"""Errors of spoken answers, each with a stable code."""

from __future__ import annotations

from hiresight.errors import AppError, ConflictError


class VoiceConsentRequiredError(AppError):
    """Recording needs the candidate's consent to the current voice notice first."""

    status_code = 403
    code = "voice_consent_required"


class NoticeVersionError(ConflictError):
    """The consent names a notice version other than the current one (the page is stale)."""

    code = "voice_notice_changed"


class NotAnswerableByVoiceError(AppError):
    """The question is not one this stage lets the candidate answer by voice."""

    status_code = 422
    code = "not_answerable_by_voice"


class ChunkTooLargeError(AppError):
    """An uploaded chunk is larger than the limit."""

    status_code = 413
    code = "chunk_too_large"


class RecordingTooLargeError(AppError):
    """The recording holds more chunks or bytes than one answer may."""

    status_code = 413
    code = "recording_too_large"


class RecordingStateError(ConflictError):
    """The recording is finished already, or not yet, for this action."""

    code = "recording_state"


class RecordingIncompleteError(ConflictError):
    """Finishing with chunks missing: the details name them, to be sent again."""

    code = "recording_incomplete"


class ChunkConflictError(ConflictError):
    """A sequence number sent again with different bytes."""

    code = "chunk_conflict"
