"""Flask-style request handling for the billing service, without the dependency."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

View = Callable[["Request"], tuple[Any, int]]


@dataclass
class Request:
    path: str
    args: dict[str, str] = field(default_factory=dict)
    db: Any = None


class App:
    def __init__(self) -> None:
        self.views: dict[str, View] = {}

    def route(self, path: str) -> Callable[[View], View]:
        def decorator(view: View) -> View:
            self.views[path] = view
            return view

        return decorator

    def get(self, path: str, args: dict[str, str], db: Any) -> tuple[Any, int]:
        view = self.views.get(path)
        if view is None:
            return {"error": "not_found"}, 404
        return view(Request(path, args, db))
