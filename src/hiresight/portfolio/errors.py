"""Errors a portfolio upload or path can cause, each with a stable `code`."""

from __future__ import annotations

from hiresight.errors import AppError


class PortfolioError(AppError):
    """Base class: the repository could not be reviewed."""

    code = "portfolio_error"


class RepositoryNotFoundError(PortfolioError):
    """The path does not exist."""

    status_code = 404
    code = "portfolio_path_not_found"


class BadArchiveError(PortfolioError):
    """The file is not a readable .zip or .tar(.gz) archive."""

    status_code = 422
    code = "portfolio_bad_archive"


class UnsafeArchiveError(PortfolioError):
    """The archive tries to write outside its folder (path traversal, escaping links, devices)."""

    status_code = 422
    code = "portfolio_unsafe_archive"


class ArchiveTooLargeError(PortfolioError):
    """The archive expands past the size or member-count limits (a likely zip/tar bomb)."""

    status_code = 413
    code = "portfolio_archive_too_large"


class FetchDisabledError(PortfolioError):
    """Fetching from GitHub is switched off (the default); upload an archive instead."""

    status_code = 403
    code = "portfolio_fetch_disabled"


class BadRepositoryReferenceError(PortfolioError):
    """The text is not `owner/name` or a https://github.com/owner/name URL."""

    status_code = 422
    code = "portfolio_bad_repository"


class FetchFailedError(PortfolioError):
    """GitHub could not be reached or did not return the repository's archive."""

    status_code = 502
    code = "portfolio_fetch_failed"


class PortfolioTooComplexError(PortfolioError):
    """Reviewing the archive took more CPU time, memory or wall-clock time than one may."""

    status_code = 422
    code = "portfolio_too_complex"
