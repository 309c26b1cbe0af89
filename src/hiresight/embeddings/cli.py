"""`hiresight embeddings ...`: check the offline model works and compare texts from the shell."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from hiresight.cli_support import load_root
from hiresight.embeddings.errors import EmbeddingError
from hiresight.embeddings.factory import get_embedder

app = typer.Typer(help="Sentence embeddings: check the model, compare texts.", no_args_is_help=True)


@app.callback()
def _embeddings() -> None:
    """Sentence embeddings: check the model, compare texts."""  # keeps sub-commands when mounted


@app.command("check")
def check() -> None:
    """Verify the model files' SHA-256, load the model and embed a probe sentence."""
    load_root()  # the embeddings default follows HIRESIGHT_EMBEDDINGS_*
    start = time.perf_counter()
    try:
        vectors = get_embedder().embed(["Hiresight embedding check"])
    except EmbeddingError as exc:
        typer.secho(f"Error ({exc.code}): {exc.message}", err=True, fg="red")
        raise typer.Exit(1) from exc
    elapsed = (time.perf_counter() - start) * 1000
    embedder = get_embedder()
    typer.echo(f"OK {embedder.name}: {vectors.shape[1]} dimensions, first embed {elapsed:.0f} ms")


@app.command("similarity")
def similarity(
    first: Annotated[str, typer.Argument(help="A text.")],
    second: Annotated[str, typer.Argument(help="Another text.")],
) -> None:
    """Print the cosine similarity of two texts (-1..1)."""
    load_root()  # the embeddings default follows HIRESIGHT_EMBEDDINGS_*
    try:
        vectors = get_embedder().embed([first, second])
    except EmbeddingError as exc:
        typer.secho(f"Error ({exc.code}): {exc.message}", err=True, fg="red")
        raise typer.Exit(1) from exc
    typer.echo(f"{float(vectors[0] @ vectors[1]):.4f}")
