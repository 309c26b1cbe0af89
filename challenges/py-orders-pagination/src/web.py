"""A very small FastAPI-flavoured router used by the orders service."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[..., "JSONResponse"]


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class JSONResponse:
    body: Any
    status: int = 200


class Router:
    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def get(self, template: str) -> Callable[[Handler], Handler]:
        pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$")

        def register(handler: Handler) -> Handler:
            self._routes.append(("GET", pattern, handler))
            return handler

        return register

    def dispatch(self, request: Request) -> JSONResponse:
        for method, pattern, handler in self._routes:
            match = pattern.match(request.path)
            if method == request.method and match:
                return handler(request, **match.groupdict())
        return JSONResponse({"error": "not_found"}, status=404)
