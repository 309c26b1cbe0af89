"""Webhooks: emitting events into the outbox, signing them, and managing endpoints.

`emit` is called by the domain that changes state, inside its own transaction: the event and
one delivery per subscribed endpoint commit with the change or not at all. Nothing here talks
to the network; `delivery` does, in the background.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from hiresight.audit import service as audit
from hiresight.db import utcnow
from hiresight.errors import AppError, ConflictError, NotFoundError
from hiresight.webhooks.models import (
    DeliveryState,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

INTERVIEW_COMPLETED = "interview.completed"
ATTEMPT_SCORED = "attempt.scored"
APPLICATION_DECIDED = "application.decided"
TAKEHOME_EVALUATED = "takehome.evaluated"
CANDIDATE_DELETED = "candidate.deleted"
EVENT_TYPES: tuple[str, ...] = (
    INTERVIEW_COMPLETED,
    ATTEMPT_SCORED,
    APPLICATION_DECIDED,
    TAKEHOME_EVALUATED,
    CANDIDATE_DELETED,
)
SIGNATURE_HEADER = "Hiresight-Signature"
TIMESTAMP_HEADER = "Hiresight-Timestamp"
EVENT_ID_HEADER = "Hiresight-Event-Id"
SIGNATURE_VERSION = "v1"
# A signature older than this is refused by `verify`, so a captured request cannot be replayed
# later (the same window Stripe's libraries use).
DEFAULT_TOLERANCE_SECONDS = 300


class InvalidSignatureError(Exception):
    """A webhook request whose signature or timestamp does not check out."""


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def emit(session: Session, *, organization_id: int, event_type: str, data: dict[str, Any]) -> None:
    """Write an event and its deliveries in the caller's transaction (the outbox).

    One delivery is written per active endpoint of the organization subscribed to
    `event_type`; the delivery worker sends them after the caller commits. `data` carries ids
    and summary numbers only, never a candidate's documents.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    now = utcnow()
    event_id = str(uuid.uuid4())
    body = json.dumps(
        {
            "id": event_id,
            "type": event_type,
            "created_at": _iso(now),
            "organization_id": organization_id,
            "data": data,
        },
        separators=(",", ":"),
        sort_keys=True,
        default=str,
    )
    session.add(
        WebhookEvent(
            id=event_id, organization_id=organization_id, type=event_type, body=body, created_at=now
        )
    )
    endpoints = session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.organization_id == organization_id,
            WebhookEndpoint.active.is_(True),
        )
    )
    for endpoint in endpoints:
        if event_type in endpoint.event_types:
            session.add(
                WebhookDelivery(
                    event_id=event_id,
                    endpoint_id=endpoint.id,
                    state=DeliveryState.pending,
                    attempts=0,
                    next_attempt_at=now,
                    schedule_started_at=now,
                    created_at=now,
                )
            )
    session.flush()


def sign(secret: str, *, timestamp: int, body: str) -> str:
    """The `Hiresight-Signature` value: v1= and the hex HMAC-SHA256 of "timestamp.body"."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


def signed_headers(secret: str, *, event_id: str, body: str, timestamp: int) -> dict[str, str]:
    """The headers of one delivery of `body`, signed at `timestamp` (unix seconds)."""
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp=timestamp, body=body),
        EVENT_ID_HEADER: event_id,
    }


def verify(
    secret: str,
    *,
    body: str | bytes,
    timestamp: str,
    signature: str,
    now: float,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> dict[str, Any]:
    """Check a received webhook and return its payload; InvalidSignatureError if it is not ours.

    The comparison is constant-time, and a timestamp further than `tolerance_seconds` from
    `now` is refused, so a captured request cannot be sent again later.
    """
    text = body.decode() if isinstance(body, bytes) else body
    try:
        stamp = int(timestamp)
    except ValueError:
        raise InvalidSignatureError("the timestamp is not a number") from None
    if abs(now - stamp) > tolerance_seconds:
        raise InvalidSignatureError("the timestamp is outside the tolerance")
    expected = sign(secret, timestamp=stamp, body=text)
    if not any(hmac.compare_digest(expected, part.strip()) for part in signature.split(",")):
        raise InvalidSignatureError("the signature does not match")
    payload: dict[str, Any] = json.loads(text)
    return payload


# Endpoints ------------------------------------------------------------------------------------


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AppError(
            "The endpoint URL must be an http:// or https:// URL with a host.",
            code="invalid_webhook_url",
            status_code=422,
        )
    return url


def _check_event_types(event_types: list[str]) -> list[str]:
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown or not event_types:
        raise AppError(
            "Choose one or more of the event types: " + ", ".join(EVENT_TYPES) + ".",
            code="invalid_webhook_event_types",
            status_code=422,
            details={"unknown": unknown, "allowed": list(EVENT_TYPES)},
        )
    return [t for t in EVENT_TYPES if t in event_types]


def create_endpoint(
    session: Session,
    *,
    organization_id: int,
    actor_id: int,
    url: str,
    event_types: list[str],
    active: bool = True,
) -> WebhookEndpoint:
    """Register an endpoint with a new secret (returned on the row; shown to the admin once)."""
    endpoint = WebhookEndpoint(
        organization_id=organization_id,
        url=_check_url(url),
        event_types=_check_event_types(event_types),
        secret="whsec_" + secrets.token_hex(24),
        active=active,
        created_by_id=actor_id,
    )
    session.add(endpoint)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        organization_id=organization_id,
        action="webhook_endpoint.created",
        entity_type="webhook_endpoint",
        entity_id=endpoint.id,
        details={"url": endpoint.url, "event_types": endpoint.event_types, "active": active},
    )
    return endpoint


def update_endpoint(
    session: Session,
    *,
    endpoint: WebhookEndpoint,
    actor_id: int,
    url: str | None = None,
    event_types: list[str] | None = None,
    active: bool | None = None,
) -> WebhookEndpoint:
    """Change an endpoint's URL, event types or active flag (audited)."""
    changes: dict[str, Any] = {}
    if url is not None:
        endpoint.url = changes["url"] = _check_url(url)
    if event_types is not None:
        endpoint.event_types = changes["event_types"] = _check_event_types(event_types)
    if active is not None:
        endpoint.active = changes["active"] = active
    audit.record(
        session,
        actor_id=actor_id,
        organization_id=endpoint.organization_id,
        action="webhook_endpoint.updated",
        entity_type="webhook_endpoint",
        entity_id=endpoint.id,
        details=changes,
    )
    session.flush()
    return endpoint


