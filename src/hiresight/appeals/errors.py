"""Errors of candidate requests, each with a stable code."""

from __future__ import annotations

from hiresight.errors import AppError, ConflictError


class NotScoredError(AppError):
    """Only a finished, counted, scored stage attempt can be re-evaluated."""

    status_code = 409
    code = "not_scored"


class RequestExistsError(ConflictError):
    """This attempt already has a re-evaluation request."""

    code = "re_evaluation_exists"


class AlreadyResolvedError(ConflictError):
    """The request was resolved already; its resolution stays as recorded."""

    code = "already_resolved"


class ResolutionError(AppError):
    """The resolution does not fit the request (e.g. a changed score without the score)."""

    status_code = 422
    code = "invalid_resolution"
