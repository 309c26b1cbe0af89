"""The page shell: rendering, HTML error pages, CSRF on forms, the login redirects, and the
landing page. Each domain's pages (`accounts.pages`, `profiles.pages`, `jobs.pages`...) build on
it; the shell imports no domain, so that every domain may import it."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from hiresight.errors import AppError, error_response, from_http_exception
from hiresight.settings import Settings
from hiresight.web.csrf import csrf_ok, csrf_token, set_csrf_cookie

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


class LoginRequiredError(Exception):
    """A page needs a signed-in user; the page handlers redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageRedirectError(Exception):
    """A page belongs to another role's side of the site; the page handlers redirect there."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


# Paths that answer machines: their errors stay JSON whatever the client accepts.
_MACHINE_PREFIXES = ("/api/", "/static/", "/healthz", "/readyz", "/metrics")


def wants_page(request: Request) -> bool:
    """Whether an error on this request should be an HTML page: a browser (it accepts
    text/html) asking for a path outside the API and the machine endpoints."""
    accepts_html = "text/html" in request.headers.get("accept", "")
    return accepts_html and not request.url.path.startswith(_MACHINE_PREFIXES)


def install_page_handlers(app: FastAPI) -> None:
    """Redirect to the login page when a page needs a user, and to the user's own side of the
    site when a page belongs to another role's; a browser that reaches no page (an unknown
    address, a wrong method) gets the HTML error page, API clients the JSON body."""

    @app.exception_handler(StarletteHTTPException)
    async def _no_page(request: Request, exc: StarletteHTTPException) -> Response:
        error = from_http_exception(exc)
        return error_page(request, error) if wants_page(request) else error_response(error)

    @app.exception_handler(LoginRequiredError)
    async def _login_required(request: Request, exc: LoginRequiredError) -> RedirectResponse:
        return RedirectResponse(f"/login?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(PageRedirectError)
    async def _elsewhere(request: Request, exc: PageRedirectError) -> RedirectResponse:
        return RedirectResponse(exc.location, status_code=303)


def render(
    request: Request,
    name: str,
    settings: Settings,
    *,
    status_code: int = 200,
    user: object | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render a template with the CSRF token, and keep that token in a cookie; `user` is the
    signed-in user the layout shows (typed loosely: the shell imports no domain)."""
    token = csrf_token(request)
    response = templates.TemplateResponse(
        request, name, {"csrf_token": token, "user": user, **context}, status_code=status_code
    )
    set_csrf_cookie(response, token, settings)
    return response


_ERROR_TITLES = {
    403: "Not allowed",
    404: "Not found",
    409: "Already done",
    422: "Please check what you sent",
}


def error_page(request: Request, exc: AppError) -> HTMLResponse:
    """An AppError as an HTML page with the same status and stable code the API would send."""
    title = _ERROR_TITLES.get(exc.status_code, "Something went wrong")
    response = render(
        request,
        "error.html",
        request.app.state.settings,
        status_code=exc.status_code,
        title=title,
        code=exc.code,
        message=exc.message,
    )
    response.headers.update(exc.headers or {})
    return response


class PageRoute(APIRoute):
    """A server-rendered page: a refusal (404, 403, 409, 422...) answers an HTML page, never the
    API's JSON error body. The API's routes keep the JSON body (hiresight.errors)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, with AppErrors and invalid requests rendered as pages."""
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except AppError as exc:
                return error_page(request, exc)
            except RequestValidationError:
                invalid = AppError(
                    "This address or form is not valid.", code="validation_error", status_code=422
                )
                return error_page(request, invalid)

        return page_handler


def check_csrf(request: Request, form_token: str) -> None:
    """A form post must echo the token from its own page: bound to the session once signed in,
    the signed token of the CSRF cookie before (see web.csrf.csrf_token)."""
    if not csrf_ok(request, form_token):
        raise AppError(
            "The form expired. Reload the page and try again.",
            code="csrf_failed",
            status_code=403,
        )
