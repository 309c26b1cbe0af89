"""Browser: the whole interview, a reload mid-stage, and a server restart mid-interview."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import APIResponse, Browser, Page, Route, expect

from hiresight.challenges.loader import load_bank
from tests.browser.conftest import LiveServer, start_server, stop_server
from tests.browser.steps import sign_up_with_resume, start_interview_as_new_candidate

pytestmark = pytest.mark.browser


def _submit_stage(page: Page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit and end this stage").click()
    expect(page.locator("#stage")).to_contain_text("This stage is submitted", timeout=15_000)
    # The 202 says what was queued; the room passes it on.
    expect(page.locator("#banner")).to_contain_text("queued", timeout=15_000)


def test_full_interview_in_the_browser(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    """Résumé upload, then every stage in turn; the code-review patch is graded in the sandbox."""
    start_interview_as_new_candidate(page, live_server, tmp_path)

    page.get_by_role("button", name="Start English").click()
    # `has` takes a locator relative to each `.question`, so it must not name `.question` again.
    open_items = page.locator(".question").filter(
        has=page.locator("input[type=radio]:not([disabled])")
    )
    # The stage renders after the start request returns; `count()` below does not wait for it.
    expect(open_items.first).to_be_visible()
    for _ in range(30):
        if open_items.count() == 0:
            break
        question = open_items.first
        question_id = question.get_attribute("id")
        question.locator("input[type=radio]").first.check()
        with page.expect_response(
            lambda r: r.request.method == "POST" and "/questions/" in r.url
        ) as answered:
            question.get_by_role("button", name="Answer").click()
        # The item locks as soon as it is answered, but the next adaptive item arrives only with
        # the server's answer: wait until the room shows every item that answer holds.
        content = answered.value.json()["content"]
        items = sum(1 for q in content["questions"] if q["type"] == "mc")
        shown = page.locator(".question").filter(has=page.locator("input[type=radio]"))
        expect(shown).to_have_count(items)
        expect(page.locator(f"#{question_id} input[type=radio]:not([disabled])")).to_have_count(0)
    expect(page.locator("input[type=radio]:not([disabled])")).to_have_count(0)
    page.locator("#answer-writing").fill(
        "Dear team, the release is delayed by two days because the payment tests failed on "
        "Friday. We fixed the cause, a timezone bug in the invoice job, and we are running the "
        "full suite again. I will send the new date tomorrow morning. Thank you for your patience."
    )
    _submit_stage(page)

    page.get_by_role("button", name="Start Résumé deep-dive").click()
    expect(page.locator("#stage textarea").first).to_be_visible()  # `all()` does not wait
    for area in page.locator("#stage textarea").all():
        area.fill(
            "I led the migration of 14 services to Kafka and measured p99 before and after: "
            "it fell from 480 ms to 330 ms within two months."
        )
    _submit_stage(page)

    page.get_by_role("button", name="Start Code review").click()
    expect(page.locator(".monaco-editor").first).to_be_visible()
    state = page.evaluate(
        "fetch(location.pathname.replace('/interview/', '/api/v1/interviews/')).then(r => r.json())"
    )
    challenge_id = next(a for a in state["attempts"] if a["stage"] == "code_review")["content"][
        "challenge"
    ]["id"]
    challenge = next(c for c in load_bank() if c.id == challenge_id)
    page.evaluate(
        "files => { for (const [name, text] of Object.entries(files)) "
        "window.hiresightRoom.models[name].setValue(text); }",
        dict(challenge.solution),
    )
    bug = challenge.manifest.bugs[0]
    page.get_by_label("From line").fill(str(bug.lines[0]))
    page.get_by_label("To line").fill(str(bug.lines[1]))
    page.get_by_label("Bug class").select_option(bug.bug_class)
    page.get_by_role("button", name="Add flag").click()
    page.get_by_label("Explain each fix").fill(bug.explanation.problem + " " + bug.explanation.fix)
    _submit_stage(page)
    expect(page.locator("#grade-result")).to_contain_text(
        f"Bugs fixed: {len(challenge.manifest.bugs)} of {len(challenge.manifest.bugs)}",
        timeout=60_000,
    )

    page.get_by_role("button", name="Start System design").click()
    expect(page.locator(".question-text")).to_contain_text(challenge.manifest.title)
    page.locator("#stage textarea").first.fill("The database becomes the bottleneck first ...")
    _submit_stage(page)

    page.get_by_role("button", name="Start Behavioural").click()
    page.locator("#stage textarea").first.fill("Situation: ... Task: ... Action: ... Result: ...")
    _submit_stage(page)
    expect(page.locator("#end-interview")).to_be_hidden()


def test_reload_keeps_the_draft_and_the_clock(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """Reloading mid-stage shows the autosaved draft and a countdown that kept running."""
    start_interview_as_new_candidate(page, live_server, tmp_path)
    page.get_by_role("button", name="Start Behavioural").click()
    page.locator("#stage textarea").first.fill("When our payments queue stalled, I ...")
    expect(page.locator("#save-state")).to_contain_text("Saved", timeout=10_000)
    before = page.locator("#stage-timer").inner_text()
    page.wait_for_timeout(2500)
    page.reload()
    expect(page.locator("#stage textarea").first).to_have_value(
        "When our payments queue stalled, I ..."
    )
    expect(page.get_by_role("status").filter(has_text="Welcome back")).to_be_visible()
    after = page.locator("#stage-timer").inner_text()
    assert _seconds(after) < _seconds(before)


def test_submit_waits_for_an_autosave_in_flight(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """Submitting while an autosave is still in flight ends the stage with the latest answer.

    The autosave reaches the server but its response is held back; the candidate types on and
    submits. A submit sent at once would claim the autosave's revision with a different draft,
    which the server refuses as stale: the room must wait for the save, then submit.
    """
    start_interview_as_new_candidate(page, live_server, tmp_path)
    page.get_by_role("button", name="Start Behavioural").click()
    area = page.locator("#stage textarea").first
    expect(area).to_be_visible()
    held: list[tuple[Route, APIResponse]] = []
    page.route("**/draft", lambda route: held.append((route, route.fetch())))
    area.fill("When our payments queue stalled, I ...")
    for _ in range(100):  # the autosave runs every 1.5 s
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "no autosave reached the server"
    area.fill("When our payments queue stalled, I traced it to one slow consumer and split it.")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: r.url.endswith("/submit")) as submitted:
        page.get_by_role("button", name="Submit and end this stage").click()
        route, response = held[0]
        route.fulfill(response=response)
    page.unroute("**/draft")
    assert submitted.value.ok, submitted.value.text()
    assert "split it" in str(submitted.value.json()["answer"])
    expect(page.locator("#stage")).to_contain_text("This stage is submitted", timeout=15_000)


def test_autosave_waits_out_a_busy_server_and_keeps_the_draft(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """A 503 server_busy with Retry-After: 3 is shown, nothing is sent for those 3 s (the room
    used to retry at its next 1.5 s tick), then the same draft is saved and survives a reload."""
    start_interview_as_new_candidate(page, live_server, tmp_path)
    page.get_by_role("button", name="Start Behavioural").click()
    area = page.locator("#stage textarea").first
    expect(area).to_be_visible()
    sent: list[float] = []
    busy = {"error": {"code": "server_busy", "message": "Busy.", "details": None}}

    def busy_once(route: Route) -> None:
        sent.append(time.monotonic())
        if len(sent) > 1:
            route.continue_()
            return
        route.fulfill(status=503, headers={"Retry-After": "3"}, json=busy)

    page.route("**/draft", busy_once)
    area.fill("Kept through a busy server.")
    expect(page.locator("#save-state")).to_contain_text("Server busy", timeout=10_000)
    expect(page.locator("#save-state")).to_contain_text("Saved", timeout=15_000)
    page.unroute("**/draft")
    assert len(sent) >= 2
    assert sent[1] - sent[0] >= 2.9
    page.reload()
    expect(page.locator("#stage textarea").first).to_have_value("Kept through a busy server.")


def _seconds(clock: str) -> int:
    minutes, seconds = clock.split(":")
    return int(minutes) * 60 + int(seconds)


def test_server_restart_mid_interview_loses_nothing(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """Kill the server mid-stage: the page says it will retry, and saves again after a restart."""
    data_dir = tmp_path_factory.mktemp("restart")
    server = start_server(data_dir)
    context = browser.new_context()
    page = context.new_page()
    try:
        start_interview_as_new_candidate(page, server, tmp_path)
        page.get_by_role("button", name="Start Behavioural").click()
        area = page.locator("#stage textarea").first
        area.fill("Before the crash.")
        expect(page.locator("#save-state")).to_contain_text("Saved", timeout=10_000)

        server.process.kill()
        server.process.wait()
        area.fill("Before the crash. Typed while the server was down.")
        expect(page.locator("#save-state")).to_contain_text("Offline", timeout=10_000)

        port = int(server.base_url.rsplit(":", 1)[1])
        server.log.close()
        server = start_server(data_dir, port=port)
        expect(page.locator("#save-state")).to_contain_text("Saved", timeout=15_000)
        page.reload()
        expect(page.locator("#stage textarea").first).to_have_value(
            "Before the crash. Typed while the server was down."
        )
    finally:
        context.close()
        stop_server(server)


def test_practice_gives_feedback_after_the_answer(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """In practice mode a submitted STAR story comes back with structure and a model outline,
    and each missed point with the closest sentence of the answer, shown as text."""
    sign_up_with_resume(page, live_server, tmp_path)
    page.goto(f"{live_server.base_url}/candidate/interviews")
    page.get_by_role("button", name="Start a practice session").click()
    page.get_by_role("button", name="Start Behavioural").click()
    page.locator("#stage textarea").first.fill(
        "Situation: our checkout timed out every Friday. Task: I had to stop it before the sale. "
        "Action: I profiled the database and I added an index. Result: p99 fell by 80%."
    )
    # The server's missed points pass through as they are, with one more whose closest
    # sentence is markup: the panel must show it as text.
    served: list[dict[str, object]] = []
    marked_up = {"point": "Say who else was involved", "closest": "<b>I</b> did it alone."}

    def add_a_missed_point(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        feedback = body.get("practice_feedback")
        if feedback:
            served[:] = feedback["missed"]
            feedback["missed"] = [*feedback["missed"], marked_up]
        route.fulfill(response=response, json=body)

    page.route(re.compile(r"/api/v1/attempts/\d+$"), add_a_missed_point)
    _submit_stage(page)
    feedback = page.locator("#practice-feedback")
    expect(feedback).to_contain_text("Feedback · score", timeout=90_000)
    expect(feedback).to_contain_text("✔ result")
    expect(feedback).to_contain_text("A strong answer would cover:")
    items = feedback.locator(".missed-points > li")
    expect(items).to_have_count(len(served) + 1)
    for item, missed in zip(items.all(), served, strict=False):
        assert set(missed) == {"point", "closest"}
        expect(item.locator(".point")).to_have_text(str(missed["point"]))
        if missed["closest"]:
            expect(item.locator(".closest")).to_have_text(f"closest: “{missed['closest']}”")
    last = items.last
    expect(last.locator(".point")).to_have_text("Say who else was involved")
    expect(last.locator(".closest")).to_have_text("closest: “<b>I</b> did it alone.”")
    expect(last.locator("b")).to_have_count(0)
