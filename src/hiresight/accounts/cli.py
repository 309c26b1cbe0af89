"""`hiresight users ...`: create users and API tokens from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import select

from hiresight.accounts import service
from hiresight.accounts.models import Organization, Role
from hiresight.cli_support import cli_errors, session_scope
from hiresight.errors import AppError, NotFoundError

app = typer.Typer(help="Create users and API tokens.", no_args_is_help=True)


def _usable_email(value: str) -> str:
    """Refuse, before the password prompt, an address the API could not show (e.g. x@y.test)."""
    try:
        return service.checked_email(value)
    except AppError as exc:
        raise typer.BadParameter(exc.message) from exc


@app.command("create")
def create(
    email: Annotated[
        str,
        typer.Option(help="The user's e-mail address (their login).", callback=_usable_email),
    ],
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, help="At least 8 characters, and not a common one."
        ),
    ],
    name: Annotated[str, typer.Option(help="Full name.")] = "",
    role: Annotated[Role, typer.Option(help="candidate, recruiter or admin.")] = Role.candidate,
    org: Annotated[
        str, typer.Option(help="Organization slug (or new name) for recruiters and admins.")
    ] = "",
) -> None:
    """Create a user; recruiters and admins join (or create) the organization --org."""
    with cli_errors(), session_scope() as session:
        full_name = name or email.split("@")[0]
        if role is Role.candidate:
            # The same sign-up as the API and the sign-up page: same rules, same profile.
            user = service.sign_up_candidate(
                session, email=email, full_name=full_name, password=password
            )
        else:
            if not org:
                raise typer.BadParameter("recruiters and admins need --org", param_hint="--org")
            found = session.scalar(select(Organization).where(Organization.slug == org))
            user = service.create_user(
                session,
                email=email,
                full_name=full_name,
                password=password,
                role=role,
                organization_id=(found or service.create_organization(session, name=org)).id,
            )
        typer.echo(f"Created {role.value} {user.email} (id {user.id}).")


@app.command("create-token")
def create_token(
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
