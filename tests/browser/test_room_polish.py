"""Browser: the interview room keeps every keystroke, even when the tab closes at once."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.test_interview import _sign_up_with_resume, _start_interview

pytestmark = pytest.mark.browser


def _interview_id(page: Page) -> int:
    match = re.search(r"/interview/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def _stored_draft(page: Page, server: LiveServer, interview_id: int, stage: str) -> Any:
    """The draft the server holds for the session's attempt at `stage` (the page may be gone)."""
    response = page.context.request.get(f"{server.base_url}/api/v1/interviews/{interview_id}")
    assert response.ok, response.text()
    attempt = next(a for a in response.json()["attempts"] if a["stage"] == stage)
    return attempt["draft"]


def _open_behavioural_without_autosave_ticks(page: Page, server: LiveServer, tmp_path: Path) -> int:
    """Start the behavioural stage with the page's clock paused: the 1.5 s autosave never fires,
    so only the saves under test (blur, pagehide, beforeunload) reach the server."""
    _sign_up_with_resume(page, server, tmp_path)
    _start_interview(page, server)
    interview_id = _interview_id(page)
    page.clock.install()
    page.clock.pause_at(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    page.reload()
    page.get_by_role("button", name="Start Behavioural").click()
    expect(page.locator("#stage textarea").first).to_be_visible()
    return interview_id


def test_closing_the_tab_right_after_typing_keeps_the_text(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """The last characters typed reach the server although the tab closes at once."""
    interview_id = _open_behavioural_without_autosave_ticks(page, live_server, tmp_path)
    area = page.locator("#stage textarea").first
    area.press_sequentially("Typed just before closing")
    context = page.context
    page.close()
    checker = context.new_page()
    texts: list[str] = []
    for _ in range(50):
        texts = list(
            (_stored_draft(checker, live_server, interview_id, "behavioral") or {})
            .get("answers", {})
            .values()
        )
        if texts:
            break
        checker.wait_for_timeout(100)
    assert texts == ["Typed just before closing"]


def test_leaving_a_field_saves_the_draft(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """Moving focus out of an answer saves it without waiting for the next autosave."""
    _open_behavioural_without_autosave_ticks(page, live_server, tmp_path)
    area = page.locator("#stage textarea").first
    with page.expect_request(lambda r: r.method == "PUT" and r.url.endswith("/draft")) as put:
        area.fill("Saved when I tabbed away.")
        area.press("Tab")
    assert "tabbed away" in (put.value.post_data or "")


def test_leave_prompt_only_for_work_that_cannot_be_saved(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """Closing with unsent typing sends it and asks nothing; offline, the browser asks."""
    interview_id = _open_behavioural_without_autosave_ticks(page, live_server, tmp_path)
    dialogs: list[str] = []

    def seen(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", seen)
    area = page.locator("#stage textarea").first
    area.fill("Sent as the page closes.")
    page.close(run_before_unload=True)
    checker = page.context.new_page()
    texts: list[str] = []
    for _ in range(50):
        texts = list(
            (_stored_draft(checker, live_server, interview_id, "behavioral") or {})
            .get("answers", {})
            .values()
        )
        if texts:
            break
        checker.wait_for_timeout(100)
    assert dialogs == []
    assert texts == ["Sent as the page closes."]

    # Offline: the save fails, so closing must ask before the typing is lost.
    room = checker
    room.goto(f"{live_server.base_url}/interview/{interview_id}")
    room.route("**/draft", lambda route: route.abort())
    room.locator("#stage textarea").first.fill("Typed while offline.")
    room.locator("#stage textarea").first.press("Tab")  # the blur save fails: offline
    expect(room.locator("#save-state")).to_contain_text("Offline")
    with room.expect_event("dialog") as asked:
        room.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()