def delete_endpoint(session: Session, *, endpoint: WebhookEndpoint, actor_id: int) -> None:
    """Remove an endpoint and its deliveries (audited)."""
    audit.record(
        session,
        actor_id=actor_id,
        organization_id=endpoint.organization_id,
        action="webhook_endpoint.deleted",
        entity_type="webhook_endpoint",
        entity_id=endpoint.id,
        details={"url": endpoint.url},
    )
    for delivery in session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
    ):
        session.delete(delivery)
    session.delete(endpoint)
    session.flush()


def endpoints_of(organization_id: int) -> Select[WebhookEndpoint]:
    """The endpoints of one organization (the authorised view)."""
    return select(WebhookEndpoint).where(WebhookEndpoint.organization_id == organization_id)


def get_endpoints(session: Session, *, organization_id: int) -> list[WebhookEndpoint]:
    """An organization's endpoints, oldest first."""
    return list(session.scalars(endpoints_of(organization_id).order_by(WebhookEndpoint.id)))


def get_endpoint_or_raise(
    session: Session, *, organization_id: int, endpoint_id: int
) -> WebhookEndpoint:
    """One endpoint of the organization; 404 for any other (another organization's included)."""
    endpoint = session.scalar(
        endpoints_of(organization_id).where(WebhookEndpoint.id == endpoint_id)
    )
    if endpoint is None:
        raise NotFoundError("No such webhook endpoint.")
    return endpoint


# Deliveries -----------------------------------------------------------------------------------


def deliveries_of(organization_id: int) -> Select[WebhookDelivery]:
    """The deliveries to the endpoints of one organization (the authorised view)."""
    return (
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookDelivery.endpoint_id == WebhookEndpoint.id)
        .where(WebhookEndpoint.organization_id == organization_id)
    )


def get_deliveries(
    session: Session,
    *,
    organization_id: int,
    endpoint_id: int | None = None,
    state: DeliveryState | None = None,
    limit: int = 50,
) -> list[WebhookDelivery]:
    """An organization's newest deliveries, optionally of one endpoint or in one state."""
    stmt = deliveries_of(organization_id)
    if endpoint_id is not None:
        stmt = stmt.where(WebhookDelivery.endpoint_id == endpoint_id)
    if state is not None:
        stmt = stmt.where(WebhookDelivery.state == state)
    return list(session.scalars(stmt.order_by(WebhookDelivery.id.desc()).limit(limit)))


def get_delivery_or_raise(
    session: Session, *, organization_id: int, delivery_id: int
) -> WebhookDelivery:
    """One delivery of the organization; 404 for any other."""
    delivery = session.scalar(
        deliveries_of(organization_id).where(WebhookDelivery.id == delivery_id)
    )
    if delivery is None:
        raise NotFoundError("No such webhook delivery.")
    return delivery


def replay(session: Session, *, delivery: WebhookDelivery, actor_id: int) -> WebhookDelivery:
    """Send a dead or delivered event again: the delivery is pending now, with fresh tries.

    The event keeps its id, so a receiver that already has it can recognise the repeat.
    """
    if delivery.state not in (DeliveryState.dead, DeliveryState.delivered):
        raise ConflictError(
            "Only a dead or delivered webhook delivery can be replayed.",
            code="delivery_not_replayable",
        )
    now = utcnow()
    delivery.state = DeliveryState.pending
    delivery.attempts = 0
    delivery.lease_until = None
    delivery.next_attempt_at = now
    delivery.schedule_started_at = now
    delivery.last_error = None
    delivery.updated_at = now
    audit.record(
        session,
        actor_id=actor_id,
        organization_id=delivery.endpoint.organization_id,
        action="webhook_delivery.replayed",
        entity_type="webhook_delivery",
        entity_id=delivery.id,
        details={"event_id": delivery.event_id},
    )
    session.flush()
    return delivery
