"""A request-body size limit for every route, counted while the body streams in.

Without one, any route that reads a body (and FastAPI reads JSON and forms whole before the
handler runs) holds whatever a client sends in memory. This pure ASGI middleware refuses a
declared `Content-Length` over the route's limit before reading anything, and counts the
bytes of a chunked or undeclared body as they arrive, answering 413 with the standard error
body, code `body_too_large`. File uploads get their documented maximum plus room for the
multipart envelope, so a slightly larger file still reaches the handler's own, more precise
answer (`resume_too_large`, `portfolio_too_large`); everything else gets
`HIRESIGHT_MAX_JSON_BODY_BYTES`. Routes may cap themselves lower still (`hiresight.limits`).
The upload routes and their maximum come from the app (`hiresight.app.UPLOAD_LIMITS`): the shell
knows no domain's files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hiresight.errors import error_body
from hiresight.settings import Settings

# The multipart boundary, headers and form fields around an uploaded file.
MULTIPART_ALLOWANCE = 64 * 1024


class _BodyTooLarge(Exception):
    """Raised into the app from `receive` once the body passes the limit."""


class BodySizeLimit:
    """Refuse request bodies over the route's limit with 413 `body_too_large`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        upload_limits: Mapping[str, int] | None = None,
    ) -> None:
        """`upload_limits` maps an upload route's path to its file maximum in bytes."""
        self.app = app
        self.default_limit = settings.max_json_body_bytes
        self.route_limits = {
            path: size + MULTIPART_ALLOWANCE for path, size in (upload_limits or {}).items()
        }

    def limit_for(self, scope: Scope) -> int:
        """The byte limit of the route the request goes to."""
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        return self.route_limits.get(path, self.default_limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting its body; answer 413 once it is over the limit."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        received = 0
        over = False  # the body passed the limit: whatever the app answers becomes the 413
        started = False

        async def counting_receive() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over and not started:
                started = True
                await _refuse(send, limit)
            if over:
                return  # the app's own answer to the cut-off body (FastAPI's 400) is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            if not started:
                await _refuse(send, limit)


async def _refuse(send: Send, limit: int) -> None:
    """Send the 413 answer; the connection closes, since the body was not read."""
    body = json.dumps(
        error_body(
            "body_too_large",
            f"The request body is larger than this route accepts ({limit:,} bytes).",
            {"limit": limit},
        )
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
