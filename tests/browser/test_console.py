"""Browser: a candidate applies and answers; the recruiter ranks, reads the scorecard, decides."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from hiresight.demo.service import DEMO_PASSWORD
from hiresight.scoring.types import RUBRIC_VERSIONS, AnswerKind
from tests.browser.conftest import LiveServer
from tests.browser.steps import apply_to, sign_up_candidate, start_interview

pytestmark = pytest.mark.browser


def test_recruiter_reviews_and_advances_a_candidate(page: Page, live_server: LiveServer) -> None:
    """Apply, answer the behavioural stage, then rank, open the scorecard and advance."""
    sign_up_candidate(page, live_server, "Søren Ødegård")
    apply_to(page, "Platform Engineer")
    start_interview(page, live_server)
    page.get_by_role("button", name="Start Behavioural").click()
    page.locator("#stage textarea").first.fill(
        "Situation: our deploys failed weekly. Task: I had to fix the pipeline. Action: I wrote "
        "Terraform modules and I added canary checks. Result: failed deploys fell by 70%."
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit and end this stage").click()
    expect(page.locator("#stage")).to_contain_text("This stage is submitted", timeout=15_000)
    page.get_by_role("button", name="Log out").click()

    page.get_by_label("E-mail").fill("recruiter@acme.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Platform Engineer").click()
    expect(page.get_by_role("heading", name="Funnel")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Søren Ødegård")
    expect(row).to_be_visible()
    # Found by its header, so a new column elsewhere in the table does not move it.
    table = row.locator("xpath=ancestor::table")
    headers = [h.strip() for h in table.get_by_role("columnheader").all_inner_texts()]
    behavioural = row.get_by_role("cell").nth(headers.index("behavioral"))
    for _ in range(60):  # scoring runs in the background; the first run loads the models
        if behavioural.inner_text() != "—":
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(behavioural).not_to_have_text("—")

    page.get_by_role("link", name="Søren Ødegård").click()
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    version = RUBRIC_VERSIONS[AnswerKind.BEHAVIOURAL]
    expect(page.get_by_text(version).first).to_be_visible()
    page.get_by_label("Note (kept in the audit log)").fill("Strong ownership")
    page.get_by_role("button", name="Advance").click()
    expect(page).to_have_url(re.compile(r"/recruiter/jobs/\d+\?decided=\d+$"))
    expect(page.get_by_role("row").filter(has_text="Søren Ødegård")).to_contain_text("Advanced")
