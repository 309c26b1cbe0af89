"""Request-body caps for single routes, enforced while the body streams in.

FastAPI reads a whole JSON body before any dependency runs, so a check inside the handler comes
too late to protect memory. A route built with `capped_body_route` counts bytes as they arrive
(the declared `Content-Length` first, then the stream itself, which covers chunked uploads) and
answers 413 `body_too_large` as soon as the cap is passed: the same answer as the app-wide limit
of `web/bodylimit.py`, which every route has and these routes lower.

FastAPI's own `max_body_size` does the counting too, but answers a declared oversize body with
Starlette's plain-text 413 instead of the JSON error body every client here branches on.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.types import Message

from hiresight.errors import AppError

RouteHandler = Callable[[Request], Coroutine[Any, Any, Response]]


class PayloadTooLargeError(AppError):
    """The request body is larger than this route accepts."""

    status_code = 413
    code = "body_too_large"


def capped_body_route(max_bytes: int) -> type[APIRoute]:
    """An `APIRoute` class that refuses request bodies larger than `max_bytes`."""

    def too_large() -> PayloadTooLargeError:
        return PayloadTooLargeError(
            f"The request body is larger than {max_bytes} bytes.", details={"limit": max_bytes}
        )

    class CappedBodyRoute(APIRoute):
        def get_route_handler(self) -> RouteHandler:
            handler = super().get_route_handler()

            async def capped(request: Request) -> Response:
                declared = request.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise too_large()
                body = bytearray()
                async for chunk in request.stream():
                    body += chunk
                    if len(body) > max_bytes:
                        raise too_large()
                sent = False

                async def replay() -> Message:
                    nonlocal sent
                    if sent:
                        return {"type": "http.disconnect"}
                    sent = True
                    return {"type": "http.request", "body": bytes(body), "more_body": False}

                return await handler(Request(request.scope, replay))

            return capped

    return CappedBodyRoute
