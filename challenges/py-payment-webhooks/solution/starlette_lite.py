"""Just enough of a Starlette-like request/response API for the webhook service."""

import json
from typing import Any


class Request:
    def __init__(self, headers: dict[str, str], body: bytes) -> None:
        self.headers = {key.lower(): value for key, value in headers.items()}
        self._body = body

    async def body(self) -> bytes:
        return self._body


class JSONResponse:
    def __init__(self, content: Any, status_code: int = 200) -> None:
        self.status_code = status_code
        self.body = json.dumps(content).encode()

    def json(self) -> Any:
        return json.loads(self.body)
