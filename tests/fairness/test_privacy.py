"""Self-identification never reaches a recruiter and changes no score or match.

A candidate applies, takes a real screening (scored by the rubric engine) and self-identifies
with distinctive answers; then every GET route of the API and the pages is walked as the
organization's recruiter and admin with the candidate's, job's and application's ids, and
no answer (JSON, page, CSV or PDF text) may carry them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from hiresight.accounts.models import Role
from hiresight.interviews.scores import overall_score
from hiresight.matching import service as matching
from hiresight.tasks import service as tasks
from tests.factories import bearer, make_application, make_job, make_user
from tests.interviews.test_scoring import STAR
from tests.review.conftest import signed_in

ROOT = Path(__file__).resolve().parents[2] / "src" / "hiresight"
ANSWERS = {"sex": "female", "race_ethnicity": "native_hawaiian_or_other_pacific_islander"}
# Any of these in a recruiter's answer would be the answers, or a trace of the feature.
LEAKS = re.compile(r"female|pacific islander|native_hawaiian|race[_/ ]ethnicity|self.identif", re.I)
# The audit itself shows counts per category to admins, by design; nothing else may.
AUDIT_ROUTES = ("/admin/fairness", "/api/v1/fairness/")


@pytest.fixture
def screened(client: TestClient, db: Session) -> dict[str, Any]:
    """A recruiter's job, an admin, and an applicant with a scored behavioural screening."""
    recruiter = make_user(db, Role.recruiter)
    admin = make_user(db, Role.admin, recruiter.organization)
    job = make_job(db, recruiter.organization)
    candidate = make_user(db)
    application = make_application(db, candidate, job)
    headers = {"cand": bearer(db, candidate), "staff": bearer(db, recruiter)}
    db.commit()
    interview = client.post(
        "/api/v1/interviews", headers=headers["cand"], json={"stages": ["behavioral"]}
    ).json()
    story = client.post(
        f"/api/v1/interviews/{interview['id']}/stages/behavioral/start", headers=headers["cand"]
    ).json()
    client.post(
        f"/api/v1/attempts/{story['id']}/submit",
        headers=headers["cand"],
        json={"draft": {"answers": {"b1": STAR}}},
    )
    assert tasks.wait(180)
    return {"recruiter": recruiter, "admin": admin, "job": job, "candidate": candidate,
            "application": application, "headers": headers}  # fmt: skip


def _get_routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[str]:
    """Every GET route's full path: an included router is one entry holding its routes."""
    for route in routes:
        if isinstance(route, APIRoute) and "GET" in route.methods:
            yield prefix + route.path
        elif (included := getattr(route, "original_router", None)) is not None:
            inner = prefix + route.include_context.prefix  # type: ignore[attr-defined]
            yield from _get_routes(included.routes, inner)


def _text(body: bytes, content_type: str) -> str:
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8", "replace")


def _walk(
    app: FastAPI, client: TestClient, headers: dict[str, str], ids: dict[str, int]
) -> set[str]:
    """Every GET route with the ids filled in; returns the paths that answered 200."""
    answered = set()
    for path in sorted(set(_get_routes(app.routes))):
        if path.startswith(AUDIT_ROUTES) or path in ("/metrics", "/api/openapi.json"):
            continue
        names = re.findall(r"\{(\w+)\}", path)
        if any(name not in ids for name in names):
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
        r = client.get(url, headers=headers, follow_redirects=False)
        text = _text(r.content, r.headers.get("content-type", ""))
        assert LEAKS.search(text) is None, f"{url} -> {LEAKS.search(text)}"
        if r.status_code == 200:
            answered.add(path)
    return answered


@pytest.mark.parametrize("role", ["recruiter", "admin"])
def test_no_recruiter_answer_carries_the_answers(
    app: FastAPI, client: TestClient, db: Session, screened: dict[str, Any], role: str
) -> None:
    """API (bearer) and pages (signed in): scorecards, the console, its CSV, the PDF, the
    profile, the pipeline; none names the candidate's answers."""
    me, cand = "/api/v1/candidates/me/self-identification", screened["headers"]["cand"]
    assert client.put(me, headers=cand, json=ANSWERS).status_code == 200
    assert LEAKS.search(client.get(me, headers=cand).text)  # the pattern finds the answers
    user = screened[role]
    headers = bearer(db, user)
    db.commit()
    ids = {"job_id": screened["job"].id, "candidate_id": screened["candidate"].id,
           "application_id": screened["application"].id}  # fmt: skip
    api = _walk(app, client, headers, ids)
    pages = _walk(app, signed_in(app, user.email), {}, ids)
    assert {
        "/api/v1/candidates/{candidate_id}/scorecard",
        "/api/v1/candidates/{candidate_id}/scorecard.pdf",
        "/api/v1/jobs/{job_id}/candidates",
        "/api/v1/jobs/{job_id}/candidates.csv",
        "/api/v1/candidates/{candidate_id}/profile",
    } <= api
    assert {"/recruiter/jobs/{job_id}", "/recruiter/candidates/{candidate_id}/scorecard"} <= pages


def _outputs(client: TestClient, db: Session, screened: dict[str, Any]) -> dict[str, Any]:
    """What scoring and matching produce for the candidate: the overall score, the scorecard
    and console rows (match included), the recommender's ranking of the job's applicants, and
    the profile the recommender ranks jobs by."""
    staff, job, candidate = screened["headers"]["staff"], screened["job"], screened["candidate"]
    card = client.get(f"/api/v1/candidates/{candidate.id}/scorecard", headers=staff).json()
    db.expire_all()
    profile = matching.candidate_profile(db, candidate)
    return {
        "overall": overall_score(db, candidate.id, job.organization_id),
        "card": card,
        "console": client.get(f"/api/v1/jobs/{job.id}/candidates", headers=staff).json(),
        "ranked": client.get(f"/api/v1/jobs/{job.id}/ranked-candidates", headers=staff).json(),
        "profile": {**vars(profile), "vector": profile.vector.tolist()},
    }


def test_scores_and_matches_are_the_same_with_and_without_answers(
    client: TestClient, db: Session, screened: dict[str, Any]
) -> None:
    """Before answering, after answering and after changing every answer, every output is
    identical."""
    before = _outputs(client, db, screened)
    me, cand = "/api/v1/candidates/me/self-identification", screened["headers"]["cand"]
    assert client.put(me, headers=cand, json=ANSWERS).status_code == 200
    answered = _outputs(client, db, screened)
    assert client.put(me, headers=cand, json={"sex": "male", "race_ethnicity": "white"}).is_success
    changed = _outputs(client, db, screened)
    assert before["overall"] is not None
    assert before == answered == changed


def test_no_scoring_matching_or_review_code_reads_the_answers() -> None:
    """The packages that score, match, review or build profiles never name the table, its
    model or the audit's package (the layers forbid the import; this also catches raw SQL)."""
    names = re.compile(r"self_identifications|SelfIdentification|hiresight\.fairness")
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("scoring", "matching", "review", "profiles", "interviews", "jobs")
        for path in (ROOT / package).rglob("*.py")
        if names.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
