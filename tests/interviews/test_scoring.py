"""Scoring stored attempts: components with rubric versions and evidence, practice feedback."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.banks.loader import english_items
from hiresight.challenges.loader import load_bank
from hiresight.grading.report import GradedTest, GradeReport
from hiresight.interviews import scoring as service
from hiresight.interviews.config import StageKind
from hiresight.interviews.feedback import practice_feedback
from hiresight.interviews.models import StageAttempt
from hiresight.interviews.scores import AttemptScore, current_scores
from hiresight.scoring import english
from hiresight.scoring.types import RUBRIC_VERSIONS, AnswerKind, Evidence, Score
from hiresight.tasks import service as tasks
from tests.factories import bearer, make_user
from tests.profiles.factories import SAMPLE_TXT

STAR = (
    "Situation: our checkout service timed out every Friday evening. Task: as the on-call "
    "engineer I had to stop the outages before the holiday sale. Action: I profiled the "
    "database, found an N+1 query in the basket endpoint, added an index and batched the "
    "lookups, and I wrote a load test that ran in CI. Result: p99 latency fell from 2.1 s to "
    "300 ms and we had zero checkout incidents during the sale, which brought 40% more orders."
)


def _candidate(db: Session) -> dict[str, str]:
    from hiresight.profiles import service as profiles

    user = make_user(db)
    profiles.upload_resume(db, candidate=user, data=SAMPLE_TXT.encode(), filename="cv.txt")
    headers = bearer(db, user)
    db.commit()
    return headers


def _take(client: TestClient, headers: dict[str, str], stage: str, draft: dict, practice: bool):
    session = client.post(
        "/api/v1/interviews", headers=headers, json={"practice": practice, "stages": [stage]}
    ).json()
    attempt = client.post(
        f"/api/v1/interviews/{session['id']}/stages/{stage}/start", headers=headers
    ).json()
    client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers, json={"draft": draft})
    assert tasks.wait(120)
    return client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json()


def test_practice_answer_gets_immediate_feedback(client: TestClient, db: Session) -> None:
    """A practice STAR story is scored; feedback lists STAR parts, missed points and an outline."""
    headers = _candidate(db)
    attempt = _take(client, headers, "behavioral", {"answers": {"b1": STAR}}, practice=True)
    feedback = attempt["practice_feedback"]
    assert feedback["structure"] == {
        "situation": True,
        "task": True,
        "action": True,
        "result": True,
    }
    assert feedback["model_outline"]
    assert isinstance(feedback["points_missed"], list)
    assert attempt["score"] > 40


def test_real_attempt_scores_are_stored_with_versions(client: TestClient, db: Session) -> None:
    """A real attempt's scores carry rubric version, provider and quoted evidence; no practice
    feedback reaches the candidate during the interview."""
    headers = _candidate(db)
    attempt = _take(client, headers, "behavioral", {"answers": {"b1": STAR}}, practice=False)
    assert attempt["practice_feedback"] is None
    rows = current_scores(db, attempt["id"])
    stage = rows["stage"]
    assert stage.rubric_version == RUBRIC_VERSIONS[AnswerKind.BEHAVIOURAL]
    assert stage.provider == "rubric"
    assert all(e["quote"] in STAR for e in stage.evidence)
    assert "communication" in rows


def test_empty_answer_scores_near_zero(client: TestClient, db: Session) -> None:
    """Submitting nothing scores under 10."""
    headers = _candidate(db)
    attempt = _take(client, headers, "system_design", {"answers": {"sd1": ""}}, practice=False)
    assert attempt["score"] < 10


def test_code_review_is_graded_then_scored(client: TestClient, db: Session) -> None:
    """The reference patch, right flags and the reference explanation score highly on every
    code-review competency."""
    headers = _candidate(db)
    session = client.post(
        "/api/v1/interviews", headers=headers, json={"stages": ["code_review"]}
    ).json()
    attempt = client.post(
        f"/api/v1/interviews/{session['id']}/stages/code_review/start", headers=headers
    ).json()
    challenge = next(c for c in load_bank() if c.id == attempt["content"]["challenge"]["id"])
    flags = [
        {"file": b.file, "start_line": b.lines[0], "end_line": b.lines[1], "class": b.bug_class}
        for b in challenge.manifest.bugs
    ]
    explanation = " ".join(
        f"Problem: {b.explanation.problem} Fix: {b.explanation.fix} Impact: {b.explanation.impact}"
        for b in challenge.manifest.bugs
    )
    client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={
            "draft": {"files": dict(challenge.solution), "flags": flags, "explanation": explanation}
        },
    )
    assert tasks.wait(180)
    rows = current_scores(db, attempt["id"])
    assert set(rows) == {"stage", "bug_identification", "patch_design", "explanation"}
    assert rows["bug_identification"].sub_scores["recall"] == 1.0
    assert rows["patch_design"].value >= 90
    assert rows["stage"].value >= 70


def test_rescoring_keeps_the_old_scores(client: TestClient, db: Session) -> None:
    """Scoring again adds rows; the newest is current and the first one is still there."""
    headers = _candidate(db)
    done = _take(client, headers, "behavioral", {"answers": {"b1": STAR}}, practice=False)
    attempt = db.get(StageAttempt, done["id"])
    assert attempt is not None
    before = db.scalar(select(func.count()).select_from(AttemptScore)) or 0
    service.store_scores(db, attempt, service.compute_scores(attempt))
    db.commit()
    assert (db.scalar(select(func.count()).select_from(AttemptScore)) or 0) == 2 * before
    assert current_scores(db, attempt.id)["stage"].id > min(
        r.id for r in db.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt.id))
    )


def test_english_stage_gets_a_cefr_level(client: TestClient, db: Session) -> None:
    """Multiple-choice answers plus a writing sample give a stage score and a CEFR note."""
    headers = _candidate(db)
    session = client.post(
        "/api/v1/interviews", headers=headers, json={"stages": ["english"]}
    ).json()
    attempt = client.post(
        f"/api/v1/interviews/{session['id']}/stages/english/start", headers=headers
    ).json()
    for _ in range(4):
        current = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json()
        item = current["content"]["questions"][-1]
        client.post(
            f"/api/v1/attempts/{attempt['id']}/questions/{item['id']}/answer",
            headers=headers,
            json={"choice": 0},
        )
    client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={
            "draft": {
                "writing": "Dear team, the release is delayed by two days because the payment "
                "tests "
                "failed on Friday. We found the cause and we are fixing it now."
            }
        },
    )
    assert tasks.wait(120)
    stage = current_scores(db, attempt["id"])["stage"]
    assert any(note.startswith("CEFR ") for note in stage.notes)
    assert "writing" in stage.sub_scores


# Scoring functions on attempts built in memory: known answers, no database or background work.

LABELLED_STAR = (
    "Situation: our payments team missed two releases in a row.\n"
    "Task: I had to get the next release out on time.\n"
    "Action: I split the release into small batches and ran the tests on every merge.\n"
    "Result: we shipped on the planned date and cut failed deploys by half."
)


def _english_attempt(responses: list[dict], writing: str) -> StageAttempt:
    return StageAttempt(
        stage=StageKind.english,
        content={"questions": []},
        private={"responses": responses},
        answer={"writing": writing},
    )


def test_english_evidence_names_each_missed_item_and_its_right_answer() -> None:
    """One wrong item is evidence with its prompt, the candidate's choice and the right answer;
    items answered right are not listed."""
    right, wrong = english_items()[0], english_items()[1]
    bad = (wrong.answer + 1) % 4
    attempt = _english_attempt(
        [
            {"item_id": right.id, "choice": right.answer, "correct": True},
            {"item_id": wrong.id, "choice": bad, "correct": False},
        ],
        "",
    )
    stage = service.compute_scores(attempt)["stage"]
    assert [e.point for e in stage.evidence] == [wrong.prompt]
    (item,) = stage.evidence
    assert item.quote == (
        f"chose “{wrong.options[bad]}”; the right answer is “{wrong.options[wrong.answer]}”"
    )
    assert (item.start, item.end) == (0, 0)


def test_english_writing_evidence_quotes_the_sample_at_exact_offsets() -> None:
    """Grammar, vocabulary and spelling evidence quote sentences of the stored sample, with
    offsets into it even when it starts with blank lines; the score is unchanged by them."""
    sample = "\n\n  I has recieve the logs from the payment service. The latency was ubiquitous."
    stage = service.compute_scores(_english_attempt([], sample))["stage"]
    points = [e.point for e in stage.evidence]
    assert any(p.startswith("grammar: ") for p in points)
    assert "spelling: misspelled: recieve" in points
    assert any(p.startswith("vocabulary: ") and "ubiquitous (C2)" in p for p in points)
    for e in stage.evidence:
        assert sample[e.start : e.end] == e.quote
    assert stage.value == round(english.assess_writing(sample.strip()).value, 2)
    assert stage.rubric_version == "english-mc-rasch.v1+english-writing-rubric.v1"


def _code_review_attempt(flags: list[dict], tests: list[GradedTest]) -> StageAttempt:
    challenge = load_bank()[0]
    report = GradeReport(challenge_id=challenge.id, status="ok", tests=tests, score=50.0)
    return StageAttempt(
        stage=StageKind.code_review,
        content={"challenge": {"id": challenge.id}},
        private={"challenge_id": challenge.id},
        answer={"files": {}, "flags": flags, "explanation": "I fixed the pagination bug."},
        result={"grade": report.model_dump(mode="json")},
    )


def test_code_review_evidence_shows_matched_and_missed_flags_and_tests() -> None:
    """One matched flag is evidence (bug id and class, flagged file:lines); the other bugs are
    missed; patch design lists the tests that passed and the one that failed."""
    challenge = load_bank()[0]
    first, *others = challenge.manifest.bugs
    flag = {"file": first.file, "start_line": first.lines[0], "end_line": first.lines[1],
            "class": first.bug_class}  # fmt: skip
    tests = [
        GradedTest(id="t-fixed", passed=True, status="passed", bug=first.id),
        GradedTest(id="t-open", passed=False, status="failed", bug=others[0].id),
        GradedTest(id="t-regress", passed=True, status="passed", bug=None),
    ]
    scores = service.compute_scores(_code_review_attempt([flag], tests))
    flags = scores["bug_identification"]
    (matched,) = flags.evidence
    assert matched.point == f"{first.id} ({first.bug_class})"
    assert matched.quote == f"{first.file}:{first.lines[0]}-{first.lines[1]}"
    assert matched.similarity == 1.0
    assert flags.points_missed == [f"bug not flagged: {b.id} ({b.bug_class})" for b in others]
    patch = scores["patch_design"]
    assert [(e.quote, e.similarity) for e in patch.evidence] == [
        ("test t-fixed: passed", 1.0),
        ("test t-open: failed", 0.0),
        ("test t-regress: passed", 1.0),
    ]
    assert patch.points_missed == [f"fixes {others[0].id}: test t-open failed"]


def test_code_review_practice_feedback_never_shows_the_answer_key() -> None:
    """Practice says how much of a code review was missed, never the seeded bugs' explanations."""
    challenge = load_bank()[0]
    attempt = _code_review_attempt([], [])
    feedback = practice_feedback(attempt, service.compute_scores(attempt))
    shown = repr(feedback)
    for bug in challenge.manifest.bugs:
        for reference in (bug.explanation.problem, bug.explanation.fix, bug.explanation.impact):
            assert reference not in shown
    assert feedback["missed"] == []
    assert any("not flagged" in line for line in feedback["points_missed"])


