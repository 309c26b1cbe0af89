"""Résumé upload through the API: versions, corrections, the skills search, and bad input.

Every refused upload answers a stable 4xx JSON error, stores nothing, and leaves the server
serving the next request.
"""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader, PdfWriter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.profiles.models import ResumeVersion
from tests.factories import bearer, make_application, make_job, make_user
from tests.profiles.factories import (
    SAMPLE_TXT,
    docx_bytes,
    image_only_pdf,
    pdf_bytes,
    zip_bomb_docx,
)


@pytest.fixture
def headers(db: Session) -> dict[str, str]:
    """A candidate's bearer headers."""
    h = bearer(db, make_user(db, email="zoe@example.com"))
    db.commit()
    return h


def _upload(client: TestClient, headers: dict[str, str], name: str, data: bytes) -> object:
    return client.post(
        "/api/v1/candidates/me/resume", headers=headers, files={"file": (name, data)}
    )


def _encrypted_pdf() -> bytes:
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes(["Experience", "Engineer at X"]))).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_upload_builds_the_profile(client: TestClient, headers: dict[str, str]) -> None:
    """A text résumé becomes version 1 with roles, skills with evidence, and claims."""
    r = _upload(client, headers, "zoe.txt", SAMPLE_TXT.encode())
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["version"]["version"] == 1
    structured = body["profile"]["structured"]
    assert structured["contact"]["email"] == "zoe.celik@example.com"
    names = {s["name"] for s in structured["skills"]}
    assert {"Go", "Python", "Kubernetes", "PostgreSQL"} <= names
    assert any(c["vague"] for c in structured["claims"])
    assert body["profile"]["years_experience"] >= 5


def test_every_upload_is_a_new_version(client: TestClient, headers: dict[str, str]) -> None:
    """A second upload is version 2; version 1 is kept."""
    _upload(client, headers, "a.txt", SAMPLE_TXT.encode())
    _upload(client, headers, "b.md", ("# Zoë\n\n" + SAMPLE_TXT).encode())
    versions = client.get("/api/v1/candidates/me/resumes", headers=headers).json()
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["file_type"] == "md"


def test_corrections_survive_a_new_version(client: TestClient, headers: dict[str, str]) -> None:
    """A removed skill stays removed and an added one stays added after re-uploading."""
    _upload(client, headers, "a.txt", SAMPLE_TXT.encode())
    url = "/api/v1/candidates/me/profile/corrections"
    client.post(url, headers=headers, json={"op": "remove_skill", "name": "React"})
    client.post(url, headers=headers, json={"op": "add_skill", "name": "k8s operators"})
    r = client.post(
        url,
        headers=headers,
        json={"op": "edit_role", "match_employer": "Trendyol", "start": "2018-01-01"},
    )
    assert r.status_code == 200, r.text
    _upload(client, headers, "again.txt", SAMPLE_TXT.encode())
    structured = client.get("/api/v1/candidates/me/profile", headers=headers).json()["structured"]
    names = {s["name"] for s in structured["skills"]}
    assert "React" not in names
    assert "k8s operators" in names
    trendyol = next(role for role in structured["roles"] if role["employer"] == "Trendyol")
    assert trendyol["start"] == "2018-01-01"


def test_a_role_cannot_end_before_it_starts(client: TestClient, headers: dict[str, str]) -> None:
    """An impossible date correction is a 422 validation error."""
    r = client.post(
        "/api/v1/candidates/me/profile/corrections",
        headers=headers,
        json={"op": "edit_role", "match_title": "X", "start": "2020-01-01", "end": "2019-01-01"},
    )
    assert r.status_code == 422


