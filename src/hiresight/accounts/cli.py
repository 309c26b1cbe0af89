"""`hiresight users create-token`: API tokens from the command line (`users create` signs
candidates up with their profile, so it is `profiles.cli`'s; `hiresight.cli` joins the two)."""

from __future__ import annotations

from typing import Annotated

import typer

from hiresight.accounts import service
from hiresight.cli_support import cli_errors, session_scope
from hiresight.errors import NotFoundError


def create_token_command(
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
    name: Annotated[str, typer.Option(help="A label for the token.")] = "cli",
) -> None:
    """Create a bearer API token for a user and print it once."""
    with cli_errors(), session_scope() as session:
        user = service.get_by_email(session, email=email)
        if user is None:
            raise NotFoundError(f"No user with e-mail {email}.")
        token, _record = service.create_api_token(session, user=user, name=name)
        typer.echo(token)
