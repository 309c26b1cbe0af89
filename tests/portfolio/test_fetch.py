"""The optional GitHub fetcher, against a fake GitHub on 127.0.0.1 (never the real one)."""

from __future__ import annotations

import io
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from hiresight.portfolio import ArchiveLimits, ArchiveTooLargeError
from hiresight.portfolio.cli import app
from hiresight.portfolio.errors import (
    BadRepositoryReferenceError,
    FetchDisabledError,
    FetchFailedError,
)
from hiresight.portfolio.fetch import (
    GitHubFetchSettings,
    parse_reference,
    review_github_repository,
)

from .factories import make_model_repo


def _tarball(tmp: Path) -> bytes:
    repo = make_model_repo(tmp / "acme-demo-abc123", with_git=False)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tf:
        tf.add(repo, arcname=repo.name)
    return buffer.getvalue()


@pytest.fixture
def fake_github(tmp_path: Path) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A fake API that redirects /repos/acme/demo/tarball to a tarball, 404s anything else."""
    payload = _tarball(tmp_path)
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append({"path": self.path, "auth": self.headers.get("Authorization")})
            if self.path == "/repos/acme/demo/tarball":
                self.send_response(302)
                self.send_header("Location", "/codeload/acme/demo/tar.gz/main")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/codeload/acme/demo/tar.gz/main":
                self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _settings(api_base: str, **kwargs: Any) -> GitHubFetchSettings:
    return GitHubFetchSettings(enabled=True, api_base=api_base, **kwargs)


def test_fetch_follows_redirect_and_reviews(fake_github: tuple[str, list[dict[str, Any]]]) -> None:
    """An enabled fetch downloads via the redirect and reviews the tree (no history: n/a)."""
    base, seen = fake_github
    report = review_github_repository("acme/demo", _settings(base, token=SecretStr("ghp_x")))
    assert report.score == 100
    assert report.source == "archive"
    assert report.git is None
    assert [s["path"] for s in seen] == [
        "/repos/acme/demo/tarball",
        "/codeload/acme/demo/tar.gz/main",
    ]
    assert seen[0]["auth"] == "Bearer ghp_x"


def test_disabled_by_default_makes_no_request(
    fake_github: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the default settings the fetcher refuses before any network call."""
    monkeypatch.delenv("HIRESIGHT_PORTFOLIO_GITHUB_ENABLED", raising=False)
    base, seen = fake_github
    with pytest.raises(FetchDisabledError) as info:
        review_github_repository("acme/demo", GitHubFetchSettings(api_base=base))
    assert info.value.code == "portfolio_fetch_disabled"
    assert seen == []


def test_missing_repository_is_fetch_failed(fake_github: tuple[str, list[dict[str, Any]]]) -> None:
    """A 404 from GitHub raises FetchFailedError naming the status."""
    base, _ = fake_github
    with pytest.raises(FetchFailedError, match="HTTP 404"):
        review_github_repository("acme/nothing", _settings(base))


def test_download_size_limit(fake_github: tuple[str, list[dict[str, Any]]]) -> None:
    """A tarball bigger than max_archive_bytes is cut off while streaming."""
    base, _ = fake_github
    with pytest.raises(ArchiveTooLargeError):
        review_github_repository(
            "acme/demo", _settings(base), archive_limits=ArchiveLimits(max_archive_bytes=100)
        )


def test_unreachable_api_is_fetch_failed() -> None:
    """A closed port raises FetchFailedError rather than an httpx exception."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    with pytest.raises(FetchFailedError, match="could not download"):
        review_github_repository("acme/demo", _settings(f"http://127.0.0.1:{port}"))


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("acme/demo", ("acme", "demo")),
        ("https://github.com/acme/demo.git", ("acme", "demo")),
        ("https://github.com/a-b/c.d_e/", ("a-b", "c.d_e")),
    ],
)
def test_parse_reference_accepts(reference: str, expected: tuple[str, str]) -> None:
    """owner/name and github.com URLs (with .git or a trailing slash) are accepted."""
    assert parse_reference(reference) == expected


@pytest.mark.parametrize(
    "reference",
    [
        "acme",
        "http://github.com/acme/demo",
        "https://evil.com/acme/demo",
        "acme/..",
        "a/b/c",
        "-x/y",
    ],
)
def test_parse_reference_refuses(reference: str) -> None:
    """Other hosts, plain http, path tricks and malformed names are refused."""
    with pytest.raises(BadRepositoryReferenceError):
        parse_reference(reference)


def test_cli_review_github_disabled_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """`review-github` without the opt-in prints portfolio_fetch_disabled and exits 2."""
    monkeypatch.delenv("HIRESIGHT_PORTFOLIO_GITHUB_ENABLED", raising=False)
    result = CliRunner().invoke(app, ["review-github", "acme/demo"])
    assert result.exit_code == 2
    assert "Error (portfolio_fetch_disabled)" in result.stderr


def test_cli_review_github_enabled(
    fake_github: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the environment opt-in and API root set, `review-github` prints the score."""
    base, _ = fake_github
    monkeypatch.setenv("HIRESIGHT_PORTFOLIO_GITHUB_ENABLED", "true")
    monkeypatch.setenv("HIRESIGHT_PORTFOLIO_GITHUB_API_BASE", base)
    result = CliRunner().invoke(app, ["review-github", "acme/demo"])
    assert result.exit_code == 0, result.output
    assert "Portfolio score: 100/100" in result.output
