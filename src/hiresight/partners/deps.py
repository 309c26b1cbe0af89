"""Who is calling the partner API (an organization, by its API key) and the records it may
see; the invitation behind a candidate's link; the address links are built on."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hiresight.deps import IdPath, SessionDep, SettingsDep, release
from hiresight.errors import UnauthorizedError
from hiresight.partners import links, service
from hiresight.partners.models import PartnerApiKey, PartnerInvitation

# auto_error=False: a missing key answers our own JSON 401 below, not FastAPI's 403.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="OrganizationApiKey",
    description="An organization API key (`hsp_...`), made by an admin at /admin/api-keys.",
)


def partner_key(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> PartnerApiKey:
    """The live organization key of the call, or 401 invalid_api_key."""
    key = service.key_for_secret(session, credentials.credentials) if credentials else None
    release(session)
    if key is None:
        raise UnauthorizedError(
            "Send a live organization API key as `Authorization: Bearer <key>`.",
            code="invalid_api_key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return key


PartnerKey = Annotated[PartnerApiKey, Depends(partner_key)]


def partner_invitation(
    invitation_id: IdPath, key: PartnerKey, session: SessionDep
) -> PartnerInvitation:
    """An invitation of the key's organization; any other answers 404."""
    return service.get_invitation(
        session, organization_id=key.organization_id, invitation_id=invitation_id
    )


OrgInvitation = Annotated[PartnerInvitation, Depends(partner_invitation)]


def link_invitation(
    token: Annotated[str, Path(max_length=200)], session: SessionDep, settings: SettingsDep
) -> PartnerInvitation:
    """The invitation behind a candidate's link, or the invitation_not_found page."""
    return links.invitation_for_token(
        session, secret=settings.secret_key.get_secret_value(), token=token
    )


LinkInvitation = Annotated[PartnerInvitation, Depends(link_invitation)]


async def base_url(request: Request, settings: SettingsDep) -> str:
    """HIRESIGHT_PUBLIC_URL, else the address this request came to."""
    return (settings.public_url or str(request.base_url)).rstrip("/")


BaseUrl = Annotated[str, Depends(base_url)]
