"""Scorecards and the recruiter console through the API and pages."""

from __future__ import annotations

import html
import json
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.audit.models import AuditLog
from hiresight.challenges.loader import load_bank
from hiresight.interviews import scoring
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import AttemptState, StageAttempt
from hiresight.review import candidate as candidate_view
from hiresight.review import scorecard
from hiresight.review.candidate import CandidateFocus, CandidateStage
from hiresight.review.scorecard import ComponentResult, Scorecard, StageResult
from hiresight.scoring.types import RUBRIC_VERSIONS, AnswerKind, Evidence, Score
from tests.factories import PASSWORD, bearer, make_application, make_user
from tests.interviews.test_scoring import STAR
from tests.review.conftest import signed_in, take_behavioural


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
    assert behavioural["rubric_version"] == RUBRIC_VERSIONS[AnswerKind.BEHAVIOURAL]
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
    assert csv_text.splitlines()[0].startswith("candidate_id,name,email,status,applied_at")
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
    assert "now: Advanced" in card_page.text  # the human label, not the stored value
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


def _stage(kind: StageKind, score: float, **component: Any) -> StageResult:
    return StageResult(
        stage=kind, attempt_id=1, attempt_no=1, state=AttemptState.submitted, submitted_at=None,
        score=score, components={"stage": ComponentResult(
            value=score, rubric_version="v", provider="rubric", **component
        )},
    )  # fmt: skip


def _candidate_stage(stage: StageResult) -> CandidateStage:
    card = Scorecard(
        candidate_id=1, candidate_name="A", stages=[stage], missing_stages=[], overall=None,
        cefr=None, recommendation=None, reasons=[], integrity=[],
    )  # fmt: skip
    (mine,) = candidate_view.for_candidate(card).stages
    return mine


def _near(point: str, quote: str, similarity: float) -> dict[str, Any]:
    return {"point": point, "quote": quote, "start": 0, "end": len(quote), "similarity": similarity}


def test_low_stage_names_the_weakest_point_and_the_closest_sentence() -> None:
    """Below 70, the candidate sees the missed point whose closest sentence is least similar,
    with that sentence of theirs."""
    stage = _stage(
        StageKind.behavioral, 52.0,
        points_missed=["Say what changed afterwards", "Name who you worked with"],
        closest=[_near("Say what changed afterwards", "We shipped it.", 0.41),
                 _near("Name who you worked with", "I did it alone at night.", 0.22)],
    )  # fmt: skip
    mine = _candidate_stage(stage)
    assert mine.focus == CandidateFocus(
        point="Name who you worked with", closest="I did it alone at night."
    )


def test_low_stage_without_closest_sentences_names_a_missed_point() -> None:
    """Scores stored before closest sentences existed still name a point to work on."""
    mine = _candidate_stage(_stage(StageKind.system_design, 40.0, points_missed=["Add a cache"]))
    assert mine.focus == CandidateFocus(point="Add a cache")


def test_low_english_stage_names_its_weakest_part_with_a_sentence_of_theirs() -> None:
    """An English stage with weak accuracy quotes a sentence of theirs that has an issue."""
    stage = _stage(
        StageKind.english, 45.0,
        sub_scores={"writing": 45.0, "writing_accuracy": 0.2, "writing_vocabulary": 0.6},
        evidence=[_near("grammar: Possible agreement error [BASE_FORM]", "I has a car.", 1.0),
                  _near("vocabulary: highest-level words: car (A1)", "I has a car.", 1.0)],
    )  # fmt: skip
    mine = _candidate_stage(stage)
    assert mine.focus == CandidateFocus(
        point=candidate_view.ENGLISH_STEPS["writing_accuracy"], closest="I has a car."
    )


def test_low_english_multiple_choice_alone_is_named() -> None:
    """An English stage of multiple choice alone points at that part (no item is revealed)."""
    mine = _candidate_stage(_stage(StageKind.english, 35.0, sub_scores={"mc": 35.0}))
    assert mine.focus == CandidateFocus(point=candidate_view.ENGLISH_STEPS["mc"])


def test_low_stage_with_nothing_specific_still_says_what_to_do() -> None:
    """Below 70, the guidance is never empty, even with no point or sub-score to name."""
    mine = _candidate_stage(_stage(StageKind.resume, 30.0))
    assert mine.focus is None
    assert mine.next_steps == [candidate_view.GENERIC_STEP]


def test_strong_stage_with_nothing_missed_has_no_focus() -> None:
    """At or above 70 with nothing missed there is nothing to single out."""
    mine = _candidate_stage(_stage(StageKind.resume, 85.0))
    assert mine.focus is None
    assert mine.next_steps == []


def _between(html: str, heading: str, end: str) -> str:
    start = html.index(heading)
    return html[start : html.index(end, start)]


def test_candidate_page_never_says_nothing_to_improve_below_70(
    app: FastAPI, db: Session, world: dict
) -> None:
    """The weak code review names a point to work on instead of "Nothing stood out"."""
    card = candidate_view.for_candidate(scorecard.build(db, world["candidate"]))
    review = next(s for s in card.stages if s.stage is StageKind.code_review)
    assert review.score is not None
    assert review.score < 70
    assert review.focus is not None
    page = signed_in(app, "cand@example.com").get("/candidate/scorecard")
    assert page.status_code == 200
    section = _between(page.text, "Code review:", "</section>")
    assert "Nothing stood out" not in section
    assert "Work on this first" in section


