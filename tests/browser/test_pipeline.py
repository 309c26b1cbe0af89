"""Browser: a recruiter moves the demo applicant through the job's five-stage pipeline with
notes, and the board's column counts and per-stage funnel follow every move."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hiresight.demo.service import DEMO_PASSWORD
from tests.browser.conftest import LiveServer, start_server, stop_server
from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser
STAGES = ["ai_screening", "portfolio_review", "takehome", "panel_presentation", "offer"]


@pytest.fixture(scope="module")
def pipeline_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A demo server of its own: moving the demo applicant must not change what the other
    browser tests see of them."""
    server = start_server(Path(tmp_path_factory.mktemp("pipeline")))
    yield server
    stop_server(server)


def _counts(page: Page) -> list[str]:
    return [
        page.locator(f'section.pipeline-column[data-stage="{key}"] h2 .count').inner_text()
        for key in STAGES
    ]


def _move(page: Page, button: str, note: str) -> None:
    card = page.get_by_role("article", name="Chidi Candidate")
    card.get_by_label("Note for Chidi Candidate").fill(note)
    card.get_by_role("button", name=button).click()
    expect(page.locator(".move-confirmed")).to_contain_text(note)


def test_recruiter_moves_the_demo_applicant_through_the_pipeline(
    page: Page, pipeline_server: LiveServer
) -> None:
    """Advance, go back, advance to the offer and hire: every move shows its note, moves the
    card and changes the columns' counts; the funnel says how far the applicant got."""
    page.goto(f"{pipeline_server.base_url}/login")
    page.get_by_label("E-mail").fill("recruiter@acme.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Backend Engineer (Python)").first.click()
    strip = page.get_by_role("region", name="Pipeline")
    expect(strip.locator("li")).to_have_count(5)
    expect(strip.locator('li[data-stage="ai_screening"]')).to_contain_text("AI screening: 1")
    assert blocking_violations(page) == []
    page.get_by_role("link", name="Open the pipeline board").click()

    expect(page.get_by_role("heading", name="Backend Engineer (Python): pipeline")).to_be_visible()
    assert _counts(page) == ["1", "0", "0", "0", "0"]
    card = page.get_by_role("article", name="Chidi Candidate")
    expect(card).to_contain_text("Interview not started")
    assert blocking_violations(page) == []

    _move(page, "Advance to Portfolio review", "CV fits, check the repositories")
    expect(page.locator(".move-confirmed")).to_contain_text("at Portfolio review")
    assert _counts(page) == ["0", "1", "0", "0", "0"]
    _move(page, "Advance to Take-home", "Good tests and CI")
    assert _counts(page) == ["0", "0", "1", "0", "0"]
    _move(page, "Back to Portfolio review", "Ask for the second repository first")
    assert _counts(page) == ["0", "1", "0", "0", "0"]
    funnel = page.locator("table.stage-funnel")
    expect(funnel.locator('tr[data-stage="takehome"] td').nth(1)).to_have_text("1")  # reached

    card = page.get_by_role("article", name="Chidi Candidate")
    card.get_by_label("Move Chidi Candidate to").select_option(label="Panel: presentation and Q&A")
    card.get_by_label("Note for Chidi Candidate").fill("Take-home waived: open-source work")
    card.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator(".move-confirmed")).to_contain_text("at Panel: presentation and Q&A")
    assert _counts(page) == ["0", "0", "0", "1", "0"]

    # At the panel, an interviewer fills the panel's scorecard on the candidate's scorecard.
    board_url = page.url.split("?")[0]
    page.get_by_role("article", name="Chidi Candidate").get_by_role("link").click()
    panel = page.get_by_role("region", name="Panel: presentation and Q&A: the panel's scorecards")
    expect(panel).to_contain_text("No scorecard yet.")
    for label, rating in (("Technical depth", "4"), ("Communication", "3"),
                          ("Trade-off reasoning", "3"), ("Handling questions", "2")):  # fmt: skip
        panel.get_by_label(f"Rating for {label}").select_option(rating)
    panel.get_by_label("Evidence for Technical depth").fill("Sized the index for 10x data")
    panel.get_by_role("button", name="Save your scorecard").click()
    panel = page.get_by_role("region", name="Panel: presentation and Q&A: the panel's scorecards")
    expect(panel.locator('tr[data-competency="technical_depth"] td.mean')).to_have_text("4.0")
    expect(panel).to_contain_text("Sized the index for 10x data")
    page.goto(board_url)

    _move(page, "Advance to Offer", "Panel agreed")
    assert _counts(page) == ["0", "0", "0", "0", "1"]
    _move(page, "Hire", "Signed")
    expect(page.locator(".move-confirmed")).to_contain_text("Hired")
    expect(funnel.locator('tr[data-stage="offer"] td').nth(2)).to_contain_text("1")  # hired
    expect(funnel.locator('tr[data-stage="ai_screening"] td').nth(1)).to_have_text("1")
    expect(funnel.locator('tr[data-stage="ai_screening"] td').nth(2)).to_have_text("1")
