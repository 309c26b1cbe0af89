"""Scorecards and the recruiter console through the API and pages."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.audit.models import AuditLog
from tests.factories import PASSWORD, bearer, make_application, make_user
from tests.scoring.conftest import take_behavioural
from tests.scoring.test_service import STAR


def test_recruiter_scorecard_has_evidence_versions_and_flags(
    client: TestClient, world: dict
) -> None:
    """The scorecard lists stage components with rubric versions, quotes, and integrity flags."""
    card = client.get(
        f"/api/v1/candidates/{world['candidate'].id}/scorecard", headers=world["staff"]
    ).json()
    stages = {s["stage"]: s for s in card["stages"]}
    assert set(stages) == {"code_review", "behavioral"}
    behavioural = stages["behavioral"]["components"]["stage"]
    assert behavioural["rubric_version"] == "behavioural-star-rubric.v1"
    assert all(e["quote"] in STAR for e in behavioural["evidence"])
    assert behavioural["evidence"] or behavioural["points_missed"]
    assert stages["code_review"]["code"]["diff"].startswith("--- a/")
    assert any(i["code"] == "large_paste" for i in card["integrity"])
    assert card["recommendation"] in {"strong_yes", "yes", "lean_no", "no"}
    assert "english" in card["missing_stages"]


def test_other_org_cannot_read_the_scorecard(client: TestClient, db: Session, world: dict) -> None:
    """A recruiter of another organization gets 404."""
    outsider = bearer(db, make_user(db, Role.recruiter))
    db.commit()
    r = client.get(f"/api/v1/candidates/{world['candidate'].id}/scorecard", headers=outsider)
    assert r.status_code == 404


def test_candidate_version_hides_rubric_material(client: TestClient, world: dict) -> None:
    """The candidate sees scores and next steps, but no evidence, points or grader detail."""
    r = client.get("/api/v1/candidates/me/scorecard", headers=world["cand"])
    assert r.status_code == 200
    text = r.text
    for hidden in ("evidence", "points_missed", "rubric_version", "grade", "diff"):
        assert hidden not in text
    assert {s["stage"] for s in r.json()["stages"]} == {"code_review", "behavioral"}


def test_pdf_export(client: TestClient, world: dict) -> None:
    """The scorecard downloads as a PDF."""
    r = client.get(
        f"/api/v1/candidates/{world['candidate'].id}/scorecard.pdf", headers=world["staff"]
    )
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF")


def test_console_sorts_filters_and_exports(client: TestClient, db: Session, world: dict) -> None:
    """Applicants sort by a competency, filter by score, and export as CSV."""
    make_application(db, make_user(db), world["job"])
    db.commit()
    url = f"/api/v1/jobs/{world['job'].id}/candidates"
    rows = client.get(url, headers=world["staff"], params={"sort": "code_review"}).json()
    assert len(rows) == 2
    assert rows[0]["candidate_id"] == world["candidate"].id
    assert rows[1]["overall"] is None
    filtered = client.get(url, headers=world["staff"], params={"min_score": 1}).json()
    assert [r["candidate_id"] for r in filtered] == [world["candidate"].id]
    csv_text = client.get(f"{url}.csv", headers=world["staff"]).text
    assert csv_text.splitlines()[0].startswith("candidate_id,name,status,overall")
    assert len(csv_text.strip().splitlines()) == 3


def test_decision_from_the_console_is_audited(client: TestClient, db: Session, world: dict) -> None:
    """Advancing from the console page records the decision and its note in the audit log."""
    client.get("/login")
    csrf = client.cookies.get("hs_csrf") or ""
    client.post(
        "/login", data={"email": "rec@example.com", "password": PASSWORD, "csrf_token": csrf}
    )
    csrf = client.cookies.get("hs_csrf") or ""  # signed in: the token bound to the session
    page = client.get(f"/recruiter/jobs/{world['job'].id}")
    assert page.status_code == 200
    assert "Funnel" in page.text
    r = client.post(
        f"/recruiter/applications/{world['application'].id}/decision",
        data={
            "csrf_token": csrf,
            "decision": "advance",
            "note": "Great patch",
            "back": f"/recruiter/jobs/{world['job'].id}",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "application.decide"))
    assert entry is not None
    assert entry.details["note"] == "Great patch"
    card_page = client.get(
        f"/recruiter/candidates/{world['candidate'].id}/scorecard?job={world['job'].id}"
    )
    assert "now: advanced" in card_page.text
    compare = client.get(
        f"/recruiter/jobs/{world['job'].id}/compare",
        params={"a": world["candidate"].id, "b": world["candidate"].id},
    )
    assert compare.status_code == 200


def test_near_identical_answers_are_flagged_without_changing_scores(
    client: TestClient, db: Session, world: dict
) -> None:
    """A second candidate submitting the same story is flagged; the flag leaves the score as is."""
    copier = make_user(db, email="copy@example.com")
    make_application(db, copier, world["job"])
    headers = bearer(db, copier)
    db.commit()
    take_behavioural(client, headers)
    card = client.get(f"/api/v1/candidates/{copier.id}/scorecard", headers=world["staff"]).json()
    assert any(i["code"] == "near_duplicate" for i in card["integrity"])
    mine = next(s for s in card["stages"] if s["stage"] == "behavioral")
    assert mine["score"] == mine["components"]["stage"]["value"]
