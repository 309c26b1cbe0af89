"""Turn a candidate's patch (a folder of edited files or a unified diff) into edited files.

No library here both parses and strictly applies unified diffs without shelling out to
`patch` (whose fuzz and path handling we do not want), so this is a small strict applier:
context and removed lines must match exactly, and every path must stay inside src/.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from hiresight.grading.errors import PatchError, PatchPathError

MAX_PATCH_BYTES = 512 * 1024
_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def clean_path(raw: str) -> str:
    """Normalise a patched path to be src-relative; refuse anything that escapes src/."""
    path = raw.strip().split("\t", 1)[0]
    if path.startswith(("a/", "b/")):
        path = path[2:]
    if path.startswith("src/"):
        path = path[4:]
    parts = PurePosixPath(path).parts
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or "\x00" in path
        or any(p in ("..", ".") for p in parts)
    ):
        raise PatchPathError(f"path {raw.strip()!r} is outside src/")
    return PurePosixPath(*parts).as_posix()


@dataclass
class _FilePatch:
    old: str | None
    new: str | None
    hunks: list[tuple[int, int, int, int, list[str]]] = field(default_factory=list)


def _parse(diff: str) -> list[_FilePatch]:
    lines = diff.splitlines(keepends=True)
    patches: list[_FilePatch] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            old_raw, new_raw = line[4:].rstrip("\r\n"), lines[i + 1][4:].rstrip("\r\n")
            old = None if old_raw.split("\t")[0] == "/dev/null" else clean_path(old_raw)
            new = None if new_raw.split("\t")[0] == "/dev/null" else clean_path(new_raw)
            patches.append(_FilePatch(old, new))
            i += 2
            continue
        match = _HUNK_HEADER.match(line)
        if match:
            if not patches:
                raise PatchError("hunk before any ---/+++ file header")
            old_start, new_start = int(match[1]), int(match[3])
            old_len = int(match[2]) if match[2] is not None else 1
            new_len = int(match[4]) if match[4] is not None else 1
            body: list[str] = []
            i += 1
            seen_old = seen_new = 0
            while i < len(lines) and (seen_old < old_len or seen_new < new_len):
                text = lines[i]
                tag = text[:1]
                if tag == "\\":  # "\ No newline at end of file" refers to the previous line
                    if body:
                        body[-1] = body[-1].rstrip("\n")
                    i += 1
                    continue
                if tag not in (" ", "-", "+") and text.strip():
                    raise PatchError(f"malformed hunk line {i + 1}: {text.rstrip()!r}")
                if tag in ("", "\n"):
                    text, tag = " " + text, " "  # an empty context line whose space was eaten
                seen_old += tag in (" ", "-")
                seen_new += tag in (" ", "+")
                body.append(text)
                i += 1
            if i < len(lines) and lines[i].startswith("\\"):
                body[-1] = body[-1].rstrip("\n")
                i += 1
            if seen_old != old_len or seen_new != new_len:
                raise PatchError(f"hunk at line {old_start} is shorter than its header says")
            patches[-1].hunks.append((old_start, old_len, new_start, new_len, body))
            continue
        i += 1
    if not patches:
        raise PatchError("no file headers (--- / +++) found: not a unified diff")
    return patches


def _apply_hunks(
    name: str, original: str, hunks: list[tuple[int, int, int, int, list[str]]]
) -> str:
    source = original.splitlines(keepends=True)
    out: list[str] = []
    pos = 0  # index into source of the next line not yet copied
    for old_start, old_len, _, _, body in hunks:
        start = old_start - 1 if old_len else old_start  # a pure insertion names the line before
        if start < pos:
            raise PatchError(f"{name}: hunks overlap or are out of order at line {old_start}")
        out.extend(source[pos:start])
        pos = start
        for text in body:
            tag, content = text[0], text[1:]
            if tag in (" ", "-"):
                if pos >= len(source) or source[pos].rstrip("\r\n") != content.rstrip("\r\n"):
                    raise PatchError(f"{name}: patch does not apply at line {pos + 1}")
                if tag == " ":
                    out.append(source[pos])
                pos += 1
            else:
                out.append(content)
    out.extend(source[pos:])
    return "".join(out)


def apply_unified_diff(src: Mapping[str, str], diff: str) -> dict[str, str]:
    """Apply a unified diff to the src/ tree; return only the files it changes (or adds)."""
    if len(diff.encode()) > MAX_PATCH_BYTES:
        raise PatchError(f"patch larger than {MAX_PATCH_BYTES} bytes")
    changed: dict[str, str] = {}
    for patch in _parse(diff):
        if patch.new is None:
            raise PatchError(f"{patch.old}: deleting files is not supported")
        current = changed.get(patch.new, src.get(patch.old or patch.new, ""))
        if patch.old is not None and patch.old not in src and patch.old not in changed:
            raise PatchError(f"{patch.old}: no such file in src/")
        changed[patch.new] = _apply_hunks(patch.new, current, patch.hunks)
    return changed


def files_from_directory(folder: Path) -> dict[str, str]:
    """Read a folder of edited files (paths relative to it, as in src/)."""
    files: dict[str, str] = {}
    total = 0
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        if path.is_symlink():
            raise PatchPathError(f"{path}: symlinks are not accepted in a patch")
        rel = clean_path(path.relative_to(folder).as_posix())
        data = path.read_bytes()
        total += len(data)
        if total > MAX_PATCH_BYTES:
            raise PatchError(f"patch larger than {MAX_PATCH_BYTES} bytes")
        try:
            files[rel] = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PatchError(f"{rel}: not UTF-8 text") from exc
    return files


def load_patch(path: Path, src: Mapping[str, str]) -> dict[str, str]:
    """A patch on disk: a folder of edited files, or a unified-diff file against src/."""
    if path.is_dir():
        return files_from_directory(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PatchError(f"{path}: cannot read the patch: {exc}") from exc
    return apply_unified_diff(src, text)


def merged_tree(src: Mapping[str, str], files: Mapping[str, str]) -> dict[str, str]:
    """src/ with the edited files laid over it (missing files = unchanged); paths checked."""
    tree = dict(src)
    for rel, content in files.items():
        tree[clean_path(rel)] = content
    if sum(len(text.encode()) for text in tree.values()) > MAX_PATCH_BYTES:
        raise PatchError(f"the patched code is larger than {MAX_PATCH_BYTES} bytes")
    return tree


def changed_lines(before: Mapping[str, str], after: Mapping[str, str]) -> int:
    """Lines removed plus lines added between two trees (difflib, no context)."""
    total = 0
    for name in sorted(set(before) | set(after)):
        a = before.get(name, "").splitlines()
        b = after.get(name, "").splitlines()
        for line in difflib.unified_diff(a, b, n=0, lineterm=""):
            if line.startswith(("+++", "---")):
                continue
            if line[:1] in ("+", "-"):
                total += 1
    return total
