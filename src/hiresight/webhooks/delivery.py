"""Delivering webhook events: claim due deliveries with a lease, POST them signed, retry.

Every process that runs background work (the web process with the inline backend, each
`hiresight worker`) polls for due deliveries on the reconcile interval (`Runtime.pollers`).
A delivery is claimed like outbox work (`tasks.lease`): one try per claim, the try count
fencing the claimant's writes, and an expired lease handing the delivery to another process.

Retry schedule: after failed try n the next try waits a random time between 0 and
min(6 h, 30 s x 2^(n-1)) ("full jitter", so that receivers coming back up are not hit by every
sender at once; AWS Architecture Blog, "Exponential Backoff And Jitter", 2015). A delivery
whose next try would fall more than `retry_seconds` (24 h by default) after its schedule began
is `dead` instead, until an admin replays it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import structlog
from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from hiresight.db import utcnow
from hiresight.tasks import lease
from hiresight.webhooks import service
from hiresight.webhooks.models import (
    DeliveryState,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

log = structlog.get_logger(__name__)
Clock = Callable[[], dt.datetime]
USER_AGENT = "Hiresight-Webhooks/1"


@dataclass(frozen=True)
class DeliveryConfig:
    """The timeout of one try, the backoff schedule and how many tries one pass makes."""

    timeout_seconds: float = 10.0
    base_seconds: float = 30.0
    cap_seconds: float = 6 * 3600.0
    retry_seconds: float = 24 * 3600.0
    batch: int = 20

    @property
    def lease_seconds(self) -> float:
        """A claim outlives one try (connect and read, each up to the timeout) with slack."""
        return 2 * self.timeout_seconds + 30.0


@dataclass(frozen=True)
class DeliveryClaim:
    """A claimed delivery with what sending it needs; `token` fences the claimant's writes."""

    id: int
    token: int
    event_id: str
    url: str
    secret: str
    body: str
    schedule_started_at: dt.datetime


_config = DeliveryConfig()


def configure(config: DeliveryConfig) -> None:
    """Set the timeout and schedule (the composition root calls this at start)."""
    global _config
    _config = config


def config() -> DeliveryConfig:
    """The process's delivery settings."""
    return _config


def retry_ceiling(tries: int, cfg: DeliveryConfig) -> float:
    """The longest wait after failed try `tries`: 30 s doubling, at most 6 h."""
    return float(min(cfg.cap_seconds, cfg.base_seconds * 2.0 ** max(0, tries - 1)))


def _claimable(now: dt.datetime) -> ColumnElement[bool]:
    due = and_(
        WebhookDelivery.state == DeliveryState.pending, WebhookDelivery.next_attempt_at <= now
    )
    orphaned = and_(
        WebhookDelivery.state == DeliveryState.delivering, WebhookDelivery.lease_until < now
    )
    return or_(due, orphaned)


def claim_due(engine: Engine, *, now: dt.datetime, limit: int) -> list[DeliveryClaim]:
    """Claim up to `limit` due deliveries to active endpoints (one try each)."""
    active = select(WebhookEndpoint.id).where(WebhookEndpoint.active.is_(True))
    # A subquery, not a join: on PostgreSQL, FOR UPDATE then locks only the deliveries.
    due = (
        select(WebhookDelivery.id)
        .where(_claimable(now), WebhookDelivery.endpoint_id.in_(active))
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
    )
    rows = lease.claim_due(
        engine,
        key=WebhookDelivery.id,
        due=due,
        claimable=_claimable(now),
        values={
            "state": DeliveryState.delivering,
            "attempts": WebhookDelivery.attempts + 1,
            "lease_until": now + dt.timedelta(seconds=_config.lease_seconds),
            "updated_at": now,
        },
        returning=(WebhookDelivery.id, WebhookDelivery.attempts),
    )
    if not rows:
        return []
    tokens = {row.id: row.attempts for row in rows}
    stmt = (
        select(
            WebhookDelivery.id,
            WebhookDelivery.schedule_started_at,
            WebhookEvent.id.label("event_id"),
            WebhookEvent.body,
            WebhookEndpoint.url,
            WebhookEndpoint.secret,
        )
        .join(WebhookEvent, WebhookDelivery.event_id == WebhookEvent.id)
        .join(WebhookEndpoint, WebhookDelivery.endpoint_id == WebhookEndpoint.id)
        .where(WebhookDelivery.id.in_(tokens))
        .order_by(WebhookDelivery.id)
    )
    with engine.connect() as conn:
        return [
            DeliveryClaim(
                id=r.id,
                token=tokens[r.id],
                event_id=r.event_id,
                url=r.url,
                secret=r.secret,
                body=r.body,
                schedule_started_at=r.schedule_started_at,
            )
            for r in conn.execute(stmt)
        ]


