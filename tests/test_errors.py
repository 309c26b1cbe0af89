"""The JSON error body: a database refusal answers 422; every API error status is documented."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError

from hiresight.db import create_db_engine
from hiresight.errors import COMMON_RESPONSES, install_error_handlers


def _app_writing(engine: Engine, value: object) -> FastAPI:
    """An app whose one route hands `value` to the database as an integer."""
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/write")
    def write() -> dict[str, str]:
        with engine.connect() as conn:
            conn.execute(text("SELECT CAST(:v AS INTEGER)"), {"v": value})
        return {"status": "ok"}

    return app


@pytest.mark.postgres
def test_database_refusal_is_a_client_error(postgres_url: str) -> None:
    """A value the database refuses (DataError) answers 422 `invalid_data`, not 500.

    PostgreSQL refuses an integer out of range; SQLite stores any integer, so it has no case.
    """
    engine = create_db_engine(postgres_url)
    try:
        with TestClient(_app_writing(engine, 2**40), raise_server_exceptions=False) as client:
            r = client.post("/write")
    finally:
        engine.dispose()
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_data"


def test_data_error_handler_without_a_database() -> None:
    """The handler maps SQLAlchemy's DataError itself, whatever the driver's error under it."""
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise DataError("INSERT ...", {}, ValueError("NUL in text"))

    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/boom")
    assert r.status_code == 422
    assert r.json() == {
        "error": {
            "code": "invalid_data",
            "message": "The database cannot store a value in this request.",
            "details": None,
        }
    }


def test_every_api_operation_documents_the_common_error_statuses(client: TestClient) -> None:
    """Each /api/v1 operation lists 400-429 and 503 with the shared error body's schema."""
    document = client.get("/api/openapi.json").json()
    expected = {str(status) for status in COMMON_RESPONSES}
    operations = [
        (path, method, operation)
        for path, methods in document["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in methods.items()
    ]
    assert len(operations) >= 40
    for path, method, operation in operations:
        missing = expected - set(operation["responses"])
        assert not missing, f"{method.upper()} {path} does not document {sorted(missing)}"
        schema = operation["responses"]["422"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path)
