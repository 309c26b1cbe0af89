"""Portfolio review: a scored checklist for a candidate's code repository (directory or archive).

report = review_repository(Path("project.zip"))
report.score, [c.name for c in report.checks if not c.passed]
"""

from hiresight.portfolio.archive import ArchiveLimits, extract_archive
from hiresight.portfolio.errors import (
    ArchiveTooLargeError,
    BadArchiveError,
    BadRepositoryReferenceError,
    FetchDisabledError,
    FetchFailedError,
    PortfolioError,
    RepositoryNotFoundError,
    UnsafeArchiveError,
)
from hiresight.portfolio.fetch import GitHubFetchSettings, review_github_repository
from hiresight.portfolio.review import REVIEW_VERSION, review_directory, review_repository
from hiresight.portfolio.schemas import (
    CheckResult,
    GitActivity,
    LanguageStat,
    PortfolioReport,
    TestStats,
)

__all__ = [
    "REVIEW_VERSION",
    "ArchiveLimits",
    "ArchiveTooLargeError",
    "BadArchiveError",
    "BadRepositoryReferenceError",
    "CheckResult",
    "FetchDisabledError",
    "FetchFailedError",
    "GitActivity",
    "GitHubFetchSettings",
    "LanguageStat",
    "PortfolioError",
    "PortfolioReport",
    "RepositoryNotFoundError",
    "TestStats",
    "UnsafeArchiveError",
    "extract_archive",
    "review_directory",
    "review_github_repository",
    "review_repository",
]
