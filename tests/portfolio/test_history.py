"""Commit activity from git log: known answers on repositories built with fixed dates."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hiresight.portfolio.history import parse_log, read_git_activity, sanitise_untrusted_git

from .factories import START, commit_series, git, write


def test_activity_known_answer(tmp_path: Path) -> None:
    """5 commits by 2 authors on days 0, 1, 8, 9 and 30 (from a Monday) fall in 3 ISO weeks."""
    git(tmp_path, "init", "-q")
    days = [0, 1, 8, 9, 30]
    commit_series(tmp_path, [START + timedelta(days=d) for d in days[:3]])
    commit_series(tmp_path, [START + timedelta(days=d) for d in days[3:]], email="bob@example.com")
    readout = read_git_activity(tmp_path)
    activity = readout.activity
    assert activity is not None
    assert readout.note is None
    assert (activity.commits, activity.authors, activity.active_weeks) == (5, 2, 3)
    assert activity.first_commit == START
    assert activity.last_commit == START + timedelta(days=30)


def test_no_git_folder_means_unknown(tmp_path: Path) -> None:
    """Without .git the history is unknown, with a note, even inside another repository."""
    git(tmp_path, "init", "-q")
    commit_series(tmp_path, [START])
    sub = tmp_path / "sub"
    sub.mkdir()
    readout = read_git_activity(sub)
    assert readout.activity is None
    assert readout.note is not None
    assert "no .git" in readout.note


def test_repository_without_commits(tmp_path: Path) -> None:
    """A freshly initialised repository has zero commits, not an error."""
    git(tmp_path, "init", "-q")
    activity = read_git_activity(tmp_path).activity
    assert activity is not None
    assert (activity.commits, activity.first_commit) == (0, None)


def test_broken_git_folder_is_reported(tmp_path: Path) -> None:
    """A .git folder git cannot read gives unknown history and git's reason."""
    write(tmp_path, ".git/HEAD", "garbage\n")
    readout = read_git_activity(tmp_path)
    assert readout.activity is None
    assert readout.note is not None
    assert readout.note.startswith("git log failed")


def test_timeout_is_reported(tmp_path: Path) -> None:
    """A git log that exceeds its time limit yields unknown history with a timeout note."""
    git(tmp_path, "init", "-q")
    commit_series(tmp_path, [START])
    readout = read_git_activity(tmp_path, timeout=1e-6)
    assert readout.activity is None
    assert readout.note is not None
    assert "longer than" in readout.note


def test_sanitise_replaces_config_and_pointers(tmp_path: Path) -> None:
    """An uploaded .git loses its config (programs git could run), hooks and alternates."""
    git(tmp_path, "init", "-q")
    commit_series(tmp_path, [START, START + timedelta(days=1)])
    write(
        tmp_path, ".git/config", "[core]\n\tfsmonitor = /bin/evil\n[gpg]\n\tprogram = /bin/evil\n"
    )
    write(tmp_path, ".git/objects/info/alternates", "/somewhere/else/objects\n")
    write(tmp_path, ".git/hooks/post-checkout", "#!/bin/sh\n")
    sanitise_untrusted_git(tmp_path)
    assert "evil" not in (tmp_path / ".git" / "config").read_text()
    assert not (tmp_path / ".git" / "objects" / "info" / "alternates").exists()
    assert not (tmp_path / ".git" / "hooks").exists()
    activity = read_git_activity(tmp_path).activity
    assert activity is not None
    assert activity.commits == 2


def test_sanitise_removes_gitdir_pointer_file(tmp_path: Path) -> None:
    """A `.git` file (gitdir: pointer to another folder) is deleted rather than followed."""
    write(tmp_path, ".git", "gitdir: /etc\n")
    sanitise_untrusted_git(tmp_path)
    assert not (tmp_path / ".git").exists()


def test_parse_log_skips_malformed_lines() -> None:
    """Known answer: lines without four fields or a numeric time are ignored."""
    out = "a\x1fx@e.com\x1fX\x1f1704110400\nnoise\nb\x1f\x1fY\x1fnot-a-time\n"
    activity = parse_log(out)
    assert (activity.commits, activity.authors, activity.active_weeks) == (1, 1, 1)


def test_sanitise_replaces_linked_config_without_touching_target(tmp_path: Path) -> None:
    """A .git/config that is a symlink is replaced; the file it pointed to is left alone."""
    git(tmp_path, "init", "-q")
    commit_series(tmp_path, [START])
    target = write(tmp_path, "notes/keep.txt", "keep me\n")
    config = tmp_path / ".git" / "config"
    config.unlink()
    config.symlink_to(target)
    sanitise_untrusted_git(tmp_path)
    assert not config.is_symlink()
    assert target.read_text() == "keep me\n"
