"""Login throttling: per (account, address) and per address, growing delays, no lock-outs."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.types import Receive, Scope, Send
from uvicorn import Config

from hiresight.accounts import throttle
from hiresight.cli import proxy_options
from hiresight.db import utcnow
from hiresight.settings import Settings
from tests.factories import PASSWORD, make_user

ATTACKER = "203.0.113.7"
VICTIM = "198.51.100.20"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings with a small per-address cap, so that spraying tests stay short."""
    return settings.model_copy(update={"login_max_failures_per_ip": 12})


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The throttle's clock, frozen until the test advances it."""
    fake = Clock()
    monkeypatch.setattr(throttle, "utcnow", fake)
    return fake


AddressedClient = Callable[[str], TestClient]


@pytest.fixture
def from_address(app: FastAPI, client: TestClient) -> Iterator[AddressedClient]:
    """A factory of clients whose connections come from a given address."""
    opened: list[TestClient] = []

    def make(address: str) -> TestClient:
        c = TestClient(app, raise_server_exceptions=False, client=(address, 40000))
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.close()


def _token(c: TestClient, email: str, password: str) -> httpx.Response:
    return c.post("/api/v1/auth/tokens", json={"email": email, "password": password})


def test_a_clean_address_logs_in_after_20_failures_elsewhere(
    from_address: AddressedClient, db: Session, clock: Clock
) -> None:
    """An attacker's 20 wrong passwords do not lock the owner out: their address is not slowed."""
    make_user(db, email="victim@example.com")
    db.commit()
    attacker, victim = from_address(ATTACKER), from_address(VICTIM)
    codes = {_token(attacker, "victim@example.com", "guess-1234").status_code for _ in range(20)}
    assert codes == {401, 429}
    r = _token(victim, "victim@example.com", PASSWORD)
    assert r.status_code == 201
    # The attacker is still slowed after the owner's login: a success clears only its own address.
    assert _token(attacker, "victim@example.com", PASSWORD).status_code == 429


def test_a_failing_address_waits_longer_after_each_failure(
    from_address: AddressedClient, db: Session, clock: Clock
) -> None:
    """After 5 failures the address gets 429 with a Retry-After that doubles per failure."""
    make_user(db, email="victim@example.com")
    db.commit()
    attacker = from_address(ATTACKER)
    for _ in range(5):
        assert _token(attacker, "victim@example.com", "guess-1234").status_code == 401
    waits = []
    for _ in range(4):
        refused = _token(attacker, "victim@example.com", PASSWORD)
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        waits.append(int(refused.headers["retry-after"]))
        clock.advance(waits[-1])
        assert _token(attacker, "victim@example.com", "guess-1234").status_code == 401
    assert waits == [1, 2, 4, 8]


def test_the_wait_is_capped(from_address: AddressedClient, db: Session, clock: Clock) -> None:
    """However many failures, Retry-After never exceeds HIRESIGHT_LOGIN_MAX_DELAY_SECONDS."""
    make_user(db, email="victim@example.com")
    db.commit()
    attacker = from_address(ATTACKER)
    waits = []
    for _ in range(20):
        r = _token(attacker, "victim@example.com", "guess-1234")
        if r.status_code == 429:
            waits.append(int(r.headers["retry-after"]))
            clock.advance(waits[-1])
            assert _token(attacker, "victim@example.com", "guess-1234").status_code == 401
    assert waits[:3] == [1, 2, 4]
    assert max(waits) == waits[-1] == 900


def test_the_right_password_from_the_failing_address_works_once_the_wait_is_over(
    from_address: AddressedClient, db: Session, clock: Clock
) -> None:
    """The delay is a wait, not a lock: after Retry-After the right password signs in."""
    make_user(db, email="owner@example.com")
    db.commit()
    typo = from_address(VICTIM)
    for _ in range(5):
        _token(typo, "owner@example.com", "typo-typo-typo")
    r = _token(typo, "owner@example.com", PASSWORD)
    assert r.status_code == 429
    clock.advance(int(r.headers["retry-after"]))
    assert _token(typo, "owner@example.com", PASSWORD).status_code == 201


def test_spraying_many_accounts_from_one_address_is_capped(
    from_address: AddressedClient, db: Session, clock: Clock
) -> None:
    """After the per-address cap of failures over many accounts, that address waits, even for
    an account it never tried; other addresses do not."""
    make_user(db, email="fresh@example.com")
    db.commit()
    sprayer = from_address(ATTACKER)
    for n in range(12):
        assert _token(sprayer, f"user{n}@example.com", "Winter-2026!").status_code == 401
    assert _token(sprayer, "fresh@example.com", PASSWORD).status_code == 429
    assert _token(from_address(VICTIM), "fresh@example.com", PASSWORD).status_code == 201


def test_the_login_page_is_throttled_the_same_way(
    from_address: AddressedClient, db: Session, clock: Clock
) -> None:
    """The login form answers 429 with Retry-After, and shows the message."""
    make_user(db, email="victim@example.com")
    db.commit()
    attacker = from_address(ATTACKER)
    attacker.get("/login")
    csrf = attacker.cookies.get("hs_csrf")
    form = {"email": "victim@example.com", "password": "guess-1234", "csrf_token": csrf}
    for _ in range(5):
        assert attacker.post("/login", data=form).status_code == 401
    r = attacker.post("/login", data=form)
    assert r.status_code == 429
    assert r.headers["retry-after"] == "1"
    assert "Too many failed logins" in r.text


def _address_seen(settings: Settings, forwarded_for: str) -> str:
    """The address the app sees for a request from 127.0.0.1, served as `hiresight serve` does."""
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["client"][0])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    config = Config(app, log_config=None, **proxy_options(settings))
    config.load()
    transport = httpx.ASGITransport(app=config.loaded_app, client=("127.0.0.1", 5000))

    async def call() -> None:
        async with httpx.AsyncClient(transport=transport, base_url="http://x") as c:
            await c.get("/", headers={"X-Forwarded-For": forwarded_for})

    asyncio.run(call())
    return seen[0]


def test_by_default_x_forwarded_for_cannot_choose_the_address() -> None:
    """With no proxy configured, a rotating X-Forwarded-For leaves the connection's address."""
    settings = Settings(env="test")
    assert {_address_seen(settings, f"10.0.0.{n}") for n in range(5)} == {"127.0.0.1"}


def test_a_configured_proxy_is_believed() -> None:
    """HIRESIGHT_FORWARDED_ALLOW_IPS names the proxy whose X-Forwarded-For is used."""
    settings = Settings(env="test", forwarded_allow_ips="127.0.0.1")
    assert _address_seen(settings, "10.0.0.9") == "10.0.0.9"
