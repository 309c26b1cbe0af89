"""Code-review challenges rotate between a job's candidates while still fitting each of them."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from hiresight.accounts.models import User
from hiresight.challenges.models import Challenge, Manifest
from hiresight.interviews import questions, service, sessions
from hiresight.interviews.attempt_data.columns import attempt_private
from hiresight.interviews.attempt_data.stored import CodeReviewPrivate
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import InterviewSession
from hiresight.interviews.questions import pick_challenge
from hiresight.jobs.models import Job
from hiresight.profiles import service as profiles
from hiresight.profiles.service import InterviewProfile
from tests.factories import make_job, make_org, make_user
from tests.profiles.factories import SAMPLE_TXT


def _challenge(cid: str, language: str, difficulty: int) -> Challenge:
    manifest = Manifest.model_validate({
        "id": cid, "title": cid, "language": language, "difficulty": difficulty,
        "minutes": 10, "scenario": "A service.",
        "bugs": [{
            "id": "b", "file": "a.py", "lines": [1, 1], "class": "other", "severity": 1,
            "tests": ["t.py::t"], "explanation": {"problem": "p", "fix": "f", "impact": "i"},
        }],
    })  # fmt: skip
    return Challenge(manifest=manifest, root=Path(cid), src={}, tests={}, solution={})


BANK = [
    _challenge("py-a", "python", 2),
    _challenge("py-b", "python", 3),
    _challenge("py-c", "python", 3),
    _challenge("py-d", "python", 5),
    _challenge("js-e", "javascript", 3),
]


def _profile(seniority: str = "mid", language: str = "Python") -> InterviewProfile:
    return InterviewProfile.model_validate({
        "candidate_id": 1, "has_resume": True, "top_claims": [], "vague_claims": [],
        "skills": [], "primary_languages": {language: 1.0}, "seniority": seniority,
        "total_experience_months": 36,
    })  # fmt: skip


def _pick(
    profile: InterviewProfile, last_used: dict[str, int], seen: frozenset[str] = frozenset()
) -> str:
    return pick_challenge(profile, ["python", "javascript"], set(seen), BANK, last_used).id


def test_consecutive_candidates_rotate_through_the_fitting_challenges() -> None:
    """A mid Python candidate fits py-a (2), py-b and py-c (3): they come in turn, oldest first."""
    last_used: dict[str, int] = {}
    picked = []
    for attempt_id in range(1, 7):
        choice = _pick(_profile(), last_used)
        picked.append(choice)
        last_used[choice] = attempt_id
    assert picked == ["py-a", "py-b", "py-c", "py-a", "py-b", "py-c"]


def test_least_recently_used_comes_first() -> None:
    """Of the fitting challenges, the one whose latest use is oldest; never used beats all."""
    assert _pick(_profile(), {"py-a": 9, "py-b": 4, "py-c": 7}) == "py-b"
    assert _pick(_profile(), {"py-a": 9, "py-b": 4}) == "py-c"


def test_rotation_never_trades_away_the_tailoring() -> None:
    """Language and level still decide what fits; the rotation only orders what fits."""
    # A staff candidate fits only py-d (5), however recently it was used.
    assert _pick(_profile("staff"), {"py-d": 99}) == "py-d"
    # A JavaScript candidate gets the JavaScript challenge, however recently it was used.
    assert _pick(_profile(language="JavaScript"), {"js-e": 99}) == "js-e"
    # Use of challenges that do not fit changes nothing.
    assert _pick(_profile(), {"py-d": 1, "js-e": 2}) == "py-a"
    # A challenge the candidate has seen stays out even when it is the least recently used.
    assert _pick(_profile(), {"py-b": 5, "py-c": 6}, frozenset({"py-a"})) == "py-b"


def _candidate(db: Session, name: str) -> User:
    user = make_user(db, email=f"{name}@example.com")
    profiles.upload_resume(db, candidate=user, data=SAMPLE_TXT.encode(), filename=f"{name}.txt")
    return user


def _review(db: Session, user: User, job: Job) -> InterviewSession:
    return sessions.start_session(db, candidate=user, job_id=job.id, stages=[StageKind.code_review])


def _start_review(db: Session, interview: InterviewSession) -> str:
    attempt = service.start_stage(
        db, interview=interview, kind=StageKind.code_review, build_content=questions.build_content
    )
    return attempt_private(attempt, CodeReviewPrivate).challenge_id


def test_candidates_of_one_job_get_different_challenges(db: Session) -> None:
    """Three candidates in a row with the same résumé: three different challenges for the job;
    the first candidate of another job starts the rotation afresh."""
    org = make_org(db)
    job, other_job = make_job(db, org), make_job(db, org)
    users = [_candidate(db, f"c{i}") for i in range(4)]
    db.commit()
    picked = []
    for user in users[:3]:
        picked.append(_start_review(db, _review(db, user, job)))
        db.commit()
    assert len(set(picked)) == 3, picked
    assert _start_review(db, _review(db, users[3], other_job)) == picked[0]
    # The stored attempts are the rotation's state: it reads each challenge's latest use.
    first = _review(db, users[3], job)
    db.flush()
    last = questions.challenge_rotation(db, first)
    assert sorted(last, key=last.__getitem__) == picked


def test_concurrent_starts_for_one_job_choose_one_after_the_other(
    db: Session, session_factory: sessionmaker[Session]
) -> None:
    """While one start has chosen but not committed, a second start for the same job waits for
    it and then chooses another challenge (both backends)."""
    org = make_org(db)
    job = make_job(db, org)
    first_user, second_user = _candidate(db, "first"), _candidate(db, "second")
    db.commit()
    first_interview = _review(db, first_user, job)
    second_id = _review(db, second_user, job).id
    db.commit()
    first_choice = _start_review(db, first_interview)  # chosen, not yet committed
    result: dict[str, str] = {}

    def second() -> None:
        with session_factory() as other:
            interview = other.get(InterviewSession, second_id)
            assert interview is not None
            result["choice"] = _start_review(other, interview)
            other.commit()

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive(), "the second start did not wait for the first"
    db.commit()
    thread.join(10)
    assert not thread.is_alive()
    assert result["choice"] != first_choice


def test_no_job_and_no_template_means_no_rotation(db: Session) -> None:
    """A session on the shipped template without a job has no rotation to read or lock."""
    user = _candidate(db, "solo")
    db.commit()
    interview = sessions.start_session(db, candidate=user)
    db.flush()
    assert questions.challenge_rotation(db, interview) == {}
