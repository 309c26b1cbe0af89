"""`hiresight challenges ...`: check and list the challenge bank."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hiresight.challenges.checker import check_path
from hiresight.challenges.errors import ChallengeError
from hiresight.challenges.loader import challenge_dirs, load_challenge

app = typer.Typer(help="The code-review challenge bank.", no_args_is_help=True)

BankOption = Annotated[
    Path | None, typer.Option("--bank", help="Bank folder (default: the repository's challenges/).")
]


@app.command("check")
def check_command(
    dirs: Annotated[
        list[Path] | None, typer.Argument(help="Challenge folders (default: whole bank).")
    ] = None,
    bank: BankOption = None,
) -> None:
    """Validate challenges: schema, tests, fixes and bug independence; exit 1 if any is invalid."""
    folders = list(dirs) if dirs else challenge_dirs(bank)
    if not folders:
        typer.echo("No challenges found.", err=True)
        raise typer.Exit(1)
    failed = 0
    for folder in folders:
        result = check_path(folder)
        verdict = "ok" if result.ok else "INVALID"
        typer.echo(
            f"{verdict:8} {result.challenge_id}  ({result.sandbox_runs} runs, "
            f"slowest {result.slowest_run_ms:.0f} ms)"
        )
        for problem in result.problems:
            typer.echo(f"         - [{problem.code}] {problem.message}")
        failed += not result.ok
    typer.echo(f"{len(folders) - failed} valid, {failed} invalid")
    if failed:
        raise typer.Exit(1)


@app.command("list")
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
