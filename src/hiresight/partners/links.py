"""The candidate's side of an invitation: the link's token, the checks on opening it, and
claiming it (the interview or take-home it opens)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.audit import service as audit
from hiresight.db import utcnow
from hiresight.errors import AppError
from hiresight.interviews import sessions
from hiresight.interviews.models import InterviewTemplate
from hiresight.jobs import service as jobs
from hiresight.jobs.models import Application, Job
from hiresight.partners.models import PartnerApiKey, PartnerInvitation
from hiresight.partners.schemas import DEFAULT_INTERVIEW
from hiresight.takehome import service as takehome
from hiresight.takehome.models import TakehomeAssignment


class InvitationLinkError(AppError):
    """An invitation link that cannot be used (unknown, expired, used, or for someone else)."""


def link_token(secret: str, invitation: PartnerInvitation) -> str:
    """The link's token: the id and an HMAC of it with the server's secret and the nonce.

    Nothing secret is stored, yet the same link can be handed out again (idempotent sends).
    """
    mac = hmac.new(
        secret.encode(),
        f"partner-invitation:{invitation.id}:{invitation.nonce}".encode(),
        hashlib.sha256,
    ).digest()
    return f"{invitation.id}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def link(base_url: str, secret: str, invitation: PartnerInvitation) -> str:
    """The candidate's link to the invitation page."""
    return f"{base_url.rstrip('/')}/invite/{link_token(secret, invitation)}"


def invitation_for_token(session: Session, *, secret: str, token: str) -> PartnerInvitation:
    """The invitation behind a link's token, or 404 invitation_not_found."""
    raw_id = token.partition(".")[0]
    # ASCII digits of an integer column's range: anything else is no invitation of ours.
    usable = raw_id.isascii() and raw_id.isdigit() and int(raw_id) < 2**31
    invitation = session.get(PartnerInvitation, int(raw_id)) if usable else None
    if invitation is None or not hmac.compare_digest(link_token(secret, invitation), token):
        raise InvitationLinkError(
            "This invitation link is not valid. Check that the whole link was copied, or ask "
            "the company to send it again.",
            code="invitation_not_found",
            status_code=404,
        )
    return invitation


def destination(invitation: PartnerInvitation) -> str:
    """Where a candidate who claimed the invitation goes: the interview room or take-homes."""
    if invitation.interview_id is not None:
        return f"/interview/{invitation.interview_id}"
    return "/candidate/takehomes"


def check_claimable(invitation: PartnerInvitation, candidate: User | None) -> None:
    """Refuse a link that is used by another account, expired, or (for a signed-in user)
    meant for another e-mail address."""
    if invitation.candidate_id is not None:
        if candidate is None or invitation.candidate_id == candidate.id:
            return
        raise InvitationLinkError(
            "This invitation has already been used by another account.",
            code="invitation_used",
            status_code=409,
        )
    if utcnow() > invitation.expires_at:
        raise InvitationLinkError(
            "This invitation has expired. Ask the company to send a new one.",
            code="invitation_expired",
            status_code=410,
        )
    if candidate is not None and candidate.email != invitation.candidate_email:
        raise InvitationLinkError(
            f"This invitation was sent to {invitation.candidate_email}; sign in with that "
            "address (sign out first).",
            code="invitation_for_another_address",
            status_code=403,
        )


def _application(session: Session, invitation: PartnerInvitation, candidate: User) -> int | None:
    """The candidate's application to the invitation's job, made now if needed."""
    if invitation.job_id is None:
        return None
    existing = session.scalar(
        select(Application.id).where(
            Application.candidate_id == candidate.id, Application.job_id == invitation.job_id
        )
    )
    if existing is not None:
        return existing
    job = session.get_one(Job, invitation.job_id)
    return jobs.apply(session, candidate=candidate, job=job).id


def _open_takehome(session: Session, invitation: PartnerInvitation, candidate: User) -> None:
    """Assign the take-home through its own invitation (the candidate starts it later)."""
    assert invitation.assignment_id is not None
    assignment = session.get_one(TakehomeAssignment, invitation.assignment_id)
    key = session.get(PartnerApiKey, invitation.api_key_id) if invitation.api_key_id else None
    row = takehome.invite(
        session,
        assignment=assignment,
        candidate_id=candidate.id,
        application_id=_application(session, invitation, candidate),
        assigned_by_id=key.created_by_id if key else None,
    )
    invitation.takehome_invitation_id = row.id


def _open_interview(session: Session, invitation: PartnerInvitation, candidate: User) -> None:
    """Open an interview session on the template (its clock starts now)."""
    template = None
    if invitation.assessment_id != DEFAULT_INTERVIEW:
        if invitation.template_id is None:
            raise InvitationLinkError(
                "The company no longer offers this interview. Ask it to send a new one.",
                code="assessment_withdrawn",
                status_code=410,
            )
        template = session.get_one(InterviewTemplate, invitation.template_id)
    interview = sessions.start_session(
        session, candidate=candidate, template=template, job_id=invitation.job_id
    )
    invitation.interview_id = interview.id
    _application(session, invitation, candidate)


def claim(session: Session, *, invitation: PartnerInvitation, candidate: User) -> str:
    """Tie the invitation to the signed-in candidate and open its interview or take-home;
    returns where the candidate goes next (the same place when they claimed it before)."""
    check_claimable(invitation, candidate)
    if invitation.candidate_id is not None:
        return destination(invitation)
    if invitation.assignment_id is not None:
        _open_takehome(session, invitation, candidate)
    else:
        _open_interview(session, invitation, candidate)
    invitation.candidate_id = candidate.id
    invitation.claimed_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor_id=candidate.id,
        organization_id=invitation.organization_id,
        action="partner_invitation.claim",
        entity_type="partner_invitation",
        entity_id=invitation.id,
    )
    return destination(invitation)
