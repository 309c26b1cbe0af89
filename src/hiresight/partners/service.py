"""Partner logic: organization API keys, the assessments on offer, sending invitations and
claiming their links. Status and results are read in `results.py`."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hiresight.accounts import service as accounts
from hiresight.accounts.models import Organization, User
from hiresight.accounts.security import new_token, token_digest
from hiresight.audit import service as audit
from hiresight.db import utcnow
from hiresight.errors import AppError, ConflictError, NotFoundError
from hiresight.interviews import sessions
from hiresight.interviews.config import BETWEEN_STAGES_MINUTES, DEFAULT_TEMPLATE, TemplateConfig
from hiresight.interviews.models import InterviewTemplate
from hiresight.jobs import service as jobs
from hiresight.jobs.models import Application, Job
from hiresight.partners import mail
from hiresight.partners.models import PartnerApiKey, PartnerInvitation
from hiresight.partners.schemas import InvitationCreate
from hiresight.settings import Settings
from hiresight.takehome import service as takehome
from hiresight.takehome.models import TakehomeAssignment

# Apart from the users' "hs_" tokens, so a key pasted in the wrong place is recognisable.
KEY_PREFIX = "hsp_"
DEFAULT_INTERVIEW = "interview:default"


class InvitationLinkError(AppError):
    """An invitation link that cannot be used (unknown, expired, used, or for someone else)."""


# ---- API keys --------------------------------------------------------------------------------


def create_key(session: Session, *, admin: User, name: str) -> tuple[str, PartnerApiKey]:
    """A new key of the admin's organization; the secret is returned once and never stored."""
    assert admin.organization_id is not None  # guaranteed by the admin dependency
    key = new_token(KEY_PREFIX)
    record = PartnerApiKey(
        organization_id=admin.organization_id,
        created_by_id=admin.id,
        name=name.strip() or "partner",
        prefix=key[: len(KEY_PREFIX) + 6],
        key_hash=token_digest(key),
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor_id=admin.id,
        organization_id=admin.organization_id,
        action="partner_api_key.create",
        entity_type="partner_api_key",
        entity_id=record.id,
        details={"name": record.name},
    )
    return key, record


def get_keys(session: Session, *, organization_id: int) -> list[PartnerApiKey]:
    """The organization's keys, newest first."""
    stmt = (
        select(PartnerApiKey)
        .where(PartnerApiKey.organization_id == organization_id)
        .order_by(PartnerApiKey.id.desc())
    )
    return list(session.scalars(stmt))


def revoke_key(session: Session, *, admin: User, key_id: int) -> PartnerApiKey:
    """Revoke one of the organization's keys (404 for any other); revoking twice is a no-op."""
    record = session.get(PartnerApiKey, key_id)
    if record is None or record.organization_id != admin.organization_id:
        raise NotFoundError("No such API key.")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        audit.record(
            session,
            actor_id=admin.id,
            organization_id=admin.organization_id,
            action="partner_api_key.revoke",
            entity_type="partner_api_key",
            entity_id=record.id,
        )
    return record


def key_for_secret(session: Session, key: str) -> PartnerApiKey | None:
    """The live key with this secret, or None when unknown or revoked."""
    record = session.scalar(
        select(PartnerApiKey).where(PartnerApiKey.key_hash == token_digest(key))
    )
    if record is None or record.revoked_at is not None:
        return None
    now = utcnow()
    # A minute's precision is enough, and spares a write on every call.
    if record.last_used_at is None or now - record.last_used_at > dt.timedelta(minutes=1):
        record.last_used_at = now
    return record


# ---- assessments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """One assessment on offer, with the record behind it."""

    id: str
    name: str
    kind: Literal["interview", "takehome"]
    estimated_minutes: int | None
    window_days: float | None = None
    template: InterviewTemplate | None = None
    assignment: TakehomeAssignment | None = None


def _interview_minutes(config: TemplateConfig) -> int:
    return math.ceil(config.total_minutes + BETWEEN_STAGES_MINUTES * len(config.stages))


