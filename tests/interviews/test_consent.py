"""Notice and consent: no real interview before consent to the notice in force, stored with its
version and time; a new notice version asks again; practice needs none."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.audit.models import AuditLog
from hiresight.interviews import consent
from hiresight.interviews.consent import InterviewConsent
from tests.factories import bearer, make_user
from tests.interviews.test_pages import _sign_in


@pytest.fixture
def fresh(db: Session) -> dict[str, str]:
    """Bearer headers of a candidate who has not consented to anything yet."""
    headers = bearer(db, make_user(db, email="fresh@example.com", consented=False))
    db.commit()
    return headers


def _consent(client: TestClient, headers: dict[str, str], version: str) -> dict:
    r = client.post(
        "/api/v1/interview-notice/consent", headers=headers, json={"notice_version": version}
    )
    return {"status": r.status_code, **r.json()}


def test_an_interview_without_consent_is_refused_with_the_notice_address(
    client: TestClient, fresh: dict[str, str]
) -> None:
    """409 `consent_required`, naming the notice page and its version; nothing is started."""
    r = client.post("/api/v1/interviews", headers=fresh, json={})
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "consent_required"
    assert error["details"] == {
        "notice_url": "/candidate/interviews/notice",
        "notice_version": consent.NOTICE_VERSION,
    }
    assert client.get("/api/v1/interviews", headers=fresh).json() == []


def test_practice_needs_no_consent(client: TestClient, fresh: dict[str, str]) -> None:
    """Practice results reach no employer: a practice session starts without consent."""
    r = client.post("/api/v1/interviews", headers=fresh, json={"practice": True})
    assert r.status_code == 201, r.text


def test_consent_is_stored_with_its_version_and_then_the_interview_starts(
    client: TestClient, db: Session, fresh: dict[str, str]
) -> None:
    """The notice says who has consented when; consenting stores the version, audits it, and the
    interview then starts."""
    before = client.get("/api/v1/interview-notice", headers=fresh).json()
    assert before["consented_at"] is None
    assert before["notice_version"] == consent.NOTICE_VERSION
    given = _consent(client, fresh, consent.NOTICE_VERSION)
    assert given["status"] == 201
    assert given["consented_at"] is not None
    assert client.post("/api/v1/interviews", headers=fresh, json={}).status_code == 201
    row = db.scalar(select(InterviewConsent))
    assert row is not None
    assert row.notice_version == consent.NOTICE_VERSION
    actions = db.scalars(select(AuditLog.action).where(AuditLog.action == "interview.consent"))
    assert list(actions) == ["interview.consent"]


def test_consent_to_a_notice_no_longer_in_force_is_refused(
    client: TestClient, fresh: dict[str, str]
) -> None:
    """A consent names the version read: an old one answers 409 `stale_notice`."""
    given = _consent(client, fresh, "2000-01-01")
    assert given["status"] == 409
    assert given["error"]["code"] == "stale_notice"


def test_a_new_notice_version_asks_for_consent_again(
    client: TestClient, db: Session, fresh: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Consent counts for its version only: after the notice changes, the next interview is
    refused until the candidate consents to the new one; both consents stay on record."""
    assert _consent(client, fresh, consent.NOTICE_VERSION)["status"] == 201
    monkeypatch.setattr(consent, "NOTICE_VERSION", "2099-01-01")
    r = client.post("/api/v1/interviews", headers=fresh, json={})
    assert r.status_code == 409
    assert r.json()["error"]["details"]["notice_version"] == "2099-01-01"
    assert _consent(client, fresh, "2099-01-01")["status"] == 201
    assert client.post("/api/v1/interviews", headers=fresh, json={}).status_code == 201
    versions = sorted(db.scalars(select(InterviewConsent.notice_version)))
    assert versions == ["2026-12-05", "2099-01-01"]


def test_the_start_button_leads_through_the_notice_into_the_room(
    client: TestClient, db: Session
) -> None:
    """Page flow: starting without consent shows the notice (its stages and the human decision);
    agreeing there stores the consent and opens the room."""
    make_user(db, email="page@example.com", consented=False)
    db.commit()
    csrf = _sign_in(client, "page@example.com")
    r = client.post("/candidate/interviews", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/candidate/interviews/notice?start=1"
    notice = client.get(r.headers["location"]).text
    assert "A person decides every application." in notice
    assert "Code review: 10 minutes" in notice
    r = client.post(
        "/candidate/interviews/notice",
        data={"csrf_token": csrf, "notice_version": consent.NOTICE_VERSION, "start": "1"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"].startswith("/interview/")
    assert "You agreed to it on" in client.get("/candidate/interviews/notice").text


def test_a_retake_after_the_notice_changed_asks_for_consent_again(
    client: TestClient, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A retake is a new sitting: under a new notice version it is refused the same way."""
    interview = client.post("/api/v1/interviews", headers=headers, json={"stages": ["behavioral"]})
    url = f"/api/v1/interviews/{interview.json()['id']}/stages/behavioral/start"
    attempt = client.post(url, headers=headers).json()
    submit = {"draft": {"answers": {"b1": "A story."}}}
    assert client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers,
                       json=submit).status_code == 202  # fmt: skip
    monkeypatch.setattr(consent, "NOTICE_VERSION", "2099-01-01")
    r = client.post(
        f"/api/v1/attempts/{attempt['id']}/retake", headers=headers, json={"confirm": True}
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "consent_required"
