"""Evaluating archives: extracted with the portfolio reviewer's limits."""

from __future__ import annotations

import io
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from hiresight.portfolio.errors import BadArchiveError, UnsafeArchiveError
from hiresight.takehome import service
from hiresight.takehome.errors import SubmissionNotFoundError
from tests.takehome.factories import REFERENCE, make_assignment


def test_a_zip_submission_in_a_top_folder_is_evaluated(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    archive = tmp_path / "submission.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("my-solution/predict.py", REFERENCE)
        zf.writestr("my-solution/README.md", "# Mine\n")
    report = service.evaluate(assignment=root, submission=archive, repeat=False, tests=False)
    assert report.run.status == "ok"
    assert report.run.scores is not None
    assert report.run.scores.all.values["ndcg@2"] == 1.0


def test_a_zip_slip_submission_is_refused(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = REFERENCE.encode()
        info = tarfile.TarInfo("../../predict.py")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(UnsafeArchiveError):
        service.evaluate(assignment=root, submission=archive)


def test_a_missing_submission(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    with pytest.raises(SubmissionNotFoundError):
        service.evaluate(assignment=root, submission=tmp_path / "nothing.zip")


def test_a_git_bundle_keeps_its_history_for_the_review(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "predict.py").write_text(REFERENCE)
    (repo / "README.md").write_text("# Next jobs\n\n## How to run\n\n    python predict.py\n")
    git = ["git", "-C", str(repo), "-c", "user.name=C", "-c", "user.email=c@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    for message in ("first", "second"):
        (repo / f"{message}.txt").write_text(message)
        subprocess.run([*git, "add", "."], check=True)
        subprocess.run([*git, "commit", "-q", "-m", message], check=True)
    bundle = tmp_path / "submission.bundle"
    subprocess.run([*git, "bundle", "create", "-q", str(bundle), "--all"], check=True)
    report = service.evaluate(assignment=root, submission=bundle, repeat=False, tests=False)
    assert report.run.status == "ok"
    assert report.review is not None
    assert report.review.source == "archive"
    assert report.review.git is not None
    assert report.review.git.commits == 2


def test_a_file_that_is_no_bundle_is_refused(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    bundle = tmp_path / "fake.bundle"
    bundle.write_text("not a bundle")
    with pytest.raises(BadArchiveError, match="git bundle cannot be read"):
        service.evaluate(assignment=root, submission=bundle)
