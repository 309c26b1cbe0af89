"""Helpers shared by the CLI commands: the composition root, a transaction on its database,
clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from sqlalchemy import MetaData
from sqlalchemy.orm import Session

from hiresight import models
from hiresight.db import transaction
from hiresight.errors import AppError
from hiresight.runtime import Root, root_for
from hiresight.settings import Settings, get_settings


def load_settings() -> Settings:
    """The settings, or a clear message and exit code 2 when they are invalid."""
    try:
        return get_settings()
    except ValidationError as exc:
        typer.secho(f"Configuration error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc


def load_schema() -> MetaData:
    """The whole schema, every domain's tables (for commands that walk it, such as erasure)."""
    return models.Base.metadata


def load_root() -> Root:
    """This process's composition root, built from the settings once (see `hiresight.runtime`).

    It sets the embeddings default and registers the final hooks, so a command sees the
    same HIRESIGHT_* settings as the web app and the worker.
    """
    return root_for(load_settings())


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction on the configured database, committed when the block succeeds."""
    root = load_root()
    try:
        with transaction(root.session_factory) as session:
            yield session
    finally:
        # A command's connections close when its block ends, as before the engine was shared:
        # the pool starts afresh for the next block (work still running keeps its connection).
        root.engine.dispose()


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn a user error into a one-line message and exit code 1, never a traceback."""
    try:
        yield
    except AppError as exc:
        typer.secho(f"Error ({exc.code}): {exc.message}", err=True, fg="red")
        raise typer.Exit(1) from exc
