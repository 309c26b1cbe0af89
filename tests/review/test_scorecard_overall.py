"""The overall score read on its own: the scorecard's number, without building the scorecard."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.interviews import scores
from hiresight.interviews.config import StageKind
from hiresight.interviews.scores import AttemptScore
from hiresight.matching import service as matching
from hiresight.review import scorecard
from tests.factories import make_user


def _no_build(*args: object, **kwargs: object) -> scorecard.Scorecard:
    raise AssertionError("the whole scorecard was built")


def test_overall_score_equals_the_scorecards_overall(db: Session, world: dict) -> None:
    """For the candidate's own view, their organization and another one, the numbers agree."""
    candidate = world["candidate"]
    other_org = make_user(db, Role.recruiter, email="other@example.com").organization_id
    for org in (None, world["job"].organization_id, other_org):
        card = scorecard.build(db, candidate, organization_id=org)
        assert card.overall is not None
        assert len([s for s in card.stages if s.score is not None]) == 2
        assert scores.overall_score(db, candidate.id, org) == card.overall


def test_a_stage_without_stored_scores_counts_in_neither(db: Session, world: dict) -> None:
    """An attempt whose score rows are gone is left out of both, as the scorecard shows it."""
    candidate = world["candidate"]
    before = scorecard.build(db, candidate).overall
    db.execute(delete(AttemptScore).where(AttemptScore.attempt_id == world["story_id"]))
    db.flush()
    card = scorecard.build(db, candidate)
    assert [s.stage for s in card.stages if s.score is not None] == [StageKind.code_review]
    assert card.overall != before
    assert scores.overall_score(db, candidate.id) == card.overall


def test_a_candidate_without_attempts_has_no_overall(db: Session) -> None:
    """No counted attempt: None, as on an empty scorecard."""
    candidate = make_user(db)
    assert scorecard.build(db, candidate).overall is None
    assert scores.overall_score(db, candidate.id) is None


def test_recommendations_read_the_overall_without_building_a_scorecard(
    client: TestClient, db: Session, world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jobs for a candidate and a job's ranked applicants never build a whole scorecard."""
    candidate = world["candidate"]
    expected = scorecard.build(db, candidate).overall
    org = world["job"].organization_id
    expected_for_org = scorecard.build(db, candidate, organization_id=org).overall
    assert expected is not None
    assert expected_for_org is not None
    monkeypatch.setattr(scorecard, "build", _no_build)
    assert matching.candidate_profile(db, candidate).interview_score == expected / 100
    profile = matching.candidate_profile(db, candidate, organization_id=org)
    assert profile.interview_score == expected_for_org / 100
    r = client.get("/api/v1/candidates/me/recommendations", headers=world["cand"])
    assert r.status_code == 200, r.text
    ranked = client.get(f"/api/v1/jobs/{world['job'].id}/ranked-candidates", headers=world["staff"])
    assert ranked.status_code == 200, ranked.text
    assert [i["candidate_id"] for i in ranked.json()["items"]] == [candidate.id]
