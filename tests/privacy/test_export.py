"""The candidate's export: their data and original files, nothing of another candidate, no
answer keys, hidden tests or recruiter-only notes."""

from __future__ import annotations

import json
import zipfile
from typing import Any

from sqlalchemy.orm import Session

from hiresight.models import Base
from hiresight.privacy import export, service
from tests.privacy.factories import (
    ANSWER_KEY,
    AUDIO_BYTES,
    HIDDEN_TEST,
    PANEL_NOTE,
    RECRUITER_NOTE,
    RESUME_BYTES,
    TAKEHOME_BYTES,
    TAKEHOME_REPORT,
    Candidate,
    make_candidate,
    make_cast,
)


def _archive(db: Session, candidate: Candidate) -> tuple[dict[str, Any], dict[str, bytes]]:
    person = service.person_of(candidate.user)
    with (
        export.spooled(db, person=person, metadata=Base.metadata) as raw,
        zipfile.ZipFile(raw) as archive,
    ):
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("data.json")), files


def test_the_export_holds_the_candidates_data_and_files(db: Session) -> None:
    """Profile, résumé parse and file, both attempts with answers, scores with evidence and
    rubric version, integrity events, the application and its move, engagement, take-home
    file, and the audio of a spoken answer where recordings exist."""
    org, _admin, recruiter = make_cast(db)
    mine = make_candidate(db, org, recruiter)
    data, files = _archive(db, mine)
    tables = data["tables"]
    assert data["user_id"] == mine.user.id
    assert tables["users"][0]["email"] == mine.user.email
    assert "password_hash" not in tables["users"][0]
    assert len(tables["candidate_profiles"]) == 1
    assert tables["resume_versions"][0]["parsed"] == {"skills": ["Python", "SQL"]}
    answers = sorted(a["answer"]["text"] for a in tables["stage_attempts"])
    assert answers == ["my behavioral answer", "my code_review answer"]
    scores = {s["attempt_id"]: s for s in tables["attempt_scores"]}
    assert scores[mine.behavioral_id]["rubric_version"] == "rubric-7"
    assert scores[mine.behavioral_id]["evidence"] == [{"quote": "my behavioral answer"}]
    assert scores[mine.behavioral_id]["points_missed"] == ["Say the result"]
    assert len(tables["integrity_events"]) == 2
    assert [a["id"] for a in tables["applications"]] == [mine.application_id]
    assert tables["application_moves"][0]["to_status"] == "advanced"
    assert data["jobs"][str(mine.job.id)]["title"] == mine.job.title
    assert len(tables["engagement_events"]) == 1
    assert len(tables["partner_invitations"]) == 1
    assert RESUME_BYTES in files.values()
    assert TAKEHOME_BYTES in files.values()
    assert sorted(files) == data["files"]
    if "answer_recordings" in Base.metadata.tables:
        assert AUDIO_BYTES in files.values()
    assert set(data["withheld"]) == {"panel_scorecards", "pending_work"}


def test_the_export_holds_nothing_of_others_or_internal(db: Session) -> None:
    """No other candidate's address or answers, no hidden test, code-review answer key,
    recruiter note, panel summary or take-home report, no password or token hash."""
    org, _admin, recruiter = make_cast(db)
    mine = make_candidate(db, org, recruiter)
    theirs = make_candidate(db, org, recruiter, job=mine.job)
    data, files = _archive(db, mine)
    text = json.dumps(data)
    for secret in (HIDDEN_TEST, ANSWER_KEY, RECRUITER_NOTE, PANEL_NOTE, TAKEHOME_REPORT):
        assert secret not in text
    assert theirs.user.email not in text
    assert all(row["candidate_id"] == mine.user.id for row in data["tables"]["stage_attempts"])
    assert "token_hash" not in data["tables"]["web_sessions"][0]
    assert "token_hash" not in data["tables"]["api_tokens"][0]
    assert "points_missed" not in {
        k for s in data["tables"]["attempt_scores"] if s["attempt_id"] == mine.code_review_id
        for k in s
    }  # fmt: skip
    assert len(files) == len({*data["files"]})
