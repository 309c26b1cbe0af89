"""The int8 copy of the model: close to fp32, derived once, cached, and refused if it differs."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from hiresight.embeddings import ModelIntegrityError, OnnxMiniLMEmbedder, quantize
from hiresight.embeddings.files import package_file, sha256_of
from hiresight.embeddings.minilm import MODEL_PACKAGE, MODEL_RELPATH
from tests.embeddings.test_minilm import TRIPLES

PROFILE = (
    "Senior backend engineer. Eight years building payment APIs in Python and Go on "
    "PostgreSQL and Kafka; led the migration from a monolith to services on Kubernetes and "
    "cut p99 checkout latency by 30%. Skills: Python, Go, PostgreSQL, Redis, Kafka, Docker, "
    "Kubernetes, Terraform, AWS, gRPC, REST, observability, on-call, mentoring."
)


@pytest.fixture(scope="module")
def pair() -> tuple[OnnxMiniLMEmbedder, OnnxMiniLMEmbedder]:
    """The same model at int8 and at fp32 (the int8 copy comes from the default cache)."""
    int8 = OnnxMiniLMEmbedder(cache_size=0, precision="int8")
    fp32 = OnnxMiniLMEmbedder(cache_size=0, precision="fp32")
    return int8, fp32


def test_int8_vectors_are_close_to_fp32(pair: tuple[OnnxMiniLMEmbedder, ...]) -> None:
    """Known answer: per text, cosine(int8, fp32) >= 0.98, and >= 0.99 on average.

    Measured 0.9917 minimum, 0.9941 mean on these 16 texts (0.9865 / 0.9943 over 300 synthetic
    sentences); per-tensor weights gave a 0.96 mean and 7-bit weights 0.87, which these bounds
    reject. The margins of `TRIPLES` (test_minilm.py, run at int8 too) guard the float32 MatMul.
    """
    int8, fp32 = pair
    texts = [text for triple in TRIPLES for text in triple] + [PROFILE]
    cosines = np.sum(int8.embed(texts) * fp32.embed(texts), axis=1)
    assert cosines.min() >= 0.98, cosines
    assert cosines.mean() >= 0.99, cosines


def test_int8_ranks_like_fp32(pair: tuple[OnnxMiniLMEmbedder, ...]) -> None:
    """Ranking the 15 sentences against the profile gives the same top 5 at both precisions."""
    int8, fp32 = pair
    texts = [text for triple in TRIPLES for text in triple]
    tops = []
    for emb in (int8, fp32):
        scores = emb.embed(texts) @ emb.embed([PROFILE])[0]
        tops.append(set(np.argsort(-scores)[:5].tolist()))
    assert tops[0] == tops[1]


def test_int8_vector_does_not_depend_on_batch_mates(pair: tuple[OnnxMiniLMEmbedder, ...]) -> None:
    """A text embedded with others equals the same text embedded alone, bit for bit.

    Dynamic quantisation scales by the whole batch's range, so the embedder runs int8 one
    text at a time; this fails if it ever batches again.
    """
    int8, _ = pair
    alone = int8.embed([PROFILE])
    together = int8.embed(["short", PROFILE, "x " * 200])
    np.testing.assert_array_equal(together[1], alone[0])


def test_names_differ_by_precision(pair: tuple[OnnxMiniLMEmbedder, ...]) -> None:
    """Vectors of the two precisions are not interchangeable, so their model names differ."""
    int8, fp32 = pair
    assert int8.name != fp32.name
    assert int8.name.startswith(fp32.name)


@pytest.fixture(scope="module")
def cached_copy(pair: tuple[OnnxMiniLMEmbedder, ...]) -> Path:
    """The derived file from the default cache (the `pair` int8 embedder made sure it exists)."""
    pair[0].load()
    path = quantize.default_cache_dir() / quantize.INT8_FILENAME
    assert sha256_of(path) == quantize.INT8_SHA256
    return path


def _source() -> Path:
    return package_file(MODEL_PACKAGE, MODEL_RELPATH)


def test_cached_model_is_reused_without_deriving(
    cached_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A verified file in the cache is used as is: no second derivation."""
    shutil.copyfile(cached_copy, tmp_path / quantize.INT8_FILENAME)

    def _fail(*_: object) -> Path:
        raise AssertionError("derived again although the cache held a good copy")

    monkeypatch.setattr(quantize, "derive_int8", _fail)
    assert quantize.int8_model(_source(), tmp_path) == tmp_path / quantize.INT8_FILENAME


