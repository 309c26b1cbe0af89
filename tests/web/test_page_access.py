"""Every page route, walked by every role against another organization's records.

Pages authorize through the same policy as the API (the page dependencies in `deps.py`): no
page answers 500 or the API's JSON error body, anonymous visitors are sent to the login page,
and another organization's records answer 403 or 404 while their owners get the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from hiresight.accounts.models import Role, User
from hiresight.appeals.models import CandidateRequest, RequestKind
from hiresight.interviews import service as interviews
from hiresight.interviews import sessions
from hiresight.interviews.attempt_data.columns import CONTENT, PRIVATE
from hiresight.interviews.config import StageKind
from hiresight.partners import links
from hiresight.partners import service as partners
from hiresight.partners.schemas import InvitationCreate
from hiresight.settings import Settings
from hiresight.takehome import service as takehome
from hiresight.web.pages import PageRoute
from hiresight.webhooks import service as webhooks
from hiresight.webhooks.models import WebhookDelivery
from tests.factories import PASSWORD, make_application, make_job, make_org, make_user
from tests.takehome.api_helpers import zip_of
from tests.takehome.factories import make_assignment

# Routes outside /api that are not pages: probes and metrics answer JSON or text by design.
NOT_PAGES = frozenset({"/healthz", "/readyz", "/metrics"})
# Pages anyone may open, signed in or not.
# An invitation link opens for anyone: it offers sign-up or log-in first.
PUBLIC = frozenset(
    {"/", "/login", "/signup", "/logout", "/invite/{token}", "/invite/{token}/signup"}
)
# Form fields that satisfy every page form, so that a request reaches the authorization.
FORM = {
    "decision": "hold", "kind": "save", "op": "add_skill", "name": "Python", "note": "n",
    "stage": "ai_screening", "action": "hold", "outcome": "upheld", "reason": "r",
    "behavioral": "1.5",
}  # fmt: skip


@dataclass
class World:
    """Organization B's records, and the users who own or probe them."""

    ids: dict[str, int | str]
    owners: dict[str, User]
    probes: dict[str, User]


def _routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every route with its full path: FastAPI keeps an included router as one entry that
    holds the router (and its prefix), so the walk descends into them."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif (included := getattr(route, "original_router", None)) is not None:
            inner = prefix + route.include_context.prefix  # type: ignore[attr-defined]
            yield from _routes(included.routes, inner)


def _page_routes(app: FastAPI) -> list[tuple[str, str]]:
    routes = []
    for path, route in _routes(app.routes):
        if path.startswith("/api") or path in NOT_PAGES:
            continue
        assert isinstance(route, PageRoute), f"{path} is not a PageRoute"
        routes.extend((method, path) for method in sorted(route.methods - {"HEAD"}))
    assert len(routes) >= 30
    return routes


def _world(db: Session, folder: Path) -> World:
    org_a, org_b = make_org(db), make_org(db)
    job_b = make_job(db, org_b)
    candidate_b = make_user(db, Role.candidate)
    application = make_application(db, candidate_b, job_b)
    interview = sessions.start_session(db, candidate=candidate_b, practice=True)
    kind = sessions.config_of(interview).stages[0].kind
    attempt = interviews.start_stage(
        db,
        interview=interview,
        kind=StageKind(kind),
        build_content=lambda *_: (CONTENT[kind](), PRIVATE[kind]()),
    )
    owners = {
        "recruiter": make_user(db, Role.recruiter, org=org_b),
        "candidate": candidate_b,
    }
    # A take-home of organization B, assigned to candidate B, started, with one version.
    assignment = takehome.create_assignment(
        db, organization_id=org_b.id, created_by_id=None, source=make_assignment(folder)
    )
    takehome.invite(
        db, assignment=assignment, candidate_id=candidate_b.id,
        application_id=application.id, assigned_by_id=None,
    )  # fmt: skip
    submission = takehome.start(db, assignment=assignment, candidate_id=candidate_b.id)
    version = takehome.add_version(
        db, submission=submission, filename="v1.zip", content=zip_of({"README.md": "# v1\n"})
    )
    # Candidate B's request to organization B's recruiters.
    request = CandidateRequest(
        kind=RequestKind.re_evaluation, candidate_id=candidate_b.id, organization_id=org_b.id,
        job_id=job_b.id, reason="Please look again.",
    )  # fmt: skip
    db.add(request)
    db.flush()
    # Organization B's partner API key, and the invitation it sent candidate B.
    _, key = partners.create_key(db, admin=make_user(db, Role.admin, org=org_b), name="ATS")
    invitation, _ = partners.send(db, key=key, data=InvitationCreate(
        assessment_id="interview:default", candidate_email=candidate_b.email,
        candidate_name="Candidate B", external_application_id="ats-1",
    ))  # fmt: skip
    # Organization B's webhook endpoint, and one delivery to it.
    admin_b = make_user(db, Role.admin, org=org_b)
    endpoint = webhooks.create_endpoint(
        db, organization_id=org_b.id, actor_id=admin_b.id, url="http://127.0.0.1:9/hook",
        event_types=[webhooks.APPLICATION_DECIDED],
    )  # fmt: skip
    webhooks.emit(
        db, organization_id=org_b.id, event_type=webhooks.APPLICATION_DECIDED, data={"x": 1}
    )
    db.flush()
    delivery = db.query(WebhookDelivery).filter_by(endpoint_id=endpoint.id).one()
    # The secret the app signs links with: the `settings` fixture reads the same variable.
    secret = Settings(env="test").secret_key.get_secret_value()
    probes = {
        "candidate": make_user(db, Role.candidate),
        "recruiter": make_user(db, Role.recruiter, org=org_a),
        "admin": make_user(db, Role.admin, org=org_a),
    }
    ids = {
        "job_id": job_b.id,
        "candidate_id": candidate_b.id,
        "application_id": application.id,
        "interview_id": interview.id,
        "attempt_id": attempt.id,
        "assignment_id": assignment.id,
        "key_id": key.id,
        "token": links.link_token(secret, invitation),
        "version_id": version.id,
        "stage_key": "panel_presentation",  # a stage of the default pipeline
        "request_id": request.id,
        "endpoint_id": endpoint.id,
        "delivery_id": delivery.id,
    }
    db.commit()
    return World(ids, owners, probes)


