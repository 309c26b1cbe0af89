"""Example tests the candidate may run."""

import sqlite3

from orders import router
from web import Request


def test_customer_with_two_orders_sees_both_newest_first():
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id TEXT,"
        " total_cents INTEGER, placed_at TEXT)"
    )
    db.execute("INSERT INTO orders VALUES (1, 'c-9', 1200, '2024-01-01T09:00:00Z')")
    db.execute("INSERT INTO orders VALUES (2, 'c-9', 800, '2024-01-02T09:00:00Z')")
    response = router.dispatch(Request("GET", "/customers/c-9/orders", {}, {"db": db}))
    assert response.status == 200
    assert [item["id"] for item in response.body["items"]] == [2, 1]
