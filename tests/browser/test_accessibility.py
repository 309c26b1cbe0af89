"""Browser: axe-core finds no serious or critical accessibility violation on each role's main pages.

axe-core comes from npm (`make vendor` copies axe.min.js to the static vendor folder) and is
loaded from the server itself, since the pages' Content-Security-Policy refuses inline scripts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Error, Page, expect

from hiresight.demo.service import DEMO_PASSWORD
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

AXE_URL = "/static/vendor/axe.min.js"
BLOCKING = {"serious", "critical"}
USERS_DOCS = "/api/docs#/accounts/organization_users_api_v1_organizations_me_users_get"
AUDIT_DOCS = "/api/docs#/accounts/organization_audit_api_v1_organizations_me_audit_get"

Waived = Callable[[dict[str, Any], dict[str, Any]], bool]


def _nothing_waived(violation: dict[str, Any], node: dict[str, Any]) -> bool:
    return False


def _swagger_deep_links(violation: dict[str, Any], node: dict[str, Any]) -> bool:
    """Swagger UI renders each operation's deep link inside the operation's expand button
    (swagger-api/swagger-ui#9570, open upstream); the admin menu's Users and Audit items open
    those deep links, so they stay, and only this one rule on those buttons is let through."""
    return violation["id"] == "nested-interactive" and any(
        "opblock-summary-control" in str(part) for part in node["target"]
    )


def blocking_violations(page: Page, waived: Waived = _nothing_waived) -> list[str]:
    """Run axe-core on the page as shown; one line per serious or critical failing element."""
    try:
        page.add_script_tag(url=AXE_URL)
    except Error as exc:  # a 404 here means the front-end libraries were never copied
        pytest.fail(f"{AXE_URL} did not load ({exc}); run `make vendor`")
    violations: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['impact']} {v['id']} ({v['help']}): {node['target']} {node['html'][:120]}"
        for v in violations
        if v["impact"] in BLOCKING
        for node in v["nodes"]
        if not waived(v, node)
    ]


def _login(page: Page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.base_url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_the_checker_reports_a_known_violation(page: Page, live_server: LiveServer) -> None:
    """An image without a text alternative (axe: image-alt, critical) added to a clean page is
    reported, so an empty report means the pages passed, not that axe never ran."""
    page.goto(f"{live_server.base_url}/login")
    page.evaluate(
        "() => document.querySelector('main').appendChild(Object.assign("
        "document.createElement('img'), {src: '/static/favicon.svg', id: 'no-alt'}))"
    )
    found = blocking_violations(page)
    assert len(found) == 1, found
    assert found[0].startswith("critical image-alt")
    assert "#no-alt" in found[0]


def test_candidate_pages_have_no_serious_violations(page: Page, live_server: LiveServer) -> None:
    """Dashboard, profile, jobs, interviews, the instructions, the room before and during a
    stage (English items, the code review's editor), and the attempts table with a retake."""
    _login(page, live_server, "candidate@example.com")
    found: dict[str, list[str]] = {}
    for address in (
        "/candidate",
        "/candidate/profile",
        "/candidate/jobs-for-you",
        "/candidate/interviews",
        "/candidate/interviews/instructions",
    ):
        # "Jobs for you" may wait for the recommender's start-up warm-up on a busy machine.
        page.goto(f"{live_server.base_url}{address}", timeout=90_000)
        found[address] = blocking_violations(page)
    page.goto(f"{live_server.base_url}/candidate/interviews")
    page.get_by_role("button", name="Start the interview").click()
    expect(page).to_have_url(re.compile(r"/interview/\d+$"))
    expect(page.get_by_role("button", name="Start English")).to_be_visible()
    found["room"] = blocking_violations(page)
    page.get_by_role("button", name="Start English").click()
    expect(page.locator(".question input[type=radio]").first).to_be_visible()
    found["room: English"] = blocking_violations(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit and end this stage").click()
    expect(page.locator("#stage")).to_contain_text("This stage is submitted")
    page.get_by_role("button", name="Start Code review").click()
    expect(page.locator(".monaco-editor").first).to_be_visible()
    found["room: code review"] = blocking_violations(page)
    # The submitted English attempt now lists a retake button with its attempts left.
    page.goto(f"{live_server.base_url}/candidate/interviews")
    expect(page.get_by_role("button", name=re.compile("^Retake this stage"))).to_be_visible()
    found["interviews, after a stage"] = blocking_violations(page)
    problems = {k: v for k, v in found.items() if v}
    assert problems == {}, problems


def test_recruiter_pages_have_no_serious_violations(page: Page, live_server: LiveServer) -> None:
    """The jobs list, a job's console, an applicant's scorecard, and compare."""
    _login(page, live_server, "recruiter@acme.example")
    found = {"jobs": blocking_violations(page)}
    page.get_by_role("link", name="Backend Engineer (Python)").click()
    expect(page).to_have_url(re.compile(r"/recruiter/jobs/\d+$"))
    console = page.url
    found["console"] = blocking_violations(page)
    page.locator("a[href*='/scorecard']").first.click()
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    found["scorecard"] = blocking_violations(page)
    page.goto(f"{console}/compare")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    found["compare"] = blocking_violations(page)
    problems = {k: v for k, v in found.items() if v}
    assert problems == {}, problems


def test_admin_pages_have_no_serious_violations(page: Page, live_server: LiveServer) -> None:
    """Recommendations, and the users and audit operations the admin menu opens in the API docs."""
    _login(page, live_server, "admin@acme.example")
    page.goto(f"{live_server.base_url}/console/recommendations", timeout=90_000)
    found = {"recommendations": blocking_violations(page)}
    for name, address in (("users", USERS_DOCS), ("audit", AUDIT_DOCS)):
        page.goto(f"{live_server.base_url}{address}")
        expect(page.locator(".opblock.is-open")).to_be_visible()
        found[name] = blocking_violations(page, _swagger_deep_links)
    problems = {k: v for k, v in found.items() if v}
    assert problems == {}, problems
