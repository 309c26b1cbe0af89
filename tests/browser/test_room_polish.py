"""Browser: the interview room keeps every keystroke and guides the candidate through it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, Route, expect

from tests.browser.conftest import LiveServer
from tests.browser.notice import agree_to_the_notice
from tests.browser.steps import sign_up_with_resume, start_interview_as_new_candidate

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
    start_interview_as_new_candidate(page, server, tmp_path)
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
    # Close it for good (no beforeunload this time), so that the context's own close does not
    # race the page the dismissed dialog kept open.
    room.close()


def _focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def test_english_progress_one_passage_and_keyboard_focus(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """ "Question k of N" follows the answers, a shared passage is shown once, and answering
    from the keyboard moves focus to the next question's options."""
    start_interview_as_new_candidate(page, live_server, tmp_path)

    def one_passage_for_two(route: Route) -> None:
        # Two items on the same reading passage, as the bank's passage sets are served.
        response = route.fetch()
        body = response.json()
        for q in body["content"]["questions"]:
            q["passage"] = "A shared reading passage about release trains."
        route.fulfill(response=response, json=body)

    page.get_by_role("button", name="Start English").click()
    progress = page.locator("#stage-progress")
    expect(progress).to_have_text(re.compile(r"^Question 1 of \d+$"))
    total = int(progress.inner_text().rsplit(" ", 1)[1])
    page.route("**/questions/*/answer", one_passage_for_two)
    first = page.locator(".question").first
    first.locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the rest of the radio group is one tab stop: next is "Answer"
    expect(first.get_by_role("button", name="Answer")).to_be_focused()
    page.keyboard.press("Enter")
    expect(progress).to_have_text(f"Question 2 of {total}")
    second = page.locator(".question").nth(1)
    expect(second.locator("input[type=radio]")).not_to_have_count(0)
    expect(page.locator(".passage")).to_have_count(1)
    expect(second).to_contain_text("About the passage above.")
    expect(second).to_contain_text(f"Question 2 of {total}")
    assert _focused_id(page).startswith("opt-" + (second.get_attribute("id") or "")[2:])


