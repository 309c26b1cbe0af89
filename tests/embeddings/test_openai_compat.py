"""OpenAIEmbedder against a fake /v1/embeddings server on 127.0.0.1 (no real network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest

from hiresight.embeddings import EmbeddingProviderError, OpenAIEmbedder


@dataclass
class FakeServerState:
    """What the fake server saw and how it should misbehave."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    auth_headers: list[str | None] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    mode: str = "ok"  # ok | http500 | garbage | short


def fake_vector(text: str) -> list[float]:
    """Known answer, deliberately not unit length: [len, 2*len, 2] for each text."""
    return [float(len(text)), 2.0 * len(text), 2.0]


def _handler(state: FakeServerState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append(body)
            state.auth_headers.append(self.headers.get("Authorization"))
            state.paths.append(self.path)
            if state.mode == "http500":
                self._send(500, b'{"error": "boom"}')
                return
            if state.mode == "garbage":
                self._send(200, b"not json")
                return
            texts = body["input"][:-1] if state.mode == "short" else body["input"]
            # Reverse order with explicit indices: the client must sort by `index`.
            data = [
                {"object": "embedding", "index": i, "embedding": fake_vector(t)}
                for i, t in reversed(list(enumerate(texts)))
            ]
            self._send(200, json.dumps({"object": "list", "data": data}).encode())

        def _send(self, status: int, payload: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler


@pytest.fixture
def fake_server() -> Iterator[tuple[str, FakeServerState]]:
    """A threaded HTTP server on an ephemeral 127.0.0.1 port, shut down after the test."""
    state = FakeServerState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_vectors_are_normalised_and_ordered(fake_server: tuple[str, FakeServerState]) -> None:
    """Rows come back in input order (by `index`) and are rescaled to unit length."""
    url, state = fake_server
    emb = OpenAIEmbedder(base_url=url, model="fake-embed", api_key="sk-test")
    vecs = emb.embed(["ab", "abcd"])
    expected = np.array([fake_vector("ab"), fake_vector("abcd")], dtype=np.float32)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(vecs, expected, rtol=1e-6)
    assert vecs.dtype == np.float32
    assert state.paths == ["/v1/embeddings"]
    assert state.auth_headers == ["Bearer sk-test"]
    assert state.requests[0]["model"] == "fake-embed"
    emb.close()


def test_batches_and_cache(fake_server: tuple[str, FakeServerState]) -> None:
    """Five new texts at batch size 2 make three requests; a repeat makes none."""
    url, state = fake_server
    emb = OpenAIEmbedder(base_url=url, model="fake-embed", batch_size=2)
    emb.embed(["a", "bb", "ccc", "dddd", "eeeee"])
    assert [len(r["input"]) for r in state.requests] == [2, 2, 1]
    emb.embed(["ccc"])
    assert len(state.requests) == 3
    assert emb.cache_info().hits == 1
    assert state.auth_headers[0] is None  # no key configured, no header sent
    emb.close()


def test_dim_is_probed_once_and_dimensions_sent(fake_server: tuple[str, FakeServerState]) -> None:
    """Without a configured size, `dim` asks the server once; `dimensions` goes in the payload."""
    url, state = fake_server
    emb = OpenAIEmbedder(base_url=url, model="fake-embed")
    assert emb.dim == 3
    assert emb.dim == 3
    assert len(state.requests) == 1
    emb.close()
    sized = OpenAIEmbedder(base_url=url, model="fake-embed", dimensions=3)
    assert sized.dim == 3
    sized.embed(["x"])
    assert state.requests[-1]["dimensions"] == 3
    assert sized.name == "openai:fake-embed@3d"
    sized.close()


def test_configured_dimensions_mismatch_is_an_error(
    fake_server: tuple[str, FakeServerState],
) -> None:
    """A server answering a different vector size than configured raises EmbeddingProviderError."""
    url, _ = fake_server
    emb = OpenAIEmbedder(base_url=url, model="fake-embed", dimensions=8)
    with pytest.raises(EmbeddingProviderError, match="3 dimensions, expected 8"):
        emb.embed(["x"])
    emb.close()


@pytest.mark.parametrize(
    ("mode", "message"),
    [("http500", "HTTP 500"), ("garbage", "data"), ("short", "shape")],
)
def test_bad_answers_raise_provider_error(
    fake_server: tuple[str, FakeServerState], mode: str, message: str
) -> None:
    """Server errors, non-JSON and a wrong number of rows each raise EmbeddingProviderError."""
    url, state = fake_server
    state.mode = mode
    emb = OpenAIEmbedder(base_url=url, model="fake-embed")
    with pytest.raises(EmbeddingProviderError, match=message) as info:
        emb.embed(["one", "two"])
    assert info.value.code == "embedding_provider_error"
    emb.close()


def test_unreachable_endpoint_raises_provider_error() -> None:
    """A closed port is reported as unreachable, without leaking the API key."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()  # the port is now closed: connections are refused
    emb = OpenAIEmbedder(base_url=f"http://127.0.0.1:{port}/v1", model="m", api_key="sk-secret")
    with pytest.raises(EmbeddingProviderError, match="unreachable") as info:
        emb.embed(["x"])
    assert "sk-secret" not in str(info.value)
    emb.close()
