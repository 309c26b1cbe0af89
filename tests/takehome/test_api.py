"""Take-home API: recruiters upload and assign, candidates start, download and upload versions
(evaluated in the background), recruiters read the report, code, diff and question kit."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.takehome.models import TakehomeSubmission
from hiresight.tasks import service as tasks
from tests.factories import bearer, make_user
from tests.takehome.api_helpers import Cast, assignment_archive, make_cast, zip_of
from tests.takehome.factories import NAIVE, REFERENCE

API = "/api/v1"


def _create(client: TestClient, cast: Cast, tmp_path: Path) -> dict[str, Any]:
    files = {"file": ("tiny.tar.gz", assignment_archive(tmp_path), "application/gzip")}
    r = client.post(f"{API}/takehomes", headers=cast.staff, files=files)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _assign_and_start(client: TestClient, cast: Cast, tmp_path: Path) -> int:
    assignment = _create(client, cast, tmp_path)
    r = client.post(
        f"{API}/takehomes/{assignment['id']}/invitations",
        headers=cast.staff,
        json={"candidate_id": cast.candidate.id, "application_id": cast.application_id},
    )
    assert r.status_code == 201, r.text
    assert (
        client.post(
            f"{API}/candidates/me/takehomes/{assignment['id']}/start", headers=cast.cand
        ).status_code
        == 200
    )
    return int(assignment["id"])


def _upload(client: TestClient, cast: Cast, assignment_id: int, name: str, data: bytes) -> Any:
    return client.post(
        f"{API}/candidates/me/takehome-versions",
        headers=cast.cand,
        data={"assignment_id": str(assignment_id)},
        files={"file": (name, data, "application/octet-stream")},
    )


def test_recruiter_uploads_lists_and_assigns(
    client: TestClient, db: Session, tmp_path: Path
) -> None:
    cast = make_cast(db)
    created = _create(client, cast, tmp_path)
    assert (created["title"], created["duration_days"], created["k"]) == ("Tiny next job", 2, 2)
    listed = client.get(f"{API}/takehomes", headers=cast.staff).json()
    assert [a["id"] for a in listed] == [created["id"]]
    # A candidate who never applied to the organization cannot be assigned (404).
    stranger = make_user(db)
    db.commit()
    r = client.post(
        f"{API}/takehomes/{created['id']}/invitations",
        headers=cast.staff,
        json={"candidate_id": stranger.id},
    )
    assert r.status_code == 404
    # Before assignment the candidate sees nothing; after it, the take-home, not started.
    assert client.get(f"{API}/candidates/me/takehomes", headers=cast.cand).json() == []
    r = client.post(
        f"{API}/takehomes/{created['id']}/invitations",
        headers=cast.staff,
        json={"candidate_id": cast.candidate.id},
    )
    assert r.status_code == 201
    mine = client.get(f"{API}/candidates/me/takehomes", headers=cast.cand).json()
    assert [(m["assignment_id"], m["deadline_at"]) for m in mine] == [(created["id"], None)]


def test_an_invalid_assignment_archive_is_refused_with_the_engines_error(
    client: TestClient, db: Session
) -> None:
    cast = make_cast(db)
    bad = zip_of({"takehome.toml": 'title = "x"\nsurprise = 1\n', "brief.md": "# x\n"})
    r = client.post(
        f"{API}/takehomes", headers=cast.staff, files={"file": ("a.zip", bad, "application/zip")}
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "takehome_invalid_assignment"
    r = client.post(
        f"{API}/takehomes", headers=cast.staff, files={"file": ("a.rar", b"x", "text/plain")}
    )
    assert r.json()["error"]["code"] == "takehome_unsupported_upload"
    assert client.get(f"{API}/takehomes", headers=cast.staff).json() == []


def test_candidates_cannot_create_and_other_orgs_see_nothing(
    client: TestClient, db: Session, tmp_path: Path
) -> None:
    cast = make_cast(db)
    created = _create(client, cast, tmp_path)
    files = {"file": ("tiny.tar.gz", b"x", "application/gzip")}
    assert client.post(f"{API}/takehomes", headers=cast.cand, files=files).status_code == 403
    other = bearer(db, make_user(db, Role.recruiter))
    db.commit()
    assert client.get(f"{API}/takehomes", headers=other).json() == []
    r = client.get(f"{API}/takehomes/{created['id']}/submissions", headers=other)
    assert r.status_code == 404
    # Not assigned: the candidate cannot start or download it.
    r = client.post(f"{API}/candidates/me/takehomes/{created['id']}/start", headers=cast.cand)
    assert r.status_code == 404
    r = client.get(f"{API}/candidates/me/takehomes/{created['id']}/package", headers=cast.cand)
    assert r.status_code == 404


def test_start_sets_the_deadline_once_and_the_package_holds_no_hidden_data(
    client: TestClient, db: Session, tmp_path: Path
) -> None:
    cast = make_cast(db)
    assignment_id = _assign_and_start(client, cast, tmp_path)
    first = client.get(f"{API}/candidates/me/takehomes", headers=cast.cand).json()[0]
    started = dt.datetime.fromisoformat(first["started_at"])
    deadline = dt.datetime.fromisoformat(first["deadline_at"])
    assert deadline - started == dt.timedelta(days=2)
    again = client.post(f"{API}/candidates/me/takehomes/{assignment_id}/start", headers=cast.cand)
    assert again.json()["deadline_at"] == first["deadline_at"]
    r = client.get(f"{API}/candidates/me/takehomes/{assignment_id}/package", headers=cast.cand)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        assert sorted(zf.namelist()) == ["brief.md", "public/history.csv"]
        assert zf.read("brief.md").startswith(b"# Tiny")


def test_uploads_are_versions_evaluated_in_the_background_and_reviewed(
    client: TestClient, db: Session, tmp_path: Path
) -> None:
    cast = make_cast(db)
    assignment_id = _assign_and_start(client, cast, tmp_path)
    v1 = _upload(client, cast, assignment_id, "v1.zip", zip_of({"predict.py": NAIVE}))
    assert v1.status_code == 202, v1.text
    assert (v1.json()["number"], v1.json()["state"]) == (1, "pending")
    readme = "# Next job\n\n## Approach\n\nCo-occurrence.\n"
    v2 = _upload(
        client,
        cast,
        assignment_id,
        "v2.zip",
        zip_of({"predict.py": REFERENCE, "README.md": readme}),
    )
    assert v2.json()["number"] == 2
    assert tasks.wait(120)
    mine = client.get(f"{API}/candidates/me/takehomes", headers=cast.cand).json()[0]
    assert [v["state"] for v in mine["versions"]] == ["evaluated", "evaluated"]

    review = client.get(f"{API}/takehome-versions/{v2.json()['id']}", headers=cast.staff).json()
    run = review["report"]["run"]
    assert run["status"] == "ok"
    assert review["files"] == ["README.md", "predict.py"]
    assert review["kit_drafted_by"] == "template"
    baseline = review["report"]["baselines"]["popularity"]
    own = run["scores"]["all"]["values"]["ndcg@2"]
    gain = own - baseline["scores"]["all"]["values"]["ndcg@2"]
    assert gain > 0  # the reference beats the popularity baseline (the check's own rule)
    cost = next(q for q in review["kit"] if q["topic"] == "cost against the baseline")
    assert f"{gain:+.3f}" in cost["text"]
    assert f"{run['wall_ms'] / 1000:.1f} s" in cost["text"]
    docs = next(q for q in review["kit"] if q["topic"] == "documentation")
    assert "results" in docs["text"]
    assert "approach" not in docs["text"]

    text = client.get(
        f"{API}/takehome-versions/{v2.json()['id']}/file",
        headers=cast.staff,
        params={"path": "README.md"},
    )
    assert text.text == readme
    diff = client.get(
        f"{API}/takehome-versions/{v2.json()['id']}/diff",
        headers=cast.staff,
        params={"against": 1},
    ).json()
    assert [(d["path"], d["change"]) for d in diff] == [
        ("README.md", "added"),
        ("predict.py", "changed"),
    ]
    assert diff[1]["diff"].startswith("--- v1/predict.py\n+++ v2/predict.py\n")
    # Candidates never read the review; other organizations get 404.
    r = client.get(f"{API}/takehome-versions/{v2.json()['id']}", headers=cast.cand)
    assert r.status_code == 404
    subs = client.get(f"{API}/takehomes/{assignment_id}/submissions", headers=cast.staff).json()
    assert [len(s["versions"]) for s in subs] == [2]


def test_bad_uploads_and_the_deadline(client: TestClient, db: Session, tmp_path: Path) -> None:
    cast = make_cast(db)
    assignment_id = _assign_and_start(client, cast, tmp_path)
    slip = zip_of({"../evil.py": "x = 1\n", "predict.py": NAIVE})
    r = _upload(client, cast, assignment_id, "slip.zip", slip)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "portfolio_unsafe_archive"
    assert "../evil.py" in r.json()["error"]["message"]
    r = _upload(client, cast, assignment_id, "code.rar", b"rar")
    assert (r.status_code, r.json()["error"]["code"]) == (422, "takehome_unsupported_upload")
    assert (
        client.get(f"{API}/candidates/me/takehomes", headers=cast.cand).json()[0]["versions"] == []
    )
    submission = db.scalars(select(TakehomeSubmission)).one()
    submission.deadline_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.commit()
    r = _upload(client, cast, assignment_id, "late.zip", zip_of({"predict.py": NAIVE}))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "takehome_deadline_passed"


def test_upload_before_start_is_a_conflict(client: TestClient, db: Session, tmp_path: Path) -> None:
    cast = make_cast(db)
    created = _create(client, cast, tmp_path)
    client.post(
        f"{API}/takehomes/{created['id']}/invitations",
        headers=cast.staff,
        json={"candidate_id": cast.candidate.id},
    )
    r = _upload(client, cast, created["id"], "v.zip", zip_of({"predict.py": NAIVE}))
    assert (r.status_code, r.json()["error"]["code"]) == (409, "takehome_not_started")
