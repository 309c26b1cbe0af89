"""The offline MiniLM embedder, int8 and fp32: known answers, shapes, batching, integrity."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from hiresight.embeddings import ModelFileMissingError, ModelIntegrityError, OnnxMiniLMEmbedder
from hiresight.embeddings.minilm import (
    MODEL_NAMES,
    MODEL_PACKAGE,
    MODEL_RELPATH,
    TOKENIZER_PACKAGE,
    TOKENIZER_RELPATH,
    _length_buckets,
    mean_pool,
    package_file,
)

# (anchor, related, unrelated): a sentence embedder worth shipping must rank these right.
TRIPLES = [
    (
        "Python developer building REST APIs",
        "Backend engineer writing FastAPI services",
        "Pastry chef baking croissants",
    ),
    (
        "Managed Kubernetes clusters and CI/CD pipelines on AWS",
        "DevOps engineer running containers in the cloud",
        "Taught French literature to high-school students",
    ),
    (
        "Trained gradient-boosted models to predict customer churn",
        "Machine learning engineer working on classification",
        "Drove a delivery truck across the county",
    ),
    (
        "Led a team of five frontend developers using React",
        "Engineering manager for a TypeScript web team",
        "Harvested grapes at a family vineyard",
    ),
    (
        "Designed PostgreSQL schemas and tuned slow SQL queries",
        "Database administrator optimising relational databases",
        "Painted watercolour landscapes for a gallery",
    ),
]


@pytest.fixture(scope="module", params=["int8", "fp32"])
def embedder(request: pytest.FixtureRequest) -> OnnxMiniLMEmbedder:
    """One loaded model per precision for the module: loading costs about a second."""
    emb = OnnxMiniLMEmbedder(batch_size=4, cache_size=100, precision=request.param)
    emb.load()
    return emb


@pytest.mark.parametrize(("anchor", "related", "unrelated"), TRIPLES)
def test_related_texts_score_higher_than_unrelated(
    embedder: OnnxMiniLMEmbedder, anchor: str, related: str, unrelated: str
) -> None:
    """A related sentence is closer (by cosine) to the anchor than an unrelated one, by a margin."""
    vecs = embedder.embed([anchor, related, unrelated])
    related_score = float(vecs[0] @ vecs[1])
    unrelated_score = float(vecs[0] @ vecs[2])
    assert related_score > unrelated_score + 0.05


def test_paraphrases_are_close(embedder: OnnxMiniLMEmbedder) -> None:
    """Two paraphrases of one sentence have cosine similarity above 0.7."""
    vecs = embedder.embed(
        [
            "The candidate has five years of Python experience.",
            "The applicant has worked with Python for five years.",
        ]
    )
    assert float(vecs[0] @ vecs[1]) > 0.7


def test_identical_texts_have_cosine_one(embedder: OnnxMiniLMEmbedder) -> None:
    """Embedding is deterministic: the same text twice (uncached) gives the same unit vector."""
    embedder.clear_cache()
    first = embedder.embed(["Rust systems programmer"])
    embedder.clear_cache()
    second = embedder.embed(["Rust systems programmer"])
    np.testing.assert_array_equal(first, second)


def test_shape_dtype_and_unit_norm(embedder: OnnxMiniLMEmbedder) -> None:
    """Output is float32 of shape (n, 384) with L2-normalised rows, including an empty text."""
    vecs = embedder.embed(["one", "", "a somewhat longer sentence about software engineering"])
    assert vecs.shape == (3, 384)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert embedder.dim == 384
    assert embedder.name == MODEL_NAMES[embedder.precision]


def test_empty_input_gives_empty_array(embedder: OnnxMiniLMEmbedder) -> None:
    """No texts in, a (0, 384) float32 array out."""
    vecs = embedder.embed([])
    assert vecs.shape == (0, 384)
    assert vecs.dtype == np.float32


def test_batched_equals_one_by_one(embedder: OnnxMiniLMEmbedder) -> None:
    """Padding within a batch does not change vectors: batched rows equal single runs to 1e-5."""
    texts = [t for triple in TRIPLES for t in triple]
    embedder.clear_cache()
    batched = embedder.embed(texts)
    embedder.clear_cache()
    single = np.vstack([embedder.embed([t]) for t in texts])
    np.testing.assert_allclose(batched, single, atol=1e-5)


def test_long_text_is_truncated_not_rejected(embedder: OnnxMiniLMEmbedder) -> None:
    """A text far over 256 tokens embeds, and equals its own first ~256 tokens' embedding."""
    words = ["engineering"] * 300 + ["croissant"] * 300
    long_vec = embedder.embed([" ".join(words)])
    head_vec = embedder.embed([" ".join(words[:254])])  # 254 words + [CLS] + [SEP] = 256
    np.testing.assert_allclose(long_vec, head_vec, atol=1e-5)


def test_cache_counts_hits_and_misses(embedder: OnnxMiniLMEmbedder) -> None:
    """A repeated text is served from cache; duplicates inside one call are embedded once."""
    embedder.clear_cache()
    embedder.embed(["alpha text", "beta text", "alpha text"])
    info = embedder.cache_info()
    assert (info.hits, info.misses, info.size) == (0, 2, 2)
    embedder.embed(["beta text"])
    assert embedder.cache_info().hits == 1


