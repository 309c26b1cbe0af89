"""`hiresight grade CHALLENGE_DIR --patch PATCH [--json]`."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from typer.testing import CliRunner

from hiresight.grading.cli import app
from tests.challenges.factories import FIXTURES, JS_FIXTURE, PY_FIXTURE, fixture_challenge

runner = CliRunner()


def test_json_report_for_a_folder_patch() -> None:
    """--json prints the full report; the reference solution scores 100."""
    folder = FIXTURES / JS_FIXTURE
    result = runner.invoke(app, [str(folder), "--patch", str(folder / "solution"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["score"] == 100.0
    assert report["grader_version"]
    assert {b["id"] for b in report["bugs"]} == {"limit-clamp", "foreach-async"}


def test_table_for_a_diff_patch(tmp_path: Path) -> None:
    """A unified diff works as a patch; the table names each test and bug verdict."""
    ch = fixture_challenge(PY_FIXTURE)
    fixed = ch.src["inventory.py"].replace("start = page * size", "start = (page - 1) * size")
    diff = difflib.unified_diff(
        ch.src["inventory.py"].splitlines(keepends=True),
        fixed.splitlines(keepends=True),
        "a/src/inventory.py",
        "b/src/inventory.py",
    )
    patch = tmp_path / "fix.diff"
    patch.write_text("".join(diff))
    result = runner.invoke(app, [str(FIXTURES / PY_FIXTURE), "--patch", str(patch)])
    assert result.exit_code == 0, result.output
    assert "score 33.3/100" in result.output
    assert "bug page-offset (severity 1): fixed" in result.output
    assert "bug reserve-validation (severity 2): not fixed" in result.output


def test_escaping_patch_is_refused_with_code(tmp_path: Path) -> None:
    """A diff touching ../ exits 2 with the stable error code."""
    patch = tmp_path / "evil.diff"
    patch.write_text("--- /dev/null\n+++ b/../../etc/evil\n@@ -0,0 +1 @@\n+x\n")
    result = runner.invoke(app, [str(FIXTURES / PY_FIXTURE), "--patch", str(patch)])
    assert result.exit_code == 2
    assert "patch_path_escapes" in result.output
