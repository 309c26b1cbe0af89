"""Project hygiene signals read from the file list: CI, reproducible builds and a licence."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path, PurePosixPath

_CI_EXACT = frozenset(
    {
        ".gitlab-ci.yml", ".travis.yml", ".circleci/config.yml", "azure-pipelines.yml",
        "Jenkinsfile", "bitbucket-pipelines.yml", ".drone.yml", ".woodpecker.yml",
        "appveyor.yml", ".appveyor.yml", "cloudbuild.yaml", "buildspec.yml",
    }
)  # fmt: skip
_CI_FOLDERS = (".github/workflows", ".buildkite", ".woodpecker", ".gitlab/ci")

# Lock files record exact resolved versions, so a build today matches the author's build.
LOCK_FILES = frozenset(
    {
        "poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "package-lock.json",
        "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "Cargo.lock",
        "go.sum", "Gemfile.lock", "composer.lock", "gradle.lockfile", "packages.lock.json",
        "mix.lock", "pubspec.lock", "conda-lock.yml",
    }
)  # fmt: skip
_REQUIREMENTS = re.compile(r"^requirements[\w.-]*\.txt$", re.IGNORECASE)
_DOCKERFILE = re.compile(r"^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.dockerfile$", re.I)

_LICENCE_STEMS = frozenset({"license", "licence", "copying", "unlicense", "license-mit"})
_LICENCE_TEXTS = (
    ("MIT", re.compile(r"\bMIT License\b|Permission is hereby granted, free of charge", re.I)),
    ("Apache-2.0", re.compile(r"Apache License,?\s+Version 2\.0", re.I)),
    ("AGPL-3.0", re.compile(r"GNU AFFERO GENERAL PUBLIC LICENSE", re.I)),
    ("LGPL", re.compile(r"GNU LESSER GENERAL PUBLIC LICENSE", re.I)),
    ("GPL", re.compile(r"GNU GENERAL PUBLIC LICENSE", re.I)),
    ("MPL-2.0", re.compile(r"Mozilla Public License,?\s+(?:Version|v\.?)\s*2\.0", re.I)),
    ("BSD", re.compile(r"Redistribution and use in source and binary forms", re.I)),
    ("Unlicense", re.compile(r"free and unencumbered software released into the public", re.I)),
    ("ISC", re.compile(r"\bISC License\b", re.I)),
)


def find_ci(files: list[PurePosixPath]) -> list[str]:
    """CI configuration files (GitHub Actions, GitLab, CircleCI, Travis, Jenkins...)."""
    found = []
    for rel in files:
        posix = rel.as_posix()
        in_folder = any(posix.startswith(f + "/") for f in _CI_FOLDERS)
        if posix in _CI_EXACT or (in_folder and rel.suffix in (".yml", ".yaml")):
            found.append(posix)
    return found


def requirements_pinned(text: str) -> bool:
    """True when a requirements file has entries and every one is pinned with == (or ===)."""
    entries = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):  # comments and pip options (-r, -e, --hash)
            continue
        entries.append(line)
    return bool(entries) and all(re.search(r"===?\s*[\w.*+!-]+", e) for e in entries)


def find_reproducible_build(root: Path, files: list[PurePosixPath]) -> list[str]:
    """Dockerfiles, lock files and fully pinned requirements files that make builds repeatable."""
    found = []
    for rel in files:
        name = rel.name
        if _DOCKERFILE.search(name) or name in LOCK_FILES:
            found.append(rel.as_posix())
        elif _REQUIREMENTS.match(name):
            text = _read_small(root / rel)
            if text is not None and requirements_pinned(text):
                found.append(f"{rel.as_posix()} (pinned)")
    return found


def find_licence(root: Path, files: list[PurePosixPath]) -> str | None:
    """Evidence of a licence: a root licence file (identified when possible) or package metadata."""
    for rel in files:
        if len(rel.parts) == 1 and rel.stem.lower() in _LICENCE_STEMS:
            text = _read_small(root / rel) or ""
            kind = next((name for name, pattern in _LICENCE_TEXTS if pattern.search(text)), None)
            return f"{rel.as_posix()} ({kind or 'licence text not recognised'})"
    declared = _declared_licence(root)
    return f"declared in {declared[0]}: {declared[1]}" if declared else None


def _declared_licence(root: Path) -> tuple[str, str] | None:
    """A `license` field in package.json, pyproject.toml or Cargo.toml."""
    text = _read_small(root / "package.json")
    if text:
        try:
            value = json.loads(text).get("license")
        except (ValueError, AttributeError):
            value = None
        if isinstance(value, str) and value.strip():
            return "package.json", value.strip()
    for name, table in (("pyproject.toml", "project"), ("Cargo.toml", "package")):
        text = _read_small(root / name)
        if not text:
            continue
        try:
            section = tomllib.loads(text).get(table, {})
        except tomllib.TOMLDecodeError:
            continue
        value = section.get("license") if isinstance(section, dict) else None
        if isinstance(value, dict):  # PEP 621 table form: {text = "MIT"} or {file = "..."}
            value = value.get("text") or value.get("file")
        if isinstance(value, str) and value.strip():
            return name, value.strip()
    return None


def _read_small(path: Path, limit: int = 256 * 1024) -> str | None:
    """A small text file's contents; None if missing, a link, or too large."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > limit:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
