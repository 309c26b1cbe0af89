"""Reading patches: unified diffs (strictly applied) and folders of edited files."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from hiresight.grading.errors import PatchError, PatchPathError
from hiresight.grading.patches import (
    apply_unified_diff,
    changed_lines,
    clean_path,
    files_from_directory,
    load_patch,
    merged_tree,
)
from tests.challenges.factories import FIXTURES, PY_FIXTURE, fixture_challenge

SRC = {"app.py": "a\nb\nc\nd\ne\n"}


def _diff(name: str, before: str, after: str, prefix: str = "", n: int = 3) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        f"a/{prefix}{name}",
        f"b/{prefix}{name}",
        n=n,
    )
    return "".join(lines)


@pytest.mark.parametrize("prefix", ["", "src/"])
@pytest.mark.parametrize("context", [0, 3])
def test_difflib_patch_round_trips(prefix: str, context: int) -> None:
    """A difflib diff (a/ b/, optional src/ prefix, any context) reproduces the file."""
    ch = fixture_challenge(PY_FIXTURE)
    diff = _diff(
        "inventory.py", ch.src["inventory.py"], ch.solution["inventory.py"], prefix, context
    )
    assert apply_unified_diff(ch.src, diff) == {"inventory.py": ch.solution["inventory.py"]}


def test_insert_at_top_and_append_at_end() -> None:
    """Pure insertions before line 1 and after the last line land where they should."""
    after = "top\na\nb\nc\nd\ne\nend\n"
    assert apply_unified_diff(SRC, _diff("app.py", SRC["app.py"], after, n=0)) == {"app.py": after}


def test_no_newline_at_end_of_file_marker() -> None:
    """`\\ No newline at end of file` strips the newline of the line before it."""
    diff = "--- a/app.py\n+++ b/app.py\n@@ -5 +5 @@\n-e\n+E\n\\ No newline at end of file\n"
    assert apply_unified_diff(SRC, diff)["app.py"] == "a\nb\nc\nd\nE"


def test_context_mismatch_is_refused() -> None:
    """A hunk whose context does not match src/ is an error, never applied with fuzz."""
    diff = "--- a/app.py\n+++ b/app.py\n@@ -2,2 +2,2 @@\n b\n-X\n+Y\n"
    with pytest.raises(PatchError, match="does not apply at line 3") as info:
        apply_unified_diff(SRC, diff)
    assert info.value.code == "patch_invalid"


@pytest.mark.parametrize(
    "path", ["../etc/passwd", "/etc/passwd", "src/../../x.py", "b/../../etc/x", "x\\..\\y"]
)
def test_paths_escaping_src_are_refused(path: str) -> None:
    """Absolute paths and .. segments raise PatchPathError (code patch_path_escapes)."""
    diff = f"--- /dev/null\n+++ {path}\n@@ -0,0 +1 @@\n+boom\n"
    with pytest.raises(PatchPathError) as info:
        apply_unified_diff(SRC, diff)
    assert info.value.code == "patch_path_escapes"


def test_new_file_and_missing_file() -> None:
    """/dev/null as the old side adds a file; patching an unknown file is an error."""
    added = apply_unified_diff(
        SRC, "--- /dev/null\n+++ b/new.py\n@@ -0,0 +1,2 @@\n+x = 1\n+y = 2\n"
    )
    assert added == {"new.py": "x = 1\ny = 2\n"}
    with pytest.raises(PatchError, match="no such file"):
        apply_unified_diff(SRC, "--- a/nope.py\n+++ b/nope.py\n@@ -1 +1 @@\n-a\n+b\n")


def test_not_a_diff_and_truncated_hunk() -> None:
    """Text without headers, or a hunk shorter than its header, is refused."""
    with pytest.raises(PatchError, match="not a unified diff"):
        apply_unified_diff(SRC, "hello\n")
    with pytest.raises(PatchError, match="shorter than its header"):
        apply_unified_diff(SRC, "--- a/app.py\n+++ b/app.py\n@@ -1,3 +1,3 @@\n a\n")


def test_directory_patch_and_symlink_refused(tmp_path: Path) -> None:
    """A folder of files maps relative paths to text; a symlink inside is refused."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/mod.py").write_text("x = 1\n")
    assert files_from_directory(tmp_path) == {"pkg/mod.py": "x = 1\n"}
    (tmp_path / "link.py").symlink_to("/etc/passwd")
    with pytest.raises(PatchPathError):
        files_from_directory(tmp_path)


def test_load_patch_accepts_folder_or_diff_file(tmp_path: Path) -> None:
    """load_patch dispatches on the path kind."""
    ch = fixture_challenge(PY_FIXTURE)
    diff_file = tmp_path / "fix.diff"
    diff_file.write_text(_diff("inventory.py", ch.src["inventory.py"], ch.solution["inventory.py"]))
    assert load_patch(diff_file, ch.src) == ch.solution
    assert load_patch(FIXTURES / PY_FIXTURE / "solution", ch.src) == ch.solution


def test_merged_tree_and_changed_lines() -> None:
    """Missing files stay unchanged; changed lines count removals plus additions."""
    ch = fixture_challenge(PY_FIXTURE)
    tree = merged_tree(ch.src, {"inventory.py": ch.solution["inventory.py"]})
    assert tree == ch.solution
    assert changed_lines(ch.src, ch.solution) == 4  # 2 inserted + 1 replaced (1 out, 1 in)
    with pytest.raises(PatchPathError):
        merged_tree(ch.src, {"../x.py": ""})
    assert clean_path("b/src/pkg/m.py") == "pkg/m.py"


def test_oversized_patched_tree_is_refused() -> None:
    """More than 512 KiB of code is refused before anything is compiled or run."""
    with pytest.raises(PatchError, match="larger than"):
        merged_tree(SRC, {"big.py": "x = 1\n" * 100_000})