def test_a_flag_of_the_wrong_class_earns_less_and_says_so() -> None:
    """A flag at the right lines with another class is matched at 1 - CLASS_BONUS similarity."""
    bug = load_bank()[0].manifest.bugs[0]
    flag = {"file": bug.file, "start_line": bug.lines[0], "end_line": bug.lines[1],
            "class": "resource-leak"}  # fmt: skip
    (matched,) = service.compute_scores(_code_review_attempt([flag], []))[
        "bug_identification"
    ].evidence
    assert matched.point == f"{bug.id} ({bug.bug_class}); flagged as resource-leak"
    assert matched.similarity == 0.75


def _behavioural_attempt(text: str) -> StageAttempt:
    return StageAttempt(
        stage=StageKind.behavioral,
        content={"questions": [{"id": "b1", "text": "Tell me about a hard release."}]},
        private={"model_answer": ["Name the situation"]},
        answer={"answers": {"b1": text}},
    )


def test_practice_structure_reads_the_story_itself() -> None:
    """A story labelled Situation/Task/Action/Result shows all four parts present, whatever
    the stage score's sub-scores say."""
    stage = Score(value=40.0, kind=AnswerKind.BEHAVIOURAL, rubric_version="v", provider="rubric")
    feedback = practice_feedback(_behavioural_attempt(LABELLED_STAR), {"stage": stage})
    assert feedback["structure"] == {
        "situation": True,
        "task": True,
        "action": True,
        "result": True,
    }


