"""Commit activity from `git log`, with a timeout and without trusting the repository config."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hiresight.portfolio.schemas import GitActivity

GIT_TIMEOUT_SECONDS = 10.0
MAX_COMMITS = 100_000
_SEP = "\x1f"

# A repository's own config can name programs git runs (core.fsmonitor, gpg.program with
# log.showSignature...); an uploaded .git gets this minimal config instead.
_SAFE_CONFIG = "[core]\n\trepositoryformatversion = 0\n\tbare = false\n"


@dataclass(frozen=True)
class GitReadout:
    """The activity found, or None with a note saying why history is unknown."""

    activity: GitActivity | None
    note: str | None = None


def sanitise_untrusted_git(root: Path) -> None:
    """Make an uploaded repository's .git safe to read: no foreign config, no links elsewhere."""
    git = root / ".git"
    if git.is_symlink() or git.is_file():
        _remove(git)  # a `gitdir:` file or a link could point git at any folder on the host
        return
    if not git.is_dir():
        return
    for unsafe in ("config", "commondir", "objects/info/alternates", "hooks"):
        _remove(git / unsafe)
    (git / "config").write_text(_SAFE_CONFIG, encoding="utf-8")


def _remove(path: Path) -> None:
    """Delete a file, link or folder (a link itself, never what it points to)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def read_git_activity(root: Path, *, timeout: float = GIT_TIMEOUT_SECONDS) -> GitReadout:
    """Commits, authors, first/last commit date and active weeks of HEAD, via `git log`."""
    if not (root / ".git").exists():
        return GitReadout(None, "no .git folder: commit history unknown")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),  # no user config either
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CEILING_DIRECTORIES": str(root.resolve().parent),  # never read a parent's repo
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "LC_ALL": "C",
    }
    command = [
        "git", "--no-pager", "-C", str(root),
        "-c", "core.fsmonitor=false", "-c", "log.showSignature=false",
        "log", "--no-color", f"--max-count={MAX_COMMITS}",
        f"--format=%H{_SEP}%ae{_SEP}%an{_SEP}%at", "HEAD", "--",
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, timeout=timeout, check=False, text=True,
            encoding="utf-8", errors="replace",
        )  # fmt: skip
    except FileNotFoundError:
        return GitReadout(None, "git is not installed: commit history unknown")
    except subprocess.TimeoutExpired:
        return GitReadout(None, f"git log took longer than {timeout:g} s: commit history unknown")
    if done.returncode != 0:
        if "bad revision 'HEAD'" in done.stderr or "does not have any commits" in done.stderr:
            return GitReadout(GitActivity(commits=0, authors=0, first_commit=None,
                                          last_commit=None, active_weeks=0))  # fmt: skip
        first_line = (done.stderr.strip().splitlines() or ["no message"])[0]
        return GitReadout(None, f"git log failed ({first_line[:120]}): commit history unknown")
    return GitReadout(parse_log(done.stdout))


def parse_log(output: str) -> GitActivity:
    """Summarise `git log --format=%H<US>%ae<US>%an<US>%at` output."""
    authors: set[str] = set()
    stamps: list[datetime] = []
    for line in output.splitlines():
        fields = line.split(_SEP)
        if len(fields) != 4 or not fields[3].isdigit():
            continue
        _sha, email, name, timestamp = fields
        authors.add((email or name).strip().lower())
        stamps.append(datetime.fromtimestamp(int(timestamp), tz=UTC))
    weeks = {stamp.isocalendar()[:2] for stamp in stamps}
    return GitActivity(
        commits=len(stamps),
        authors=len(authors),
        first_commit=min(stamps, default=None),
        last_commit=max(stamps, default=None),
        active_weeks=len(weeks),
    )
