"""Security headers on every response: a Content-Security-Policy of 'self', no framing, nosniff.

A plain ASGI middleware (no per-request task or body copy) that adds each header unless the route
set it already. The interview room's Monaco editor states its two needs in the policy below; the
Swagger UI page at /api/docs loads its assets from this server (vendored from npm) but starts
with one inline script, so that one page gets its own policy naming the script's hash.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    # Monaco adds <style> elements at run time (its theme and the editor's layout), and htmx its
    # indicator style; no page of ours has inline styles of its own.
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    # Monaco starts its language workers from blob: URLs that import its scripts from 'self'.
    "worker-src": "'self' blob:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def policy(**overrides: str) -> str:
    """The Content-Security-Policy header value, with some directives replaced."""
    return "; ".join(f"{k} {v}" for k, v in (_DIRECTIVES | overrides).items())


CONTENT_SECURITY_POLICY = policy()
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    # For browsers without frame-ancestors (CSP level 2).
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    # Page addresses carry record ids; no other site needs to see them.
    "referrer-policy": "no-referrer",
}


def docs_policy(html: bytes) -> str:
    """The policy for the Swagger UI page: 'self' and the hashes of its inline scripts."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
        for body in _INLINE_SCRIPT.findall(html)
    )
    return policy(**{"script-src": f"'self' {hashes}".strip()})


class SecurityHeadersMiddleware:
    """Adds HEADERS to every HTTP response; the docs page gets docs_policy."""

    def __init__(self, app: ASGIApp, docs_path: str = "/api/docs") -> None:
        self.app = app
        self.docs_path = docs_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, adding the headers to its response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == self.docs_path:
            await self._docs(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hold the small docs page until its body is complete, to hash its inline script."""
        start: Message = {}
        body = bytearray()

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body", False):
                return
            headers = MutableHeaders(scope=start)
            for name, value in HEADERS.items():
                headers.setdefault(name, value)
            headers["content-security-policy"] = docs_policy(bytes(body))
            await send(start)
            await send({"type": "http.response.body", "body": bytes(body)})

        await self.app(scope, receive, buffered)
