"""Every challenge in the real bank (challenges/) passes the checker."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.challenges.loader import challenge_dirs, load_challenge
from hiresight.grading.checker import check_path
from hiresight.grading.discovery import discover


@pytest.mark.slow
@pytest.mark.parametrize("folder", challenge_dirs(), ids=lambda p: p.name)
def test_bank_challenge_is_valid(folder: Path) -> None:
    """Schema, tests, fixes and bug independence hold for this bank challenge."""
    result = check_path(folder)
    assert result.ok, "\n".join(f"[{p.code}] {p.message}" for p in result.problems)


@pytest.mark.parametrize("folder", challenge_dirs(), ids=lambda p: p.name)
def test_bank_challenge_has_example_tests(folder: Path) -> None:
    """Every bank challenge ships example tests, so the room always offers the Run button."""
    challenge = load_challenge(folder)
    assert discover(challenge.language, challenge.visible_tests), folder.name
