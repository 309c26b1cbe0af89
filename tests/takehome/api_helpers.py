"""Shared set-up for the take-home API and page tests: an org, an applicant, archives."""

from __future__ import annotations

import io
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
from tests.factories import bearer, make_application, make_job, make_org, make_user
from tests.takehome.factories import make_assignment


@dataclass
class Cast:
    """A recruiter and an applicant of the same organization, with their API headers."""

    recruiter: User
    candidate: User
    application_id: int
    staff: dict[str, str]
    cand: dict[str, str]


def make_cast(db: Session) -> Cast:
    """A recruiter, a job and a candidate who applied to it."""
    org = make_org(db)
    recruiter = make_user(db, Role.recruiter, org=org)
    candidate = make_user(db)
    application = make_application(db, candidate, make_job(db, org))
    cast = Cast(recruiter, candidate, application.id, bearer(db, recruiter), bearer(db, candidate))
    db.commit()
    return cast


def tar_gz_of(folder: Path) -> bytes:
    """A folder as a .tar.gz whose members sit under one top folder."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        tar.add(folder, arcname=folder.name)
    return buf.getvalue()


def zip_of(files: dict[str, str]) -> bytes:
    """A .zip holding `files`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def assignment_archive(tmp_path: Path) -> bytes:
    """The tiny assignment (tests/takehome/factories.py) as an upload."""
    return tar_gz_of(make_assignment(tmp_path / "tiny"))
