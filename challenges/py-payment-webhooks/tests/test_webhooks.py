"""Hidden tests for the payment webhook receiver."""

import asyncio
import hashlib
import hmac
import json
import logging
import sqlite3

from starlette_lite import Request
from webhooks import SCHEMA, PaymentWebhook

SECRET = b"whsec_test_3f9a"
logging.getLogger("payments.webhooks").disabled = True


def make_endpoint():
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    db.executemany(
        "INSERT INTO orders (id, amount_cents) VALUES (?, ?)", [("ord_1", 4200), ("ord_2", 999)]
    )
    db.commit()
    return db, PaymentWebhook(db, SECRET)


def event(event_id, order_id="ord_1", amount=4200, kind="payment.succeeded"):
    return {"id": event_id, "type": kind, "data": {"order_id": order_id, "amount_cents": amount}}


def deliver(endpoint, payload, secret=SECRET):
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    return asyncio.run(endpoint(Request({"X-Signature": signature}, body)))


def ledger(db):
    return db.execute("SELECT order_id, amount_cents FROM ledger ORDER BY id").fetchall()


def status(db, order_id):
    return db.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()[0]


def test_valid_payment_settles_order():
    db, endpoint = make_endpoint()
    response = deliver(endpoint, event("evt_1"))
    assert response.status_code == 200
    assert ledger(db) == [("ord_1", 4200)]
    assert status(db, "ord_1") == "paid"


def test_bad_signature_is_rejected_without_side_effects():
    db, endpoint = make_endpoint()
    response = deliver(endpoint, event("evt_1"), secret=b"wrong")
    assert response.status_code == 401
    assert ledger(db) == []


def test_unhandled_event_type_is_acknowledged():
    _, endpoint = make_endpoint()
    response = deliver(endpoint, event("evt_9", kind="customer.created"))
    assert 200 <= response.status_code < 300


def test_unhandled_event_does_not_touch_ledger():
    db, endpoint = make_endpoint()
    response = deliver(endpoint, event("evt_8", kind="payment.refunded"))
    assert response.status_code < 400
    assert ledger(db) == [] and status(db, "ord_1") == "pending"


def test_redelivered_event_is_applied_once():
    db, endpoint = make_endpoint()
    first = deliver(endpoint, event("evt_1"))
    second = deliver(endpoint, event("evt_1"))
    assert first.status_code == 200 and second.status_code == 200
    assert ledger(db) == [("ord_1", 4200)]


def test_redelivery_after_other_events_is_ignored():
    db, endpoint = make_endpoint()
    for event_id, order_id, amount in [
        ("evt_1", "ord_1", 4200),
        ("evt_2", "ord_2", 999),
        ("evt_1", "ord_1", 4200),
    ]:
        assert deliver(endpoint, event(event_id, order_id, amount)).status_code == 200
    assert ledger(db) == [("ord_1", 4200), ("ord_2", 999)]


def test_database_failure_asks_provider_to_retry():
    db, endpoint = make_endpoint()
    db.execute("DROP TABLE ledger")
    response = deliver(endpoint, event("evt_1"))
    assert response.status_code >= 500
    assert status(db, "ord_1") == "pending"


def test_unknown_order_is_not_acknowledged():
    _, endpoint = make_endpoint()
    response = deliver(endpoint, event("evt_5", order_id="ord_missing"))
    assert response.status_code >= 500


def test_failed_event_can_be_retried_later():
    db, endpoint = make_endpoint()
    db.execute("DROP TABLE ledger")
    deliver(endpoint, event("evt_1"))
    db.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, order_id TEXT, amount_cents INTEGER)")
    deliver(endpoint, event("evt_1"))
    assert ledger(db) == [("ord_1", 4200)]
    assert status(db, "ord_1") == "paid"
