"""Recognising test files and counting test functions across language conventions."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

_TEST_DIRS = frozenset({"test", "tests", "__tests__", "spec", "specs", "testing"})

# One pattern per language for "a test function/case starts here". Each follows the runner's
# own discovery rule: pytest `def test_*`, Jest/Mocha/Vitest `it(`/`test(`, `go test`'s
# `func TestXxx(`, JUnit `@Test`, Rust `#[test]`, RSpec `it "..."` / minitest `def test_`.
_FUNCTION_PATTERNS: dict[str, re.Pattern[str]] = {
    "Python": re.compile(r"^\s*(?:async\s+)?def\s+test\w*\s*\(", re.MULTILINE),
    "JavaScript": re.compile(
        r"(?<![\w$.])(?:it|test)(?:\.(?:only|skip|concurrent|todo))?\s*\(\s*['\"`]"
    ),
    "Go": re.compile(r"^func\s+Test\w*\s*\(", re.MULTILINE),
    "Java": re.compile(r"@(?:Test|ParameterizedTest|RepeatedTest)\b"),
    "Rust": re.compile(r"#\[\s*(?:[\w:]+::)?test\s*\]"),
    "Ruby": re.compile(r"^\s*(?:it\s+['\"]|def\s+test_)", re.MULTILINE),
}
_SAME_CONVENTION = {"TypeScript": "JavaScript", "Kotlin": "Java"}


def _convention(language: str) -> str:
    return _SAME_CONVENTION.get(language, language)


def is_test_file(path: PurePosixPath, language: str, text: str) -> bool:
    """Whether a source file holds tests, by the naming rules of its language's test runner."""
    name = path.name
    in_test_dir = any(part.lower() in _TEST_DIRS for part in path.parts[:-1])
    convention = _convention(language)
    if convention == "Python":
        if name == "conftest.py" or name == "__init__.py":
            return False
        if name.startswith("test_") or name.endswith("_test.py"):
            return True
        # Helpers and factories also live in tests/; only files declaring tests count.
        return in_test_dir and _FUNCTION_PATTERNS["Python"].search(text) is not None
    if convention == "JavaScript":
        return bool(re.search(r"\.(?:test|spec)\.[cm]?[jt]sx?$", name)) or "__tests__" in path.parts
    if convention == "Go":
        return name.endswith("_test.go")
    if convention == "Java":
        stem = path.stem
        under_src_test = "/src/test/" in f"/{path.as_posix()}"
        return under_src_test or stem.endswith(("Test", "Tests", "IT"))
    if convention == "Rust":
        # Integration tests live in tests/; unit tests sit in src files under #[cfg(test)].
        return in_test_dir or _FUNCTION_PATTERNS["Rust"].search(text) is not None
    if convention == "Ruby":
        return name.endswith(("_spec.rb", "_test.rb"))
    return False


def count_test_functions(language: str, text: str) -> int:
    """The number of test functions or cases declared in a test file's text."""
    pattern = _FUNCTION_PATTERNS.get(_convention(language))
    return len(pattern.findall(text)) if pattern else 0
