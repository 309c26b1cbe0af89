"""Steps many browser tests take before the part they check: a new candidate signs up, uploads
a résumé, applies to a job, and enters the interview room through the notice."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.notice import agree_to_the_notice
from tests.profiles.factories import SAMPLE_TXT

# One counter for the whole run: every test module signs up on the same session server, so
# e-mails must differ across modules, not only within one.
_seq = itertools.count()


def sign_up_candidate(page: Page, server: LiveServer, name: str) -> str:
    """Sign up a new candidate under a fresh e-mail and wait for their dashboard; the e-mail."""
    email = f"new-candidate{next(_seq)}@example.com"
    page.goto(f"{server.base_url}/signup")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("a long password")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(f"{server.base_url}/candidate")
    return email


def upload_resume(page: Page, server: LiveServer, path: Path) -> None:
    """Upload the résumé at `path` from the profile page and wait until it is stored."""
    page.goto(f"{server.base_url}/candidate/profile")
    page.get_by_label("Résumé file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and parse").click()
    expect(page.get_by_role("status").first).to_contain_text("uploaded")


def sign_up_with_resume(
    page: Page, server: LiveServer, tmp_path: Path, name: str = "Zoë Çelik"
) -> None:
    """Sign up a new candidate and upload the sample résumé (the interview draws on it)."""
    sign_up_candidate(page, server, name)
    resume = tmp_path / "resume.txt"
    resume.write_text(SAMPLE_TXT)
    upload_resume(page, server, resume)


def apply_to(page: Page, job: str) -> None:
    """From the candidate's dashboard, apply to `job` and wait until it is listed."""
    page.get_by_role("button", name=f"Apply to {job}").click()
    expect(page.get_by_role("region", name="Your applications")).to_contain_text(job)


def start_interview(page: Page, server: LiveServer) -> None:
    """Start the interview from the interviews page, agree to the notice, and reach the room."""
    page.goto(f"{server.base_url}/candidate/interviews")
    page.get_by_role("button", name="Start the interview").click()
    agree_to_the_notice(page)
    expect(page).to_have_url(re.compile(r"/interview/\d+$"))


def start_interview_as_new_candidate(
    page: Page, server: LiveServer, tmp_path: Path, name: str = "Zoë Çelik"
) -> None:
    """A new candidate with the sample résumé, in the room of their first interview."""
    sign_up_with_resume(page, server, tmp_path, name)
    start_interview(page, server)
