"""REST endpoints for webhooks: an organization admin's endpoints, deliveries and replays."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from hiresight.accounts.deps import AdminUser
from hiresight.deps import MAX_ID, SessionDep
from hiresight.webhooks import service
from hiresight.webhooks.deps import AdminDelivery, AdminEndpoint, AdminOrganization
from hiresight.webhooks.models import DeliveryState
from hiresight.webhooks.schemas import (
    WebhookDeliveryPublic,
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointPublic,
    WebhookEndpointUpdate,
)

router = APIRouter(prefix="/organizations/me/webhooks", tags=["webhooks"])


@router.get("", response_model=list[WebhookEndpointPublic])
def list_endpoints(org_id: AdminOrganization, session: SessionDep) -> list[WebhookEndpointPublic]:
    """The organization's webhook endpoints (never their secrets)."""
    endpoints = service.get_endpoints(session, organization_id=org_id)
    return [WebhookEndpointPublic.model_validate(e) for e in endpoints]


@router.post("", response_model=WebhookEndpointCreated, status_code=status.HTTP_201_CREATED)
def create_endpoint(
    data: WebhookEndpointCreate, user: AdminUser, org_id: AdminOrganization, session: SessionDep
) -> WebhookEndpointCreated:
    """Register an endpoint; the answer carries its signing secret, shown this once."""
    endpoint = service.create_endpoint(
        session,
        organization_id=org_id,
        actor_id=user.id,
        url=data.url,
        event_types=data.event_types,
        active=data.active,
    )
    return WebhookEndpointCreated.model_validate(endpoint)


@router.get("/deliveries", response_model=list[WebhookDeliveryPublic])
def list_deliveries(
    org_id: AdminOrganization,
    session: SessionDep,
    endpoint_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    state: DeliveryState | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[WebhookDeliveryPublic]:
    """The newest deliveries, optionally of one endpoint or in one state."""
    deliveries = service.get_deliveries(
        session, organization_id=org_id, endpoint_id=endpoint_id, state=state, limit=limit
    )
    return [WebhookDeliveryPublic.of(d) for d in deliveries]


@router.post("/deliveries/{delivery_id}/replay", response_model=WebhookDeliveryPublic)
def replay_delivery(
    delivery: AdminDelivery, user: AdminUser, session: SessionDep
) -> WebhookDeliveryPublic:
    """Send a dead or delivered event again (same event id), with a fresh retry schedule."""
    return WebhookDeliveryPublic.of(service.replay(session, delivery=delivery, actor_id=user.id))


@router.get("/{endpoint_id}", response_model=WebhookEndpointPublic)
def get_endpoint(endpoint: AdminEndpoint) -> WebhookEndpointPublic:
    """One endpoint of the organization."""
    return WebhookEndpointPublic.model_validate(endpoint)


@router.patch("/{endpoint_id}", response_model=WebhookEndpointPublic)
def update_endpoint(
    data: WebhookEndpointUpdate, endpoint: AdminEndpoint, user: AdminUser, session: SessionDep
) -> WebhookEndpointPublic:
    """Change an endpoint's URL, event types or active flag."""
    updated = service.update_endpoint(
        session,
        endpoint=endpoint,
        actor_id=user.id,
        url=data.url,
        event_types=data.event_types,
        active=data.active,
    )
    return WebhookEndpointPublic.model_validate(updated)


@router.delete("/{endpoint_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_endpoint(endpoint: AdminEndpoint, user: AdminUser, session: SessionDep) -> None:
    """Remove an endpoint and its deliveries."""
    service.delete_endpoint(session, endpoint=endpoint, actor_id=user.id)
