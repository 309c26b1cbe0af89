"""Re-scoring stored attempts under the current rubric versions (`hiresight scoring rescore`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from hiresight.cli import app
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import StageAttempt
from hiresight.interviews.rescore import current_version, is_current, rescore
from hiresight.interviews.scores import AttemptScore, current_scores
from hiresight.settings import get_settings
from tests.interviews.test_scoring import STAR, _candidate, _take

OLD = "behavioural-star-rubric.v0-test"
runner = CliRunner()


@pytest.fixture
def attempts(client: TestClient, db: Session) -> dict[str, int]:
    """Three scored behavioural attempts: `old` and `older` under an old rubric version (`older`
    submitted in 2020), `current` under today's."""
    ids = {}
    for name in ("old", "older", "current"):
        done = _take(client, _candidate(db), "behavioral", {"answers": {"b1": STAR}}, False)
        ids[name] = done["id"]
    db.execute(
        update(AttemptScore)
        .where(AttemptScore.attempt_id.in_([ids["old"], ids["older"]]))
        .values(rubric_version=OLD)
    )
    db.execute(
        update(StageAttempt)
        .where(StageAttempt.id == ids["older"])
        .values(submitted_at=dt.datetime(2020, 3, 1, 12, tzinfo=dt.UTC))
    )
    db.commit()
    return ids


def _rows(db: Session, attempt_id: int) -> list[AttemptScore]:
    db.expire_all()
    return list(
        db.scalars(
            select(AttemptScore)
            .where(AttemptScore.attempt_id == attempt_id, AttemptScore.component == "stage")
            .order_by(AttemptScore.id)
        )
    )


def _count(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(AttemptScore)) or 0


def test_versions_are_matched_on_their_rubric_part() -> None:
    """A score labelled with the current rubric version (alone or plus a prompt) is current."""
    version = current_version(StageKind.behavioral)
    assert is_current(version, StageKind.behavioral)
    assert is_current(version + "+grade_answer.v2", StageKind.behavioral)
    assert not is_current(OLD, StageKind.behavioral)
    assert is_current(current_version(StageKind.english), StageKind.english)
    assert "+" in current_version(StageKind.code_review)


def test_old_version_gets_a_new_row_and_keeps_the_old(
    attempts: dict[str, int], db: Session, session_factory: sessionmaker[Session]
) -> None:
    """Attempts scored under an old version get new rows; the old rows stay; current skipped."""
    summary = rescore(session_factory, StageKind.behavioral)
    assert summary.considered == 3
    assert summary.skipped == 1
    assert [r.attempt_id for r in summary.rescored] == [attempts["old"], attempts["older"]]
    assert summary.failed == []
    item = summary.rescored[0]
    assert item.old_version == OLD
    assert item.new_value is not None
    rows = _rows(db, attempts["old"])
    assert [r.rubric_version for r in rows] == [OLD, current_version(StageKind.behavioral)]
    current = current_scores(db, attempts["old"])
    assert current["stage"].id == rows[-1].id
    assert current["communication"].rubric_version == "communication.v1"
    attempt = db.get(StageAttempt, attempts["old"])
    assert attempt is not None
    assert attempt.score == rows[-1].value
    assert len(_rows(db, attempts["current"])) == 1


def test_since_filters_by_submission_day(
    attempts: dict[str, int], db: Session, session_factory: sessionmaker[Session]
) -> None:
    """--since leaves out attempts submitted before that day."""
    summary = rescore(session_factory, StageKind.behavioral, since=dt.date(2024, 1, 1))
    assert summary.considered == 2
    assert [r.attempt_id for r in summary.rescored] == [attempts["old"]]
    assert len(_rows(db, attempts["older"])) == 1
    everything = rescore(session_factory, StageKind.behavioral, since=dt.date(2020, 3, 1))
    assert [r.attempt_id for r in everything.rescored] == [attempts["older"]]


def test_dry_run_writes_nothing(
    attempts: dict[str, int], db: Session, session_factory: sessionmaker[Session]
) -> None:
    """A dry run lists what it would re-score and adds no row."""
    before = _count(db)
    summary = rescore(session_factory, StageKind.behavioral, dry_run=True)
    assert summary.dry_run
    assert [r.attempt_id for r in summary.rescored] == [attempts["old"], attempts["older"]]
    assert all(r.new_value is None for r in summary.rescored)
    assert _count(db) == before


def test_second_run_skips_everything(
    attempts: dict[str, int], session_factory: sessionmaker[Session]
) -> None:
    """Once re-scored, a second run finds every attempt current."""
    assert len(rescore(session_factory, StageKind.behavioral).rescored) == 2
    again = rescore(session_factory, StageKind.behavioral)
    assert (again.considered, again.skipped, again.rescored) == (3, 3, [])


def test_a_failing_attempt_is_reported_and_the_rest_go_on(
    attempts: dict[str, int], db: Session, session_factory: sessionmaker[Session]
) -> None:
    """An attempt that cannot be scored is reported; the others are still re-scored."""
    broken = db.get(StageAttempt, attempts["old"])
    assert broken is not None
    broken.content = {"questions": [{"id": "b1"}]}  # no question text: scoring raises
    db.commit()
    summary = rescore(session_factory, StageKind.behavioral)
    assert [f.attempt_id for f in summary.failed] == [attempts["old"]]
    assert "AttemptDataError" in summary.failed[0].error  # the clear error, not a KeyError
    assert [r.attempt_id for r in summary.rescored] == [attempts["older"]]
    assert len(_rows(db, attempts["old"])) == 1


def test_other_kinds_are_not_touched(
    attempts: dict[str, int], session_factory: sessionmaker[Session]
) -> None:
    """Only attempts of the asked stage kind are considered."""
    summary = rescore(session_factory, StageKind.system_design)
    assert (summary.considered, summary.rescored, summary.skipped) == (0, [], 0)


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI reads the test database through its settings."""
    monkeypatch.setenv("HIRESIGHT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_cli_dry_run_json_then_rescore(
    attempts: dict[str, int], db: Session, cli_env: None
) -> None:
    """The CLI prints the summary (JSON or text) and says how many were skipped."""
    before = _count(db)
    result = runner.invoke(
        app, ["scoring", "rescore", "--kind", "behavioral", "--dry-run", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["dry_run"] is True
    assert out["skipped"] == 1
    assert [r["attempt_id"] for r in out["rescored"]] == [attempts["old"], attempts["older"]]
    assert _count(db) == before
    result = runner.invoke(
        app, ["scoring", "rescore", "--kind", "behavioral", "--since", "2024-01-01"]
    )
    assert result.exit_code == 0, result.output
    assert "Re-scored 1 of 2 final behavioral attempts submitted since 2024-01-01" in result.output
    assert "skipped 1 already current" in result.output
    assert f"attempt {attempts['old']}:" in result.output
    assert _count(db) > before


def test_cli_refuses_a_bad_date_and_kind(cli_env: None) -> None:
    """A malformed --since or an unknown kind is a usage error, not a traceback."""
    assert (
        runner.invoke(app, ["scoring", "rescore", "--kind", "behavioral", "--since", "x"]).exit_code
        == 2
    )
    assert runner.invoke(app, ["scoring", "rescore", "--kind", "nope"]).exit_code == 2