def test_corrupt_cached_model_is_derived_again(tmp_path: Path) -> None:
    """A cached file with the wrong SHA-256 is replaced by a fresh, verified derivation."""
    (tmp_path / quantize.INT8_FILENAME).write_bytes(b"not an onnx model")
    path = quantize.int8_model(_source(), tmp_path)
    assert isinstance(path, Path)
    assert sha256_of(path) == quantize.INT8_SHA256
    assert [p.name for p in tmp_path.iterdir()] == [quantize.INT8_FILENAME]  # no leftovers


def test_unwritable_cache_still_gives_the_model(tmp_path: Path) -> None:
    """When the cache directory cannot be made, the model comes back as verified bytes."""
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should go")
    model = quantize.int8_model(_source(), blocker / "models")
    assert isinstance(model, bytes)
    derived = tmp_path / "derived.onnx"
    derived.write_bytes(model)
    assert sha256_of(derived) == quantize.INT8_SHA256
    emb = OnnxMiniLMEmbedder(cache_size=0, precision="int8", cache_dir=blocker / "models")
    assert emb.embed(["still works"]).shape == (1, 384)


def test_a_toolchain_that_quantises_differently_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A derived file with another SHA-256 (other onnx/onnxruntime) raises, naming the way out."""
    monkeypatch.setattr(quantize, "INT8_SHA256", "0" * 64)
    with pytest.raises(ModelIntegrityError, match="HIRESIGHT_EMBEDDINGS_PRECISION=fp32") as info:
        quantize.derive_int8(_source(), tmp_path)
    assert info.value.code == "embedding_model_integrity"
    assert "onnxruntime 1." in str(info.value)


def _folded(work: Path) -> Path:
    """The pinned model with its weights decoded to float32 (the first derivation step)."""
    return quantize.fold_weights(_source(), work / "folded.onnx")


def _hidden(model: bytes | str, embedder: OnnxMiniLMEmbedder, texts: list[str]) -> np.ndarray:
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    ids = embedder.tokenize(texts)
    width = max(len(row) for row in ids)
    input_ids = np.zeros((len(ids), width), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for index, row in enumerate(ids):
        input_ids[index, : len(row)], mask[index, : len(row)] = row, 1
    feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": mask * 0}
    return np.asarray(session.run(["last_hidden_state"], feeds)[0])


def test_dropping_the_nan_guards_changes_no_output(
    pair: tuple[OnnxMiniLMEmbedder, ...], tmp_path: Path
) -> None:
    """Known answer: 6 guards go, and a padded fp32 batch gives bit-identical hidden states."""
    folded = _folded(tmp_path)
    model = onnx.load(str(folded))
    assert quantize.drop_softmax_nan_guards(model.graph) == quantize.LAYERS
    assert not [node for node in model.graph.node if node.op_type == "IsNaN"]
    texts = ["hi", PROFILE]  # "hi" is padded to the profile's length: masked keys in its rows
    before = _hidden(str(folded), pair[1], texts)
    after = _hidden(model.SerializeToString(), pair[1], texts)
    assert not np.isnan(before).any()
    np.testing.assert_array_equal(after, before)


def test_a_model_without_the_expected_guards_is_refused(tmp_path: Path) -> None:
    """Guards already gone (or a different exporter): an error, not a silently different model."""
    model = onnx.load(str(_folded(tmp_path)))
    quantize.drop_softmax_nan_guards(model.graph)
    with pytest.raises(ModelIntegrityError, match="NaN guard"):
        quantize.drop_softmax_nan_guards(model.graph)


def test_the_first_down_projection_is_layer_zeros(tmp_path: Path) -> None:
    """Known answer: the MatMul kept in float32 is the first 1536 x 384 one, in layer 0."""
    graph = onnx.load(str(_folded(tmp_path))).graph
    name = quantize.first_down_projection(graph)
    matmuls = [n.name for n in graph.node if n.op_type == "MatMul"]
    assert name in matmuls
    assert matmuls.index(name) < len(matmuls) // quantize.LAYERS + 1
