"""Invoice search for the finance back office."""

from app import App, Request

app = App()
SORT_COLUMNS = {"issued": "i.issued_at", "amount": "i.amount_cents", "customer": "c.name"}


@app.route("/invoices/search")
def search_invoices(request: Request) -> tuple[object, int]:
    args = request.args
    limit = int(args.get("limit", "50"))
    order_by = SORT_COLUMNS.get(args.get("sort", "issued"), "i.issued_at")

    sql = (
        "SELECT i.id, i.number, i.amount_cents, i.issued_at, c.name"
        " FROM invoices i JOIN customers c ON c.id = i.customer_id"
    )
    params: list[object] = []
    if "customer" in args:
        sql += f" WHERE c.name LIKE '%{args['customer']}%'"
    sql += f" ORDER BY {order_by} DESC LIMIT ?"
    params.append(limit)
    invoices = request.db.execute(sql, params).fetchall()

    results = []
    for invoice_id, number, amount_cents, issued_at, customer in invoices:
        lines = request.db.execute(
            "SELECT description, quantity, unit_cents FROM line_items"
            " WHERE invoice_id = ? ORDER BY id",
            (invoice_id,),
        ).fetchall()
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
