"""The embedding settings: which provider, how to reach it, and how hard to work."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from hiresight.embeddings.errors import EmbeddingConfigError

# `int8`: the dynamically quantised copy of the model (~0.7x the time); `fp32`: as shipped.
Precision = Literal["int8", "fp32"]


def default_threads() -> int:
    """onnxruntime intra-op threads when none are configured: min(2, number of CPUs).

    The model's time is in MatMuls that split well over two threads (a profile's p50 falls to
    0.64x of one thread, docs/benchmarks.md); more would take cores from the requests the same
    box serves, and a box busy with other work is better served by 1, where waiting for the
    second thread costs more than it saves (HIRESIGHT_EMBEDDINGS_THREADS).
    """
    return min(2, os.cpu_count() or 1)


class EmbeddingSettings(BaseModel):
    """How to build an embedder. Frozen so it can key the per-settings embedder cache."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider: Literal["onnx", "openai"] = Field(
        "onnx",
        description="`onnx`: the bundled offline MiniLM; `openai`: a /v1/embeddings endpoint.",
    )
    base_url: str | None = Field(
        None, description="OpenAI-compatible API root, e.g. http://127.0.0.1:11434/v1."
    )
    model: str | None = Field(None, description="Remote model name (provider `openai` only).")
    api_key: SecretStr | None = Field(None, description="Bearer token for the remote endpoint.")
    dimensions: int | None = Field(
        None, ge=1, description="Ask the remote model for this many dimensions (if it supports it)."
    )
    timeout: float = Field(30.0, gt=0, description="Seconds to wait for one remote request.")
    batch_size: int = Field(32, ge=1, le=4096, description="Texts per model run or request.")
    cache_size: int = Field(
        10_000, ge=0, description="Vectors kept in the in-memory LRU cache (0 disables it)."
    )
    threads: int | None = Field(
        None, ge=1, le=64, description="onnxruntime intra-op threads; None: min(2, CPUs)."
    )
    precision: Precision = Field(
        "int8",
        description="For profiles and jobs: `int8`, integer MatMuls in a quantised copy of the "
        "model (faster, cosine ~0.99 to fp32), or `fp32`, the model as shipped. Answer scoring "
        "always uses fp32.",
    )
    cache_dir: Path | None = Field(
        None, description="Where the derived int8 model is kept; None: ~/.cache/hiresight/models."
    )

    @model_validator(mode="after")
    def _remote_needs_endpoint(self) -> EmbeddingSettings:
        if self.provider == "openai" and not (self.base_url and self.model):
            raise EmbeddingConfigError(
                "the `openai` embedding provider needs both base_url and model "
                "(HIRESIGHT_EMBEDDINGS_BASE_URL, HIRESIGHT_EMBEDDINGS_MODEL)"
            )
        return self
