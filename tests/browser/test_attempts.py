"""Browser: retaking one stage, the confirmation before a scored attempt could be replaced,
which attempt counts in the room and on the dashboard, and every attempt on the scorecard."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, expect

from hiresight.demo.service import DEMO_PASSWORD
from tests.browser.conftest import LiveServer
from tests.browser.steps import apply_to, sign_up_candidate, start_interview

pytestmark = pytest.mark.browser

STORY = (
    "Situation: our deploys failed weekly and customers saw errors. Task: I had to make the "
    "pipeline safe. Action: I wrote Terraform modules, I added canary checks and I paired with "
    "the on-call engineer. Result: failed deploys fell by 70% within two months."
)


def _interview_id(page: Page) -> int:
    match = re.search(r"/interview/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def _answer_behavioural(page: Page, text: str) -> None:
    """Answer the running behavioural stage in the room and submit it."""
    page.locator("#stage textarea").first.fill(text)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit and end this stage").click()
    expect(page.locator("#stage")).to_contain_text("This stage is submitted", timeout=15_000)


def _scored(page: Page, server: LiveServer, attempt_count: int) -> list[dict[str, Any]]:
    """The candidate's behavioural attempts once `attempt_count` of them have a score."""
    attempts: list[dict[str, Any]] = []
    for _ in range(120):  # scoring runs in the background; the first run loads the models
        listed = page.context.request.get(f"{server.base_url}/api/v1/attempts").json()
        attempts = [a for a in listed if a["stage"] == "behavioral"]
        if len([a for a in attempts if a["score"] is not None]) >= attempt_count:
            return attempts
        page.wait_for_timeout(1000)
    raise AssertionError(f"not scored in time: {attempts}")


def _stage_item(page: Page, label: str) -> Any:
    return page.locator("#stage-list .stage-item").filter(has_text=label)


def test_a_stage_is_retaken_from_the_dashboard_after_confirming(
    page: Page, live_server: LiveServer
) -> None:
    """The room says which attempt counts; the dashboard's Retake asks first (the score could
    be replaced), then opens a room with that stage alone; the recruiter sees both attempts."""
    sign_up_candidate(page, live_server, "Ingrid Nyström")
    apply_to(page, "Platform Engineer")
    start_interview(page, live_server)
    first_room = _interview_id(page)
    page.get_by_role("button", name="Start Behavioural").click()
    expect(_stage_item(page, "Behavioural")).to_contain_text("Counts once finished")
    _answer_behavioural(page, STORY)
    first = _scored(page, live_server, 1)[0]
    score = round(first["score"])

    page.reload()
    expect(_stage_item(page, "Behavioural")).to_contain_text(
        f"This attempt counts (score {score}, your latest)."
    )

    page.goto(f"{live_server.base_url}/candidate/interviews")
    row = page.locator(f'tr[data-attempt-id="{first["id"]}"]')
    expect(row.locator(".counts-marker")).to_have_text("counts")
    row.get_by_label("Note on behavioral attempt").fill("My first try, with numbers.")
    row.get_by_role("button", name="Save note").click()
    row = page.locator(f'tr[data-attempt-id="{first["id"]}"]')
    row.get_by_role(
        "button", name=re.compile(r"Retake this stage: behavioral \(2 attempts left\)")
    ).click()
    dialog = page.get_by_role("alertdialog", name="Retake the behavioral stage?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"score {score}")
    assert len(_scored(page, live_server, 1)) == 1  # asking started nothing
    dialog.get_by_role("button", name="Yes, retake it").click()

    expect(page).to_have_url(re.compile(r"/interview/\d+$"))
    assert _interview_id(page) != first_room
    expect(page.locator("#stage-list .stage-item")).to_have_count(1)
    expect(_stage_item(page, "Behavioural")).to_contain_text(
        f"Attempt 1 counts (score {score}, your latest). This one counts instead once finished."
    )
    expect(page.locator("#stage h2")).to_have_text("Behavioural — attempt 2")
    _answer_behavioural(page, "I did some things and it went fine.")
    second = next(a for a in _scored(page, live_server, 2) if a["id"] != first["id"])

    page.goto(f"{live_server.base_url}/candidate/interviews")
    expect(page.locator(f'tr[data-attempt-id="{second["id"]}"] .counts-marker')).to_be_visible()
    expect(page.locator(f'tr[data-attempt-id="{first["id"]}"] .counts-marker')).to_have_count(0)
    page.get_by_role("button", name="Log out").click()

    page.get_by_label("E-mail").fill("recruiter@acme.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Platform Engineer").click()
    page.get_by_role("link", name="Ingrid Nyström").click()
    table = page.get_by_role("table", name="Behavioral attempts")
    expect(table.locator("tbody tr")).to_have_count(2)
    first_row = table.locator(f'tr[data-attempt-id="{first["id"]}"]')
    second_row = table.locator(f'tr[data-attempt-id="{second["id"]}"]')
    expect(first_row).to_contain_text("My first try, with numbers.")
    expect(first_row).to_contain_text(str(score))
    expect(first_row.locator(".counts-marker")).to_have_count(0)
    expect(second_row.locator(".counts-marker")).to_have_text("counts")


def test_the_room_asks_before_a_retake_replaces_a_score(
    page: Page, live_server: LiveServer
) -> None:
    """After the interview ends, the room's Retake shows the server's warning in a confirmation:
    declining starts nothing, accepting opens the new sitting."""
    sign_up_candidate(page, live_server, "Mateus Araújo")
    apply_to(page, "Platform Engineer")
    start_interview(page, live_server)
    room = _interview_id(page)
    page.get_by_role("button", name="Start Behavioural").click()
    _answer_behavioural(page, STORY)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End interview").click()
    expect(page.locator("#banner")).to_contain_text("Interview ended")
    _scored(page, live_server, 1)
    page.reload()

    messages: list[str] = []

    def decline(dialog: Dialog) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    retake = page.get_by_role(
        "button", name=re.compile(r"Retake this stage: Behavioural \(2 attempts left\)")
    )
    retake.click()
    for _ in range(50):
        if messages:
            break
        page.wait_for_timeout(100)
    assert messages
    assert "Confirm to retake" in messages[0]
    assert _interview_id(page) == room
    assert len(_scored(page, live_server, 1)) == 1

    page.once("dialog", lambda dialog: dialog.accept())
    retake.click()
    expect(page).not_to_have_url(re.compile(rf"/interview/{room}$"))
    expect(page).to_have_url(re.compile(r"/interview/\d+$"))
    expect(page.locator("#stage h2")).to_have_text("Behavioural — attempt 2")
