"""Load challenge folders from disk into validated `Challenge` objects."""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from pydantic import ValidationError

from hiresight.challenges.errors import ChallengeError, ChallengeNotFoundError
from hiresight.challenges.models import Challenge, Manifest

MANIFEST = "challenge.toml"
# Caches and dependency folders are never part of a challenge, whoever left them there.
_IGNORED_PARTS = {"__pycache__", "node_modules", ".pytest_cache", ".mypy_cache"}
_MAX_FILE_BYTES = 256 * 1024
# Parsed banks by resolved folder: a lookup by id must not read and validate every challenge.
_indexes: dict[Path, Mapping[str, Challenge]] = {}
_indexes_lock = threading.Lock()


def default_bank_root() -> Path:
    """The bank folder: $HIRESIGHT_CHALLENGES_DIR, else the repository's `challenges/`."""
    configured = os.environ.get("HIRESIGHT_CHALLENGES_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "challenges"


def _read_tree(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_dir() or _IGNORED_PARTS & set(rel.parts) or path.suffix == ".pyc":
            continue
        if path.is_symlink():
            raise ChallengeError(f"{path}: symlinks are not allowed in a challenge")
        if path.stat().st_size > _MAX_FILE_BYTES:
            raise ChallengeError(f"{path}: larger than {_MAX_FILE_BYTES} bytes")
        try:
            files[rel.as_posix()] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ChallengeError(f"{path}: not UTF-8 text") from exc
    return files


def format_validation_error(exc: ValidationError) -> str:
    """One readable line per schema problem: `field.path: message`."""
    lines = []
    for err in exc.errors():
        loc = ".".join(str(part) for part in err["loc"]) or "(manifest)"
        lines.append(f"{loc}: {err['msg']}")
    return "; ".join(lines)


def load_manifest(path: Path) -> Manifest:
    """Parse and validate one `challenge.toml`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ChallengeNotFoundError(f"{path}: no {MANIFEST} here") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ChallengeError(f"{path}: invalid TOML: {exc}") from exc
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        raise ChallengeError(f"{path}: {format_validation_error(exc)}") from exc


def load_challenge(path: Path | str) -> Challenge:
    """Load and validate the challenge folder at `path` (schema and file layout only)."""
    root = Path(path)
    if not root.is_dir():
        raise ChallengeNotFoundError(f"{root}: not a challenge folder")
    manifest = load_manifest(root / MANIFEST)
    if manifest.id != root.name:
        raise ChallengeError(f"{root}: folder name must equal the id {manifest.id!r}")
    src = _read_tree(root / "src")
    if not src:
        raise ChallengeError(f"{root}: src/ is missing or empty")
    tests = _read_tree(root / "tests")
    if not tests:
        raise ChallengeError(f"{root}: tests/ is missing or empty")
    return Challenge(
        manifest=manifest,
        root=root.resolve(),
        src=src,
        tests=tests,
        solution=_read_tree(root / "solution"),
        visible_tests=_read_tree(root / "visible_tests"),
    )


def challenge_dirs(root: Path | str | None = None) -> list[Path]:
    """Every folder in the bank that holds a manifest, sorted by name."""
    bank = Path(root) if root is not None else default_bank_root()
    if not bank.is_dir():
        return []
    return sorted(p for p in bank.iterdir() if (p / MANIFEST).is_file())


def load_bank(root: Path | str | None = None) -> list[Challenge]:
    """Load every challenge under `root` (default: the repo's bank); fail on the first bad one."""
    return [load_challenge(p) for p in challenge_dirs(root)]


def challenge_index(
    root: Path | str | None = None, *, refresh: bool = False
) -> Mapping[str, Challenge]:
    """The bank's challenges by id, parsed once per bank folder and process.

    The folder is `root`, else `default_bank_root()` as it is at the call, so a bank pointed
    elsewhere (HIRESIGHT_CHALLENGES_DIR) gets its own index. `refresh` reads the folder again,
    for a caller that did not find an id a challenge added since may carry.
    """
    folder = (Path(root) if root is not None else default_bank_root()).resolve()
    with _indexes_lock:
        index = None if refresh else _indexes.get(folder)
        if index is None:
            # Read-only, so no caller can change what the next one is given.
            index = MappingProxyType({c.id: c for c in load_bank(folder)})
            _indexes[folder] = index
        return index