def test_practice_points_missed_come_with_the_closest_sentence() -> None:
    """Each missed point carries the candidate's nearest sentence (the nearest of several)."""
    near = "Action: I split the release into small batches and ran the tests on every merge."
    stage = Score(
        value=40.0, kind=AnswerKind.BEHAVIOURAL, rubric_version="v", provider="rubric",
        points_missed=["Explain how you measured success", "Describe the stakeholders"],
        closest=[
            Evidence(point="Explain how you measured success", quote="Task: I had to get the "
                     "next release out on time.", start=0, end=1, similarity=0.3),
            Evidence(point="Explain how you measured success", quote=near, start=0, end=1,
                     similarity=0.5),
        ],
    )  # fmt: skip
    feedback = practice_feedback(_behavioural_attempt(LABELLED_STAR), {"stage": stage})
    assert feedback["missed"] == [
        {"point": "Explain how you measured success", "closest": near},
        {"point": "Describe the stakeholders", "closest": None},
    ]
    assert feedback["points_missed"] == stage.points_missed


def test_stored_scores_keep_the_closest_sentences(sqlite_session: Session) -> None:
    """`store_scores` writes each missed point's closest sentence to the row."""
    from tests.tasks.helpers import start_code_review

    attempt = start_code_review(sqlite_session, make_user(sqlite_session))
    near = Evidence(point="Say why", quote="Because it was slow.", start=3, end=23, similarity=0.4)
    score = Score(value=30.0, kind=AnswerKind.CODE_REVIEW, rubric_version="v", provider="rubric",
                  points_missed=["Say why"], closest=[near])  # fmt: skip
    service.store_scores(sqlite_session, attempt, {"stage": score})
    sqlite_session.commit()
    row = current_scores(sqlite_session, attempt.id)["stage"]
    assert row.closest == [near.model_dump()]
