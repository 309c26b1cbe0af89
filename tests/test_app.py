"""The app shell: health, readiness, metrics, request ids, OpenAPI, and the JSON error body."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from hiresight.errors import AppError


def _is_error_body(body: object, code: str) -> bool:
    return (
        isinstance(body, dict)
        and set(body) == {"error"}
        and body["error"]["code"] == code
        and isinstance(body["error"]["message"], str)
        and "details" in body["error"]
    )


def test_healthz(client: TestClient) -> None:
    """/healthz answers without touching the database."""
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_checks_the_database(client: TestClient) -> None:
    """/readyz reports the database as reachable."""
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["database"] == "ok"


def test_readyz_fails_when_the_database_is_gone(app: FastAPI, client: TestClient) -> None:
    """/readyz answers 503 with the error body when the database cannot be reached."""
    from hiresight.db import create_db_engine

    # Port 1 on loopback refuses at once: a database that is down.
    app.state.engine = create_db_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    r = client.get("/readyz")
    assert r.status_code == 503
    assert _is_error_body(r.json(), "not_ready")


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    """/metrics exposes request counts labelled by route template, not raw path."""
    client.get("/api/v1/jobs/12345")
    text = client.get("/metrics").text
    assert "hiresight_http_requests_total" in text
    assert 'route="/api/v1/jobs/{job_id}"' in text
    assert "/api/v1/jobs/12345" not in text


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    """A caller's X-Request-ID comes back; without one the server makes one."""
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    assert len(client.get("/healthz").headers["x-request-id"]) == 32


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    """The OpenAPI document is at /api/openapi.json and the docs at /api/docs."""
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/jobs" in spec["paths"]
    assert client.get("/api/docs").status_code == 200


def test_unknown_path_uses_the_error_body(client: TestClient) -> None:
    """404 for an unknown path is the JSON error body."""
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert _is_error_body(r.json(), "not_found")


def test_wrong_method_uses_the_error_body(client: TestClient) -> None:
    """405 is the JSON error body."""
    r = client.delete("/api/v1/jobs")
    assert r.status_code == 405
    assert _is_error_body(r.json(), "method_not_allowed")


def test_validation_error_uses_the_error_body(client: TestClient) -> None:
    """422 lists the invalid fields in `details`."""
    r = client.post("/api/v1/auth/signup", json={"email": "not-an-email"})
    assert r.status_code == 422
    body = r.json()
    assert _is_error_body(body, "validation_error")
    assert {tuple(d["loc"])[-1] for d in body["error"]["details"]} >= {"email", "password"}


def test_malformed_json_uses_the_error_body(client: TestClient) -> None:
    """A body that is not JSON answers 422 with the error body."""
    r = client.post(
        "/api/v1/auth/signup", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    assert _is_error_body(r.json(), "validation_error")


def test_unhandled_error_hides_the_trace(app: FastAPI, client: TestClient) -> None:
    """A bug answers 500 with the error body and no stack trace."""

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    r = client.get("/boom")
    assert r.status_code == 500
    assert _is_error_body(r.json(), "internal_error")
    assert "secret internal detail" not in r.text


def test_app_error_carries_its_code_and_status(app: FastAPI, client: TestClient) -> None:
    """An AppError raised anywhere becomes its status and stable code."""

    @app.get("/teapot")
    def teapot() -> None:
        raise AppError("short and stout", code="teapot", status_code=418, details={"x": 1})

    r = client.get("/teapot")
    assert r.status_code == 418
    assert r.json() == {
        "error": {"code": "teapot", "message": "short and stout", "details": {"x": 1}}
    }
