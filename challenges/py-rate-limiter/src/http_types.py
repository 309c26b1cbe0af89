"""Minimal ASGI-ish request/response types shared by the gateway middlewares."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    path: str
    client_ip: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


App = Callable[[Request], Awaitable[Response]]
