"""Invoice search for the finance back office."""

from app import App, Request

app = App()
SORT_COLUMNS = {"issued": "i.issued_at", "amount": "i.amount_cents", "customer": "c.name"}


@app.route("/invoices/search")
def search_invoices(request: Request) -> tuple[object, int]:
    args = request.args
    raw_limit = args.get("limit", "50")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 200:
        return {"error": "limit must be an integer between 1 and 200"}, 400
    limit = int(raw_limit)
    order_by = SORT_COLUMNS.get(args.get("sort", "issued"), "i.issued_at")

    sql = (
        "SELECT i.id, i.number, i.amount_cents, i.issued_at, c.name"
        " FROM invoices i JOIN customers c ON c.id = i.customer_id"
    )
    params: list[object] = []
    if "customer" in args:
        sql += " WHERE c.name LIKE ?"
        params.append(f"%{args['customer']}%")
    sql += f" ORDER BY {order_by} DESC LIMIT ?"
    params.append(limit)
    invoices = request.db.execute(sql, params).fetchall()

    results = []
    lines_by_invoice: dict[int, list[tuple[str, int, int]]] = {}
    ids = [row[0] for row in invoices]
    if ids:
        placeholders = ",".join("?" * len(ids))
        for invoice_id, description, quantity, unit_cents in request.db.execute(
            "SELECT invoice_id, description, quantity, unit_cents FROM line_items"
            f" WHERE invoice_id IN ({placeholders}) ORDER BY id",
            ids,
        ):
            lines_by_invoice.setdefault(invoice_id, []).append((description, quantity, unit_cents))
    for invoice_id, number, amount_cents, issued_at, customer in invoices:
        lines = lines_by_invoice.get(invoice_id, [])
        results.append(
            {
                "number": number,
                "customer": customer,
                "amount_cents": amount_cents,
                "issued_at": issued_at,
                "lines": [{"description": d, "quantity": q, "unit_cents": u} for d, q, u in lines],
            }
        )
    return {"invoices": results, "count": len(results)}, 200
