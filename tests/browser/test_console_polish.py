"""Browser: the recruiter console's filters, order, width and charts; compare; decisions.

A server of its own (no demo) holds one job with four applicants whose scores are written
straight to the database, so no test waits for scoring.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import AttemptState, InterviewSession, StageAttempt
from hiresight.interviews.scores import AttemptScore
from hiresight.jobs.models import Job, JobStatus
from hiresight.profiles import service as profiles
from hiresight.profiles.schemas import ProfileUpdate
from tests.browser.conftest import LiveServer, start_server, stop_server
from tests.factories import PASSWORD, make_application, make_job, make_user

pytestmark = pytest.mark.browser
RECRUITER = "polish-recruiter@example.com"
JOB_TITLE = "Console Polish Engineer"
ALL_STAGES = list(StageKind)
# Name → scores per stage taken; "Max Partial" stopped after two stages.
APPLICANTS: dict[str, dict[StageKind, float]] = {
    "Zoe Able": dict.fromkeys(ALL_STAGES, 82.0),
    "Bea Carter": dict.fromkeys(ALL_STAGES, 58.0),
    "Max Partial": {StageKind.english: 30.0, StageKind.behavioral: 25.0},
    "aaron lower": {},
}
# The one applicant whose profile has the job's required skill: the best match, though the
# lowest interview scores but one.
FITTING = "Max Partial"


def _content(stage: StageKind) -> tuple[dict[str, object], dict[str, object]]:
    """The smallest stored content and private data each stage's reader accepts."""
    if stage is StageKind.code_review:
        return {"challenge": {"id": "seeded"}}, {"challenge_id": "seeded"}
    return {}, {}


def _take(db: Session, candidate: User, scores: dict[StageKind, float]) -> None:
    now = dt.datetime.now(dt.UTC)
    interview = InterviewSession(candidate_id=candidate.id, config={}, practice=False)
    db.add(interview)
    db.flush()
    for stage, value in scores.items():
        content, private = _content(stage)
        attempt = StageAttempt(
            session_id=interview.id, candidate_id=candidate.id, stage=stage, attempt_no=1,
            state=AttemptState.submitted, deadline_at=now, submitted_at=now, content=content,
            private=private, score=value,
        )  # fmt: skip
        db.add(attempt)
        db.flush()
        db.add(AttemptScore(
            attempt_id=attempt.id, component="stage", value=value, rubric_version="seed-v1",
            provider="rubric", notes=["CEFR B2"] if stage is StageKind.english else [],
            evidence=[{"quote": f"{stage.value} evidence of {candidate.full_name}",
                       "point": "seeded point", "start": 0, "end": 10}],
            points_missed=[],
        ))  # fmt: skip


def _seed(data_dir: Path) -> int:
    """The recruiter's job and its applicants; returns the job's id."""
    engine = create_engine(f"sqlite:///{data_dir / 'hiresight.db'}")
    with Session(engine) as db:
        recruiter = make_user(db, Role.recruiter, email=RECRUITER)
        # Open, so the console's Match column carries the matcher's explanations, the widest
        # text of the table.
        job: Job = make_job(db, recruiter.organization, title=JOB_TITLE, status=JobStatus.open)
        for name, scores in APPLICANTS.items():
            candidate = make_user(db)
            candidate.full_name = name
            make_application(db, candidate, job)
            _take(db, candidate, scores)
            if name == FITTING:  # the job asks for Python (tests.factories.make_job)
                profiles.update(db, candidate=candidate, data=ProfileUpdate(
                    headline="Python developer", skills=["Python"], years_experience=4,
                ))  # fmt: skip
        db.commit()
        job_id = job.id
    engine.dispose()
    return job_id


@pytest.fixture(scope="module")
def polish_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, int]]:
    """A server without the demo, and the id of the seeded job."""
    data_dir = tmp_path_factory.mktemp("polish")
    server = start_server(data_dir, demo=False)
    job_id = _seed(data_dir)
    yield server, job_id
    stop_server(server)


