"""Walking a repository: which files count, their languages and non-blank lines of code."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from hiresight.portfolio.schemas import LanguageStat, TestStats
from hiresight.portfolio.testsuite import count_test_functions, is_test_file

# Third-party, generated or tool folders: counting them would credit the candidate for code
# they did not write (GitHub linguist's vendor.yml excludes much the same list).
VENDORED_DIRS = frozenset(
    {
        "node_modules", "bower_components", "jspm_packages", "vendor", "vendors",
        "third_party", "thirdparty", "dist", "build", "target", "obj", "venv", "env",
        "site-packages", "__pycache__", "coverage", "htmlcov", "Pods", "Carthage",
    }
)  # fmt: skip
# Hidden folders are tool state (.git, .idea, .venv...) except those that configure CI.
KEPT_HIDDEN_DIRS = frozenset({".github", ".gitlab", ".circleci", ".buildkite", ".woodpecker"})

LANGUAGES: dict[str, str] = {
    ".py": "Python", ".pyi": "Python",
    ".js": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript", ".jsx": "JavaScript",
    ".ts": "TypeScript", ".tsx": "TypeScript", ".mts": "TypeScript", ".cts": "TypeScript",
    ".go": "Go", ".java": "Java", ".kt": "Kotlin", ".kts": "Kotlin", ".scala": "Scala",
    ".rs": "Rust", ".rb": "Ruby", ".php": "PHP", ".cs": "C#", ".fs": "F#",
    ".c": "C", ".h": "C", ".cc": "C++", ".cpp": "C++", ".cxx": "C++", ".hpp": "C++",
    ".swift": "Swift", ".m": "Objective-C", ".dart": "Dart", ".lua": "Lua",
    ".ex": "Elixir", ".exs": "Elixir", ".erl": "Erlang", ".hs": "Haskell", ".clj": "Clojure",
    ".r": "R", ".jl": "Julia", ".pl": "Perl", ".sh": "Shell", ".bash": "Shell",
    ".sql": "SQL", ".html": "HTML", ".css": "CSS", ".scss": "CSS", ".vue": "Vue",
    ".svelte": "Svelte",
}  # fmt: skip

MAX_FILE_BYTES = 1024 * 1024  # larger "source" files are data or generated code


@dataclass(frozen=True)
class ScanLimits:
    """Bounds on one scan so a huge upload cannot stall a worker."""

    max_files: int = 50_000


@dataclass
class Inventory:
    """What a walk of the repository found."""

    files: list[PurePosixPath] = field(default_factory=list)
    languages: dict[str, LanguageStat] = field(default_factory=dict)
    tests: TestStats = field(default_factory=TestStats)
    notes: list[str] = field(default_factory=list)

    @property
    def total_lines(self) -> int:
        """Non-blank source lines over all languages."""
        return sum(stat.lines for stat in self.languages.values())


def _read_text(path: Path) -> str | None:
    """The file's text, or None for binary, oversized or unreadable files."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def scan(root: Path, limits: ScanLimits | None = None) -> Inventory:
    """Walk `root` (never following links) and tally files, languages, lines and tests."""
    limits = limits or ScanLimits()
    inventory = Inventory()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in VENDORED_DIRS and (not d.startswith(".") or d in KEPT_HIDDEN_DIRS)
        )
        folder = Path(dirpath)
        for name in sorted(filenames):
            path = folder / name
            if path.is_symlink():
                continue  # a link may point anywhere on the host; its target is not the repo's
            if len(inventory.files) >= limits.max_files:
                inventory.notes.append(f"stopped after {limits.max_files} files")
                return inventory
            rel = PurePosixPath(path.relative_to(root).as_posix())
            inventory.files.append(rel)
            _tally_source(inventory, path, rel)
    return inventory


def _tally_source(inventory: Inventory, path: Path, rel: PurePosixPath) -> None:
    language = LANGUAGES.get(path.suffix.lower())
    if language is None or rel.name.endswith((".min.js", ".min.css")):
        return
    text = _read_text(path)
    if text is None:
        return
    lines = sum(1 for line in text.splitlines() if line.strip())
    stat = inventory.languages.setdefault(
        language, LanguageStat(language=language, files=0, lines=0)
    )
    stat.files += 1
    stat.lines += lines
    if is_test_file(rel, language, text):
        found = count_test_functions(language, text)
        tests = inventory.tests
        tests.test_files += 1
        tests.test_functions += found
        tests.by_language[language] = tests.by_language.get(language, 0) + found
