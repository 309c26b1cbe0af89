"""The docs are checked: every setting and every CLI command appears in docs/operations.md."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command

from hiresight.cli import app
from hiresight.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
OPERATIONS = (ROOT / "docs" / "operations.md").read_text()


def test_every_setting_is_documented() -> None:
    """Each HIRESIGHT_* variable has a row in docs/operations.md."""
    missing = [n for n in Settings.model_fields if f"HIRESIGHT_{n.upper()}" not in OPERATIONS]
    assert missing == []


def test_every_command_is_documented() -> None:
    """Each `hiresight` command and sub-command is named in docs/operations.md."""
    missing = []

    def walk(cmd: object, prefix: str) -> None:
        subs = getattr(cmd, "commands", {})
        if not subs and f"`{prefix}" not in OPERATIONS:
            missing.append(prefix)
        for name, sub in subs.items():
            walk(sub, f"{prefix} {name}")

    walk(get_command(app), "hiresight")
    assert missing == []


def test_readme_first_screen_shows_the_two_commands() -> None:
    """The README's first lines hold `make run` and `make test`."""
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:15])
    assert "make run" in first_screen
    assert "make test" in first_screen
