"""The recruiter's job console builds each applicant's scorecard once per request."""

from __future__ import annotations

from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.review import scorecard
from tests.factories import PASSWORD, make_application, make_user


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """Wrap `scorecard.build` to count the scorecards built, per candidate id."""
    calls: Counter[int] = Counter()
    real = scorecard.build

    def counted(
        session: Session, candidate: User, *, organization_id: int | None = None
    ) -> scorecard.Scorecard:
        calls[candidate.id] += 1
        return real(session, candidate, organization_id=organization_id)

    monkeypatch.setattr(scorecard, "build", counted)
    return calls


def test_job_console_page_builds_each_applicants_scorecard_once(
    client: TestClient, db: Session, world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two applicants (one scored, one not), the ranked page: one build each."""
    second = make_application(db, make_user(db), world["job"]).candidate_id
    db.commit()
    client.get("/login")
    client.post(
        "/login",
        data={
            "email": "rec@example.com",
            "password": PASSWORD,
            "csrf_token": client.cookies.get("hs_csrf") or "",
        },
    )
    calls = _count_builds(monkeypatch)
    page = client.get(f"/recruiter/jobs/{world['job'].id}")
    assert page.status_code == 200, page.text
    assert calls == Counter({world["candidate"].id: 1, second: 1})


def test_job_candidates_api_builds_each_applicants_scorecard_once(
    client: TestClient, db: Session, world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console's JSON list of two applicants: one build each."""
    second = make_application(db, make_user(db), world["job"]).candidate_id
    db.commit()
    calls = _count_builds(monkeypatch)
    r = client.get(f"/api/v1/jobs/{world['job'].id}/candidates", headers=world["staff"])
    assert r.status_code == 200, r.text
    assert len(r.json()) == 2
    assert calls == Counter({world["candidate"].id: 1, second: 1})
