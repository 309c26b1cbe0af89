"""The `Embedder` interface and the batching + LRU-cache logic every implementation shares."""

from __future__ import annotations

import hashlib
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows, so cosine similarity is a dot product."""

    @property
    def name(self) -> str:
        """Model id and version, stored next to every vector it produced."""
        ...

    @property
    def dim(self) -> int:
        """Length of each vector."""
        ...

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed `texts` into an array of shape (len(texts), dim)."""
        ...

    def clip(self, text: str, max_tokens: int) -> str:
        """The longest whole-word prefix of `text` the model reads in `max_tokens` tokens."""
        ...


@dataclass(frozen=True)
class CacheInfo:
    """Counters of the in-memory vector cache."""

    hits: int
    misses: int
    size: int
    maxsize: int


def text_key(text: str) -> bytes:
    """The cache key of a text: its SHA-256, so long texts cost 32 bytes of key each."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def l2_normalise(vectors: NDArray[np.floating]) -> Vectors:
    """Scale each row to unit length; an all-zero row stays zero rather than becoming NaN."""
    rows = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    unit: Vectors = (rows / np.maximum(norms, np.float32(1e-12))).astype(np.float32)
    return unit


class _VectorCache:
    """A bounded, thread-safe LRU map from text hash to vector."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[bytes, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes) -> Vectors | None:
        """The cached vector (now most recently used), counting a hit or a miss."""
        with self._lock:
            vector = self._items.get(key)
            if vector is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return vector

    def put(self, key: bytes, vector: Vectors) -> None:
        """Store a read-only copy, evicting the least recently used entries past maxsize."""
        if self.maxsize <= 0:
            return
        frozen = vector.copy()
        # Rows are handed out by reference later; read-only stops a caller mutating the cache.
        frozen.setflags(write=False)
        with self._lock:
            self._items[key] = frozen
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def info(self) -> CacheInfo:
        """A snapshot of the counters and size."""
        with self._lock:
            return CacheInfo(self.hits, self.misses, len(self._items), self.maxsize)

    def clear(self) -> None:
        """Empty the cache and reset the counters."""
        with self._lock:
            self._items.clear()
            self.hits = 0
            self.misses = 0


class BaseEmbedder(ABC):
    """Shared `embed`: cache look-up, de-duplication and batching around `_embed_uncached`."""

    def __init__(self, *, batch_size: int = 32, cache_size: int = 10_000) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self._cache = _VectorCache(cache_size)

    @property
    @abstractmethod
    def name(self) -> str:
        """Model id and version, stored next to every vector it produced."""

    @property
    @abstractmethod
    def dim(self) -> int:
        """Length of each vector."""

    @abstractmethod
    def _embed_uncached(self, texts: list[str]) -> Vectors:
        """Embed distinct texts (any number; batch them yourself) into normalised rows."""

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed `texts` into an array of shape (len(texts), dim), serving repeats from cache."""
        if isinstance(texts, str):
            # A bare string is a Sequence[str] of characters: almost surely a caller bug.
            raise TypeError("embed() takes a sequence of texts, not a single string")
        keys = [text_key(t) for t in texts]
        found: dict[bytes, Vectors] = {}
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key in found or key in missing:
                continue
            vector = self._cache.get(key)
            if vector is None:
                missing[key] = text
            else:
                found[key] = vector
        if missing:
            fresh = self._embed_uncached(list(missing.values()))
            for key, vector in zip(missing, fresh, strict=True):
                self._cache.put(key, vector)
                found[key] = vector
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def clip(self, text: str, max_tokens: int) -> str:
        """`text` unchanged: an embedder without a local tokenizer has no tokens to count.

        Clipping exists to bound local inference time, which grows with every token; a remote
        endpoint applies its own input limit.
        """
        return text

    def cache_info(self) -> CacheInfo:
        """Hit/miss counters and the current size of the vector cache."""
        return self._cache.info()

    def clear_cache(self) -> None:
        """Forget every cached vector and reset the counters."""
        self._cache.clear()
