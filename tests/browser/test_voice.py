"""Browser: answering by voice from a fake microphone, and the fallback when it is refused."""

from __future__ import annotations

import re
import shutil
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, Route, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.browser.steps import start_interview_as_new_candidate

pytestmark = pytest.mark.browser
SENTENCE = "I moved our largest service to a new database without any downtime."


def _clip(folder: Path) -> Path:
    """The sentence spoken by espeak-ng, then four seconds of silence (the fake microphone
    plays the file in a loop)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (make system-deps installs it for the tests)")
    spoken = folder / "spoken.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(spoken), SENTENCE],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    out = folder / "answer.wav"
    with wave.open(str(spoken), "rb") as reader, wave.open(str(out), "wb") as writer:
        writer.setparams(reader.getparams())
        writer.writeframes(reader.readframes(reader.getnframes()))
        writer.writeframes(b"\x00" * reader.getframerate() * reader.getsampwidth() * 4)
    return out


def _launch(playwright: Playwright, *extra: str) -> Browser:
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", *extra],
    )


@pytest.fixture(scope="module")
def microphone(
    playwright_instance: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    """Chromium whose microphone plays the clip, permission granted without asking."""
    clip = _clip(tmp_path_factory.mktemp("voice"))
    browser = _launch(
        playwright_instance,
        f"--use-file-for-fake-audio-capture={clip}",
        "--use-fake-ui-for-media-stream",
    )
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def refusing(playwright_instance: Playwright) -> Iterator[Browser]:
    """Chromium with a fake microphone whose permission is never granted."""
    browser = _launch(playwright_instance)
    yield browser
    browser.close()


def _behavioural_stage(page: Page, server: LiveServer, tmp_path: Path) -> None:
    start_interview_as_new_candidate(page, server, tmp_path, "Voice Candidate")
    page.get_by_role("button", name="Start Behavioural").click()
    expect(page.get_by_role("button", name="Answer by voice")).to_be_visible()


def test_a_spoken_answer_appears_in_the_answer_box(
    microphone: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    """After the notice, the fake microphone's answer is recorded and uploaded in chunks (one
    lost to a dropped connection and sent again) and transcribed offline; the transcript lands
    in the answer box, which stays editable."""
    context = microphone.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _behavioural_stage(page, live_server, tmp_path)
        # The connection drops while chunk 1 is sent: it must be sent again, not lost.
        dropped: list[str] = []

        def drop_once(route: Route) -> None:
            if not dropped:
                dropped.append(route.request.url)
                route.abort("connectionreset")
            else:
                route.continue_()

        page.route(re.compile(r"/recordings/\d+/chunks/1$"), drop_once)
        page.get_by_role("button", name="Answer by voice").click()
        expect(page.locator(".voice-notice")).to_contain_text("accent")
        page.get_by_role("button", name="I agree: record my answer").click()
        stop = page.get_by_role("button", name="Stop recording")
        expect(stop).to_be_visible()
        page.wait_for_timeout(6_500)  # two 3 s chunks and the start of a third
        stop.click()
        answer = page.locator("#answer-b1")
        expect(answer).to_have_value(re.compile(r"database", re.IGNORECASE), timeout=120_000)
        expect(page.locator("#voice-status-b1")).to_contain_text("Transcript ready")
        assert len(dropped) == 1
        answer.press("End")
        answer.type(" It took two weeks.")
        expect(answer).to_have_value(re.compile(r"two weeks\.$"))
    finally:
        context.close()


def test_a_refused_microphone_falls_back_to_typing(
    refusing: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    """Without microphone permission the room says so plainly and the answer is typed."""
    context = refusing.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _behavioural_stage(page, live_server, tmp_path)
        page.get_by_role("button", name="Answer by voice").click()
        page.get_by_role("button", name="I agree: record my answer").click()
        expect(page.locator("#voice-status-b1")).to_contain_text(
            "Microphone permission was refused. Type your answer"
        )
        page.locator("#answer-b1").fill("Typed instead.")
        expect(page.locator("#answer-b1")).to_have_value("Typed instead.")
    finally:
        context.close()
