"""End to end: known scores for a model repository, an empty one and archived copies."""

from __future__ import annotations

import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from hiresight.portfolio import (
    REVIEW_VERSION,
    BadArchiveError,
    RepositoryNotFoundError,
    review_repository,
)

from .factories import MIT, README_GOOD, make_model_repo, write


def test_model_repository_scores_100(tmp_path: Path) -> None:
    """A repository meeting every check scores 100 with evidence for each."""
    report = review_repository(make_model_repo(tmp_path / "repo"))
    failed = [(c.name, c.evidence) for c in report.checks if not c.passed]
    assert failed == []
    assert report.score == 100
    assert report.version == REVIEW_VERSION
    assert report.source == "directory"
    assert report.tests.test_functions == 32
    assert report.git is not None
    assert (report.git.commits, report.git.active_weeks) == (12, 6)
    assert report.languages[0].language == "Python"
    evidence = {c.name: c.evidence for c in report.checks}
    assert evidence["ci_configured"] == ".github/workflows/ci.yml"
    assert evidence["licence"] == "LICENSE (MIT)"
    assert evidence["reproducible_build"] == "requirements.txt (pinned)"


def test_empty_folder_scores_0(tmp_path: Path) -> None:
    """An empty folder fails everything and has unknown history."""
    report = review_repository(tmp_path)
    assert report.score == 0
    assert report.git is None
    assert report.total_files == 0
    assert report.notes == ["no .git folder: commit history unknown"]


def test_partial_repository_known_score(tmp_path: Path) -> None:
    """README (25) + licence (10) without history: 35 of 85 applicable points = 41."""
    write(tmp_path, "README.md", README_GOOD)
    write(tmp_path, "LICENSE", MIT)
    assert review_repository(tmp_path).score == 41


def test_tar_gz_with_history_matches_directory(tmp_path: Path) -> None:
    """The same repository uploaded as .tar.gz (with .git) gets the same checks and score."""
    repo = make_model_repo(tmp_path / "repo")
    archive = tmp_path / "repo.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(repo, arcname="repo")
    from_dir = review_repository(repo)
    from_archive = review_repository(archive)
    assert from_archive.source == "archive"
    assert from_archive.checks == from_dir.checks
    assert from_archive.score == 100


def test_zip_without_history_is_scored_on_the_rest(tmp_path: Path) -> None:
    """A GitHub 'Download ZIP' (no .git) scores 100 on the applicable checks, history n/a."""
    make_model_repo(tmp_path / "repo", with_git=False)
    archive = Path(shutil.make_archive(str(tmp_path / "upload"), "zip", tmp_path, "repo"))
    assert zipfile.is_zipfile(archive)
    report = review_repository(archive)
    history = [c for c in report.checks if c.name.startswith("history_")]
    assert [c.max for c in history] == [0, 0, 0]
    assert report.score == 100
    assert report.git is None


def test_missing_path_raises_not_found(tmp_path: Path) -> None:
    """A path that does not exist raises RepositoryNotFoundError with its code."""
    with pytest.raises(RepositoryNotFoundError) as info:
        review_repository(tmp_path / "nope")
    assert info.value.code == "portfolio_path_not_found"


def test_plain_file_raises_bad_archive(tmp_path: Path) -> None:
    """A regular file that is not an archive raises BadArchiveError."""
    path = write(tmp_path, "notes.txt", "hello")
    with pytest.raises(BadArchiveError):
        review_repository(path)


def test_extracted_files_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary extraction folder is deleted once the review is done."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "scratch"))
    (tmp_path / "scratch").mkdir()
    make_model_repo(tmp_path / "repo", with_git=False)
    archive = Path(shutil.make_archive(str(tmp_path / "upload"), "zip", tmp_path, "repo"))
    review_repository(archive)
    assert list((tmp_path / "scratch").iterdir()) == []
