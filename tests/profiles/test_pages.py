"""Profile pages: sign-up, upload from the page, corrections through forms, the recruiter's
view."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
from hiresight.profiles import service as profiles
from tests.factories import PASSWORD, make_application, make_job, make_user
from tests.profiles.factories import SAMPLE_TXT, image_only_pdf


def _csrf(client: TestClient, path: str = "/login") -> str:
    client.get(path)
    token = client.cookies.get("hs_csrf")
    assert token
    return token


def _sign_in(client: TestClient, email: str) -> str:
    client.get("/login")
    csrf = client.cookies.get("hs_csrf") or ""
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf})
    return client.cookies.get("hs_csrf") or ""  # signed in: the token bound to the session


def test_upload_from_the_page_shows_the_parsed_profile(client: TestClient, db: Session) -> None:
    """Uploading on /candidate/profile renders roles, skills with evidence and claims."""
    make_user(db, email="zoe@example.com")
    db.commit()
    csrf = _sign_in(client, "zoe@example.com")
    r = client.post(
        "/candidate/profile/resume",
        data={"csrf_token": csrf},
        files={"file": ("zoe.txt", SAMPLE_TXT.encode(), "text/plain")},
    )
    assert r.status_code == 200
    assert "Résumé version 1 uploaded" in r.text
    assert "Paylane" in r.text
    assert "quantified" in r.text
    assert "vague" in r.text


def test_upload_redirects_so_a_reload_never_uploads_again(client: TestClient, db: Session) -> None:
    """The upload answers 303 to the profile page naming the new version; loading that page
    again shows the same status and stores nothing."""
    user = make_user(db, email="zoe@example.com")
    db.commit()
    csrf = _sign_in(client, "zoe@example.com")
    r = client.post(
        "/candidate/profile/resume",
        data={"csrf_token": csrf},
        files={"file": ("zoe.txt", SAMPLE_TXT.encode(), "text/plain")},
        follow_redirects=False,
    )
    assert (r.status_code, r.headers["location"]) == (303, "/candidate/profile?uploaded=1")
    for _ in range(2):
        page = client.get("/candidate/profile?uploaded=1")
        assert "Résumé version 1 uploaded and parsed." in page.text
    db.expire_all()
    assert len(profiles.get_resume_versions(db, candidate=user)) == 1


@pytest.mark.parametrize("query", ["uploaded=7", "uploaded=x", "reviewed=3", "saved=other"])
def test_a_status_for_nothing_stored_is_not_shown(
    client: TestClient, db: Session, query: str
) -> None:
    """A status query that names no upload of this candidate shows no status."""
    make_user(db, email="zoe@example.com")
    db.commit()
    _sign_in(client, "zoe@example.com")
    page = client.get(f"/candidate/profile?{query}")
    assert page.status_code == 200
    assert 'class="notice"' not in page.text


def test_a_correction_redirects_back_with_its_status(client: TestClient, db: Session) -> None:
    """A saved correction answers 303 too, so a reload does not add it twice."""
    make_user(db, email="zoe@example.com")
    db.commit()
    csrf = _sign_in(client, "zoe@example.com")
    r = client.post(
        "/candidate/profile/corrections",
        data={"csrf_token": csrf, "op": "add_skill", "name": "Elixir"},
        follow_redirects=False,
    )
    assert (r.status_code, r.headers["location"]) == (303, "/candidate/profile?saved=correction")


def test_bad_upload_from_the_page_explains_why(client: TestClient, db: Session) -> None:
    """A scanned PDF re-renders the page with the no-text-layer message."""
    make_user(db, email="zoe@example.com")
    db.commit()
    csrf = _sign_in(client, "zoe@example.com")
    r = client.post(
        "/candidate/profile/resume",
        data={"csrf_token": csrf},
        files={"file": ("scan.pdf", image_only_pdf(), "application/pdf")},
    )
    assert r.status_code == 422
    assert "no text layer" in r.text


def test_page_corrections_remove_and_add_skills(client: TestClient, db: Session) -> None:
    """The remove and add forms change the skills table."""
    make_user(db, email="zoe@example.com")
    db.commit()
    csrf = _sign_in(client, "zoe@example.com")
    client.post(
        "/candidate/profile/resume",
        data={"csrf_token": csrf},
        files={"file": ("zoe.txt", SAMPLE_TXT.encode(), "text/plain")},
    )
    client.post(
        "/candidate/profile/corrections",
        data={"csrf_token": csrf, "op": "remove_skill", "name": "React"},
    )
    r = client.post(
        "/candidate/profile/corrections",
        data={"csrf_token": csrf, "op": "add_skill", "name": "Elixir"},
    )
    assert "Correction saved." in r.text
    assert "Elixir" in r.text
    assert 'aria-label="Remove React"' not in r.text


def test_page_role_correction_with_bad_dates(client: TestClient, db: Session) -> None:
    """A role that would end before it starts is refused with a message."""
    make_user(db, email="zoe@example.com")
    db.commit()
    csrf = _sign_in(client, "zoe@example.com")
    client.post(
        "/candidate/profile/resume",
        data={"csrf_token": csrf},
        files={"file": ("zoe.txt", SAMPLE_TXT.encode(), "text/plain")},
    )
    r = client.post(
        "/candidate/profile/corrections",
        data={
            "csrf_token": csrf,
            "op": "edit_role",
            "match_employer": "Trendyol",
            "start": "2021-05",
            "end": "2019-01",
        },
    )
    assert r.status_code == 422
    assert "cannot end before it starts" in r.text


def test_recruiter_evidence_page_is_scoped(client: TestClient, db: Session) -> None:
    """A recruiter sees an applicant's evidence page; another org's recruiter gets 404."""
    candidate = make_user(db, email="zoe@example.com")
    recruiter = make_user(db, Role.recruiter, email="rec@a.example")
    make_user(db, Role.recruiter, email="rec@b.example")
    make_application(db, candidate, make_job(db, recruiter.organization))
    db.commit()
    csrf = _sign_in(client, "zoe@example.com")
    client.post(
        "/candidate/profile/resume",
        data={"csrf_token": csrf},
        files={"file": ("zoe.txt", SAMPLE_TXT.encode(), "text/plain")},
    )
    client.cookies.clear()
    _sign_in(client, "rec@a.example")
    page = client.get(f"/recruiter/candidates/{candidate.id}")
    assert page.status_code == 200
    assert "Skills and their evidence" in page.text
    assert "Remove" not in page.text
    client.cookies.clear()
    _sign_in(client, "rec@b.example")
    assert client.get(f"/recruiter/candidates/{candidate.id}").status_code == 404
    assert isinstance(candidate, User)


def test_signup_signs_in_and_lands_on_the_candidate_dashboard(client: TestClient) -> None:
    """A new candidate lands on their dashboard with a session cookie."""
    r = client.post(
        "/signup",
        data={
            "full_name": "Zoë Çelik",
            "email": "zoe@example.com",
            "password": "longenough",
            "csrf_token": _csrf(client, "/signup"),
        },
    )
    assert r.status_code == 200
    assert "Welcome, Zoë Çelik" in r.text


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short", "at least 8 characters"), ("password123", "most common")],
)
def test_signup_refuses_a_weak_password_with_the_form_kept(
    client: TestClient, password: str, reason: str
) -> None:
    """A short or common password re-renders the form (422) with the reason, the typed e-mail
    kept."""
    r = client.post(
        "/signup",
        data={
            "full_name": "Al",
            "email": "al@example.com",
            "password": password,
            "csrf_token": _csrf(client, "/signup"),
        },
    )
    assert r.status_code == 422
    assert reason in r.text
    assert 'value="al@example.com"' in r.text
    assert "hs_session" not in client.cookies


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("al@example.com", "password123"),
        ("al@example.com", "Password2026!"),
        ("al@example.com", "abcdefghij"),
        ("alfred@example.com", "alfred1984"),
        ("taken@example.com", "longenough"),
    ],
)
def test_signup_page_and_api_refuse_alike(
    client: TestClient, db: Session, email: str, password: str
) -> None:
    """The page and the API sign up through one function: the same input is refused with the
    same status and message (the page shows it on its form, the API as a JSON error)."""
    make_user(db, email="taken@example.com")
    db.commit()
    body = {"full_name": "Al", "email": email, "password": password}
    api = client.post("/api/v1/auth/signup", json=body)
    page = client.post("/signup", data={**body, "csrf_token": _csrf(client, "/signup")})
    assert api.status_code in (409, 422)
    assert page.status_code == api.status_code
    assert page.headers["content-type"].startswith("text/html")
    assert str(escape(api.json()["error"]["message"])) in page.text
    assert 'value="Al"' in page.text
    assert "hs_session" not in client.cookies


@pytest.mark.parametrize(
    ("full_name", "email", "message"),
    [
        ("   ", "al@example.com", "Enter your full name."),
        ("Al", "al@example", "is not a usable e-mail address"),
        ("Al", "al@y.test", "is not a usable e-mail address"),
    ],
)
def test_signup_page_shows_the_service_reason(
    client: TestClient, full_name: str, email: str, message: str
) -> None:
    """A blank name or an unusable address re-renders the form (422) with the reason."""
    r = client.post(
        "/signup",
        data={
            "full_name": full_name,
            "email": email,
            "password": "longenough",
            "csrf_token": _csrf(client, "/signup"),
        },
    )
    assert r.status_code == 422
    assert message in r.text
    assert "hs_session" not in client.cookies
