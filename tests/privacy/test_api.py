"""The candidate-rights API and pages: who may call what, and the round trips."""

from __future__ import annotations

import io
import json
import re
import zipfile

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from tests.factories import PASSWORD, bearer, make_user
from tests.privacy.factories import make_candidate, make_cast


def test_a_candidate_downloads_only_their_own_data(client: TestClient, db: Session) -> None:
    """Each candidate's export holds their own address and not the other's."""
    org, _admin, recruiter = make_cast(db)
    first, second = make_candidate(db, org, recruiter), make_candidate(db, org, recruiter)
    headers = bearer(db, second.user)
    db.commit()
    r = client.get("/api/v1/me/export", headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        data = archive.read("data.json").decode()
    assert json.loads(data)["user_id"] == second.user.id
    assert second.user.email in data
    assert first.user.email not in data


def test_staff_cannot_export_or_delete_a_candidate(client: TestClient, db: Session) -> None:
    """Recruiters and admins get 403 on the candidate's export and deletion."""
    _org, admin, recruiter = make_cast(db)
    headers = [bearer(db, recruiter), bearer(db, admin)]
    db.commit()
    for h in headers:
        assert client.get("/api/v1/me/export", headers=h).status_code == 403
        assert client.post("/api/v1/me/deletion", json={"phrase": "delete my account"},
                           headers=h).status_code == 403  # fmt: skip


def test_deletion_round_trip(client: TestClient, db: Session) -> None:
    """Refused without confirmation; scheduled 14 days out with the password; asked again
    the same; cancelled; a second cancel is 404."""
    user = make_user(db)
    h = bearer(db, user)
    db.commit()
    refused = client.post("/api/v1/me/deletion", json={"password": "nope"}, headers=h)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "confirmation_required"
    first = client.post("/api/v1/me/deletion", json={"password": PASSWORD}, headers=h)
    assert first.status_code == 202
    body = first.json()
    assert client.post("/api/v1/me/deletion", json={"phrase": "delete my account"},
                       headers=h).json() == body  # fmt: skip
    status = client.get("/api/v1/me/privacy", headers=h).json()
    assert status["deletion"] == body
    assert status["grace_days"] == 14
    assert client.delete("/api/v1/me/deletion", headers=h).status_code == 204
    assert client.get("/api/v1/me/privacy", headers=h).json()["deletion"] is None
    assert client.delete("/api/v1/me/deletion", headers=h).status_code == 404


def test_only_admins_set_the_retention_period(client: TestClient, db: Session) -> None:
    """An admin sets, reads and clears it; 0 is refused 422; recruiters and candidates 403."""
    _org, admin, recruiter = make_cast(db)
    candidate = make_user(db, Role.candidate)
    ha, hr, hc = bearer(db, admin), bearer(db, recruiter), bearer(db, candidate)
    db.commit()
    path = "/api/v1/organizations/me/retention"
    assert client.put(path, json={"days": 30}, headers=ha).json() == {"days": 30}
    assert client.get(path, headers=ha).json() == {"days": 30}
    assert client.put(path, json={"days": 0}, headers=ha).status_code == 422
    assert client.put(path, json={"days": 5}, headers=hr).status_code == 403
    assert client.get(path, headers=hc).status_code == 403
    preview = client.get(path + "/preview", headers=ha).json()
    assert preview == {"days": 30, "jobs": [], "counts": {}}
    assert client.put(path, json={"days": None}, headers=ha).json() == {"days": None}


def _signed_in(app: FastAPI, email: str) -> TestClient:
    client = TestClient(app)
    client.get("/login")
    r = client.post(
        "/login",
        data={"email": email, "password": PASSWORD,
              "csrf_token": client.cookies.get("hs_csrf"), "next": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    return client


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_the_your_data_page_downloads_deletes_and_cancels(app: FastAPI, db: Session) -> None:
    """The page offers the download; the typed phrase schedules the deletion; cancel undoes it."""
    user = make_user(db)
    db.commit()
    browser = _signed_in(app, user.email)
    page = browser.get("/candidate/privacy")
    assert page.status_code == 200
    assert 'id="download-export"' in page.text
    assert browser.get("/candidate/privacy/export").headers["content-type"] == "application/zip"
    wrong = browser.post("/candidate/privacy/delete",
                         data={"phrase": "please", "csrf_token": _token(page.text)})  # fmt: skip
    assert wrong.status_code == 422
    assert 'id="form-error"' in wrong.text
    confirm = {"phrase": "delete my account", "csrf_token": _token(page.text)}
    done = browser.post("/candidate/privacy/delete", data=confirm)
    assert 'id="deletion-pending"' in done.text
    cancelled = browser.post("/candidate/privacy/cancel", data={"csrf_token": _token(done.text)})
    assert 'id="request-deletion"' in cancelled.text


def test_the_retention_page_is_for_admins(app: FastAPI, db: Session) -> None:
    """An admin saves a period on the page; a recruiter is refused 403."""
    _org, admin, recruiter = make_cast(db)
    db.commit()
    browser = _signed_in(app, admin.email)
    page = browser.get("/admin/retention")
    saved = browser.post("/admin/retention",
                         data={"days": "45", "csrf_token": _token(page.text)})  # fmt: skip
    assert saved.status_code == 200
    assert 'value="45"' in saved.text
    bad = browser.post("/admin/retention", data={"days": "x", "csrf_token": _token(page.text)})
    assert bad.status_code == 422
    assert _signed_in(app, recruiter.email).get("/admin/retention").status_code == 403
