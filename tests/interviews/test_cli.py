"""The terminal practice interview, driven through a pseudo-terminal as a person would."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from hiresight.challenges.loader import load_bank
from hiresight.cli import app

pytestmark = pytest.mark.slow


@pytest.fixture
def demo_env(tmp_path: Path) -> dict[str, str]:
    """A migrated data directory with the demo data, as environment variables."""
    env = {**os.environ, "HIRESIGHT_DATA_DIR": str(tmp_path), "HIRESIGHT_LOG_LEVEL": "ERROR"}
    env.pop("HIRESIGHT_DATABASE_URL", None)
    env.pop("EDITOR", None)
    for args in (["db", "upgrade"], ["demo", "load"]):
        pexpect.run(f"{sys.executable} -m hiresight.cli {' '.join(args)}", env=env, timeout=120)
    return env


def _spawn(env: dict[str, str], stages: str, *args: str) -> pexpect.spawn:
    options = ["--stages", stages] if stages else []
    child = pexpect.spawn(
        sys.executable,
        ["-m", "hiresight.cli", "interview", "--practice", *options, *args],
        env=env,
        encoding="utf-8",
        timeout=90,
    )
    child.expect("Email")
    child.sendline("candidate@example.com")
    child.expect("Password")
    child.sendline("hiresight-demo")
    return child


def _wait_until_reading(child: pexpect.spawn) -> None:
    """Wait until the program is back in a read: Ctrl-C flushes the terminal's input queue,
    so a line it had not read yet would be lost before it reached the program."""
    time.sleep(0.3)  # the pty hands a written line to the reader asynchronously
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if Path(f"/proc/{child.pid}/wchan").read_text() == "wait_woken":
            return
        time.sleep(0.05)
    raise AssertionError("the program never went back to reading its input")


def test_behavioural_practice_shows_a_model_outline(demo_env: dict[str, str]) -> None:
    """A STAR answer typed at the prompt is saved and followed by the model-answer outline."""
    child = _spawn(demo_env, "behavioral")
    child.expect(r"== Behavioral · \d+:\d\d left ==")
    child.expect("finish with a line containing only")
    child.sendline("I led the migration; incidents fell by 40% in a year.")
    child.sendline(".")
    child.expect(r"Score: \d+")
    child.expect("A strong answer would cover:")
    child.expect("Practice interview complete.")
    child.expect(pexpect.EOF)


def test_code_review_in_the_terminal_is_graded(demo_env: dict[str, str]) -> None:
    """The candidate edits files in a folder; the patch is graded in the sandbox."""
    child = _spawn(demo_env, "code_review")
    child.expect(r"The code is in (\S+)\. Edit the files there")
    workdir = Path(child.match.group(1))
    title = re.search(r"\n(.+) \((python|javascript)\)\r?\n", child.before or "")
    assert title is not None
    challenge = next(c for c in load_bank() if c.manifest.title == title.group(1).strip())
    for name, text in challenge.solution.items():
        (workdir / name).write_text(text)
    child.sendline("")
    child.expect("Flag the bugs")
    bug = challenge.manifest.bugs[0]
    where = f"{bug.file}:{bug.lines[0]}-{bug.lines[1]}"
    child.sendline(f"{where} {bug.bug_class[:-1]}")  # a near miss: the last letter lost
    child.expect(f"Did you mean '{bug.bug_class}'\\? Type the line again.")
    child.sendline(f"{where} {bug.bug_class}")
    child.sendline("")
    child.expect("Explain each fix")
    child.sendline(bug.explanation.problem)
    child.sendline(".")
    total = len(challenge.manifest.bugs)
    child.expect(f"Bugs fixed: {total} of {total}", timeout=120)
    child.expect(pexpect.EOF)
    # The solution fixes every bug; only the first was flagged, as its class.
    result = (child.before or "").splitlines()
    found = [line.strip() for line in result if "✔ found" in line]
    assert len(found) == total
    assert not [line for line in result if "✘ missed" in line]
    first = f"✔ found the {bug.bug_class} bug in {bug.file}"
    assert any(
        line.startswith(first) and line.endswith("fixed, flagged as its class") for line in found
    )
    assert sum("hint:" in line for line in result) == total - 1


def test_ctrl_c_says_what_was_saved_and_the_resume_command_carries_on(
    demo_env: dict[str, str],
) -> None:
    """Ctrl-C in the middle of an answer saves the lines typed, says so with the exact command
    that resumes; that command shows the saved text and finishes the stage."""
    child = _spawn(demo_env, "behavioral")
    child.expect(r"Practice session #(\d+)")
    session_id = child.match.group(1)
    child.expect("finish with a line containing only")
    child.sendline("I led the migration of our billing service.")
    _wait_until_reading(child)
    child.sendintr()
    child.expect("Saved in the behavioral stage: 1 answer.")
    child.expect(r"The stage stays open until \d\d:\d\d UTC")
    command = f"hiresight interview --practice --resume {session_id} --email candidate@example.com"
    child.expect_exact(command)
    child.expect(f"/interview/{session_id}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    resumed = _spawn(demo_env, "", *command.split()[3:5])
    resumed.expect(f"Resuming session #{session_id}: 1 stage\\(s\\) to take")
    resumed.expect("Saved so far:")
    resumed.expect("I led the migration of our billing service.")
    resumed.sendline("Incidents fell by 40% in a year.")
    resumed.sendline(".")
    resumed.expect(r"Score: \d+")
    resumed.expect("Practice interview complete.")
    resumed.expect(pexpect.EOF)


def test_terminal_refuses_non_practice() -> None:
    """Without --practice the command explains that the terminal runs practice only."""
    result = CliRunner().invoke(app, ["interview", "--email", "x@example.com", "--password", "x"])
    assert result.exit_code == 2
    assert "--practice" in result.output


def test_a_resumed_session_keeps_its_stages() -> None:
    """--resume carries on a session as it was: choosing stages again is refused."""
    login = ["--email", "x@example.com", "--password", "x"]
    result = CliRunner().invoke(
        app, ["interview", "--practice", "--resume", "3", "--stages", "behavioral", *login]
    )
    assert result.exit_code == 2
    assert "a resumed session keeps its stages" in result.output
