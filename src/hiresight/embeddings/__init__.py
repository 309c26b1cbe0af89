"""Sentence embeddings: offline MiniLM int8 ONNX by default, an OpenAI-compatible API optionally.

emb = get_embedder()
vectors = emb.embed(["some text"])  # float32 (n, emb.dim), unit rows: cosine = dot product
"""

from hiresight.embeddings.base import BaseEmbedder, CacheInfo, Embedder, Vectors, l2_normalise
from hiresight.embeddings.errors import (
    EmbeddingConfigError,
    EmbeddingError,
    EmbeddingProviderError,
    ModelFileMissingError,
    ModelIntegrityError,
)
from hiresight.embeddings.factory import build_embedder, clear_embedders, get_embedder
from hiresight.embeddings.minilm import OnnxMiniLMEmbedder
from hiresight.embeddings.openai_compat import OpenAIEmbedder
from hiresight.embeddings.settings import EmbeddingSettings

__all__ = [
    "BaseEmbedder",
    "CacheInfo",
    "Embedder",
    "EmbeddingConfigError",
    "EmbeddingError",
    "EmbeddingProviderError",
    "EmbeddingSettings",
    "ModelFileMissingError",
    "ModelIntegrityError",
    "OnnxMiniLMEmbedder",
    "OpenAIEmbedder",
    "Vectors",
    "build_embedder",
    "clear_embedders",
    "get_embedder",
    "l2_normalise",
]
