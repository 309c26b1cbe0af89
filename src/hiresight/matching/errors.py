"""Errors a caller of the matching library can cause, each with a stable code."""

from __future__ import annotations

from hiresight.errors import AppError


class MatchingError(AppError):
    """Base class for matching errors."""

    code = "matching_error"


class UnknownJobError(MatchingError):
    """The job id is not in the catalogue (never added, or removed)."""

    status_code = 404
    code = "matching_unknown_job"


class DimensionMismatchError(MatchingError):
    """An embedding has a different dimension from the index it is used with."""

    code = "matching_dimension_mismatch"


class InvalidLogError(MatchingError):
    """An interaction or exposure log file cannot be read: missing columns or bad values."""

    code = "matching_invalid_log"


class InvalidExperimentError(MatchingError):
    """An experiment definition is unusable: no variants or non-positive weights."""

    code = "matching_invalid_experiment"


class RegistryError(MatchingError):
    """The model registry is missing a version or holds an unreadable one."""

    status_code = 404
    code = "matching_registry_error"


class NotEnoughDataError(MatchingError):
    """Too few events to train or evaluate a model."""

    code = "matching_not_enough_data"
