"""The FastAPI application factory: `hiresight.app:create_app`."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from hiresight import __version__, models
from hiresight.accounts.api import router as accounts_router
from hiresight.accounts.pages import router as account_pages_router
from hiresight.appeals.api import router as appeals_router
from hiresight.appeals.pages import router as appeals_pages_router
from hiresight.errors import COMMON_RESPONSES, error_body, install_error_handlers
from hiresight.fairness.api import router as fairness_router
from hiresight.fairness.pages import router as fairness_pages_router
from hiresight.interviews.api import router as interviews_router
from hiresight.interviews.api import work_router
from hiresight.interviews.config import DEFAULT_TEMPLATE
from hiresight.interviews.pages import router as interview_pages_router
from hiresight.interviews.voice.api import router as voice_router
from hiresight.jobs.api import router as jobs_router
from hiresight.jobs.pages import router as job_pages_router
from hiresight.matching import live as live_recommender
from hiresight.matching.api import router as matching_router
from hiresight.matching.monitoring import RecsCollector
from hiresight.matching.pages import router as matching_pages_router
from hiresight.observability import Metrics, RequestContext, configure_logging
from hiresight.overload import install_load_shedding
from hiresight.partners.api import keys_router as partner_keys_router
from hiresight.partners.api import router as partner_router
from hiresight.partners.pages import router as partner_pages_router
from hiresight.privacy.api import router as privacy_router
from hiresight.privacy.pages import router as privacy_pages_router
from hiresight.profiles.api import router as profiles_router
from hiresight.profiles.filetypes import MAX_RESUME_BYTES
from hiresight.profiles.pages import router as profile_pages_router
from hiresight.profiles.service import MAX_PORTFOLIO_BYTES
from hiresight.review.api import router as scorecards_router
from hiresight.review.pages import router as console_pages_router
from hiresight.runtime import build_root
from hiresight.settings import Settings, get_settings
from hiresight.storable import refuse_unstorable_input
from hiresight.takehome.api import (
    MAX_ASSIGNMENT_UPLOAD_BYTES,
    MAX_SUBMISSION_UPLOAD_BYTES,
)
from hiresight.takehome.api import router as takehome_router
from hiresight.takehome.pages import router as takehome_pages_router
from hiresight.tasks import service as tasks
from hiresight.tasks.runtime import freeze_after
from hiresight.web.bodylimit import BodySizeLimit
from hiresight.web.pages import install_page_handlers, templates
from hiresight.web.security_headers import SecurityHeadersMiddleware
from hiresight.webhooks.api import router as webhooks_router
from hiresight.webhooks.pages import router as webhook_pages_router

STATIC_DIR = Path(__file__).parent / "web" / "static"
# Swagger UI's assets, copied from npm by `make vendor`: a self-hosted install works offline.
SWAGGER_UI = "/static/vendor/swagger-ui"
# The upload routes and their documented file maximum; the body limit adds the multipart envelope.
UPLOAD_LIMITS = {
    "/api/v1/candidates/me/resume": MAX_RESUME_BYTES,
    "/candidate/profile/resume": MAX_RESUME_BYTES,
    "/api/v1/candidates/me/portfolio": MAX_PORTFOLIO_BYTES,
    "/candidate/profile/portfolio": MAX_PORTFOLIO_BYTES,
    "/api/v1/takehomes": MAX_ASSIGNMENT_UPLOAD_BYTES,
    "/api/v1/candidates/me/takehome-versions": MAX_SUBMISSION_UPLOAD_BYTES,
    "/recruiter/takehomes": MAX_ASSIGNMENT_UPLOAD_BYTES,
    "/candidate/takehomes/upload": MAX_SUBMISSION_UPLOAD_BYTES,
}


@functools.cache
def api_router() -> APIRouter:
    """Every REST router, mounted under /api/v1.

    Built once per process: FastAPI prepares an included router's routes (their parameter and
    response fields) on the router object, and a fresh one per app cost about 0.16 s of every
    `create_app`. The routers hold no per-app state; each app reads its own from `app.state`."""
    router = APIRouter(prefix="/api/v1", responses=COMMON_RESPONSES)
    router.include_router(accounts_router)
    router.include_router(jobs_router)
    router.include_router(profiles_router)
    router.include_router(interviews_router)
    router.include_router(appeals_router)
    router.include_router(voice_router)
    router.include_router(scorecards_router)
    router.include_router(matching_router)
    router.include_router(work_router)
    router.include_router(takehome_router)
    router.include_router(webhooks_router)
    router.include_router(privacy_router)
    router.include_router(fairness_router)
    router.include_router(partner_keys_router)
    return router


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: storage, routes, error handling, logs and metrics."""
    # The composition root: engine, embeddings default, AI provider, task backend and final
    # hooks all come from these one settings (see hiresight.runtime).
    root = build_root(settings or get_settings())
    settings = root.settings
    configure_logging(settings.log_level, json=settings.log_json)
    engine = root.engine
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        background = root.background()
        background.freeze_when_warm = False  # frozen below, after the recommender's warm-up too
        runtime = background.start()
        app.state.runtime = runtime
        # Index, model and embedder loaded now, so the first "Jobs for you" does not pay for it.
        app.state.recs_warm_up = live_recommender.start_warm_up(
            str(engine.url), root.session_factory
        )
        app.state.gc_freeze = freeze_after(runtime.wait_warm, app.state.recs_warm_up.join)
        yield
        runtime.stop()
        tasks.wait(60)  # let in-process background work finish before the engine goes
        # A warm-up still holding a connection would hand it back to the disposed pool, which
        # leaves it open until the garbage collector finds it.
        app.state.recs_warm_up.join(timeout=60)
        app.state.engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="Hiresight",
        version=__version__,
        description="Self-hosted AI screening interviews and talent matching.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served below from local assets, not the default CDN
        redoc_url=None,
        dependencies=[Depends(refuse_unstorable_input)],
    )
    app.state.root = root
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = root.session_factory
    # The whole schema, every domain's tables: candidate-rights export and erasure walk it.
    app.state.schema = models.Base.metadata
    app.state.metrics = metrics

    install_error_handlers(app)
    live_recommender.configure(str(engine.url), settings)
    metrics.registry.register(RecsCollector(lambda: live_recommender.monitor_for(str(engine.url))))
    root.tasks()
    install_page_handlers(app)
    # The interview length the pages quote: the default template's stage time limits, summed.
    templates.env.globals["interview_minutes"] = f"{DEFAULT_TEMPLATE.total_minutes:g}"
    install_load_shedding(
        app,
        limit=settings.max_requests_in_flight,
        retry_after=settings.busy_retry_after,
        queue=settings.max_requests_queued,
        queue_wait=settings.request_queue_seconds,
    )
    # Before the in-flight cap; logged.
    app.add_middleware(BodySizeLimit, settings=settings, upload_limits=UPLOAD_LIMITS)
    app.add_middleware(RequestContext, metrics=metrics)  # outside the cap: 503s are counted
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: every answer gets the headers
    app.include_router(api_router())
    app.include_router(partner_router)
    app.include_router(account_pages_router)
    app.include_router(job_pages_router)
    app.include_router(profile_pages_router)
    app.include_router(interview_pages_router)
    app.include_router(appeals_pages_router)
    app.include_router(console_pages_router)
    app.include_router(matching_pages_router)
    app.include_router(takehome_pages_router)
    app.include_router(webhook_pages_router)
    app.include_router(privacy_pages_router)
    app.include_router(fairness_pages_router)
    app.include_router(partner_pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    api_docs_css = (STATIC_DIR / "api-docs.css").read_text()

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="Hiresight API",
            swagger_js_url=f"{SWAGGER_UI}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_UI}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_UI}/favicon-32x32.png",
        )
        # FastAPI's page names no language, and Swagger UI's badges lack contrast (WCAG 3.1.1,
        # 1.4.3): a lang attribute, and our darker colours after its stylesheet (inline, so
        # every asset the page loads is still Swagger UI's own).
        html = bytes(page.body).decode().replace("<html>", '<html lang="en">', 1)
        return HTMLResponse(html.replace("</head>", f"<style>{api_docs_css}</style>\n</head>", 1))

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz(request: Request) -> JSONResponse:
        try:
            with request.app.state.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            return JSONResponse(
                error_body("not_ready", "The database is not reachable."), status_code=503
            )
        runtime = getattr(request.app.state, "runtime", None)
        scoring_state = runtime.warm_state if runtime is not None else "off"
        recs = live_recommender.readiness(str(engine.url))
        state = {"database": "ok", "scoring": scoring_state, "recommender": recs.state,
                 "recommender_ranker": recs.ranker}  # fmt: skip
        if recs.hold:  # its first "Jobs for you" would take seconds: no traffic yet
            return JSONResponse(
                error_body("not_ready", "The recommender is warming up.", state), status_code=503
            )
        return JSONResponse({"status": "ready", **state})

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> PlainTextResponse:
        return PlainTextResponse(
            generate_latest(metrics.registry).decode(), media_type=CONTENT_TYPE_LATEST
        )

    return app
