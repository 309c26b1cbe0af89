"""`hiresight demo load`: the demo organizations, jobs and logins."""

from __future__ import annotations

from typing import Annotated

import typer

from hiresight.cli_support import cli_errors, load_settings, session_scope
from hiresight.demo import service
from hiresight.demo.service import DEMO_LOGINS
from hiresight.matching.operations import train_from_database
from hiresight.matching.registry import ModelRegistry

app = typer.Typer(help="Demo data.", no_args_is_help=True)


def print_logins() -> None:
    """Print the demo logins, one per role."""
    typer.echo(f"Demo logins (password for all: {DEMO_LOGINS[0].password}):")
    for login in DEMO_LOGINS:
        typer.echo(f"  {login.role:<10} {login.email}")


@app.command("load")
def load(
    market: Annotated[
        bool,
        typer.Option(
            help="Also load a simulated job market (six employers, 60 jobs, 40 candidates, two "
            "months of feed engagement) and train the recommender on it."
        ),
    ] = True,
) -> None:
    """Load the demo data once (running it again changes nothing) and print the logins."""
    settings = load_settings()
    with cli_errors(), session_scope() as session:
        created = service.load(session)
        if created and market:
            summary = service.load_market(session)
            typer.echo(
                f"Simulated market: {summary.jobs} jobs at {summary.organizations} employers, "
                f"{summary.candidates} candidates, {summary.lists} recommendation lists "
                f"({summary.events} events)."
            )
            report = train_from_database(
                session, ModelRegistry(settings.data_dir / "models"),
                min_engaged=settings.recs_min_engaged,
            )  # fmt: skip
            typer.echo(
                f"Recommender: model {report.version or '-'} "
                f"{'promoted' if report.promoted else 'not promoted'} ({report.reason})."
            )
    typer.echo("Demo data loaded." if created else "Demo data is already loaded.")
    print_logins()
