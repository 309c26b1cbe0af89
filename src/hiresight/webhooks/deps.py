"""Webhook records as dependencies: only an admin of the owning organization gets them.

Recruiters are refused (403) by `AdminUser`; an admin asking for another organization's
endpoint or delivery gets 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from hiresight.accounts.deps import AdminUser, PageAdmin
from hiresight.accounts.models import User
from hiresight.deps import IdPath, SessionDep
from hiresight.webhooks import service
from hiresight.webhooks.models import WebhookDelivery, WebhookEndpoint


def _org(user: User) -> int:
    assert user.organization_id is not None  # admins always belong to an organization
    return user.organization_id


def admin_endpoint(endpoint_id: IdPath, user: AdminUser, session: SessionDep) -> WebhookEndpoint:
    """The endpoint in the path, if it belongs to the admin's organization."""
    return service.get_endpoint_or_raise(
        session, organization_id=_org(user), endpoint_id=endpoint_id
    )


def admin_delivery(delivery_id: IdPath, user: AdminUser, session: SessionDep) -> WebhookDelivery:
    """The delivery in the path, if its endpoint belongs to the admin's organization."""
    return service.get_delivery_or_raise(
        session, organization_id=_org(user), delivery_id=delivery_id
    )


def page_endpoint(endpoint_id: IdPath, user: PageAdmin, session: SessionDep) -> WebhookEndpoint:
    """The endpoint in the path, for the admin's page."""
    return service.get_endpoint_or_raise(
        session, organization_id=_org(user), endpoint_id=endpoint_id
    )


def page_delivery(delivery_id: IdPath, user: PageAdmin, session: SessionDep) -> WebhookDelivery:
    """The delivery in the path, for the admin's page."""
    return service.get_delivery_or_raise(
        session, organization_id=_org(user), delivery_id=delivery_id
    )


def admin_organization(user: AdminUser) -> int:
    """The id of the admin's organization, whose webhooks the call manages."""
    return _org(user)


def page_organization(user: PageAdmin) -> int:
    """The id of the page admin's organization."""
    return _org(user)


AdminEndpoint = Annotated[WebhookEndpoint, Depends(admin_endpoint)]
AdminDelivery = Annotated[WebhookDelivery, Depends(admin_delivery)]
AdminOrganization = Annotated[int, Depends(admin_organization)]
PageEndpoint = Annotated[WebhookEndpoint, Depends(page_endpoint)]
PageDelivery = Annotated[WebhookDelivery, Depends(page_delivery)]
PageOrganization = Annotated[int, Depends(page_organization)]
