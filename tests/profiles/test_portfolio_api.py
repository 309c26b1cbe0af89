"""Attaching a portfolio repository to a profile: reviewed, stored, scoped, bad archives refused."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.profiles.models import PortfolioReview
from tests.factories import bearer, make_application, make_job, make_user
from tests.portfolio.factories import make_model_repo


def _zip_of(folder: Path) -> bytes:
    archive = shutil.make_archive(str(folder.parent / "repo"), "zip", folder)
    return Path(archive).read_bytes()


def test_candidate_attaches_a_repository(client: TestClient, db: Session, tmp_path: Path) -> None:
    """A zipped repository is reviewed; the scored checklist is stored on the profile."""
    candidate = make_user(db)
    headers = bearer(db, candidate)
    db.commit()
    data = _zip_of(make_model_repo(tmp_path / "repo", with_git=False))
    r = client.post(
        "/api/v1/candidates/me/portfolio", headers=headers, files={"file": ("project.zip", data)}
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["score"] == 100
    names = {c["name"] for c in body["report"]["checks"]}
    assert {"readme_present", "tests_present", "ci_configured", "licence"} <= names
    listed = client.get(f"/api/v1/candidates/{candidate.id}/portfolio", headers=headers).json()
    assert [p["id"] for p in listed] == [body["id"]]


def test_bad_archives_are_refused_and_nothing_stored(client: TestClient, db: Session) -> None:
    """Garbage and a path-traversal zip get a clear 4xx; no review is stored."""
    headers = bearer(db, make_user(db))
    db.commit()
    garbage = client.post(
        "/api/v1/candidates/me/portfolio",
        headers=headers,
        files={"file": ("x.zip", b"not a zip at all")},
    )
    assert 400 <= garbage.status_code < 500
    assert garbage.json()["error"]["code"].startswith("portfolio_")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("../../etc/evil.txt", "x")
    traversal = client.post(
        "/api/v1/candidates/me/portfolio",
        headers=headers,
        files={"file": ("evil.zip", buffer.getvalue())},
    )
    assert 400 <= traversal.status_code < 500
    assert db.scalar(select(func.count()).select_from(PortfolioReview)) == 0


def test_portfolio_is_scoped(client: TestClient, db: Session, tmp_path: Path) -> None:
    """Another candidate gets 404; a recruiter of an org the candidate applied to can read it."""
    candidate = make_user(db)
    recruiter = make_user(db, Role.recruiter)
    make_application(db, candidate, make_job(db, recruiter.organization))
    own, other, staff = bearer(db, candidate), bearer(db, make_user(db)), bearer(db, recruiter)
    db.commit()
    client.post(
        "/api/v1/candidates/me/portfolio",
        headers=own,
        files={"file": ("p.zip", _zip_of(make_model_repo(tmp_path / "r", with_git=False)))},
    )
    url = f"/api/v1/candidates/{candidate.id}/portfolio"
    assert client.get(url, headers=other).status_code == 404
    assert len(client.get(url, headers=staff).json()) == 1


def test_a_file_name_longer_than_the_file_system_allows_is_fine(
    client: TestClient, db: Session, tmp_path: Path
) -> None:
    """A 300-character extension (once written to a temp file: ENAMETOOLONG, a 500) is
    reviewed as usual; the stored name is cleaned and cut to 255 characters."""
    headers = bearer(db, make_user(db))
    db.commit()
    data = _zip_of(make_model_repo(tmp_path / "repo", with_git=False))
    name = "project." + "x" * 300 + ".zip"
    r = client.post(
        "/api/v1/candidates/me/portfolio", headers=headers, files={"file": (name, data)}
    )
    assert r.status_code == 201, r.text
    stored = db.scalar(select(PortfolioReview.filename))
    assert stored is not None
    assert len(stored) == 255
    assert stored.endswith("x.zip")
