"""Hidden tests for the rate-limit middleware."""

import asyncio

from http_types import Request, Response
from ratelimit import RateLimitMiddleware


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


async def ok_app(request):
    return Response(200, {"path": request.path})


def make(limit, window=60.0):
    clock = FakeClock()
    return clock, RateLimitMiddleware(ok_app, limit=limit, window=window, clock=clock)


def call(limiter, key="key-a", ip="10.0.0.1"):
    headers = {"x-api-key": key} if key else {}
    return asyncio.run(limiter(Request("/v1/jobs", ip, headers)))


def test_requests_under_limit_pass_through():
    _, limiter = make(limit=3)
    assert [call(limiter).status for _ in range(3)] == [200, 200, 200]


def test_request_over_limit_is_blocked():
    _, limiter = make(limit=3)
    statuses = [call(limiter).status for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] != 200


def test_limit_of_one_allows_exactly_one():
    _, limiter = make(limit=1)
    statuses = [call(limiter).status for _ in range(2)]
    assert statuses[0] == 200 and statuses[1] != 200


def test_keys_are_limited_independently():
    _, limiter = make(limit=1)
    assert call(limiter, key="a").status == 200
    assert call(limiter, key="b").status == 200


def test_window_slides():
    clock, limiter = make(limit=2, window=10)
    for _ in range(4):
        call(limiter)
    clock.now += 10.5
    assert call(limiter).status == 200


def test_blocked_request_gets_429():
    _, limiter = make(limit=2)
    responses = [call(limiter) for _ in range(5)]
    assert responses[-1].status == 429
    assert responses[-1].body["error"] == "rate_limited"


def test_blocked_response_tells_client_when_to_retry():
    clock, limiter = make(limit=2, window=30)
    call(limiter)
    clock.now += 12
    for _ in range(3):
        response = call(limiter)
    assert response.status == 429
    assert response.headers["Retry-After"] == "18"


def test_idle_clients_are_forgotten():
    clock, limiter = make(limit=5, window=60)
    for n in range(200):
        call(limiter, key=None, ip=f"203.0.113.{n}")
    clock.now += 61
    call(limiter, key="returning")
    assert set(limiter.hits) == {"returning"}


def test_state_stays_bounded_with_rotating_clients():
    clock, limiter = make(limit=5, window=1)
    for n in range(500):
        call(limiter, key=None, ip=f"198.51.100.{n}")
        clock.now += 0.25
    assert len(limiter.hits) <= 10
