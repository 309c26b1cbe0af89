"""Input no database can store (NUL, unpaired surrogates, absurd nesting) is refused at the edge.

PostgreSQL refuses NUL in text and jsonb; these requests used to answer 500 there. Each API test
runs on SQLite and PostgreSQL and checks that nothing was stored.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
from hiresight.jobs.models import Job
from hiresight.storable import (
    InvalidTextError,
    JsonTooDeepError,
    check_json,
    json_depth,
    storable_text,
)
from tests.factories import bearer, make_job, make_user
from tests.profiles.factories import SAMPLE_TXT


def test_storable_text() -> None:
    """NUL and unpaired surrogates are unstorable; other control characters and pairs are fine."""
    assert storable_text("tab\there, emoji 🙂, bell \x07")
    assert not storable_text("a\x00b")
    assert not storable_text("lone \ud800 surrogate")


def test_json_depth() -> None:
    """Depth counts nested containers; scalars add none."""
    assert json_depth("text") == 0
    assert json_depth({}) == 1
    assert json_depth({"a": [1, {"b": []}]}) == 4


def test_check_json_walks_deep_values_without_recursion() -> None:
    """A value nested far past the interpreter's recursion limit is measured, not crashed on."""
    value: Any = 1
    for _ in range(50_000):
        value = [value]
    assert json_depth(value) == 50_000
    with pytest.raises(JsonTooDeepError):
        check_json(value, ("body",))


def test_check_json_names_the_place_at_fault() -> None:
    """The error's details locate the offending string, keys included."""
    with pytest.raises(InvalidTextError) as caught:
        check_json({"a": [{"ok": "fine"}, {"b": "x\x00"}]}, ("body",))
    assert caught.value.details == {"loc": ["body", "a", 1, "b"]}
    with pytest.raises(InvalidTextError) as caught:
        check_json({"a": {"k\x00": 1}}, ("body",))
    assert caught.value.details == {"loc": ["body", "a"]}


@pytest.fixture
def recruiter(db: Session) -> tuple[User, dict[str, str]]:
    """A recruiter and their bearer headers."""
    user = make_user(db, Role.recruiter)
    headers = bearer(db, user)
    db.commit()
    return user, headers


@pytest.mark.parametrize(
    "body",
    [
        '{"title": "Engineer\\u0000"}',
        '{"title": "Engineer", "requirements": ["Python", "Go\\u0000"]}',
        '{"title": "\\ud800"}',
    ],
)
def test_json_body_with_unstorable_text_is_refused(
    client: TestClient, db: Session, recruiter: tuple[User, dict[str, str]], body: str
) -> None:
    """A job posted with NUL or a lone surrogate answers 422 `invalid_text`; no job is stored."""
    _, headers = recruiter
    r = client.post(
        "/api/v1/jobs", headers={**headers, "content-type": "application/json"}, content=body
    )
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_text"
    assert r.json()["error"]["details"]["loc"][0] == "body"
    assert db.scalar(select(func.count()).select_from(Job)) == 0


def test_escaped_backslash_is_not_mistaken_for_nul(
    client: TestClient, recruiter: tuple[User, dict[str, str]]
) -> None:
    """The text `\\u0000` written out (a backslash, then u0000) is ordinary text and is stored."""
    _, headers = recruiter
    r = client.post(
        "/api/v1/jobs",
        headers={**headers, "content-type": "application/json"},
        content='{"title": "C strings end in \\\\u0000"}',
    )
    assert r.status_code == 201, r.text
    assert r.json()["title"] == "C strings end in \\u0000"


def test_patch_with_nul_leaves_the_job_unchanged(
    client: TestClient, db: Session, recruiter: tuple[User, dict[str, str]]
) -> None:
    """An edit carrying NUL is refused whole: the stored job keeps its title."""
    user, headers = recruiter
    job = make_job(db, user.organization, title="Original")
    db.commit()
    r = client.patch(f"/api/v1/jobs/{job.id}", headers=headers, json={"title": "New\x00"})
    assert r.status_code == 422, r.text
    assert client.get(f"/api/v1/jobs/{job.id}", headers=headers).json()["title"] == "Original"


def test_query_parameter_with_nul_is_refused(
    client: TestClient, recruiter: tuple[User, dict[str, str]]
) -> None:
    """A NUL in a query string answers 422 before any handler sees it."""
    _, headers = recruiter
    r = client.get("/api/v1/jobs?limit=5%00", headers=headers)
    assert r.status_code == 422
    assert r.json()["error"]["details"] == {"loc": ["query", "limit"]}


def test_form_field_with_nul_is_refused(client: TestClient) -> None:
    """A page form field with NUL answers a 422 page with code `invalid_text` (no account)."""
    r = client.post(
        "/signup",
        data={"full_name": "Ada\x00", "email": "ada@example.com", "password": "x" * 12},
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert 'data-error-code="invalid_text"' in r.text


def test_upload_file_name_with_nul_is_refused(client: TestClient, db: Session) -> None:
    """A file name with NUL is refused; the file's own bytes may hold NULs (PDFs, archives)."""
    candidate = make_user(db)
    headers = bearer(db, candidate)
    db.commit()
    # Written by hand: HTTP clients percent-encode a NUL in a file name, a hostile one need not.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="cv\x00.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + SAMPLE_TXT.encode() + b"\r\n--b--\r\n"
    )
    r = client.post(
        "/api/v1/candidates/me/resume",
        headers={**headers, "content-type": "multipart/form-data; boundary=b"},
        content=body,
    )
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_text"
    ok = client.post(
        "/api/v1/candidates/me/resume",
        headers=headers,
        files={"file": ("cv.txt", SAMPLE_TXT.encode(), "text/plain")},
    )
    assert ok.status_code == 201, ok.text
