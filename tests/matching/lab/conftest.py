"""A fast stand-in for the sentence embedder: hashed bag of words, unit rows."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import pytest

from hiresight.embeddings import Vectors


class HashEmbedder:
    """Texts sharing words get similar vectors; no model is loaded."""

    name = "hash-embedder"
    dim = 64

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, hashlib.sha256(word.encode()).digest()[0] % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        unit: Vectors = out / np.maximum(norms, 1e-12)
        return unit

    def clip(self, text: str, max_tokens: int) -> str:
        return text


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    """A fresh hashed bag-of-words embedder."""
    return HashEmbedder()
