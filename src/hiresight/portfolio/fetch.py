"""Optional: fetch a public GitHub repository's tarball and review it. Disabled by default.

Hiresight runs offline unless an operator opts in (HIRESIGHT_PORTFOLIO_GITHUB_ENABLED=true),
so candidates upload archives by default and nothing here runs in tests against the internet.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import httpx
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from hiresight.portfolio.archive import ArchiveLimits
from hiresight.portfolio.errors import (
    ArchiveTooLargeError,
    BadRepositoryReferenceError,
    FetchDisabledError,
    FetchFailedError,
)
from hiresight.portfolio.review import review_repository
from hiresight.portfolio.schemas import PortfolioReport

# GitHub's own rules: owners are 1-39 alphanumerics or single hyphens; repository names use
# letters, digits, `.`, `_` and `-`.
_REFERENCE = re.compile(
    r"^(?:https://github\.com/)?(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/"
    r"(?P<name>[A-Za-z0-9._-]{1,100}?)(?:\.git)?/?$"
)


class GitHubFetchSettings(BaseSettings):
    """Environment `HIRESIGHT_PORTFOLIO_GITHUB_*`: whether and how to fetch from GitHub."""

    model_config = SettingsConfigDict(env_prefix="HIRESIGHT_PORTFOLIO_GITHUB_", extra="ignore")

    enabled: bool = Field(False, description="Allow fetching public repositories from GitHub.")
    api_base: str = Field("https://api.github.com", description="GitHub REST API root.")
    token: SecretStr | None = Field(None, description="Optional token for higher rate limits.")
    timeout: float = Field(30.0, gt=0, description="Seconds allowed for the download.")


def parse_reference(reference: str) -> tuple[str, str]:
    """`owner/name` or a github.com URL -> (owner, name); anything else is refused."""
    match = _REFERENCE.match(reference.strip())
    if match is None or match["name"] in (".", ".."):
        raise BadRepositoryReferenceError(
            f"{reference!r} is not a GitHub repository: use owner/name or https://github.com/owner/name"
        )
    return match["owner"], match["name"]


def download_tarball(
    reference: str, dest: Path, settings: GitHubFetchSettings, limits: ArchiveLimits
) -> Path:
    """Stream the default branch's tarball to `dest`, stopping at the archive size limit."""
    if not settings.enabled:
        raise FetchDisabledError(
            "fetching from GitHub is disabled; upload a .zip or .tar.gz of the repository"
        )
    owner, name = parse_reference(reference)
    headers = {"Accept": "application/vnd.github+json"}
    if settings.token:
        headers["Authorization"] = f"Bearer {settings.token.get_secret_value()}"
    url = f"{settings.api_base.rstrip('/')}/repos/{owner}/{name}/tarball"
    written = 0
    try:
        # The API answers with a redirect to codeload.github.com, hence follow_redirects.
        with (
            httpx.stream(
                "GET", url, headers=headers, timeout=settings.timeout, follow_redirects=True
            ) as response,
            dest.open("wb") as out,
        ):
            if response.status_code != 200:
                raise FetchFailedError(
                    f"GitHub answered HTTP {response.status_code} for {owner}/{name} "
                    "(private, renamed or missing?)"
                )
            for chunk in response.iter_bytes():
                written += len(chunk)
                if written > limits.max_archive_bytes:
                    raise ArchiveTooLargeError(
                        f"{owner}/{name} is larger than {limits.max_archive_bytes} bytes"
                    )
                out.write(chunk)
    except httpx.HTTPError as exc:
        raise FetchFailedError(f"could not download {owner}/{name}: {type(exc).__name__}") from exc
    return dest


def review_github_repository(
    reference: str,
    settings: GitHubFetchSettings | None = None,
    *,
    archive_limits: ArchiveLimits | None = None,
) -> PortfolioReport:
    """Download a public repository's tarball (no history) and review it like an upload."""
    settings = settings or GitHubFetchSettings()
    limits = archive_limits or ArchiveLimits()
    with tempfile.TemporaryDirectory(prefix="hiresight-github-") as tmp:
        archive = download_tarball(reference, Path(tmp) / "repo.tar.gz", settings, limits)
        return review_repository(archive, archive_limits=limits)
