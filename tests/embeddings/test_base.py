"""The shared embed(): LRU cache bounds, de-duplication, batching order, normalisation."""

from __future__ import annotations

import numpy as np
import pytest

from hiresight.embeddings import BaseEmbedder, Embedder, Vectors, l2_normalise
from hiresight.embeddings.base import text_key


class CountingEmbedder(BaseEmbedder):
    """Known answers: text -> [len(text), 1, 0] before normalisation; records each call."""

    def __init__(self, cache_size: int = 3) -> None:
        super().__init__(batch_size=2, cache_size=cache_size)
        self.calls: list[list[str]] = []

    @property
    def name(self) -> str:
        return "counting@0"

    @property
    def dim(self) -> int:
        return 3

    def _embed_uncached(self, texts: list[str]) -> Vectors:
        self.calls.append(list(texts))
        raw = np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)
        return l2_normalise(raw)


def test_base_embedder_satisfies_protocol() -> None:
    """Any BaseEmbedder is an Embedder (runtime-checkable Protocol)."""
    assert isinstance(CountingEmbedder(), Embedder)


def test_clip_without_a_local_tokenizer_returns_the_text() -> None:
    """A remote endpoint counts its own tokens: the shared clip() leaves the text whole."""
    text = "word " * 1000
    assert CountingEmbedder().clip(text, 128) == text


def test_rows_follow_input_order_with_repeats() -> None:
    """Row i is the vector of texts[i], repeats included; each distinct text is computed once."""
    emb = CountingEmbedder()
    vecs = emb.embed(["abc", "a", "abc"])
    assert emb.calls == [["abc", "a"]]
    np.testing.assert_allclose(vecs[0], vecs[2])
    np.testing.assert_allclose(vecs[1], l2_normalise(np.array([[1.0, 1.0, 0.0]]))[0])


def test_lru_evicts_least_recently_used() -> None:
    """With room for 3, touching 'a' then adding 'd' evicts 'b', the least recently used."""
    emb = CountingEmbedder(cache_size=3)
    emb.embed(["a", "b", "c"])
    emb.embed(["a"])
    emb.embed(["d"])
    emb.calls.clear()
    emb.embed(["a", "c", "d"])
    assert emb.calls == []
    emb.embed(["b"])
    assert emb.calls == [["b"]]
    assert emb.cache_info().size == 3


def test_zero_cache_size_disables_cache() -> None:
    """cache_size=0 recomputes every time and stores nothing."""
    emb = CountingEmbedder(cache_size=0)
    emb.embed(["x"])
    emb.embed(["x"])
    assert emb.calls == [["x"], ["x"]]
    assert emb.cache_info().size == 0


def test_returned_array_does_not_alias_cache() -> None:
    """Mutating a returned array leaves later results untouched."""
    emb = CountingEmbedder()
    first = emb.embed(["abc"])
    first[:] = 0
    assert np.linalg.norm(emb.embed(["abc"])) == pytest.approx(1.0)


def test_l2_normalise_keeps_zero_rows_finite() -> None:
    """Known answer: [3, 4] -> [0.6, 0.8]; an all-zero row stays zero instead of NaN."""
    out = l2_normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])


def test_text_key_is_sha256() -> None:
    """Known answer: the cache key is the SHA-256 digest of the UTF-8 text."""
    assert text_key("abc").hex() == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_batch_size_must_be_positive() -> None:
    """A zero batch size is refused at construction."""
    with pytest.raises(ValueError, match="batch_size"):
        BaseEmbedder.__init__(CountingEmbedder(), batch_size=0)
