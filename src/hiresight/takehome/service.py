"""Take-home operations on paths: check an assignment, evaluate a submission.

A submission is a folder, an archive (.zip, .tar.gz) or a `git bundle` (which keeps history).
An archive is extracted as the portfolio reviewer extracts uploads (zip-slip, links, bombs and
size limits refused with clear errors), a bundle cloned without hooks or foreign config, into
a temporary folder removed afterwards.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from hiresight.portfolio.archive import ArchiveLimits, extract_archive
from hiresight.portfolio.errors import ArchiveTooLargeError, BadArchiveError
from hiresight.portfolio.history import sanitise_untrusted_git
from hiresight.takehome.assignment import open_assignment
from hiresight.takehome.check import check_assignment
from hiresight.takehome.errors import SubmissionNotFoundError
from hiresight.takehome.evaluate import evaluate_submission
from hiresight.takehome.schemas import CheckReport, EvaluationReport

# A take-home repository is code plus a small report; data it needs comes from the input.
SUBMISSION_LIMITS = ArchiveLimits(
    max_archive_bytes=50 * 1024 * 1024,
    max_members=5000,
    max_total_bytes=100 * 1024 * 1024,
    max_member_bytes=50 * 1024 * 1024,
)


def check(*, path: Path) -> CheckReport:
    """Check an assignment folder or archive."""
    with open_assignment(path) as assignment:
        return check_assignment(assignment)


def evaluate(
    *,
    assignment: Path,
    submission: Path,
    repeat: bool = True,
    tests: bool = True,
    baselines: bool = True,
) -> EvaluationReport:
    """Evaluate a submission folder or archive (.zip, .tar.gz) against an assignment."""
    with open_assignment(assignment) as spec:
        if submission.is_dir():
            return evaluate_submission(
                spec, submission, repeat=repeat, tests=tests, baselines=baselines
            )
        if not submission.is_file():
            raise SubmissionNotFoundError(f"no submission folder or archive at {submission}")
        with tempfile.TemporaryDirectory(prefix="hiresight-submission-") as tmp:
            if submission.suffix == ".bundle":
                root = clone_bundle(submission, Path(tmp) / "repo")
            else:
                root = extract_archive(submission, Path(tmp), SUBMISSION_LIMITS)
            sanitise_untrusted_git(root)
            return evaluate_submission(
                spec, root, repeat=repeat, tests=tests, baselines=baselines, source="archive"
            )


GIT_TIMEOUT_SECONDS = 30.0


def clone_bundle(bundle: Path, dest: Path) -> Path:
    """Clone a `git bundle` into `dest` (history kept), with no user, system or hook config."""
    size = bundle.stat().st_size
    if size > SUBMISSION_LIMITS.max_archive_bytes:
        raise ArchiveTooLargeError(
            f"the bundle is {size} bytes; the limit is {SUBMISSION_LIMITS.max_archive_bytes}"
        )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(dest.parent),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
    }
    argv = [
        "git", "-c", "core.hooksPath=/dev/null", "-c", "protocol.allow=never",
        "-c", "protocol.file.allow=always", "clone", "--quiet", str(bundle.resolve()), str(dest),
    ]  # fmt: skip
    try:
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=GIT_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BadArchiveError(f"the git bundle cannot be read: {exc}") from exc
    if done.returncode != 0:
        raise BadArchiveError(f"the git bundle cannot be read: {done.stderr.strip()[:300]}")
    total = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file() and not p.is_symlink())
    if total > SUBMISSION_LIMITS.max_total_bytes:
        raise ArchiveTooLargeError(
            f"the cloned bundle holds more than {SUBMISSION_LIMITS.max_total_bytes} bytes"
        )
    return dest
