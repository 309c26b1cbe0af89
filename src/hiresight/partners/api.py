"""The partner API (/api/partner/v1, by organization API key) and the admin's key endpoints
(/api/v1/organizations/me/api-keys)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from sqlalchemy.orm import Session

from hiresight.accounts.deps import AdminUser
from hiresight.deps import IdPath, SessionDep, SettingsDep
from hiresight.errors import COMMON_RESPONSES
from hiresight.partners import links, results, service
from hiresight.partners.deps import BaseUrl, OrgInvitation, PartnerKey
from hiresight.partners.mail import Outcome
from hiresight.partners.models import PartnerInvitation
from hiresight.partners.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    AssessmentPublic,
    EmailStatus,
    InvitationCreate,
    InvitationPublic,
    InvitationStatus,
)
from hiresight.settings import Settings

router = APIRouter(prefix="/api/partner/v1", tags=["partner"], responses=COMMON_RESPONSES)
keys_router = APIRouter(tags=["partner"])


def _public(
    session: Session,
    invitation: PartnerInvitation,
    settings: Settings,
    base: str,
    mail: Outcome | None = None,
) -> InvitationPublic:
    sent = mail or service.email_status(invitation)
    return InvitationPublic(
        id=invitation.id,
        assessment_id=invitation.assessment_id,
        link=links.link(base, settings.secret_key.get_secret_value(), invitation),
        status=results.state(session, invitation),
        email=EmailStatus(sent=sent.sent, detail=sent.detail),
        external_application_id=invitation.external_application_id,
        external_candidate_id=invitation.external_candidate_id,
        expires_at=invitation.expires_at,
    )


@router.get("/assessments", response_model=list[AssessmentPublic])
def list_assessments(key: PartnerKey, session: SessionDep) -> list[AssessmentPublic]:
    """The assessments the organization can send: the default interview, its interview
    templates and its take-homes (Greenhouse: list_tests)."""
    return [
        AssessmentPublic(
            id=a.id,
            name=a.name,
            kind=a.kind,
            estimated_minutes=a.estimated_minutes,
            window_days=a.window_days,
        )
        for a in service.get_assessments(session, organization_id=key.organization_id)
    ]


@router.post(
    "/invitations",
    response_model=InvitationPublic,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": InvitationPublic, "description": "Sent before: the same one."}},
)
def send_invitation(
    data: InvitationCreate,
    key: PartnerKey,
    session: SessionDep,
    settings: SettingsDep,
    base: BaseUrl,
    response: Response,
) -> InvitationPublic:
    """Send an assessment to a candidate: the invitation, its link, and whether the e-mail
    went (Greenhouse: send_test). The same assessment for the same external application
    answers 200 with the invitation made before."""
    invitation, created = service.send(session, key=key, data=data)
    # Committed before the e-mail goes, so a link in an inbox always exists.
    session.commit()
    outcome = service.email(session, invitation=invitation, settings=settings, base_url=base)
    if not created:
        response.status_code = status.HTTP_200_OK
    return _public(session, invitation, settings, base, outcome)


@router.get("/invitations/{invitation_id}", response_model=InvitationStatus)
def invitation_status(
    invitation: OrgInvitation, session: SessionDep, settings: SettingsDep, base: BaseUrl
) -> InvitationStatus:
    """Where the invitation stands, with a scorecard summary and the full report's address
    once anything was answered (Greenhouse: test_status)."""
    public = _public(session, invitation, settings, base)
    return InvitationStatus(
        **public.model_dump(),
        claimed_at=invitation.claimed_at,
        results=results.results(session, invitation, base),
    )


@keys_router.get("/organizations/me/api-keys", response_model=list[ApiKeyPublic])
def list_keys(admin: AdminUser, session: SessionDep) -> list[ApiKeyPublic]:
    """The organization's API keys (never their secrets)."""
    assert admin.organization_id is not None  # admins belong to an organization
    keys = service.get_keys(session, organization_id=admin.organization_id)
    return [ApiKeyPublic.model_validate(k) for k in keys]


@keys_router.post(
    "/organizations/me/api-keys", response_model=ApiKeyCreated, status_code=status.HTTP_201_CREATED
)
def create_key(data: ApiKeyCreate, admin: AdminUser, session: SessionDep) -> ApiKeyCreated:
    """A new organization API key; its secret is in this answer only."""
    secret, record = service.create_key(session, admin=admin, name=data.name)
    return ApiKeyCreated(key=secret, **ApiKeyPublic.model_validate(record).model_dump())


@keys_router.delete("/organizations/me/api-keys/{key_id}", response_model=ApiKeyPublic)
def revoke_key(key_id: IdPath, admin: AdminUser, session: SessionDep) -> ApiKeyPublic:
    """Revoke a key: calls with it answer 401 from now on."""
    return ApiKeyPublic.model_validate(service.revoke_key(session, admin=admin, key_id=key_id))