def test_mean_pool_ignores_padding() -> None:
    """Known answer: padded positions carry no weight in the mean."""
    hidden = np.array([[[1.0, 3.0], [3.0, 5.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]], dtype=np.int64)
    np.testing.assert_allclose(mean_pool(hidden, mask), [[2.0, 4.0]])


def _tampered_copy(src: Path, dest: Path) -> Path:
    shutil.copyfile(src, dest)
    with dest.open("r+b") as handle:
        handle.seek(100)
        byte = handle.read(1)
        handle.seek(100)
        handle.write(bytes([byte[0] ^ 0xFF]))
    return dest


def test_tampered_model_is_refused(tmp_path: Path) -> None:
    """A model file whose SHA-256 differs from the pinned one raises ModelIntegrityError."""
    bad = _tampered_copy(package_file(MODEL_PACKAGE, MODEL_RELPATH), tmp_path / "model.onnx")
    emb = OnnxMiniLMEmbedder(model_path=bad)
    with pytest.raises(ModelIntegrityError, match="SHA-256") as info:
        emb.embed(["hello"])
    assert info.value.code == "embedding_model_integrity"


def test_tampered_tokenizer_is_refused(tmp_path: Path) -> None:
    """A tokenizer.json whose SHA-256 differs from the pinned one raises ModelIntegrityError."""
    bad = _tampered_copy(
        package_file(TOKENIZER_PACKAGE, TOKENIZER_RELPATH), tmp_path / "tokenizer.json"
    )
    with pytest.raises(ModelIntegrityError):
        OnnxMiniLMEmbedder(tokenizer_path=bad).load()


def test_missing_model_file_is_reported(tmp_path: Path) -> None:
    """A model path that does not exist raises ModelFileMissingError with its code."""
    with pytest.raises(ModelFileMissingError) as info:
        OnnxMiniLMEmbedder(model_path=tmp_path / "absent.onnx").load()
    assert info.value.code == "embedding_model_missing"


def test_missing_package_is_reported() -> None:
    """Looking for data in a package that is not installed raises ModelFileMissingError."""
    with pytest.raises(ModelFileMissingError, match="not installed"):
        package_file("hiresight_no_such_package", "model.onnx")


def test_single_string_is_rejected(embedder: OnnxMiniLMEmbedder) -> None:
    """Passing one str (a sequence of characters) is a TypeError, not 11 one-letter vectors."""
    with pytest.raises(TypeError, match="sequence of texts"):
        embedder.embed("hello world")


def test_tokenize_adds_markers_and_truncates(embedder: OnnxMiniLMEmbedder) -> None:
    """Known answer: 'hello world' is [CLS] hello world [SEP]; long texts stop at 256 ids."""
    short, long = embedder.tokenize(["hello world", "word " * 1000])
    assert short == [101, 7592, 2088, 102]
    assert len(long) == 256
    assert long[-1] == 102


def test_clip_keeps_whole_words_within_the_budget(embedder: OnnxMiniLMEmbedder) -> None:
    """Known answer: the first five words are 10 tokens with the markers, and 'Kubernetes'
    four more, so budgets 10 to 13 stop before it and 14 takes it whole."""
    text = "Ran Postgres failover drills and Kubernetes upgrades"
    assert embedder.tokenize(["Kubernetes"])[0] == [101, 13970, 5677, 7159, 2229, 102]
    for budget in (10, 11, 12, 13):
        assert embedder.clip(text, budget) == "Ran Postgres failover drills and"
    assert embedder.clip(text, 14) == "Ran Postgres failover drills and Kubernetes"
    assert embedder.clip(text, 9) == "Ran Postgres failover drills"


@pytest.mark.parametrize("budget", [3, 17, 64, 128, 255, 256, 1000])
def test_clip_is_a_prefix_that_fits(embedder: OnnxMiniLMEmbedder, budget: int) -> None:
    """Every budget gives the longest prefix that tokenizes within it (the model's 256 at most):
    the next word would not have fitted."""
    text = "Led the migration from RabbitMQ to Kafka across 14 services, cutting p99 by 30%. " * 40
    clipped = embedder.clip(text, budget)
    assert text.startswith(clipped)
    limit = min(budget, 256)
    assert len(embedder.tokenize([clipped])[0]) <= limit
    next_word = text[len(clipped) :].split()[0]
    assert embedder.count_tokens(f"{clipped} {next_word}") > limit
    assert embedder.count_tokens(text) == 40 * 23 + 2  # uncut: 23 word pieces a sentence


def test_clip_leaves_a_short_text_alone(embedder: OnnxMiniLMEmbedder) -> None:
    """A text within the budget comes back unchanged, trailing spaces and all."""
    assert embedder.clip("Python, Go and SQL. ", 128) == "Python, Go and SQL. "
    with pytest.raises(ValueError, match="max_tokens"):
        embedder.clip("Python", 2)


@pytest.mark.parametrize(
    ("lengths", "batch_size", "expected"),
    [
        ([256, 55], 32, [[1], [0]]),  # a skills line is not padded to the summary's length
        ([13, 10, 12, 11], 2, [[1, 3], [2, 0]]),  # shortest first, at most batch_size each
        ([10, 10, 10], 32, [[0, 1, 2]]),
        ([], 8, []),
    ],
)
def test_length_buckets_known_answers(
    lengths: list[int], batch_size: int, expected: list[list[int]]
) -> None:
    """Batches hold similar lengths, respect batch_size and cover every index once."""
    assert _length_buckets(lengths, batch_size) == expected