def _of_template(template: InterviewTemplate | None) -> Assessment:
    if template is None:
        return Assessment(
            DEFAULT_INTERVIEW,
            "Hiresight screening interview",
            "interview",
            _interview_minutes(DEFAULT_TEMPLATE),
        )
    config = TemplateConfig.model_validate(template.config)
    return Assessment(
        f"interview:{template.id}",
        template.name,
        "interview",
        _interview_minutes(config),
        template=template,
    )


def _of_assignment(assignment: TakehomeAssignment) -> Assessment:
    return Assessment(
        f"takehome:{assignment.id}",
        assignment.title,
        "takehome",
        None,
        window_days=assignment.duration_days,
        assignment=assignment,
    )


def get_assessments(session: Session, *, organization_id: int) -> list[Assessment]:
    """The default interview, the organization's interview templates and its take-homes."""
    templates = session.scalars(
        select(InterviewTemplate)
        .where(InterviewTemplate.organization_id == organization_id)
        .order_by(InterviewTemplate.id)
    )
    assignments = session.scalars(
        select(TakehomeAssignment)
        .where(TakehomeAssignment.organization_id == organization_id)
        .order_by(TakehomeAssignment.id)
    )
    return [
        _of_template(None),
        *(_of_template(t) for t in templates),
        *(_of_assignment(a) for a in assignments),
    ]


def get_assessment(session: Session, *, organization_id: int, assessment_id: str) -> Assessment:
    """One assessment of the organization by its id, or 404."""
    if assessment_id == DEFAULT_INTERVIEW:
        return _of_template(None)
    kind, _, raw = assessment_id.partition(":")
    number = int(raw) if raw.isdigit() else 0
    if kind == "interview":
        template = session.get(InterviewTemplate, number)
        if template is not None and template.organization_id == organization_id:
            return _of_template(template)
    elif kind == "takehome":
        assignment = session.get(TakehomeAssignment, number)
        if assignment is not None and assignment.organization_id == organization_id:
            return _of_assignment(assignment)
    raise NotFoundError("No such assessment.", code="assessment_not_found")


def offered(session: Session, invitation: PartnerInvitation) -> Assessment | None:
    """The invitation's assessment, or None once the organization removed it."""
    try:
        return get_assessment(
            session,
            organization_id=invitation.organization_id,
            assessment_id=invitation.assessment_id,
        )
    except NotFoundError:
        return None


# ---- invitations -----------------------------------------------------------------------------


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
    raw_id, _, _mac = token.partition(".")
    invitation = session.get(PartnerInvitation, int(raw_id)) if raw_id.isdigit() else None
    if invitation is None or not hmac.compare_digest(link_token(secret, invitation), token):
        raise InvitationLinkError(
            "This invitation link is not valid. Check that the whole link was copied, or ask "
            "the company to send it again.",
            code="invitation_not_found",
            status_code=404,
        )
    return invitation


def get_invitation(
    session: Session, *, organization_id: int, invitation_id: int
) -> PartnerInvitation:
    """An invitation of the organization, or 404."""
    invitation = session.get(PartnerInvitation, invitation_id)
    if invitation is None or invitation.organization_id != organization_id:
        raise NotFoundError("No such invitation.", code="invitation_not_found")
    return invitation


def _existing(
    session: Session, organization_id: int, data: InvitationCreate
) -> PartnerInvitation | None:
    return session.scalar(
        select(PartnerInvitation).where(
            PartnerInvitation.organization_id == organization_id,
            PartnerInvitation.assessment_id == data.assessment_id,
            PartnerInvitation.external_application_id == data.external_application_id,
        )
    )


def _same_request(invitation: PartnerInvitation, email: str) -> PartnerInvitation:
    if invitation.candidate_email != email:
        raise ConflictError(
            "This assessment was already sent for this application to another e-mail address.",
            code="invitation_conflict",
        )
    return invitation


