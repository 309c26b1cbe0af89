"""Webhook test helpers: a real HTTP receiver on 127.0.0.1 that fails, stalls or succeeds."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from hiresight.db import create_db_engine, make_session_factory
from hiresight.settings import Settings
from hiresight.webhooks import delivery, service


@dataclass
class Received:
    """One request the receiver got, and whether its signature checked out."""

    headers: dict[str, str]
    body: str
    payload: dict[str, Any] | None
    verified: bool


@dataclass
class Receiver:
    """A local webhook receiver; `script` says how to answer each request, in order.

    Each entry is "fail" (500), "slow" (answers 200 after `slow_seconds`, too late) or "ok"
    (200); when the script runs out, `default` applies.
    """

    url: str
    secret: str = ""
    script: list[str] = field(default_factory=list)
    default: str = "ok"
    slow_seconds: float = 1.5
    received: list[Received] = field(default_factory=list)

    def next_mode(self) -> str:
        return self.script.pop(0) if self.script else self.default


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            headers = dict(self.headers.items())
            try:
                payload = service.verify(
                    receiver.secret,
                    body=body,
                    timestamp=self.headers.get(service.TIMESTAMP_HEADER, ""),
                    signature=self.headers.get(service.SIGNATURE_HEADER, ""),
                    now=time.time(),
                    # The tests move the sender's clock by hours; the signature must still hold.
                    tolerance_seconds=10**9,
                )
                verified = True
            except service.InvalidSignatureError:
                payload, verified = None, False
            receiver.received.append(Received(headers, body, payload, verified))
            mode = receiver.next_mode()
            if mode == "slow":
                time.sleep(receiver.slow_seconds)
            status = 500 if mode == "fail" else 200
            try:
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"no" if status == 500 else b"ok")
            except OSError:  # the sender gave up waiting (the timeout case)
                pass

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A threaded HTTP receiver on a random local port."""
    box = Receiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(box))
    server.daemon_threads = True
    box.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box
    server.shutdown()
    server.server_close()


@pytest.fixture
def fast_delivery() -> Iterator[delivery.DeliveryConfig]:
    """A short timeout (0.5 s) so the stalling receiver counts as a failure quickly."""
    before = delivery.config()
    cfg = delivery.DeliveryConfig(timeout_seconds=0.5)
    delivery.configure(cfg)
    yield cfg
    delivery.configure(before)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine of the test's own on the migrated test database (no app, no poller)."""
    eng = create_db_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on `engine`."""
    return make_session_factory(engine)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Test settings whose background poller runs once at start and not again during a test,
    so that the tests alone decide when deliveries are tried."""
    return Settings(
        env="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        log_json=True,
        log_level="WARNING",
        work_reconcile_seconds=3600,
        # No model warm-up thread left running when a short test's process ends.
        scoring_warm_up=False,
    )
