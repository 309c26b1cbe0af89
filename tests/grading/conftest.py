"""Grading tests share the background-work fixtures of tests/tasks."""

from tests.tasks.conftest import (  # noqa: F401
    candidate,
    engine,
    hooks,
    queue,
    session,
    short_lease,
)
