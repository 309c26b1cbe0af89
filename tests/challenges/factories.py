"""Factories for challenge folders: copies of the fixture challenges, optionally broken."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hiresight.challenges.loader import load_challenge
from hiresight.challenges.models import Challenge

FIXTURES = Path(__file__).parent / "fixtures"
PY_FIXTURE = "py-fixture-inventory"
JS_FIXTURE = "js-fixture-users"


def fixture_challenge(name: str) -> Challenge:
    """Load a fixture challenge in place (read-only use)."""
    return load_challenge(FIXTURES / name)


def copy_fixture(tmp_path: Path, name: str) -> Path:
    """A private copy of a fixture challenge that a test may edit."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def edit(path: Path, old: str, new: str, *, count: int = 1) -> None:
    """Replace text in a file of a copied challenge, failing loudly if `old` is absent."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count))


def set_manifest_value(folder: Path, pattern: str, replacement: str) -> None:
    """Regex-edit challenge.toml (first match)."""
    manifest = folder / "challenge.toml"
    text, n = re.subn(pattern, replacement, manifest.read_text(), count=1)
    assert n == 1, f"{pattern!r} not in the manifest"
    manifest.write_text(text)
