"""`embeddings check` and `embeddings similarity` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiresight.embeddings import OnnxMiniLMEmbedder
from hiresight.embeddings import cli as embeddings_cli

runner = CliRunner()


def test_check_reports_model_and_dimensions() -> None:
    """`check` loads the pinned model and prints its name and 384 dimensions."""
    result = runner.invoke(embeddings_cli.app, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK minilm-l6-v2-int8@1.0.0+dynamic-int8: 384 dimensions")


def test_similarity_prints_cosine() -> None:
    """Identical texts have similarity 1.0000."""
    result = runner.invoke(embeddings_cli.app, ["similarity", "Go developer", "Go developer"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1.0000"


def test_check_fails_clearly_on_a_bad_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model that fails its hash check gives the error code and exit status 1."""
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"not a model")
    monkeypatch.setattr(embeddings_cli, "get_embedder", lambda: OnnxMiniLMEmbedder(model_path=bad))
    result = runner.invoke(embeddings_cli.app, ["check"])
    assert result.exit_code == 1
    assert "Error (embedding_model_integrity)" in result.stderr