def send(
    client: httpx.Client, claim: DeliveryClaim, *, now: dt.datetime
) -> tuple[int | None, str | None]:
    """POST one signed try; (status, None) on a 2xx, else (status or None, what went wrong)."""
    headers = service.signed_headers(
        claim.secret, event_id=claim.event_id, body=claim.body, timestamp=int(now.timestamp())
    )
    try:
        response = client.post(claim.url, content=claim.body.encode(), headers=headers)
    except httpx.TimeoutException:
        return None, f"timed out after {_config.timeout_seconds:g} s"
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}: {response.text[:200]}"


def _fenced(claim: DeliveryClaim) -> ColumnElement[bool]:
    return and_(
        WebhookDelivery.id == claim.id,
        WebhookDelivery.state == DeliveryState.delivering,
        WebhookDelivery.attempts == claim.token,
    )


def finish(
    engine: Engine,
    claim: DeliveryClaim,
    *,
    status: int | None,
    error: str | None,
    now: dt.datetime,
    rng: random.Random,
) -> DeliveryState | None:
    """Record a try: delivered, pending again after a jittered wait, or dead; None if lost."""
    values: dict[str, object]
    if error is None:
        state = DeliveryState.delivered
        values = {"delivered_at": now, "last_error": None}
    else:
        wait = rng.uniform(0.0, retry_ceiling(claim.token, _config))
        next_at = now + dt.timedelta(seconds=wait)
        deadline = claim.schedule_started_at + dt.timedelta(seconds=_config.retry_seconds)
        state = DeliveryState.dead if next_at > deadline else DeliveryState.pending
        values = {"next_attempt_at": next_at, "last_error": error}
    with engine.begin() as conn:
        result = conn.execute(
            update(WebhookDelivery)
            .where(_fenced(claim))
            .values(state=state, lease_until=None, last_status=status, updated_at=now, **values)
        )
    return state if result.rowcount == 1 else None


def deliver_due(
    engine: Engine,
    *,
    clock: Clock = utcnow,
    rng: random.Random | None = None,
    client: httpx.Client | None = None,
) -> int:
    """One pass: claim and send due deliveries, one claim at a time, up to `batch`.

    Claiming one at a time keeps each lease as short as one try, so another process can take
    the rest of the queue while a slow receiver holds this one. Returns the tries made.
    """
    rng = rng or random.Random()
    own = client is None
    http = client or httpx.Client(
        timeout=_config.timeout_seconds,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    )
    tries = 0
    try:
        while tries < _config.batch:
            claims = claim_due(engine, now=clock(), limit=1)
            if not claims:
                break
            for claim in claims:
                status, error = send(http, claim, now=clock())
                state = finish(engine, claim, status=status, error=error, now=clock(), rng=rng)
                tries += 1
                log.info(
                    "webhook_delivery_try", delivery_id=claim.id, event_id=claim.event_id,
                    tries=claim.token, status=status, state=state, error=error,
                )  # fmt: skip
    finally:
        if own:
            http.close()
    return tries
