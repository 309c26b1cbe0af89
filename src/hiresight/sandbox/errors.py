"""Errors raised by the sandbox, each with a stable `code`."""

from __future__ import annotations


class SandboxError(Exception):
    """Base class: the sandbox could not run the job (infrastructure, not the candidate)."""

    code = "sandbox_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SandboxUnavailableError(SandboxError):
    """A tool the sandbox needs (bubblewrap, setpriv) is missing on this host."""

    code = "sandbox_unavailable"


class SandboxInputError(SandboxError):
    """The files handed to the sandbox are unusable, e.g. a path escapes the work dir."""

    code = "sandbox_bad_input"