def test_follow_up_sits_under_its_question_and_its_banner_clears(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """A vague résumé answer brings a follow-up right under it, focused; answering the
    follow-up clears the banner that announced it."""
    start_interview_as_new_candidate(page, live_server, tmp_path)
    page.get_by_role("button", name="Start Résumé deep-dive").click()
    boxes = page.locator("#stage .question")
    expect(boxes.first).to_be_visible()
    roots = boxes.count()
    assert roots >= 2, "the stage needs two questions to show where the follow-up goes"
    first = boxes.first
    first.locator("textarea").fill("It went fine.")
    first.get_by_role("button", name="Done with this answer").click()
    banner = page.locator("#banner")
    expect(banner).to_contain_text("follow-up")
    follow = page.locator("#stage .question.follow-up")
    expect(follow).to_have_count(1)
    # Right after the question it probes, not at the end of the stage.
    expect(boxes.nth(1)).to_have_class(re.compile(r"\bfollow-up\b"))
    expect(follow.locator("textarea")).to_be_focused()
    follow.locator("textarea").fill(
        "I led the migration of 14 services from RabbitMQ to Kafka myself. I wrote the consumer "
        "library in Python, added Prometheus metrics, and measured p99 latency before and after "
        "with Grafana: it fell from 480 ms to 330 ms within two months, and the on-call pages "
        "dropped from 12 to 3 a week."
    )
    with page.expect_response(lambda r: "/questions/" in r.url) as answered:
        follow.get_by_role("button", name="Done with this answer").click()
    assert answered.value.ok
    expect(follow).to_have_count(1)  # specific enough: no second follow-up
    expect(banner).to_be_hidden()


def test_timer_warns_then_says_what_was_saved_when_time_is_up(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """The pinned timer warns at 5 and 1 minutes, in an aria-live region; when the time is up
    the candidate is told that the stage closed and what was kept."""
    start_interview_as_new_candidate(page, live_server, tmp_path)
    page.clock.install()
    page.reload()
    page.get_by_role("button", name="Start Behavioural").click()
    page.locator("#stage textarea").first.fill("Situation: the queue stalled ...")
    expect(page.locator("#save-state")).to_contain_text("Saved", timeout=10_000)
    box = page.locator("#timer-box")
    warning = page.locator("#timer-warning")
    expect(warning).to_have_attribute("aria-live", "assertive")
    assert page.evaluate("getComputedStyle(document.querySelector('.room-bar')).position") in {
        "sticky",
        "fixed",
    }
    # Jump to 4:50 left (or stay, for a stage shorter than 5 minutes), then to 0:50.
    page.clock.fast_forward(max(0, _seconds_left(page) - 290) * 1000)
    expect(warning).to_have_text("5 minutes left in this stage.")
    expect(box).to_have_class(re.compile(r"\btimer-warn\b"))
    page.clock.fast_forward((_seconds_left(page) - 50) * 1000)
    expect(warning).to_contain_text("1 minute left")
    expect(box).to_have_class(re.compile(r"\btimer-urgent\b"))

    def expired(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        body.update(state="expired", ended_by="deadline", answer=body["draft"])
        route.fulfill(response=response, json=body)

    page.route(re.compile(r"/api/v1/attempts/\d+$"), expired)
    page.clock.fast_forward(60_000)
    expect(page.locator("#banner")).to_contain_text("Time is up")
    page.clock.fast_forward(13_000)
    time_up = page.locator("#time-up")
    expect(time_up).to_contain_text("Time is up for this stage")
    expect(time_up).to_contain_text("Saved: 1 answer")


def _seconds_left(page: Page) -> int:
    clock = page.locator("#stage-timer")
    expect(clock).to_have_text(re.compile(r"^\d+:\d\d$"))
    minutes, seconds = clock.inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def test_next_stage_button_and_completion_screen(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """After a stage the room offers the next one; after the last, it says what happens next."""
    start_interview_as_new_candidate(page, live_server, tmp_path)
    page.get_by_role("button", name="Start Behavioural").click()
    page.locator("#stage textarea").first.fill("Situation: ... Task: ... Action: ... Result: ...")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit and end this stage").click()
    expect(page.locator("#next-stage")).to_contain_text("Next stage: English")
    page.locator("#next-stage").click()
    expect(page.locator("#stage-progress")).to_contain_text("Question 1 of")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End interview").click()
    completion = page.locator("#next-step.completion")
    expect(completion).to_contain_text("Interview complete")
    expect(completion).to_contain_text("What happens next")
    expect(completion.get_by_role("link", name="Go to your interviews")).to_be_visible()


def test_instructions_and_system_check_before_the_interview(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """The instructions page gives each stage's time and attempts, how retakes count, checks
    the connection, the code editor and typing, then starts the interview."""
    sign_up_with_resume(page, live_server, tmp_path)
    page.goto(f"{live_server.base_url}/candidate/interviews")
    page.get_by_role("link", name="Read the instructions and check your system").click()
    times = page.locator("#stage-times")
    expect(times).to_contain_text("Code review")
    expect(times.locator("tbody tr")).to_have_count(5)
    expect(times.locator("tbody tr").first).to_contain_text(re.compile(r"\d+ min\s*\d+ of \d+"))
    expect(page.get_by_role("heading", name="Retakes, and which attempt counts")).to_be_visible()
    expect(page.locator("#check-connection")).to_have_text("Connection to the server: OK")
    expect(page.locator("#check-editor")).to_have_text("Code editor: OK")
    expect(page.locator("#editor-test-code .monaco-editor")).to_be_visible()
    page.get_by_label("Try the answer box").press_sequentially("hello")
    expect(page.locator("#check-typing")).to_have_text("Typing: OK (5 characters)")
    expect(page.get_by_text("does not lose work")).to_be_visible()
    page.get_by_role("button", name="Start the interview").click()
    agree_to_the_notice(page)
    expect(page).to_have_url(re.compile(r"/interview/\d+$"))
