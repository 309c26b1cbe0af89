"""`hiresight demo load`: the demo organizations, jobs and logins."""

from __future__ import annotations

import typer

from hiresight.cli_support import cli_errors, session_scope
from hiresight.demo import service
from hiresight.demo.service import DEMO_LOGINS

app = typer.Typer(help="Demo data.", no_args_is_help=True)


def print_logins() -> None:
    """Print the demo logins, one per role."""
    typer.echo(f"Demo logins (password for all: {DEMO_LOGINS[0].password}):")
    for login in DEMO_LOGINS:
        typer.echo(f"  {login.role:<10} {login.email}")


@app.command("load")
def load() -> None:
    """Load the demo data once (running it again changes nothing) and print the logins."""
    with cli_errors(), session_scope() as session:
        created = service.load(session)
    typer.echo("Demo data loaded." if created else "Demo data is already loaded.")
    print_logins()
