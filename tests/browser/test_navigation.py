"""Browser: each role's top menu lists its pages, every item opens, the current one is marked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from hiresight.demo.service import DEMO_PASSWORD
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

RECRUITER = ["Jobs", "Candidates", "Take-homes", "Requests", "Exports"]
CANDIDATE = [
    "Dashboard", "Profile", "Jobs", "Interviews", "Take-homes", "Results", "Requests", "Your data"
]  # fmt: skip
MENUS = {
    "candidate@example.com": CANDIDATE,
    "recruiter@acme.example": RECRUITER,
    "admin@acme.example": [
        *RECRUITER,
        "Users",
        "Recommendations",
        "Fairness",
        "Webhooks",
        "API keys",
        "Audit",
        "Retention",
    ],
}


def _login(page: Page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.base_url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.mark.parametrize("email", list(MENUS))
def test_each_role_has_a_menu_of_working_links(
    page: Page, live_server: LiveServer, email: str
) -> None:
    """The menu holds the role's items; each link opens a page or an anchor that exists."""
    _login(page, live_server, email)
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link")).to_have_text(MENUS[email])
    hrefs = [a.get_attribute("href") or "" for a in menu.get_by_role("link").all()]
    for href in hrefs:
        address, _, anchor = href.partition("#")
        # "Jobs for you" may wait for the recommender's start-up warm-up on a busy machine.
        page.goto(f"{live_server.base_url}{href}", timeout=90_000)
        assert page.url.split("#")[0] == f"{live_server.base_url}{address}", href
        if address == "/api/docs":  # an API operation, opened in the docs
            expect(
                page.locator(f"#operations-{anchor.strip('/').replace('/', '-')}")
            ).to_be_visible()
        elif anchor:
            expect(page.locator(f"#{anchor}")).to_be_visible()
        else:
            expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize(
    ("email", "address", "current"),
    [
        ("candidate@example.com", "/candidate", "Dashboard"),
        ("candidate@example.com", "/candidate/profile", "Profile"),
        ("candidate@example.com", "/candidate/jobs-for-you", "Jobs"),
        ("candidate@example.com", "/candidate/interviews", "Interviews"),
        ("candidate@example.com", "/candidate/scorecard", "Results"),
        ("recruiter@acme.example", "/recruiter", "Jobs"),
        ("admin@acme.example", "/console/recommendations", "Recommendations"),
    ],
)
def test_the_current_page_is_marked(
    page: Page, live_server: LiveServer, email: str, address: str, current: str
) -> None:
    """Exactly one item carries aria-current="page": the one for the page shown."""
    _login(page, live_server, email)
    page.goto(f"{live_server.base_url}{address}", timeout=90_000)
    marked = page.get_by_role("navigation", name="Main").locator('[aria-current="page"]')
    expect(marked).to_have_count(1)
    expect(marked).to_have_text(current)


def test_pages_under_an_item_mark_it(page: Page, live_server: LiveServer) -> None:
    """A job's console is under Jobs; a candidate's profile is under Candidates."""
    _login(page, live_server, "recruiter@acme.example")
    menu = page.get_by_role("navigation", name="Main")
    page.get_by_role("cell").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/recruiter/jobs/\d+$"))
    expect(menu.locator('[aria-current="page"]')).to_have_text("Jobs")
    page.go_back()
    page.get_by_role("link", name="profile").first.click()
    expect(page).to_have_url(re.compile(r"/recruiter/candidates/\d+$"))
    expect(menu.locator('[aria-current="page"]')).to_have_text("Candidates")
