"""Errors a take-home assignment or submission can cause, each with a stable `code`."""

from __future__ import annotations

from hiresight.errors import AppError


class TakehomeError(AppError):
    """Base class: the assignment or the submission could not be used."""

    code = "takehome_error"


class AssignmentNotFoundError(TakehomeError):
    """The assignment folder or archive does not exist."""

    status_code = 404
    code = "takehome_assignment_not_found"


class InvalidAssignmentError(TakehomeError):
    """`takehome.toml` is missing or malformed, or a file it names is missing."""

    status_code = 422
    code = "takehome_invalid_assignment"


class SubmissionNotFoundError(TakehomeError):
    """The submission folder or archive does not exist."""

    status_code = 404
    code = "takehome_submission_not_found"


class DeadlinePassedError(TakehomeError):
    """An upload after the submission's deadline."""

    status_code = 409
    code = "takehome_deadline_passed"


class UnsupportedUploadError(TakehomeError):
    """An upload that is not a .zip, .tar.gz or git bundle, or too large."""

    status_code = 422
    code = "takehome_unsupported_upload"
