"""Tests for the similarity helpers on the shared embedder."""

from __future__ import annotations

from hiresight.scoring import similarity


def test_paraphrase_closer_than_unrelated() -> None:
    """A paraphrase is more similar than an unrelated sentence."""
    vecs = similarity.embed(
        [
            "Cache repeated database reads in Redis.",
            "Put a Redis cache in front of the database for repeated reads.",
            "My sister baked a chocolate cake for my birthday.",
        ]
    )
    assert vecs[0] @ vecs[1] > 0.5 > vecs[0] @ vecs[2]


def test_embed_empty_list_has_model_width() -> None:
    """Embedding nothing returns an empty (0, dim) array."""
    vecs = similarity.embed([])
    assert vecs.shape[0] == 0
    assert vecs.shape[1] == 384
