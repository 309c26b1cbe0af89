"""Errors the embedders raise, each with a stable `code`."""

from __future__ import annotations

from hiresight.errors import AppError


class EmbeddingError(AppError):
    """Base class: sentences could not be embedded."""

    status_code = 500
    code = "embedding_error"


class ModelFileMissingError(EmbeddingError):
    """A model or tokenizer file is not installed where it should be."""

    code = "embedding_model_missing"


class ModelIntegrityError(EmbeddingError):
    """A model or tokenizer file does not match its pinned SHA-256: refuse to run it."""

    code = "embedding_model_integrity"


class EmbeddingConfigError(EmbeddingError):
    """The embedding settings cannot be used as given."""

    code = "embedding_config_invalid"


class EmbeddingProviderError(EmbeddingError):
    """A remote embedding endpoint failed or answered something unusable."""

    status_code = 502
    code = "embedding_provider_error"
