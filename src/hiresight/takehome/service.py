"""Take-home operations on paths: check an assignment, evaluate a submission (folder or archive).

A submission archive is extracted as the portfolio reviewer extracts uploads (zip-slip, links,
bombs and size limits refused with clear errors) into a temporary folder, removed afterwards.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hiresight.portfolio.archive import ArchiveLimits, extract_archive
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
            root = extract_archive(submission, Path(tmp), SUBMISSION_LIMITS)
            return evaluate_submission(spec, root, repeat=repeat, tests=tests, baselines=baselines)