def test_recruiter_page_shows_evidence_closest_sentences_and_fallback(
    app: FastAPI, db: Session, world: dict
) -> None:
    """Code-review components list their evidence (the hidden tests) and missed bugs; a missed
    point shows its closest sentence labelled "closest"; a fallback is said."""
    attempt = db.get(StageAttempt, world["story_id"])
    assert attempt is not None
    near = Evidence(point="Name who you worked with", quote="I profiled the database.",
                    start=0, end=24, similarity=0.3)  # fmt: skip
    score = Score(
        value=55.0, kind=AnswerKind.BEHAVIOURAL, rubric_version="behavioural-star-rubric.v9",
        provider="rubric", points_missed=[near.point], closest=[near], fallback=True,
        fallback_reason="timeout: the endpoint did not answer",
    )  # fmt: skip
    scoring.store_scores(db, attempt, {"stage": score})
    db.commit()
    page = signed_in(app, "rec@example.com").get(
        f"/recruiter/candidates/{world['candidate'].id}/scorecard"
    )
    assert page.status_code == 200
    review = _between(page.text, "Code review —", "</article>")
    assert "bug not flagged:" in review
    assert ": passed" in review
    story = _between(page.text, "Behavioral —", "</article>")
    assert "closest:</span> “I profiled the database.”" in story
    assert "fell back to the rubric engine: timeout: the endpoint did not answer" in story
    card = scorecard.build(db, world["candidate"])
    stored = next(s for s in card.stages if s.stage is StageKind.behavioral)
    assert stored.components["stage"].closest == [near.model_dump()]


def _reference_texts(challenge_id: str) -> list[str]:
    """Every bug's reference problem, fix and impact of a bank challenge (its answer key)."""
    challenge = next(c for c in load_bank() if c.id == challenge_id)
    return [
        text
        for bug in challenge.manifest.bugs
        for text in (bug.explanation.problem, bug.explanation.fix, bug.explanation.impact)
    ]


def _code_review_stage(missed: list[str], explanation: float, **subs: float) -> StageResult:
    """A weak code review whose explanation missed `missed`, the first with a closest sentence."""
    parts = {"identification_value": 80.0, "patch_value": 90.0, "explanation_value": explanation}
    return _stage(
        StageKind.code_review, 45.0, points_missed=missed,
        closest=[_near(missed[0], "I changed the query.", 0.31)],
        sub_scores={**parts, "explanation_part_problem": 1.0, "explanation_part_solution": 1.0,
                    "explanation_part_impact": 1.0, **subs},
    )  # fmt: skip


def test_code_review_focus_is_general_advice_with_their_own_sentence() -> None:
    """A weak explanation is named in general words, quoting the candidate's own sentence; a
    missing part of it, or a weaker part of the review, is named instead."""
    missed = ["The cursor carries the organisation id.", "Take the id from the session."]
    mine = _candidate_stage(_code_review_stage(missed, 10.0))
    assert mine.focus == CandidateFocus(
        point=candidate_view.CODE_REVIEW_FOCUS["explanation"], closest="I changed the query."
    )
    assert mine.focus.point not in mine.next_steps
    no_impact = _candidate_stage(_code_review_stage(missed, 10.0, explanation_part_impact=0.0))
    assert no_impact.focus == CandidateFocus(point=candidate_view.CODE_REVIEW_FOCUS["part_impact"])
    flags = _candidate_stage(_code_review_stage(missed, 60.0, identification_value=0.0))
    assert flags.focus == CandidateFocus(point=candidate_view.CODE_REVIEW_FOCUS["identification"])


def test_candidate_never_sees_a_code_review_answer_key(
    app: FastAPI, client: TestClient, db: Session, world: dict
) -> None:
    """Neither the candidate's scorecard JSON nor their page quotes any bug's reference problem,
    fix or impact, as scored and with every reference point missed and a closest sentence."""
    attempt = db.get(StageAttempt, world["review_id"])
    assert attempt is not None
    references = _reference_texts(str(attempt.private["challenge_id"]))
    browser = signed_in(app, "cand@example.com")

    def shown() -> str:
        card = client.get("/api/v1/candidates/me/scorecard", headers=world["cand"])
        page = browser.get("/candidate/scorecard")
        assert card.status_code == page.status_code == 200
        return json.dumps(card.json(), ensure_ascii=False) + html.unescape(page.text)

    as_scored = shown()
    assert "Work on this first" in as_scored
    assert not [r for r in references if r in as_scored]
    near = Evidence(point=references[0], quote="I changed the query.", start=0, end=20,
                    similarity=0.31)  # fmt: skip
    score = Score(
        value=40.0, kind=AnswerKind.CODE_REVIEW, rubric_version="code-review-explanation-rubric.v1",
        provider="rubric", points_missed=references, closest=[near],
        sub_scores={"identification_value": 90.0, "patch_value": 90.0, "explanation_value": 5.0},
    )  # fmt: skip
    scoring.store_scores(db, attempt, {"stage": score})
    db.commit()
    missed_all = shown()
    assert "I changed the query." in missed_all
    assert candidate_view.CODE_REVIEW_FOCUS["explanation"] in missed_all
    assert not [r for r in references if r in missed_all]
