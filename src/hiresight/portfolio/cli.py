"""`hiresight portfolio review PATH`: score a repository folder or archive from the shell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from hiresight.portfolio.errors import PortfolioError
from hiresight.portfolio.fetch import review_github_repository
from hiresight.portfolio.review import review_repository
from hiresight.portfolio.schemas import PortfolioReport

app = typer.Typer(help="Review candidates' code portfolios.", no_args_is_help=True)


@app.callback()
def _portfolio() -> None:
    """Review candidates' code portfolios."""  # keeps `review` a sub-command when mounted


@app.command("review")
def review(
    path: Annotated[Path, typer.Argument(help="A repository folder or a .zip/.tar.gz of one.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
) -> None:
    """Score README, tests, CI, reproducible build, licence, size and commit history."""
    _run(lambda: review_repository(path), as_json=as_json)


@app.command("review-github")
def review_github(
    reference: Annotated[str, typer.Argument(help="owner/name or https://github.com/owner/name")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
) -> None:
    """Fetch a public GitHub repository and review it (needs HIRESIGHT_PORTFOLIO_GITHUB_ENABLED)."""
    _run(lambda: review_github_repository(reference), as_json=as_json)


def _run(action: Callable[[], PortfolioReport], *, as_json: bool) -> None:
    try:
        report = action()
    except PortfolioError as exc:
        # Exit 2, like a usage error: the problem is the input the user gave.
        typer.secho(f"Error ({exc.code}): {exc.message}", err=True, fg="red")
        raise typer.Exit(2) from exc
    typer.echo(report.model_dump_json(indent=2) if as_json else render_text(report))


def render_text(report: PortfolioReport) -> str:
    """A plain-text checklist for the terminal."""
    lines = [f"Portfolio score: {report.score}/100  ({report.version}, {report.source})", ""]
    for check in report.checks:
        mark = "PASS" if check.passed else ("n/a " if check.max == 0 else "FAIL")
        lines.append(
            f"  [{mark}] {check.name:<26} {check.points:>2}/{check.max:<2}  {check.evidence}"
        )
    languages = ", ".join(f"{s.language} {s.lines}" for s in report.languages) or "none"
    lines += ["", f"Files: {report.total_files}  Lines of code: {report.total_lines} ({languages})"]
    if report.git is not None and report.git.commits:
        first = report.git.first_commit.date() if report.git.first_commit else "?"
        last = report.git.last_commit.date() if report.git.last_commit else "?"
        lines.append(
            f"History: {report.git.commits} commits, {report.git.authors} author(s), "
            f"{first} to {last}, {report.git.active_weeks} active week(s)"
        )
    lines += [f"Note: {note}" for note in report.notes]
    return "\n".join(lines)
