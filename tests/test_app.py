"""The app shell: health, readiness, metrics, request ids, OpenAPI, and the JSON error body."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session

from hiresight.app import create_app
from hiresight.errors import AppError
from hiresight.interviews.config import DEFAULT_TEMPLATE
from hiresight.overload import InFlightLimit
from hiresight.settings import Settings
from tests.factories import PASSWORD, bearer, make_user


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


def test_readyz_checks_the_database(app: FastAPI, client: TestClient) -> None:
    """/readyz reports the database as reachable."""
    app.state.recs_warm_up.join(120)  # until then it answers 503 (tests/matching/test_warm_up)
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


def test_the_docs_page_loads_swagger_ui_from_this_server(client: TestClient) -> None:
    """Every asset of /api/docs is a local path, so the page works without the internet."""
    html = client.get("/api/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("/swagger-ui-bundle.js") for a in assets)
    assert assets
    assert all(a.startswith("/static/vendor/swagger-ui/") for a in assets)
    assert "http://" not in html
    assert "https://" not in html


def test_the_pages_quote_the_interview_length_of_the_default_template(
    client: TestClient, db: Session
) -> None:
    """The landing and interviews pages give the sum of the default stages' time limits."""
    minutes = f"{sum(s.minutes for s in DEFAULT_TEMPLATE.stages):g}"
    assert f"take a {minutes}-minute interview" in client.get("/").text
    make_user(db, email="len@example.com")
    db.commit()
    client.get("/login")
    client.post(
        "/login",
        data={
            "email": "len@example.com",
            "password": PASSWORD,
            "csrf_token": client.cookies["hs_csrf"],
        },
    )
    assert f"About {minutes} minutes:" in client.get("/candidate/interviews").text


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


def _busy_app(settings: Settings, **overrides: object) -> FastAPI:
    """An app whose /slow route holds its request until `app.state.release` is set."""
    application = create_app(settings.model_copy(update=overrides))
    application.state.release = threading.Event()
    application.state.entered = threading.Semaphore(0)

    @application.get("/slow")
    def slow() -> dict[str, bool]:
        application.state.entered.release()
        return {"released": application.state.release.wait(20)}

    return application


def test_requests_past_the_in_flight_cap_answer_503_at_once(settings: Settings) -> None:
    """With the cap reached and no queue, a request is answered 503 server_busy with
    Retry-After at once, /healthz still answers, and once the requests in flight finish the
    next one is served."""
    application = _busy_app(
        settings, max_requests_in_flight=2, max_requests_queued=0, busy_retry_after=3
    )
    with TestClient(application, raise_server_exceptions=False) as c, ThreadPoolExecutor(2) as pool:
        held = [pool.submit(c.get, "/slow") for _ in range(2)]
        assert application.state.entered.acquire(timeout=20)
        assert application.state.entered.acquire(timeout=20)
        started = time.perf_counter()
        r = c.get("/api/v1/interview-templates/default")
        assert time.perf_counter() - started < 1.0
        assert r.status_code == 503
        assert r.headers["retry-after"] == "3"
        assert _is_error_body(r.json(), "server_busy")
        assert c.get("/healthz").status_code == 200
        application.state.release.set()
        assert [f.result(timeout=20).status_code for f in held] == [200, 200]
        assert c.get("/api/v1/interview-templates/default").status_code == 200
    application.state.engine.dispose()


def _in_flight_limit(application: FastAPI) -> InFlightLimit:
    """The app's in-flight cap, from its middleware stack (built when the client starts)."""
    layer = application.middleware_stack
    while not isinstance(layer, InFlightLimit):
        layer = layer.app  # type: ignore[union-attr]
    return layer


