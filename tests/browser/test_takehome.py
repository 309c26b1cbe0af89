"""Browser: the demo candidate downloads the take-home's brief and uploads a version; the
recruiter opens the evaluated versions and sees the metric table against the baseline."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hiresight.demo.service import DEMO_PASSWORD
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
NAIVE = Path(__file__).resolve().parents[2] / "takehomes" / "next-item" / "solutions" / "naive"


def _login(page: Page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.base_url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _naive_zip(tmp_path: Path) -> Path:
    out = tmp_path / "naive.zip"
    with zipfile.ZipFile(out, "w") as zf:
        for path in sorted(NAIVE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, path.relative_to(NAIVE).as_posix())
    return out


def test_candidate_uploads_and_recruiter_sees_the_metric_table(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    _login(page, live_server, "candidate@example.com")
    page.goto(f"{live_server.base_url}/candidate/takehomes")
    expect(page.get_by_role("heading", name="Next job prediction")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the brief and public data (.zip)").click()
    with zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes())) as zf:
        names = zf.namelist()
    assert "brief.md" in names
    assert any(n.startswith("public/") for n in names)
    assert not any(n.startswith(("hidden/", "solutions/", "baselines/")) for n in names)

    page.get_by_label("Your repository (.zip, .tar.gz or git bundle)").set_input_files(
        _naive_zip(tmp_path)
    )
    page.get_by_role("button", name="Upload a version").click()
    expect(page.locator("#upload-notice")).to_contain_text("Version 2 uploaded")
    page.get_by_role("button", name="Log out").click()

    _login(page, live_server, "recruiter@acme.example")
    page.goto(f"{live_server.base_url}/recruiter/takehomes")
    page.get_by_role("link", name="v1 (evaluated)").click()
    table = page.locator("#metric-table")
    expect(table).to_contain_text("submission")
    expect(table).to_contain_text("baseline: popularity")
    expect(table).to_contain_text("ndcg@10")
    expect(page.locator("#kit")).to_contain_text("popularity baseline")

    # The uploaded version is evaluated in the background; its table appears when done.
    for _ in range(60):
        page.goto(f"{live_server.base_url}/recruiter/takehomes")
        if page.get_by_role("link", name="v2 (evaluated)").count():
            break
        page.wait_for_timeout(2000)
    page.get_by_role("link", name="v2 (evaluated)").click()
    expect(page.locator("#metric-table")).to_contain_text("baseline: popularity")
    page.get_by_role("button", name="Show diff").click()
    expect(page.get_by_role("heading", name="Changes from v1")).to_be_visible()
