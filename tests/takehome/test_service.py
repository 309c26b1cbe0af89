"""Evaluating archives: extracted with the portfolio reviewer's limits."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.portfolio.errors import BadArchiveError, UnsafeArchiveError
from hiresight.takehome import service
from hiresight.takehome.errors import (
    DeadlinePassedError,
    SubmissionNotFoundError,
    UnsupportedUploadError,
)
from hiresight.takehome.models import VersionState
from tests.factories import make_org, make_user
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


# ---- stored assignments, submissions and versions -------------------------------------------


def _zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def test_assignment_submission_versions_and_deadline(
    sqlite_session: Session, tmp_path: Path
) -> None:
    org = make_org(sqlite_session)
    recruiter = make_user(sqlite_session, Role.recruiter, org=org)
    candidate = make_user(sqlite_session)
    stored = service.create_assignment(
        sqlite_session,
        organization_id=org.id,
        created_by_id=recruiter.id,
        source=make_assignment(tmp_path / "a"),
    )
    assert (stored.title, stored.duration_days) == ("Tiny next job", 2)
    assert stored.spec["contract"]["k"] == 2
    with tarfile.open(fileobj=io.BytesIO(stored.archive)) as tar:
        assert "hidden/answers.csv" in tar.getnames()

    t0 = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    submission = service.start(sqlite_session, assignment=stored, candidate_id=candidate.id, now=t0)
    assert submission.deadline_at == t0 + dt.timedelta(days=2)
    again = service.start(
        sqlite_session, assignment=stored, candidate_id=candidate.id, now=t0 + dt.timedelta(days=1)
    )
    assert again.id == submission.id
    assert again.deadline_at == t0 + dt.timedelta(days=2)  # starting again moves nothing

    first = service.add_version(
        sqlite_session,
        submission=submission,
        filename="v1.zip",
        content=_zip({"predict.py": "raise SystemExit(3)\n"}),
        now=t0 + dt.timedelta(hours=1),
    )
    second = service.add_version(
        sqlite_session,
        submission=submission,
        filename="mine.tar.gz",
        content=_tar_gz({"sol/predict.py": REFERENCE}),
        now=t0 + dt.timedelta(days=1),
    )
    assert (first.number, second.number, second.kind) == (1, 2, "tar.gz")
    with pytest.raises(DeadlinePassedError):
        service.add_version(
            sqlite_session,
            submission=submission,
            filename="late.zip",
            content=_zip({"predict.py": REFERENCE}),
            now=t0 + dt.timedelta(days=2, seconds=1),
        )
    with pytest.raises(UnsupportedUploadError, match=r"not a \.zip"):
        service.add_version(
            sqlite_session, submission=submission, filename="x.rar", content=b"x", now=t0
        )

    evaluated = service.evaluate_version(sqlite_session, version=second)
    assert evaluated.state is VersionState.evaluated
    assert evaluated.report is not None
    assert evaluated.report["run"]["scores"]["all"]["values"]["ndcg@2"] == 1.0
    failed = service.evaluate_version(sqlite_session, version=first)
    assert failed.state is VersionState.evaluated
    assert failed.report is not None
    assert failed.report["run"]["status"] == "nonzero_exit"


def test_an_unsafe_version_is_recorded_as_failed(sqlite_session: Session, tmp_path: Path) -> None:
    org = make_org(sqlite_session)
    stored = service.create_assignment(
        sqlite_session,
        organization_id=org.id,
        created_by_id=None,
        source=make_assignment(tmp_path / "a"),
    )
    submission = service.start(
        sqlite_session, assignment=stored, candidate_id=make_user(sqlite_session).id
    )
    version = service.add_version(
        sqlite_session,
        submission=submission,
        filename="evil.tar.gz",
        content=_tar_gz({"../x.py": "x"}),
    )
    service.evaluate_version(sqlite_session, version=version)
    assert version.state is VersionState.failed
    assert version.error is not None
    assert version.error.startswith("portfolio_unsafe_archive")


def _tar_gz(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()
