"""Structured JSON logs with request ids, and Prometheus metrics."""

from __future__ import annotations

import logging
import sys
import time
import uuid

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_KEY = REQUEST_ID_HEADER.lower().encode()


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    """Route structlog and stdlib logging through one renderer (JSON lines by default)."""
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )


class Metrics:
    """The app's Prometheus metrics, in a registry of its own so that apps in tests don't clash."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "hiresight_http_requests_total",
            "HTTP requests by route template, method and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "hiresight_http_request_seconds",
            "HTTP request latency by route template.",
            ["method", "route"],
            registry=self.registry,
        )


def _route_template(scope: Scope) -> str:
    """The matched route as a template ("/api/v1/jobs/{job_id}"), or "unmatched".

    Labels use templates, never raw paths, to bound label cardinality. Included routers keep
    only their own suffix in `route.path`, so the template is rebuilt from the path and the
    matched path parameters.
    """
    if scope.get("route") is None:
        return "unmatched"
    names = {str(v): k for k, v in scope.get("path_params", {}).items()}
    parts = [f"{{{names[p]}}}" if p in names else p for p in scope["path"].split("/")]
    return "/".join(parts)


def _request_id(scope: Scope) -> str:
    """The caller's X-Request-ID when it is short and printable, else a new one."""
    for name, value in scope["headers"]:
        if name == _REQUEST_ID_KEY:
            incoming: str = value.decode("latin-1")
            if 0 < len(incoming) <= 64 and incoming.isprintable():
                return incoming
            break
    return uuid.uuid4().hex


class RequestContext:
    """ASGI middleware: a request id on every log line and response, plus request metrics.

    A plain ASGI middleware, not `@app.middleware("http")`: that one wraps every response in a
    streaming bridge and a task of its own, which cost about a millisecond of CPU per request.
    """

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self.log = structlog.get_logger("hiresight.http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # The outermost error handler answers 500; count it here, where the route is known.
            self.metrics.requests.labels(scope["method"], _route_template(scope), "500").inc()
            raise
        elapsed = time.perf_counter() - started
        route = _route_template(scope)
        self.metrics.requests.labels(scope["method"], route, str(status)).inc()
        self.metrics.latency.labels(scope["method"], route).observe(elapsed)
        self.log.info(
            "request",
            method=scope["method"],
            path=scope["path"],
            status=status,
            ms=round(elapsed * 1000, 1),
        )