def _console(page: Page, polish_server: tuple[LiveServer, int]) -> str:
    server, job_id = polish_server
    page.goto(f"{server.base_url}/login")
    page.get_by_label("E-mail").fill(RECRUITER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    url = f"{server.base_url}/recruiter/jobs/{job_id}"
    page.goto(url, timeout=90_000)  # the first ranking of the run loads the embedding model
    return url


def _names(page: Page) -> list[str]:
    return [
        n.strip() for n in page.locator(".console-table tbody td:nth-child(2)").all_inner_texts()
    ]


def test_filters_order_width_and_histograms(
    page: Page, polish_server: tuple[LiveServer, int]
) -> None:
    """An empty minimum is no filter; the order flips both ways; names run A→Z; the table
    fits 1280 px with the Decision column; each histogram has axes and counts."""
    _console(page, polish_server)
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Candidates")).to_be_visible()
    assert len(_names(page)) == 4

    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Apply").click()
    assert _names(page) == ["aaron lower", "Bea Carter", "Max Partial", "Zoe Able"]
    page.get_by_label("Order").select_option("false")
    page.get_by_role("button", name="Apply").click()
    assert _names(page) == ["Zoe Able", "Max Partial", "Bea Carter", "aaron lower"]
    page.get_by_label("Sort by").select_option("overall")
    page.get_by_role("button", name="Apply").click()
    assert _names(page)[:3] == ["Max Partial", "Bea Carter", "Zoe Able"]
    page.get_by_label("Order").select_option("true")
    page.get_by_label("Minimum overall").fill("50")
    page.get_by_role("button", name="Apply").click()
    assert _names(page) == ["Zoe Able", "Bea Carter"]

    decision = page.get_by_role("columnheader", name="Decision")
    decision.scroll_into_view_if_needed()
    expect(decision).to_be_in_viewport(ratio=1)
    wrap = page.locator(".table-wrap").first
    # Nothing scrolls sideways: the Decision column ends inside the visible table and page.
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= 1280")
    right = decision.evaluate("th => th.getBoundingClientRect().right")
    assert right <= wrap.evaluate("el => el.getBoundingClientRect().right")

    figures = page.locator(".small-multiples figure")
    expect(figures).to_have_count(len(ALL_STAGES))
    english = figures.filter(has_text="English")
    expect(english.locator("text.axis-x")).to_have_text(["0", "50", "100"])
    # 82, 58 and 30 fall in three tenths: one candidate each, so the count axis tops at 1.
    expect(english.locator("text.axis-y")).to_have_text(["1", "0"])
    expect(english.locator("text.count")).to_have_text(["1", "1", "1"])


def test_compare_has_one_row_per_stage_with_evidence(
    page: Page, polish_server: tuple[LiveServer, int]
) -> None:
    """Side by side: one English row with the CEFR, evidence per stage, and "incomplete" for
    a candidate who has not finished."""
    _console(page, polish_server)
    page.get_by_label("Compare Zoe Able").check()
    page.get_by_label("Compare Max Partial").check()
    page.get_by_role("button", name="Compare the two selected").click()
    expect(page.get_by_role("heading", name="Compare")).to_be_visible()
    headers = page.locator("tbody th").all_inner_texts()
    assert [h.strip().lower() for h in headers].count("english") == 1
    english = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="English"))
    expect(english).to_contain_text("CEFR B2")
    expect(english).to_contain_text("english evidence of Zoe Able")
    expect(english).to_contain_text("english evidence of Max Partial")
    advice = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Advice"))
    expect(advice.get_by_role("cell").nth(1)).to_contain_text("incomplete")
    expect(advice).not_to_contain_text("no")
    expect(advice.get_by_role("cell").nth(0)).to_have_text("strong yes")


def test_decision_is_confirmed_with_a_human_label(
    page: Page, polish_server: tuple[LiveServer, int]
) -> None:
    """Holding an applicant confirms the decision and reads "On hold", never `on_hold`."""
    _console(page, polish_server)
    row = page.get_by_role("row").filter(has_text="Bea Carter")
    row.get_by_label("Note for Bea Carter").fill("Waiting for references")
    row.get_by_role("button", name="Hold").click()
    expect(page.get_by_role("status")).to_contain_text("Bea Carter is now On hold")
    expect(page.get_by_role("row").filter(has_text="Bea Carter")).to_contain_text("On hold")
    expect(page.locator("main")).not_to_contain_text("on_hold")


def test_the_match_column_sits_beside_overall_and_sorts(
    page: Page, polish_server: tuple[LiveServer, int]
) -> None:
    """A "Match" column follows "Overall"; sorting by it puts the fitting applicant first,
    and every applicant is still listed with the decision buttons (nobody is dropped)."""
    _console(page, polish_server)
    headers = [h.strip() for h in page.locator(".console-table thead th").all_inner_texts()]
    assert headers[headers.index("Overall") + 1] == "Match"
    page.get_by_label("Sort by").select_option("match")
    page.get_by_role("button", name="Apply").click()
    names = _names(page)
    assert names[0] == FITTING
    assert sorted(names) == sorted(APPLICANTS)
    scores = [int(t) for t in page.locator(".console-table td.match-score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1]
    expect(page.get_by_role("button", name="Reject")).to_have_count(len(APPLICANTS))
