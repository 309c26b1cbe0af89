"""A tiny chat-completions server on 127.0.0.1 for contract tests (no real network).

Each test sets `server.reply` to what the next POST /chat/completions should answer: a content
string, a refusal, a delay longer than the client timeout, or a raw HTTP status. A test that
needs a reply built from the request (a grade quoting the answer it was sent) sets
`server.responder` instead; `quoting_judge` is such a responder.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """What the fake endpoint sends back."""

    content: str | None = None
    refusal: str | None = None
    delay_s: float = 0.0
    status: int = 200


@dataclass
class FakeLLM:
    """Server state visible to tests: the next reply and every request body received."""

    base_url: str
    reply: Reply = field(default_factory=Reply)
    # When set, called with each request body; its Reply is sent instead of `reply`.
    responder: Callable[[dict[str, Any]], Reply] | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)


def prompt_of(body: dict[str, Any]) -> str:
    """The user prompt of a chat-completions request body."""
    return str(body["messages"][-1]["content"])


def answer_in(prompt: str) -> str:
    """The candidate answer a grading prompt carries between its markers."""
    found = re.search(r"<<<ANSWER\n(.*)\nANSWER>>>", prompt, re.DOTALL)
    return found.group(1) if found else ""


def rubric_ids(prompt: str) -> list[str]:
    """The rubric point ids listed in a grading prompt."""
    block = prompt.split("Rubric points", 1)[-1].split("Candidate answer", 1)[0]
    return re.findall(r"^([\w-]+): ", block, re.MULTILINE)


def quoting_judge(body: dict[str, Any]) -> Reply:
    """A well-behaved judge: credits the first rubric point with the answer's first words and
    scores long answers 80, short ones 20."""
    prompt = prompt_of(body)
    answer = answer_in(prompt)
    ids = rubric_ids(prompt)
    words = answer.split()
    evidence = [{"point": ids[0], "quote": " ".join(words[:6])}] if ids and words else []
    grade = {
        "score": 80 if len(words) > 40 else 20,
        "evidence": evidence,
        "points_missed": ids[1:],
        "rationale": "graded by the fake judge",
    }
    return Reply(content=json.dumps(grade))


@contextmanager
def running() -> Iterator[FakeLLM]:
    """Start the fake server on a free port; stop it on exit."""
    state = FakeLLM(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            state.requests.append(
                {
                    "path": self.path,
                    "auth": self.headers.get("Authorization"),
                    "body": json.loads(self.rfile.read(length)),
                }
            )
            body = state.requests[-1]["body"]
            reply = state.responder(body) if state.responder else state.reply
            if reply.delay_s:
                time.sleep(reply.delay_s)
            message: dict[str, Any] = {"role": "assistant", "content": reply.content}
            if reply.refusal is not None:
                message["refusal"] = reply.refusal
            body = json.dumps(
                {
                    "id": "x",
                    "object": "chat.completion",
                    "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                }
            ).encode()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
