"""Evaluating archives: extracted with the portfolio reviewer's limits."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from hiresight.portfolio.errors import UnsafeArchiveError
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
