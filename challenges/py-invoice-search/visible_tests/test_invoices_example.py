"""Example tests the candidate may run."""

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


def test_plain_customer_filter_matches_substring():
    body, status = app.get("/invoices/search", {"customer": "lobe"}, make_db())
    assert status == 200 and body["count"] == 3
    assert all(invoice["customer"] == "Globex" for invoice in body["invoices"])
