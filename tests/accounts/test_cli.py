"""`hiresight users create`: it refuses what the API could not show or would not accept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from hiresight.accounts import service
from hiresight.cli import app
from hiresight.cli_support import session_scope
from hiresight.profiles.models import CandidateProfile
from hiresight.settings import get_settings

runner = CliRunner()


def _text(output: str) -> str:
    """The output's words, without the box drawing and line wrapping of usage errors."""
    return " ".join(output.replace("│", " ").split())


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own migrated SQLite database and freshly read settings."""
    monkeypatch.setenv("HIRESIGHT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HIRESIGHT_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    yield tmp_path
    get_settings.cache_clear()


@pytest.mark.parametrize("email", ["x@y.test", "admin@localhost", "a@b.local", "not-an-address"])
def test_a_reserved_or_invalid_address_is_refused_before_the_password(email: str) -> None:
    """An address the API would refuse exits 2 with the reason, before any password prompt."""
    r = runner.invoke(app, ["users", "create", "--email", email])
    assert r.exit_code == 2
    assert "not a usable e-mail address" in _text(r.output)
    assert "Password" not in r.output


def test_a_common_password_is_refused(data_dir: Path) -> None:
    """A common password exits 1 with the weak_password code, not a stored user."""
    args = ["users", "create", "--email", "c@x.example", "--password", "password1"]
    r = runner.invoke(app, args)
    assert r.exit_code == 1
    assert "weak_password" in r.output
    assert runner.invoke(app, ["users", "create-token", "c@x.example"]).exit_code == 1


def test_a_usable_address_is_stored_lowercase() -> None:
    """A normal address is accepted and stored trimmed and lowercase."""
    args = ["users", "create", "--email", " Ada@X.example ", "--password", "longenough"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "ada@x.example" in r.output


def test_a_candidate_is_signed_up_like_through_the_api() -> None:
    """A candidate made here gets their profile, and a taken address is refused with the API's
    email_taken code and message."""
    args = ["users", "create", "--email", "cand@x.example", "--password", "longenough"]
    assert runner.invoke(app, [*args, "--name", "Cand Idate"]).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "email_taken" in again.output
    assert "An account with this e-mail address exists." in _text(again.output)
    with session_scope() as session:
        user = service.get_by_email(session, email="cand@x.example")
        assert user is not None
        assert user.full_name == "Cand Idate"
        assert session.scalar(
            select(CandidateProfile.id).where(CandidateProfile.user_id == user.id)
        )
