"""Organization API keys: made and revoked by an admin (API and page), shown once, stored
hashed; staff who are not admins and other organizations cannot touch them."""

from __future__ import annotations

import hashlib
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.partners.models import PartnerApiKey
from tests.factories import PASSWORD, bearer, make_user
from tests.partners.conftest import Org

KEYS = "/api/v1/organizations/me/api-keys"


def test_an_admin_makes_a_key_shown_once_and_stored_hashed(
    client: TestClient, db: Session, acme: Org
) -> None:
    """The secret is in the creation answer only; the table holds its SHA-256, and the key
    works on the partner API at once."""
    headers = bearer(db, acme.admin)
    db.commit()
    r = client.post(KEYS, headers=headers, json={"name": "Lever"})
    assert r.status_code == 201, r.text
    key = r.json()["key"]
    assert key.startswith("hsp_")
    assert key.startswith(r.json()["prefix"])
    row = db.get_one(PartnerApiKey, r.json()["id"])
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    listed = client.get(KEYS, headers=headers).json()
    assert [k["name"] for k in listed] == ["Lever", "Greenhouse"]
    assert all("key" not in k for k in listed)
    partner = client.get("/api/partner/v1/assessments", headers={"Authorization": f"Bearer {key}"})
    assert partner.status_code == 200


def test_recruiters_and_other_organizations_cannot_manage_keys(
    client: TestClient, db: Session, acme: Org, globex: Org
) -> None:
    """A recruiter gets 403; another organization's admin gets 404 on revoking a key."""
    recruiter = bearer(db, make_user(db, Role.recruiter, org=acme.org))
    other_admin = bearer(db, globex.admin)
    db.commit()
    assert client.post(KEYS, headers=recruiter, json={"name": "x"}).status_code == 403
    key_id = db.query(PartnerApiKey).filter_by(organization_id=acme.org.id).one().id
    assert client.delete(f"{KEYS}/{key_id}", headers=other_admin).status_code == 404
    r = client.get("/api/partner/v1/assessments", headers=acme.headers)
    assert r.status_code == 200


def _signed_in(client: TestClient, email: str) -> str:
    client.get("/login")
    client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": client.cookies.get("hs_csrf")},
    )
    return client.cookies.get("hs_csrf") or ""


def test_the_admin_page_makes_shows_and_revokes_keys(
    client: TestClient, db: Session, acme: Org
) -> None:
    """The page lists keys, shows a new key once, and a revoked key stops working."""
    csrf = _signed_in(client, acme.admin.email)
    page = client.get("/admin/api-keys")
    assert page.status_code == 200
    assert "Greenhouse" in page.text
    made = client.post("/admin/api-keys", data={"name": "Workday", "csrf_token": csrf})
    assert made.status_code == 200
    shown = re.search(r"<code id=\"new-key\" data-key>([^<]+)</code>", made.text)
    assert shown is not None
    assert shown[1] not in client.get("/admin/api-keys").text
    key_id = db.query(PartnerApiKey).filter_by(name="Workday").one().id
    revoked = client.post(f"/admin/api-keys/{key_id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 200  # followed to the list
    r = client.get("/api/partner/v1/assessments", headers={"Authorization": f"Bearer {shown[1]}"})
    assert r.status_code == 401


def test_a_candidate_cannot_open_the_keys_page(client: TestClient, db: Session) -> None:
    """The keys page is for admins only (403 page)."""
    candidate = make_user(db)
    db.commit()
    _signed_in(client, candidate.email)
    assert client.get("/admin/api-keys").status_code == 403
