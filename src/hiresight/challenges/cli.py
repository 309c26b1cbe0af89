"""`hiresight challenges list`: the challenge bank. The group is built by the root command,
with `check` from grading (checking a challenge grades it in the sandbox)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hiresight.challenges.errors import ChallengeError
from hiresight.challenges.loader import challenge_dirs, load_challenge

BankOption = Annotated[
    Path | None, typer.Option("--bank", help="Bank folder (default: the repository's challenges/).")
]


def list_command(bank: BankOption = None) -> None:
    """List the bank: id, language, difficulty and bug classes."""
    rows = [("id", "language", "difficulty", "bug classes")]
    for folder in challenge_dirs(bank):
        try:
            ch = load_challenge(folder)
        except ChallengeError as exc:
            rows.append((folder.name, "?", "?", f"invalid: {exc.code}"))
            continue
        classes = ", ".join(sorted({b.bug_class for b in ch.manifest.bugs}))
        rows.append((ch.id, ch.language, str(ch.manifest.difficulty), classes))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        typer.echo(
            "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True))
            + "  "
            + row[3]
        )
