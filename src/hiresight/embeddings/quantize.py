"""The int8-compute copy of the MiniLM model: derived once from the pinned file, then cached.

The shipped model stores its weights as int8 but turns them back into float32 (Cast, Mul) before
every MatMul, so onnxruntime computes in float32: ~0.65 GFLOP per layer for a 170-token profile.
The copy derived here keeps the same weights and quantises each MatMul dynamically
(`DynamicQuantizeLinear` on the activations, per-output-channel int8 weights), which onnxruntime
runs with integer kernels: about 0.7x of the float32 time on AVX2 (docs/benchmarks.md), at a
cosine of about 0.99 to the float32 vectors (tests/embeddings/test_quantize.py). One MatMul, the
first layer's feed-forward output, stays in float32 (`first_down_projection`), and the
exporter's NaN guards after each softmax, which never fire on our inputs, are removed
(`drop_softmax_nan_guards`).

The derivation is deterministic for pinned onnx and onnxruntime versions, so the result is
checked against its own SHA-256 like the shipped files: a different toolchain that quantised
differently would silently change every vector, and is refused instead.
"""

from __future__ import annotations

import logging
import os
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from hiresight.embeddings.errors import ModelIntegrityError
from hiresight.embeddings.files import sha256_of

# SHA-256 of the derived file: onnx 1.23.2 + onnxruntime 1.31.1 on the pinned model.onnx.
INT8_SHA256 = "2850a73f8d58feaee979be3f046f5159b237efdad94192c1391783d6ca8b4bd8"
LAYERS = 6  # transformer layers of all-MiniLM-L6-v2
INT8_FILENAME = f"minilm-l6-v2-dynamic-int8-{INT8_SHA256[:16]}.onnx"

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """Where derived models are kept across processes: `$XDG_CACHE_HOME/hiresight/models`."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "hiresight" / "models"


def int8_model(source: Path, cache_dir: Path) -> Path | bytes:
    """The int8 model derived from `source` (already verified): a cached file, or its bytes.

    A cached file is used when its SHA-256 matches; a corrupt one is derived again. When the
    cache directory cannot be written, the model is derived in a temporary directory and
    returned as bytes (onnxruntime loads either), so a read-only home never stops the embedder.
    """
    cached = cache_dir / INT8_FILENAME
    if cached.is_file():
        if sha256_of(cached) == INT8_SHA256:
            return cached
        log.warning("replacing %s: its SHA-256 does not match the derived model's", cached)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # A unique name in the same directory, then an atomic rename: processes deriving at
        # once each write their own file, and readers only ever see a complete one.
        with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".derive-") as work:
            staged = derive_int8(source, Path(work))
            os.replace(staged, cached)
        return cached
    except OSError as exc:
        log.warning("cannot cache the int8 model in %s (%s); deriving it in memory", cache_dir, exc)
    with tempfile.TemporaryDirectory(prefix="hiresight-int8-") as work:
        return derive_int8(source, Path(work)).read_bytes()


def derive_int8(source: Path, work: Path) -> Path:
    """Write the dynamically quantised model into `work`, check its SHA-256, return its path."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folded = fold_weights(source, work / "folded.onnx")
    model = onnx.load(str(folded))
    folded.unlink()
    drop_softmax_nan_guards(model.graph)
    keep_float = [first_down_projection(model.graph)]
    simplified = work / "simplified.onnx"
    onnx.save(model, str(simplified))
    del model

    quantised = work / "int8.onnx"
    quantiser_log = logging.getLogger()  # the quantiser advises pre-processing on the root logger
    level = quantiser_log.level
    quantiser_log.setLevel(logging.ERROR)
    try:
        # Per-channel weights keep the cosine to float32 at ~0.99; per-tensor weights gave
        # ~0.96, and `reduce_range` (7-bit weights) ~0.87 on this model.
        quantize_dynamic(
            simplified,
            quantised,
            op_types_to_quantize=["MatMul"],
            per_channel=True,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=keep_float,
        )
    finally:
        quantiser_log.setLevel(level)
    simplified.unlink()

    actual = sha256_of(quantised)
    if actual != INT8_SHA256:
        raise ModelIntegrityError(
            f"the int8 model derived with onnx {_version('onnx')} and onnxruntime "
            f"{_version('onnxruntime')} has SHA-256 {actual}, expected {INT8_SHA256}: these "
            "versions quantise differently, which would change every vector. Install the pinned "
            "versions (requirements.lock) or set HIRESIGHT_EMBEDDINGS_PRECISION=fp32"
        )
    return quantised


def fold_weights(source: Path, target: Path) -> Path:
    """Write `source` with its Cast/Mul weight decoding folded into float32 initializers.

    onnxruntime's basic, provider-independent level, so the quantiser sees MatMuls with
    constant weights.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(target)
    options.log_severity_level = 3
    ort.InferenceSession(str(source), sess_options=options, providers=["CPUExecutionProvider"])
    return target


def drop_softmax_nan_guards(graph: Any) -> int:
    """Remove `Where(IsNaN(p), 0, p)` after each attention softmax; return how many (6).

    The exporter guards against a query row whose keys are all masked, where softmax is NaN.
    Our inputs never have one: every text starts with [CLS], which is never masked, so the
    guard is the identity (outputs bit-identical with and without it, padded batches
    included) and cost ~10% of the int8 run as two full passes over every attention matrix.
    """
    producers = {out: node for node in graph.node for out in node.output}
    replaced: dict[str, str] = {}
    dead = []
    for node in graph.node:
        if node.op_type != "Where":
            continue
        test, probs = producers.get(node.input[0]), producers.get(node.input[2])
        if (
            test is not None
            and probs is not None
            and test.op_type == "IsNaN"
            and probs.op_type == "Softmax"
            and test.input[0] == node.input[2]
        ):
            replaced[node.output[0]] = node.input[2]
            dead += [node, test]
    if len(replaced) != LAYERS or {o.name for o in graph.output} & replaced.keys():
        raise ModelIntegrityError(
            f"expected one softmax NaN guard per layer ({LAYERS}), found {len(replaced)}"
        )
    for node in dead:
        graph.node.remove(node)
    for node in graph.node:
        for index, name in enumerate(node.input):
            node.input[index] = replaced.get(name, name)
    return len(replaced)


def first_down_projection(graph: Any) -> str:
    """The MatMul of the first layer's feed-forward output (1536 -> 384), kept in float32.

    Its input, the first GELU's output, has outliers that a per-tensor int8 scale flattens:
    quantised, it moved one known-answer pair's margin from 0.092 to 0.046; kept in float32,
    0.104, with the mean cosine to fp32 up from 0.9927 to 0.9943, at ~2% of the speed-up.
    """
    shapes = {init.name: tuple(init.dims) for init in graph.initializer}
    for node in graph.node:  # nodes are in topological order: the first match is layer 0's
        if node.op_type == "MatMul" and shapes.get(node.input[1]) == (1536, 384):
            return str(node.name)
    raise ModelIntegrityError("the embedding model has no feed-forward MatMul of 1536 x 384")


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "(not installed)"
