"""Browser: the profile page after an upload: no re-upload on reload, the dashboard headline
from the newest résumé, current skills, side roles outside the total, a name in capitals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.steps import sign_up_candidate, upload_resume
from tests.profiles.factories import SAMPLE_TXT

pytestmark = pytest.mark.browser

# Listed oldest first, with a lectureship beside the current full-time job: 2014-01 – 2017-12
# and 2018-01 – today are main work; the lectureship (2012-09 – today) overlaps it and adds
# nothing, although it began earlier.
AMARA = """AMARA OKAFOR
Lagos, Nigeria | amara@example.com

EXPERIENCE
Adjunct Lecturer, University of Lagos — Sep 2012 – Present
• Taught an evening course on databases.

Junior Developer, Interswitch — Jan 2014 – Dec 2017
• Built Django views in Python.

Engineering Lead, Paystack — Jan 2018 – Present
• Led six engineers building payment services in Go on PostgreSQL.

SKILLS
Go, PostgreSQL, Python, Django
"""


def test_reloading_after_an_upload_does_not_upload_again(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """The upload lands on the profile page by a redirect; reloading it keeps one version."""
    sign_up_candidate(page, live_server, "Amara Okafor")
    resume = tmp_path / "zoe.txt"
    resume.write_text(SAMPLE_TXT)
    upload_resume(page, live_server, resume)
    expect(page).to_have_url(f"{live_server.base_url}/candidate/profile?uploaded=1")
    expect(page.get_by_role("status")).to_contain_text("Résumé version 1 uploaded and parsed.")
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("Résumé version 1 uploaded and parsed.")
    expect(page.get_by_text(re.compile(r"^1 version$"))).to_be_visible()
    page.get_by_text("1 version").click()
    expect(page.locator("details li", has_text="zoe.txt")).to_have_count(1)


def test_newest_resume_heads_the_dashboard_with_current_skills(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """A second résumé listed oldest first, with a lectureship on top: the dashboard names its
    current full-time role, the name in capitals is the name, the lectureship adds nothing to
    the total, and the current role's skills carry a "current" tag."""
    sign_up_candidate(page, live_server, "Amara Okafor")
    first = tmp_path / "first.txt"
    first.write_text(SAMPLE_TXT)
    upload_resume(page, live_server, first)
    expect(page.get_by_role("status")).to_contain_text("Résumé version 1 uploaded")
    second = tmp_path / "amara.txt"
    second.write_text(AMARA)
    upload_resume(page, live_server, second)
    expect(page.get_by_role("status")).to_contain_text("Résumé version 2 uploaded")

    contact = page.locator("section", has=page.get_by_role("heading", name="Contact"))
    expect(contact.locator("dd").first).to_have_text("AMARA OKAFOR")
    experience = page.get_by_role("heading", name=re.compile(r"^Experience"))
    months = int(
        page.evaluate("() => { const d = new Date(); return d.getFullYear() * 12 + d.getMonth(); }")
    )
    expected_years = round((months - (2014 * 12) + 1) / 12, 1)  # 2014-01 – today, no gap
    expect(experience).to_contain_text(f"{expected_years} years in total")

    skills = page.locator(
        "section", has=page.get_by_role("heading", name="Skills and their evidence")
    )
    for name in ("Go", "PostgreSQL"):
        row = skills.get_by_role("row").filter(
            has=page.get_by_role("cell", name=re.compile(f"^{name} "))
        )
        expect(row.locator(".badge-current")).to_have_text("current")
    for name in ("Python", "Django"):
        row = skills.get_by_role("row").filter(
            has=page.get_by_role("cell", name=re.compile(f"^{name} "))
        )
        expect(row.locator(".badge-current")).to_have_count(0)

    page.goto(f"{live_server.base_url}/candidate")
    profile = page.locator("section", has=page.get_by_role("heading", name="Your profile"))
    expect(profile).to_contain_text("Engineering Lead at Paystack")
