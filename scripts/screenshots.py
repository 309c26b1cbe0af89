"""Screenshots of the demo's main pages for the candidate, the recruiter and the admin.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--base-url URL]

Without --base-url it serves a fresh demo (migrate, `hiresight demo load`, `hiresight serve`)
from a temporary folder and stops it at the end. The demo candidate starts the interview,
answers the behavioural stage, opens the code review, then their "Your data" page; the demo
recruiter then opens the "Backend Engineer (Python)" console (once that answer is scored), the
candidate's scorecard and the job's pipeline board; the demo admin last opens the fairness
audit, the audit log, and the webhooks and API keys pages, adding one endpoint and one key so
that their tables are not empty. Each page is shot at 1280x800 in Debian's Chromium
(`make test` installs it); see docs/screenshots.md.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from playwright.sync_api import Page, ViewportSize, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
PASSWORD = "hiresight-demo"
CANDIDATE = "candidate@example.com"
RECRUITER = "recruiter@acme.example"
ADMIN = "admin@acme.example"
JOB = "Backend Engineer (Python)"
ANSWER = (
    "Situation: our nightly export timed out every week as the customer base grew. Task: I owned "
    "making it finish within the hour. Action: I streamed rows in pages, added an index on the "
    "join column and wrote a load test for ten times today's data. Result: the export now takes "
    "twelve minutes and has not timed out in six months."
)
# An address under example.com (RFC 2606): deliveries to it can never reach anyone.
WEBHOOK_URL = "https://ats.example.com/hooks/hiresight"
SHOTS = (
    "interview-room.png",
    "your-data.png",
    "job-console.png",
    "scorecard.png",
    "pipeline.png",
    "fairness.png",
    "audit-log.png",
    "webhooks.png",
    "api-keys.png",
)


@contextmanager
def demo_server(ready_within: float = 180) -> Iterator[str]:
    """A fresh demo database served on a free loopback port; yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="hiresight-shots-") as data, socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        env = {**os.environ, "HIRESIGHT_DATA_DIR": data, "HIRESIGHT_PORT": str(port)}
        env["HIRESIGHT_LOG_LEVEL"] = "WARNING"
        env.pop("HIRESIGHT_DATABASE_URL", None)
        cli = [sys.executable, "-m", "hiresight.cli"]
        for step in (["db", "upgrade"], ["demo", "load"]):
            subprocess.run([*cli, *step], env=env, check=True, capture_output=True)
        log = Path(data, "server.log")
        with log.open("wb") as out:
            server = subprocess.Popen(
                [*cli, "serve"], env=env, stdout=out, stderr=subprocess.STDOUT
            )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + ready_within
            while not _ready(base):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the demo server did not start: {log.read_text()[-2000:]}")
                time.sleep(0.5)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _login(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _shoot(page: Page, path: Path) -> None:
    # The pointer is parked away from the page so that no hover style is caught.
    page.mouse.move(0, 0)
    page.screenshot(path=str(path))
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


def _open(page: Page, base: str, address: str, heading: str) -> None:
    """Go to `address` and wait for its first heading (an error page has another)."""
    page.goto(f"{base}{address}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def candidate_side(page: Page, base: str, out: Path) -> None:
    """Start the interview, answer the behavioural stage, open the code review and shoot it;
    then the candidate's "Your data" page."""
    _login(page, base, CANDIDATE)
    page.goto(f"{base}/candidate/interviews")
    page.get_by_role("button", name="Start the interview").click()
    expect(page).to_have_url(re.compile(r"/interview/\d+$"))
    page.get_by_role("button", name="Start Behavioural").click()
    page.locator("#stage textarea").first.fill(ANSWER)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit and end this stage").click()
    expect(page.locator("#stage")).to_contain_text("This stage is submitted")
    page.get_by_role("button", name="Start Code review").click()
    expect(page.locator(".monaco-editor").first).to_be_visible()
    page.wait_for_timeout(500)  # Monaco paints its tokens just after it appears
    page.evaluate("window.scrollTo(0, 0)")  # the room's header, timer and stages first
    _shoot(page, out / "interview-room.png")
    _open(page, base, "/candidate/privacy", "Your data")
    _shoot(page, out / "your-data.png")
    page.get_by_role("button", name="Log out").click()


def recruiter_side(page: Page, base: str, out: Path, scored_within: float = 180) -> None:
    """The job console once the candidate's answer is scored, the candidate's scorecard, and
    the job's pipeline board."""
    _login(page, base, RECRUITER)
    page.get_by_role("link", name=JOB).click()
    expect(page.get_by_role("heading", name="Funnel")).to_be_visible()
    scorecard = page.locator("a[href*='/scorecard']").first
    deadline = time.monotonic() + scored_within
    # Scoring runs in the background; the first answer also loads the scoring models.
    while _score_of(page, "behavioral") == "—" and time.monotonic() < deadline:
        page.wait_for_timeout(2000)
        page.reload()
    # The applicants' table, with the funnel and histograms just above it.
    page.get_by_role("heading", name="Candidates").evaluate("h => h.scrollIntoView()")
    _shoot(page, out / "job-console.png")
    console = page.url
    scorecard.click()
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    _shoot(page, out / "scorecard.png")
    page.goto(console)
    page.get_by_role("link", name="Open the pipeline board").click()
    expect(page.get_by_role("heading", name=f"{JOB}: pipeline")).to_be_visible()
    # The funnel, then the board's columns with the demo applicant's card.
    page.get_by_role("heading", name="Funnel per stage").evaluate("h => h.scrollIntoView()")
    _shoot(page, out / "pipeline.png")


def admin_side(page: Page, base: str, out: Path) -> None:
    """The fairness audit and the audit log as they are, then the webhooks and API keys pages
    after adding one endpoint and one key (shown again, without the copy-once secret)."""
    _login(page, base, ADMIN)
    _open(page, base, "/admin/fairness", "Fairness audit")
    _shoot(page, out / "fairness.png")
    _open(page, base, "/admin/audit", "Audit log")
    # The entries, below the search form.
    page.get_by_role("heading", name="Entries").evaluate("h => h.scrollIntoView()")
    _shoot(page, out / "audit-log.png")
    _open(page, base, "/admin/webhooks", "Webhooks")
    page.get_by_label("URL (http or https)").fill(WEBHOOK_URL)
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.locator("#webhook-secret")).to_be_visible()
    _open(page, base, "/admin/webhooks", "Webhooks")
    expect(page.get_by_role("cell", name=WEBHOOK_URL, exact=True)).to_be_visible()
    _shoot(page, out / "webhooks.png")
    _open(page, base, "/admin/api-keys", "API keys")
    page.get_by_label("Name").fill("Greenhouse")
    page.get_by_role("button", name="Make key").click()
    expect(page.locator("#new-key")).to_be_visible()
    _open(page, base, "/admin/api-keys", "API keys")
    expect(page.get_by_role("cell", name="Greenhouse", exact=True)).to_be_visible()
    _shoot(page, out / "api-keys.png")


def _score_of(page: Page, stage: str) -> str:
    """The first applicant's score in a stage's column of the console ("—" until scored)."""
    heads = [h.strip() for h in page.locator(".console-table thead th").all_inner_texts()]
    cells = page.locator(".console-table tbody tr").first.get_by_role("cell").all_inner_texts()
    return cells[heads.index(stage)].strip()


def take(base: str, out: Path) -> list[Path]:
    """Shoot the pages in SHOTS from a running demo server into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for side in (candidate_side, recruiter_side, admin_side):
                context = browser.new_context(viewport=VIEWPORT)
                context.set_default_timeout(30_000)
                side(context.new_page(), base, out)
                context.close()
        finally:
            browser.close()
    return [out / name for name in SHOTS]


def main(argv: list[str] | None = None) -> int:
    """Parse the options, serve the demo unless given a server, and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--base-url", help="a running server with fresh demo data")
    args = parser.parse_args(argv)
    expect.set_options(timeout=30_000)
    if args.base_url:
        take(args.base_url.rstrip("/"), args.out)
    else:
        with demo_server() as base:
            take(base, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
