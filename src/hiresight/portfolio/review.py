"""`review_repository`: the scored portfolio checklist for a directory or an uploaded archive."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Literal

from hiresight.portfolio import checks
from hiresight.portfolio.archive import ArchiveLimits, extract_archive
from hiresight.portfolio.errors import RepositoryNotFoundError
from hiresight.portfolio.history import (
    GIT_TIMEOUT_SECONDS,
    read_git_activity,
    sanitise_untrusted_git,
)
from hiresight.portfolio.inventory import ScanLimits, scan
from hiresight.portfolio.readme import analyse_readme
from hiresight.portfolio.schemas import PortfolioReport
from hiresight.portfolio.signals import find_ci, find_licence, find_reproducible_build

# Stored with every report: bump it whenever a check, a threshold or a weight changes, so old
# and new scores are never compared as if they meant the same.
REVIEW_VERSION = "portfolio-review@1.0.0"


def review_repository(
    path: Path | str,
    *,
    archive_limits: ArchiveLimits | None = None,
    scan_limits: ScanLimits | None = None,
    git_timeout: float = GIT_TIMEOUT_SECONDS,
) -> PortfolioReport:
    """Review a repository folder, or a .zip/.tar(.gz) of one extracted safely to a temp dir."""
    path = Path(path)
    if not path.exists():
        raise RepositoryNotFoundError(f"no such file or folder: {path}")
    if path.is_dir():
        return review_directory(path, scan_limits=scan_limits, git_timeout=git_timeout)
    with tempfile.TemporaryDirectory(prefix="hiresight-portfolio-") as tmp:
        root = extract_archive(path, Path(tmp), archive_limits)
        sanitise_untrusted_git(root)
        return review_directory(
            root, source="archive", scan_limits=scan_limits, git_timeout=git_timeout
        )


def review_directory(
    root: Path,
    *,
    source: Literal["directory", "archive"] = "directory",
    scan_limits: ScanLimits | None = None,
    git_timeout: float = GIT_TIMEOUT_SECONDS,
) -> PortfolioReport:
    """Score the repository checked out (or extracted) at `root`."""
    inventory = scan(root, scan_limits)
    readout = read_git_activity(root, timeout=git_timeout)
    results = [
        *checks.readme_checks(analyse_readme(root)),
        *checks.suite_checks(inventory),
        *checks.hygiene_checks(
            find_ci(inventory.files),
            find_reproducible_build(root, inventory.files),
            find_licence(root, inventory.files),
            inventory,
        ),
        *checks.history_checks(readout),
    ]
    return PortfolioReport(
        version=REVIEW_VERSION,
        source=source,
        score=checks.overall_score(results),
        checks=results,
        languages=sorted(inventory.languages.values(), key=lambda s: (-s.lines, s.language)),
        total_files=len(inventory.files),
        total_lines=inventory.total_lines,
        tests=inventory.tests,
        git=readout.activity,
        notes=inventory.notes + ([readout.note] if readout.note else []),
    )
