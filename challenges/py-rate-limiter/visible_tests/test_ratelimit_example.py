"""Example test the candidate may run."""

import asyncio

from http_types import Request, Response
from ratelimit import RateLimitMiddleware


async def hello(request):
    return Response(200, {"hello": request.client_ip})


def test_first_requests_pass_through_to_the_app():
    limiter = RateLimitMiddleware(hello, limit=2, window=60, clock=lambda: 5.0)
    response = asyncio.run(limiter(Request("/v1/ping", "192.0.2.7")))
    assert response.status == 200
    assert response.body == {"hello": "192.0.2.7"}
