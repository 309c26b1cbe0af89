"""Browser-test harness: the app served on a free loopback port, driven by Debian's Chromium.

The server runs as a real `hiresight serve` process on a fresh SQLite database with the demo
data; each test gets a new browser context. A failing test leaves a screenshot in
test-artifacts/ (kept by CI as an artefact).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LiveServer:
    """A running Hiresight process and its base URL."""

    def __init__(
        self, base_url: str, process: subprocess.Popen[bytes], data_dir: Path, log: BinaryIO
    ) -> None:
        self.base_url = base_url
        self.process = process
        self.data_dir = data_dir
        self.log = log


def start_server(data_dir: Path, *, demo: bool = True, port: int | None = None) -> LiveServer:
    """Migrate the data directory's database, optionally load the demo, and serve it.

    Starting again on the same directory and port is a server restart: nothing is reset.
    """
    port = port or _free_port()
    env = {
        **os.environ,
        "HIRESIGHT_DATA_DIR": str(data_dir),
        "HIRESIGHT_LOG_LEVEL": "WARNING",
        "HIRESIGHT_PORT": str(port),
    }
    env.pop("HIRESIGHT_DATABASE_URL", None)
    cli = [sys.executable, "-m", "hiresight.cli"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    if demo:
        subprocess.run([*cli, "demo", "load"], env=env, check=True, capture_output=True)
    log = (data_dir / "server.log").open("ab")
    process = subprocess.Popen([*cli, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    server = LiveServer(f"http://127.0.0.1:{port}", process, data_dir, log)
    # Readiness waits for the recommender's warm-up (up to 60 s, app.py), and a busy machine
    # slows start-up further: this is a wait, not a speed check.
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    stop_server(server)
    raise RuntimeError(f"server did not start: {(data_dir / 'server.log').read_text()[-2000:]}")


def stop_server(server: LiveServer) -> None:
    """Stop the server process and wait for it."""
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server.log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server with the demo data for the browser tests of this run."""
    server = start_server(tmp_path_factory.mktemp("live"))
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    """Playwright's driver."""
    with sync_playwright() as p:
        yield p


class Chromium:
    """The run's Chromium, launched again when it has died: a browser crash then fails the test
    it happened in, not every browser test after it."""

    def __init__(self, playwright: Playwright) -> None:
        self.playwright = playwright
        self.current: Browser | None = None
        self.launches = 0

    def get(self) -> Browser:
        """The running browser, launched now if there is none or it is gone."""
        if self.current is None or not self.current.is_connected():
            self.current = self.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            self.launches += 1
        return self.current


@pytest.fixture(scope="session")
def chromium(playwright_instance: Playwright) -> Iterator[Chromium]:
    """Debian's Chromium (Playwright's own browser download cannot work offline)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium as root")
    holder = Chromium(playwright_instance)
    yield holder
    if holder.current is not None and holder.current.is_connected():
        holder.current.close()


@pytest.fixture
def browser(chromium: Chromium) -> Browser:
    """The running Chromium, for tests that open contexts of their own."""
    return chromium.get()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context and page; a screenshot is saved if the test fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    # Playwright's 5 s default is too tight for steps that parse and embed a résumé or grade
    # in the sandbox while the rest of the suite loads the same 2 cores; a real hang still
    # fails, only later.
    expect.set_options(timeout=15_000)
    pg.set_default_timeout(15_000)
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
