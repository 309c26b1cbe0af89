"""Browser: practice English gives feedback per item and on the writing sample, and draws
none of the items a real interview starts with."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from hiresight.banks.adaptive import opening_items
from hiresight.banks.loader import english_items
from tests.browser.conftest import LiveServer
from tests.browser.steps import sign_up_candidate

pytestmark = pytest.mark.browser
BANK = {item.id: item for item in english_items()}


def test_practice_english_gives_feedback_per_item_and_on_the_writing(
    page: Page, live_server: LiveServer
) -> None:
    """Items answered right, then wrong, in turn: each comes back marked, with the right answer
    and the bank's why; the short text gets its own score and advice; and no item shown is
    one a real interview opens with."""
    sign_up_candidate(page, live_server, "Amara Okafor")
    page.goto(f"{live_server.base_url}/candidate/interviews")
    page.get_by_role("button", name="Start a practice session").click()
    page.get_by_role("button", name="Start English").click()
    open_items = page.locator(".question").filter(
        has=page.locator("input[type=radio]:not([disabled])")
    )
    expect(open_items.first).to_be_visible()
    given: list[str] = []
    for turn in range(30):
        if open_items.count() == 0:
            break
        question = open_items.first
        item_id = (question.get_attribute("id") or "").removeprefix("q-")
        item = BANK[item_id]
        choice = item.answer if turn % 2 == 0 else (item.answer + 1) % 4
        question.locator("input[type=radio]").nth(choice).check()
        with page.expect_response(lambda r: "/questions/" in r.url) as answered:
            question.get_by_role("button", name="Answer").click()
        content = answered.value.json()["content"]
        shown = page.locator(".question").filter(has=page.locator("input[type=radio]"))
        expect(shown).to_have_count(sum(1 for q in content["questions"] if q["type"] == "mc"))
        given.append(item_id)
    assert len(given) >= 2
    assert not set(given) & opening_items(), "practice showed a real interview's first items"

    page.locator("#answer-writing").fill("The release is late because a test failed on Friday.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit and end this stage").click()

    feedback = page.locator("#practice-feedback")
    expect(feedback).to_contain_text("Feedback · score", timeout=90_000)
    results = feedback.locator("#item-feedback .item-results > li")
    expect(results).to_have_count(len(given))
    right = (len(given) + 1) // 2
    expect(feedback.locator("#item-feedback h4")).to_have_text(
        f"Your answers: {right} of {len(given)} right"
    )
    for turn, item_id in enumerate(given):
        item, row = BANK[item_id], results.nth(turn)
        expect(row.locator(".item-prompt")).to_have_text(item.prompt)
        if turn % 2 == 0:
            expect(row.locator(".item-verdict")).to_have_text(
                f"✔ Correct — you chose “{item.options[item.answer]}”"
            )
        else:
            wrong = item.options[(item.answer + 1) % 4]
            expect(row.locator(".item-verdict")).to_have_text(f"✘ Incorrect — you chose “{wrong}”")
        expect(row.locator(".item-answer")).to_have_text(
            f"Right answer: “{item.options[item.answer]}”"
        )
        expect(row.locator(".item-why")).to_have_text(f"Why: {item.explanation}")

    writing = feedback.locator("#writing-feedback")
    expect(writing.locator("h4")).to_contain_text("Your writing · score")
    expect(writing.locator(".writing-words")).to_contain_text("10 words (the task asks for")
    expect(writing.locator(".writing-advice li").first).to_contain_text("Write at least")
