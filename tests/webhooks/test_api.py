"""The webhooks API and admin page: who may manage endpoints, the secret, deliveries, replay."""

from __future__ import annotations

import time

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Organization, Role, User
from hiresight.webhooks import delivery, service
from hiresight.webhooks.models import DeliveryState, WebhookDelivery
from tests.factories import PASSWORD, bearer, make_org, make_user
from tests.webhooks.conftest import Receiver

API = "/api/v1/organizations/me/webhooks"


def _admin(db: Session) -> tuple[Organization, User, dict[str, str]]:
    org = make_org(db)
    admin = make_user(db, Role.admin, org=org)
    headers = bearer(db, admin)
    db.commit()
    return org, admin, headers


def _create(client: TestClient, headers: dict[str, str], url: str) -> dict:
    r = client.post(API, headers=headers, json={"url": url, "event_types": ["attempt.scored"]})
    assert r.status_code == 201, r.text
    return r.json()


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(
    client: TestClient, db: Session
) -> None:
    """The answer to the creation carries the secret; listing the endpoints never does."""
    _, _, headers = _admin(db)
    created = _create(client, headers, "https://ats.example.com/hook")
    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["attempt.scored"]
    listed = client.get(API, headers=headers).json()
    assert [e["id"] for e in listed] == [created["id"]]
    assert "secret" not in listed[0]


def test_a_url_that_is_not_http_is_refused_with_a_clear_error(
    client: TestClient, db: Session
) -> None:
    """ftp:, file: and host-less URLs answer 422 `invalid_webhook_url`; unknown types too."""
    _, _, headers = _admin(db)
    for url in ("ftp://example.com/x", "file:///etc/passwd", "https://", "not a url"):
        r = client.post(API, headers=headers, json={"url": url, "event_types": ["attempt.scored"]})
        assert r.status_code == 422, url
        assert r.json()["error"]["code"] == "invalid_webhook_url"
    r = client.post(API, headers=headers, json={"url": "https://a.example", "event_types": ["x"]})
    assert r.json()["error"]["code"] == "invalid_webhook_event_types"


def test_recruiters_cannot_manage_webhooks(client: TestClient, db: Session) -> None:
    """A recruiter of the organization gets 403 on listing and creating."""
    org, _, _ = _admin(db)
    recruiter = make_user(db, Role.recruiter, org=org)
    headers = bearer(db, recruiter)
    db.commit()
    assert client.get(API, headers=headers).status_code == 403
    body = {"url": "https://a.example", "event_types": ["attempt.scored"]}
    assert client.post(API, headers=headers, json=body).status_code == 403


def test_replay_from_the_api_sends_the_same_event_again(
    client: TestClient, db: Session, receiver: Receiver
) -> None:
    """A dead delivery replayed by the admin is pending with fresh tries, and the next pass
    delivers the same event id; another organization's admin gets 404 for it."""
    org, _, headers = _admin(db)
    created = _create(client, headers, receiver.url)
    receiver.secret = created["secret"]
    service.emit(db, organization_id=org.id, event_type=service.ATTEMPT_SCORED, data={"a": 1})
    row = db.scalars(select(WebhookDelivery)).one()
    row.state, row.attempts, row.last_status = DeliveryState.dead, 14, 500
    db.commit()
    _, _, stranger = _admin(db)
    replay = f"{API}/deliveries/{row.id}/replay"
    assert client.post(replay, headers=stranger).status_code == 404
    r = client.post(replay, headers=headers)
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["attempts"]) == ("pending", 0)
    assert client.post(replay, headers=headers).json()["error"]["code"] == (
        "delivery_not_replayable"
    )
    engine = db.get_bind()
    assert delivery.deliver_due(engine) == 1  # type: ignore[arg-type]
    [got] = receiver.received
    assert got.verified
    assert got.headers[service.EVENT_ID_HEADER] == row.event_id
    listed = client.get(f"{API}/deliveries", headers=headers).json()
    assert [(d["state"], d["attempts"], d["last_status"]) for d in listed] == [
        ("delivered", 1, 200)
    ]


def test_another_organizations_endpoint_is_not_found(client: TestClient, db: Session) -> None:
    """An admin reading, changing or deleting another organization's endpoint gets 404."""
    _, _, owner = _admin(db)
    endpoint = _create(client, owner, "https://a.example/hook")
    _, _, stranger = _admin(db)
    url = f"{API}/{endpoint['id']}"
    assert client.get(url, headers=stranger).status_code == 404
    assert client.patch(url, headers=stranger, json={"active": False}).status_code == 404
    assert client.delete(url, headers=stranger).status_code == 404
    assert client.get(url, headers=owner).json()["active"] is True


def _login(client: TestClient, email: str) -> None:
    client.get("/login")
    token = client.cookies.get("hs_csrf")
    r = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token, "next": ""},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_the_admin_page_lists_deliveries_and_replays_one(client: TestClient, db: Session) -> None:
    """/admin/webhooks shows the endpoint and a dead delivery with a Replay button that works."""
    org, admin, _ = _admin(db)
    endpoint = service.create_endpoint(
        db,
        organization_id=org.id,
        actor_id=admin.id,
        url="https://a.example/hook",
        event_types=["application.decided"],
    )
    service.emit(db, organization_id=org.id, event_type=service.APPLICATION_DECIDED, data={})
    row = db.scalars(select(WebhookDelivery)).one()
    row.state, row.last_error = DeliveryState.dead, "HTTP 500: down"
    db.commit()
    _login(client, admin.email)
    page = client.get("/admin/webhooks")
    assert page.status_code == 200
    assert endpoint.url in page.text
    assert "HTTP 500: down" in page.text
    assert f"/admin/webhooks/deliveries/{row.id}/replay" in page.text
    token = client.cookies.get("hs_csrf")
    r = client.post(
        f"/admin/webhooks/deliveries/{row.id}/replay",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    db.expire_all()
    assert db.get(WebhookDelivery, row.id).state is DeliveryState.pending


def test_the_web_process_delivers_in_the_background(
    app: FastAPI, db: Session, receiver: Receiver
) -> None:
    """The web process's background machinery (inline backend) claims and sends a pending
    delivery on its first pass at start: no request waits for a receiver."""
    org, admin, _ = _admin(db)
    endpoint = service.create_endpoint(
        db, organization_id=org.id, actor_id=admin.id, url=receiver.url,
        event_types=["attempt.scored"],
    )  # fmt: skip
    receiver.secret = endpoint.secret
    service.emit(db, organization_id=org.id, event_type=service.ATTEMPT_SCORED, data={"a": 1})
    db.commit()
    with TestClient(app):
        for _ in range(300):  # up to 30 s on a loaded machine; usually the first pass
            if receiver.received:
                break
            time.sleep(0.1)
    assert [r.verified for r in receiver.received] == [True]
    db.expire_all()
    assert db.scalars(select(WebhookDelivery)).one().state is DeliveryState.delivered
