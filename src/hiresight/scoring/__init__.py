"""Rubric scoring of every answer kind, the English check, code review, integrity, AI providers.

Pure library: plain pydantic inputs and outputs, no database rows, and no import of a domain
above it. `interviews.scoring` stores the `Score` objects of interview attempts (with their rubric
version and provider) and `review` shows them to recruiters.
"""

from hiresight.scoring.errors import (
    CalibrationDataError,
    InvalidInputError,
    ProviderError,
    ScoringError,
    UnknownKindError,
)
from hiresight.scoring.providers import (
    AIProvider,
    AISettings,
    OpenAIProvider,
    RubricProvider,
    build_provider,
)
from hiresight.scoring.types import (
    RUBRIC_VERSIONS,
    Answer,
    AnswerKind,
    Evidence,
    Question,
    RubricPoint,
    Score,
)

__all__ = [
    "RUBRIC_VERSIONS",
    "AIProvider",
    "AISettings",
    "Answer",
    "AnswerKind",
    "CalibrationDataError",
    "Evidence",
    "InvalidInputError",
    "OpenAIProvider",
    "ProviderError",
    "Question",
    "RubricPoint",
    "RubricProvider",
    "Score",
    "ScoringError",
    "UnknownKindError",
    "build_provider",
]
