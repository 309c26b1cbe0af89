"""Every challenge in the real bank (challenges/) passes the checker."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.grading.checker import check_path
from hiresight.challenges.loader import challenge_dirs


@pytest.mark.slow
@pytest.mark.parametrize("folder", challenge_dirs(), ids=lambda p: p.name)
def test_bank_challenge_is_valid(folder: Path) -> None:
    """Schema, tests, fixes and bug independence hold for this bank challenge."""
    result = check_path(folder)
    assert result.ok, "\n".join(f"[{p.code}] {p.message}" for p in result.problems)
