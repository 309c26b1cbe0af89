"""Repository walk: languages, non-blank lines, vendored and hidden folders, links, binaries."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from hiresight.portfolio.inventory import ScanLimits, scan

from .factories import write


def test_counts_languages_and_non_blank_lines(tmp_path: Path) -> None:
    """Known answer: lines are non-blank lines per language, files per language."""
    write(tmp_path, "app/main.py", "import os\n\n\nprint(os.name)\n")
    write(tmp_path, "app/util.py", "x = 1\n")
    write(tmp_path, "web/index.ts", "const a = 1;\n\nexport default a;\n")
    write(tmp_path, "notes.txt", "not code\n")
    inv = scan(tmp_path)
    stats = {s.language: (s.files, s.lines) for s in inv.languages.values()}
    assert stats == {"Python": (2, 3), "TypeScript": (1, 2)}
    assert inv.total_lines == 5
    assert sorted(inv.files) == [
        PurePosixPath(p) for p in ["app/main.py", "app/util.py", "notes.txt", "web/index.ts"]
    ]


def test_vendored_and_hidden_folders_are_ignored(tmp_path: Path) -> None:
    """node_modules, vendor, .venv and .git are skipped; .github is kept for CI detection."""
    write(tmp_path, "node_modules/lib/index.js", "module.exports = 1;\n")
    write(tmp_path, "vendor/dep.go", "package dep\n")
    write(tmp_path, ".venv/lib/site.py", "x = 1\n")
    write(tmp_path, ".git/config", "[core]\n")
    write(tmp_path, ".github/workflows/ci.yml", "on: push\n")
    write(tmp_path, "src/app.js", "console.log(1);\n")
    write(tmp_path, "src/app.min.js", "console.log(1);\n")
    inv = scan(tmp_path)
    assert [f.as_posix() for f in inv.files] == [
        ".github/workflows/ci.yml",
        "src/app.js",
        "src/app.min.js",
    ]
    assert inv.total_lines == 1  # minified bundles are not counted as written code


def test_symlinks_are_not_followed(tmp_path: Path) -> None:
    """A link to a file or folder outside the repository contributes nothing."""
    outside = tmp_path / "outside"
    write(outside, "secret.py", "password = 'x'\n")
    repo = tmp_path / "repo"
    write(repo, "main.py", "print(1)\n")
    os.symlink(outside / "secret.py", repo / "link.py")
    os.symlink(outside, repo / "linked_dir")
    inv = scan(repo)
    assert [f.as_posix() for f in inv.files] == ["main.py"]


def test_binary_files_have_no_lines(tmp_path: Path) -> None:
    """A file with NUL bytes is counted as a file but not as source lines."""
    (tmp_path / "blob.py").write_bytes(b"\x00\x01\x02print(1)\n")
    inv = scan(tmp_path)
    assert len(inv.files) == 1
    assert inv.total_lines == 0


def test_tests_are_tallied(tmp_path: Path) -> None:
    """Test files and functions are summed over languages."""
    write(tmp_path, "tests/test_a.py", "def test_x():\n    pass\ndef test_y():\n    pass\n")
    write(tmp_path, "pkg/a_test.go", "func TestA(t *testing.T) {}\n")
    tests = scan(tmp_path).tests
    assert (tests.test_files, tests.test_functions) == (2, 3)
    assert tests.by_language == {"Python": 2, "Go": 1}


def test_file_limit_stops_with_a_note(tmp_path: Path) -> None:
    """Past max_files the walk stops and says so."""
    for i in range(5):
        write(tmp_path, f"f{i}.py", "x = 1\n")
    inv = scan(tmp_path, ScanLimits(max_files=3))
    assert len(inv.files) == 3
    assert inv.notes == ["stopped after 3 files"]
