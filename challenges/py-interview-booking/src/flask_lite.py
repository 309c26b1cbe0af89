"""The handful of Flask features the scheduling service uses, without the dependency."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

View = Callable[..., tuple[dict[str, Any], int]]


@dataclass
class Request:
    method: str
    path: str
    body: bytes = b""

    @property
    def json(self) -> Any:
        return json.loads(self.body or b"null")


class Flask:
    def __init__(self) -> None:
        self.rules: list[tuple[str, re.Pattern[str], View]] = []

    def post(self, rule: str) -> Callable[[View], View]:
        pattern = re.compile("^" + re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", rule) + "$")

        def decorator(view: View) -> View:
            self.rules.append(("POST", pattern, view))
            return view

        return decorator

    def handle(self, request: Request, **context: Any) -> tuple[dict[str, Any], int]:
        for method, pattern, view in self.rules:
            match = pattern.match(request.path)
            if match and method == request.method:
                return view(request, **context, **match.groupdict())
        return {"error": "not_found"}, 404
