"""Integrity signals stored before they were typed: every reader skips and flags what it cannot
read, and none of them fails."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.interviews.models import IntegrityEvent
from tests.review.conftest import signed_in

# What the old endpoint accepted and stored as it came.
MALFORMED = [
    ("focus_gained", {"ms": "not-a-number"}),
    ("paste", {"chars": [1, 2, 3]}),
    ("paste", {}),
    ("focus_gained", None),
    ("answer_timing", {"ms": 10}),
]


def test_every_reader_answers_and_flags_malformed_signal_rows(
    app: FastAPI, client: TestClient, db: Session, world: dict
) -> None:
    """Scorecard (API, PDF, page), console, compare, candidates and CSV, and the candidate's own
    views all answer 200 with malformed event rows in the database; the row is flagged."""
    db.add_all(
        IntegrityEvent(attempt_id=world["story_id"], kind=kind, data=data)
        for kind, data in MALFORMED
    )
    db.commit()
    cid, job_id = world["candidate"].id, world["job"].id
    staff, cand = world["staff"], world["cand"]

    card = client.get(f"/api/v1/candidates/{cid}/scorecard", headers=staff)
    assert card.status_code == 200, card.text
    unreadable = [i for i in card.json()["integrity"] if i["code"] == "unreadable_signals"]
    assert [i["stage"] for i in unreadable] == ["behavioral"]
    assert f"{len(MALFORMED)} recorded signal(s)" in unreadable[0]["message"]
    # The readable paste recorded through the API still raises its own flag.
    assert any(i["code"] == "large_paste" for i in card.json()["integrity"])

    pdf = client.get(f"/api/v1/candidates/{cid}/scorecard.pdf", headers=staff)
    assert pdf.status_code == 200
    rows = client.get(f"/api/v1/jobs/{job_id}/candidates", headers=staff)
    assert rows.status_code == 200
    assert rows.json()[0]["integrity_flags"] >= 2
    exported = client.get(f"/api/v1/jobs/{job_id}/candidates.csv", headers=staff)
    assert exported.status_code == 200
    assert int(next(csv.DictReader(io.StringIO(exported.text)))["integrity_flags"]) >= 2
    assert client.get("/api/v1/candidates/me/scorecard", headers=cand).status_code == 200

    recruiter = signed_in(app, "rec@example.com")
    page = recruiter.get(f"/recruiter/candidates/{cid}/scorecard?job={job_id}")
    assert page.status_code == 200
    assert "could not be read" in page.text
    assert recruiter.get(f"/recruiter/jobs/{job_id}").status_code == 200
    compare = recruiter.get(f"/recruiter/jobs/{job_id}/compare", params={"a": cid, "b": cid})
    assert compare.status_code == 200

    candidate = signed_in(app, "cand@example.com")
    for path in ("/candidate", "/candidate/scorecard", "/candidate/interviews"):
        assert candidate.get(path).status_code == 200, path


def test_a_stage_at_the_signal_cap_is_flagged(client: TestClient, db: Session, world: dict) -> None:
    """When an attempt holds the maximum number of signals, the scorecard says later ones were
    refused, so a flood cannot hide behaviour silently."""
    from hiresight.interviews.schemas import EVENTS_PER_ATTEMPT

    db.add_all(
        IntegrityEvent(attempt_id=world["story_id"], kind="focus_lost", data={})
        for _ in range(EVENTS_PER_ATTEMPT)
    )
    db.commit()
    card = client.get(
        f"/api/v1/candidates/{world['candidate'].id}/scorecard", headers=world["staff"]
    ).json()
    assert any(i["code"] == "signal_limit" for i in card["integrity"])
