"""Pipelines through the API: choosing a job's stages, moving applications with notes (audited,
recorded), the board's counts and per-stage funnel, and who may do it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
from hiresight.audit.models import AuditLog
from hiresight.engagement.models import EngagementEvent
from hiresight.jobs.models import Job
from tests.factories import bearer, make_job, make_user

FIVE = [
    {"kind": "ai_screening"},
    {"kind": "portfolio_review"},
    {"kind": "takehome"},
    {"kind": "panel", "panel_kind": "presentation"},
    {"kind": "offer"},
]
KEYS = ["ai_screening", "portfolio_review", "takehome", "panel_presentation", "offer"]


def _job(client: TestClient, headers: dict[str, str], stages: Any = FIVE) -> dict[str, Any]:
    r = client.post(
        "/api/v1/jobs",
        headers=headers,
        json={"title": "ML Engineer", "status": "open", "pipeline": stages},
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def _apply(client: TestClient, db: Session, job_id: int) -> int:
    headers = bearer(db, make_user(db))
    db.commit()
    r = client.post(f"/api/v1/jobs/{job_id}/applications", headers=headers)
    assert r.status_code == 201
    return int(r.json()["id"])


def _move(client: TestClient, headers: dict[str, str], app_id: int, **body: Any) -> Any:
    return client.post(f"/api/v1/applications/{app_id}/moves", headers=headers, json=body)


def _setup(client: TestClient, db: Session) -> tuple[User, dict[str, str], dict[str, Any]]:
    recruiter = make_user(db, Role.recruiter)
    headers = bearer(db, recruiter)
    db.commit()
    return recruiter, headers, _job(client, headers)


def test_a_job_stores_its_pipeline_and_applications_start_at_its_first_stage(
    client: TestClient, db: Session
) -> None:
    """The chosen stages come back with keys and titles; a new application is at the first."""
    _, headers, job = _setup(client, db)
    assert [s["key"] for s in job["pipeline"]] == KEYS
    assert job["pipeline"][3]["title"] == "Panel: presentation and Q&A"
    app_id = _apply(client, db, job["id"])
    r = client.get(f"/api/v1/applications/{app_id}", headers=headers)
    assert r.json()["stage"] == "ai_screening"


def test_a_job_without_a_pipeline_gets_the_default(client: TestClient, db: Session) -> None:
    """No pipeline chosen: AI screening, presentation panel, offer."""
    headers = bearer(db, make_user(db, Role.recruiter))
    db.commit()
    r = client.post("/api/v1/jobs", headers=headers, json={"title": "X"})
    keys = [s["key"] for s in r.json()["pipeline"]]
    assert keys == ["ai_screening", "panel_presentation", "offer"]


def test_invalid_pipelines_are_refused_with_422(client: TestClient, db: Session) -> None:
    """Unknown kind, empty list, offer not last, duplicate non-panel stage: all 422."""
    headers = bearer(db, make_user(db, Role.recruiter))
    db.commit()
    for stages in (
        [{"kind": "coffee_chat"}],
        [],
        [{"kind": "offer"}, {"kind": "ai_screening"}],
        [{"kind": "takehome"}, {"kind": "takehome"}],
        [{"kind": "panel"}],
    ):
        r = client.post("/api/v1/jobs", headers=headers, json={"title": "X", "pipeline": stages})
        assert r.status_code == 422, stages
        assert r.json()["error"]["code"] == "validation_error"
    two_panels = [{"kind": "panel", "panel_kind": "culture"}] * 2
    assert client.post(
        "/api/v1/jobs", headers=headers, json={"title": "X", "pipeline": two_panels}
    ).status_code == 201  # fmt: skip


def test_moves_go_forward_and_back_with_their_notes_recorded(
    client: TestClient, db: Session
) -> None:
    """Advance, move, back, hold: each changes stage or status and is recorded with who and
    the note, in the move history and the audit log."""
    recruiter, headers, job = _setup(client, db)
    app_id = _apply(client, db, job["id"])
    r = _move(client, headers, app_id, action="advance", note="Scored 78, strong")
    assert r.status_code == 201
    assert (r.json()["stage"], r.json()["status"]) == ("portfolio_review", "advanced")
    r = _move(client, headers, app_id, action="move", to_stage="panel_presentation", note="skip")
    assert r.json()["stage"] == "panel_presentation"
    r = _move(client, headers, app_id, action="back", note="needs the take-home")
    assert (r.json()["stage"], r.json()["status"]) == ("takehome", "interviewing")
    r = _move(client, headers, app_id, action="hold", note="waiting for the team")
    assert (r.json()["stage"], r.json()["status"]) == ("takehome", "on_hold")

    moves = client.get(f"/api/v1/applications/{app_id}/moves", headers=headers).json()
    assert [(m["action"], m["from_stage"], m["to_stage"], m["note"]) for m in moves] == [
        ("advance", "ai_screening", "portfolio_review", "Scored 78, strong"),
        ("move", "portfolio_review", "panel_presentation", "skip"),
        ("back", "panel_presentation", "takehome", "needs the take-home"),
        ("hold", "takehome", "takehome", "waiting for the team"),
    ]
    assert {m["actor_id"] for m in moves} == {recruiter.id}
    audits = db.scalars(
        select(AuditLog).where(AuditLog.action == "application.decide").order_by(AuditLog.id)
    ).all()
    assert audits[-1].details == {
        "from": "interviewing", "to": "on_hold", "note": "waiting for the team",
        "action": "hold", "from_stage": "takehome", "to_stage": "takehome",
    }  # fmt: skip
    assert len(audits) == 4


def test_refused_moves_have_stable_codes_and_change_nothing(
    client: TestClient, db: Session
) -> None:
    """Back from the first stage, a stage not in the pipeline, hiring before the offer, a
    `move` without its target: each refused with its code, and no move is recorded."""
    _, headers, job = _setup(client, db)
    app_id = _apply(client, db, job["id"])
    cases = [
        ({"action": "back"}, 409, "no_previous_stage"),
        ({"action": "move", "to_stage": "coding_dojo"}, 422, "unknown_stage"),
        ({"action": "move", "to_stage": "ai_screening"}, 409, "same_stage"),
        ({"action": "hire"}, 409, "not_at_last_stage"),
        ({"action": "move"}, 422, "validation_error"),
        ({"action": "teleport"}, 422, "validation_error"),
    ]
    for body, status, code in cases:
        r = _move(client, headers, app_id, **body)
        assert (r.status_code, r.json()["error"]["code"]) == (status, code), body
    assert client.get(f"/api/v1/applications/{app_id}/moves", headers=headers).json() == []
    for _ in KEYS[1:]:
        assert _move(client, headers, app_id, action="advance").status_code == 201
    r = _move(client, headers, app_id, action="advance")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "no_next_stage")
    assert _move(client, headers, app_id, action="hire", note="welcome").json()["status"] == "hired"
    kinds = db.scalars(select(EngagementEvent.kind).where(EngagementEvent.kind != "apply")).all()
    assert sorted(set(kinds)) == ["advanced", "hired"]


def test_the_board_counts_each_stage_and_the_funnel(client: TestClient, db: Session) -> None:
    """Four applicants: one stays, one reaches the take-home, one reaches the offer and is
    hired, one is rejected at portfolio review after being moved back. Columns count who is
    there now; reached and moved on count the furthest stage each ever got to."""
    _, headers, job = _setup(client, db)
    stay, mid, hired, rejected = (_apply(client, db, job["id"]) for _ in range(4))
    for _ in range(2):
        _move(client, headers, mid, action="advance")
    _move(client, headers, hired, action="move", to_stage="offer")
    _move(client, headers, hired, action="hire")
    _move(client, headers, rejected, action="move", to_stage="takehome")
    _move(client, headers, rejected, action="back")
    _move(client, headers, rejected, action="reject", note="not this time")

    board = client.get(f"/api/v1/jobs/{job['id']}/pipeline", headers=headers).json()
    columns = {c["key"]: c for c in board["stages"]}
    assert [c["key"] for c in board["stages"]] == KEYS
    assert {k: c["count"] for k, c in columns.items()} == {
        "ai_screening": 1, "portfolio_review": 0, "takehome": 1, "panel_presentation": 0,
        "offer": 1,
    }  # fmt: skip
    assert columns["ai_screening"]["application_ids"] == [stay]
    assert columns["takehome"]["application_ids"] == [mid]
    assert {k: (c["reached"], c["moved_on"]) for k, c in columns.items()} == {
        "ai_screening": (4, 3),
        "portfolio_review": (3, 3),
        "takehome": (3, 1),
        "panel_presentation": (1, 1),
        "offer": (1, 1),
    }
    assert (board["rejected"], board["withdrawn"]) == (1, 0)


def test_a_stage_with_applicants_cannot_be_dropped(client: TestClient, db: Session) -> None:
    """Editing the pipeline keeps every stage someone is at (409 stage_in_use); others go."""
    _, headers, job = _setup(client, db)
    app_id = _apply(client, db, job["id"])
    _move(client, headers, app_id, action="move", to_stage="takehome")
    shorter = [{"kind": "ai_screening"}, {"kind": "offer"}]
    r = client.patch(f"/api/v1/jobs/{job['id']}", headers=headers, json={"pipeline": shorter})
    assert (r.status_code, r.json()["error"]["code"]) == (409, "stage_in_use")
    assert r.json()["error"]["details"] == {"stages": ["takehome"]}
    kept = [{"kind": "ai_screening"}, {"kind": "takehome"}, {"kind": "offer"}]
    r = client.patch(f"/api/v1/jobs/{job['id']}", headers=headers, json={"pipeline": kept})
    assert [s["key"] for s in r.json()["pipeline"]] == ["ai_screening", "takehome", "offer"]
    db.expire_all()
    stored = db.get(Job, job["id"])
    assert stored is not None
    assert [s["key"] for s in stored.pipeline] == ["ai_screening", "takehome", "offer"]


def test_other_organizations_and_candidates_cannot_move_or_read(
    client: TestClient, db: Session
) -> None:
    """Another organization's recruiter gets 404 for the board, the moves and moving; the
    candidate gets 403 for moving their own application."""
    _, _, job = _setup(client, db)
    candidate = make_user(db)
    cand_headers = bearer(db, candidate)
    outsider = bearer(db, make_user(db, Role.recruiter))
    db.commit()
    app_id = client.post(f"/api/v1/jobs/{job['id']}/applications", headers=cand_headers).json()[
        "id"
    ]
    assert client.get(f"/api/v1/jobs/{job['id']}/pipeline", headers=outsider).status_code == 404
    assert _move(client, outsider, app_id, action="advance").status_code == 404
    assert client.get(f"/api/v1/applications/{app_id}/moves", headers=outsider).status_code == 404
    assert _move(client, cand_headers, app_id, action="advance").status_code == 403


def test_an_existing_job_has_the_default_pipeline(client: TestClient, db: Session) -> None:
    """A job made without the API (as before pipelines) reads back with the default."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization)
    headers = bearer(db, recruiter)
    db.commit()
    r = client.get(f"/api/v1/jobs/{job.id}/pipeline", headers=headers)
    assert [c["key"] for c in r.json()["stages"]] == ["ai_screening", "panel_presentation", "offer"]
