"""Searching and exporting the audit log: filters, other organizations, CSV and JSON lines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Organization, Role, User
from hiresight.audit import service as audit
from hiresight.audit.models import AuditLog
from tests.factories import PASSWORD, bearer, make_org, make_user

API = "/api/v1/organizations/me/audit"
DAY = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
# Signing up and making tokens are audited now; the arranged entries lie months before.
ARRANGED = {"until": (DAY + dt.timedelta(days=30)).isoformat()}


def _entry(
    db: Session, org: Organization, actor: User | None, action: str, entity: str, days: int
) -> AuditLog:
    row = audit.record(
        db,
        actor_id=actor.id if actor else None,
        organization_id=org.id,
        action=action,
        entity_type=entity,
        entity_id=days,
        details={"note": '=HYPERLINK("http://x")'} if action == "application.decide" else {},
    )
    row.created_at = DAY + dt.timedelta(days=days)
    return row


def _log(db: Session) -> tuple[Organization, User, User, dict[str, str]]:
    """Five entries of one organization over five days, and one of another organization."""
    org = make_org(db)
    admin = make_user(db, Role.admin, org=org)
    recruiter = make_user(db, Role.recruiter, org=org)
    _entry(db, org, recruiter, "application.decide", "application", 0)
    _entry(db, org, None, "attempt.scored", "stage_attempt", 1)
    _entry(db, org, None, "interview.completed", "interview_session", 2)
    _entry(db, org, recruiter, "interview.end", "interview_session", 3)
    _entry(db, org, admin, "job.update", "job", 4)
    other = make_org(db)
    _entry(db, other, make_user(db, Role.admin, org=other), "job.update", "job", 4)
    headers = bearer(db, admin)
    db.commit()
    return org, admin, recruiter, headers


def test_search_filters_by_action_entity_actor_and_dates(client: TestClient, db: Session) -> None:
    """Each filter narrows to the entries expected by hand; other organizations never show."""
    _, admin, recruiter, headers = _log(db)

    def actions(**params: object) -> list[str]:
        r = client.get(API, headers=headers, params=ARRANGED | params)
        assert r.status_code == 200, r.text
        return [e["action"] for e in r.json()]

    assert actions() == [
        "job.update",
        "interview.end",
        "interview.completed",
        "attempt.scored",
        "application.decide",
    ]
    assert actions(action="interview.") == ["interview.end", "interview.completed"]
    assert actions(action="interview.end") == ["interview.end"]
    assert actions(entity_type="stage_attempt", entity_id="1") == ["attempt.scored"]
    assert actions(actor_id=recruiter.id) == ["interview.end", "application.decide"]
    assert actions(actor_id=admin.id) == ["job.update"]
    since, until = (
        (DAY + dt.timedelta(days=1)).isoformat(),
        (DAY + dt.timedelta(days=3)).isoformat(),
    )
    assert actions(since=since, until=until) == ["interview.completed", "attempt.scored"]
    assert actions(limit=2) == ["job.update", "interview.end"]


def test_bad_search_input_is_a_422_not_a_500(client: TestClient, db: Session) -> None:
    """A date that is no date, or an actor that is no number, answers 422."""
    _, _, _, headers = _log(db)
    assert client.get(API, headers=headers, params={"since": "yesterday"}).status_code == 422
    assert client.get(API, headers=headers, params={"actor_id": "bob"}).status_code == 422


def test_recruiters_cannot_read_the_audit_log(client: TestClient, db: Session) -> None:
    """Searching and exporting are for admins: a recruiter gets 403."""
    _, _, recruiter, _ = _log(db)
    headers = bearer(db, recruiter)
    db.commit()
    assert client.get(API, headers=headers).status_code == 403
    assert client.get(f"{API}/export", headers=headers).status_code == 403


def test_export_as_csv_and_json_lines(client: TestClient, db: Session) -> None:
    """The export holds the matching entries oldest first; a formula in a cell is defused."""
    _, _, recruiter, headers = _log(db)
    r = client.get(f"{API}/export", headers=headers, params=ARRANGED | {"actor_id": recruiter.id})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["action"] for row in rows] == ["application.decide", "interview.end"]
    assert json.loads(rows[0]["details"]) == {"note": '=HYPERLINK("http://x")'}
    r = client.get(f"{API}/export", headers=headers, params=ARRANGED | {"format": "jsonl"})
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert len(lines) == 5
    assert lines[0]["action"] == "application.decide"
    assert lines[-1]["action"] == "job.update"
    assert set(lines[0]) == set(audit.EXPORT_FIELDS)


def test_csv_cells_that_start_a_formula_get_a_quote() -> None:
    """Known answer: an action or id starting with = or @ is written with a leading quote."""
    row = AuditLog(
        id=1, actor_id=None, action="=cmd", entity_type="@x", entity_id="-1", details={},
        created_at=DAY,
    )  # fmt: skip
    text = "".join(audit.csv_lines([row]))
    assert text.splitlines()[1] == "1,2026-03-01T12:00:00+00:00,,'=cmd,'@x,'-1,{}"


def test_the_admin_page_searches_and_links_the_exports(client: TestClient, db: Session) -> None:
    """/admin/audit lists what matches and links CSV and JSON-lines exports of the same search."""
    _, admin, _, _ = _log(db)
    client.get("/login")
    client.post(
        "/login",
        data={"email": admin.email, "password": PASSWORD, "csrf_token": client.cookies["hs_csrf"]},
    )
    page = client.get("/admin/audit", params={"action": "interview.", "actor_id": ""})
    assert page.status_code == 200
    assert "interview.completed" in page.text
    assert "application.decide" not in page.text
    assert "export?format=csv&amp;action=interview." in page.text
    assert client.get("/admin/audit", params={"since": "soon"}).status_code == 422
