"""Safe extraction of an uploaded repository archive (.zip, .tar, .tar.gz/.tgz, .tar.bz2/.xz).

Every member is checked before anything is written: no absolute paths or `..` components, no
links pointing outside the folder, no devices or FIFOs, and bounded member count and sizes,
because an upload is untrusted (zip-slip, CVE-2007-4559, zip bombs).
"""

from __future__ import annotations

import posixpath
import re
import stat
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from hiresight.portfolio.errors import ArchiveTooLargeError, BadArchiveError, UnsafeArchiveError

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_COPY_CHUNK = 1 << 16


@dataclass(frozen=True)
class ArchiveLimits:
    """Upper bounds for one archive; the defaults fit a portfolio project, not a monorepo."""

    max_archive_bytes: int = 100 * 1024 * 1024
    max_members: int = 20_000
    max_total_bytes: int = 300 * 1024 * 1024
    max_member_bytes: int = 50 * 1024 * 1024
    # Source code compresses about 5-10x; hundreds-to-one only comes from crafted bombs.
    max_compression_ratio: float = 200.0


def extract_archive(archive: Path, dest: Path, limits: ArchiveLimits | None = None) -> Path:
    """Check and extract `archive` into the empty folder `dest`; return the repository root."""
    limits = limits or ArchiveLimits()
    try:
        size = archive.stat().st_size
    except OSError as exc:
        raise BadArchiveError(f"cannot read the archive {archive.name}: {exc.strerror}") from exc
    if size > limits.max_archive_bytes:
        raise ArchiveTooLargeError(
            f"the archive is {size} bytes; the limit is {limits.max_archive_bytes}"
        )
    if zipfile.is_zipfile(archive):
        _extract_zip(archive, dest, limits)
    else:
        _extract_tar(archive, dest, limits)
    return _repository_root(dest)


def _member_parts(name: str) -> tuple[str, ...]:
    """The path components of a member name, refusing absolute paths and `..`."""
    normalised = name.replace("\\", "/")
    if "\x00" in name or normalised.startswith("/") or _WINDOWS_DRIVE.match(normalised):
        raise UnsafeArchiveError(f"the archive member {name!r} has an absolute path")
    parts = tuple(p for p in PurePosixPath(normalised).parts if p not in ("", "."))
    if ".." in parts:
        raise UnsafeArchiveError(f"the archive member {name!r} climbs out of its folder (..)")
    return parts


def _check_link(name: str, target: str) -> None:
    """Refuse a link whose target, resolved from the link's folder, leaves the archive root."""
    normalised = target.replace("\\", "/")
    if normalised.startswith("/") or _WINDOWS_DRIVE.match(normalised):
        raise UnsafeArchiveError(f"the link {name!r} points to the absolute path {target!r}")
    parent = posixpath.dirname("/".join(_member_parts(name)))
    resolved = posixpath.normpath(posixpath.join(parent, normalised))
    if resolved == ".." or resolved.startswith("../"):
        raise UnsafeArchiveError(f"the link {name!r} points outside the archive ({target!r})")


class _Budget:
    """Running totals against the limits, so a bomb is refused before it is written."""

    def __init__(self, limits: ArchiveLimits) -> None:
        self.limits = limits
        self.members = 0
        self.total = 0

    def add(self, name: str, size: int) -> None:
        """Count one member of `size` bytes, refusing it if any limit is passed."""
        self.members += 1
        if self.members > self.limits.max_members:
            raise ArchiveTooLargeError(
                f"the archive has more than {self.limits.max_members} members"
            )
        if size > self.limits.max_member_bytes:
            raise ArchiveTooLargeError(
                f"{name!r} expands to {size} bytes; the limit per file is "
                f"{self.limits.max_member_bytes}"
            )
        self.total += size
        if self.total > self.limits.max_total_bytes:
            raise ArchiveTooLargeError(
                f"the archive expands to more than {self.limits.max_total_bytes} bytes"
            )


def _extract_zip(archive: Path, dest: Path, limits: ArchiveLimits) -> None:
    budget = _Budget(limits)
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_members:
                raise ArchiveTooLargeError(
                    f"the archive has more than {limits.max_members} members"
                )
            files: list[tuple[zipfile.ZipInfo, Path]] = []
            for info in infos:
                parts = _member_parts(info.filename)
                if stat.S_ISLNK(info.external_attr >> 16):
                    # Checked, then skipped: zipfile would write links as plain files anyway.
                    if info.file_size > 4096:
                        raise UnsafeArchiveError(f"the link {info.filename!r} is malformed")
                    _check_link(info.filename, zf.read(info).decode("utf-8", "replace"))
                    continue
                budget.add(info.filename, info.file_size)
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 1024 * 1024 and ratio > limits.max_compression_ratio:
                    raise ArchiveTooLargeError(
                        f"{info.filename!r} compresses {ratio:.0f}:1, a likely zip bomb"
                    )
                if parts and not info.is_dir():
                    files.append((info, dest.joinpath(*parts)))
            for info, target in files:
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as out:
                    _copy_bounded(src, out, info.file_size, info.filename)
    except (
        zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError,
        ValueError,
    ) as exc:  # fmt: skip
        # RuntimeError: encrypted member; NotImplementedError: unsupported compression method;
        # OSError: members that clash, e.g. a file `a` and a file `a/b`.
        raise BadArchiveError(f"the zip archive cannot be read: {exc}") from exc


def _copy_bounded(src: IO[bytes], out: IO[bytes], declared: int, name: str) -> None:
    """Copy at most the declared size: a member that inflates beyond its header is refused."""
    written = 0
    while chunk := src.read(_COPY_CHUNK):
        written += len(chunk)
        if written > declared:
            raise ArchiveTooLargeError(f"{name!r} expands beyond its declared size")
        out.write(chunk)


def _extract_tar(archive: Path, dest: Path, limits: ArchiveLimits) -> None:
    budget = _Budget(limits)
    try:
        # Pass 1 streams the headers: sizes are declared before the data, so the budget stops a
        # bomb before decompressing much of it.
        with tarfile.open(archive, mode="r|*") as stream:
            for member in stream:
                _member_parts(member.name)
                if member.issym():
                    _check_link(member.name, member.linkname)
                elif member.islnk():
                    # A hard link names another member, so the same rules as member names apply.
                    _member_parts(member.linkname)
                elif not (member.isreg() or member.isdir()):
                    raise UnsafeArchiveError(
                        f"the archive member {member.name!r} is a device, FIFO or special file"
                    )
                budget.add(member.name, member.size)
        # Pass 2 extracts with the stdlib `data` filter as a second line of defence (PEP 706).
        with tarfile.open(archive, mode="r:*") as tar:
            tar.extractall(dest, filter="data")
    except tarfile.FilterError as exc:
        raise UnsafeArchiveError(f"the archive was refused: {exc}") from exc
    except (tarfile.TarError, zlib.error, EOFError, OSError, TypeError, ValueError) as exc:
        # TypeError/ValueError: tarfile's stream reader trips on some corrupt gzip headers.
        raise BadArchiveError(
            f"the file is not a readable .zip or .tar(.gz/.bz2/.xz) archive ({exc})"
        ) from exc


def _repository_root(dest: Path) -> Path:
    """The single top-level folder if the archive wraps everything in one (GitHub's zips do)."""
    entries = [p for p in dest.iterdir() if p.name != "__MACOSX"]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink():
        return entries[0]
    return dest
