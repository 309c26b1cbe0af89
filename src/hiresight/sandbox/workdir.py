"""Per-run private directories and unprivileged uids on the host."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from hiresight.sandbox.cgroups import owner_pid, process_alive
from hiresight.sandbox.errors import SandboxError, SandboxInputError

# Each concurrent run gets its own host uid from this range so that runs cannot signal,
# ptrace or read each other, and RLIMIT_NPROC (counted per uid) is per run, not shared.
UID_BASE = 61000
UID_COUNT = 512

# /dev/shm is RAM-backed: writing a job's few small files there is ~10x faster than disk.
DEFAULT_BASE_DIR = (
    Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
) / "hiresight-sandbox"


def _ensure_base(base: Path) -> Path:
    """Create the root-owned base dir; refuse one that someone else could have planted."""
    base.mkdir(mode=0o711, parents=True, exist_ok=True)
    st = base.lstat()
    if base.is_symlink() or st.st_uid != os.getuid():
        raise SandboxError(f"sandbox base dir {base} is not owned by the server user")
    # 0711: a run's uid may traverse to its own job dir but never list the others.
    os.chmod(base, 0o711)
    (base / "locks").mkdir(mode=0o700, exist_ok=True)
    return base


@contextlib.contextmanager
def lease_uid(lock_root: Path = DEFAULT_BASE_DIR) -> Iterator[int]:
    """Hold a host uid no other run (in any process) is using, via a flock per uid.

    Every caller must share one `lock_root` (the default) for uids to be unique host-wide;
    runs with a custom job base dir still lease from the default root.
    """
    locks = _ensure_base(lock_root) / "locks"
    if os.geteuid() != 0:
        # Unprivileged (a developer's machine): we cannot switch uids, so every run keeps ours.
        yield os.getuid()
        return
    start = os.getpid() % UID_COUNT  # spread processes over the range to cut contention
    for i in range(UID_COUNT):
        uid = UID_BASE + (start + i) % UID_COUNT
        fd = os.open(locks / f"uid-{uid}", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            yield uid
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        return
    raise SandboxError("no free sandbox uid: too many concurrent runs")


def safe_relative(path: str) -> PurePosixPath:
    """Validate a run-relative file path: relative, normalised, no `..`, no odd characters."""
    p = PurePosixPath(path)
    if (
        not path
        or p.is_absolute()
        or any(part in ("..", ".", "") for part in path.split("/"))
        or "\x00" in path
        or "\\" in path
    ):
        raise SandboxInputError(f"unsafe file path in sandbox job: {path!r}")
    return p


@contextlib.contextmanager
def job_dir(
    files: Mapping[str, bytes | str], uid: int, base: Path = DEFAULT_BASE_DIR
) -> Iterator[Path]:
    """A private host dir holding only this run's files, readable by `uid` alone."""
    # The owner's pid in the name lets a later start remove the folders of a dead process.
    root = Path(tempfile.mkdtemp(prefix=f"job-{os.getpid()}-", dir=_ensure_base(base)))
    try:
        for rel, content in files.items():
            target = root / safe_relative(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode() if isinstance(content, str) else content
            target.write_bytes(data)
        chown = os.chown if os.geteuid() == 0 else (lambda *_: None)
        for dirpath, dirnames, filenames in os.walk(root):
            for name in dirnames:
                chown(os.path.join(dirpath, name), uid, uid)
                os.chmod(os.path.join(dirpath, name), 0o500)
            for name in filenames:
                chown(os.path.join(dirpath, name), uid, uid)
                os.chmod(os.path.join(dirpath, name), 0o400)
        chown(root, uid, uid)
        os.chmod(root, 0o500)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


# A run lasts seconds; an unnamed folder (an older version's) this old is certainly left over.
UNNAMED_JOB_MAX_AGE_SECONDS = 3600.0


def remove_orphan_job_dirs(base: Path = DEFAULT_BASE_DIR) -> int:
    """Remove job folders whose process died mid-run (SIGKILL skips the cleanup); the count.

    Folders of live processes are left alone, whichever process they belong to.
    """
    if not base.is_dir():
        return 0
    removed = 0
    now = time.time()
    for folder in base.glob("job-*"):
        pid = owner_pid(folder.name.removeprefix("job-"))
        if pid is not None and process_alive(pid):
            continue
        with contextlib.suppress(OSError):
            if pid is None and now - folder.lstat().st_mtime < UNNAMED_JOB_MAX_AGE_SECONDS:
                continue
            # Run folders are read-only (0500): make them removable by a non-root owner too.
            for dirpath, _dirs, _files in os.walk(folder):
                os.chmod(dirpath, 0o700)
            shutil.rmtree(folder)
            removed += 1
    return removed
