"""Safe archive extraction: traversal, escaping links, special files and bombs are refused."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiresight.portfolio import (
    ArchiveLimits,
    ArchiveTooLargeError,
    BadArchiveError,
    UnsafeArchiveError,
    extract_archive,
)
from hiresight.portfolio.archive import _member_parts


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _tar(path: Path, members: list[tarfile.TarInfo], data: dict[str, bytes] | None = None) -> Path:
    data = data or {}
    with tarfile.open(path, "w:gz") as tf:
        for info in members:
            payload = data.get(info.name)
            if payload is not None:
                info.size = len(payload)
            tf.addfile(info, io.BytesIO(payload) if payload is not None else None)
    return path


def _member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.mode = 0o644
    return info


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    """An empty extraction folder inside tmp_path (so escapes would land in tmp_path)."""
    folder = tmp_path / "out" / "dest"
    folder.mkdir(parents=True)
    return folder


def test_zip_with_top_folder_returns_that_folder(tmp_path: Path, dest: Path) -> None:
    """A GitHub-style zip (everything under repo-main/) extracts and its root is that folder."""
    archive = _zip(tmp_path / "a.zip", {"repo-main/README.md": b"hi", "repo-main/src/x.py": b"1"})
    root = extract_archive(archive, dest)
    assert root == dest / "repo-main"
    assert (root / "src" / "x.py").read_text() == "1"


@pytest.mark.parametrize("name", ["../evil.txt", "ok/../../evil.txt", "/tmp/evil.txt", "C:/evil"])
def test_zip_path_traversal_is_refused(tmp_path: Path, dest: Path, name: str) -> None:
    """Zip-slip names (.., absolute, drive letters) raise UnsafeArchiveError and write nothing."""
    archive = _zip(tmp_path / "a.zip", {"good.txt": b"x", name: b"pwned"})
    with pytest.raises(UnsafeArchiveError) as info:
        extract_archive(archive, dest)
    assert info.value.code == "portfolio_unsafe_archive"
    assert list(dest.iterdir()) == []
    assert not (tmp_path / "out" / "evil.txt").exists()


def test_zip_symlink_escaping_is_refused(tmp_path: Path, dest: Path) -> None:
    """A zip entry flagged as a symlink to ../../etc is refused."""
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("repo/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "../../etc")
    with pytest.raises(UnsafeArchiveError, match="outside"):
        extract_archive(archive, dest)


def test_zip_bomb_ratio_is_refused(tmp_path: Path, dest: Path) -> None:
    """A member that compresses over 200:1 (20 MB of zeros) is refused before writing."""
    archive = _zip(tmp_path / "bomb.zip", {"zeros.bin": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(ArchiveTooLargeError, match="zip bomb") as info:
        extract_archive(archive, dest)
    assert info.value.code == "portfolio_archive_too_large"
    assert list(dest.iterdir()) == []


def test_zip_member_count_limit(tmp_path: Path, dest: Path) -> None:
    """More members than max_members is refused."""
    archive = _zip(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(11)})
    with pytest.raises(ArchiveTooLargeError, match="more than 10 members"):
        extract_archive(archive, dest, ArchiveLimits(max_members=10))


def test_total_size_limit(tmp_path: Path, dest: Path) -> None:
    """Members that add up past max_total_bytes are refused."""
    archive = _zip(tmp_path / "big.zip", {"a.txt": b"a" * 600, "b.txt": b"b" * 600})
    with pytest.raises(ArchiveTooLargeError, match="expands to more than 1000"):
        extract_archive(archive, dest, ArchiveLimits(max_total_bytes=1000))


def test_archive_file_size_limit(tmp_path: Path, dest: Path) -> None:
    """An upload larger than max_archive_bytes is refused without opening it."""
    archive = _zip(tmp_path / "a.zip", {"a.txt": b"a" * 100})
    with pytest.raises(ArchiveTooLargeError, match="the limit is 10"):
        extract_archive(archive, dest, ArchiveLimits(max_archive_bytes=10))


def test_tar_gz_with_internal_symlink_extracts(tmp_path: Path, dest: Path) -> None:
    """A tar.gz whose symlink stays inside the archive extracts, the link intact."""
    archive = _tar(
        tmp_path / "ok.tar.gz",
        [_member("docs/real.md"), _member("docs/alias.md", tarfile.SYMTYPE, "real.md")],
        {"docs/real.md": b"text"},
    )
    root = extract_archive(archive, dest)
    assert (root / "alias.md").is_symlink()
    assert (root / "alias.md").read_text() == "text"


@pytest.mark.parametrize(
    ("name", "kind", "linkname"),
    [
        ("repo/link", tarfile.SYMTYPE, "../../../etc/passwd"),
        ("repo/link", tarfile.SYMTYPE, "/etc/passwd"),
        ("repo/hard", tarfile.LNKTYPE, "../outside.txt"),
        ("../evil.txt", tarfile.REGTYPE, ""),
        ("repo/fifo", tarfile.FIFOTYPE, ""),
        ("repo/dev", tarfile.CHRTYPE, ""),
    ],
)
def test_unsafe_tar_members_are_refused(
    tmp_path: Path, dest: Path, name: str, kind: bytes, linkname: str
) -> None:
    """Escaping links, traversal and device/FIFO members raise UnsafeArchiveError."""
    archive = _tar(tmp_path / "bad.tar.gz", [_member("repo/ok.txt"), _member(name, kind, linkname)])
    with pytest.raises(UnsafeArchiveError):
        extract_archive(archive, dest)
    assert list(dest.iterdir()) == []


def test_tar_member_size_limit(tmp_path: Path, dest: Path) -> None:
    """A tar member declaring more than max_member_bytes is refused from its header."""
    archive = _tar(tmp_path / "t.tar.gz", [_member("big.bin")], {"big.bin": b"\0" * 5000})
    with pytest.raises(ArchiveTooLargeError, match="limit per file is 4096"):
        extract_archive(archive, dest, ArchiveLimits(max_member_bytes=4096))


@pytest.mark.parametrize("content", [b"just some text, not an archive", b"\x1f\x8b\x08garbage"])
def test_non_archive_is_bad_archive(tmp_path: Path, dest: Path, content: bytes) -> None:
    """A plain file or a corrupt gzip raises BadArchiveError with its code."""
    path = tmp_path / "upload.tar.gz"
    path.write_bytes(content)
    with pytest.raises(BadArchiveError) as info:
        extract_archive(path, dest)
    assert info.value.code == "portfolio_bad_archive"


def test_truncated_tar_gz_is_bad_archive(tmp_path: Path, dest: Path) -> None:
    """A tar.gz cut off half-way raises BadArchiveError, not a raw EOFError."""
    good = _tar(tmp_path / "g.tar.gz", [_member("a.bin")], {"a.bin": bytes(range(256)) * 400})
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(BadArchiveError):
        extract_archive(cut, dest)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "..", ".", "", "/", "\\", "C:", "b.txt", "~"]), max_size=8))
def test_member_names_never_escape(pieces: list[str]) -> None:
    """Any member name is either refused or maps to a path inside the extraction folder."""
    name = "/".join(pieces)
    dest = Path("/srv/extract")
    try:
        parts = _member_parts(name)
    except UnsafeArchiveError:
        return
    target = Path(os.path.normpath(dest.joinpath(*parts)))
    assert target == dest or dest in target.parents


def test_zip_with_clashing_members_is_bad_archive(tmp_path: Path, dest: Path) -> None:
    """A zip holding both a file `a` and a file `a/b` is reported, not a raw OSError."""
    archive = _zip(tmp_path / "clash.zip", {"a": b"file", "a/b": b"child"})
    with pytest.raises(BadArchiveError):
        extract_archive(archive, dest)
