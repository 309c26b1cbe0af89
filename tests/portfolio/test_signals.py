"""CI, reproducible build and licence detection from a repository's files."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from hiresight.portfolio.signals import (
    find_ci,
    find_licence,
    find_reproducible_build,
    requirements_pinned,
)

from .factories import MIT, write


def _files(*names: str) -> list[PurePosixPath]:
    return [PurePosixPath(n) for n in names]


def test_ci_files_are_recognised() -> None:
    """Workflow YAML, GitLab, CircleCI and Jenkins files count; other YAML does not."""
    files = _files(
        ".github/workflows/ci.yml", ".github/workflows/README.md", ".gitlab-ci.yml",
        ".circleci/config.yml", "Jenkinsfile", "config/app.yml", "docs/.travis.yml",
    )  # fmt: skip
    assert find_ci(files) == [
        ".github/workflows/ci.yml",
        ".gitlab-ci.yml",
        ".circleci/config.yml",
        "Jenkinsfile",
    ]


@pytest.mark.parametrize(
    ("text", "pinned"),
    [
        ("flask==3.0.0\nrequests===2.31.0  # exact\n-r base.txt\n# comment\n", True),
        ("flask==3.0.0\nrequests>=2\n", False),
        ("flask\n", False),
        ("# only comments\n-e .\n", False),
        ("numpy==1.26.4 --hash=sha256:abc\n", True),
    ],
)
def test_requirements_pinned(text: str, pinned: bool) -> None:
    """Pinned means at least one entry and every entry uses == or ===."""
    assert requirements_pinned(text) is pinned


def test_reproducible_build_sources(tmp_path: Path) -> None:
    """Dockerfiles, lock files and pinned requirements count; loose requirements do not."""
    write(tmp_path, "requirements.txt", "flask==3.0.0\n")
    write(tmp_path, "requirements-dev.txt", "pytest\n")
    files = _files(
        "Dockerfile.prod", "web/package-lock.json", "requirements.txt", "requirements-dev.txt",
        "go.sum", "package.json",
    )  # fmt: skip
    assert find_reproducible_build(tmp_path, files) == [
        "Dockerfile.prod",
        "web/package-lock.json",
        "requirements.txt (pinned)",
        "go.sum",
    ]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("LICENSE", MIT, "LICENSE (MIT)"),
        ("LICENCE.md", "Apache License\nVersion 2.0, January 2004", "LICENCE.md (Apache-2.0)"),
        ("COPYING", "GNU GENERAL PUBLIC LICENSE\nVersion 3", "COPYING (GPL)"),
        ("LICENSE.txt", "All rights reserved.", "LICENSE.txt (licence text not recognised)"),
    ],
)
def test_licence_files_are_identified(tmp_path: Path, name: str, text: str, expected: str) -> None:
    """A root licence file is found and its kind named when recognisable."""
    write(tmp_path, name, text)
    assert find_licence(tmp_path, _files(name)) == expected


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("package.json", '{"name": "x", "license": "MIT"}', "declared in package.json: MIT"),
        ("pyproject.toml", '[project]\nlicense = {text = "BSD-3-Clause"}\n',
         "declared in pyproject.toml: BSD-3-Clause"),
        ("Cargo.toml", '[package]\nlicense = "MIT OR Apache-2.0"\n',
         "declared in Cargo.toml: MIT OR Apache-2.0"),
        ("package.json", "{not json", None),
    ],
)  # fmt: skip
def test_declared_licences(tmp_path: Path, name: str, text: str, expected: str | None) -> None:
    """Without a licence file, a licence declared in package metadata counts; bad files don't."""
    write(tmp_path, name, text)
    assert find_licence(tmp_path, _files(name)) == expected


def test_nested_licence_file_does_not_count(tmp_path: Path) -> None:
    """A LICENSE deep in a sub-folder (e.g. a copied library) is not the project's licence."""
    write(tmp_path, "lib/LICENSE", MIT)
    assert find_licence(tmp_path, _files("lib/LICENSE")) is None
