"""The partner API: listing assessments, sending one (with its e-mail), idempotency, keys that
do not work, other organizations' records and bad input."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.app import create_app
from hiresight.partners.models import PartnerInvitation
from hiresight.settings import Settings
from tests.partners.conftest import PUBLIC_URL, Org, Sink, invite_body

API = "/api/partner/v1"


def test_lists_the_default_interview_templates_and_take_homes(
    client: TestClient, acme: Org, globex: Org
) -> None:
    """Ids, names, kinds and minutes of the organization's own assessments, none of another's."""
    r = client.get(f"{API}/assessments", headers=acme.headers)
    assert r.status_code == 200, r.text
    assert r.json() == [
        {
            "id": "interview:default",
            "name": "Hiresight screening interview",
            "kind": "interview",
            # 29 minutes of stages and 5 breaks of 3 minutes.
            "estimated_minutes": 44,
            "window_days": None,
        },
        {
            "id": f"interview:{acme.template.id}",
            "name": "Behavioural screen",
            "kind": "interview",
            "estimated_minutes": 7,
            "window_days": None,
        },
        {
            "id": f"takehome:{acme.assignment.id}",
            "name": "Next-job ranking",
            "kind": "takehome",
            "estimated_minutes": None,
            "window_days": 2.0,
        },
    ]


def test_send_creates_an_invitation_and_the_email_arrives(
    client: TestClient, acme: Org, smtp_sink: Sink
) -> None:
    """201 with an id, the link and `invited`; the sink receives one e-mail holding that link."""
    body = invite_body(f"interview:{acme.template.id}", job_id=acme.job.id)
    r = client.post(f"{API}/invitations", headers=acme.headers, json=body)
    assert r.status_code == 201, r.text
    sent = r.json()
    assert sent["status"] == "invited"
    assert sent["link"].startswith(f"{PUBLIC_URL}/invite/{sent['id']}.")
    assert sent["email"]["sent"] is True
    assert sent["external_application_id"] == "gh-app-1"
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert smtp_sink.recipients == [["ada@example.com"]]
    assert "Behavioural screen" in message.get_payload()
    assert sent["link"] in message.get_payload()


def test_sending_again_for_the_same_application_returns_the_same_invitation(
    client: TestClient, db: Session, acme: Org, smtp_sink: Sink
) -> None:
    """The same (assessment, external application) answers 200 with the same id and link, and
    neither a second row nor a second e-mail is made; another application makes another."""
    body = invite_body("interview:default")
    first = client.post(f"{API}/invitations", headers=acme.headers, json=body)
    again = client.post(f"{API}/invitations", headers=acme.headers, json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["link"] == first.json()["link"]
    assert len(smtp_sink.messages) == 1
    other = client.post(
        f"{API}/invitations", headers=acme.headers, json=body | {"external_application_id": "2"}
    )
    assert other.status_code == 201
    assert len(db.scalars(select(PartnerInvitation)).all()) == 2


def test_the_same_application_to_another_address_is_a_conflict(
    client: TestClient, acme: Org
) -> None:
    """Reusing an application id for another e-mail answers 409 invitation_conflict."""
    body = invite_body("interview:default")
    client.post(f"{API}/invitations", headers=acme.headers, json=body)
    r = client.post(
        f"{API}/invitations",
        headers=acme.headers,
        json=body | {"candidate_email": "grace@example.com"},
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invitation_conflict"


def test_without_smtp_the_answer_says_no_email_went(
    settings: Settings, acme: Org, smtp_sink: Sink
) -> None:
    """With HIRESIGHT_SMTP_HOST unset the invitation and link are made, `email.sent` is false
    and says why, and nothing reaches any server."""
    app = create_app(settings.model_copy(update={"smtp_host": None}))
    with TestClient(app) as client:
        r = client.post(
            f"{API}/invitations", headers=acme.headers, json=invite_body("interview:default")
        )
        assert r.status_code == 201, r.text
        assert r.json()["email"]["sent"] is False
        assert "not configured" in r.json()["email"]["detail"]
        assert "/invite/" in r.json()["link"]
        status = client.get(f"{API}/invitations/{r.json()['id']}", headers=acme.headers)
        assert status.json()["email"]["sent"] is False
    assert smtp_sink.messages == []


def test_other_organizations_records_answer_404(client: TestClient, acme: Org, globex: Org) -> None:
    """Another organization's invitation, template, take-home and job are not found."""
    mine = client.post(
        f"{API}/invitations", headers=acme.headers, json=invite_body("interview:default")
    ).json()
    theirs = client.get(f"{API}/invitations/{mine['id']}", headers=globex.headers)
    assert theirs.status_code == 404
    assert theirs.json()["error"]["code"] == "invitation_not_found"
    for body in (
        invite_body(f"interview:{acme.template.id}"),
        invite_body(f"takehome:{acme.assignment.id}"),
        invite_body("interview:default", job_id=acme.job.id),
    ):
        r = client.post(f"{API}/invitations", headers=globex.headers, json=body)
        assert r.status_code == 404, body


def test_a_revoked_unknown_or_missing_key_answers_401_json(client: TestClient, acme: Org) -> None:
    """Every refused key gets the same stable JSON 401 invalid_api_key."""
    admin_headers = _admin_headers(client, acme)
    keys = client.get("/api/v1/organizations/me/api-keys", headers=admin_headers).json()
    revoked = client.delete(
        f"/api/v1/organizations/me/api-keys/{keys[0]['id']}", headers=admin_headers
    )
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    for headers in (acme.headers, {"Authorization": "Bearer hsp_unknown"}, {}):
        r = client.get(f"{API}/assessments", headers=headers)
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "invalid_api_key"
        assert r.headers["www-authenticate"] == "Bearer"


def test_bad_input_answers_422_json(client: TestClient, acme: Org) -> None:
    """A malformed assessment id, a missing field, an unknown field or an unusable address is
    refused with the JSON error body, never a 500."""
    bad = [
        invite_body("quiz:1"),
        {k: v for k, v in invite_body("interview:default").items() if k != "candidate_email"},
        invite_body("interview:default", colour="blue"),
        invite_body("interview:default", expires_in_days=0),
    ]
    for body in bad:
        r = client.post(f"{API}/invitations", headers=acme.headers, json=body)
        assert r.status_code == 422, body
        assert r.json()["error"]["code"] == "validation_error"
    r = client.post(
        f"{API}/invitations",
        headers=acme.headers,
        json=invite_body("interview:default", candidate_email="not an address"),
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_email"


def _admin_headers(client: TestClient, org: Org) -> dict[str, str]:
    r = client.post(
        "/api/v1/auth/tokens",
        json={"email": org.admin.email, "password": "correct horse battery", "name": "t"},
    )
    return {"Authorization": f"Bearer {r.json()['token']}"}
