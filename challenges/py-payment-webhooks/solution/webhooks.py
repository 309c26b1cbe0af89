"""Receives payment-provider webhooks and settles orders."""

import hashlib
import hmac
import json
import logging
import sqlite3

from starlette_lite import JSONResponse, Request

logger = logging.getLogger("payments.webhooks")
HANDLED_EVENTS = {"payment.succeeded"}

SCHEMA = """
CREATE TABLE orders (id TEXT PRIMARY KEY, amount_cents INTEGER, status TEXT DEFAULT 'pending');
CREATE TABLE ledger (id INTEGER PRIMARY KEY, order_id TEXT, amount_cents INTEGER);
CREATE TABLE processed_events (event_id TEXT PRIMARY KEY);
"""


class PaymentWebhook:
    def __init__(self, db: sqlite3.Connection, signing_secret: bytes) -> None:
        self.db = db
        self.signing_secret = signing_secret

    def _signature_ok(self, header: str | None, payload: bytes) -> bool:
        if not header or not header.startswith("sha256="):
            return False
        expected = hmac.new(self.signing_secret, payload, hashlib.sha256).hexdigest()
        return hmac.compare_digest(header.removeprefix("sha256="), expected)

    async def __call__(self, request: Request) -> JSONResponse:
        payload = await request.body()
        if not self._signature_ok(request.headers.get("x-signature"), payload):
            return JSONResponse({"error": "invalid_signature"}, status_code=401)

        event = json.loads(payload)
        if event["type"] not in HANDLED_EVENTS:
            return JSONResponse({"status": "ignored"}, status_code=200)

        try:
            # One transaction: the ledger row and the order status change together.
            with self.db:
                inserted = self.db.execute(
                    "INSERT OR IGNORE INTO processed_events (event_id) VALUES (?)", (event["id"],)
                ).rowcount
                if inserted:
                    self._settle(event["data"])
        except Exception:
            logger.exception(
                "failed to process payment event %s for order %s",
                event.get("id"),
                event.get("data", {}).get("order_id"),
            )
            return JSONResponse({"error": "processing_failed"}, status_code=500)
        return JSONResponse({"status": "processed"})

    def _settle(self, payment: dict[str, object]) -> None:
        order = self.db.execute(
            "SELECT id, amount_cents FROM orders WHERE id = ?", (payment["order_id"],)
        ).fetchone()
        if order is None:
            raise LookupError(f"unknown order {payment['order_id']}")
        self.db.execute(
            "INSERT INTO ledger (order_id, amount_cents) VALUES (?, ?)",
            (order[0], payment["amount_cents"]),
        )
        self.db.execute("UPDATE orders SET status = 'paid' WHERE id = ?", (order[0],))
