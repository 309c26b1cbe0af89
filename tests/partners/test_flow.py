"""From a partner's send to a scored result: the candidate's invitation page, a real interview
and a take-home through their own services, and links that cannot be used."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.db import utcnow
from hiresight.interviews.models import InterviewSession
from hiresight.jobs.models import Application
from hiresight.partners.models import PartnerInvitation
from hiresight.scoring.types import RUBRIC_VERSIONS, AnswerKind
from hiresight.takehome import service as takehome
from hiresight.takehome.models import TakehomeInvitation, TakehomeVersion, VersionState
from hiresight.tasks import service as tasks
from tests.factories import PASSWORD, make_user
from tests.interviews.test_scoring import STAR
from tests.partners.conftest import PUBLIC_URL, Org, invite_body

API = "/api/partner/v1"


def _send(client: TestClient, org: Org, assessment_id: str, **extra: object) -> dict:
    r = client.post(
        f"{API}/invitations", headers=org.headers, json=invite_body(assessment_id, **extra)
    )
    assert r.status_code == 201, r.text
    return r.json()


def _path(link: str) -> str:
    return link.removeprefix(PUBLIC_URL)


def _status(client: TestClient, org: Org, invitation_id: int) -> dict:
    r = client.get(f"{API}/invitations/{invitation_id}", headers=org.headers)
    assert r.status_code == 200, r.text
    return r.json()


def _sign_up_and_start(client: TestClient, path: str) -> str:
    """The candidate's way through the link: sign up there, then start. Returns the target."""
    page = client.get(path)
    assert page.status_code == 200
    assert 'value="ada@example.com"' in page.text  # the invited address, filled in
    signed_up = client.post(
        f"{path}/signup",
        data={
            "full_name": "Ada Lovelace",
            "email": "ada@example.com",
            "password": PASSWORD,
            "csrf_token": client.cookies.get("hs_csrf") or "",
        },
        follow_redirects=False,
    )
    assert signed_up.status_code == 303
    assert signed_up.headers["location"] == path
    assert "Start" in client.get(path).text
    started = client.post(
        path, data={"csrf_token": client.cookies.get("hs_csrf") or ""}, follow_redirects=False
    )
    notice = re.search(r'href="([^"]+)">Read the interview notice', started.text)
    if notice is not None:
        # Interviews ask for consent to their notice first; the invitation page links it.
        _consent(client, notice.group(1))
        started = client.post(
            path, data={"csrf_token": client.cookies.get("hs_csrf") or ""}, follow_redirects=False
        )
    assert started.status_code == 303, started.text
    target: str = started.headers["location"]
    return target


def _consent(client: TestClient, notice_url: str) -> None:
    page = client.get(notice_url).text
    version = re.search(r'name="notice_version" value="([^"]+)"', page)
    assert version is not None
    r = client.post(
        notice_url,
        data={"csrf_token": client.cookies.get("hs_csrf") or "", "notice_version": version[1]},
    )
    assert r.status_code == 200, r.text


def test_status_follows_a_real_interview_to_its_score(
    client: TestClient, db: Session, acme: Org
) -> None:
    """invited → started (the link opened the interview) → scored, with the stage's score and
    rubric version, the overall score and the recruiter's report; the candidate applied to the
    job named in the send."""
    sent = _send(client, acme, f"interview:{acme.template.id}", job_id=acme.job.id)
    assert _status(client, acme, sent["id"])["results"] is None
    target = _sign_up_and_start(client, _path(sent["link"]))
    interview_id = int(target.removeprefix("/interview/"))
    interview = db.get_one(InterviewSession, interview_id)
    assert (interview.template_id, interview.job_id) == (acme.template.id, acme.job.id)
    status = _status(client, acme, sent["id"])
    assert status["status"] == "started"
    assert status["claimed_at"] is not None

    token = client.post(
        "/api/v1/auth/tokens",
        json={"email": "ada@example.com", "password": PASSWORD, "name": "room"},
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    attempt = client.post(
        f"/api/v1/interviews/{interview_id}/stages/behavioral/start", headers=headers
    ).json()
    submitted = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"draft": {"answers": {"b1": STAR}}},
    )
    assert submitted.json()["state"] == "submitted", submitted.text
    assert tasks.wait(180)

    status = _status(client, acme, sent["id"])
    assert status["status"] == "scored"
    [stage] = status["results"]["stages"]
    assert stage["stage"] == "behavioral"
    assert stage["score"] is not None
    assert stage["rubric_version"] == RUBRIC_VERSIONS[AnswerKind.BEHAVIOURAL]
    # One stage: the weighted overall is that stage's score.
    assert status["results"]["overall"] == round(stage["score"], 1)
    candidate_id = db.get_one(PartnerInvitation, sent["id"]).candidate_id
    assert status["results"]["report_url"] == (
        f"{PUBLIC_URL}/recruiter/candidates/{candidate_id}/scorecard"
    )
    assert status["results"]["report_pdf_url"].endswith(f"/candidates/{candidate_id}/scorecard.pdf")
    assert (
        db.query(Application).filter_by(candidate_id=candidate_id, job_id=acme.job.id).count() == 1
    )
    # The same link later goes straight back to the interview.
    again = client.get(_path(sent["link"]), follow_redirects=False)
    assert again.headers["location"] == target


