"""Per-API-key sliding-window rate limiting for the public API gateway."""

import math
import time
from collections import deque
from collections.abc import Callable

from http_types import App, Request, Response


class RateLimitMiddleware:
    """Allow at most `limit` requests per `window` seconds for each API key (or client IP)."""

    def __init__(
        self,
        app: App,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.limit = limit
        self.window = window
        self.clock = clock
        self.hits: dict[str, deque[float]] = {}
        self._last_sweep = clock()

    def _sweep(self, now: float) -> None:
        """Forget timestamps that fell out of the window for every client."""
        cutoff = now - self.window
        for key, hits in list(self.hits.items()):
            while hits and hits[0] <= cutoff:
                hits.popleft()
            if not hits:
                del self.hits[key]

    async def __call__(self, request: Request) -> Response:
        now = self.clock()
        if now - self._last_sweep >= self.window:
            self._sweep(now)
            self._last_sweep = now

        key = request.headers.get("x-api-key") or request.client_ip
        hits = self.hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()

        if len(hits) >= self.limit:
            oldest = hits[0]
            retry_after = math.ceil(oldest + self.window - now)
            return Response(
                429,
                {"error": "rate_limited", "limit": self.limit},
                headers={"Retry-After": str(max(retry_after, 1))},
            )
        hits.append(now)
        return await self.app(request)
