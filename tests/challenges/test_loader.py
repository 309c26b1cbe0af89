"""Loading challenge folders and the bank."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.challenges.errors import ChallengeError, ChallengeNotFoundError
from hiresight.challenges.loader import default_bank_root, load_bank, load_challenge
from tests.challenges.factories import FIXTURES, JS_FIXTURE, PY_FIXTURE, copy_fixture


def test_loads_every_tree_of_a_fixture() -> None:
    """src, tests, solution and visible_tests are read as text keyed by relative path."""
    ch = load_challenge(FIXTURES / PY_FIXTURE)
    assert ch.id == PY_FIXTURE
    assert set(ch.src) == {"inventory.py"} == set(ch.solution)
    assert set(ch.tests) == {"test_inventory.py"}
    assert set(ch.visible_tests) == {"test_visible.py"}
    assert ch.bug_for_test()["test_inventory.py::test_last_page_partial"] == "page-offset"


def test_load_bank_takes_a_root_argument() -> None:
    """The bank root is configurable; the fixtures folder is a bank of two."""
    assert [c.id for c in load_bank(FIXTURES)] == [JS_FIXTURE, PY_FIXTURE]


def test_default_root_is_repo_challenges_or_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the env var the default is <repo>/challenges; with it, the env value."""
    monkeypatch.delenv("HIRESIGHT_CHALLENGES_DIR", raising=False)
    assert default_bank_root() == Path(__file__).resolve().parents[2] / "challenges"
    monkeypatch.setenv("HIRESIGHT_CHALLENGES_DIR", "/somewhere")
    assert default_bank_root() == Path("/somewhere")


def test_folder_name_must_match_id(tmp_path: Path) -> None:
    """A renamed folder is refused with a message naming the id."""
    folder = copy_fixture(tmp_path, PY_FIXTURE)
    renamed = folder.rename(tmp_path / "other-name")
    with pytest.raises(ChallengeError, match="folder name must equal"):
        load_challenge(renamed)


def test_missing_manifest_and_src(tmp_path: Path) -> None:
    """No manifest -> challenge_not_found; no src/ -> a clear challenge_invalid."""
    with pytest.raises(ChallengeNotFoundError):
        load_challenge(tmp_path)
    folder = copy_fixture(tmp_path, PY_FIXTURE)
    for f in (folder / "src").iterdir():
        f.unlink()
    with pytest.raises(ChallengeError, match="src/ is missing or empty") as info:
        load_challenge(folder)
    assert info.value.code == "challenge_invalid"


def test_bad_toml_is_reported(tmp_path: Path) -> None:
    """A TOML syntax error is reported as invalid TOML, not a traceback."""
    folder = copy_fixture(tmp_path, PY_FIXTURE)
    (folder / "challenge.toml").write_text("id = \n")
    with pytest.raises(ChallengeError, match="invalid TOML"):
        load_challenge(folder)
