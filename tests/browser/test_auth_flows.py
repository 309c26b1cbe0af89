"""Browser: sign up, log in, log out, and each role reaching its dashboard, at two widths."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import Page, expect

from hiresight.demo.service import DEMO_PASSWORD
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
_seq = itertools.count()


def _login(page: Page, server: LiveServer, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{server.base_url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_candidate_signs_up_and_reaches_the_dashboard(page: Page, live_server: LiveServer) -> None:
    """A new candidate signs up through the form and lands on their dashboard."""
    page.goto(f"{live_server.base_url}/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Full name").fill("Nguyễn Văn An")
    page.get_by_label("E-mail").fill(f"an{next(_seq)}@example.com")
    page.get_by_label("Password").fill("a long password")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(f"{live_server.base_url}/candidate")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nguyễn Văn An")


def test_recruiter_logs_in_to_the_recruiter_dashboard(page: Page, live_server: LiveServer) -> None:
    """The demo recruiter lands on the recruiter dashboard with their organization's jobs."""
    _login(page, live_server, "recruiter@acme.example")
    expect(page).to_have_url(f"{live_server.base_url}/recruiter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme Robotics")
    expect(page.get_by_role("cell", name="Backend Engineer (Python)")).to_be_visible()
    expect(page.get_by_text("Data Engineer")).to_have_count(0)  # another organization's job


def test_candidate_logs_in_and_out(page: Page, live_server: LiveServer) -> None:
    """The demo candidate logs in, sees open jobs, logs out, and is then asked to log in again."""
    _login(page, live_server, "candidate@example.com")
    expect(page).to_have_url(f"{live_server.base_url}/candidate")
    open_jobs = page.get_by_role("region", name="Open jobs")
    expect(open_jobs.get_by_text("Backend Engineer (Python)")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.base_url}/login")
    page.goto(f"{live_server.base_url}/candidate")
    expect(page).to_have_url(f"{live_server.base_url}/login?next=/candidate")


def test_wrong_password_shows_an_alert(page: Page, live_server: LiveServer) -> None:
    """A wrong password shows an alert and stays on the login page."""
    _login(page, live_server, "candidate@example.com", password="not it")
    expect(page.get_by_role("alert")).to_contain_text("wrong")


def test_login_works_with_the_keyboard_alone(page: Page, live_server: LiveServer) -> None:
    """Tab and Enter are enough to log in: the form is keyboard-usable."""
    page.goto(f"{live_server.base_url}/login")
    expect(page.get_by_label("E-mail")).to_be_focused()
    page.keyboard.type("recruiter@acme.example")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.base_url}/recruiter")


@pytest.mark.parametrize("width", [375, 1280])
def test_dashboard_fits_the_viewport(page: Page, live_server: LiveServer, width: int) -> None:
    """At 375 and 1280 px wide the dashboard has no horizontal scrolling."""
    page.set_viewport_size({"width": width, "height": 800})
    _login(page, live_server, "recruiter@acme.example")
    expect(page).to_have_url(f"{live_server.base_url}/recruiter")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width
