"""Errors a caller of the scoring library can cause, each with a stable `code`."""

from __future__ import annotations


class ScoringError(ValueError):
    """Base class: the input cannot be scored; `code` is stable, the message says what to fix."""

    code = "scoring_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidInputError(ScoringError):
    """An input value is out of range or malformed (e.g. a difficulty that is not a number)."""

    code = "scoring_invalid_input"


class UnknownKindError(ScoringError):
    """The answer kind is not one the scorer knows."""

    code = "scoring_unknown_kind"


class ProviderError(ScoringError):
    """An AI provider failed (timeout, invalid JSON, refusal, fabricated quote)."""

    code = "scoring_provider_error"


class CalibrationDataError(ScoringError):
    """A calibration file is missing or malformed."""

    code = "scoring_calibration_data"


class ValidityDataError(ScoringError):
    """A validity-set file is missing or malformed (bad TOML, unknown prompt, duplicate id)."""

    code = "scoring_validity_data"
