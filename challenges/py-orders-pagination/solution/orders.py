"""Customer order history endpoints."""

import sqlite3

from web import JSONResponse, Request, Router

router = Router()
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def _int_param(request: Request, name: str, default: int) -> int | None:
    raw = request.query.get(name)
    if raw is None:
        return default
    return int(raw) if raw.isdigit() else None


@router.get("/customers/{customer_id}/orders")
def list_orders(request: Request, customer_id: str) -> JSONResponse:
    db: sqlite3.Connection = request.state["db"]
    page = _int_param(request, "page", 1)
    per_page = _int_param(request, "per_page", DEFAULT_PER_PAGE)
    if page is None or per_page is None or page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        return JSONResponse({"error": "invalid_pagination"}, status=400)

    (total,) = db.execute(
        "SELECT COUNT(*) FROM orders WHERE customer_id = ?", (customer_id,)
    ).fetchone()
    offset = (page - 1) * per_page
    rows = db.execute(
        "SELECT id, total_cents, placed_at FROM orders WHERE customer_id = ?"
        " ORDER BY placed_at DESC, id DESC LIMIT ? OFFSET ?",
        (customer_id, per_page, offset),
    ).fetchall()

    total_pages = -(-total // per_page)  # ceiling division
    return JSONResponse(
        {
            "items": [{"id": row[0], "total_cents": row[1], "placed_at": row[2]} for row in rows],
            "page": page,
            "per_page": per_page,
            "total": total,
            "total_pages": total_pages,
            "has_next": page < total_pages,
        }
    )
