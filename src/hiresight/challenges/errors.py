"""Errors about challenges, each with a stable `code`."""

from __future__ import annotations


class ChallengeError(Exception):
    """A challenge folder cannot be used; the message says what to fix."""

    code = "challenge_invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ChallengeNotFoundError(ChallengeError):
    """No challenge folder (or no challenge.toml) at the given path."""

    code = "challenge_not_found"
