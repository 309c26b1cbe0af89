"""The bank's index by id: parsed once per bank folder, read again only when asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.challenges import loader
from hiresight.challenges.loader import challenge_index, load_bank
from hiresight.challenges.models import Challenge
from tests.challenges.factories import FIXTURES, JS_FIXTURE, PY_FIXTURE, copy_fixture


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Wrap the challenge parser; the returned list grows by one folder per parse."""
    parsed: list[Path] = []
    real = loader.load_challenge

    def counted(path: Path | str) -> Challenge:
        parsed.append(Path(path))
        return real(path)

    monkeypatch.setattr(loader, "load_challenge", counted)
    return parsed


def _bank(tmp_path: Path) -> Path:
    """A private bank of the two fixture challenges, not indexed yet."""
    copy_fixture(tmp_path, PY_FIXTURE)
    copy_fixture(tmp_path, JS_FIXTURE)
    return tmp_path


def test_two_lookups_parse_the_bank_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second call is served from the index: each challenge was parsed a single time."""
    bank = _bank(tmp_path)
    parsed = _count_parses(monkeypatch)
    first = challenge_index(bank)
    assert challenge_index(str(bank)) is first
    assert sorted(p.name for p in parsed) == [JS_FIXTURE, PY_FIXTURE]
    assert {k: v.model_dump() for k, v in first.items()} == {
        c.id: c.model_dump() for c in load_bank(bank)
    }


def test_each_bank_folder_has_its_own_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bank pointed elsewhere by HIRESIGHT_CHALLENGES_DIR is indexed on its own."""
    monkeypatch.setenv("HIRESIGHT_CHALLENGES_DIR", str(FIXTURES))
    assert sorted(challenge_index()) == [JS_FIXTURE, PY_FIXTURE]
    copy_fixture(tmp_path, PY_FIXTURE)
    monkeypatch.setenv("HIRESIGHT_CHALLENGES_DIR", str(tmp_path))
    assert sorted(challenge_index()) == [PY_FIXTURE]
    assert challenge_index()[PY_FIXTURE].root == (tmp_path / PY_FIXTURE).resolve()


def test_refresh_reads_a_challenge_added_since(tmp_path: Path) -> None:
    """Until asked to refresh, the index is the bank as first read."""
    copy_fixture(tmp_path, PY_FIXTURE)
    assert sorted(challenge_index(tmp_path)) == [PY_FIXTURE]
    copy_fixture(tmp_path, JS_FIXTURE)
    assert sorted(challenge_index(tmp_path)) == [PY_FIXTURE]
    assert sorted(challenge_index(tmp_path, refresh=True)) == [JS_FIXTURE, PY_FIXTURE]
    assert sorted(challenge_index(tmp_path)) == [JS_FIXTURE, PY_FIXTURE]


def test_the_index_is_read_only(tmp_path: Path) -> None:
    """No caller can change what the next caller is given."""
    index = challenge_index(_bank(tmp_path))
    with pytest.raises(TypeError):
        index[PY_FIXTURE] = index[JS_FIXTURE]  # type: ignore[index]
