"""Browser: a candidate uploads a résumé, reviews the parsed profile and corrects it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.steps import sign_up_candidate
from tests.profiles.factories import SAMPLE_TXT, pdf_bytes

pytestmark = pytest.mark.browser


def test_upload_review_and_correct(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    """Upload a PDF résumé, see roles and evidence, remove a skill and fix a role's dates."""
    sign_up_candidate(page, live_server, "Zoë Çelik")
    page.get_by_role("link", name="Upload your résumé").click()
    resume = tmp_path / "zoe.pdf"
    resume.write_bytes(pdf_bytes(SAMPLE_TXT.splitlines()))
    page.get_by_label("Résumé file").set_input_files(str(resume))
    page.get_by_role("button", name="Upload and parse").click()
    expect(page.get_by_role("status")).to_contain_text("Résumé version 1 uploaded")
    expect(page.get_by_role("heading", name="Senior Backend Engineer at Paylane")).to_be_visible()
    expect(page.get_by_role("cell", name="Kubernetes devops")).to_be_visible()

    page.get_by_role("button", name="Remove React").click()
    expect(page.get_by_role("status")).to_contain_text("Correction saved.")
    expect(page.get_by_role("button", name="Remove React")).to_have_count(0)

    role = page.locator("article.role", has_text="Trendyol")
    role.get_by_text("Fix this role").click()
    role.get_by_label("Start (YYYY-MM)").fill("2017-09")
    role.get_by_role("button", name="Save role").click()
    expect(page.locator("article.role", has_text="Trendyol")).to_contain_text("Sep 2017")


def test_bad_file_is_explained(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    """A PDF named .docx is refused with a clear alert and nothing is stored."""
    sign_up_candidate(page, live_server, "Zoë Çelik")
    page.goto(f"{live_server.base_url}/candidate/profile")
    wrong = tmp_path / "cv.docx"
    wrong.write_bytes(pdf_bytes(["Experience", "Engineer at Initech"]))
    page.get_by_label("Résumé file").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload and parse").click()
    expect(page.get_by_role("alert")).to_contain_text("but its content is PDF")
    expect(page.get_by_text("Upload a résumé to see what we read from it.")).to_be_visible()


def test_recruiter_sees_the_demo_applicants_evidence(page: Page, live_server: LiveServer) -> None:
    """The demo recruiter opens the demo applicant and sees skills with their sources."""
    page.goto(f"{live_server.base_url}/login")
    page.get_by_label("E-mail").fill("recruiter@acme.example")
    page.get_by_label("Password").fill("hiresight-demo")
    page.get_by_role("button", name="Log in").click()
    applicant = page.get_by_role("listitem").filter(has_text="Chidi Candidate")
    applicant.get_by_role("link", name="profile").click()
    expect(page.get_by_role("heading", name="Skills and their evidence")).to_be_visible()
    expect(page.get_by_role("cell", name="FastAPI framework")).to_be_visible()