def send(
    session: Session, *, key: PartnerApiKey, data: InvitationCreate
) -> tuple[PartnerInvitation, bool]:
    """The invitation for (organization, assessment, external application): made now, or the
    one made before (False). The e-mail goes separately (`email`), after the commit."""
    org_id = key.organization_id
    assessment = get_assessment(session, organization_id=org_id, assessment_id=data.assessment_id)
    email = accounts.checked_email(data.candidate_email)
    name = data.candidate_name.strip()
    if not name:
        raise AppError("Enter the candidate's name.", code="invalid_name", status_code=422)
    if data.job_id is not None:
        job = session.get(Job, data.job_id)
        if job is None or job.organization_id != org_id:
            raise NotFoundError("No such job.")
    existing = _existing(session, org_id, data)
    if existing is not None:
        return _same_request(existing, email), False
    invitation = PartnerInvitation(
        organization_id=org_id,
        api_key_id=key.id,
        assessment_id=assessment.id,
        template_id=assessment.template.id if assessment.template else None,
        assignment_id=assessment.assignment.id if assessment.assignment else None,
        job_id=data.job_id,
        candidate_email=email,
        candidate_name=name,
        external_application_id=data.external_application_id,
        external_candidate_id=data.external_candidate_id,
        nonce=secrets.token_hex(16),
        expires_at=utcnow() + dt.timedelta(days=data.expires_in_days),
    )
    try:
        # A savepoint: two identical sends at once meet at the unique constraint, and the
        # loser answers with the winner's invitation.
        with session.begin_nested():
            session.add(invitation)
            session.flush()
    except IntegrityError:
        winner = _existing(session, org_id, data)
        if winner is None:
            raise
        return _same_request(winner, email), False
    audit.record(
        session,
        actor_id=None,
        organization_id=org_id,
        action="partner_invitation.create",
        entity_type="partner_invitation",
        entity_id=invitation.id,
        details={"api_key_id": key.id, "assessment_id": assessment.id},
    )
    return invitation, True


# ---- the candidate's side: claiming a link ---------------------------------------------------


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


def claim(session: Session, *, invitation: PartnerInvitation, candidate: User) -> str:
    """Tie the invitation to the signed-in candidate and open the assessment: an interview
    session on the template (its clock starts now), or the take-home's own invitation, which
    the candidate starts from their take-homes page. Returns where the candidate goes next."""
    check_claimable(invitation, candidate)
    if invitation.candidate_id is not None:
        return destination(invitation)
    if invitation.assignment_id is not None:
        application_id = _application(session, invitation, candidate)
        assignment = session.get_one(TakehomeAssignment, invitation.assignment_id)
        key = session.get(PartnerApiKey, invitation.api_key_id) if invitation.api_key_id else None
        row = takehome.invite(
            session,
            assignment=assignment,
            candidate_id=candidate.id,
            application_id=application_id,
            assigned_by_id=key.created_by_id if key else None,
        )
        invitation.takehome_invitation_id = row.id
    else:
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
        # After the interview opened: a refusal there (a closed job, a notice still to be
        # read) has then written nothing.
        _application(session, invitation, candidate)
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


# ---- the e-mail ------------------------------------------------------------------------------


def email_status(invitation: PartnerInvitation) -> mail.Outcome:
    """What happened to the invitation's e-mail, as stored."""
    if invitation.email_sent_at is not None:
        return mail.Outcome(
            True,
            f"Sent to {invitation.candidate_email} at {invitation.email_sent_at:%Y-%m-%d %H:%M} "
            "UTC.",
        )
    return mail.Outcome(False, invitation.email_error or "No e-mail has been sent.")


def email(
    session: Session, *, invitation: PartnerInvitation, settings: Settings, base_url: str
) -> mail.Outcome:
    """Send the invitation e-mail unless one went already, and record the outcome."""
    if invitation.email_sent_at is not None:
        return email_status(invitation)
    org = session.get_one(Organization, invitation.organization_id)
    what = offered(session, invitation)
    outcome = mail.send(
        settings,
        mail.Invitation(
            to_email=invitation.candidate_email,
            to_name=invitation.candidate_name,
            organization=org.name,
            assessment=what.name if what else "an assessment",
            minutes=what.estimated_minutes if what else None,
            link=link(base_url, settings.secret_key.get_secret_value(), invitation),
        ),
    )
    if outcome.sent:
        invitation.email_sent_at = utcnow()
        invitation.email_error = None
    else:
        invitation.email_error = outcome.detail
    return outcome
