"""Example test the candidate may run."""

import asyncio
import hashlib
import hmac
import json
import sqlite3

from starlette_lite import Request
from webhooks import SCHEMA, PaymentWebhook


def test_signed_payment_event_marks_order_paid():
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    db.execute("INSERT INTO orders (id, amount_cents) VALUES ('ord_7', 1500)")
    endpoint = PaymentWebhook(db, b"secret")
    body = json.dumps(
        {
            "id": "evt_7",
            "type": "payment.succeeded",
            "data": {"order_id": "ord_7", "amount_cents": 1500},
        }
    ).encode()
    signature = "sha256=" + hmac.new(b"secret", body, hashlib.sha256).hexdigest()
    response = asyncio.run(endpoint(Request({"X-Signature": signature}, body)))
    assert response.status_code == 200
    assert db.execute("SELECT status FROM orders WHERE id = 'ord_7'").fetchone() == ("paid",)
