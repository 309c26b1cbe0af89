"""Browser: the code-review stage: example tests to run, the diff at the first change, and one
score in the room and on the scorecard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hiresight.challenges.loader import load_bank
from hiresight.challenges.models import Challenge
from tests.browser.conftest import LiveServer
from tests.browser.steps import start_interview_as_new_candidate

pytestmark = pytest.mark.browser


def _candidate_in_code_review(page: Page, server: LiveServer, tmp_path: Path) -> Challenge:
    """Sign up, upload a résumé, start the interview and its code review; the challenge given."""
    start_interview_as_new_candidate(page, server, tmp_path, "Ada Review")
    page.get_by_role("button", name="Start Code review").click()
    expect(page.locator(".monaco-editor").first).to_be_visible()
    page.wait_for_function("window.hiresightRoom && window.hiresightRoom.models")
    state = page.evaluate(
        "fetch(location.pathname.replace('/interview/', '/api/v1/interviews/')).then(r => r.json())"
    )
    attempt = next(a for a in state["attempts"] if a["stage"] == "code_review")
    return next(c for c in load_bank() if c.id == attempt["content"]["challenge"]["id"])


def test_example_tests_can_be_run(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    """The Run button is there for the challenge this candidate gets, and it runs the examples."""
    challenge = _candidate_in_code_review(page, live_server, tmp_path)
    run = page.get_by_role("button", name="Run the example tests")
    expect(run).to_be_visible()
    page.evaluate(
        "files => { for (const [name, text] of Object.entries(files)) "
        "window.hiresightRoom.models[name].setValue(text); }",
        dict(challenge.solution),
    )
    run.click()
    expect(page.locator("#test-output")).to_contain_text("✔", timeout=30_000)
    expect(page.locator("#test-output")).not_to_contain_text("✘")


def test_diff_opens_at_the_first_change(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """A change near the end of the longest file: the diff scrolls to it, away from line 1."""
    challenge = _candidate_in_code_review(page, live_server, tmp_path)
    name = max(challenge.src, key=lambda n: len(challenge.src[n].splitlines()))
    lines = challenge.src[name].splitlines()
    assert len(lines) > 40, f"{challenge.id}: {name} is too short to scroll"
    changed = len(lines) - 1  # 1-based number of the line before the last
    page.get_by_role("tab", name=name).click()
    edited = [*lines]
    # A visible edit: the diff ignores whitespace at the ends of lines.
    edited[changed - 1] += "  # edited" if challenge.language == "python" else "  // edited"
    page.evaluate(
        "([name, text]) => window.hiresightRoom.models[name].setValue(text)",
        [name, "\n".join(edited) + "\n"],
    )
    page.get_by_label("Show my changes (diff)").check()
    page.wait_for_function(
        """line => {
          const diff = window.hiresightRoom.diffEditor();
          if (!diff || !(diff.getLineChanges() || []).length) return false;
          const ranges = diff.getModifiedEditor().getVisibleRanges();
          return ranges.some(r => r.startLineNumber <= line && line <= r.endLineNumber)
            && !ranges.some(r => r.startLineNumber <= 1);
        }""",
        arg=changed,
        timeout=10_000,
    )


def test_room_and_scorecard_show_the_same_score(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """The room's code-review score is the scorecard's: the stage's stored score, rounded alike."""
    challenge = _candidate_in_code_review(page, live_server, tmp_path)
    page.evaluate(
        "files => { for (const [name, text] of Object.entries(files)) "
        "window.hiresightRoom.models[name].setValue(text); }",
        dict(challenge.solution),
    )
    bug = challenge.manifest.bugs[0]
    page.get_by_label("From line").fill(str(bug.lines[0]))
    page.get_by_label("To line").fill(str(bug.lines[1]))
    page.get_by_label("Bug class").select_option(bug.bug_class)
    page.get_by_role("button", name="Add flag").click()
    page.get_by_label("Explain each fix").fill(bug.explanation.problem)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit and end this stage").click()
    result = page.locator("#grade-result")
    expect(result).to_contain_text(re.compile(r"score \d+$"), timeout=90_000)
    room = int(re.findall(r"score (\d+)$", result.inner_text())[0])
    stored = page.evaluate(
        "fetch(location.pathname.replace('/interview/', '/api/v1/interviews/'))"
        ".then(r => r.json()).then(s => s.attempts.find(a => a.stage === 'code_review').score)"
    )
    assert room == int(stored + 0.5)
    page.goto(f"{live_server.base_url}/candidate/scorecard")
    heading = page.locator("h2", has_text="Code review:")
    expect(heading).to_have_text(f"Code review: {room}")
