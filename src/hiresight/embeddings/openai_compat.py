"""Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM, Ollama...)."""

from __future__ import annotations

from typing import Any

import httpx
import numpy as np

from hiresight.embeddings.base import BaseEmbedder, Vectors, l2_normalise
from hiresight.embeddings.errors import EmbeddingProviderError


class OpenAIEmbedder(BaseEmbedder):
    """Calls `POST {base_url}/embeddings`; rows are re-normalised since not every server does."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 30.0,
        dimensions: int | None = None,
        batch_size: int = 32,
        cache_size: int = 10_000,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(batch_size=batch_size, cache_size=cache_size)
        self.model = model
        self.dimensions = dimensions
        self._dim = dimensions
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            timeout=timeout,
            headers=headers,
            transport=transport,
        )

    @property
    def name(self) -> str:
        """Provider and remote model name, e.g. `openai:text-embedding-3-small`."""
        suffix = f"@{self.dimensions}d" if self.dimensions else ""
        return f"openai:{self.model}{suffix}"

    @property
    def dim(self) -> int:
        """Length of each vector; learnt from one probe request when not configured."""
        if self._dim is None:
            self._dim = int(self._request(["dimension probe"]).shape[1])
        return self._dim

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()

    def _embed_uncached(self, texts: list[str]) -> Vectors:
        parts = [
            self._request(texts[start : start + self.batch_size])
            for start in range(0, len(texts), self.batch_size)
        ]
        return np.concatenate(parts) if parts else np.zeros((0, self.dim), dtype=np.float32)

    def _request(self, texts: list[str]) -> Vectors:
        payload: dict[str, Any] = {"model": self.model, "input": texts, "encoding_format": "float"}
        if self.dimensions:
            payload["dimensions"] = self.dimensions
        try:
            # Relative path: joins onto base_url such as http://host/v1/ -> /v1/embeddings.
            response = self._client.post("embeddings", json=payload)
        except httpx.HTTPError as exc:
            raise EmbeddingProviderError(
                f"embedding endpoint {self._client.base_url} unreachable: {type(exc).__name__}"
            ) from exc
        if response.status_code != 200:
            raise EmbeddingProviderError(
                f"embedding endpoint answered HTTP {response.status_code}: {response.text[:200]}"
            )
        vectors = _parse_vectors(response, expected_rows=len(texts))
        if self._dim is not None and vectors.shape[1] != self._dim:
            raise EmbeddingProviderError(
                f"embedding endpoint returned {vectors.shape[1]} dimensions, expected {self._dim}"
            )
        self._dim = int(vectors.shape[1])
        return l2_normalise(vectors)


def _parse_vectors(response: httpx.Response, *, expected_rows: int) -> Vectors:
    """Read `data[*].embedding` in `index` order, refusing anything malformed."""
    try:
        items = response.json()["data"]
        rows = sorted(items, key=lambda item: int(item.get("index", 0)))
        vectors = np.asarray([row["embedding"] for row in rows], dtype=np.float32)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EmbeddingProviderError(
            "embedding endpoint answered JSON without data[*].embedding float lists"
        ) from exc
    if vectors.ndim != 2 or vectors.shape[0] != expected_rows or vectors.shape[1] == 0:
        raise EmbeddingProviderError(
            f"embedding endpoint returned shape {vectors.shape} for {expected_rows} texts"
        )
    if not np.isfinite(vectors).all():
        raise EmbeddingProviderError("embedding endpoint returned non-finite numbers")
    return vectors
