"""A filesystem model registry: one directory per version, and a LIVE pointer.

    <root>/versions/v0001/model.txt          LightGBM text model
                         feature_names.json  column order the model expects
                         metrics.json        validation metrics (and the champion's, same data)
                         reference.npz       sample of training features and scores, for drift
                         meta.json           training-data statistics, seed, timestamps
    <root>/LIVE                              name of the serving version

Versions are written to a temporary directory and renamed into place, and LIVE is replaced
with os.replace, so a crash never leaves a half-written version or pointer behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hiresight.matching.entities import FloatArray
from hiresight.matching.errors import RegistryError
from hiresight.matching.rankers import LightGBMRanker


@dataclass(frozen=True)
class ModelVersion:
    """A stored model and what is known about it."""

    name: str
    path: Path
    metrics: dict[str, float]
    meta: dict[str, Any]

    def load(self) -> LightGBMRanker:
        """The ranker stored in this version."""
        return LightGBMRanker.load(self.path / "model.txt")

    def reference(self) -> tuple[FloatArray, FloatArray]:
        """(feature sample, score sample) of the training data."""
        with np.load(self.path / "reference.npz") as data:
            return data["features"], data["scores"]


def should_promote(challenger: float, champion: float | None, min_gain: float = 0.0) -> bool:
    """True if the challenger beats the champion (evaluated on the same data) by min_gain."""
    return champion is None or challenger > champion + min_gain


class ModelRegistry:
    """Versioned model directories under `root`, with an atomic LIVE pointer."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.versions_dir = self.root / "versions"
        self.versions_dir.mkdir(parents=True, exist_ok=True)

    def versions(self) -> list[str]:
        """Version names, oldest first."""
        return sorted(p.name for p in self.versions_dir.iterdir() if p.name.startswith("v"))

    def register(
        self,
        ranker: LightGBMRanker,
        *,
        metrics: dict[str, float],
        reference_features: FloatArray,
        reference_scores: FloatArray,
        meta: dict[str, Any],
    ) -> ModelVersion:
        """Store a trained ranker as the next version (not live until promoted)."""
        existing = self.versions()
        number = int(existing[-1][1:]) + 1 if existing else 1
        name = f"v{number:04d}"
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.versions_dir))
        ranker.save(tmp / "model.txt")
        (tmp / "feature_names.json").write_text(json.dumps(list(ranker.feature_names)))
        (tmp / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True))
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True))
        np.savez_compressed(
            tmp / "reference.npz", features=reference_features, scores=reference_scores
        )
        final = self.versions_dir / name
        tmp.rename(final)
        return self.get(name)

    def get(self, name: str) -> ModelVersion:
        """A stored version, or RegistryError."""
        path = self.versions_dir / name
        try:
            metrics = json.loads((path / "metrics.json").read_text())
            meta = json.loads((path / "meta.json").read_text())
        except (OSError, ValueError) as exc:
            raise RegistryError(f"model version {name!r} is missing or unreadable") from exc
        return ModelVersion(name=name, path=path, metrics=metrics, meta=meta)

    def live(self) -> ModelVersion | None:
        """The serving version, or None before the first promotion."""
        pointer = self.root / "LIVE"
        if not pointer.is_file():
            return None
        return self.get(pointer.read_text().strip())

    def promote(self, name: str) -> None:
        """Make a version live (atomic pointer swap)."""
        self.get(name)  # refuse to point at a missing version
        fd, tmp = tempfile.mkstemp(prefix=".LIVE-", dir=self.root)
        with os.fdopen(fd, "w") as f:
            f.write(name + "\n")
        os.replace(tmp, self.root / "LIVE")
