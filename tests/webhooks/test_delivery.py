"""Webhook delivery against a real local receiver: signing, retries, timeouts, dead letters."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from hiresight.accounts.models import Role
from hiresight.db import utcnow
from hiresight.webhooks import delivery, service
from hiresight.webhooks.models import DeliveryState, WebhookDelivery, WebhookEvent
from tests.factories import make_org, make_user
from tests.webhooks.conftest import Receiver


def _endpoint(
    factory: sessionmaker[Session], receiver: Receiver, *, event_types: list[str] | None = None
) -> tuple[int, int]:
    """An organization with an endpoint at the receiver; (organization id, endpoint id)."""
    with factory() as session:
        org = make_org(session)
        admin = make_user(session, Role.admin, org=org)
        endpoint = service.create_endpoint(
            session,
            organization_id=org.id,
            actor_id=admin.id,
            url=receiver.url,
            event_types=event_types or [service.INTERVIEW_COMPLETED],
        )
        receiver.secret = endpoint.secret
        session.commit()
        return org.id, endpoint.id


def _emit(factory: sessionmaker[Session], org_id: int, **data: object) -> str:
    with factory() as session:
        service.emit(
            session,
            organization_id=org_id,
            event_type=service.INTERVIEW_COMPLETED,
            data=dict(data) or {"interview_id": 1},
        )
        session.commit()
        event_id = session.scalar(select(WebhookEvent.id).order_by(WebhookEvent.created_at.desc()))
        assert event_id is not None
        return event_id


def _delivery(factory: sessionmaker[Session]) -> WebhookDelivery:
    with factory() as session:
        row = session.scalars(select(WebhookDelivery)).one()
        session.expunge(row)
        return row


def test_a_delivery_is_signed_and_retried_with_the_same_event_id(
    engine: Engine, factory: sessionmaker[Session], receiver: Receiver
) -> None:
    """A 500 is retried later; both tries carry the same event id and a valid signature."""
    org_id, _ = _endpoint(factory, receiver)
    event_id = _emit(factory, org_id, interview_id=7)
    receiver.script = ["fail", "ok"]
    now = utcnow()
    assert delivery.deliver_due(engine, clock=lambda: now, rng=random.Random(1)) == 1
    first = _delivery(factory)
    assert (first.state, first.attempts, first.last_status) == (DeliveryState.pending, 1, 500)
    later = first.next_attempt_at
    assert delivery.deliver_due(engine, clock=lambda: later, rng=random.Random(1)) == 1
    done = _delivery(factory)
    assert (done.state, done.attempts, done.last_status) == (DeliveryState.delivered, 2, 200)
    assert [r.verified for r in receiver.received] == [True, True]
    assert {r.headers[service.EVENT_ID_HEADER] for r in receiver.received} == {event_id}
    payload = receiver.received[1].payload
    assert payload is not None
    assert payload["id"] == event_id
    assert payload["type"] == "interview.completed"
    assert payload["organization_id"] == org_id
    assert payload["data"] == {"interview_id": 7}
    assert receiver.received[0].body == receiver.received[1].body


def test_a_receiver_slower_than_the_timeout_counts_as_a_failure(
    engine: Engine,
    factory: sessionmaker[Session],
    receiver: Receiver,
    fast_delivery: delivery.DeliveryConfig,
) -> None:
    """A receiver that answers after the timeout fails the try; the next try succeeds."""
    org_id, _ = _endpoint(factory, receiver)
    _emit(factory, org_id)
    receiver.script = ["slow", "ok"]
    now = utcnow()
    delivery.deliver_due(engine, clock=lambda: now)
    stalled = _delivery(factory)
    assert stalled.state is DeliveryState.pending
    assert stalled.last_status is None
    assert stalled.last_error is not None
    assert "timed out" in stalled.last_error
    later = stalled.next_attempt_at
    delivery.deliver_due(engine, clock=lambda: later)
    assert _delivery(factory).state is DeliveryState.delivered


def test_nothing_is_tried_before_it_is_due(
    engine: Engine, factory: sessionmaker[Session], receiver: Receiver
) -> None:
    """After a failure, a pass before `next_attempt_at` sends nothing."""
    org_id, _ = _endpoint(factory, receiver)
    _emit(factory, org_id)
    receiver.default = "fail"
    now = utcnow()
    # Seeded so the first wait is well above zero (full jitter may pick any wait up to 30 s).
    rng = random.Random(3)
    delivery.deliver_due(engine, clock=lambda: now, rng=rng)
    due = _delivery(factory).next_attempt_at
    assert due > now
    assert delivery.deliver_due(engine, clock=lambda: due - dt.timedelta(microseconds=1)) == 0
    assert len(receiver.received) == 1


def test_the_retry_ceiling_doubles_from_30_seconds_up_to_6_hours() -> None:
    """Known answers: the longest waits after tries 1, 2, 5, 10, 11 and 20."""
    cfg = delivery.DeliveryConfig()
    ceilings = [delivery.retry_ceiling(n, cfg) for n in (1, 2, 5, 10, 11, 20)]
    assert ceilings == [30.0, 60.0, 480.0, 15360.0, 21600.0, 21600.0]


def test_a_delivery_that_keeps_failing_is_dead_after_24_hours(
    engine: Engine, factory: sessionmaker[Session], receiver: Receiver
) -> None:
    """With a clock moved to each next try, failures go on for a day, then the delivery is dead;
    every try sends the same event id."""
    org_id, _ = _endpoint(factory, receiver)
    event_id = _emit(factory, org_id)
    receiver.default = "fail"
    start = _delivery(factory).schedule_started_at
    now = start
    rng = random.Random(42)
    for _ in range(200):  # far more than the schedule allows; the loop ends on `dead`
        assert delivery.deliver_due(engine, clock=lambda at=now: at, rng=rng) == 1
        row = _delivery(factory)
        if row.state is DeliveryState.dead:
            break
        assert row.state is DeliveryState.pending
        assert row.next_attempt_at <= start + dt.timedelta(hours=24)
        now = row.next_attempt_at
    assert row.state is DeliveryState.dead
    # Each try's wait is at most the ceiling, so reaching the 24th hour takes many tries.
    assert row.attempts >= 10
    assert now <= start + dt.timedelta(hours=24)
    assert {r.headers[service.EVENT_ID_HEADER] for r in receiver.received} == {event_id}
    assert len(receiver.received) == row.attempts
    # A dead delivery is never tried again by the worker.
    later = now + dt.timedelta(days=2)
    assert delivery.deliver_due(engine, clock=lambda: later) == 0


def test_a_claim_is_exclusive_until_its_lease_expires(
    engine: Engine, factory: sessionmaker[Session], receiver: Receiver
) -> None:
    """A claimed delivery is not claimed again while leased; after the lease another process
    takes it, and the first claimant's late result is refused."""
    org_id, _ = _endpoint(factory, receiver)
    _emit(factory, org_id)
    now = utcnow()
    [first] = delivery.claim_due(engine, now=now, limit=5)
    assert delivery.claim_due(engine, now=now, limit=5) == []
    after_lease = now + dt.timedelta(seconds=delivery.config().lease_seconds + 1)
    [second] = delivery.claim_due(engine, now=after_lease, limit=5)
    assert (first.token, second.token) == (1, 2)
    rng = random.Random(0)
    late = delivery.finish(engine, first, status=200, error=None, now=after_lease, rng=rng)
    assert late is None
    assert delivery.finish(engine, second, status=200, error=None, now=after_lease, rng=rng) is (
        DeliveryState.delivered
    )


