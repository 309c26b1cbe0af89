"""Errors the interview can raise, each with a stable code."""

from __future__ import annotations

from hiresight.errors import AppError, ConflictError


class DeadlinePassedError(AppError):
    """The server's clock says the time for this answer is over."""

    status_code = 409
    code = "deadline_passed"


class StaleRevisionError(ConflictError):
    """An autosave older than the one already stored."""

    code = "stale_revision"


class AttemptLimitError(AppError):
    """Every allowed attempt at this stage is used."""

    status_code = 409
    code = "attempt_limit_reached"


class AttemptConflictError(ConflictError):
    """Another request started this stage at the same moment; retry to resume it."""

    code = "attempt_conflict"


class RetakeConfirmationError(AppError):
    """A retake could replace a scored attempt; the candidate has not confirmed it."""

    status_code = 409
    code = "retake_confirmation_required"


class StageStateError(AppError):
    """The stage or session is not in a state that allows this action."""

    status_code = 409
    code = "invalid_state"


class AttemptDataError(AppError):
    """A stored attempt's JSON (content, private data, draft, answer, result) does not validate.

    The row was written by other code or edited by hand; it is a server-side fault, never the
    caller's, so it answers 500 with this stable code and names the attempt and column.
    """

    status_code = 500
    code = "attempt_data_invalid"


class AnswerShapeError(AppError):
    """A draft or answer whose field a stage reads has the wrong type (e.g. `files` a list)."""

    status_code = 422
    code = "invalid_answer"


class ConsentRequiredError(AppError):
    """No consent to the notice in force: the candidate reads it first (`details.notice_url`)."""

    status_code = 409
    code = "consent_required"


class StaleNoticeError(AppError):
    """A consent given to a notice version that is no longer in force."""

    status_code = 409
    code = "stale_notice"
