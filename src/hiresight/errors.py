"""The one JSON error body and the exceptions that produce it.

Every 4xx/5xx answers `{"error": {"code": "...", "message": "...", "details": ...}}` so that
clients branch on a stable `code`, never on message text.
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger(__name__)


class AppError(Exception):
    """An error a user can cause, with a stable code and an HTTP status."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        self.details = details
        self.headers = headers


class NotFoundError(AppError):
    """The record does not exist, or the caller may not know that it exists."""

    status_code = 404
    code = "not_found"


class UnauthorizedError(AppError):
    """No valid credentials were presented."""

    status_code = 401
    code = "unauthorized"


class ForbiddenError(AppError):
    """The caller is known but their role may not do this."""

    status_code = 403
    code = "forbidden"


class ConflictError(AppError):
    """The request conflicts with the current state, e.g. a duplicate."""

    status_code = 409
    code = "conflict"


class RateLimitedError(AppError):
    """Too many attempts; retry later."""

    status_code = 429
    code = "rate_limited"


class ErrorDetail(BaseModel):
    """What went wrong: a stable code, a message for people, and optional details."""

    code: str
    message: str
    details: Any = None


class ErrorBody(BaseModel):
    """The JSON body of every error response."""

    error: ErrorDetail


def _documented(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# The error statuses any /api/v1 operation may answer, documented once for all of them in the
# OpenAPI document (app.api_router), so that clients and the schema checks know every status
# the API can send. Statuses a route documents itself take precedence.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented("The request could not be read (for example, a body that is not JSON)."),
    401: _documented("No valid credentials: a missing, expired or revoked token."),
    403: _documented("The caller's role may not do this, or a CSRF check failed."),
    404: _documented("The record does not exist, or the caller may not know that it exists."),
    409: _documented("The request conflicts with the current state, e.g. a duplicate."),
    413: _documented("The body, file or answer is larger than this route accepts."),
    415: _documented("The uploaded file is of a type this route does not accept."),
    422: _documented(
        "The request is not valid: `validation_error` with the fields at fault, or a code "
        "naming the rule that refused it (such as `invalid_text` for NUL characters)."
    ),
    429: _documented("Too many attempts; retry after the time given in `Retry-After`."),
    503: _documented("The server is busy or not ready; retry after `Retry-After`."),
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The JSON error body shared by every error response."""
    return {"error": {"code": code, "message": message, "details": details}}


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


def _json_safe_errors(errors: Any) -> Any:
    """Validation errors may carry exception objects in `ctx`; keep only JSON-safe parts."""
    safe = []
    for err in errors:
        item = {k: v for k, v in err.items() if k in ("loc", "msg", "type")}
        safe.append(item)
    return safe


def from_http_exception(exc: StarletteHTTPException) -> AppError:
    """A routing-level HTTP error (no such route, method not allowed...) as an AppError."""
    code = _STATUS_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    headers = getattr(exc, "headers", None)
    return AppError(
        message,
        code=code,
        status_code=exc.status_code,
        headers=dict(headers) if headers else None,
    )


def error_response(exc: AppError) -> JSONResponse:
    """The one JSON error body for an AppError, with its status and headers."""
    return JSONResponse(
        error_body(exc.code, exc.message, exc.details),
        status_code=exc.status_code,
        headers=exc.headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception through the one JSON error body."""

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            error_body(
                "validation_error",
                "The request is not valid.",
                _json_safe_errors(exc.errors()),
            ),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(from_http_exception(exc))

    @app.exception_handler(DataError)
    async def _data_error(request: Request, exc: DataError) -> JSONResponse:
        # A value the database refused (a number out of range, text it cannot store) that got
        # past validation. Requests are checked before anything is written (hiresight.storable);
        # this is the safety net, so it is logged to find the check that missed it.
        log.warning("database_refused_value", path=request.url.path, error=type(exc.orig).__name__)
        return JSONResponse(
            error_body("invalid_data", "The database cannot store a value in this request."),
            status_code=422,
        )

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        # No stack trace reaches the user; the log keeps it with the request id.
        log.exception("unhandled_error", path=request.url.path)
        return JSONResponse(
            error_body("internal_error", "Something went wrong on our side. Please retry."),
            status_code=500,
        )
