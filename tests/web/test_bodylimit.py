"""The request-body limit: every route refuses a body over its limit with 413 `body_too_large`,
whether the size is declared up front or the body streams in chunks; uploads get their own,
larger limit, and the JSON cap is a setting."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hiresight.settings import Settings
from hiresight.web.bodylimit import MULTIPART_ALLOWANCE, BodySizeLimit
from tests.factories import bearer, make_user

CAP = 64 * 1024


async def _echo_length(request: Request) -> JSONResponse:
    return JSONResponse({"received": len(await request.body())})


def _small_app() -> TestClient:
    app = FastAPI(routes=[Route("/echo", _echo_length, methods=["POST"])])
    app.add_middleware(BodySizeLimit, settings=Settings(max_json_body_bytes=CAP))
    return TestClient(app)


def _chunks(total: int, size: int = 8192) -> Iterator[bytes]:
    while total > 0:
        yield b"x" * min(size, total)
        total -= size


def _is_body_too_large(response: object) -> bool:
    r = response
    return (
        getattr(r, "status_code", None) == 413 and r.json()["error"]["code"] == "body_too_large"  # type: ignore[attr-defined]
    )


def test_a_declared_body_over_the_cap_is_refused_unread() -> None:
    """Content-Length over the cap answers 413 before the app sees the request."""
    r = _small_app().post("/echo", content=b"x" * (CAP + 1))
    assert _is_body_too_large(r)
    assert r.json()["error"]["details"] == {"limit": CAP}


def test_a_chunked_body_over_the_cap_is_cut_off() -> None:
    """A body without Content-Length is counted as it streams and refused past the cap."""
    r = _small_app().post("/echo", content=_chunks(CAP * 4))
    assert _is_body_too_large(r)


def test_bodies_up_to_the_cap_pass() -> None:
    """A body of exactly the cap, declared or chunked, reaches the app whole."""
    client = _small_app()
    assert client.post("/echo", content=b"x" * CAP).json() == {"received": CAP}
    assert client.post("/echo", content=_chunks(CAP)).json() == {"received": CAP}


def test_every_route_of_the_app_has_the_json_cap(client: TestClient) -> None:
    """A 2 MiB JSON body to an ordinary route answers the standard 413 error body."""
    r = client.post(
        "/api/v1/candidates/me/profile/corrections",
        content=b'{"op": "add_skill", "name": "' + b"x" * (2 * 1024 * 1024) + b'"}',
        headers={"content-type": "application/json"},
    )
    assert _is_body_too_large(r)
    assert set(r.json()) == {"error"}


def test_a_large_code_review_draft_fits_under_the_json_cap(client: TestClient) -> None:
    """600 KB of JSON (more than the 512 KiB a draft may hold) still reaches the route."""
    r = client.post(
        "/api/v1/candidates/me/profile/corrections",
        content=b'{"op": "add_skill", "name": "' + b"x" * 600_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code != 413
    assert r.json()["error"]["code"] != "body_too_large"


def test_uploads_have_their_documented_maximum(client: TestClient, db: Session) -> None:
    """A résumé over 10 MB by a little gets the handler's `resume_too_large`; one far over,
    the middleware's `body_too_large`, before it is read."""
    headers = bearer(db, make_user(db))
    db.commit()
    url = "/api/v1/candidates/me/resume"
    slightly = b"Experience\n" + b"a" * (10 * 1024 * 1024)
    r = client.post(url, headers=headers, files={"file": ("cv.txt", slightly)})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "resume_too_large"
    far = b"a" * (10 * 1024 * 1024 + MULTIPART_ALLOWANCE + 1)
    r = client.post(url, headers=headers, files={"file": ("cv.txt", far)})
    assert _is_body_too_large(r)
