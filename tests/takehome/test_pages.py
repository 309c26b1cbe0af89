"""Take-home pages: a recruiter uploads and assigns, the candidate starts, downloads and uploads,
and the recruiter reads the metric table, checks, code, diff and question kit."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.takehome.models import TakehomeVersion
from hiresight.tasks import service as tasks
from tests.factories import PASSWORD
from tests.takehome.api_helpers import assignment_archive, make_cast, zip_of
from tests.takehome.factories import NAIVE, REFERENCE


def _signed_in(app: FastAPI, email: str) -> TestClient:
    client = TestClient(app)
    client.get("/login")
    token = client.cookies.get("hs_csrf")
    r = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token, "next": ""},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return client


def _token(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def test_the_take_home_round_trip_through_the_pages(
    client: TestClient, app: FastAPI, db: Session, tmp_path: Path
) -> None:
    cast = make_cast(db)
    staff = _signed_in(app, cast.recruiter.email)
    cand = _signed_in(app, cast.candidate.email)

    # A broken archive is refused on the page with the engine's reason.
    bad = zip_of({"takehome.toml": 'title = "x"\nsurprise = 1\n'})
    r = staff.post(
        "/recruiter/takehomes",
        data={"csrf_token": _token(staff, "/recruiter/takehomes")},
        files={"file": ("a.zip", bad, "application/zip")},
    )
    assert r.status_code == 422
    assert "surprise" in r.text
    r = staff.post(
        "/recruiter/takehomes",
        data={"csrf_token": _token(staff, "/recruiter/takehomes")},
        files={"file": ("tiny.tar.gz", assignment_archive(tmp_path), "application/gzip")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assignment_id = int(r.headers["location"].rsplit("-", 1)[1])
    # The applicant is picked by name from the organization's applicants.
    listing = staff.get("/recruiter/takehomes").text
    assert f'<option value="{cast.candidate.id}">{cast.candidate.full_name} (' in listing
    r = staff.post(
        f"/recruiter/takehomes/{assignment_id}/invitations",
        data={
            "csrf_token": _token(staff, "/recruiter/takehomes"),
            "candidate_id": cast.candidate.id,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303

    page = cand.get("/candidate/takehomes")
    assert "Tiny next job" in page.text
    assert "Predict the next jobs." in page.text  # the brief
    r = cand.post(
        f"/candidate/takehomes/{assignment_id}/start",
        data={"csrf_token": _token(cand, "/candidate/takehomes")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Deadline:" in cand.get("/candidate/takehomes").text
    package = cand.get(f"/candidate/takehomes/{assignment_id}/package")
    with zipfile.ZipFile(io.BytesIO(package.content)) as zf:
        assert sorted(zf.namelist()) == ["brief.md", "public/history.csv"]

    def upload(name: str, data: bytes) -> httpx.Response:
        return cand.post(
            "/candidate/takehomes/upload",
            data={
                "csrf_token": _token(cand, "/candidate/takehomes"),
                "assignment_id": assignment_id,
            },
            files={"file": (name, data, "application/octet-stream")},
            follow_redirects=False,
        )

    refused = upload("x.rar", b"rar")
    assert refused.status_code == 422
    assert "is not a .zip, .tar.gz or .bundle" in refused.text
    assert upload("v1.zip", zip_of({"predict.py": NAIVE})).status_code == 303
    assert upload("v2.zip", zip_of({"predict.py": REFERENCE})).status_code == 303
    assert tasks.wait(120)
    assert "evaluated" in cand.get("/candidate/takehomes").text

    db.expire_all()
    v2 = db.query(TakehomeVersion).filter_by(number=2).one()
    review = staff.get(f"/recruiter/takehome-versions/{v2.id}")
    assert review.status_code == 200
    text = review.text
    assert 'id="metric-table"' in text
    assert "baseline: popularity" in text
    assert "ndcg@2" in text
    assert (
        "The candidate&#39;s tests: no_tests" in text or "The candidate's tests: no_tests" in text
    )
    assert "Drafted by template" in text
    assert "popularity baseline" in text  # the cost question
    code = staff.get(f"/recruiter/takehome-versions/{v2.id}", params={"file": "predict.py"})
    assert "import argparse" in code.text
    diff = staff.get(f"/recruiter/takehome-versions/{v2.id}", params={"against": 1})
    assert "--- v1/predict.py" in diff.text
    # The candidate cannot open the review; the staff member cannot open the candidate's page.
    assert cand.get(f"/recruiter/takehome-versions/{v2.id}").status_code in (303, 403, 404)