def test_a_rolled_back_transaction_leaves_no_event(
    factory: sessionmaker[Session], receiver: Receiver
) -> None:
    """The outbox: an event emitted in a transaction that rolls back is not there at all."""
    org_id, _ = _endpoint(factory, receiver)
    with factory() as session:
        service.emit(
            session, organization_id=org_id, event_type=service.ATTEMPT_SCORED, data={"x": 1}
        )
        session.rollback()
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 0
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def test_only_active_endpoints_subscribed_to_the_type_get_a_delivery(
    factory: sessionmaker[Session], receiver: Receiver
) -> None:
    """An event type the endpoint did not choose, or a paused endpoint, makes no delivery."""
    org_id, endpoint_id = _endpoint(factory, receiver, event_types=[service.ATTEMPT_SCORED])
    _emit(factory, org_id)  # interview.completed: not chosen
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
        endpoint = service.get_endpoint_or_raise(
            session, organization_id=org_id, endpoint_id=endpoint_id
        )
        service.update_endpoint(
            session, endpoint=endpoint, actor_id=endpoint.created_by_id, active=False
        )
        service.emit(session, organization_id=org_id, event_type=service.ATTEMPT_SCORED, data={})
        session.commit()
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def test_verify_refuses_a_changed_body_a_wrong_secret_and_an_old_timestamp() -> None:
    """The verification helper: the signed request passes; any change fails."""
    body = json.dumps({"id": "e1", "type": "attempt.scored"})
    signature = service.sign("s3cret", timestamp=1000, body=body)
    assert service.verify("s3cret", body=body, timestamp="1000", signature=signature, now=1010)
    with pytest.raises(service.InvalidSignatureError):
        service.verify("s3cret", body=body + " ", timestamp="1000", signature=signature, now=1010)
    with pytest.raises(service.InvalidSignatureError):
        service.verify("other", body=body, timestamp="1000", signature=signature, now=1010)
    with pytest.raises(service.InvalidSignatureError):
        service.verify("s3cret", body=body, timestamp="1000", signature=signature, now=2000)


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    """Known answer: HMAC-SHA256("key", "1.{}") computed independently (openssl dgst)."""
    assert service.sign("key", timestamp=1, body="{}") == (
        "v1=" + "1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224"
    )
