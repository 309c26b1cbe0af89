"""Panel interview scorecards: staff of the organization rate each competency of a panel stage
1-4 with notes and evidence, one scorecard per interviewer, shown on the candidate's scorecard
apart from the AI scores."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.audit.models import AuditLog
from tests.factories import PASSWORD, bearer, make_user

PIPELINE = [
    {"kind": "ai_screening"},
    {"kind": "panel", "panel_kind": "presentation"},
    {"kind": "panel", "panel_kind": "culture"},
    {"kind": "offer"},
]
PRESENTATION = ["technical_depth", "communication", "trade_off_reasoning", "handling_questions"]


def _ratings(names: list[str], rating: int = 3) -> dict[str, Any]:
    return {n: {"rating": rating, "notes": f"{n} ok", "evidence": f"said {n}"} for n in names}


def _setup(client: TestClient, db: Session) -> tuple[Any, dict[str, str], int]:
    recruiter = make_user(db, Role.recruiter, email="r@example.com")
    headers = bearer(db, recruiter)
    candidate = make_user(db, email="c@example.com")
    cand_headers = bearer(db, candidate)
    db.commit()
    job = client.post(
        "/api/v1/jobs",
        headers=headers,
        json={"title": "Senior ML Engineer", "status": "open", "pipeline": PIPELINE},
    ).json()
    app_id = client.post(f"/api/v1/jobs/{job['id']}/applications", headers=cand_headers).json()[
        "id"
    ]
    return recruiter, headers, int(app_id)


def test_each_interviewer_keeps_one_scorecard_per_panel(client: TestClient, db: Session) -> None:
    """Two interviewers rate the presentation panel; filling again replaces one's own card."""
    recruiter, headers, app_id = _setup(client, db)
    colleague = make_user(db, Role.admin, org=recruiter.organization)
    colleague_headers = bearer(db, colleague)
    db.commit()
    url = f"/api/v1/applications/{app_id}/panel-scorecards/panel_presentation"
    r = client.put(url, headers=headers, json={"ratings": _ratings(PRESENTATION, 2)})
    assert r.status_code == 200, r.text
    r = client.put(
        url, headers=headers, json={"ratings": _ratings(PRESENTATION, 4), "summary": "Clear"}
    )
    assert r.json()["ratings"]["technical_depth"] == {
        "rating": 4, "notes": "technical_depth ok", "evidence": "said technical_depth",
    }  # fmt: skip
    client.put(url, headers=colleague_headers, json={"ratings": _ratings(PRESENTATION, 1)})
    cards = client.get(f"/api/v1/applications/{app_id}/panel-scorecards", headers=headers).json()
    assert sorted(
        (c["interviewer_id"], c["ratings"]["communication"]["rating"]) for c in cards
    ) == (sorted([(recruiter.id, 4), (colleague.id, 1)]))
    saved = db.scalars(select(AuditLog).where(AuditLog.action == "panel_scorecard.save")).all()
    assert len(saved) == 3


def test_the_competencies_are_the_panels_own(client: TestClient, db: Session) -> None:
    """A culture panel wants its four competencies, not the presentation's; a missing one, a
    rating outside 1-4 and a stage that is no panel are refused with their codes."""
    _, headers, app_id = _setup(client, db)
    base = f"/api/v1/applications/{app_id}/panel-scorecards"
    r = client.put(
        f"{base}/panel_culture", headers=headers, json={"ratings": _ratings(PRESENTATION)}
    )
    assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_competencies")
    assert r.json()["error"]["details"]["expected"] == [
        "collaboration", "learning_from_failure", "motivation", "ownership",
    ]  # fmt: skip
    r = client.put(
        f"{base}/panel_presentation", headers=headers, json={"ratings": _ratings(PRESENTATION[:3])}
    )
    assert r.json()["error"]["code"] == "invalid_competencies"
    r = client.put(
        f"{base}/panel_presentation", headers=headers, json={"ratings": _ratings(PRESENTATION, 5)}
    )
    assert (r.status_code, r.json()["error"]["code"]) == (422, "validation_error")
    r = client.put(f"{base}/offer", headers=headers, json={"ratings": _ratings(PRESENTATION)})
    assert r.json()["error"]["code"] == "not_a_panel_stage"
    culture = ["ownership", "collaboration", "learning_from_failure", "motivation"]
    r = client.put(f"{base}/panel_culture", headers=headers, json={"ratings": _ratings(culture)})
    assert r.status_code == 200
    assert client.get(base, headers=headers).json()[0]["stage"] == "panel_culture"


def test_outsiders_and_candidates_cannot_rate(client: TestClient, db: Session) -> None:
    """Another organization's recruiter gets 404, the candidate 403."""
    _, _, app_id = _setup(client, db)
    outsider = bearer(db, make_user(db, Role.recruiter))
    db.commit()
    url = f"/api/v1/applications/{app_id}/panel-scorecards/panel_presentation"
    assert (
        client.put(url, headers=outsider, json={"ratings": _ratings(PRESENTATION)}).status_code
        == 404
    )
    candidate = bearer(db, make_user(db))
    db.commit()
    assert (
        client.put(url, headers=candidate, json={"ratings": _ratings(PRESENTATION)}).status_code
        == 404
    )


def test_the_scorecard_page_shows_and_takes_the_panels_ratings(
    client: TestClient, db: Session
) -> None:
    """The recruiter fills the presentation panel's form on the candidate's scorecard page and
    sees the ratings, their notes and the mean there, apart from the AI stages."""
    _, headers, app_id = _setup(client, db)
    application = client.get(f"/api/v1/applications/{app_id}", headers=headers).json()
    client.get("/login")
    client.post(
        "/login",
        data={"email": "r@example.com", "password": PASSWORD,
              "csrf_token": client.cookies.get("hs_csrf") or "", "next": ""},
    )  # fmt: skip
    candidate_id, job_id = application["candidate_id"], application["job_id"]
    page_url = f"/recruiter/candidates/{candidate_id}/scorecard?job={job_id}"
    page = client.get(page_url).text
    assert "Panel: presentation and Q&amp;A: the panel's scorecards" in page
    assert "No scorecard yet." in page
    # The culture and leadership panel's form asks for STAR stories; the presentation's does not.
    culture = page.split('id="panel-panel_culture"')[1]
    assert "Ask: Tell us about something that failed because of you." in culture
    assert "what did you do next, and what do you do differently now?" in culture
    presentation = page.split('id="panel-panel_presentation"')[1].split("<section")[0]
    assert "How would it scale to 10x the data?" in presentation
    assert "Tell us about" not in presentation
    form = {
        "csrf_token": client.cookies.get("hs_csrf") or "",
        "competency": PRESENTATION,
        "rating": ["4", "3", "2", "3"],
        "notes": ["Knew the model inside out", "", "", ""],
        "evidence": ["Explained the GRU's cost", "", "", ""],
        "summary": "Hire for depth",
    }
    r = client.post(
        f"/recruiter/applications/{app_id}/panel-scorecards/panel_presentation",
        data=form,
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = client.get(page_url).text
    assert "Knew the model inside out" in page
    assert "Explained the GRU&#39;s cost" in page
    assert '<td class="mean">4.0</td>' in page
    assert "Hire for depth" in page