def _client(app: FastAPI, user: User | None) -> tuple[TestClient, str]:
    """A browser signed in as `user` (anonymous for None) and its CSRF token."""
    client = TestClient(app)
    client.get("/login")
    if user is not None:
        form = {"email": user.email, "password": PASSWORD, "csrf_token": client.cookies["hs_csrf"]}
        assert client.post("/login", data=form, follow_redirects=False).status_code == 303
        client.get("/login")
    return client, client.cookies["hs_csrf"]


def _request(client: TestClient, token: str, method: str, path: str, world: World) -> Any:
    url = re.sub(r"\{(\w+)\}", lambda m: str(world.ids[m.group(1)]), path)
    cid = world.ids["candidate_id"]
    params = {"a": cid, "b": cid} if path.endswith("/compare") else {}
    if method == "GET":
        return client.get(url, params=params, follow_redirects=False)
    form = {**FORM, "candidate_id": cid, "csrf_token": token}
    return client.request(method, url, params=params, data=form, follow_redirects=False)


def _check_no_500_or_json(r: httpx.Response, label: str) -> None:
    assert r.status_code < 500, label
    assert not r.headers.get("content-type", "").startswith("application/json"), label


@pytest.mark.parametrize("role", ["anonymous", "candidate", "recruiter", "admin"])
def test_every_page_refuses_other_organizations_records(
    app: FastAPI, db: Session, role: str, tmp_path: Path
) -> None:
    """No page answers 500 or JSON; anonymous visitors go to the login page; a record of
    another organization (or another candidate's) answers 403 or 404 as an HTML page."""
    world = _world(db, tmp_path)
    user = None if role == "anonymous" else world.probes[role]
    client, token = _client(app, user)
    for method, path in _page_routes(app):
        if method == "POST" and path == "/logout":
            continue  # it would sign the walker out
        r = _request(client, token, method, path, world)
        label = f"{role} {method} {path} -> {r.status_code}"
        _check_no_500_or_json(r, label)
        if role == "anonymous" and path not in PUBLIC:
            assert r.status_code == 303, label
            assert r.headers["location"].startswith("/login?next="), label
        open_job = path.startswith("/candidate/jobs/{job_id}") and role == "candidate"
        if role != "anonymous" and "{" in path and not open_job:
            assert r.status_code in (403, 404), label
            assert r.headers["content-type"].startswith("text/html"), label


@pytest.mark.parametrize("role", ["candidate", "recruiter"])
def test_owners_open_their_own_records_pages(
    app: FastAPI, db: Session, role: str, tmp_path: Path
) -> None:
    """The walk's ids are real: organization B's recruiter and candidate B get their pages."""
    world = _world(db, tmp_path)
    client, token = _client(app, world.owners[role])
    side = ("/candidate", "/interview") if role == "candidate" else ("/recruiter",)
    walked = [(m, p) for m, p in _page_routes(app) if "{" in p and p.startswith(side)]
    assert len(walked) >= 4
    for method, path in walked:
        r = _request(client, token, method, path, world)
        label = f"{role} {method} {path} -> {r.status_code}"
        _check_no_500_or_json(r, label)
        # Past the authorization, the record's state may refuse (applying twice, counting or
        # retaking an attempt still in progress): a conflict, shown as a page.
        refusable = ("/apply", "/select", "/retake", "/re-evaluation")  # a stage in progress
        expected = {200, 303, 409} if path.endswith(refusable) else {200, 303}
        if path.endswith("/panel-scorecards/{stage_key}"):
            expected = {422}  # past the authorization: the walk's form rates no competency
        assert r.status_code in expected, label


def test_api_errors_keep_their_json_body(app: FastAPI, db: Session, tmp_path: Path) -> None:
    """The API's refusal of the same record stays the JSON error body."""
    world = _world(db, tmp_path)
    client, _ = _client(app, world.probes["recruiter"])
    r = client.get(f"/api/v1/jobs/{world.ids['job_id']}")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("template_id", ["abc", "99999999999999999999", "-1", "0"])
def test_a_bad_template_id_in_the_form_answers_a_404_page(
    app: FastAPI, db: Session, template_id: str
) -> None:
    """The template form's hidden id is text: one that names no template is a 404 page."""
    recruiter = make_user(db, Role.recruiter)
    db.commit()
    client, token = _client(app, recruiter)
    form = {"csrf_token": token, "template_id": template_id, "name": "X"}
    r = client.post("/recruiter/templates", data=form, follow_redirects=False)
    assert r.status_code == 404
    assert 'data-error-code="not_found"' in r.text
