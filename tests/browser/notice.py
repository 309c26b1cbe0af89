"""The interview notice in the browser: a new candidate's first start leads through it."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def agree_to_the_notice(page: Page) -> None:
    """On the notice a first start leads to, agree; that starts the interview."""
    expect(page.get_by_role("heading", name="How you are assessed")).to_be_visible()
    page.get_by_role("button", name="I agree: start the interview").click()
