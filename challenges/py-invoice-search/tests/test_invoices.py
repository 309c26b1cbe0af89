"""Hidden tests for the invoice search view."""

import sqlite3

from invoices import app

CUSTOMERS = ["Acme Corp", "O'Connor Ltd", "Globex"]


def make_db(invoices_per_customer=3):
    db = sqlite3.connect(":memory:")
    db.executescript(
        """
        CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE invoices (id INTEGER PRIMARY KEY, number TEXT, customer_id INTEGER,
                               amount_cents INTEGER, issued_at TEXT);
        CREATE TABLE line_items (id INTEGER PRIMARY KEY, invoice_id INTEGER, description TEXT,
                                 quantity INTEGER, unit_cents INTEGER);
        """
    )
    invoice_id = 0
    for customer_id, name in enumerate(CUSTOMERS, start=1):
        db.execute("INSERT INTO customers VALUES (?, ?)", (customer_id, name))
        for _ in range(invoices_per_customer):
            invoice_id += 1
            db.execute(
                "INSERT INTO invoices VALUES (?, ?, ?, ?, ?)",
                (
                    invoice_id,
                    f"INV-{invoice_id:04d}",
                    customer_id,
                    1000 * invoice_id,
                    f"2024-05-{invoice_id % 28 + 1:02d}",
                ),
            )
            for k in range(2):
                db.execute(
                    "INSERT INTO line_items (invoice_id, description, quantity, unit_cents)"
                    " VALUES (?, ?, ?, ?)",
                    (invoice_id, f"item {k}", k + 1, 500 * invoice_id),
                )
    return db


def count_queries(db, args):
    statements = []
    db.set_trace_callback(statements.append)
    body, status = app.get("/invoices/search", args, db)
    db.set_trace_callback(None)
    assert status == 200
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")]), body


def test_customer_name_with_apostrophe_is_found():
    body, status = app.get("/invoices/search", {"customer": "O'Connor"}, make_db())
    assert status == 200
    assert body["count"] == 3
    assert {invoice["customer"] for invoice in body["invoices"]} == {"O'Connor Ltd"}


def test_injected_filter_does_not_widen_results():
    body, status = app.get("/invoices/search", {"customer": "' OR 1=1 OR c.name LIKE '"}, make_db())
    assert status == 200
    assert body["count"] == 0


def test_plain_customer_filter_matches_substring():
    body, status = app.get("/invoices/search", {"customer": "lobe"}, make_db())
    assert status == 200 and body["count"] == 3
    assert all(invoice["customer"] == "Globex" for invoice in body["invoices"])


def test_line_items_are_attached_to_their_invoice():
    body, _ = app.get("/invoices/search", {"sort": "amount", "limit": "2"}, make_db())
    first = body["invoices"][0]
    assert first["number"] == "INV-0009"
    assert first["lines"] == [
        {"description": "item 0", "quantity": 1, "unit_cents": 4500},
        {"description": "item 1", "quantity": 2, "unit_cents": 4500},
    ]


def test_query_count_does_not_grow_with_results():
    small, _ = count_queries(make_db(1), {})
    large, body = count_queries(make_db(10), {})
    assert body["count"] == 30
    assert large == small


def test_search_uses_at_most_two_queries():
    queries, body = count_queries(make_db(4), {"limit": "10"})
    assert body["count"] == 10
    assert queries <= 2


def test_non_numeric_limit_is_rejected():
    _, status = app.get("/invoices/search", {"limit": "ten"}, make_db())
    assert status == 400


def test_huge_limit_is_rejected():
    _, status = app.get("/invoices/search", {"limit": "1000000"}, make_db())
    assert status == 400


def test_zero_limit_is_rejected():
    _, status = app.get("/invoices/search", {"limit": "0"}, make_db())
    assert status == 400


def test_default_limit_returns_everything_small():
    body, status = app.get("/invoices/search", {}, make_db())
    assert status == 200 and body["count"] == 9
