"""Looking up a code-review challenge by id for grading."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.challenges import loader
from hiresight.challenges.models import Challenge
from hiresight.errors import AppError
from hiresight.interviews.grading import challenge_by_id
from tests.challenges.factories import JS_FIXTURE, PY_FIXTURE, copy_fixture


@pytest.fixture
def parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A bank of one fixture challenge, not indexed yet, and the ids parsed from it so far."""
    copy_fixture(tmp_path, PY_FIXTURE)
    monkeypatch.setenv("HIRESIGHT_CHALLENGES_DIR", str(tmp_path))
    seen: list[str] = []
    real = loader.load_challenge

    def counted(path: Path | str) -> Challenge:
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(loader, "load_challenge", counted)
    return seen


def test_two_lookups_parse_the_bank_once(parsed: list[str]) -> None:
    """The same challenge twice, one parse."""
    first = challenge_by_id(PY_FIXTURE)
    assert challenge_by_id(PY_FIXTURE) is first
    assert first.id == PY_FIXTURE
    assert parsed == [PY_FIXTURE]


def test_an_unknown_id_is_still_challenge_missing(parsed: list[str]) -> None:
    """An id not in the bank raises the same error as before the index."""
    with pytest.raises(AppError) as info:
        challenge_by_id("no-such-challenge")
    assert info.value.code == "challenge_missing"
    assert info.value.status_code == 500
    assert info.value.message == "This challenge is no longer in the bank."


def test_a_challenge_added_after_indexing_is_found(tmp_path: Path, parsed: list[str]) -> None:
    """A lookup that misses reads the bank again before giving up."""
    challenge_by_id(PY_FIXTURE)
    copy_fixture(tmp_path, JS_FIXTURE)
    assert challenge_by_id(JS_FIXTURE).id == JS_FIXTURE