BAD_FILES = [
    ("encrypted PDF", "cv.pdf", _encrypted_pdf, 422, "resume_encrypted"),
    ("corrupt PDF", "cv.pdf", lambda: b"%PDF-1.7\n" + b"\x00garbage" * 200, 422, "resume_corrupt"),
    ("image-only PDF", "scan.pdf", image_only_pdf, 422, "resume_no_text"),
    ("DOCX zip bomb", "cv.docx", zip_bomb_docx, 413, "resume_archive_too_large"),
    (
        "over 10 MB",
        "cv.txt",
        lambda: b"Experience\n" + b"a" * (10 * 1024 * 1024 + 10),
        413,
        "resume_too_large",
    ),
    (
        "PDF named .docx",
        "cv.docx",
        lambda: pdf_bytes(["Experience", "Engineer"]),
        415,
        "resume_type_mismatch",
    ),
    (
        "non-UTF-8 text",
        "cv.txt",
        lambda: b"Experience\n\x81\x8d\x8f\x90\x9d" * 50,
        422,
        "resume_bad_encoding",
    ),
    ("empty file", "cv.txt", lambda: b"", 422, "resume_empty"),
    (
        "no sections",
        "cv.txt",
        lambda: b"Just some words about my cat and the weather.\n" * 3,
        422,
        "resume_no_sections",
    ),
]


@pytest.mark.parametrize(
    ("label", "name", "make", "status", "code"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_bad_uploads_are_refused_cleanly(
    client: TestClient,
    headers: dict[str, str],
    db: Session,
    label: str,
    name: str,
    make: object,
    status: int,
    code: str,
) -> None:
    """Each bad file gets its status and stable code, stores nothing, and the server serves on."""
    assert callable(make)
    r = _upload(client, headers, name, make())
    assert r.status_code == status, (label, r.text)
    assert r.json()["error"]["code"] == code
    assert db.scalar(select(func.count()).select_from(ResumeVersion)) == 0
    assert client.get("/api/v1/candidates/me/profile", headers=headers).status_code == 200


def test_docx_upload_reads_tables(client: TestClient, headers: dict[str, str]) -> None:
    """A DOCX whose skills section is a table yields those skills (the table follows "Skills")."""
    data = docx_bytes(
        ["Skills", "Experience", "Backend Engineer, Nubank, 2019 – 2023"],
        table=[["Backend", "Python, Kotlin"], ["Storage", "PostgreSQL, Redis"]],
    )
    r = _upload(client, headers, "ana.docx", data)
    assert r.status_code == 201, r.text
    names = {s["name"] for s in r.json()["profile"]["structured"]["skills"]}
    assert {"Python", "Kotlin", "PostgreSQL", "Redis"} <= names


def test_staff_cannot_upload_a_resume(client: TestClient, db: Session) -> None:
    """Only candidates upload résumés (403 for a recruiter)."""
    h = bearer(db, make_user(db, Role.recruiter))
    db.commit()
    assert _upload(client, h, "cv.txt", SAMPLE_TXT.encode()).status_code == 403


def test_recruiter_sees_an_applicants_evidence(
    client: TestClient, db: Session, headers: dict[str, str]
) -> None:
    """A recruiter reads the structured profile, with evidence, of a candidate who applied."""
    _upload(client, headers, "zoe.txt", SAMPLE_TXT.encode())
    recruiter = make_user(db, Role.recruiter)
    candidate_id = client.get("/api/v1/me", headers=headers).json()["id"]
    from hiresight.accounts.models import User

    make_application(db, db.get(User, candidate_id), make_job(db, recruiter.organization))
    rh = bearer(db, recruiter)
    db.commit()
    r = client.get(f"/api/v1/candidates/{candidate_id}/profile", headers=rh)
    assert r.status_code == 200
    kafka = next(s for s in r.json()["structured"]["skills"] if s["name"] == "Apache Kafka")
    assert kafka["evidence"]


def test_skills_search(client: TestClient, headers: dict[str, str]) -> None:
    """`GET /skills?q=` finds a skill by alias: k8s → Kubernetes."""
    r = client.get("/api/v1/skills", params={"q": "k8s"}, headers=headers)
    assert r.status_code == 200
    assert r.json()[0]["name"] == "Kubernetes"
