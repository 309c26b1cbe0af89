"""Partner logic: organization API keys, the assessments on offer, sending invitations and
e-mailing them. The candidate's link and claiming it are in `links.py`; status and results
are read in `results.py`."""

from __future__ import annotations

import datetime as dt
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
from hiresight.interviews.config import BETWEEN_STAGES_MINUTES, DEFAULT_TEMPLATE, TemplateConfig
from hiresight.interviews.models import InterviewTemplate
from hiresight.jobs.models import Job
from hiresight.partners import mail
from hiresight.partners.links import link
from hiresight.partners.models import PartnerApiKey, PartnerInvitation
from hiresight.partners.schemas import DEFAULT_INTERVIEW, InvitationCreate
from hiresight.settings import Settings
from hiresight.takehome.models import TakehomeAssignment

# Apart from the users' "hs_" tokens, so a key pasted in the wrong place is recognisable.
KEY_PREFIX = "hsp_"


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
