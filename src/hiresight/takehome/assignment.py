"""Reading an assignment: a folder (or archive) with `takehome.toml`, the brief and the data.

Layout:

    takehome.toml        title, brief, duration, contract, metrics, limits, check
    brief.md             what the candidate reads
    public/              data the candidate downloads
    hidden/              evaluation input and answers: never leaves the server
    baselines/NAME/      optional: solutions scored beside every submission (e.g. popularity)
    solutions/reference  optional: solutions `hiresight takehome check` runs
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from hiresight.portfolio.archive import extract_archive
from hiresight.portfolio.errors import PortfolioError
from hiresight.takehome.errors import AssignmentNotFoundError, InvalidAssignmentError
from hiresight.takehome.schemas import AssignmentSpec

SPEC_FILE = "takehome.toml"
# Evaluation reads these whole; an assignment's test split is small by design.
MAX_TABLE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Assignment:
    """A validated assignment folder."""

    root: Path
    spec: AssignmentSpec

    @property
    def input_dir(self) -> Path:
        """The evaluation input folder (mounted read-only into the sandbox)."""
        return self.root / self.spec.contract.input

    @property
    def answers_path(self) -> Path:
        """The hidden answers (read only by the server)."""
        return self.root / self.spec.contract.answers

    @property
    def hidden_dir(self) -> Path:
        """The hidden folder."""
        return self.root / "hidden"

    def baselines(self) -> dict[str, Path]:
        """Baseline solutions by name (each a folder with the contract's entrypoint)."""
        folder = self.root / "baselines"
        if not folder.is_dir():
            return {}
        return {p.name: p for p in sorted(folder.iterdir()) if p.is_dir()}

    def solution(self, which: str) -> Path | None:
        """The folder of a shipped solution named in [check], if it is declared."""
        rel = getattr(self.spec.check, which)
        return None if rel is None else self.root / rel


def _format_errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def parse_spec(text: str, source: str = SPEC_FILE) -> AssignmentSpec:
    """Parse and validate `takehome.toml` text; InvalidAssignmentError names each problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidAssignmentError(f"{source} is not valid TOML: {exc}") from exc
    try:
        return AssignmentSpec.model_validate(data)
    except ValidationError as exc:
        raise InvalidAssignmentError(f"{source}: {_format_errors(exc)}") from exc


def load_assignment(root: Path) -> Assignment:
    """Read and check an assignment folder: the spec, and every file it names."""
    if not root.is_dir():
        raise AssignmentNotFoundError(f"no assignment folder at {root}")
    spec_path = root / SPEC_FILE
    if not spec_path.is_file():
        raise InvalidAssignmentError(f"{root} has no {SPEC_FILE}")
    spec = parse_spec(spec_path.read_text(encoding="utf-8"))
    contract = spec.contract
    missing: list[str] = []
    for rel, kind in (
        (spec.brief, "file"),
        ("public", "dir"),
        ("hidden", "dir"),
        (contract.input, "dir"),
        (contract.answers, "file"),
        (f"{contract.input}/{contract.history}", "file"),
        (f"{contract.input}/{contract.users}", "file"),
        (spec.check.reference, "dir"),
    ):
        path = root / rel
        if not (path.is_dir() if kind == "dir" else path.is_file()) or path.is_symlink():
            missing.append(f"{rel} ({kind})")
    if missing:
        raise InvalidAssignmentError(f"{root}: missing {', '.join(missing)}")
    return Assignment(root=root.resolve(), spec=spec)


@contextlib.contextmanager
def open_assignment(path: Path) -> Iterator[Assignment]:
    """An assignment from a folder, or from a .zip/.tar.gz extracted to a temporary folder."""
    if path.is_dir():
        yield load_assignment(path)
        return
    if not path.is_file():
        raise AssignmentNotFoundError(f"no assignment folder or archive at {path}")
    with tempfile.TemporaryDirectory(prefix="hiresight-takehome-") as tmp:
        try:
            root = extract_archive(path, Path(tmp))
        except PortfolioError as exc:
            raise InvalidAssignmentError(f"the assignment archive: {exc.message}") from exc
        yield load_assignment(root)


def read_table(path: Path) -> list[list[str]]:
    """A CSV (optionally gzip-compressed) as rows of strings, header included."""
    raw = path.read_bytes()
    if len(raw) > MAX_TABLE_BYTES:
        raise InvalidAssignmentError(f"{path.name} is larger than {MAX_TABLE_BYTES} bytes")
    if path.suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InvalidAssignmentError(f"{path.name} is not valid gzip: {exc}") from exc
    return list(csv.reader(io.StringIO(raw.decode("utf-8", errors="replace"))))


def user_ids(rows: list[list[str]], source: str) -> list[int]:
    """The integer first column of a table whose header starts with `user_id`."""
    if not rows or not rows[0] or rows[0][0].strip() != "user_id":
        raise InvalidAssignmentError(f"{source}: the header must start with user_id")
    try:
        return [int(row[0]) for row in rows[1:] if row]
    except ValueError as exc:
        raise InvalidAssignmentError(f"{source}: a user_id is not an integer ({exc})") from exc


def load_answers(assignment: Assignment) -> dict[int, set[int]]:
    """The hidden answers: user id -> relevant job ids."""
    rows = read_table(assignment.answers_path)
    source = assignment.spec.contract.answers
    if not rows or [c.strip() for c in rows[0][:2]] != ["user_id", "job_id"]:
        raise InvalidAssignmentError(f"{source}: the header must be user_id,job_id")
    answers: dict[int, set[int]] = {}
    for line, row in enumerate(rows[1:], start=2):
        try:
            answers.setdefault(int(row[0]), set()).add(int(row[1]))
        except (ValueError, IndexError) as exc:
            raise InvalidAssignmentError(f"{source}:{line}: bad row ({exc})") from exc
    return answers


def load_test_users(assignment: Assignment) -> tuple[list[int], set[int]]:
    """The users to predict for, and those of them with some history (the warm ones)."""
    contract = assignment.spec.contract
    users = user_ids(read_table(assignment.input_dir / contract.users), contract.users)
    with_history = set(
        user_ids(read_table(assignment.input_dir / contract.history), contract.history)
    )
    return users, {u for u in users if u in with_history}
