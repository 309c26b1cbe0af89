"""Semantic similarity on the shared sentence embedder (cosine = dot product of unit rows)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from hiresight.embeddings import Embedder, get_embedder

Matrix = NDArray[np.float32]


def embed(texts: Sequence[str], embedder: Embedder | None = None) -> Matrix:
    """Embed texts with the given embedder or the process-wide one for scoring (loaded once)."""
    emb = embedder or get_embedder(purpose="scoring")
    if not texts:
        return np.zeros((0, emb.dim), dtype=np.float32)
    return np.asarray(emb.embed(list(texts)), dtype=np.float32)
