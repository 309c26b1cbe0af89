"""The terminal practice interview, driven through a pseudo-terminal as a person would."""

from __future__ import annotations

import os
import re
import sys
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


def _spawn(env: dict[str, str], stages: str) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "hiresight.cli", "interview", "--practice", "--stages", stages],
        env=env,
        encoding="utf-8",
        timeout=90,
    )
    child.expect("Email")
    child.sendline("candidate@example.com")
    child.expect("Password")
    child.sendline("hiresight-demo")
    return child


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
    child.sendline(f"{bug.file}:{bug.lines[0]}-{bug.lines[1]} {bug.bug_class}")
    child.sendline("")
    child.expect("Explain each fix")
    child.sendline(bug.explanation.problem)
    child.sendline(".")
    total = len(challenge.manifest.bugs)
    child.expect(f"Bugs fixed: {total} of {total}", timeout=120)
    child.expect(pexpect.EOF)


def test_terminal_refuses_non_practice() -> None:
    """Without --practice the command explains that the terminal runs practice only."""
    result = CliRunner().invoke(app, ["interview", "--email", "x@example.com", "--password", "x"])
    assert result.exit_code == 2
    assert "--practice" in result.output
