"""API shapes for webhook endpoints and deliveries."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from hiresight.webhooks.models import DeliveryState, WebhookDelivery


class WebhookEndpointCreate(BaseModel):
    """A new endpoint: where to send, and which event types."""

    url: str = Field(max_length=2000, examples=["https://ats.example.com/hooks/hiresight"])
    event_types: list[str] = Field(max_length=10, examples=[["interview.completed"]])
    active: bool = True


class WebhookEndpointUpdate(BaseModel):
    """Changes to an endpoint; fields left out stay as they are."""

    url: str | None = Field(None, max_length=2000)
    event_types: list[str] | None = Field(None, max_length=10)
    active: bool | None = None


class WebhookEndpointPublic(BaseModel):
    """An endpoint as the API shows it (never its secret)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    event_types: list[str]
    active: bool
    created_at: dt.datetime


class WebhookEndpointCreated(WebhookEndpointPublic):
    """The endpoint just created, with its signing secret: shown this once only."""

    secret: str


class WebhookDeliveryPublic(BaseModel):
    """One event's delivery to one endpoint: its state, tries and the last answer."""

    id: int
    event_id: str
    event_type: str
    endpoint_id: int
    state: DeliveryState
    attempts: int
    next_attempt_at: dt.datetime
    last_status: int | None
    last_error: str | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime

    @classmethod
    def of(cls, delivery: WebhookDelivery) -> WebhookDeliveryPublic:
        """The public view of a delivery row."""
        return cls(
            id=delivery.id,
            event_id=delivery.event_id,
            event_type=delivery.event.type,
            endpoint_id=delivery.endpoint_id,
            state=delivery.state,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at,
            last_status=delivery.last_status,
            last_error=delivery.last_error,
            delivered_at=delivery.delivered_at,
            created_at=delivery.created_at,
        )
