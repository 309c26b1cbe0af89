"""The admin's webhooks page: endpoints, recent deliveries, and a replay button per delivery."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from hiresight.accounts.deps import PageAdmin
from hiresight.deps import SessionDep, SettingsDep
from hiresight.web.pages import PageRoute, check_csrf, render
from hiresight.webhooks import service
from hiresight.webhooks.deps import PageDelivery, PageEndpoint, PageOrganization
from hiresight.webhooks.models import WebhookEndpoint

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE = "/admin/webhooks"


def _page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageAdmin,
    org_id: int,
    *,
    created: WebhookEndpoint | None = None,
) -> Response:
    return render(
        request,
        "webhooks_admin.html",
        settings,
        user=user,
        endpoints=service.get_endpoints(session, organization_id=org_id),
        deliveries=service.get_deliveries(session, organization_id=org_id, limit=100),
        event_types=service.EVENT_TYPES,
        created=created,
    )


@router.get(PAGE)
def webhooks_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageAdmin,
    org_id: PageOrganization,
) -> Response:
    """Admins: the organization's endpoints and their recent deliveries."""
    return _page(request, session, settings, user, org_id)


@router.post(PAGE)
def create_endpoint(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageAdmin,
    org_id: PageOrganization,
    csrf_token: Annotated[str, Form()],
    url: Annotated[str, Form(max_length=2000)],
    event_types: Annotated[list[str], Form()],
) -> Response:
    """Register an endpoint and show its secret, this once."""
    check_csrf(request, csrf_token)
    endpoint = service.create_endpoint(
        session, organization_id=org_id, actor_id=user.id, url=url, event_types=event_types
    )
    return _page(request, session, settings, user, org_id, created=endpoint)


@router.post(PAGE + "/{endpoint_id}/active")
def set_active(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    endpoint: PageEndpoint,
    csrf_token: Annotated[str, Form()],
    active: Annotated[bool, Form()],
) -> Response:
    """Pause or resume an endpoint."""
    check_csrf(request, csrf_token)
    service.update_endpoint(session, endpoint=endpoint, actor_id=user.id, active=active)
    return RedirectResponse(PAGE, status_code=303)


@router.post(PAGE + "/deliveries/{delivery_id}/replay")
def replay_delivery(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    delivery: PageDelivery,
    csrf_token: Annotated[str, Form()],
) -> Response:
    """Send a dead or delivered event again."""
    check_csrf(request, csrf_token)
    service.replay(session, delivery=delivery, actor_id=user.id)
    return RedirectResponse(PAGE, status_code=303)
