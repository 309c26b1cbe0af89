"""The `hiresight` command: help everywhere, config masking, migrations, demo data, users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from hiresight.cli import app
from hiresight.settings import get_settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own data directory and freshly read settings."""
    monkeypatch.setenv("HIRESIGHT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HIRESIGHT_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _all_command_paths() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(cmd: object, prefix: list[str]) -> None:
        paths.append(prefix)
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*prefix, name])

    walk(get_command(app), [])
    return paths


def test_every_command_has_help() -> None:
    """`--help` works on every command and sub-command."""
    paths = _all_command_paths()
    assert ["users", "create-token"] in paths
    assert ["db", "upgrade"] in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)


def test_config_masks_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """`hiresight config` prints settings with the secret key masked."""
    monkeypatch.setenv("HIRESIGHT_SECRET_KEY", "very-secret-value-123")
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 0
    assert "HIRESIGHT_SECRET_KEY" in result.output
    assert "very-secret-value-123" not in result.output


def test_config_reports_invalid_settings_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production with the default secret exits 2 with a message, not a traceback."""
    monkeypatch.setenv("HIRESIGHT_ENV", "production")
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 2
    assert "HIRESIGHT_SECRET_KEY" in result.output
    assert "Traceback" not in result.output


def test_db_upgrade_then_demo_load_is_idempotent(data_dir: Path) -> None:
    """The demo loads once; a second run changes nothing and prints the same logins."""
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(app, ["demo", "load"])
    second = runner.invoke(app, ["demo", "load"])
    assert first.exit_code == second.exit_code == 0
    assert "Demo data loaded." in first.output
    # The simulated market's engagement trains a ranker that beats the content ranker.
    assert "Simulated market: 60 jobs at 6 employers, 40 candidates" in first.output
    assert "Recommender: model v0001 promoted" in first.output
    assert (data_dir / "models" / "LIVE").read_text().strip() == "v0001"
    assert "already loaded" in second.output
    for login in ("recruiter@acme.example", "admin@acme.example", "candidate@example.com"):
        assert login in second.output
    assert (data_dir / "hiresight.db").exists()


def test_users_create_and_token(data_dir: Path) -> None:
    """`users create` makes a recruiter in a new org; `create-token` prints a bearer token."""
    runner.invoke(app, ["db", "upgrade"])
    r = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "r@x.example",
            "--password",
            "longenough",
            "--role",
            "recruiter",
            "--org",
            "Initech",
        ],
    )
    assert r.exit_code == 0, r.output
    t = runner.invoke(app, ["users", "create-token", "r@x.example"])
    assert t.exit_code == 0
    assert t.output.strip().startswith("hs_")


def test_users_create_duplicate_is_a_clear_error(data_dir: Path) -> None:
    """A duplicate e-mail exits 1 with the stable error code, not a traceback."""
    runner.invoke(app, ["db", "upgrade"])
    args = ["users", "create", "--email", "c@x.example", "--password", "longenough"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "email_taken" in again.output


def test_create_token_for_unknown_user(data_dir: Path) -> None:
    """A token for an unknown e-mail exits 1 with a clear message."""
    runner.invoke(app, ["db", "upgrade"])
    r = runner.invoke(app, ["users", "create-token", "ghost@x.example"])
    assert r.exit_code == 1
    assert "No user" in r.output


def test_staff_need_an_org() -> None:
    """A recruiter without --org is refused with a usage error."""
    r = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "r@x.example",
            "--password",
            "longenough",
            "--role",
            "recruiter",
        ],
    )
    assert r.exit_code == 2
    assert "--org" in r.output
