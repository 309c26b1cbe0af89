"""Hidden tests for the order history endpoint."""

import sqlite3

from orders import router
from web import Request


def make_db(count, customer_id="c-1"):
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id TEXT,"
        " total_cents INTEGER, placed_at TEXT)"
    )
    for i in range(1, count + 1):
        db.execute(
            "INSERT INTO orders VALUES (?, ?, ?, ?)",
            (i, customer_id, 100 * i, f"2024-03-{i:02d}T10:00:00Z"),
        )
    db.execute("INSERT INTO orders VALUES (999, 'other', 5, '2024-04-01T00:00:00Z')")
    return db


def get(db, customer_id="c-1", **query):
    request = Request(
        "GET", f"/customers/{customer_id}/orders", {k: str(v) for k, v in query.items()}, {"db": db}
    )
    return router.dispatch(request)


def test_first_page_starts_with_newest_order():
    response = get(make_db(25), page=1, per_page=10)
    assert response.status == 200
    assert [item["id"] for item in response.body["items"]] == list(range(25, 15, -1))


def test_second_page_starts_after_first():
    response = get(make_db(25), page=2, per_page=10)
    assert [item["id"] for item in response.body["items"]] == list(range(15, 5, -1))


def test_single_order_is_listed():
    response = get(make_db(1))
    assert [item["id"] for item in response.body["items"]] == [1]


def test_partial_last_page_is_counted():
    body = get(make_db(25), page=2, per_page=10).body
    assert body["total"] == 25
    assert body["total_pages"] == 3
    assert body["has_next"] is True


def test_fewer_orders_than_a_page_is_one_page():
    body = get(make_db(3), per_page=10).body
    assert body["total_pages"] == 1
    assert body["has_next"] is False


def test_exact_multiple_has_no_extra_page():
    body = get(make_db(20), page=2, per_page=10).body
    assert body["total_pages"] == 2
    assert body["has_next"] is False


def test_page_zero_is_a_client_error():
    response = get(make_db(5), page=0)
    assert response.status in (400, 422)
    assert response.body["error"] == "invalid_pagination"


def test_oversized_per_page_is_a_client_error():
    response = get(make_db(5), per_page=1000)
    assert response.status in (400, 422)


def test_non_numeric_page_is_a_client_error_not_a_crash():
    response = get(make_db(5), page="two")
    assert response.status in (400, 404, 422)


def test_unknown_customer_has_empty_history():
    body = get(make_db(5), customer_id="nobody").body
    assert body["items"] == [] and body["total"] == 0 and body["total_pages"] == 0