def test_a_request_past_the_cap_waits_in_the_queue_for_a_slot(settings: Settings) -> None:
    """Past the cap a request waits for a slot and is then served; with the queue full the
    next one is answered 503 at once; a wait longer than the queue's time is a 503 too."""
    application = _busy_app(
        settings, max_requests_in_flight=1, max_requests_queued=1, request_queue_seconds=30
    )
    with TestClient(application, raise_server_exceptions=False) as c, ThreadPoolExecutor(2) as pool:
        held = pool.submit(c.get, "/slow")
        assert application.state.entered.acquire(timeout=20)
        limit = _in_flight_limit(application)
        queued = pool.submit(c.get, "/api/v1/interview-templates/default")
        for _ in range(2000):
            if limit.queued:
                break
            time.sleep(0.01)
        assert limit.queued == 1
        r = c.get("/api/v1/interview-templates/default")  # the queue is full
        assert r.status_code == 503
        assert _is_error_body(r.json(), "server_busy")
        assert not queued.done()
        application.state.release.set()
        assert held.result(timeout=20).status_code == 200
        assert queued.result(timeout=20).status_code == 200
        assert (limit.in_flight, limit.queued) == (0, 0)
    application.state.engine.dispose()

    application = _busy_app(
        settings, max_requests_in_flight=1, max_requests_queued=5, request_queue_seconds=0.2
    )
    with TestClient(application, raise_server_exceptions=False) as c, ThreadPoolExecutor(1) as pool:
        held = pool.submit(c.get, "/slow")
        assert application.state.entered.acquire(timeout=20)
        r = c.get("/api/v1/interview-templates/default")
        assert r.status_code == 503
        assert r.headers["retry-after"] == "2"
        application.state.release.set()
        assert held.result(timeout=20).status_code == 200
        assert _in_flight_limit(application).in_flight == 0
    application.state.engine.dispose()


def test_a_pool_timeout_answers_503_server_busy(app: FastAPI, client: TestClient) -> None:
    """Waiting too long for a database connection is a retryable 503, not a 500."""

    @app.get("/pool-timeout")
    def pool_timeout() -> None:
        raise PoolTimeoutError("QueuePool limit of size 40 overflow 10 reached")

    r = client.get("/pool-timeout")
    assert r.status_code == 503
    assert _is_error_body(r.json(), "server_busy")
    assert r.headers["retry-after"] == "2"


def test_a_locked_sqlite_database_answers_503_and_other_database_errors_500(
    app: FastAPI, client: TestClient
) -> None:
    """SQLite's "database is locked" is retryable (503); any other database error stays 500."""

    @app.get("/locked")
    def locked() -> None:
        raise OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))

    @app.get("/broken")
    def broken() -> None:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))

    assert client.get("/locked").status_code == 503
    r = client.get("/broken")
    assert r.status_code == 500
    assert _is_error_body(r.json(), "internal_error")


def test_a_burst_of_saves_becomes_latency_or_503s_not_a_deadlock(
    client: TestClient, db: Session
) -> None:
    """120 saves at once (more than the thread pool's 40 threads): each is answered within
    seconds with 200, 409 or 503. A request used to hold its connection across thread hops,
    so every thread waited for a connection while the holders waited for a thread."""
    user = make_user(db, email="burst@example.com")
    headers = bearer(db, user)
    db.commit()
    interview = client.post("/api/v1/interviews", headers=headers, json={}).json()
    attempt = client.post(
        f"/api/v1/interviews/{interview['id']}/stages/behavioral/start", headers=headers
    ).json()
    url = f"/api/v1/attempts/{attempt['id']}/draft"

    def save(revision: int) -> int:
        body = {"revision": revision, "draft": {"b1": "x" * 1500}}
        return client.put(url, headers=headers, json=body).status_code

    started = time.monotonic()
    with ThreadPoolExecutor(120) as pool:
        codes = list(pool.map(save, range(1, 121)))
    assert time.monotonic() - started < 20
    assert set(codes) <= {200, 409, 503}
    assert 200 in codes
    assert client.put(url, headers=headers, json={"revision": 500, "draft": {}}).status_code == 200


def test_security_headers_wrap_the_whole_app(client: TestClient) -> None:
    """Health checks and validation errors carry the security headers too (outermost layer)."""
    for r in (client.get("/healthz"), client.post("/api/v1/auth/tokens", json={})):
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
