"""Errors a grading request can cause, each with a stable `code`."""

from __future__ import annotations


class GradingError(Exception):
    """Base class for grading errors a caller can act on."""

    code = "grading_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PatchError(GradingError):
    """The patch cannot be read or does not apply to the challenge's src/."""

    code = "patch_invalid"


class PatchPathError(PatchError):
    """A patched path is absolute or escapes src/."""

    code = "patch_path_escapes"


class GradingBusyError(GradingError):
    """Every grading slot and the queue are full; retry later."""

    code = "grading_busy"

    def __init__(self, message: str = "busy, retry later") -> None:
        super().__init__(message)
