"""Background evaluation: a wake-up evaluates a pending version once; pending ones resume."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.takehome import service, work
from hiresight.takehome.models import TakehomeVersion, VersionState
from tests.factories import make_org, make_user
from tests.takehome.api_helpers import zip_of
from tests.takehome.factories import NAIVE, make_assignment


def _versions(session: Session, tmp_path: Path, n: int) -> list[TakehomeVersion]:
    org = make_org(session)
    recruiter = make_user(session, Role.recruiter, org=org)
    candidate = make_user(session)
    stored = service.create_assignment(
        session,
        organization_id=org.id,
        created_by_id=recruiter.id,
        source=make_assignment(tmp_path / "a"),
    )
    submission = service.start(session, assignment=stored, candidate_id=candidate.id)
    versions = [
        service.add_version(
            session, submission=submission, filename="v.zip", content=zip_of({"predict.py": NAIVE})
        )
        for _ in range(n)
    ]
    session.commit()
    return versions


def test_resume_wakes_only_pending_versions(
    sqlite_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _versions(sqlite_session, tmp_path, 2)
    first.state = VersionState.evaluated
    sqlite_session.commit()
    woken: list[dict[str, Any]] = []
    monkeypatch.setattr(
        work.tasks, "enqueue", lambda _engine, name, **kw: woken.append({"task": name, **kw})
    )
    engine = sqlite_session.get_bind()
    assert isinstance(engine, Engine)
    assert work.resume_pending(engine) == [second.id]
    assert woken == [{"task": "takehome_evaluate", "version_id": second.id}]


def test_the_task_evaluates_a_pending_version_once(
    sqlite_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (version,) = _versions(sqlite_session, tmp_path, 1)
    engine = sqlite_session.get_bind()
    assert isinstance(engine, Engine)
    work.evaluate_task(engine, version_id=version.id)
    sqlite_session.expire_all()
    assert version.state is VersionState.evaluated
    assert version.report is not None
    assert version.report["run"]["status"] == "ok"
    # A second wake-up finds it evaluated and does not run it again.
    calls: list[int] = []
    monkeypatch.setattr(work.service, "evaluate_version", lambda *_a, **_k: calls.append(1))
    work.evaluate_task(engine, version_id=version.id)
    assert calls == []
