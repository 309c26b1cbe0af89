"""Helpers shared by the CLI commands: a transaction on the configured database, clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from hiresight.db import create_db_engine, make_session_factory, transaction
from hiresight.errors import AppError
from hiresight.settings import Settings, get_settings


def load_settings() -> Settings:
    """The settings, or a clear message and exit code 2 when they are invalid."""
    try:
        return get_settings()
    except ValidationError as exc:
        typer.secho(f"Configuration error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction on the configured database, committed when the block succeeds."""
    engine = create_db_engine(load_settings().effective_database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn a user error into a one-line message and exit code 1, never a traceback."""
    try:
        yield
    except AppError as exc:
        typer.secho(f"Error ({exc.code}): {exc.message}", err=True, fg="red")
        raise typer.Exit(1) from exc