def test_a_take_home_uses_the_take_home_invitation_and_reports_its_metrics(
    client: TestClient, db: Session, acme: Org
) -> None:
    """The link assigns the take-home through its own invitation; starting, uploading and an
    evaluation move the status to started, completed and scored with the run's metrics."""
    sent = _send(client, acme, f"takehome:{acme.assignment.id}")
    assert _sign_up_and_start(client, _path(sent["link"])) == "/candidate/takehomes"
    invitation = db.get_one(PartnerInvitation, sent["id"])
    assigned = db.get_one(TakehomeInvitation, invitation.takehome_invitation_id)
    assert (assigned.assignment_id, assigned.candidate_id) == (
        acme.assignment.id,
        invitation.candidate_id,
    )
    assert _status(client, acme, sent["id"])["status"] == "invited"

    assert invitation.candidate_id is not None
    submission = takehome.start(
        db, assignment=acme.assignment, candidate_id=invitation.candidate_id
    )
    db.commit()
    assert _status(client, acme, sent["id"])["status"] == "started"
    version = TakehomeVersion(
        submission_id=submission.id, number=1, filename="s.zip", kind="zip", size_bytes=1,
        sha256="0" * 64, content=b"x",
    )  # fmt: skip
    db.add(version)
    db.commit()
    assert _status(client, acme, sent["id"])["status"] == "completed"
    row = {"users": 4, "values": {"ndcg@2": 0.75, "recall@2": 0.5}}
    version.state = VersionState.evaluated
    version.report = {
        "assignment": "Next-job ranking", "k": 2, "cutoffs": [2],
        "run": {"status": "ok", "scores": {"all": row, "warm": row, "cold": row}},
    }  # fmt: skip
    db.commit()
    status = _status(client, acme, sent["id"])
    assert status["status"] == "scored"
    assert status["results"]["stages"] == [
        {
            "stage": "takehome",
            "score": None,
            "rubric_version": "takehome-" + "ab" * 6,
            "metrics": {"ndcg@2": 0.75, "recall@2": 0.5},
        }
    ]
    assert status["results"]["report_url"] == (
        f"{PUBLIC_URL}/recruiter/takehome-versions/{version.id}"
    )


def _error_code(html: str) -> str | None:
    match = re.search(r'data-error-code="([a-z_]+)"', html)
    return match.group(1) if match else None


def test_unknown_and_expired_links_answer_a_clear_page(
    client: TestClient, db: Session, acme: Org
) -> None:
    """A made-up or altered token is not found (404); a link past its date has expired (410)."""
    sent = _send(client, acme, "interview:default")
    path = _path(sent["link"])
    for bad in (
        "/invite/nothing",
        "/invite/999999.abc",
        "/invite/" + "9" * 30,
        "/invite/²",
        path[:-2] + "xx",
    ):
        r = client.get(bad)
        assert r.status_code == 404, bad
        assert _error_code(r.text) == "invitation_not_found"
        assert "not valid" in r.text
    invitation = db.get_one(PartnerInvitation, sent["id"])
    invitation.expires_at = utcnow() - dt.timedelta(minutes=1)
    db.commit()
    r = client.get(path)
    assert r.status_code == 410
    assert _error_code(r.text) == "invitation_expired"
    assert _status(client, acme, sent["id"])["status"] == "expired"


def test_a_used_link_or_another_address_is_refused(
    app: object, client: TestClient, db: Session, acme: Org
) -> None:
    """Once Ada started, another account gets 409 invitation_used; before, an account with
    another address gets 403 invitation_for_another_address."""
    sent = _send(client, acme, "interview:default")
    path = _path(sent["link"])
    make_user(db, email="mallory@example.com")
    db.commit()
    with TestClient(app) as other:  # type: ignore[arg-type]
        other.get("/login")
        other.post(
            "/login",
            data={
                "email": "mallory@example.com",
                "password": PASSWORD,
                "csrf_token": other.cookies.get("hs_csrf") or "",
            },
        )
        r = other.get(path)
        assert r.status_code == 403
        assert _error_code(r.text) == "invitation_for_another_address"
        _sign_up_and_start(client, path)
        r = other.get(path)
        assert r.status_code == 409
        assert _error_code(r.text) == "invitation_used"
