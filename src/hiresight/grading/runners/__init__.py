"""Lean test runners copied into the sandbox (pytest and `node --test` start too slowly)."""

from __future__ import annotations

from importlib import resources


def runner_source(name: str) -> str:
    """The source of a runner script shipped in this package (`pyrunner.py`, `jsrunner.js`)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
